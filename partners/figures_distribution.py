"""The produce given away in a year: kilograms per recipient and per month, for the activity report and the
partners' conventions ("x kg given to the Restos du Cœur this year")."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from insertion.figures import shares
from partners.enums import RecipientKind
from partners.models import DistributionLine

ZERO = Decimal("0")
MONTHS = range(1, 13)


@dataclass(frozen=True)
class RecipientYear:
    """A line of the table: a partner, or the growers (`partner_id` None)."""

    name: str
    partner_id: int | None
    months: tuple  # twelve Decimals, January first
    total: Decimal
    share: Decimal  # percent of the year's total, one decimal; the shares of the rows add up to 100

    @property
    def is_growers(self):
        return self.partner_id is None


@dataclass(frozen=True)
class DistributionYear:
    year: int
    rows: tuple  # RecipientYear: the partners by name, then the growers
    month_totals: tuple  # twelve Decimals
    total: Decimal


def totals_by_recipient(organisation, year):
    """Kilograms given per recipient and month in `year`, with the totals of rows and columns; one query.

    The growers are one recipient, whatever the site they were shared on; a partner appears once it received
    something that year, archived or not.
    """
    sums = (
        DistributionLine.objects.filter(distribution__organisation=organisation, distribution__date__year=year)
        .annotate(month=ExtractMonth("distribution__date"))
        .values("distribution__recipient_kind", "distribution__partner_id", "distribution__partner__name", "month")
        .annotate(total=Sum("weight_kg"))
        .order_by()
    )
    by_recipient = {}  # partner id or None -> [name, {month: kg}]
    for row in sums:
        growers = row["distribution__recipient_kind"] == RecipientKind.GROWERS
        key = None if growers else row["distribution__partner_id"]
        name = _("The growers") if growers else row["distribution__partner__name"]
        months = by_recipient.setdefault(key, [name, {}])[1]
        months[row["month"]] = months.get(row["month"], ZERO) + row["total"]

    ordered = sorted(by_recipient.items(), key=lambda item: (item[0] is None, item[1][0].lower(), item[0] or 0))
    monthly = [tuple(months.get(month, ZERO) for month in MONTHS) for _key, (_name, months) in ordered]
    totals = [sum(months, ZERO) for months in monthly]
    rows = tuple(
        RecipientYear(name=name, partner_id=key, months=months, total=total, share=share)
        for (key, (name, _months)), months, total, share in zip(ordered, monthly, totals, shares(totals), strict=True)
    )
    month_totals = tuple(sum((row.months[index] for row in rows), ZERO) for index in range(12))
    return DistributionYear(year=year, rows=rows, month_totals=month_totals, total=sum(totals, ZERO))
