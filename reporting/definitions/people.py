"""People reached: how many, who they are, who entered and who left, against the yearly target."""

from decimal import Decimal

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from beneficiaries.enums import Sex
from insertion.enums import ExitCategory, Scale1969, Scale2019
from insertion.models import Neighbourhood, SocialSituation
from reporting.definitions.common import count_of, listed
from reporting.indicators import Section, counted, indicator, number, table, years_before

PEOPLE = "people"
REACHED_SOURCE = _("Beneficiary files and their enrolments (entry and exit dates, programme).")

AGE_BANDS = [
    ("under_26", _("Under 26")),
    ("26_44", _("26 to 44")),
    ("45_54", _("45 to 54")),
    ("55_plus", _("55 and over")),
]


@indicator(
    "beneficiaries_reached",
    label=_("People reached"),
    description=_("The people with an enrolment running on at least one day of the period, each counted once."),
    formula=_("count of distinct people with entry ≤ end of period and (no exit or exit ≥ start of period)"),
    source=REACHED_SOURCE,
    section=Section.PEOPLE,
    unit=PEOPLE,
)
def beneficiaries_reached(scope):
    return number(scope.people().count())


@indicator(
    "beneficiaries_by_sex",
    label=_("People reached by sex"),
    description=_("The people reached, by the sex recorded in their file."),
    formula=_("count of distinct people reached, grouped by sex; share = count ÷ people reached"),
    source=REACHED_SOURCE,
    section=Section.PEOPLE,
    unit=PEOPLE,
    table=True,
)
def beneficiaries_by_sex(scope):
    return table(counted(scope.people(), "sex", list(Sex.choices)))


@indicator(
    "beneficiaries_by_age_band",
    label=_("People reached by age band"),
    description=_(
        "The people reached, by their age on the last day of the period: under 26, 26–44, 45–54, 55 and over."
    ),
    formula=_(
        "age = whole years between the date of birth and the end of the period; count of distinct people per band"
    ),
    source=REACHED_SOURCE,
    section=Section.PEOPLE,
    unit=PEOPLE,
    table=True,
)
def beneficiaries_by_age_band(scope):
    # Someone is under 26 on day D when born after D minus 26 years: the bands are ranges of dates of birth.
    end = scope.end
    band = Case(
        When(birth_date__gt=years_before(end, 26), then=Value("under_26")),
        When(birth_date__gt=years_before(end, 45), then=Value("26_44")),
        When(birth_date__gt=years_before(end, 55), then=Value("45_54")),
        default=Value("55_plus"),
        output_field=CharField(),
    )
    return table(counted(scope.people().annotate(band=band), "band", AGE_BANDS))


@indicator(
    "entries",
    label=_("Entries"),
    description=_("The people who entered a programme during the period (a person entering twice counts once)."),
    formula=_("count of distinct people with an enrolment whose entry date is in the period"),
    source=REACHED_SOURCE,
    section=Section.PEOPLE,
    unit=PEOPLE,
)
def entries(scope):
    enrolments = scope.enrolments().filter(entry_date__gte=scope.start)
    return number(scope.people().filter(pk__in=enrolments.values("beneficiary")).count())


@indicator(
    "exits",
    label=_("Exits"),
    description=_("The people who left a programme during the period (a person leaving twice counts once)."),
    formula=_("count of distinct people with an enrolment whose exit date is in the period"),
    source=REACHED_SOURCE,
    section=Section.PEOPLE,
    unit=PEOPLE,
)
def exits(scope):
    enrolments = scope.enrolments().filter(exit_date__lte=scope.end)
    return number(scope.people().filter(pk__in=enrolments.values("beneficiary")).count())


@indicator(
    "exits_by_category",
    label=_("Exits by category (sorties dynamiques)"),
    description=_(
        "The exits of the period by the category of their outcome: sustainable employment, transitional "
        "employment, positive exit (together the 'sorties dynamiques'), other exit. A person who left twice "
        "counts under the outcome of their last exit of the period."
    ),
    formula=_("count of distinct people by the category of their last exit's outcome; rate = count ÷ exits"),
    source=_("Enrolments: exit date and exit outcome (each outcome of the list belongs to a category)."),
    section=Section.PATHWAYS,
    unit=PEOPLE,
    table=True,
)
def exits_by_category(scope):
    # A person's last exit of the period is the one with no later exit of theirs in the period (an anti-join the
    # database runs once, where a "latest exit" subquery would run once per person).
    exits = scope.enrolments().filter(exit_date__lte=scope.end)
    later = exits.filter(beneficiary=OuterRef("beneficiary")).filter(
        Q(exit_date__gt=OuterRef("exit_date")) | Q(exit_date=OuterRef("exit_date"), pk__gt=OuterRef("pk"))
    )
    last_exits = exits.filter(beneficiary__in=scope.people(), exit_outcome__isnull=False).filter(~Exists(later))
    return table(counted(last_exits, "exit_outcome__category", list(ExitCategory.choices), count="beneficiary"))


@indicator(
    "occupancy",
    label=_("People reached against the yearly target"),
    description=_(
        "The people reached in the period as a share of the number of people the organisation aims to welcome "
        "in a year (its setting; 60 at Valenciennes). Meaningful for a year; for a shorter period it shows how far "
        "the year's target is reached."
    ),
    formula=_("people reached ÷ yearly target × 100"),
    source=_("Enrolments; the organisation's yearly target (organisation settings)."),
    section=Section.PEOPLE,
    unit="percent",
)
def occupancy(scope):
    target = scope.yearly_target
    reached = scope.people().count()
    value = (Decimal(reached) * 100 / target).quantize(Decimal("0.1")) if target else Decimal("0.0")
    result = number(value)
    result.base = target
    return result


