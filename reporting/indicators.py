"""The indicators, as code: one definition per indicator, with a stable code, a label, a description and one query.

Every figure the dashboard, the report, its exports, the committees' frozen reports and `manage.py report` show
comes from here. An indicator is a function of a `Scope` (organisations, an inclusive period of days, optionally one
site or one programme) registered with `@indicator(...)`; it runs a single aggregate query (the people reached
enter it as a subquery) and returns a `Result`: a number, or a table of rows with their counts and shares.

Conventions (docs/indicators.md states them for the reader):
- a person counts once per indicator, whatever their number of enrolments in the period;
- "people reached" in a period: an enrolment running on at least one day of it (entered on or before its last
  day, not out before its first day), in the programme when the scope has one, and, for a site, present at least
  once at a workshop of that site in the period;
- periods are inclusive; dates are days in the organisation's calendar, so no time-zone arithmetic happens here;
- shares are percentages with one decimal adding up to exactly 100 (largest remainders, insertion.figures.shares)
  except in tables where a person may appear on several rows (`overlapping`), where each share is of the people
  reached and the note says so.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Beneficiary, Enrolment, Interview
from gardens.enums import AttendanceStatus
from gardens.models import Attendance, Harvest, Workshop
from insertion.figures import shares
from partners.models import DistributionLine, Funding, Partnership, Referral

REGISTRY = {}


class Section:
    PEOPLE = "people"
    PATHWAYS = "pathways"
    GARDENS = "gardens"
    NETWORK = "network"
    MONEY = "money"


SECTIONS = [
    (Section.PEOPLE, _("People reached")),
    (Section.PATHWAYS, _("Pathways and follow-up")),
    (Section.GARDENS, _("Gardens, workshops and harvests")),
    (Section.NETWORK, _("Partners and redistribution")),
    (Section.MONEY, _("Funding")),
]


def years_before(day, years):
    """The same day `years` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Scope:
    """What a report covers: one or several organisations, the days from `start` to `end` inclusive, and
    optionally one site or one programme (of those organisations)."""

    organisations: tuple
    start: datetime.date
    end: datetime.date
    site: object = None
    programme: object = None

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("The end of a period cannot come before its start.")
        object.__setattr__(self, "organisations", tuple(self.organisations))

    @property
    def organisation_ids(self):
        return [organisation.pk for organisation in self.organisations]

    @property
    def is_network(self):
        return len(self.organisations) > 1

    @property
    def yearly_target(self):
        return sum(organisation.yearly_target for organisation in self.organisations)

    def a_year_earlier(self):
        return Scope(
            self.organisations, years_before(self.start, 1), years_before(self.end, 1), self.site, self.programme
        )

    # The querysets the indicators build on. None runs a query by itself: they are subqueries, shaped as a
    # hand-written query would be (EXISTS correlated on an indexed key rather than IN over a join), so that the
    # database's planner reads the period's rows once whatever the number of organisations.
    def enrolments(self):
        """Enrolments running on at least one day of the period, in the scope's programme if it has one.

        Not narrowed to the organisations by themselves: every indicator reaches them through `people()` or
        correlates them with one of its people (`beneficiary=OuterRef(...)`)."""
        qs = Enrolment.objects.filter(entry_date__lte=self.end).filter(
            Q(exit_date__isnull=True) | Q(exit_date__gte=self.start)
        )
        if self.programme is not None:
            qs = qs.filter(programme=self.programme)
        return qs

    def _held(self, prefix=""):
        """The condition on a workshop (reached through `prefix`) to be one of the scope's."""
        held = Q(
            **{
                f"{prefix}organisation__in": self.organisation_ids,
                f"{prefix}date__gte": self.start,
                f"{prefix}date__lte": self.end,
            }
        )
        if self.site is not None:
            held &= Q(**{f"{prefix}site": self.site})
        if self.programme is not None:
            held &= Q(**{f"{prefix}programme": self.programme}) | Q(**{f"{prefix}programme__isnull": True})
        return held

    def workshops(self):
        return Workshop.objects.filter(self._held())

    def presences(self):
        """The presences at the scope's workshops (joined to them, so that a further condition on the workshop,
        its kind say, reads the same row)."""
        return Attendance.objects.filter(self._held("workshop__"), status=AttendanceStatus.PRESENT)

    def people(self):
        """The people reached in the period (each once)."""
        qs = Beneficiary.objects.filter(organisation__in=self.organisation_ids).filter(
            Exists(self.enrolments().filter(beneficiary=OuterRef("pk")))
        )
        if self.site is not None:
            qs = qs.filter(Exists(self.presences().filter(beneficiary=OuterRef("pk"))))
        return qs

    # What the people reached did in the period: a site or a programme narrows these through `people()`.
    def presences_of_people(self):
        """Presences at the scope's workshops of the people reached (not someone of another programme, nor someone
        on a register outside their enrolment). A register only lists the people of the workshop's organisation,
        and a presence at the site is what puts a person in a site's `people()`: a running enrolment is the test
        left to make."""
        return self.presences().filter(Exists(self.enrolments().filter(beneficiary=OuterRef("beneficiary"))))

    def interviews(self):
        return Interview.objects.filter(beneficiary__in=self.people(), date__gte=self.start, date__lte=self.end)

    def referrals(self):
        return Referral.objects.filter(beneficiary__in=self.people(), date__gte=self.start, date__lte=self.end)

    # The gardens' produce: a site narrows it, a programme does not (a harvest belongs to no programme).
    def harvests(self):
        qs = Harvest.objects.filter(organisation__in=self.organisation_ids, date__gte=self.start, date__lte=self.end)
        if self.site is not None:
            qs = qs.filter(site=self.site)
        return qs

    def distribution_lines(self):
        qs = DistributionLine.objects.filter(
            distribution__organisation__in=self.organisation_ids,
            distribution__date__gte=self.start,
            distribution__date__lte=self.end,
        )
        if self.site is not None:
            qs = qs.filter(distribution__site=self.site)
        return qs

    # The organisation's own records: neither a site nor a programme narrows them.
    def partnerships(self):
        """The partnerships formed (started) in the period."""
        return Partnership.objects.filter(
            organisation__in=self.organisation_ids, start_date__gte=self.start, start_date__lte=self.end
        )

    def fundings(self):
        """The funding of every calendar year the period touches (funding is granted by the year)."""
        return Funding.objects.filter(
            organisation__in=self.organisation_ids, year__gte=self.start.year, year__lte=self.end.year
        )


