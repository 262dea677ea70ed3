"""The social worker's tool: files, enrolments, assessments, interviews, plans, the dashboard and the list."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from beneficiaries.enums import ActionStatus, Domain, EnrolmentStatus, Relaunch
from beneficiaries.models import Action, Assessment, Beneficiary, Enrolment, Interview, Objective
from insertion.models import ExitOutcome, Neighbourhood, Programme, SocialSituation
from tests.beneficiaries.factories import (
    ActionFactory,
    AssessmentItemFactory,
    BeneficiaryFactory,
    EnrolmentFactory,
    InterviewFactory,
    ObjectiveFactory,
)
from tests.partners.factories import ReferralFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_and_english(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def sw_client(client, social_worker):
    client.force_login(social_worker)
    return client


def _file_data(organisation, **overrides):
    data = {
        "first_name": "Jeanne",
        "last_name": "Martin",
        "sex": "F",
        "birth_date": "17/05/1980",
        "city": "Valenciennes",
        "neighbourhood": Neighbourhood.objects.get(organisation=organisation, code="saint-waast").pk,
        "social_situations": [SocialSituation.objects.get(organisation=organisation, code="rsa").pk],
        "enrolment-programme": Programme.objects.get(organisation=organisation).pk,
        "enrolment-entry_date": "02/11/2026",
    }
    data.update(overrides)
    return data


class TestBeneficiaryFile:
    def test_a_social_worker_opens_a_file_and_enrols_the_person(self, sw_client, organisation, social_worker):
        response = sw_client.post(reverse("beneficiaries:create"), _file_data(organisation, referent=social_worker.pk))
        beneficiary = Beneficiary.objects.get(last_name="Martin")
        assert response["Location"] == beneficiary.get_absolute_url()
        assert beneficiary.organisation == organisation
        assert beneficiary.birth_date == datetime.date(1980, 5, 17)
        assert list(beneficiary.social_situations.values_list("code", flat=True)) == ["rsa"]
        enrolment = beneficiary.enrolments.get()
        assert (enrolment.entry_date, enrolment.exit_date) == (datetime.date(2026, 11, 2), None)

    def test_a_likely_duplicate_is_shown_and_needs_a_confirmation(self, sw_client, organisation):
        existing = BeneficiaryFactory(
            organisation=organisation, first_name="Jeanne", last_name="MARTIN", birth_date=datetime.date(1980, 5, 17)
        )
        response = sw_client.post(reverse("beneficiaries:create"), _file_data(organisation))
        assert response.status_code == 200
        assert "already exists" in response.context["form"].errors["confirm_duplicate"][0]
        assert existing.get_absolute_url() in response.content.decode()
        assert Beneficiary.objects.count() == 1
        confirmed = sw_client.post(reverse("beneficiaries:create"), _file_data(organisation, confirm_duplicate="on"))
        assert confirmed.status_code == 302
        assert Beneficiary.objects.count() == 2

    def test_the_same_person_in_another_organisation_is_not_a_duplicate(
        self, sw_client, organisation, other_organisation
    ):
        BeneficiaryFactory(organisation=other_organisation, first_name="Jeanne", last_name="Martin")
        response = sw_client.post(reverse("beneficiaries:create"), _file_data(organisation))
        assert response.status_code == 302

    @pytest.mark.parametrize(
        ("birth_date", "message"),
        [
            ("01/01/2027", "cannot be in the future"),
            ("01/01/2015", "at least 16 years old"),
            ("31/02/1980", "Enter a date as dd/mm/yyyy"),
        ],
    )
    def test_an_impossible_date_of_birth_is_refused_on_the_field_and_nothing_is_saved(
        self, sw_client, organisation, birth_date, message
    ):
        response = sw_client.post(reverse("beneficiaries:create"), _file_data(organisation, birth_date=birth_date))
        assert response.status_code == 200
        assert message in response.context["form"].errors["birth_date"][0]
        assert not Beneficiary.objects.exists()
        assert not Enrolment.objects.exists()

    def test_another_organisations_neighbourhood_cannot_be_chosen(self, sw_client, organisation, other_organisation):
        theirs = Neighbourhood.objects.get(organisation=other_organisation, code="saint-waast")
        response = sw_client.post(reverse("beneficiaries:create"), _file_data(organisation, neighbourhood=theirs.pk))
        assert "neighbourhood" in response.context["form"].errors
        assert not Beneficiary.objects.exists()

    def test_the_file_shows_both_education_scales(self, sw_client, organisation):
        from insertion.models import EducationLevel

        level = EducationLevel.objects.get(organisation=organisation, code="cap-bep-last-year")
        beneficiary = BeneficiaryFactory(organisation=organisation, education_level=level)
        page = sw_client.get(beneficiary.get_absolute_url()).content.decode()
        assert "level Vbis (1969 scale), below 3 (2019 scale)" in page


class TestEnrolments:
    def test_a_second_open_enrolment_in_the_same_programme_is_refused(self, sw_client, organisation):
        enrolment = EnrolmentFactory(beneficiary__organisation=organisation)
        response = sw_client.post(
            reverse("beneficiaries:enrolment_add", args=[enrolment.beneficiary.pk]),
            {"programme": enrolment.programme.pk, "entry_date": "01/11/2026"},
        )
        assert response.status_code == 200
        assert "already enrolled" in response.context["form"].errors["entry_date"][0]
        assert Enrolment.objects.count() == 1

    def test_the_person_exits_with_an_outcome(self, sw_client, organisation):
        enrolment = EnrolmentFactory(beneficiary__organisation=organisation)
        outcome = ExitOutcome.objects.get(organisation=organisation, code="other-insertion-structure")
        response = sw_client.post(
            reverse("beneficiaries:enrolment_edit", args=[enrolment.pk]),
            {
                "programme": enrolment.programme.pk,
                "entry_date": "05/01/2026",
                "exit_date": "30/10/2026",
                "exit_outcome": outcome.pk,
                "exit_comment": "CDDI à l'ACI AGEVAL",
            },
        )
        assert response.status_code == 302
        enrolment.refresh_from_db()
        assert (enrolment.exit_date, enrolment.exit_outcome) == (datetime.date(2026, 10, 30), outcome)

    @pytest.mark.parametrize(
        ("exit_date", "outcome", "field", "message"),
        [
            ("01/01/2026", True, "exit_date", "cannot be before the entry"),
            ("30/10/2026", False, "exit_outcome", "Choose the outcome"),
            ("", True, "exit_date", "Give the date of the exit"),
            ("01/12/2026", True, "exit_date", "cannot be in the future"),
        ],
    )
    def test_an_inconsistent_exit_is_refused_on_the_field(
        self, sw_client, organisation, exit_date, outcome, field, message
    ):
        enrolment = EnrolmentFactory(beneficiary__organisation=organisation)
        data = {"programme": enrolment.programme.pk, "entry_date": "05/01/2026", "exit_date": exit_date}
        if outcome:
            data["exit_outcome"] = ExitOutcome.objects.get(organisation=organisation, code="cdi").pk
        response = sw_client.post(reverse("beneficiaries:enrolment_edit", args=[enrolment.pk]), data)
        assert response.status_code == 200
        assert message in response.context["form"].errors[field][0]
        enrolment.refresh_from_db()
        assert enrolment.exit_date is None

    def test_a_person_comes_back_after_an_exit(self, sw_client, organisation):
        first = EnrolmentFactory(beneficiary__organisation=organisation, exited=True)
        response = sw_client.post(
            reverse("beneficiaries:enrolment_add", args=[first.beneficiary.pk]),
            {"programme": first.programme.pk, "entry_date": "02/11/2026"},
        )
        assert response.status_code == 302
        assert first.beneficiary.enrolments.count() == 2

    def test_a_return_overlapping_the_previous_stay_is_refused(self, sw_client, organisation):
        first = EnrolmentFactory(beneficiary__organisation=organisation, exited=True)
        response = sw_client.post(
            reverse("beneficiaries:enrolment_add", args=[first.beneficiary.pk]),
            {"programme": first.programme.pk, "entry_date": "01/06/2026"},
        )
        assert "already enrolled" in response.context["form"].errors["entry_date"][0]


class TestAssessments:
    def test_the_entry_assessment_is_saved_by_domain(self, sw_client, organisation, social_worker):
        beneficiary = BeneficiaryFactory(organisation=organisation)
        response = sw_client.post(
            reverse("beneficiaries:assessment_add", args=[beneficiary.pk]),
            {
                "date": "10/11/2026",
                "kind": "entry",
                "autonomy": "2",
                "security": "1",
                "housing-level": "1",
                "housing-situation": "Hébergée au CHRS",
                "housing-obstacles": "Pas de garant",
                "health-level": "2",
            },
        )
        assert response.status_code == 302
        assessment = Assessment.objects.get()
        assert (assessment.author, assessment.autonomy, assessment.security) == (social_worker, 2, 1)
        assert dict(assessment.items.values_list("domain", "level")) == {"housing": 1, "health": 2}

    def test_a_domain_described_without_a_level_is_refused_on_its_level(self, sw_client, organisation):
        beneficiary = BeneficiaryFactory(organisation=organisation)
        response = sw_client.post(
            reverse("beneficiaries:assessment_add", args=[beneficiary.pk]),
            {"date": "10/11/2026", "kind": "entry", "autonomy": "2", "security": "1", "mobility-situation": "x"},
        )
        assert "Give a level" in response.context["form"].errors["mobility-level"][0]
        assert not Assessment.objects.exists()

    def test_an_assessment_with_no_domain_or_in_the_future_is_refused(self, sw_client, organisation):
        beneficiary = BeneficiaryFactory(organisation=organisation)
        url = reverse("beneficiaries:assessment_add", args=[beneficiary.pk])
        empty = sw_client.post(url, {"date": "10/11/2026", "kind": "entry", "autonomy": "2", "security": "1"})
        assert "at least one domain" in str(empty.context["form"].non_field_errors())
        future = sw_client.post(
            url, {"date": "10/12/2026", "kind": "entry", "autonomy": "2", "security": "1", "health-level": "2"}
        )
        assert "future" in future.context["form"].errors["date"][0]
        assert not Assessment.objects.exists()

    def test_a_reassessment_replaces_the_levels_it_changes_and_drops_emptied_domains(self, sw_client, organisation):
        item = AssessmentItemFactory(assessment__beneficiary__organisation=organisation, domain=Domain.HEALTH)
        AssessmentItemFactory(assessment=item.assessment, domain=Domain.HOUSING)
        url = reverse("beneficiaries:assessment_edit", args=[item.assessment.pk])
        version = sw_client.get(url).context["form"].initial["version"]  # optimistic locking: the version opened
        response = sw_client.post(
            url,
            {"date": "05/01/2026", "kind": "entry", "autonomy": "3", "security": "2", "health-level": "4"}
            | {"version": version},
        )
        assert response.status_code == 302
        assert dict(item.assessment.items.values_list("domain", "level")) == {"health": 4}


class TestInterviews:
    def test_a_monthly_interview_with_a_confidential_note_and_the_next_appointment(
        self, sw_client, organisation, social_worker
    ):
        beneficiary = BeneficiaryFactory(organisation=organisation)
        response = sw_client.post(
            reverse("beneficiaries:interview_add", args=[beneficiary.pk]),
            {
                "date": "20/11/2026",
                "kind": "individual",
                "summary": "Dossier CMU déposé",
                "confidential_note": "Dettes importantes",
                "next_appointment_0": "27/11/2026",
                "next_appointment_1": "14:30",
            },
        )
        assert response.status_code == 302
        interview = Interview.objects.get()
        assert interview.author == social_worker
        assert timezone.localtime(interview.next_appointment).strftime("%d/%m/%Y %H:%M") == "27/11/2026 14:30"

    def test_a_new_interview_is_dated_today(self, sw_client, organisation):
        beneficiary = BeneficiaryFactory(organisation=organisation)
        response = sw_client.get(reverse("beneficiaries:interview_add", args=[beneficiary.pk]))
        assert 'name="date" value="20/11/2026"' in response.content.decode()

    def test_the_two_boxes_of_the_next_appointment_have_names_of_their_own(self, sw_client, organisation):
        beneficiary = BeneficiaryFactory(organisation=organisation)
        page = sw_client.get(reverse("beneficiaries:interview_add", args=[beneficiary.pk])).content.decode()
        assert 'aria-label="Date of the next appointment"' in page
        assert 'aria-label="Time of the next appointment"' in page

    def test_an_interview_dated_in_the_future_is_refused(self, sw_client, organisation):
        beneficiary = BeneficiaryFactory(organisation=organisation)
        response = sw_client.post(
            reverse("beneficiaries:interview_add", args=[beneficiary.pk]), {"date": "21/11/2026", "kind": "phone"}
        )
        assert "cannot be dated in the future" in response.context["form"].errors["date"][0]
        assert not Interview.objects.exists()


class TestPlan:
    def test_an_objective_then_an_action_that_relaunches_the_pathway_on_employment(self, sw_client, organisation):
        beneficiary = BeneficiaryFactory(organisation=organisation)
        response = sw_client.post(
            reverse("beneficiaries:objective_add", args=[beneficiary.pk]),
            {"domain": "employment", "title": "Signer un CDDI"},
        )
        objective = Objective.objects.get()
        assert response["Location"] == reverse("beneficiaries:action_add", args=[objective.pk])
        response = sw_client.post(
            reverse("beneficiaries:action_add", args=[objective.pk]),
            {
                "title": "Entretien d'embauche à l'ACI",
                "date": "18/11/2026",
                "status": "done",
                "partner": "AGEVAL",
                "relaunch": "employment",
                "contract_type": "cddi",
            },
        )
        assert response.status_code == 302
        action = Action.objects.get()
        assert (action.relaunch, action.contract_type, action.status) == ("employment", "cddi", "done")

    def test_a_contract_without_an_access_to_employment_and_a_future_done_action_are_refused(
        self, sw_client, organisation
    ):
        objective = ObjectiveFactory(beneficiary__organisation=organisation)
        url = reverse("beneficiaries:action_add", args=[objective.pk])
        response = sw_client.post(
            url, {"title": "x", "date": "18/11/2026", "status": "done", "relaunch": "health", "contract_type": "cdi"}
        )
        assert "employment only" in response.context["form"].errors["contract_type"][0]
        response = sw_client.post(url, {"title": "x", "date": "18/12/2026", "status": "done"})
        assert "future" in response.context["form"].errors["date"][0]
        assert not Action.objects.exists()

    def test_the_plan_shows_objectives_and_actions_on_the_file(self, sw_client, organisation):
        action = ActionFactory(
            objective__beneficiary__organisation=organisation, relaunch=Relaunch.HOUSING, status=ActionStatus.DONE
        )
        page = sw_client.get(action.objective.beneficiary.get_absolute_url()).content.decode()
        assert action.objective.title in page
        assert action.title in page
        assert "relaunched: Housing" in page


class TestDashboard:
    def test_the_dashboard_flags_people_with_no_interview_for_more_than_a_month(
        self, sw_client, organisation, social_worker
    ):
        seen = EnrolmentFactory(beneficiary__organisation=organisation, beneficiary__referent=social_worker)
        InterviewFactory(beneficiary=seen.beneficiary, date=datetime.date(2026, 10, 20))  # exactly a month ago
        late = EnrolmentFactory(beneficiary__organisation=organisation, beneficiary__referent=social_worker)
        InterviewFactory(beneficiary=late.beneficiary, date=datetime.date(2026, 10, 19))
        never = EnrolmentFactory(
            beneficiary__organisation=organisation, beneficiary__referent=social_worker, entry_date=TODAY
        )
        response = sw_client.get(reverse("beneficiaries:dashboard"))
        assert {b.pk for b in response.context["followed"]} == {
            seen.beneficiary.pk,
            late.beneficiary.pk,
            never.beneficiary.pk,
        }
        assert [b.pk for b in response.context["overdue"]] == [late.beneficiary.pk]

    def test_a_person_who_comes_back_is_counted_from_the_return_not_from_an_old_interview(
        self, sw_client, organisation, social_worker
    ):
        returner = BeneficiaryFactory(organisation=organisation, referent=social_worker)
        EnrolmentFactory(
            beneficiary=returner,
            entry_date=datetime.date(2025, 9, 1),
            exit_date=datetime.date(2026, 3, 31),
            exited=True,
        )
        InterviewFactory(beneficiary=returner, date=datetime.date(2026, 3, 15))  # in the earlier stay
        EnrolmentFactory(beneficiary=returner, entry_date=datetime.date(2026, 11, 10))  # back ten days ago
        response = sw_client.get(reverse("beneficiaries:dashboard"))
        assert returner in response.context["followed"]
        assert returner not in response.context["overdue"]

    def test_the_dashboard_lists_the_coming_weeks_appointments(self, sw_client, organisation, social_worker):
        beneficiary = BeneficiaryFactory(organisation=organisation, referent=social_worker)
        soon = timezone.make_aware(datetime.datetime(2026, 11, 24, 9, 30))
        later = timezone.make_aware(datetime.datetime(2026, 12, 10, 9, 30))
        InterviewFactory(beneficiary=beneficiary, date=datetime.date(2026, 11, 3), next_appointment=soon)
        InterviewFactory(beneficiary=beneficiary, date=datetime.date(2026, 11, 10), next_appointment=later)
        response = sw_client.get(reverse("beneficiaries:dashboard"))
        assert [i.next_appointment for i in response.context["appointments"]] == [soon]

    def test_the_dashboard_runs_a_fixed_number_of_queries(
        self, sw_client, organisation, social_worker, django_assert_num_queries
    ):
        for _ in range(12):
            enrolment = EnrolmentFactory(beneficiary__organisation=organisation, beneficiary__referent=social_worker)
            InterviewFactory(beneficiary=enrolment.beneficiary)
        # 9: the files to be anonymised within 30 days (beneficiaries.privacy.due_soon), one query.
        with django_assert_num_queries(9):
            sw_client.get(reverse("beneficiaries:dashboard"))


class TestList:
    def test_search_and_filters(self, sw_client, organisation, social_worker):
        saint_waast = Neighbourhood.objects.get(organisation=organisation, code="saint-waast")
        enrolled = EnrolmentFactory(
            beneficiary__organisation=organisation,
            beneficiary__last_name="Dupont",
            beneficiary__neighbourhood=saint_waast,
        ).beneficiary
        exited = EnrolmentFactory(
            beneficiary__organisation=organisation, beneficiary__last_name="Durand", exited=True
        ).beneficiary
        never = BeneficiaryFactory(organisation=organisation, last_name="Lefort", referent=social_worker)
        url = reverse("beneficiaries:list")

        def names(**params):
            return {b.last_name for b in sw_client.get(url, params).context["page_obj"]}

        assert names() == {"Dupont", "Durand", "Lefort"}
        assert names(q="dup") == {"Dupont"}
        assert names(status=EnrolmentStatus.ENROLLED) == {enrolled.last_name}
        assert names(status=EnrolmentStatus.EXITED) == {exited.last_name}
        assert names(status=EnrolmentStatus.NEVER) == {never.last_name}
        assert names(neighbourhood=saint_waast.pk) == {"Dupont"}
        assert names(referent=social_worker.pk) == {"Lefort"}
        assert names(overdue="on") == {"Dupont"}  # entered in January, never interviewed

    def test_htmx_gets_only_the_results(self, sw_client, organisation):
        BeneficiaryFactory(organisation=organisation, last_name="Dupont")
        response = sw_client.get(reverse("beneficiaries:list"), {"q": "dup"}, HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert "Dupont".upper() in body
        assert "<html" not in body

    def test_another_organisations_people_are_never_listed(self, sw_client, organisation, other_organisation):
        BeneficiaryFactory(organisation=other_organisation, last_name="Ailleurs")
        assert sw_client.get(reverse("beneficiaries:list")).context["page_obj"].paginator.count == 0

    def test_the_list_runs_a_fixed_number_of_queries(self, sw_client, organisation, django_assert_num_queries):
        for _ in range(30):
            InterviewFactory(beneficiary=EnrolmentFactory(beneficiary__organisation=organisation).beneficiary)
        # session, user, memberships; savepoint; the filter's three choice lists; count and page; release
        with django_assert_num_queries(10):
            response = sw_client.get(reverse("beneficiaries:list"))
        assert len(response.context["page_obj"]) == 25

    def test_the_csv_export_follows_the_filters(self, sw_client, organisation):
        BeneficiaryFactory(organisation=organisation, last_name="Dupont")
        BeneficiaryFactory(organisation=organisation, last_name="Lefort")
        response = sw_client.get(reverse("beneficiaries:export", args=["csv"]), {"q": "dup"})
        assert response["Content-Type"].startswith("text/csv")
        text = response.content.decode("utf-8-sig")
        lines = text.strip().splitlines()
        assert len(lines) == 2
        assert lines[1].startswith("Dupont;")

    def test_the_xlsx_export_opens_in_a_spreadsheet(self, sw_client, organisation):
        import io

        from openpyxl import load_workbook

        BeneficiaryFactory(organisation=organisation, last_name="=HYPERLINK(1)")
        response = sw_client.get(reverse("beneficiaries:export", args=["xlsx"]))
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.values)
        assert rows[0][:2] == ("Last name", "First name")
        assert rows[1][0] == "'=HYPERLINK(1)"  # never a formula

    def test_the_export_runs_a_fixed_number_of_queries(self, sw_client, organisation, django_assert_num_queries):
        for _ in range(20):
            EnrolmentFactory(beneficiary__organisation=organisation)
        # session, user, memberships; savepoint; the access-log entry; the rows in one query; release
        with django_assert_num_queries(7):
            response = sw_client.get(reverse("beneficiaries:export", args=["csv"]))
        assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 21

    def test_an_unknown_export_format_is_a_404(self, sw_client, organisation):
        assert sw_client.get(reverse("beneficiaries:export", args=["pdf"])).status_code == 404


def test_a_new_file_links_the_entry_assessment(sw_client, organisation):
    beneficiary = BeneficiaryFactory(organisation=organisation)
    page = sw_client.get(beneficiary.get_absolute_url()).content.decode()
    assert reverse("beneficiaries:assessment_add", args=[beneficiary.pk]) in page


# The social worker's read of confidential content writes one access-log entry (insertion.audit); social workers
# also see the referrals to partners (one query, with the partners).
@pytest.mark.parametrize(("persona", "queries"), [("social_worker", 17), ("coordinator", 9)])
def test_the_file_runs_a_fixed_number_of_queries(
    client, organisation, persona, queries, request, django_assert_num_queries
):
    def build(size):
        beneficiary = BeneficiaryFactory(organisation=organisation)
        for _ in range(size):
            EnrolmentFactory(beneficiary=beneficiary, exited=True, entry_date=datetime.date(2020, 1, 1))
            InterviewFactory(beneficiary=beneficiary)
            AssessmentItemFactory(assessment__beneficiary=beneficiary)
            ActionFactory(objective__beneficiary=beneficiary)
            ReferralFactory(beneficiary=beneficiary)
        return beneficiary

    small, large = build(1), build(6)
    client.force_login(request.getfixturevalue(persona))
    with django_assert_num_queries(queries):
        client.get(small.get_absolute_url())
    with django_assert_num_queries(queries):
        client.get(large.get_absolute_url())


def test_a_reassessment_starts_from_the_last_assessment(sw_client, organisation):
    item = AssessmentItemFactory(
        assessment__beneficiary__organisation=organisation, domain=Domain.HOUSING, situation="Hébergé au CHRS"
    )
    form = sw_client.get(reverse("beneficiaries:assessment_add", args=[item.assessment.beneficiary.pk])).context[
        "form"
    ]
    assert form["housing-situation"].value() == "Hébergé au CHRS"
    assert form["housing-level"].value() == item.level
    assert form["kind"].value() == "review"
