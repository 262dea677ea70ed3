"""The stock of produce: what was harvested on a site, less what was given away from it, per variety.

Nothing is stored: the stock is computed from the harvests (gardens.Harvest) and the distribution lines, in two
aggregate queries whatever their number, so that it can never drift from the records it sums.

Two readings of it:
- `stock_rows()`: the stock page, per site and variety, as of a date (harvests and distributions up to it);
- `check_lines()`: what a distribution may give. It is stricter on purpose: what is available on a day is what was
  harvested up to that day, less everything given from the site whatever its date, so that a distribution entered
  late, back-dated, or edited can never take produce already promised to a later one, nor produce not yet picked.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gardens.models import Harvest
from partners.models import DistributionLine

ZERO = Decimal("0")


def _kg(value):
    """A weight the French way in French ("12,50"), through Django's localisation."""
    return number_format(value, 2)


@dataclass(frozen=True)
class StockRow:
    site_id: int
    site: str  # the site's name
    variety_id: int
    variety: str  # "Species — Variety", as the variety prints itself
    harvested: Decimal
    distributed: Decimal

    @property
    def available(self):
        """Can be negative when a harvest was corrected downwards after the produce was given."""
        return self.harvested - self.distributed


def stock_rows(organisation, site=None, on=None):
    """The stock of every site (or of `site`) per variety, as of `on` inclusive (default: everything recorded).

    A row for each site and variety harvested or given; ordered by site, species and variety. Two queries.
    """
    harvests = Harvest.objects.filter(organisation=organisation)
    lines = DistributionLine.objects.filter(distribution__organisation=organisation)
    if site is not None:
        harvests = harvests.filter(site=site)
        lines = lines.filter(distribution__site=site)
    if on is not None:
        harvests = harvests.filter(date__lte=on)
        lines = lines.filter(distribution__date__lte=on)

    rows = {}  # (site id, variety id) -> [site, variety, species, label, harvested, distributed]
    harvested = harvests.values("site_id", "site__name", "variety_id", "variety__species", "variety__label").annotate(
        total=Sum("weight_kg")
    )
    for row in harvested.order_by():
        key = (row["site_id"], row["variety_id"])
        rows[key] = [row["site__name"], row["variety__species"], row["variety__label"], row["total"], ZERO]
    given = lines.values(
        "distribution__site_id",
        "distribution__site__name",
        "variety_id",
        "variety__species",
        "variety__label",
    ).annotate(total=Sum("weight_kg"))
    for row in given.order_by():
        key = (row["distribution__site_id"], row["variety_id"])
        entry = rows.setdefault(
            key, [row["distribution__site__name"], row["variety__species"], row["variety__label"], ZERO, ZERO]
        )
        entry[4] = row["total"]

    result = [
        StockRow(
            site_id=site_id,
            site=site_name,
            variety_id=variety_id,
            variety=f"{species} — {label}",
            harvested=total_harvested,
            distributed=total_given,
        )
        for (site_id, variety_id), (site_name, species, label, total_harvested, total_given) in rows.items()
    ]
    result.sort(key=lambda row: (row.site.lower(), row.site_id, row.variety.lower(), row.variety_id))
    return result


@dataclass(frozen=True)
class Shortfall:
    """A line asking more than the site has of the variety; `str()` is the message shown to the trainer."""

    variety: object  # gardens.Variety
    asked: Decimal
    harvested: Decimal
    given: Decimal

    @property
    def available(self):
        return max(self.harvested - self.given, ZERO)

    @property
    def message(self):
        return _(
            "%(variety)s: %(asked)s kg asked, %(available)s kg available "
            "(%(harvested)s kg harvested, %(given)s kg already given)."
        ) % {
            "variety": self.variety,
            "asked": _kg(self.asked),
            "available": _kg(self.available),
            "harvested": _kg(self.harvested),
            "given": _kg(self.given),
        }

    def __str__(self):
        return self.message


def check_lines(organisation, site, date, lines, exclude_distribution=None):
    """The shortfalls of a distribution dated `date` from `site` giving `lines` ([(variety, weight_kg), …]).

    Available for a variety = harvested on the site up to `date` inclusive − everything already given from the site
    for that variety, whatever the date, except by `exclude_distribution` (the distribution being edited, whose old
    lines it replaces). An empty list means the distribution can be saved. Two queries, none without lines.

    Two saves at once could both pass: the caller locks the site's row first (select_for_update) inside its
    transaction.
    """
    asked, varieties = {}, {}
    for variety, weight in lines:
        asked[variety.pk] = asked.get(variety.pk, ZERO) + weight
        varieties[variety.pk] = variety
    if not asked:
        return []
    site_id = getattr(site, "pk", site)
    harvested = dict(
        Harvest.objects.filter(organisation=organisation, site_id=site_id, date__lte=date, variety_id__in=asked)
        .values("variety_id")
        .annotate(total=Sum("weight_kg"))
        .order_by()
        .values_list("variety_id", "total")
    )
    given_lines = DistributionLine.objects.filter(
        distribution__organisation=organisation, distribution__site_id=site_id, variety_id__in=asked
    )
    if exclude_distribution is not None:
        given_lines = given_lines.exclude(distribution_id=getattr(exclude_distribution, "pk", exclude_distribution))
    given = dict(
        given_lines.values("variety_id").annotate(total=Sum("weight_kg")).order_by().values_list("variety_id", "total")
    )
    shortfalls = []
    for variety_id, weight in asked.items():
        shortfall = Shortfall(
            variety=varieties[variety_id],
            asked=weight,
            harvested=harvested.get(variety_id, ZERO),
            given=given.get(variety_id, ZERO),
        )
        if weight > shortfall.harvested - shortfall.given:
            shortfalls.append(shortfall)
    return shortfalls
