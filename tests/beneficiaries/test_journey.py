"""The social worker's day with a new person, from the file to the exit, as a new user would do it."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from beneficiaries.models import Beneficiary
from insertion.models import ExitOutcome, Neighbourhood, Programme
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_a_social_worker_follows_a_person_from_entry_to_exit(client, organisation, social_worker, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(social_worker)
    adoma = PartnerFactory(organisation=organisation, name="ADOMA", orients_people=True)

    # The dashboard invites to open a file.
    dashboard = client.get(reverse("core:home"), follow=True)
    assert reverse("beneficiaries:create") in dashboard.content.decode()

    # 1. The file, with the entry in the gardening workshop.
    response = client.post(
        reverse("beneficiaries:create"),
        {
            "first_name": "Karim",
            "last_name": "Haddad",
            "sex": "M",
            "birth_date": "03/04/1979",
            "neighbourhood": Neighbourhood.objects.get(organisation=organisation, code="chasse-royale").pk,
            "referring_partner": adoma.pk,
            "referent": social_worker.pk,
            "enrolment-programme": Programme.objects.get(organisation=organisation).pk,
            "enrolment-entry_date": "02/11/2026",
        },
        follow=True,
    )
    beneficiary = Beneficiary.objects.get(last_name="Haddad")
    assert "Start with the entry assessment" in response.content.decode()
    assert beneficiary.referring_partner == adoma
    assert f'<a href="{adoma.get_absolute_url()}">ADOMA</a>' in response.content.decode()

    # 2. The entry assessment.
    client.post(
        reverse("beneficiaries:assessment_add", args=[beneficiary.pk]),
        {
            "date": "02/11/2026",
            "kind": "entry",
            "autonomy": "2",
            "security": "1",
            "housing-level": "1",
            "housing-situation": "Résidence sociale ADOMA",
            "employment-level": "2",
        },
    )

    # 3. The monthly interview with a confidential note.
    client.post(
        reverse("beneficiaries:interview_add", args=[beneficiary.pk]),
        {"date": "16/11/2026", "kind": "individual", "summary": "Bon démarrage", "confidential_note": "Dettes"},
    )

    # 4. The plan: an objective and its action.
    client.post(
        reverse("beneficiaries:objective_add", args=[beneficiary.pk]), {"domain": "employment", "title": "CDDI"}
    )
    objective = beneficiary.objectives.get()
    client.post(
        reverse("beneficiaries:action_add", args=[objective.pk]),
        {
            "title": "Candidature à l'ACI",
            "date": "19/11/2026",
            "status": "done",
            "relaunch": "employment",
            "contract_type": "cddi",
            "partner": "AGEVAL",
        },
    )

    page = client.get(beneficiary.get_absolute_url()).content.decode()
    for expected in ("Résidence sociale ADOMA", "Bon démarrage", "Dettes", "Candidature à l&#x27;ACI"):
        assert expected in page

    # 5. The livret to hand over.
    livret = client.get(reverse("beneficiaries:livret", args=[beneficiary.pk]))
    assert livret.status_code == 200
    assert livret.content.startswith(b"%PDF")

    # 6. The exit with its outcome.
    enrolment = beneficiary.enrolments.get()
    client.post(
        reverse("beneficiaries:enrolment_edit", args=[enrolment.pk]),
        {
            "programme": enrolment.programme.pk,
            "entry_date": "02/11/2026",
            "exit_date": "20/11/2026",
            "exit_outcome": ExitOutcome.objects.get(organisation=organisation, code="other-insertion-structure").pk,
        },
    )
    enrolment.refresh_from_db()
    assert enrolment.exit_date == datetime.date(2026, 11, 20)
    assert enrolment.exit_outcome.category == "positive_exit"
    assert beneficiary.interviews.get().confidential_note == "Dettes"
    assert beneficiary.assessments.get().items.count() == 2