@dataclass
class Row:
    key: str
    label: str
    value: object  # int, or Decimal for kg, hours, euros
    share: Decimal | None = None  # percent


@dataclass
class Result:
    code: str
    value: object = None  # the headline figure: the total of a table, or the number itself
    rows: list = field(default_factory=list)
    base: object = None  # what the shares are of, when it is not the total of the rows (overlapping tables)

    def as_dict(self):
        """Plain JSON-ready data: numbers as strings for decimals, so that nothing is lost in a float."""

        def plain(value):
            return str(value) if isinstance(value, Decimal) else value

        data = {"value": plain(self.value)}
        if self.rows:
            data["rows"] = [
                {"key": row.key, "label": str(row.label), "value": plain(row.value), "share": plain(row.share)}
                for row in self.rows
            ]
        if self.base is not None:
            data["base"] = plain(self.base)
        return data


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    description: str
    formula: str
    source: str
    section: str
    unit: str  # "people", "kg", "hours", "workshops", "euros", "count", "percent"
    compute: object
    table: bool = False  # rows (a breakdown) rather than a single number
    overlapping: bool = False  # a person may be on several rows: shares are of `base`, they do not add up

    def __call__(self, scope):
        result = self.compute(scope)
        result.code = self.code
        return result


def indicator(code, *, label, description, formula, source, section, unit, table=False, overlapping=False):
    """Register the decorated `compute(scope) -> Result` under `code` (stable: the exports and the frozen reports
    use it; never rename one, add a new code)."""

    def register(compute):
        if code in REGISTRY:
            raise ValueError(f"Indicator code {code!r} registered twice.")
        REGISTRY[code] = Indicator(
            code, label, description, formula, source, section, unit, compute, table, overlapping
        )
        return compute

    return register


def table(rows, *, base=None):
    """A Result of `rows` (key, label, value): shares of the total adding up to 100, or of `base` when given."""
    rows = [Row(key, label, value) for key, label, value in rows]
    total = sum((row.value for row in rows), 0)
    if base is None:
        for row, share in zip(rows, shares([row.value for row in rows]), strict=True):
            row.share = share
    else:
        for row in rows:
            row.share = (Decimal(row.value) * 100 / base).quantize(Decimal("0.1")) if base else Decimal("0.0")
    return Result(code="", value=total, rows=rows, base=base)


def number(value):
    return Result(code="", value=value)


def compute(scope, codes=None):
    """{code: Result} for the scope, in the registry's order (every indicator, or those of `codes`)."""
    _load()
    wanted = REGISTRY if codes is None else codes
    return {code: REGISTRY[code](scope) for code in wanted}


def by_section():
    """[(section key, label, [Indicator…])] in report order."""
    _load()
    return [(key, label, [ind for ind in REGISTRY.values() if ind.section == key]) for key, label in SECTIONS]


def _load():
    """The definitions live in reporting/definitions/*; importing them registers them."""
    from reporting import definitions  # noqa: F401


def counted(qs, key, labels, *, count="pk"):
    """One aggregate query: {key value: count} → rows in the order of `labels` (a list of (key, label)),
    zeros included; keys not in `labels` (unknown) are added at the end under "Not known"."""
    found = {row[key]: row["n"] for row in qs.values(key).annotate(n=Count(count, distinct=True)).order_by()}
    rows = [(str(k), label, found.pop(k, 0)) for k, label in labels]
    unknown = sum(found.values())
    if unknown:
        rows.append(("", _("Not known"), unknown))
    return rows
