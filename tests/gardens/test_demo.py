"""The demo's gardens (gardens/demo.py), built through `seed_demo` as `make run` does.

Time is frozen: on a Tuesday by default, so that "today" has workshops; other days in the test of the calendar. The
demo is built once for the module (tests/conftest.py `demo_once`); each test's changes are rolled back.
"""

import datetime
import io
import random
from collections import Counter
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from beneficiaries import demo as beneficiaries_demo
from gardens import demo
from gardens.enums import AttendanceStatus, EquipmentKind, SiteKind, Unit
from gardens.models import (
    Attendance,
    Equipment,
    Harvest,
    Plot,
    Site,
    SkillCriterion,
    SkillEvaluation,
    SkillRating,
    TimetableSlot,
    Workshop,
)
from insertion.demo import DEMO_ORGANISATION_SLUG, history_start
from insertion.models import Membership, Organisation, User
from insertion.services import member_add, organisation_create

pytestmark = pytest.mark.django_db

TUESDAY = datetime.datetime(2026, 3, 17, 10, 30)  # not a bank holiday
TWO_HOURS = Decimal("2.00")
FIXED_BANK_HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}
# Each model, with the path from it to the organisation.
MODELS = {
    Site: "organisation",
    Plot: "site__organisation",
    Equipment: "site__organisation",
    Workshop: "organisation",
    Workshop.trainers.through: "workshop__organisation",
    Attendance: "workshop__organisation",
    Harvest: "organisation",
    SkillEvaluation: "beneficiary__organisation",
    SkillRating: "evaluation__beneficiary__organisation",
}


def _seed():
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return Organisation.objects.get(slug=DEMO_ORGANISATION_SLUG), out.getvalue()


DEMO_MOMENT = TUESDAY  # the demo is built, and examined, then


@pytest.fixture
def seeded(demo_once):
    """The demo organisation and seed_demo's output, built on TUESDAY."""
    return demo_once


def _karim():
    return User.objects.get(email="trainer@demo.local")


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def _calendar_years():
    """The last calendar year and the one before, as (first day, last day): both whole in the demo's history."""
    year = timezone.localdate().year
    return [(datetime.date(y, 1, 1), datetime.date(y, 12, 31)) for y in (year - 2, year - 1)]


def test_seed_demo_gives_three_years_of_two_hour_workshops_on_the_three_sites(seeded):
    organisation, out = seeded
    today = timezone.localdate()
    workshops = Workshop.objects.of(organisation)
    this_year = workshops.between(today - datetime.timedelta(days=365), today)
    slots = set(TimetableSlot.objects.filter(organisation=organisation).values_list("weekday", "start_time"))

    assert 270 <= this_year.count() <= 290
    # Seed 001: 276 workshops a year; both whole calendar years of the history hold theirs.
    for start, end in _calendar_years():
        kinds = Counter(workshops.between(start, end).values_list("kind__code", flat=True))
        assert 265 <= sum(kinds.values()) <= 290, start.year
        assert kinds["market-gardening"] / sum(kinds.values()) >= 0.8
        assert 3 <= kinds["biodiversity"] <= 9, start.year
        assert 5 <= kinds["health"] <= 9, start.year
        assert 8 <= kinds["solidarity-table"] <= 12, start.year
        assert 3 <= kinds["beekeeping"] <= 9, start.year
        assert 3 <= kinds["exhibition-chalet"] <= 9, start.year
    for workshop in workshops:
        assert workshop.hours == TWO_HOURS
        assert (workshop.date.weekday(), workshop.start_time) in slots
        assert (workshop.date.month, workshop.date.day) not in FIXED_BANK_HOLIDAYS
    # One or two trainers on each; both lead a fair share.
    led = Counter(workshops.annotate(n=Count("trainers")).values_list("n", flat=True))
    assert set(led) == {1, 2}
    by_trainer = Counter(workshops.values_list("trainers__email", flat=True))
    assert min(by_trainer["trainer@demo.local"], by_trainer["encadrant2@demo.local"]) >= 0.3 * workshops.count()
    first = workshops.order_by("date").first().date
    assert history_start(today) <= first < history_start(today) + datetime.timedelta(days=7)
    assert "Gardens: 3 sites" in out


