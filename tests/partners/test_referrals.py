"""Referrals of a person to a partner: recorded by social workers, shown in the file and the livret, confidential."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import Beneficiary
from beneficiaries.privacy import due_for_anonymisation
from partners.models import Referral
from tests.beneficiaries.factories import BeneficiaryFactory
from tests.partners.factories import PartnerFactory, ReferralFactory
from tests.utils import form_data, read_response

pytestmark = pytest.mark.django_db

REASON = "Bilan de santé gratuit : pas de suivi médical depuis plusieurs années."
RESULT_NOTES = "Bilan fait ; suivi engagé avec le référent santé."


@pytest.fixture(autouse=True)
def _frozen_and_english(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def person(organisation, social_worker):
    return BeneficiaryFactory(
        organisation=organisation, first_name="Zoé", last_name="Quenouille", referent=social_worker
    )


@pytest.fixture
def pasteur(organisation):
    return PartnerFactory(organisation=organisation, name="Institut Pasteur de Lille", orients_people=True)


@pytest.fixture
def sw_client(client, social_worker):
    client.force_login(social_worker)
    return client


def _add_url(person):
    return reverse("partners:referral_add", args=[person.pk])


def _data(partner, **changes):
    data = {
        "partner": partner.pk,
        "date": "05/10/2026",
        "reason": REASON,
        "result": "pending",
        "result_date": "",
        "result_notes": "",
    }
    return {**data, **changes}


def test_a_new_referral_is_dated_today(sw_client, person):
    assert 'name="date" value="20/11/2026"' in sw_client.get(_add_url(person)).content.decode()


def test_a_social_worker_records_a_referral_that_appears_in_the_file_and_the_livret(
    sw_client, social_worker, person, pasteur, rendered_html
):
    assert sw_client.get(_add_url(person)).status_code == 200
    response = sw_client.post(_add_url(person), _data(pasteur))
    assert response.status_code == 302
    assert response["Location"] == reverse("beneficiaries:detail", args=[person.pk]) + "#referrals"
    referral = Referral.objects.get()
    assert (referral.beneficiary, referral.partner, referral.date, referral.reason, referral.author) == (
        person,
        pasteur,
        datetime.date(2026, 10, 5),
        REASON,
        social_worker,
    )

    page = sw_client.get(person.get_absolute_url()).content.decode()
    assert "Referrals to partners" in page
    for text in ["05/10/2026", "Institut Pasteur de Lille", "Bilan de santé gratuit", "Awaiting an answer"]:
        assert text in page, text
    edit_url = reverse("partners:referral_edit", args=[referral.pk])
    assert edit_url in page

    # What came of it, a week later.
    data = form_data(sw_client.get(edit_url))
    data.update(result="taken_on", result_date="12/10/2026", result_notes=RESULT_NOTES)
    assert sw_client.post(edit_url, data).status_code == 302
    referral.refresh_from_db()
    assert (referral.result, referral.result_date, referral.result_notes) == (
        "taken_on",
        datetime.date(2026, 10, 12),
        RESULT_NOTES,
    )
    page = sw_client.get(person.get_absolute_url()).content.decode()
    assert "Taken on by the partner" in page and "Result on 12/10/2026" in page and "suivi engagé" in page

    assert sw_client.get(reverse("beneficiaries:livret", args=[person.pk])).status_code == 200
    [html] = rendered_html
    for text in [
        "The partners we referred you to",
        "05/10/2026",
        "Institut Pasteur de Lille",
        "Taken on by the partner",
    ]:
        assert text in html, text
    assert "Bilan de santé gratuit" in html  # the person knows why they went
    assert "suivi engagé" not in html  # what the team notes about the result stays with the team


def test_the_livret_says_when_there_is_no_referral(sw_client, person, rendered_html):
    assert sw_client.get(reverse("beneficiaries:livret", args=[person.pk])).status_code == 200
    assert "We have not referred you to a partner yet." in rendered_html[0]


def test_the_partners_offered_are_ours_in_use_those_orienting_people_first(
    sw_client, organisation, other_organisation, person
):
    association = PartnerFactory(organisation=organisation, name="Association des Jardiniers")
    mission = PartnerFactory(organisation=organisation, name="Mission Locale", orients_people=True)
    PartnerFactory(organisation=organisation, name="Ancien partenaire", orients_people=True, is_archived=True)
    elsewhere = PartnerFactory(organisation=other_organisation, name="Partenaire d'ailleurs", orients_people=True)
    form = sw_client.get(_add_url(person)).context["form"]
    assert list(form.fields["partner"].queryset) == [mission, association]

    response = sw_client.post(_add_url(person), _data(elsewhere))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["partner"]
    assert not Referral.objects.exists()


def test_a_result_before_the_referral_is_refused_on_its_field(sw_client, person, pasteur):
    response = sw_client.post(_add_url(person), _data(pasteur, result="taken_on", result_date="01/10/2026"))
    assert response.status_code == 200
    assert response.context["form"].errors == {"result_date": ["The result cannot come before the referral."]}
    assert "The result cannot come before the referral." in response.content.decode()
    assert not Referral.objects.exists()


def test_a_referral_needs_a_partner_a_date_and_a_reason(sw_client, person):
    response = sw_client.post(_add_url(person), {"result": "pending"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"partner", "date", "reason"}
    assert not Referral.objects.exists()


def test_a_partner_archived_since_stays_offered_on_its_referral(sw_client, person, pasteur):
    referral = ReferralFactory(beneficiary=person, partner=pasteur, date=datetime.date(2026, 10, 5))
    pasteur.is_archived = True
    pasteur.save()
    edit_url = reverse("partners:referral_edit", args=[referral.pk])
    response = sw_client.get(edit_url)
    assert pasteur in response.context["form"].fields["partner"].queryset
    data = form_data(response)
    data.update(result="did_not_go", result_date="20/10/2026")
    assert sw_client.post(edit_url, data).status_code == 302
    referral.refresh_from_db()
    assert (referral.partner, referral.result) == (pasteur, "did_not_go")
    assert pasteur not in sw_client.get(_add_url(person)).context["form"].fields["partner"].queryset


def test_another_organisations_file_or_referral_is_a_404(sw_client, other_organisation, pasteur):
    foreign = ReferralFactory(beneficiary__organisation=other_organisation)
    assert sw_client.get(_add_url(foreign.beneficiary)).status_code == 404
    assert sw_client.post(_add_url(foreign.beneficiary), _data(pasteur)).status_code == 404
    assert sw_client.get(reverse("partners:referral_edit", args=[foreign.pk])).status_code == 404
    assert sw_client.post(reverse("partners:referral_delete", args=[foreign.pk])).status_code == 404
    assert Referral.objects.filter(pk=foreign.pk).exists()
    assert Referral.objects.count() == 1


def test_a_referral_is_deleted_by_a_post_only_and_the_deletion_is_in_the_history(sw_client, person, pasteur):
    referral = ReferralFactory(beneficiary=person, partner=pasteur)
    url = reverse("partners:referral_delete", args=[referral.pk])
    assert sw_client.get(url).status_code == 405
    assert Referral.objects.filter(pk=referral.pk).exists()
    response = sw_client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(person.get_absolute_url())
    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert Referral.history.filter(id=referral.pk, history_type="-").exists()


@pytest.mark.parametrize("persona", ["coordinator", "trainer", "administrator"])
def test_only_social_workers_record_referrals(client, request, person, pasteur, persona):
    referral = ReferralFactory(beneficiary=person, partner=pasteur)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_add_url(person)).status_code == 403
    assert client.post(_add_url(person), _data(pasteur)).status_code == 403
    assert client.get(reverse("partners:referral_edit", args=[referral.pk])).status_code == 403
    assert client.post(reverse("partners:referral_delete", args=[referral.pk])).status_code == 403
    assert Referral.objects.count() == 1


def test_the_coordinator_reads_the_file_without_the_referrals(client, coordinator, person, pasteur):
    ReferralFactory(
        beneficiary=person, partner=pasteur, reason="Motif-confidentiel-distinctif", result_notes="Suite-distinctive"
    )
    client.force_login(coordinator)
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Referrals to partners" not in page
    assert "Motif-confidentiel-distinctif" not in page and "Suite-distinctive" not in page
    assert "referrals" not in response.context


@pytest.mark.parametrize("size", [1, 6])
def test_the_file_shows_its_referrals_in_a_fixed_number_of_queries(
    client, organisation, social_worker, django_assert_num_queries, size
):
    person = BeneficiaryFactory(organisation=organisation)
    for index in range(size):
        ReferralFactory(beneficiary=person, reason=f"Motif numéro {index}")
    client.force_login(social_worker)
    # session, user, memberships; the savepoint and its release; the file, its social situations, enrolments,
    # interviews; skills and hours (two); assessments; the access-log entry; the plan; the referrals with their
    # partners (one query, whatever their number).
    with django_assert_num_queries(15):
        response = client.get(person.get_absolute_url())
    assert len(response.context["referrals"]) == size
    assert "Motif numéro 0" in response.content.decode()


# The person's rights


def test_the_subject_export_holds_the_referrals(sw_client, person, pasteur):
    ReferralFactory(beneficiary=person, partner=pasteur, reason=REASON, result_notes=RESULT_NOTES)
    response = sw_client.get(reverse("beneficiaries:subject_export", args=[person.pk]))
    data = json.loads(read_response(response))
    [node] = [child for child in data["related"] if child["model"] == "partners.Referral"]
    values = {field["name"]: field["value"] for field in node["fields"]}
    assert (values["partner"], values["reason"], values["result_notes"]) == (
        "Institut Pasteur de Lille",
        REASON,
        RESULT_NOTES,
    )


def test_erasure_empties_the_referrals_and_removes_their_history(sw_client, social_worker, person, pasteur):
    referral = ReferralFactory(
        beneficiary=person, partner=pasteur, reason=REASON, result_notes=RESULT_NOTES, author=social_worker
    )
    referral.result = "taken_on"
    referral.save()
    response = sw_client.post(reverse("beneficiaries:erase", args=[person.pk]), {"last_name": "Quenouille"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.reason, referral.result_notes, referral.author) == ("", "", None)
    assert (referral.partner, referral.date) == (pasteur, datetime.date(2026, 10, 5))  # the counts of the reports
    assert not Referral.history.filter(id=referral.pk).exists()


def test_a_recent_referral_keeps_an_old_file_from_anonymisation(organisation):
    def old_file():
        person = BeneficiaryFactory(organisation=organisation)
        Beneficiary.objects.filter(pk=person.pk).update(created_at=timezone.make_aware(datetime.datetime(2020, 1, 1)))
        return person

    forgotten, referred = old_file(), old_file()
    ReferralFactory(beneficiary=referred, date=timezone.localdate() - datetime.timedelta(days=10))
    due = set(due_for_anonymisation(Beneficiary.objects.all()).values_list("pk", flat=True))
    assert forgotten.pk in due
    assert referred.pk not in due
