"""Pathways and follow-up: pathways relaunched, contracts obtained, health checks, the monthly interviews."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext_lazy as _

from beneficiaries.enums import ContractType, Relaunch
from beneficiaries.models import Action, Interview, one_month_before
from partners.enums import PartnerKind, ReferralResult
from partners.models import Referral
from reporting.definitions.common import count_of, with_figures
from reporting.indicators import Section, indicator, number, table

PEOPLE = "people"
HEALTH = "health"  # the code of the "health" partner theme (insertion/defaults.py)
PLAN_SOURCE = _("The steps (actions) of the pathway plans in the livrets, with their date; enrolments.")
INTERVIEW_SOURCE = _("Interviews logged in the livrets (any kind: individual, collective review, phone, home visit).")


def _people_by(scope, steps, field, values):
    """One query: [(value, label, people)] of the people reached with one of `steps` (an Action queryset) of each
    value of `field`, zeros included, and {reached, anyone}: the people reached and those with one of `steps`."""
    steps = steps.filter(objective__beneficiary__in=scope.people())
    lines, figures = with_figures(
        scope,
        [(steps.values(field).annotate(people=Count("objective__beneficiary", distinct=True)), [field, "people"])],
        [Value(""), Value(0)],
        reached=count_of(scope.people()),
        anyone=count_of(steps, "objective__beneficiary"),
    )
    found = dict(lines)
    return [(value, label, found.get(value, 0)) for value, label in values], figures


def _dated_steps(scope):
    return Action.objects.filter(date__gte=scope.start, date__lte=scope.end)


@indicator(
    "pathways_relaunched",
    label=_("Pathways relaunched, by domain"),
    description=_(
        "The people reached whose pathway was relaunched in the period on health, housing, return to training or "
        "access to employment: a step of their plan marked as relaunching the pathway "
        "on that domain is dated in the period, whatever its status. A person relaunched on two domains is "
        "counted on both rows, once on each: the rows overlap, each share is of the people reached. The total "
        "is the people relaunched on at least one domain."
    ),
    formula=_(
        "per domain: count of distinct people reached with a step of that domain dated in the period; "
        "share = count ÷ people reached"
    ),
    source=PLAN_SOURCE,
    section=Section.PATHWAYS,
    unit=PEOPLE,
    table=True,
    overlapping=True,
)
def pathways_relaunched(scope):
    steps = _dated_steps(scope).exclude(relaunch="")
    rows, figures = _people_by(scope, steps, "relaunch", Relaunch.choices)
    result = table(rows, base=figures["reached"])
    result.value = figures["anyone"]
    return result


@indicator(
    "contracts_by_type",
    label=_("Access to employment: contracts obtained, by type"),
    description=_(
        "The people reached who obtained a contract in the period, by its type (subsidised contract, CDD, CDI, "
        "CDDI, interim): a step of their plan relaunching the pathway on employment, with the contract obtained, "
        "is dated in the period. A person with two contracts of different types is on both rows: the rows "
        "overlap, each share is of the people reached. The total is the people with at least one contract."
    ),
    formula=_(
        "per type: count of distinct people reached with a step of that contract type dated in the period; "
        "share = count ÷ people reached"
    ),
    source=PLAN_SOURCE,
    section=Section.PATHWAYS,
    unit=PEOPLE,
    table=True,
    overlapping=True,
)
def contracts_by_type(scope):
    steps = _dated_steps(scope).filter(relaunch=Relaunch.EMPLOYMENT).exclude(contract_type="")
    rows, figures = _people_by(scope, steps, "contract_type", ContractType.choices)
    result = table(rows, base=figures["reached"])
    result.value = figures["anyone"]
    return result


@indicator(
    "health_checks",
    label=_("Health checks done"),
    description=_(
        "The people reached who had a health check in the period: a referral to a health body (a partner of the "
        "kind “Health body” with the theme “Health”, such as the Institut Pasteur's health-check centre) that "
        "took the person on, the result being dated in the period (the referral's date when the result has no "
        "date). A person is counted once. Referrals to other health partners, such as the opening of health "
        "insurance rights at the CPAM, are not health checks and are left out."
    ),
    formula=_(
        "count of distinct people reached with a referral to a health body of the health theme, taken on, "
        "whose result date (or else referral date) is in the period"
    ),
    source=_("Referrals recorded by the social workers, with their result; the partners' kind and themes."),
    section=Section.PATHWAYS,
    unit=PEOPLE,
)
def health_checks(scope):
    checks = (
        Referral.objects.filter(
            beneficiary__in=scope.people(),
            result=ReferralResult.TAKEN_ON,
            partner__kind=PartnerKind.HEALTH,
            partner__themes__code=HEALTH,
        )
        .annotate(done=Coalesce("result_date", "date"))
        .filter(done__gte=scope.start, done__lte=scope.end)
    )
    return number(checks.aggregate(people=Count("beneficiary", distinct=True))["people"])


@indicator(
    "interviews_held",
    label=_("Interviews held"),
    description=_("The interviews with the people reached dated in the period, every one counted."),
    formula=_("count of interviews dated in the period with people reached"),
    source=INTERVIEW_SOURCE,
    section=Section.PATHWAYS,
    unit="count",
)
def interviews_held(scope):
    return number(scope.interviews().count())


def _months(first, last):
    """The calendar months (as year × 12 + month − 1) having at least one day from `first` to `last`."""
    return range(first.year * 12 + first.month - 1, last.year * 12 + last.month)


def _due_months(scope, stays):
    """{person: set of months} of the period in which the person was enrolled at least one day."""
    due = defaultdict(set)
    for person, entry, exit_date in stays:
        first, last = max(entry, scope.start), min(exit_date or scope.end, scope.end)
        if first <= last:
            due[person].update(_months(first, last))
    return due


def _stays(scope):
    return scope.enrolments().filter(beneficiary__in=scope.people())


@indicator(
    "interviews_due",
    label=_("Interviews due (monthly rhythm)"),
    description=_(
        "How many interviews the monthly rhythm asks for (an individual interview at least once a month): for "
        "each person reached, the number of calendar months of the period in which they were "
        "enrolled at least one day, added up. A person enrolled from 20 March to 5 May owes three interviews "
        "(March, April, May); two enrolments in one month make one month."
    ),
    formula=_(
        "sum over the people reached of the number of calendar months having at least one day that is both in "
        "the period and in one of the person's enrolments"
    ),
    source=_("Enrolments of the people reached (entry and exit dates)."),
    section=Section.PATHWAYS,
    unit="count",
)
def interviews_due(scope):
    stays = _stays(scope).values_list("beneficiary", "entry_date", "exit_date")
    return number(sum(len(months) for months in _due_months(scope, stays).values()))


@indicator(
    "interviews_held_against_due",
    label=_("Interviews held against due"),
    description=_(
        "How well the monthly rhythm was kept: of the months due (see “Interviews due”), the share in which the "
        "person had at least one interview. A month counts once however many interviews it had, so that three "
        "interviews one month do not make up for two months without any; an interview in a month when the "
        "person was not enrolled does not count."
    ),
    formula=_("months due with at least one interview ÷ months due × 100"),
    source=_("Enrolments and interviews of the people reached."),
    section=Section.PATHWAYS,
    unit="percent",
)
def interviews_held_against_due(scope):
    # The months due are counted from the stays, as for "interviews_due". The months held are counted by the
    # database, month by month: the people with an interview that month while enrolled, so that no interview is
    # read here, only a line per month.
    enrolled_that_month = (
        scope.enrolments()
        .filter(beneficiary=OuterRef("beneficiary"))
        .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=OuterRef("month")))
        .alias(entry_month=TruncMonth("entry_date"))
        .filter(entry_month__lte=OuterRef("month"))
    )
    held = (
        scope.interviews()
        .annotate(month=TruncMonth("date"))
        .filter(Exists(enrolled_that_month))
        .values("month")
        .annotate(people=Count("beneficiary", distinct=True))
        .values_list(Value(1), "people", Value(scope.start), Value(scope.start))
    )
    stays = _stays(scope).values_list(Value(0), "beneficiary", "entry_date", "exit_date")
    rows = list(stays.order_by().union(held.order_by(), all=True))
    due = _due_months(scope, [(person, entry, exit_date) for kind, person, entry, exit_date in rows if kind == 0])
    months_due = sum(len(months) for months in due.values())
    covered = sum(people for kind, people, _month, _same in rows if kind == 1)
    value = (Decimal(covered) * 100 / months_due).quantize(Decimal("0.1")) if months_due else Decimal("0.0")
    result = number(value)
    result.base = months_due
    return result


@indicator(
    "people_interview_overdue",
    label=_("People with an overdue interview at the end of the period"),
    description=_(
        "The people enrolled on the last day of the period whose last interview up to that day is more than a "
        "calendar month old, or who have had none for more than a calendar month since their entry (an "
        "interview at least once a month is the rule). The base is the people enrolled on that day."
    ),
    formula=_(
        "count of people reached enrolled on the last day D with max(last interview ≤ D, entry) before D minus "
        "one calendar month"
    ),
    source=_("Enrolments and interviews."),
    section=Section.PATHWAYS,
    unit=PEOPLE,
)
def people_interview_overdue(scope):
    # max(last interview, entry) < D minus a month ⟺ the entry and every interview up to D are before that day:
    # enrolled on D since before the cut-off, without an interview from the cut-off to D. Each is looked up in an
    # index for the people enrolled on D only.
    end, cutoff = scope.end, one_month_before(scope.end)
    on_end = scope.enrolments().filter(beneficiary=OuterRef("pk"), entry_date__lte=end)
    on_end = on_end.filter(Q(exit_date__isnull=True) | Q(exit_date__gte=end))
    seen = Interview.objects.filter(beneficiary=OuterRef("pk"), date__gte=cutoff, date__lte=end)
    figures = (
        scope.people()
        .filter(Exists(on_end))
        .aggregate(
            enrolled=Count("pk"),
            overdue=Count("pk", filter=Q(Exists(on_end.filter(entry_date__lt=cutoff))) & ~Q(Exists(seen))),
        )
    )
    result = number(figures["overdue"])
    result.base = figures["enrolled"]
    return result