def test_the_sites_are_those_of_seed_001_with_their_inventory(seeded):
    organisation, _ = seeded
    sites = {site.name: site for site in Site.objects.filter(organisation=organisation)}
    equipment = Equipment.objects.filter(site__organisation=organisation)

    assert set(sites) == {"Site Blaise Pascal", "Zone du Vignoble", "Site du Rôleur"}
    vignoble = sites["Zone du Vignoble"]
    assert (vignoble.kind, vignoble.area_m2) == (SiteKind.AGRICULTURAL_ZONE, 15000)
    assert all(site.area_m2 < vignoble.area_m2 for site in sites.values() if site != vignoble)
    assert all(site.plots.count() >= 3 for site in sites.values())
    assert equipment.get(kind=EquipmentKind.GREENHOUSE).quantity == 2
    assert equipment.get(kind=EquipmentKind.HIVE).site == vignoble
    assert equipment.get(kind=EquipmentKind.VEHICLE).description == "Peugeot Partner et remorque"
    assert "grelinettes" in equipment.get(kind=EquipmentKind.TOOL_LIBRARY).description
    chalets = set(equipment.filter(kind=EquipmentKind.CHALET).values_list("description", "site__name"))
    assert chalets == {
        ("Chalet d'accueil général", "Site Blaise Pascal"),
        ("Chalet d'exposition", "Zone du Vignoble"),
        ("Éco-chalet", "Site du Rôleur"),
    }
    market_gardening = Workshop.objects.of(organisation).filter(kind__code="market-gardening")
    assert set(market_gardening.values_list("site__name", flat=True)) == set(sites)


def test_micro_workshops_have_their_partners_guests_and_menus(seeded):
    organisation, _ = seeded
    workshops = Workshop.objects.of(organisation)
    tables = workshops.filter(kind__code="solidarity-table")
    in_town = tables.filter(site__isnull=True)

    assert set(workshops.filter(kind__code="health").values_list("co_leading_partner__name", flat=True)) == {
        "CPAM du Hainaut",
        "Institut Pasteur de Lille",
        "Service de prévention santé du Département",
    }
    assert in_town.count() >= tables.count() // 2 >= 4
    for table in tables:
        assert table.menu and 5 <= table.unregistered_participants <= 20
    for table in in_town:
        assert table.neighbourhood.is_priority
    beekeeping = workshops.filter(kind__code="beekeeping")
    assert set(beekeeping.values_list("site__name", "co_leading_partner__name")) == {
        ("Zone du Vignoble", "Apiculteur bénévole")
    }
    assert not workshops.filter(kind__code="exhibition-chalet", unregistered_participants=0).exists()


