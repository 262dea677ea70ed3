"""The network view: the report of every organisation a user coordinates, added up, with each organisation's key
figures; the organisations where they hold another role stay out, and no person's name ever shows."""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insertion.models import ExitOutcome
from reporting import network
from reporting.indicators import Scope
from reporting.report import build_report
from tests.beneficiaries.factories import BeneficiaryFactory, EnrolmentFactory
from tests.gardens.factories import AttendanceFactory, HarvestFactory, SiteFactory, WorkshopFactory
from tests.insertion.factories import MembershipFactory, OrganisationFactory
from tests.utils import read_response

pytestmark = pytest.mark.django_db

D = datetime.date
PAGE = reverse("reporting:network_report")
PDF = reverse("reporting:network_report_pdf")
JSON = reverse("reporting:network_report_json")
YEAR_2025 = {"period": "year", "year": "2025"}
REQUEST_QUERIES = 5  # session, user, memberships, and the savepoint of the request's transaction with its release


@pytest.fixture(autouse=True)
def _frozen_and_english(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def federation(db):
    return OrganisationFactory(slug="regie-du-nord", name="Régie du Nord", with_defaults=True)


@pytest.fixture
def network_coordinator(coordinator, federation, other_organisation):
    """Coordinator at Les Jardins and at the Régie du Nord; only a social worker at the Régie d'ailleurs."""
    MembershipFactory(user=coordinator, organisation=federation, coordinator=True)
    MembershipFactory(user=coordinator, organisation=other_organisation, social_worker=True)
    return coordinator


def _people(organisation, names, *, entry=None, exit_date=None, hours=Decimal("2")):
    """People of `names` enrolled (on 03/03/2025 unless `entry`), present at a workshop of a new site in 2025,
    whose harvest is 10 kg."""
    site = SiteFactory(organisation=organisation)
    workshop = WorkshopFactory(site=site, date=D(2025, 4, 8))
    outcome = ExitOutcome.objects.filter(organisation=organisation).first() if exit_date else None
    for name in names:
        person = BeneficiaryFactory(organisation=organisation, last_name=name)
        EnrolmentFactory(
            beneficiary=person, entry_date=entry or D(2025, 3, 3), exit_date=exit_date, exit_outcome=outcome
        )
        AttendanceFactory(workshop=workshop, beneficiary=person, hours=hours)
    HarvestFactory(site=site, date=D(2025, 7, 1), quantity=Decimal("10"))
    return site


@pytest.fixture
def data(organisation, federation, other_organisation):
    """Les Jardins: 2 people (entered 2025), 2 h each, 10 kg. Régie du Nord: 3 people in since 2024, one of them
    left in 2025, 1.5 h each, 10 kg. Régie d'ailleurs (not coordinated): 4 people, never counted."""
    _people(organisation, ["Zanetti", "Yildiz"])
    _people(federation, ["Xavier", "Wagner"], entry=D(2024, 5, 1), hours=Decimal("1.5"))
    _people(federation, ["Vasseur"], entry=D(2024, 5, 1), exit_date=D(2025, 9, 30), hours=Decimal("1.5"))
    _people(other_organisation, ["Ursule", "Tessier", "Sauvage", "Roussel"])


def _logged_in(client, user):
    client.force_login(user)
    return client


def test_the_report_adds_up_the_organisations_the_user_coordinates(client, network_coordinator, data):
    response = _logged_in(client, network_coordinator).get(PAGE, YEAR_2025)
    assert response.status_code == 200
    report = response.context["report"]
    assert [organisation.name for organisation in report.scope.organisations] == ["Les Jardins", "Régie du Nord"]
    assert report.results["beneficiaries_reached"].value == 5
    assert report.results["entries"].value == 2
    assert report.results["exits"].value == 1
    assert response.context["breakdown_rows"] == [
        ("Les Jardins", ["2", "2", "0", "1", "4", "10"]),
        ("Régie du Nord", ["3", "0", "1", "2", "4.5", "20"]),
    ]
    assert response.context["breakdown_totals"] == ["5", "2", "1", "3", "8.5", "30"]
    # The organisation where the user is a social worker shows in the menu to switch to it, never in the figures.
    body = response.content.decode()
    figures = body[body.index('id="breakdown-title"') :]
    assert "ailleurs" not in figures
    assert "ailleurs" not in report.organisation_names


def test_the_breakdown_adds_up_to_the_network_figures(organisation, federation, data):
    scope = Scope((organisation, federation), D(2025, 1, 1), D(2025, 12, 31))
    totals = network.breakdown_totals(network.organisation_breakdown(scope))
    results = build_report(scope).results
    assert totals == {
        "reached": results["beneficiaries_reached"].value,
        "entries": results["entries"].value,
        "exits": results["exits"].value,
        "workshops": results["workshops_by_kind"].value,
        "hours": results["presence_hours"].value,
        "harvested_kg": results["harvest_by_variety"].value,
    }
    assert totals == {
        "reached": 5,
        "entries": 2,
        "exits": 1,
        "workshops": 3,
        "hours": Decimal("8.5"),
        "harvested_kg": Decimal("30"),
    }


def test_no_name_of_a_person_reaches_the_page_or_the_downloads(client, network_coordinator, data, rendered_html):
    pages = rendered_html
    client = _logged_in(client, network_coordinator)
    page = client.get(PAGE, YEAR_2025).content.decode()
    document = client.get(PDF, YEAR_2025)
    assert read_response(document).startswith(b"%PDF")
    data_text = read_response(client.get(JSON, YEAR_2025)).decode()
    for text in (page, pages[0], data_text):
        for name in ("Zanetti", "Yildiz", "Xavier", "Wagner", "Vasseur", "Ursule", "Roussel"):
            assert name not in text
    assert "Régie du Nord" in pages[0]


def test_the_json_carries_the_breakdown(client, network_coordinator, data):
    response = _logged_in(client, network_coordinator).get(JSON, YEAR_2025)
    assert response["Content-Disposition"] == (
        'attachment; filename="rapport-jardins-regie-du-nord-2025-01-01-2025-12-31-reseau.json"'
    )
    payload = json.loads(read_response(response))
    assert [organisation["slug"] for organisation in payload["organisations"]] == ["jardins", "regie-du-nord"]
    assert payload["indicators"]["beneficiaries_reached"]["value"] == 5
    assert payload["breakdown"] == [
        {
            "organisation": {"slug": "jardins", "name": "Les Jardins"},
            "reached": 2,
            "entries": 2,
            "exits": 0,
            "workshops": 1,
            "hours": "4.00",
            "harvested_kg": "10.00",
        },
        {
            "organisation": {"slug": "regie-du-nord", "name": "Régie du Nord"},
            "reached": 3,
            "entries": 0,
            "exits": 1,
            "workshops": 2,
            "hours": "4.50",
            "harvested_kg": "20.00",
        },
    ]


@pytest.mark.parametrize("url", [PAGE, PDF, JSON])
def test_a_coordinator_of_one_organisation_is_told_the_view_needs_two(client, coordinator, url):
    response = _logged_in(client, coordinator).get(url)
    assert response.status_code == 403
    assert "The network report needs two organisations" in response.content.decode()
    assert "You coordinate 1 organisation." in response.content.decode()


def test_being_social_worker_in_a_second_organisation_gives_no_network(client, coordinator, other_organisation):
    MembershipFactory(user=coordinator, organisation=other_organisation, social_worker=True)
    assert _logged_in(client, coordinator).get(PAGE).status_code == 403


def test_a_social_worker_in_two_organisations_gets_no_network(client, social_worker, other_organisation):
    MembershipFactory(user=social_worker, organisation=other_organisation, social_worker=True)
    assert _logged_in(client, social_worker).get(PAGE).status_code == 403


def test_a_bad_period_is_said_on_the_page_and_refused_by_the_downloads(client, network_coordinator):
    client = _logged_in(client, network_coordinator)
    bad = {"period": "custom", "start": "31/12/2025", "end": "01/01/2025"}
    response = client.get(PAGE, bad)
    assert response.status_code == 200
    assert response.context["form"].errors == {"end": ["The end of the period cannot come before its start."]}
    assert client.get(JSON, bad).status_code == 400
    assert client.get(PDF, bad).status_code == 400


def _report_queries(organisations):
    with CaptureQueriesContext(connection) as queries:
        build_report(Scope(organisations, D(2025, 1, 1), D(2025, 12, 31)))
    return len(queries)


def test_the_page_runs_the_same_queries_whatever_the_organisations_and_the_volume(
    client, network_coordinator, organisation, federation, data, django_assert_num_queries
):
    client = _logged_in(client, network_coordinator)
    # The request's own, the report's (one per indicator), six for the breakdown.
    expected = REQUEST_QUERIES + _report_queries([organisation, federation]) + 6
    with django_assert_num_queries(expected):
        client.get(PAGE, YEAR_2025)
    third = OrganisationFactory(slug="troisieme", name="Troisième jardin", with_defaults=True)
    MembershipFactory(user=network_coordinator, organisation=third, coordinator=True)
    _people(third, ["Quentin", "Perrin", "Olivier"])
    _people(organisation, ["Nicolas", "Martin"])
    assert _report_queries([organisation, federation, third]) == _report_queries([organisation, federation])
    with django_assert_num_queries(expected):
        response = client.get(PAGE, YEAR_2025)
    assert [name for name, _values in response.context["breakdown_rows"]] == [
        "Les Jardins",
        "Régie du Nord",
        "Troisième jardin",
    ]
    with django_assert_num_queries(expected):
        read_response(client.get(JSON, YEAR_2025))


def test_the_committees_page_offers_the_network_report_to_coordinators_of_several_organisations(
    client, coordinator, federation
):
    client = _logged_in(client, coordinator)
    assert PAGE not in client.get(reverse("reporting:committee_list")).content.decode()
    MembershipFactory(user=coordinator, organisation=federation, coordinator=True)
    assert f'href="{PAGE}"' in client.get(reverse("reporting:committee_list")).content.decode()
