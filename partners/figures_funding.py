"""Who funds the action in a year, and each funder's share (seed 001, 2016: the State 25,000 €, 25.7 %…)."""

from dataclasses import dataclass, field
from decimal import Decimal

from insertion.figures import shares
from partners.models import Funding


@dataclass
class FunderRow:
    funder_id: int
    name: str
    amount: Decimal
    share: Decimal = Decimal("0")
    purposes: list = field(default_factory=list)


def funding_by_funder(organisation, year):
    """(rows, total) for the organisation's funding of `year`, in one query.

    One row per funder, largest amount first (then by name): a funder with several lines counts once, its amounts
    summed and what they finance listed. The shares are in percent with one decimal and add up to exactly 100.0
    (insertion.figures.shares). No funding gives no rows and a total of zero.
    """
    by_funder = {}
    lines = (
        Funding.objects.filter(organisation=organisation, year=year)
        .select_related("funder")
        .only("amount", "purpose", "funder__name")
        .order_by("pk")
    )
    for line in lines:
        row = by_funder.setdefault(line.funder_id, FunderRow(line.funder_id, line.funder.name, Decimal("0")))
        row.amount += line.amount
        if line.purpose and line.purpose not in row.purposes:
            row.purposes.append(line.purpose)
    rows = sorted(by_funder.values(), key=lambda row: (-row.amount, row.name.casefold()))
    for row, share in zip(rows, shares([row.amount for row in rows]), strict=True):
        row.share = share
    return rows, sum((row.amount for row in rows), Decimal("0"))
