"""Confidential notes, assessments, health, social situation, contact and plans: social workers only.

The values looked for come from insertion.inventory, the same declaration the views and exports use: a field
declared there as restricted to social workers is checked here without anyone remembering to.
"""

import datetime
import io

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from beneficiaries.enums import Relaunch
from insertion import inventory
from insertion.models import ExitOutcome, SocialSituation
from tests.beneficiaries.factories import (
    ActionFactory,
    AssessmentItemFactory,
    BeneficiaryFactory,
    EnrolmentFactory,
    InterviewFactory,
)
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_file(organisation, social_worker):
    """A file with a distinctive value in every field, restricted or not."""
    situation = SocialSituation.objects.get(organisation=organisation, code="homeless")
    beneficiary = BeneficiaryFactory(
        organisation=organisation,
        first_name="Zoé",
        last_name="Quenouille",
        phone="06 99 88 77 66",
        email="zoe.quenouille@example.org",
        address="7 impasse Secrète",
        postcode="59300",
        city="Valenciennes-Secret",
        household="single_parent",
        dependent_children=3,
        referring_partner=PartnerFactory(organisation=organisation, name="SIAO 115", orients_people=True),
        referent=social_worker,
        situations=[situation],
    )
    EnrolmentFactory(
        beneficiary=beneficiary,
        exited=True,
        exit_comment="Commentaire de sortie sensible",
        exit_outcome=ExitOutcome.objects.get(organisation=organisation, code="health"),
    )
    EnrolmentFactory(beneficiary=beneficiary, entry_date=datetime.date(2026, 9, 1))
    AssessmentItemFactory(
        assessment__beneficiary=beneficiary,
        assessment__comment="Bilan global très confidentiel",
        situation="Suivi addictologie en cours",
        obstacles="Traitement lourd",
    )
    InterviewFactory(
        beneficiary=beneficiary, summary="Résumé partagé avec l'équipe", confidential_note="Note secrète du suivi"
    )
    ActionFactory(
        objective__beneficiary=beneficiary,
        objective__title="Objectif de santé mentale",
        title="Rendez-vous au CMP",
        partner="Centre La Boussole",
        relaunch=Relaunch.HEALTH,
    )
    return beneficiary


def restricted_values(beneficiary):
    """Every value of the file whose category is readable by social workers only."""
    values = set()
    for model_label, fields in inventory.INVENTORY.items():
        model = apps.get_model(model_label)
        for instance in _instances(model, beneficiary):
            for field_name, category in fields.items():
                if category not in inventory.RESTRICTED_TO_SOCIAL_WORKERS:
                    continue
                field = model._meta.get_field(field_name)
                if field.many_to_many:
                    values.update(str(item) for item in getattr(instance, field_name).all())
                    continue
                value = getattr(instance, field_name)
                if isinstance(value, str) and len(value) > 3:
                    values.add(value)
    return values


def _instances(model, beneficiary):
    if model._meta.label == "beneficiaries.Beneficiary":
        return [beneficiary]
    for path in ("beneficiary", "assessment__beneficiary", "objective__beneficiary", "evaluation__beneficiary"):
        try:
            model._meta.get_field(path.split("__")[0])
        except Exception:  # noqa: BLE001 - the model does not hang off a file that way
            continue
        return list(model.objects.filter(**{path: beneficiary}))
    raise AssertionError(f"{model} does not hang off a beneficiary: teach this test how to find its rows")


def test_the_fixture_really_holds_restricted_values(full_file):
    values = restricted_values(full_file)
    for expected in (
        "Note secrète du suivi",
        "Suivi addictologie en cours",
        "06 99 88 77 66",
        "Objectif de santé mentale",
        "Commentaire de sortie sensible",
        "Sans domicile ou sans logement stable",
    ):
        assert expected in values


def _pages(client, beneficiary):
    """Every page of the app a non-social-worker might open about this person, with its text."""
    urls = [
        reverse("beneficiaries:list"),
        reverse("beneficiaries:list") + "?q=Quenouille",
        beneficiary.get_absolute_url(),
    ]
    for url in urls:
        response = client.get(url)
        yield url, response.status_code, response.content.decode()
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("beneficiaries:export", args=[fmt]))
        if response.status_code == 200 and fmt == "xlsx":
            sheet = load_workbook(io.BytesIO(response.content)).active
            text = "\n".join(";".join(str(cell) for cell in row if cell is not None) for row in sheet.values)
        else:
            text = response.content.decode("utf-8-sig")
        yield fmt, response.status_code, text


@pytest.mark.parametrize("persona", ["trainer", "coordinator", "administrator"])
def test_no_restricted_value_reaches_another_role(client, full_file, persona, request):
    client.force_login(request.getfixturevalue(persona))
    values = restricted_values(full_file)
    seen = []
    for where, status, text in _pages(client, full_file):
        assert status in (200, 403), (where, status)
        seen.extend((where, value) for value in values if value in text)
    assert seen == []


def test_the_coordinator_reads_the_file_without_its_confidential_content(client, full_file, coordinator):
    client.force_login(coordinator)
    page = client.get(full_file.get_absolute_url()).content.decode()
    assert "QUENOUILLE" in page
    assert "Résumé partagé avec l&#x27;équipe" in page  # the summary is for the whole accompanying team
    assert "SIAO 115" in page


def test_trainers_and_administrators_cannot_open_files(client, full_file, trainer, administrator):
    for user in (trainer, administrator):
        client.force_login(user)
        assert client.get(full_file.get_absolute_url()).status_code == 403
        assert client.get(reverse("beneficiaries:list")).status_code == 403


def test_the_social_worker_sees_everything(client, full_file, social_worker):
    client.force_login(social_worker)
    page = client.get(full_file.get_absolute_url()).content.decode()
    for value in ("Note secrète du suivi", "Suivi addictologie", "06 99 88 77 66", "Rendez-vous au CMP"):
        assert value in page


def test_the_export_never_holds_restricted_values_even_for_social_workers(client, full_file, social_worker):
    client.force_login(social_worker)
    text = client.get(reverse("beneficiaries:export", args=["csv"])).content.decode("utf-8-sig")
    assert "QUENOUILLE" in text.upper()
    assert [value for value in restricted_values(full_file) if value in text] == []


def test_another_organisations_file_and_records_are_a_404(client, full_file, outsider):
    client.force_login(outsider)
    interview = full_file.interviews.get()
    enrolment = full_file.enrolments.first()
    action = full_file.objectives.get().actions.get()
    for url in (
        full_file.get_absolute_url(),
        reverse("beneficiaries:edit", args=[full_file.pk]),
        reverse("beneficiaries:interview_edit", args=[interview.pk]),
        reverse("beneficiaries:enrolment_edit", args=[enrolment.pk]),
        reverse("beneficiaries:action_edit", args=[action.pk]),
        reverse("beneficiaries:objective_edit", args=[action.objective.pk]),
        reverse("beneficiaries:assessment_edit", args=[full_file.assessments.get().pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_every_personal_field_is_declared_in_the_inventory():
    assert inventory.undeclared_fields() == []


def test_the_data_inventory_command_prints_the_register(capsys):
    from django.core.management import call_command

    call_command("data_inventory")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "model\tfield\tcategory\treaders"
    assert "beneficiaries.Interview\tconfidential_note\tconfidential_note\tsocial_worker" in lines
    assert "beneficiaries.Beneficiary\tlast_name\tname\tsocial_worker,trainer,coordinator" in lines
