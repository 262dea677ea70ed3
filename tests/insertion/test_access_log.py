"""The access log: written on every read of confidential content, export and PDF; no content; read-only; purged."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from insertion.models import AccessLog
from tests.beneficiaries.factories import BeneficiaryFactory, InterviewFactory
from tests.gardens.factories import SiteFactory
from tests.utils import read_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(organisation):
    beneficiary = BeneficiaryFactory(organisation=organisation, last_name="Quenouille")
    InterviewFactory(beneficiary=beneficiary, confidential_note="Note secrète du suivi")
    return beneficiary


def _entries():
    return list(AccessLog.objects.values_list("action", "beneficiary_id", "object_type"))


def test_reads_exports_and_pdfs_write_an_entry_without_content(client, organisation, social_worker, person):
    client.force_login(social_worker)
    site = SiteFactory(organisation=organisation)
    for url in (
        person.get_absolute_url(),
        reverse("beneficiaries:export", args=["csv"]),
        reverse("beneficiaries:livret", args=[person.pk]),
        reverse("gardens:attendance_sheet", args=[site.pk, 2026, 11]),
        reverse("beneficiaries:subject_export", args=[person.pk]),
    ):
        read_response(client.get(url))
    assert sorted(_entries(), key=str) == sorted(
        [
            ("read_confidential", person.pk, "beneficiaries.Beneficiary"),
            ("export", None, "export"),
            ("pdf", person.pk, "beneficiaries.Beneficiary"),
            ("pdf", None, "gardens.Site"),
            ("subject_export", person.pk, "beneficiaries.Beneficiary"),
        ],
        key=str,
    )
    assert set(AccessLog.objects.values_list("user", flat=True)) == {social_worker.pk}
    stored = " ".join(str(value) for row in AccessLog.objects.values_list() for value in row)
    assert "Quenouille" not in stored and "secrète" not in stored


def test_a_coordinator_reading_the_file_without_confidential_content_writes_nothing(client, coordinator, person):
    client.force_login(coordinator)
    assert client.get(person.get_absolute_url()).status_code == 200
    assert _entries() == []


def test_administrators_read_and_search_the_log_but_cannot_change_it(client, administrator, social_worker, person):
    entry = AccessLog.objects.create(
        organisation=person.organisation, user=social_worker, action="pdf", beneficiary_id=person.pk
    )
    client.force_login(administrator)
    changelist = reverse("admin:insertion_accesslog_changelist")
    assert client.get(changelist, {"q": "social@example.org"}).context["cl"].result_count == 1
    assert client.get(changelist, {"q": str(person.pk)}).context["cl"].result_count == 1
    assert client.get(changelist, {"q": "nobody@example.org"}).context["cl"].result_count == 0
    change = reverse("admin:insertion_accesslog_change", args=[entry.pk])
    response = client.post(change, {"action": "export", "beneficiary_id": 1})
    assert response.status_code == 403
    assert (
        client.post(reverse("admin:insertion_accesslog_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    )
    assert client.get(reverse("admin:insertion_accesslog_add")).status_code == 403
    entry.refresh_from_db()
    assert (entry.action, entry.beneficiary_id) == ("pdf", person.pk)


def test_entries_are_purged_after_twelve_months(organisation, social_worker):
    with time_machine.travel(datetime.datetime(2025, 11, 20, 9, 0, tzinfo=datetime.UTC), tick=False):
        old = AccessLog.objects.create(organisation=organisation, user=social_worker, action="export")
    with time_machine.travel(datetime.datetime(2025, 11, 21, 9, 0, tzinfo=datetime.UTC), tick=False):
        recent = AccessLog.objects.create(organisation=organisation, user=social_worker, action="export")
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        call_command("purge_access_log")
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AccessLog.objects.filter(pk=old.pk).exists()
