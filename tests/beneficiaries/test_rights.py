"""Audit trail, data-subject rights and retention (issue "Audit trail, rights, retention")."""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import Beneficiary, Enrolment, Interview
from beneficiaries.privacy import history_rows_of, models_in, ordered_models_about_people, subject_data
from gardens.models import Attendance
from insertion import inventory
from insertion.models import AccessLog, EducationLevel, ExitOutcome, Neighbourhood, SocialSituation
from partners.models import Partner, Referral
from tests.beneficiaries.factories import (
    ActionFactory,
    AssessmentItemFactory,
    BeneficiaryFactory,
    EnrolmentFactory,
    InterviewFactory,
)
from tests.gardens.factories import AttendanceFactory, SkillRatingFactory, WorkshopFactory
from tests.partners.factories import ReferralFactory
from tests.utils import read_response

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_and_english(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def full_file(organisation, social_worker, *, size=1, contact=datetime.date(2026, 2, 2)):
    """A file with a row in every model about people."""
    beneficiary = BeneficiaryFactory(
        organisation=organisation,
        last_name="Quenouille",
        first_name="Zoé",
        phone="06 99 88 77 66",
        email="zoe@example.org",
        referring_partner=Partner.objects.get_or_create(
            organisation=organisation, name="SIAO 115", defaults={"orients_people": True}
        )[0],
        household="single_parent",
        dependent_children=2,
        referent=social_worker,
        neighbourhood=Neighbourhood.objects.filter(organisation=organisation).first(),
        education_level=EducationLevel.objects.filter(organisation=organisation).first(),
        situations=[SocialSituation.objects.get(organisation=organisation, code="homeless")],
    )
    # Every date of this file is `contact`: its last contact.
    beneficiary.created_at = timezone.make_aware(datetime.datetime(2000, 1, 1))
    Beneficiary.objects.filter(pk=beneficiary.pk).update(created_at=beneficiary.created_at)
    for _index in range(size):
        EnrolmentFactory(
            beneficiary=beneficiary,
            entry_date=contact,
            exit_date=contact,
            exit_outcome=ExitOutcome.objects.get(organisation=organisation, code="cdi"),
            exit_comment="Commentaire de sortie sensible",
        )
        AssessmentItemFactory(
            assessment__beneficiary=beneficiary, assessment__date=contact, assessment__comment="Bilan confidentiel"
        )
        InterviewFactory(beneficiary=beneficiary, date=contact, confidential_note="Note secrète")
        ActionFactory(objective__beneficiary=beneficiary, date=contact, relaunch="health", partner="CMP La Boussole")
        workshop = WorkshopFactory(site__organisation=organisation, date=contact)
        AttendanceFactory(workshop=workshop, beneficiary=beneficiary, hours=Decimal("2"))
        SkillRatingFactory(evaluation__beneficiary=beneficiary, evaluation__date=contact)
        ReferralFactory(
            beneficiary=beneficiary,
            date=contact,
            reason="Motif d'orientation confidentiel",
            result="taken_on",
            result_date=contact,
            result_notes="Suite de l'orientation confidentielle",
            author=social_worker,
        )
    return beneficiary


@pytest.fixture
def sw_client(client, social_worker):
    client.force_login(social_worker)
    return client


# History


def test_every_model_about_people_keeps_a_history():
    """A model about people added later without `history = HistoricalRecords()` fails here."""
    missing = [model._meta.label for model in inventory.models_about_people() if not hasattr(model, "history")]
    assert missing == []
    assert len(inventory.models_about_people()) == 11


def test_a_rectification_is_kept_in_the_history_with_who_and_what(sw_client, organisation, social_worker):
    beneficiary = full_file(organisation, social_worker)
    interview = beneficiary.interviews.get()
    url = reverse("beneficiaries:interview_edit", args=[interview.pk])
    form = sw_client.get(url).context["form"]  # whatever the form holds (a version for the optimistic locking…)
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data["summary"] = "Résumé corrigé"
    response = sw_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    change = interview.history.order_by("history_date", "history_id").last()
    assert (change.history_type, change.history_user, change.summary) == ("~", social_worker, "Résumé corrigé")
    assert interview.history.count() == 2


def test_the_history_page_shows_values_to_social_workers_and_only_field_names_to_administrators(
    client, organisation, social_worker, administrator
):
    beneficiary = full_file(organisation, social_worker)
    interview = beneficiary.interviews.get()
    interview.confidential_note = "Deuxième note secrète"
    interview.save()
    client.force_login(social_worker)
    page = client.get(reverse("beneficiaries:history", args=[beneficiary.pk])).content.decode()
    assert "Deuxième note secrète" in page and "Confidential note" in page
    client.force_login(administrator)
    page = client.get(reverse("beneficiaries:history", args=[beneficiary.pk])).content.decode()
    assert "Confidential note" in page
    assert "Deuxième note secrète" not in page and "Note secrète" not in page and "Quenouille" not in page.title()


# Subject export


def test_the_subject_export_covers_every_model_about_people(sw_client, organisation, social_worker):
    beneficiary = full_file(organisation, social_worker)
    response = sw_client.get(reverse("beneficiaries:subject_export", args=[beneficiary.pk]))
    data = json.loads(read_response(response))
    assert models_in(data) == {model._meta.label for model in inventory.models_about_people()}
    text = json.dumps(data, ensure_ascii=False)
    for value in (
        "Quenouille",
        "Note secrète",
        "Bilan confidentiel",
        "SIAO 115",
        "Sans domicile",
        "Motif d'orientation confidentiel",
        "Suite de l'orientation confidentielle",
    ):
        assert value in text
    assert AccessLog.objects.filter(action="subject_export", beneficiary_id=beneficiary.pk).count() == 1


def test_the_subject_export_costs_the_same_queries_whatever_the_size_of_the_file(organisation, social_worker):
    counts = []
    for size in (1, 4):
        beneficiary = full_file(organisation, social_worker, size=size)
        with CaptureQueriesContext(connection) as captured:
            subject_data(beneficiary)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_subject_export_pdf_is_a_pdf_and_logged(sw_client, organisation, social_worker):
    beneficiary = full_file(organisation, social_worker)
    response = sw_client.get(reverse("beneficiaries:subject_export_pdf", args=[beneficiary.pk]))
    assert read_response(response).startswith(b"%PDF")
    assert AccessLog.objects.filter(action="subject_export", beneficiary_id=beneficiary.pk).exists()


# Erasure


def test_erasure_needs_the_last_name_then_removes_the_identity_and_the_history(sw_client, organisation, social_worker):
    beneficiary = full_file(organisation, social_worker)
    url = reverse("beneficiaries:erase", args=[beneficiary.pk])
    assert sw_client.post(url, {"last_name": "Dupont"}).status_code == 200
    assert Beneficiary.objects.get(pk=beneficiary.pk).last_name == "Quenouille"
    assert sw_client.post(url, {"last_name": "quenouille"}).status_code == 302
    erased = Beneficiary.objects.get(pk=beneficiary.pk)
    assert (erased.first_name, erased.last_name, erased.phone, erased.email) == ("Anonymisé", "Anonymisé", "", "")
    assert erased.anonymised_at is not None
    for model in ordered_models_about_people():
        assert not history_rows_of(model, beneficiary.pk).exists(), model
    # The counts stay: the enrolment, its outcome and the hours.
    assert Enrolment.objects.filter(beneficiary=erased, exit_outcome__code="cdi").count() == 1
    assert Attendance.objects.filter(beneficiary=erased).hours() == Decimal("2")


# Retention


def _apply(*args):
    call_command("apply_retention", *args)


@pytest.mark.parametrize(("days", "anonymised"), [(729, False), (730, True)])
def test_a_file_is_kept_729_days_after_the_last_contact_and_anonymised_at_730(
    organisation, social_worker, days, anonymised
):
    beneficiary = full_file(organisation, social_worker, contact=TODAY - datetime.timedelta(days=days))
    _apply("--apply")
    beneficiary.refresh_from_db()
    assert (beneficiary.anonymised_at is not None) is anonymised
    assert (beneficiary.last_name == "Anonymisé") is anonymised


def test_any_later_contact_keeps_the_file(organisation, social_worker):
    old = TODAY - datetime.timedelta(days=800)
    kinds = {
        "interview": lambda b: InterviewFactory(beneficiary=b, date=TODAY - datetime.timedelta(days=10)),
        "action": lambda b: ActionFactory(objective__beneficiary=b, date=TODAY - datetime.timedelta(days=10)),
        "attendance": lambda b: AttendanceFactory(
            beneficiary=b, workshop__site__organisation=organisation, workshop__date=TODAY
        ),
    }
    kept = []
    for add in kinds.values():
        beneficiary = full_file(organisation, social_worker, contact=old)
        add(beneficiary)
        kept.append(beneficiary.pk)
    _apply("--apply")
    assert list(Beneficiary.objects.filter(pk__in=kept, anonymised_at__isnull=False)) == []


def test_the_dry_run_lists_and_changes_nothing(organisation, social_worker, capsys):
    beneficiary = full_file(organisation, social_worker, contact=TODAY - datetime.timedelta(days=1000))
    history_before = beneficiary.history.count()
    _apply()
    out = capsys.readouterr().out
    assert f"would anonymise: file {beneficiary.pk}" in out
    assert "Quenouille" not in out
    beneficiary.refresh_from_db()
    assert beneficiary.last_name == "Quenouille" and beneficiary.anonymised_at is None
    assert beneficiary.history.count() == history_before


def test_anonymisation_keeps_what_the_reports_need_and_nothing_else(organisation, social_worker):
    beneficiary = full_file(organisation, social_worker, contact=TODAY - datetime.timedelta(days=1000))
    before = Beneficiary.objects.get(pk=beneficiary.pk)
    _apply("--apply")
    after = Beneficiary.objects.get(pk=beneficiary.pk)
    assert after.birth_date == datetime.date(before.birth_date.year, 1, 1)
    assert (after.sex, after.neighbourhood_id, after.education_level_id) == (
        before.sex,
        before.neighbourhood_id,
        before.education_level_id,
    )
    assert (after.household, after.dependent_children, after.referring_partner_id, after.referent_id) == (
        "",
        None,
        None,
        None,
    )
    assert Partner.objects.filter(organisation=organisation, name="SIAO 115").exists()  # the directory keeps it
    assert not after.social_situations.exists()
    enrolment = after.enrolments.get()
    assert (enrolment.exit_comment, enrolment.exit_outcome.code) == ("", "cdi")
    assert enrolment.entry_date == TODAY - datetime.timedelta(days=1000)
    interview = Interview.objects.get(beneficiary=after)
    assert (interview.summary, interview.confidential_note, interview.author) == ("", "", None)
    action = after.objectives.get().actions.get()
    assert (action.title, action.partner, action.relaunch) == ("", "", "health")
    referral = Referral.objects.get(beneficiary=after)
    assert (referral.reason, referral.result_notes, referral.author) == ("", "", None)
    assert referral.date == TODAY - datetime.timedelta(days=1000)
    assessment = after.assessments.get()
    assert (assessment.comment, assessment.autonomy) == ("", 2)
    assert assessment.items.get().situation == ""
    assert after.skill_evaluations.get().comment == ""
    assert after.skill_evaluations.get().ratings.get().level == 3
    assert Attendance.objects.filter(beneficiary=after).hours() == Decimal("2")
    for model in ordered_models_about_people():
        assert not history_rows_of(model, beneficiary.pk).exists(), model


def test_apply_retention_is_idempotent(organisation, social_worker):
    beneficiary = full_file(organisation, social_worker, contact=TODAY - datetime.timedelta(days=1000))
    _apply("--apply")
    first = Beneficiary.objects.get(pk=beneficiary.pk).anonymised_at
    with time_machine.travel(datetime.datetime(2026, 11, 21, 10, 0, tzinfo=datetime.UTC), tick=False):
        _apply("--apply")
    assert Beneficiary.objects.get(pk=beneficiary.pk).anonymised_at == first


def test_the_referent_is_told_30_days_before(sw_client, organisation, social_worker):
    soon = full_file(organisation, social_worker, contact=TODAY - datetime.timedelta(days=701))
    later = full_file(organisation, social_worker, contact=TODAY - datetime.timedelta(days=699))
    response = sw_client.get(reverse("beneficiaries:dashboard"))
    assert [beneficiary.pk for beneficiary in response.context["retention_due"]] == [soon.pk]
    assert later.pk not in [beneficiary.pk for beneficiary in response.context["retention_due"]]
    assert "Files to be anonymised within 30 days" in response.content.decode()


def test_the_history_page_costs_the_same_queries_whatever_the_number_of_changes(
    sw_client, organisation, social_worker
):
    beneficiary = BeneficiaryFactory(organisation=organisation, referent=social_worker)
    url = reverse("beneficiaries:history", args=[beneficiary.pk])
    with CaptureQueriesContext(connection) as few:
        assert sw_client.get(url).status_code == 200
    for number in range(6):
        beneficiary.city = f"Valenciennes {number}"
        beneficiary.save()
        InterviewFactory(beneficiary=beneficiary)
    with CaptureQueriesContext(connection) as many:
        response = sw_client.get(url)
    assert len(response.context["entries"]) > 6
    assert len(many) == len(few)
