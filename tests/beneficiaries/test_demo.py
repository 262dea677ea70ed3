"""The demo's beneficiary files (beneficiaries/demo.py), built through `seed_demo` as `make run` does, once for the
module (tests/conftest.py `demo_once`); each test's changes are rolled back."""

import datetime
import io
import random
from collections import Counter, defaultdict

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from beneficiaries import demo
from beneficiaries.enums import ActionStatus, ContractType, Relaunch, Sex
from beneficiaries.models import Action, Assessment, AssessmentItem, Beneficiary, Enrolment, Interview, Objective
from insertion.demo import DEMO_ORGANISATION_SLUG
from insertion.enums import Role
from insertion.models import Membership, Organisation
from insertion.services import member_add, organisation_create

pytestmark = pytest.mark.django_db

SITUATIONS = Beneficiary.social_situations.through
# Each model, with the path from it to the organisation.
MODELS = {
    Beneficiary: "organisation",
    SITUATIONS: "beneficiary__organisation",
    Enrolment: "beneficiary__organisation",
    Assessment: "beneficiary__organisation",
    AssessmentItem: "assessment__beneficiary__organisation",
    Interview: "beneficiary__organisation",
    Objective: "beneficiary__organisation",
    Action: "objective__beneficiary__organisation",
}


def _seed():
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return Organisation.objects.get(slug=DEMO_ORGANISATION_SLUG), out.getvalue()


@pytest.fixture
def seeded(demo_once):
    """The demo organisation and seed_demo's output, built once for the module (tests/conftest.py)."""
    return demo_once


def _counts(organisation=None):
    if organisation is None:
        return {model.__name__: model.objects.count() for model in MODELS}
    return {model.__name__: model.objects.filter(**{path: organisation}).count() for model, path in MODELS.items()}


def _twin(organisation, slug):
    """Another organisation with the default lists and the same social workers, in the same order."""
    twin = organisation_create(slug=slug, name=f"Jumelle {slug}")
    for membership in Membership.objects.filter(organisation=organisation, is_social_worker=True).order_by("pk"):
        member_add(organisation=twin, email=membership.user.email, roles=[Role.SOCIAL_WORKER])
    return twin


def _accompanied_between(organisation, start, end):
    """People with an enrolment running on at least one day from `start` to `end`."""
    return (
        Beneficiary.objects.of(organisation)
        .filter(enrolments__entry_date__lte=end)
        .filter(Q(enrolments__exit_date__isnull=True) | Q(enrolments__exit_date__gte=start))
        .distinct()
        .count()
    )


def _calendar_years():
    """The last calendar year and the one before, as (first day, last day): both whole in the demo's history."""
    year = timezone.localdate().year
    return [(datetime.date(y, 1, 1), datetime.date(y, 12, 31)) for y in (year - 2, year - 1)]


def test_seed_demo_gives_some_sixty_people_a_year_in_rolling_entry_and_exit(seeded):
    organisation, out = seeded
    today = timezone.localdate()
    enrolments = Enrolment.objects.filter(beneficiary__organisation=organisation)

    assert 90 <= Beneficiary.objects.of(organisation).count() <= 120
    assert 50 <= _accompanied_between(organisation, today - datetime.timedelta(days=365), today) <= 70
    assert Beneficiary.objects.of(organisation).enrolled_on(today).count() >= 30
    for start, end in _calendar_years():
        assert 50 <= _accompanied_between(organisation, start, end) <= 70, start.year
        assert 15 <= enrolments.filter(entry_date__range=(start, end)).count() <= 35, start.year
        assert 15 <= enrolments.filter(exit_date__range=(start, end)).count() <= 35, start.year
    assert "accompanied in the last 12 months" in out


def test_the_history_holds_the_last_two_calendar_years_and_some_people_stay_across_them(seeded):
    organisation, _ = seeded
    (first_day, _end), (new_year, _last_day) = _calendar_years()
    enrolments = Enrolment.objects.filter(beneficiary__organisation=organisation)
    interviews = Interview.objects.filter(beneficiary__organisation=organisation)

    # The people already there when the history starts entered before it: nobody starts the year before last alone.
    assert enrolments.filter(entry_date__lt=first_day).count() >= 30
    across = enrolments.filter(entry_date__lt=new_year).filter(Q(exit_date__isnull=True) | Q(exit_date__gt=new_year))
    assert across.count() >= 25
    for start, end in _calendar_years():
        held = interviews.filter(date__range=(start, end))
        # About one interview a month for each of some forty people enrolled at a time, a month missed now and then.
        assert 350 <= held.count() <= 600, start.year
        assert Assessment.objects.filter(beneficiary__organisation=organisation, date__range=(start, end)).exists()
        assert Action.objects.filter(
            objective__beneficiary__organisation=organisation, date__range=(start, end), relaunch__gt=""
        ).exists()


def test_the_people_look_like_seed_001s_tables(seeded):
    organisation, _ = seeded
    people = Beneficiary.objects.of(organisation)
    total = people.count()

    by_neighbourhood = Counter(people.values_list("neighbourhood__code", flat=True))
    by_scale = Counter(people.values_list("education_level__scale_1969", flat=True))

    assert by_neighbourhood.most_common(1)[0][0] == "faubourg-de-paris"
    assert (by_scale["VI"] + by_scale["Vbis"]) / total >= 0.75
    assert 0.55 <= people.filter(sex=Sex.MALE).count() / total <= 0.65
    assert people.filter(social_situations__code="rsa").count() / total >= 0.7


@pytest.mark.usefixtures("seeded")
def test_running_the_seed_twice_creates_nothing_more():
    first = _counts()

    _, out = _seed()

    assert _counts() == first
    assert "already has files" in out


