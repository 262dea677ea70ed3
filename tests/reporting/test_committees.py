"""Steering and technical committees with their frozen reports: what the committee saw stays as it was."""

import datetime
import hashlib
import json

import pytest
import time_machine
from django.urls import reverse

from reporting.indicators import Scope
from reporting.models import Committee, FrozenReport
from reporting.report import build_report, report_json
from tests.beneficiaries.factories import BeneficiaryFactory, EnrolmentFactory
from tests.gardens.factories import SiteFactory
from tests.reporting.factories import SAMPLE_PDF, CommitteeFactory, FrozenReportFactory
from tests.utils import read_response

pytestmark = pytest.mark.django_db

D = datetime.date
ATTACH = reverse("reporting:committee_attach")
LIST = reverse("reporting:committee_list")


@pytest.fixture(autouse=True)
def _frozen_and_english(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def _enrol(organisation, count):
    for _index in range(count):
        EnrolmentFactory(beneficiary=BeneficiaryFactory(organisation=organisation), entry_date=D(2025, 3, 2))


def _messages(response):
    return [str(message) for message in response.context["messages"]]


# Permissions ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["social_worker", "trainer", "administrator"])
def test_only_coordinators_open_the_committees(client, persona, request, organisation):
    committee = CommitteeFactory(organisation=organisation)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(committee.get_absolute_url()).status_code == 403


def test_another_organisations_committee_and_report_are_not_found(coordinator_client, other_organisation):
    frozen = FrozenReportFactory(committee__organisation=other_organisation)
    committee = frozen.committee
    assert coordinator_client.get(committee.get_absolute_url()).status_code == 404
    assert coordinator_client.get(reverse("reporting:committee_edit", args=[committee.pk])).status_code == 404
    assert coordinator_client.post(reverse("reporting:committee_delete", args=[committee.pk])).status_code == 404
    for name in ("frozen_report_pdf", "frozen_report_json"):
        assert coordinator_client.get(reverse(f"reporting:{name}", args=[frozen.pk])).status_code == 404
    response = coordinator_client.post(reverse("reporting:frozen_report_delete", args=[frozen.pk]), {"confirm": "on"})
    assert response.status_code == 404
    assert FrozenReport.objects.filter(pk=frozen.pk).exists()
    assert [c.pk for c in coordinator_client.get(LIST).context["page_obj"]] == []


def test_the_actions_are_posted(coordinator_client, organisation):
    frozen = FrozenReportFactory(committee__organisation=organisation)
    assert coordinator_client.get(reverse("reporting:committee_delete", args=[frozen.committee.pk])).status_code == 405
    assert coordinator_client.get(reverse("reporting:frozen_report_delete", args=[frozen.pk])).status_code == 405


# Recording a meeting -------------------------------------------------------------------------------------------


def test_a_coordinator_records_a_steering_committee(coordinator_client, coordinator, organisation):
    response = coordinator_client.post(
        reverse("reporting:committee_add"),
        {
            "kind": "steering",
            "date": "12/03/2026",
            "title": "Comité de pilotage 2026",
            "attendees": "CCAS, Conseil Départemental du Nord",
            "minutes": "Bilan approuvé.",
        },
    )
    committee = Committee.objects.get()
    assert response.status_code == 302
    assert response["Location"] == committee.get_absolute_url()
    assert (committee.organisation, committee.date, committee.kind) == (organisation, D(2026, 3, 12), "steering")
    assert committee.created_by == coordinator


def test_a_committee_without_a_valid_date_is_not_saved(coordinator_client):
    response = coordinator_client.post(reverse("reporting:committee_add"), {"kind": "technical", "date": "31/02/2026"})
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["Enter a date as dd/mm/yyyy, for example 09/03/2026."]
    assert not Committee.objects.exists()


def test_a_committee_is_edited(coordinator_client, organisation):
    committee = CommitteeFactory(organisation=organisation, minutes="")
    response = coordinator_client.post(
        reverse("reporting:committee_edit", args=[committee.pk]),
        {"kind": "steering", "date": "12/03/2026", "title": committee.title, "attendees": "", "minutes": "Adopté."},
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.minutes == "Adopté."


def test_a_committee_with_reports_cannot_be_deleted(coordinator_client, organisation):
    frozen = FrozenReportFactory(committee__organisation=organisation)
    response = coordinator_client.post(reverse("reporting:committee_delete", args=[frozen.committee.pk]), follow=True)
    assert Committee.objects.filter(pk=frozen.committee.pk).exists()
    assert _messages(response) == [
        "This committee has frozen reports: remove them first if the meeting is really to be deleted."
    ]


def test_a_committee_without_reports_is_deleted(coordinator_client, organisation):
    committee = CommitteeFactory(organisation=organisation)
    response = coordinator_client.post(reverse("reporting:committee_delete", args=[committee.pk]))
    assert response["Location"] == LIST
    assert not Committee.objects.exists()


# Freezing ------------------------------------------------------------------------------------------------------


def test_a_frozen_report_keeps_its_figures_and_pdf_after_the_data_changed(
    coordinator_client, coordinator, organisation
):
    committee = CommitteeFactory(organisation=organisation)
    _enrol(organisation, 2)
    response = coordinator_client.post(ATTACH, {"committee": committee.pk, "period": "year", "year": "2025"})
    assert response.status_code == 302
    assert response["Location"] == committee.get_absolute_url()
    frozen = committee.reports.get()
    assert (frozen.start, frozen.end, frozen.frozen_by) == (D(2025, 1, 1), D(2025, 12, 31), coordinator)
    assert (frozen.site_label, frozen.programme_label) == ("", "")
    assert frozen.figures["indicators"]["beneficiaries_reached"]["value"] == 2
    assert frozen.figures["period"] == {"start": "2025-01-01", "end": "2025-12-31", "label": "2025"}
    stored_pdf = bytes(frozen.pdf)
    assert stored_pdf.startswith(b"%PDF")
    assert frozen.sha256 == hashlib.sha256(stored_pdf).hexdigest()

    # The files change afterwards: three more people in 2025.
    _enrol(organisation, 3)
    fresh = report_json(build_report(Scope((organisation,), D(2025, 1, 1), D(2025, 12, 31))))
    assert fresh["indicators"]["beneficiaries_reached"]["value"] == 5

    frozen.refresh_from_db()
    assert frozen.figures["indicators"]["beneficiaries_reached"]["value"] == 2
    download = coordinator_client.get(reverse("reporting:frozen_report_pdf", args=[frozen.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="rapport-2025-01-01-2025-12-31.pdf"'
    assert read_response(download) == stored_pdf
    data = json.loads(read_response(coordinator_client.get(reverse("reporting:frozen_report_json", args=[frozen.pk]))))
    assert data["indicators"]["beneficiaries_reached"]["value"] == 2
    page = coordinator_client.get(committee.get_absolute_url()).content.decode()
    assert '<article class="report-item keep-together" id="indicator-beneficiaries_reached"' in page
    assert '<span class="report-figure-value">2</span>' in page
    assert '<span class="report-figure-value">5</span>' not in page


def test_a_frozen_report_is_never_changed(organisation):
    frozen = FrozenReportFactory(committee__organisation=organisation)
    frozen.figures = {}
    with pytest.raises(ValueError, match="never changed"):
        frozen.save()


def test_the_report_of_one_site_is_frozen_with_its_label(coordinator_client, organisation):
    committee = CommitteeFactory(organisation=organisation)
    site = SiteFactory(organisation=organisation, name="Jardin du Moulin")
    response = coordinator_client.post(
        ATTACH,
        {"committee": committee.pk, "period": "custom", "start": "01/01/2026", "end": "30/06/2026", "site": site.pk},
    )
    assert response.status_code == 302
    frozen = committee.reports.get()
    assert (frozen.start, frozen.end, frozen.site_label) == (D(2026, 1, 1), D(2026, 6, 30), "Jardin du Moulin")
    assert frozen.figures["site"] == {"id": site.pk, "name": "Jardin du Moulin"}


def test_a_bad_period_is_refused_and_nothing_is_frozen(coordinator_client, organisation):
    committee = CommitteeFactory(organisation=organisation)
    response = coordinator_client.post(
        ATTACH, {"committee": committee.pk, "period": "custom", "start": "31/12/2025", "end": "01/01/2025"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"end": ["The end of the period cannot come before its start."]}
    assert not FrozenReport.objects.exists()


def test_another_organisations_committee_or_site_cannot_be_chosen(
    coordinator_client, organisation, other_organisation
):
    ours = CommitteeFactory(organisation=organisation)
    theirs = CommitteeFactory(organisation=other_organisation)
    their_site = SiteFactory(organisation=other_organisation)
    response = coordinator_client.post(ATTACH, {"committee": theirs.pk, "period": "year", "year": "2025"})
    assert response.context["form"].errors == {"committee": ["Choose one of your organisation's committees."]}
    response = coordinator_client.post(
        ATTACH, {"committee": ours.pk, "period": "year", "year": "2025", "site": their_site.pk}
    )
    assert response.context["form"].errors == {"site": ["Choose one of your organisation's sites."]}
    response = coordinator_client.post(ATTACH, {"period": "year", "year": "2025"})
    assert response.context["form"].errors == {"committee": ["Choose the committee to attach the report to."]}
    assert not FrozenReport.objects.exists()


def test_the_attach_page_starts_from_the_reports_parameters(coordinator_client, organisation):
    committee = CommitteeFactory(organisation=organisation)
    response = coordinator_client.get(
        ATTACH, {"committee": committee.pk, "period": "custom", "start": "01/01/2026", "end": "31/03/2026"}
    )
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial["committee"] == str(committee.pk)
    assert (form.initial["period"], form.initial["start"], form.initial["end"]) == (
        "custom",
        "01/01/2026",
        "31/03/2026",
    )
    # Without parameters: last calendar year, the year a steering committee reviews.
    form = coordinator_client.get(ATTACH).context["form"]
    assert (form.initial["period"], form.initial["year"]) == ("year", "2025")


def test_the_report_page_offers_to_attach_it_to_a_committee(coordinator_client):
    response = coordinator_client.get(reverse("reporting:report"), {"period": "year", "year": "2025"})
    query = response.context["query"]
    assert f'href="{ATTACH}?{query.replace("&", "&amp;")}"' in response.content.decode()


# Removing a frozen report --------------------------------------------------------------------------------------


def test_a_frozen_report_is_removed_only_once_confirmed(coordinator_client, organisation):
    frozen = FrozenReportFactory(committee__organisation=organisation)
    url = reverse("reporting:frozen_report_delete", args=[frozen.pk])
    response = coordinator_client.post(url, follow=True)
    assert _messages(response) == ["Tick the box to confirm the removal."]
    assert FrozenReport.objects.filter(pk=frozen.pk).exists()
    response = coordinator_client.post(url, {"confirm": "on"})
    assert response["Location"] == frozen.committee.get_absolute_url()
    assert not FrozenReport.objects.filter(pk=frozen.pk).exists()
    assert Committee.objects.filter(pk=frozen.committee.pk).exists()


# Query counts --------------------------------------------------------------------------------------------------


def test_the_list_runs_the_same_queries_whatever_the_number_of_committees(
    coordinator_client, organisation, django_assert_num_queries
):
    for index in range(4):
        committee = CommitteeFactory(organisation=organisation, date=D(2026, 1, 10 + index))
        FrozenReportFactory.create_batch(2, committee=committee)
    # Session, user, memberships; the request's savepoint; the count and the page of committees with their report
    # counts; the savepoint released.
    with django_assert_num_queries(7):
        response = coordinator_client.get(LIST)
    rows = [(committee.date, committee.report_count) for committee in response.context["page_obj"]]
    assert rows == [(D(2026, 1, 13), 2), (D(2026, 1, 12), 2), (D(2026, 1, 11), 2), (D(2026, 1, 10), 2)]


def test_the_committee_page_runs_the_same_queries_whatever_the_number_of_reports(
    coordinator_client, coordinator, organisation, django_assert_num_queries
):
    committee = CommitteeFactory(organisation=organisation)
    FrozenReportFactory.create_batch(3, committee=committee, frozen_by=coordinator)
    # Session, user, memberships; savepoint; the committee; its reports with who froze them; savepoint released.
    with django_assert_num_queries(7):
        response = coordinator_client.get(committee.get_absolute_url())
    assert len(response.context["reports"]) == 3


def test_the_downloads_read_one_row(coordinator_client, organisation, django_assert_num_queries):
    frozen = FrozenReportFactory(committee__organisation=organisation)
    # Session, user, memberships; savepoint; the report with its committee; savepoint released.
    with django_assert_num_queries(6):
        response = coordinator_client.get(reverse("reporting:frozen_report_pdf", args=[frozen.pk]))
    assert read_response(response) == SAMPLE_PDF
    with django_assert_num_queries(6):
        response = coordinator_client.get(reverse("reporting:frozen_report_json", args=[frozen.pk]))
    assert json.loads(read_response(response))["indicators"]["beneficiaries_reached"]["value"] == 56