NOT_KNOWN = _("Not known")


@indicator(
    "beneficiaries_by_neighbourhood",
    label=_("People reached by neighbourhood"),
    description=_(
        "The people reached, by the neighbourhood recorded in their file, in the order of the organisation's list "
        "of neighbourhoods (every neighbourhood in use is shown, with 0 when none of them lives there); the people "
        "whose neighbourhood is not recorded come last, under “Not known”."
    ),
    formula=_("count of distinct people reached per neighbourhood; share = count ÷ people reached"),
    source=_("Beneficiary files (neighbourhood) and their enrolments; the organisation's list of neighbourhoods."),
    section=Section.PEOPLE,
    unit=PEOPLE,
    table=True,
)
def beneficiaries_by_neighbourhood(scope):
    rows, unknown, _figures = listed(
        scope,
        Neighbourhood.objects.filter(organisation__in=scope.organisation_ids),
        scope.people(),
        "neighbourhood",
        Count("pk", distinct=True),
    )
    if unknown:
        rows.append(("", NOT_KNOWN, unknown))
    return table(rows)


@indicator(
    "beneficiaries_from_priority_neighbourhoods",
    label=_("People reached from the priority neighbourhoods (QPV)"),
    description=_(
        "The people reached who live in a neighbourhood marked as a priority neighbourhood of the city policy "
        "(quartier prioritaire, QPV) in the organisation's list, and their share of all the people reached "
        "(the contrat de ville funds them)."
    ),
    formula=_(
        "count of distinct people reached whose neighbourhood is a priority one; share = count ÷ people reached"
    ),
    source=_("Beneficiary files (neighbourhood) and their enrolments; the priority mark of each neighbourhood."),
    section=Section.PEOPLE,
    unit=PEOPLE,
    table=True,
    overlapping=True,
)
def beneficiaries_from_priority_neighbourhoods(scope):
    figures = scope.people().aggregate(
        reached=Count("pk"), priority=Count("pk", filter=Q(neighbourhood__is_priority=True))
    )
    rows = [("priority", _("Priority neighbourhoods (QPV)"), figures["priority"])]
    return table(rows, base=figures["reached"])


EDUCATION_SOURCE = _("Beneficiary files (the finest education level known) and their enrolments.")


@indicator(
    "beneficiaries_by_education_level",
    label=_("People reached by education level (2019 scale)"),
    description=_(
        "The people reached by their education level on the 2019 scale of the national qualifications framework "
        "(décret 2019-14): below 3 (no diploma), 3 (CAP, BEP) up to 8 (doctorate). The finest level recorded in "
        "the file is read on this scale; “Not known” when none is recorded."
    ),
    formula=_("count of distinct people reached per level of the 2019 scale; share = count ÷ people reached"),
    source=EDUCATION_SOURCE,
    section=Section.PEOPLE,
    unit=PEOPLE,
    table=True,
)
def beneficiaries_by_education_level(scope):
    return table(counted(scope.people(), "education_level__scale_2019", list(Scale2019.choices)))


@indicator(
    "beneficiaries_by_education_level_1969",
    label=_("People reached by education level (1969 scale)"),
    description=_(
        "The people reached by their education level on the 1969 scale still used by many funders: VI (no "
        "diploma), Vbis, V (CAP, BEP), IV (baccalauréat), III, II, I. The finest level recorded in the file is "
        "read on this scale; “Not known” when none is recorded."
    ),
    formula=_("count of distinct people reached per level of the 1969 scale; share = count ÷ people reached"),
    source=EDUCATION_SOURCE,
    section=Section.PEOPLE,
    unit=PEOPLE,
    table=True,
)
def beneficiaries_by_education_level_1969(scope):
    return table(counted(scope.people(), "education_level__scale_1969", list(Scale1969.choices)))


@indicator(
    "beneficiaries_by_situation",
    label=_("People reached by social situation at entry"),
    description=_(
        "The people reached by the social situations recorded in their file (RSA recipient, long-term "
        "unemployed, homeless…), in the order of the organisation's list. A person may have several: the rows "
        "overlap and do not add up, each share is of the people reached. The people with no situation recorded "
        "come last, under “Not known”."
    ),
    formula=_(
        "count of distinct people reached with the situation; share = count ÷ people reached (a person may be "
        "counted in several rows)"
    ),
    source=_("Beneficiary files (social situations at entry) and their enrolments; the list of social situations."),
    section=Section.PEOPLE,
    unit=PEOPLE,
    table=True,
    overlapping=True,
)
def beneficiaries_by_situation(scope):
    people = scope.people()
    rows, unknown, figures = listed(
        scope,
        SocialSituation.objects.filter(organisation__in=scope.organisation_ids),
        people,
        "social_situations",
        Count("pk", distinct=True),
        reached=count_of(people),
    )
    if unknown:
        rows.append(("", NOT_KNOWN, unknown))
    result = table(rows, base=figures["reached"])
    result.value = figures["reached"]  # everyone is on a row, "Not known" included
    return result
