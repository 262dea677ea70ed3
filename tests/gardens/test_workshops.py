"""The technical trainer's tool: sites, workshops and terms, the attendance register, harvests, the home page."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from beneficiaries.models import Enrolment
from gardens.models import Attendance, Harvest, Site, TimetableSlot, Variety, Workshop
from insertion.models import Programme, WorkshopKind
from tests.beneficiaries.factories import BeneficiaryFactory, EnrolmentFactory
from tests.gardens.factories import AttendanceFactory, HarvestFactory, SiteFactory, WorkshopFactory
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_and_english(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 11, 18, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


@pytest.fixture
def site(organisation):
    return SiteFactory(organisation=organisation, name="Le Vignoble")


@pytest.fixture
def workshop(site, trainer):
    return WorkshopFactory(site=site, date=datetime.date(2026, 11, 18), trainers=[trainer])


def _enrolled(organisation, count, **kwargs):
    return [EnrolmentFactory(beneficiary__organisation=organisation, **kwargs).beneficiary for _ in range(count)]


class TestRegister:
    def test_the_register_lists_the_people_enrolled_on_that_day_only(self, trainer_client, organisation, workshop):
        present = _enrolled(organisation, 2)
        EnrolmentFactory(beneficiary__organisation=organisation, entry_date=datetime.date(2026, 11, 19))  # later
        EnrolmentFactory(beneficiary__organisation=organisation, exited=True)  # left in June
        response = trainer_client.get(reverse("gardens:register", args=[workshop.pk]))
        assert {trainee.pk for trainee, _s, _h in response.context["form"].lines()} == {b.pk for b in present}

    def test_the_hours_read_as_a_trainer_types_them(self, trainer_client, organisation, workshop):
        newcomer, late = _enrolled(organisation, 2)
        Attendance.objects.create(workshop=workshop, beneficiary=late, status="present", hours=Decimal("1.50"))
        page = trainer_client.get(reverse("gardens:register", args=[workshop.pk])).content.decode()
        assert f'name="hours-{newcomer.pk}" value="2"' in page  # the workshop's 2 hours, not "2.00"
        assert f'name="hours-{late.pk}" value="1.5"' in page

    def test_a_group_is_saved_in_one_request(self, trainer_client, organisation, workshop):
        late, absent, excused, unmarked = _enrolled(organisation, 4)
        response = trainer_client.post(
            reverse("gardens:register", args=[workshop.pk]),
            {
                f"status-{late.pk}": "present",
                f"hours-{late.pk}": "1.5",
                f"status-{absent.pk}": "absent",
                f"hours-{absent.pk}": "2",
                f"status-{excused.pk}": "excused",
                f"hours-{unmarked.pk}": "2",
            },
        )
        assert response.status_code == 302
        recorded = {a.beneficiary_id: (a.status, a.hours) for a in Attendance.objects.all()}
        assert recorded == {
            late.pk: ("present", Decimal("1.50")),
            absent.pk: ("absent", Decimal("0")),
            excused.pk: ("excused", Decimal("0")),
        }

    def test_saving_again_updates_and_unmarking_removes(self, trainer_client, organisation, workshop):
        first, second = _enrolled(organisation, 2)
        AttendanceFactory(workshop=workshop, beneficiary=first, status="absent", hours=0)
        AttendanceFactory(workshop=workshop, beneficiary=second)
        trainer_client.post(
            reverse("gardens:register", args=[workshop.pk]),
            {f"status-{first.pk}": "present", f"hours-{first.pk}": "2"},
        )
        assert list(Attendance.objects.values_list("beneficiary_id", "status")) == [(first.pk, "present")]

    @pytest.mark.parametrize(
        ("hours", "message"), [("2.5", "At most 2"), ("0", "Present with 0 hours"), ("", "Give the hours")]
    )
    def test_wrong_hours_are_refused_on_the_line_and_nothing_is_saved(
        self, trainer_client, organisation, workshop, hours, message
    ):
        ok, wrong = _enrolled(organisation, 2)
        response = trainer_client.post(
            reverse("gardens:register", args=[workshop.pk]),
            {
                f"status-{ok.pk}": "present",
                f"hours-{ok.pk}": "2",
                f"status-{wrong.pk}": "present",
                f"hours-{wrong.pk}": hours,
            },
        )
        assert response.status_code == 200
        assert message in response.context["form"].errors[f"hours-{wrong.pk}"][0]
        assert not Attendance.objects.exists()

    def test_someone_not_enrolled_that_day_cannot_be_recorded(self, trainer_client, organisation, workshop):
        enrolled = _enrolled(organisation, 1)[0]
        stranger = BeneficiaryFactory(organisation=organisation)
        response = trainer_client.post(
            reverse("gardens:register", args=[workshop.pk]),
            {f"status-{enrolled.pk}": "present", f"hours-{enrolled.pk}": "2", f"status-{stranger.pk}": "present"},
        )
        assert response.status_code == 200
        assert "not enrolled on the day" in str(response.context["form"].non_field_errors())
        assert not Attendance.objects.exists()

    def test_two_records_for_one_person_in_one_workshop_are_impossible(self, workshop, organisation):
        from django.db import IntegrityError

        person = _enrolled(organisation, 1)[0]
        AttendanceFactory(workshop=workshop, beneficiary=person)
        with pytest.raises(IntegrityError):
            AttendanceFactory(workshop=workshop, beneficiary=person)

    def test_the_register_of_25_renders_and_saves_with_a_fixed_number_of_queries(
        self, trainer_client, organisation, workshop, django_assert_num_queries
    ):
        people = _enrolled(organisation, 25)
        url = reverse("gardens:register", args=[workshop.pk])
        with django_assert_num_queries(8):
            trainer_client.get(url)
        data = {f"status-{p.pk}": "present" for p in people} | {f"hours-{p.pk}": "2" for p in people}
        # session, user, memberships, savepoint, workshop, trainees, attendance, then one insert (and its
        # savepoint and release), the insert of their history rows, release
        with django_assert_num_queries(12):
            trainer_client.post(url, data)
        assert Attendance.objects.count() == 25
        data[f"status-{people[0].pk}"] = "absent"
        with django_assert_num_queries(12):  # the update, and the insert of its history row
            trainer_client.post(url, data)
        assert Attendance.objects.filter(status="absent").count() == 1

    def test_social_workers_read_the_register_but_cannot_change_it(
        self, client, social_worker, organisation, workshop
    ):
        person = _enrolled(organisation, 1)[0]
        client.force_login(social_worker)
        assert client.get(reverse("gardens:register", args=[workshop.pk])).status_code == 200
        response = client.post(reverse("gardens:register", args=[workshop.pk]), {f"status-{person.pk}": "present"})
        assert response.status_code == 403
        assert not Attendance.objects.exists()


class TestWorkshops:
    def test_a_workshop_defaults_to_the_timetable_and_lasts_two_hours(self, trainer_client, organisation):
        TimetableSlot.objects.filter(organisation=organisation, weekday=2).delete()
        TimetableSlot.objects.create(
            organisation=organisation, weekday=2, start_time=datetime.time(14), end_time=datetime.time(16)
        )
        form = trainer_client.get(reverse("gardens:workshop_create"), {"date": "2026-11-18"}).context["form"]
        assert (form.initial["start_time"], form.initial["end_time"]) == (datetime.time(14), datetime.time(16))

    def test_an_end_before_the_start_and_no_place_are_refused(self, trainer_client, organisation):
        kind = WorkshopKind.objects.get(organisation=organisation, code="health")
        response = trainer_client.post(
            reverse("gardens:workshop_create"),
            {
                "date": "18/11/2026",
                "start_time": "10:00",
                "end_time": "09:00",
                "kind": kind.pk,
                "unregistered_participants": "0",
            },
        )
        errors = response.context["form"].errors
        assert "after the start" in errors["end_time"][0]
        assert "Choose a site" in errors["site"][0]
        assert not Workshop.objects.exists()

    def test_a_solidarity_table_in_town_with_its_menu(self, trainer_client, organisation, trainer):
        from insertion.models import Neighbourhood

        kind = WorkshopKind.objects.get(organisation=organisation, code="solidarity-table")
        neighbourhood = Neighbourhood.objects.get(organisation=organisation, code="chasse-royale")
        restos = PartnerFactory(organisation=organisation, name="Restos du Cœur", co_leads_workshops=True)
        response = trainer_client.post(
            reverse("gardens:workshop_create"),
            {
                "date": "19/11/2026",
                "start_time": "11:30",
                "end_time": "14h",
                "kind": kind.pk,
                "neighbourhood": neighbourhood.pk,
                "trainers": [trainer.pk],
                "co_leading_partner": restos.pk,
                "menu": "Velouté de potiron, gratin de poireaux",
                "unregistered_participants": "12",
            },
        )
        assert response.status_code == 302
        workshop = Workshop.objects.get()
        assert (workshop.neighbourhood, workshop.site, workshop.hours) == (neighbourhood, None, Decimal("2.50"))
        assert workshop.co_leading_partner == restos

    def test_a_terms_workshops_are_created_in_one_go(self, trainer_client, organisation, site, trainer):
        slots = TimetableSlot.objects.filter(
            organisation=organisation, start_time=datetime.time(8), weekday__in=[0, 3]
        )
        kind = WorkshopKind.objects.get(organisation=organisation, code="market-gardening")
        response = trainer_client.post(
            reverse("gardens:workshop_term"),
            {
                "start": "02/11/2026",
                "end": "15/11/2026",
                "slots": [slot.pk for slot in slots],
                "kind": kind.pk,
                "site": site.pk,
                "trainers": [trainer.pk],
                "skip": "11/11/2026, 12/11/2026",
            },
        )
        assert response.status_code == 302
        dates = sorted(Workshop.objects.values_list("date", flat=True))
        assert dates == [datetime.date(2026, 11, 2), datetime.date(2026, 11, 5), datetime.date(2026, 11, 9)]
        assert all(list(w.trainers.all()) == [trainer] for w in Workshop.objects.all())

    def test_a_term_ending_before_it_starts_is_refused(self, trainer_client, organisation, site):
        response = trainer_client.post(
            reverse("gardens:workshop_term"),
            {
                "start": "15/11/2026",
                "end": "01/11/2026",
                "slots": [TimetableSlot.objects.first().pk],
                "kind": WorkshopKind.objects.first().pk,
                "site": site.pk,
                "skip": "le 11 novembre",
            },
        )
        errors = response.context["form"].errors
        assert "after its start" in errors["end"][0]
        assert "is not a date" in errors["skip"][0]
        assert not Workshop.objects.exists()

    def test_the_week_view_runs_a_fixed_number_of_queries(
        self, trainer_client, site, trainer, django_assert_num_queries
    ):
        for day in range(16, 20):
            WorkshopFactory(
                site=site,
                date=datetime.date(2026, 11, day),
                trainers=[trainer],
                co_leading_partner=PartnerFactory(organisation=site.organisation, name=f"Partenaire du {day}"),
            )
        with django_assert_num_queries(7):  # the co-leading partners come with the workshops
            response = trainer_client.get(reverse("gardens:workshop_list"))
        assert sum(len(items) for _day, items in response.context["by_day"]) == 4
        assert "Partenaire du 19" in response.content.decode()


class TestHarvests:
    def test_several_varieties_are_entered_at_once(self, trainer_client, organisation, site, workshop, trainer):
        tomato, radish, lettuce = (
            Variety.objects.get(organisation=organisation, code=code)
            for code in ("tomate-coeur-de-boeuf", "radis", "laitue-batavia")
        )
        response = trainer_client.post(
            reverse("gardens:harvest_create"),
            {
                "date": "18/11/2026",
                "site": site.pk,
                "workshop": workshop.pk,
                "lines-TOTAL_FORMS": "5",
                "lines-INITIAL_FORMS": "0",
                "lines-0-variety": tomato.pk,
                "lines-0-quantity": "12.5",
                "lines-0-unit": "kg",
                "lines-1-variety": radish.pk,
                "lines-1-quantity": "8",
                "lines-1-unit": "bunch",
                "lines-1-weight_kg": "2.4",
                "lines-2-variety": lettuce.pk,
                "lines-2-quantity": "15",
                "lines-2-unit": "piece",
                "lines-2-weight_kg": "6",
            },
        )
        assert response.status_code == 302, (response.context["header"].errors, response.context["lines"].errors)
        harvests = {h.variety_id: (h.quantity, h.unit, h.weight_kg) for h in Harvest.objects.all()}
        assert harvests == {
            tomato.pk: (Decimal("12.50"), "kg", Decimal("12.50")),
            radish.pk: (Decimal("8.00"), "bunch", Decimal("2.40")),
            lettuce.pk: (Decimal("15.00"), "piece", Decimal("6.00")),
        }
        assert {h.recorded_by for h in Harvest.objects.all()} == {trainer}

    @pytest.mark.parametrize(
        ("line", "field", "message"),
        [
            ({"lines-0-quantity": "0", "lines-0-unit": "kg"}, "quantity", "more than zero"),
            ({"lines-0-quantity": "-3", "lines-0-unit": "kg"}, "quantity", "more than zero"),
            ({"lines-0-quantity": "4", "lines-0-unit": "bunch"}, "weight_kg", "Give the weight"),
        ],
    )
    def test_a_wrong_line_refuses_the_whole_harvest(self, trainer_client, organisation, site, line, field, message):
        variety = Variety.objects.filter(organisation=organisation).first()
        data = {
            "date": "18/11/2026",
            "site": site.pk,
            "lines-TOTAL_FORMS": "5",
            "lines-INITIAL_FORMS": "0",
            "lines-1-variety": variety.pk,
            "lines-1-quantity": "3",
            "lines-1-unit": "kg",
            "lines-0-variety": variety.pk,
            **line,
        }
        response = trainer_client.post(reverse("gardens:harvest_create"), data)
        assert response.status_code == 200
        assert message in response.context["lines"].forms[0].errors[field][0]
        assert not Harvest.objects.exists()

    def test_an_empty_harvest_is_refused(self, trainer_client, site):
        response = trainer_client.post(
            reverse("gardens:harvest_create"),
            {"date": "18/11/2026", "site": site.pk, "lines-TOTAL_FORMS": "5", "lines-INITIAL_FORMS": "0"},
        )
        assert "at least one variety" in str(response.context["lines"].non_form_errors())

    def test_the_harvest_list_runs_a_fixed_number_of_queries(self, trainer_client, site, django_assert_num_queries):
        for _ in range(30):
            HarvestFactory(site=site)
        with django_assert_num_queries(9):
            trainer_client.get(reverse("gardens:harvest_list"))


class TestSites:
    def test_a_site_with_records_is_archived_not_deleted(self, trainer_client, site):
        HarvestFactory(site=site)
        response = trainer_client.post(reverse("gardens:site_delete", args=[site.pk]), follow=True)
        assert "archive it instead" in response.content.decode()
        assert Site.objects.filter(pk=site.pk).exists()
        trainer_client.post(reverse("gardens:site_archive", args=[site.pk]))
        site.refresh_from_db()
        assert site.is_archived

    def test_a_site_without_records_can_be_deleted(self, trainer_client, site):
        trainer_client.post(reverse("gardens:site_delete", args=[site.pk]))
        assert not Site.objects.filter(pk=site.pk).exists()

    def test_a_site_is_created_with_its_plots_and_equipment(self, trainer_client, organisation):
        response = trainer_client.post(
            reverse("gardens:site_create"),
            {
                "name": "Blaise Pascal",
                "kind": "urban_plot",
                "area_m2": "2500",
                "plots-TOTAL_FORMS": "1",
                "plots-INITIAL_FORMS": "0",
                "plots-0-name": "Parcelle A",
                "equipment-TOTAL_FORMS": "1",
                "equipment-INITIAL_FORMS": "0",
                "equipment-0-kind": "greenhouse",
                "equipment-0-quantity": "2",
            },
        )
        assert response.status_code == 302
        site = Site.objects.get(name="Blaise Pascal")
        assert [p.name for p in site.plots.all()] == ["Parcelle A"]
        assert [(e.kind, e.quantity) for e in site.equipment.all()] == [("greenhouse", 2)]


class TestTrainerHome:
    def test_the_home_shows_todays_workshops_and_the_months_hours(self, trainer_client, organisation, workshop):
        person = _enrolled(organisation, 1)[0]
        earlier = WorkshopFactory(site=workshop.site, date=datetime.date(2026, 11, 2))
        AttendanceFactory(workshop=earlier, beneficiary=person, hours=Decimal("2"))
        AttendanceFactory(
            workshop=WorkshopFactory(site=workshop.site, date=datetime.date(2026, 10, 30)),
            beneficiary=person,
            hours=Decimal("2"),
        )
        response = trainer_client.get(reverse("gardens:home"))
        assert [w.pk for w in response.context["today_workshops"]] == [workshop.pk]
        assert [w.pk for w in response.context["week_workshops"]] == []
        assert [w.pk for w in response.context["to_complete"]] == []

        assert {t.pk: t.month_hours for t in response.context["trainees"]} == {person.pk: Decimal("2")}

    def test_the_home_lists_the_registers_still_to_take_and_the_coming_days(self, trainer_client, workshop):
        forgotten = WorkshopFactory(site=workshop.site, date=datetime.date(2026, 11, 16))
        sunday_next = WorkshopFactory(site=workshop.site, date=datetime.date(2026, 11, 22))
        response = trainer_client.get(reverse("gardens:home"))
        assert [w.pk for w in response.context["to_complete"]] == [forgotten.pk]
        assert [w.pk for w in response.context["week_workshops"]] == [sunday_next.pk]

    def test_the_home_runs_a_fixed_number_of_queries(
        self, trainer_client, organisation, site, trainer, django_assert_num_queries
    ):
        for day in (16, 17, 18, 19):
            WorkshopFactory(site=site, date=datetime.date(2026, 11, day), trainers=[trainer])
        _enrolled(organisation, 10)
        with django_assert_num_queries(8):
            trainer_client.get(reverse("gardens:home"))

    def test_the_trainer_sees_no_social_data_of_a_trainee(self, trainer_client, organisation, workshop):
        from insertion.models import SocialSituation

        person = EnrolmentFactory(
            beneficiary__organisation=organisation,
            beneficiary__phone="06 11 22 33 44",
            beneficiary__birth_date=datetime.date(1971, 7, 14),
        ).beneficiary
        person.social_situations.set([SocialSituation.objects.get(organisation=organisation, code="homeless")])
        for url in (reverse("gardens:home"), reverse("gardens:register", args=[workshop.pk])):
            page = trainer_client.get(url).content.decode()
            assert person.last_name.upper() in page
            for secret in ("06 11 22 33 44", "14/07/1971", "Sans domicile"):
                assert secret not in page


def test_workshops_of_another_programme_list_only_its_trainees(organisation, site):
    chantier = Programme.objects.create(organisation=organisation, code="chantier", label="Chantier Tremplin")
    gardener = EnrolmentFactory(beneficiary__organisation=organisation).beneficiary
    builder = Enrolment.objects.create(
        beneficiary=BeneficiaryFactory(organisation=organisation),
        programme=chantier,
        entry_date=datetime.date(2026, 1, 5),
    ).beneficiary
    workshop = WorkshopFactory(site=site, programme=chantier)
    assert list(workshop.expected_trainees()) == [builder]
    assert gardener not in workshop.expected_trainees()


@pytest.mark.parametrize(
    ("url_name", "persona", "queries"),
    [("gardens:site_list", "trainer", 6), ("gardens:variety_list", "trainer", 7), ("gardens:trainees", "trainer", 7)],
)
def test_the_lists_run_a_fixed_number_of_queries(
    client, organisation, url_name, persona, queries, request, django_assert_num_queries
):
    def grow():
        site = SiteFactory(organisation=organisation)
        HarvestFactory(site=site)
        AttendanceFactory(
            workshop=WorkshopFactory(site=site, date=datetime.date(2026, 11, 2)),
            beneficiary=EnrolmentFactory(beneficiary__organisation=organisation).beneficiary,
        )

    grow()
    client.force_login(request.getfixturevalue(persona))
    with django_assert_num_queries(queries):
        client.get(reverse(url_name))
    for _ in range(5):
        grow()
    with django_assert_num_queries(queries):
        client.get(reverse(url_name))
