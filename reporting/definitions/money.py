"""Funding: who funds the action, and their shares."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from reporting.definitions.common import merged, two_places
from reporting.indicators import Section, indicator, table


@indicator(
    "funding_by_funder",
    label=_("Funding by funder"),
    description=_(
        "The funding granted for the calendar years the period touches (funding is granted by the year: a month's "
        "report shows its year's), by funder, the largest first, with each funder's share of the total. A site "
        "or a programme report shows the organisation's."
    ),
    formula=_(
        "sum of the amounts per funder for the years from the start to the end of the period; share = amount ÷ total"
    ),
    source=_("The funding table of the partners' pages: year, funder, amount."),
    section=Section.MONEY,
    unit="euros",
    table=True,
)
def funding_by_funder(scope):
    found = scope.fundings().values("funder__name").annotate(amount=Sum("amount")).order_by()
    rows = merged((row["funder__name"], row["funder__name"], two_places(row["amount"])) for row in found)
    return table(sorted(rows, key=lambda row: (-row[2], row[1])))