def test_registers_hold_only_people_enrolled_that_day_and_only_before_today(seeded):
    organisation, _ = seeded
    today = timezone.localdate()
    lines = Attendance.objects.filter(workshop__organisation=organisation)
    statuses = Counter(lines.values_list("status", flat=True))

    for start, end in _calendar_years():
        assert 2700 <= lines.filter(workshop__date__range=(start, end)).count() <= 3600, start.year
    assert not lines.filter(workshop__date__gte=today).exists()
    assert 0.65 <= statuses[AttendanceStatus.PRESENT] / lines.count() <= 0.85
    for workshop in Workshop.objects.of(organisation).filter(date__lt=today).prefetch_related("attendances"):
        registered = {line.beneficiary_id for line in workshop.attendances.all()}
        assert 6 <= len(registered) <= 15, workshop
        assert registered <= set(workshop.expected_trainees().values_list("pk", flat=True)), workshop
    for line in lines.select_related("workshop"):
        if line.status == AttendanceStatus.PRESENT:
            assert 0 < line.hours <= line.workshop.hours
        else:
            assert line.hours == 0
    twice = lines.values("beneficiary", "workshop__date", "workshop__start_time").annotate(n=Count("pk"))
    assert not twice.filter(n__gt=1).exists()
    # A few people miss far more often than the others.
    absences = Counter(lines.exclude(status=AttendanceStatus.PRESENT).values_list("beneficiary", flat=True))
    registered = Counter(lines.values_list("beneficiary", flat=True))
    rates = sorted(absences[person] / registered[person] for person in registered if registered[person] >= 20)
    assert rates[-1] >= 0.4 > rates[len(rates) // 2]


def test_the_trainer_has_workshops_today_and_next_week_with_no_register_yet(seeded):
    organisation, _ = seeded
    today = timezone.localdate()
    led = Workshop.objects.of(organisation).filter(trainers=_karim())

    todays = led.filter(date=today)
    assert todays.exists()
    assert not Attendance.objects.filter(workshop__in=todays).exists()
    assert Attendance.objects.filter(workshop__in=led.filter(date=today - datetime.timedelta(days=1))).exists()
    next_week = led.between(today + datetime.timedelta(days=6), today + datetime.timedelta(days=9))
    assert next_week.count() >= 4


def test_harvests_weigh_a_few_tonnes_picked_in_season(seeded):
    organisation, _ = seeded
    today = timezone.localdate()
    harvests = Harvest.objects.filter(organisation=organisation).select_related("workshop", "variety")

    (before_last, _end), (last, _last_day) = _calendar_years()
    kg = [
        harvests.filter(date__year=start.year).aggregate(total=Sum("weight_kg"))["total"]
        for start in (before_last, last)
    ]
    assert all(2000 < total < 7000 for total in kg), kg
    assert kg[0] < kg[1]  # the year before last was a wet one (demo.YEAR_YIELD)
    assert not harvests.filter(date__gte=today).exists()
    assert {Unit.KG, Unit.BUNCH, Unit.PIECE} <= set(harvests.values_list("unit", flat=True))
    tomato_months = set(harvests.filter(variety__species="Tomate").values_list("date__month", flat=True))
    assert tomato_months and tomato_months <= {7, 8, 9, 10}
    assert harvests.filter(date__month__in=[12, 1, 2], variety__species__in=["Poireau", "Chou", "Mâche"]).exists()
    per_day = harvests.values("date", "site").annotate(n=Count("pk"))
    assert max(row["n"] for row in per_day) <= 4
    for harvest in harvests:
        assert (harvest.workshop.date, harvest.workshop.site_id) == (harvest.date, harvest.site_id)
        assert harvest.workshop.kind.code == "market-gardening"
        assert harvest.recorded_by in harvest.workshop.trainers.all()
        if harvest.unit == Unit.KG:
            assert harvest.weight_kg == harvest.quantity


def test_some_fifteen_trainees_a_year_have_skills_evaluations_on_the_whole_grid(seeded):
    organisation, _ = seeded
    today = timezone.localdate()
    evaluations = SkillEvaluation.objects.filter(beneficiary__organisation=organisation)
    criteria = SkillCriterion.objects.filter(organisation=organisation).count()
    trainers = set(
        Membership.objects.filter(organisation=organisation, is_trainer=True).values_list("user", flat=True)
    )
    levels = Counter(SkillRating.objects.filter(evaluation__in=evaluations).values_list("level", flat=True))

    per_person = Counter(evaluations.values_list("beneficiary", flat=True))
    assert 40 <= len(per_person) <= 50
    assert set(per_person.values()) <= {1, 2, 3}
    assert (levels[2] + levels[3]) / sum(levels.values()) >= 0.7
    for evaluation in evaluations.annotate(ratings_count=Count("ratings")):
        assert evaluation.ratings_count == criteria
        assert evaluation.evaluator_id in trainers
        assert evaluation.date < today and evaluation.comment
        assert Attendance.objects.filter(
            beneficiary=evaluation.beneficiary, workshop__date=evaluation.date, status=AttendanceStatus.PRESENT
        ).exists()
    # Later evaluations never go down on average: the trainees progress.
    for person in per_person:
        averages = [
            sum(rating.level for rating in evaluation.ratings.all()) / criteria
            for evaluation in evaluations.filter(beneficiary=person).order_by("date").prefetch_related("ratings")
        ]
        assert averages == sorted(averages)


def test_every_demo_record_passes_the_models_validation(seeded):
    organisation, _ = seeded

    for model in [Site, Plot, Equipment, Workshop, SkillEvaluation]:
        for record in model.objects.all():
            record.full_clean()
    # A sample of the larger tables (each validation runs a few queries): some 600 rows.
    for model, step in [(Harvest, 6), (Attendance, 30), (SkillRating, 15)]:
        for record in model.objects.order_by("pk")[::step]:
            record.full_clean()


def test_running_the_seed_twice_adds_nothing(seeded):
    first = _counts()

    _, out = _seed()

    assert _counts() == first
    assert "already has sites" in out


def _twin(organisation, slug):
    """Another organisation with the default lists and the same staff, in the same order."""
    twin = organisation_create(slug=slug, name=f"Jumelle {slug}")
    for membership in Membership.objects.filter(organisation=organisation).order_by("pk"):
        member_add(organisation=twin, email=membership.user.email, roles=membership.roles)
    return twin


def _seed_twin(organisation, slug):
    twin = _twin(organisation, slug)
    beneficiaries_demo.seed(twin, rng=random.Random("2016:beneficiaries.demo"), stdout=io.StringIO())
    demo.seed(twin, rng=random.Random("2016:gardens.demo"), stdout=io.StringIO())
    return twin


def _plan(organisation):
    """What must not depend on the day: each workshop's kind, place and trainers, and the weekly rhythm."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    workshops = Workshop.objects.of(organisation).prefetch_related("trainers").select_related("kind", "site")
    return {
        "workshops": Counter(
            (
                workshop.kind.code,
                workshop.site.name if workshop.site else None,
                workshop.neighbourhood_id is not None,
                tuple(sorted(user.email for user in workshop.trainers.all())),
            )
            for workshop in workshops
        ),
        "market gardening by week": Counter(
            (workshop.date - monday).days // 7 for workshop in workshops if workshop.kind.code == "market-gardening"
        ),
    }


def test_the_same_rng_gives_the_same_workshops(seeded):
    organisation, _ = seeded

    twin = _seed_twin(organisation, "jumelle")

    def rows(organisation):
        return list(
            Workshop.objects.of(organisation)
            .order_by("date", "start_time", "kind__code", "site__name")
            .values_list("date", "start_time", "kind__code", "site__name", "theme", "menu")
        )

    assert rows(twin) == rows(organisation)
    assert _plan(twin) == _plan(organisation)


EASTER_MONDAY_2027 = datetime.date(2027, 3, 29)
MOMENTS = [
    datetime.datetime(2026, 11, 21, 16, 0),  # a Saturday: this week's workshops are over
    datetime.datetime(2027, 3, 29, 9, 0),  # Easter Monday: today's workshops move to another day
    datetime.datetime(2025, 12, 25, 12, 0),  # Christmas, a Thursday
    datetime.datetime(2028, 2, 29, 18, 0),  # a leap day
]


def test_the_number_and_the_rhythm_of_workshops_do_not_depend_on_the_day(seeded):
    organisation, _ = seeded
    reference = _plan(organisation)

    for moment in MOMENTS:
        with time_machine.travel(timezone.make_aware(moment), tick=False):
            twin = _seed_twin(organisation, f"jumelle-{moment:%Y%m%d}")
            today = timezone.localdate()
            assert _plan(twin) == reference, moment
            assert not Workshop.objects.of(twin).filter(date=EASTER_MONDAY_2027).exists()
            coming = Workshop.objects.of(twin).filter(trainers=_karim()).between(today, today + datetime.timedelta(7))
            assert coming.count() >= 4, moment
            assert not Attendance.objects.filter(workshop__organisation=twin, workshop__date__gte=today).exists()
            assert not Harvest.objects.filter(organisation=twin, date__gte=today).exists()
            harvests = Harvest.objects.filter(organisation=twin)
            kg = [
                harvests.filter(date__year=today.year - n).aggregate(total=Sum("weight_kg"))["total"] for n in (2, 1)
            ]
            assert kg[0] < kg[1], moment  # the wet year before last, whatever the day (demo.YEAR_YIELD)
            assert not SkillEvaluation.objects.filter(beneficiary__organisation=twin, date__gte=today).exists()