@pytest.mark.usefixtures("seeded")
def test_every_demo_record_passes_the_models_validation():
    for model in [Beneficiary, Enrolment, Assessment, AssessmentItem, Interview, Objective, Action]:
        for record in model.objects.all():
            record.full_clean()


def test_demo_dates_are_consistent(seeded):
    organisation, _ = seeded
    today = timezone.localdate()
    beneficiaries = Beneficiary.objects.of(organisation)

    assert not Interview.objects.filter(beneficiary__in=beneficiaries, date__gt=today).exists()
    assert not Assessment.objects.filter(beneficiary__in=beneficiaries, date__gt=today).exists()
    assert not Interview.objects.filter(beneficiary__in=beneficiaries, date__week_day__in=[1, 7]).exists()  # weekend
    stays = defaultdict(list)
    for enrolment in Enrolment.objects.filter(beneficiary__in=beneficiaries).select_related("beneficiary"):
        assert enrolment.beneficiary.age(enrolment.entry_date) >= 18
        last = enrolment.exit_date or today
        stays[enrolment.beneficiary_id].append((enrolment.entry_date, last))
        assert Interview.objects.filter(
            beneficiary=enrolment.beneficiary, date__range=(enrolment.entry_date, last)
        ).exists()
    # Interviews and assessments only while the person is enrolled.
    for model in (Interview, Assessment):
        for person, date in model.objects.filter(beneficiary__in=beneficiaries).values_list("beneficiary", "date"):
            assert any(entry <= date <= end for entry, end in stays[person]), (model.__name__, person, date)
    for action in Action.objects.filter(objective__beneficiary__in=beneficiaries):
        assert (action.status == ActionStatus.PLANNED) == (action.date > today), action


def test_some_enrolled_people_are_overdue_and_some_have_an_appointment_in_the_coming_week(seeded):
    organisation, _ = seeded
    today = timezone.localdate()
    now = timezone.now()

    overdue = Beneficiary.objects.of(organisation).interview_overdue(today)
    coming_week = Interview.objects.filter(
        beneficiary__organisation=organisation,
        next_appointment__gte=now,
        next_appointment__lt=now + datetime.timedelta(days=7),
    )

    assert 5 <= overdue.count() <= 12
    assert coming_week.values("beneficiary").distinct().count() >= 5


def test_at_least_one_person_came_back_after_an_exit(seeded):
    organisation, _ = seeded

    returners = Beneficiary.objects.of(organisation).annotate(stays=Count("enrolments")).filter(stays__gte=2)

    assert returners.exists()
    for beneficiary in returners:
        first, second = sorted(beneficiary.enrolments.all(), key=lambda enrolment: enrolment.entry_date)[:2]
        assert first.exit_date is not None and first.exit_date < second.entry_date


def test_exits_cover_several_outcome_categories_with_a_comment(seeded):
    organisation, _ = seeded

    exits = Enrolment.objects.filter(beneficiary__organisation=organisation, exit_date__isnull=False)

    assert exits.values("exit_outcome__category").distinct().count() >= 3
    assert {"other-insertion-structure", "qualifying-training"} <= set(
        exits.values_list("exit_outcome__code", flat=True)
    )
    assert not exits.filter(exit_comment="").exists()


def test_employment_relaunches_carry_the_contracts_of_seed_001(seeded):
    organisation, _ = seeded

    actions = Action.objects.filter(objective__beneficiary__organisation=organisation)
    contracts = set(actions.exclude(contract_type="").values_list("contract_type", flat=True))

    assert {ContractType.CDDI, ContractType.INTERIM, ContractType.CDD} <= contracts
    assert not actions.exclude(contract_type="").exclude(relaunch=Relaunch.EMPLOYMENT).exists()
    assert set(actions.exclude(relaunch="").values_list("relaunch", flat=True)) == set(Relaunch.values)


def test_about_a_third_of_the_files_hold_a_confidential_note(seeded):
    organisation, _ = seeded

    noted = (
        Interview.objects.filter(beneficiary__organisation=organisation)
        .exclude(confidential_note="")
        .values("beneficiary")
        .distinct()
        .count()
    )

    assert 0.25 <= noted / Beneficiary.objects.of(organisation).count() <= 0.35


def _snapshot(organisation):
    return {
        "names": list(
            Beneficiary.objects.of(organisation)
            .order_by("pk")
            .values_list("first_name", "last_name", "sex", "referent__email", "referring_partner__name")
        ),
        "counts": _counts(organisation),
        "overdue": Beneficiary.objects.of(organisation).interview_overdue(timezone.localdate()).count(),
    }


def test_the_same_rng_gives_the_same_files(seeded):
    # seed_demo hands each app its own generator, seeded with the module name.
    organisation, _ = seeded
    twin = _twin(organisation, "jumelle")

    demo.seed(twin, rng=random.Random("2016:beneficiaries.demo"), stdout=io.StringIO())

    assert _snapshot(twin) == _snapshot(organisation)


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2027, 3, 1, 9, 0),  # a month before is 28 days away
        datetime.datetime(2028, 2, 29, 18, 0),  # a leap day
        datetime.datetime(2026, 11, 22, 11, 0),  # a Sunday
    ],
)
def test_the_rows_and_names_do_not_depend_on_the_day(moment, seeded):
    organisation, _ = seeded
    reference = _snapshot(organisation)
    twin = _twin(organisation, "jumelle")

    with time_machine.travel(timezone.make_aware(moment), tick=False):
        demo.seed(twin, rng=random.Random("2016:beneficiaries.demo"), stdout=io.StringIO())
        assert _snapshot(twin) == reference
        assert not Interview.objects.filter(beneficiary__organisation=twin, date__gt=timezone.localdate()).exists()
