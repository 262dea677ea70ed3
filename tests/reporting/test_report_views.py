"""The indicator report page: who may open it, the period and scope chosen, the figures shown, the queries run."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insertion.models import ExitOutcome, Programme
from reporting.indicators import Scope, compute
from tests.beneficiaries.factories import BeneficiaryFactory, EnrolmentFactory
from tests.gardens.factories import AttendanceFactory, HarvestFactory, SiteFactory, WorkshopFactory
from tests.insertion.factories import MembershipFactory

D = datetime.date
REPORT = "reporting:report"
YEAR_2025 = {"period": "year", "year": "2025"}
# Besides the indicators' own queries: the session, the user, the memberships, the request's savepoint and its
# release, the sites and the programmes listed in the form.
PAGE_QUERIES = 7


@pytest.fixture(autouse=True)
def _english_and_frozen(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 3, 20, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


def build_people(organisation, other_organisation):
    """People around 2025, each expected figure written out in the tests.

    - Alice (F, born 1990): entered 01/02/2025, still in; present 2 h at the Moulin on 10/03/2025.
    - Béatrice (F, born 1970): entered 01/09/2024, left 30/04/2025 to a CDI (sustainable employment).
    - Camille (M, born 2001): entered 01/06/2025, left 15/06/2025, came back 01/09/2025 (counts once).
    - Denis (M): 15/01/2024 to 31/12/2024: not reached in 2025.
    - Fatou, of another organisation, entered in 2025: never counted.
    In 2025: 3 people reached, 2 women (66.7 %) and 1 man (33.3 %); 2 entries, 2 exits; 12.5 kg harvested.
    """
    cdi = ExitOutcome.objects.get(organisation=organisation, code="cdi")
    moulin = SiteFactory(organisation=organisation, name="Jardin du Moulin")
    alice = BeneficiaryFactory(organisation=organisation, sex="F", birth_date=D(1990, 4, 2), last_name="Martin")
    EnrolmentFactory(beneficiary=alice, entry_date=D(2025, 2, 1))
    beatrice = BeneficiaryFactory(organisation=organisation, sex="F", birth_date=D(1970, 7, 1), last_name="Durand")
    EnrolmentFactory(beneficiary=beatrice, entry_date=D(2024, 9, 1), exit_date=D(2025, 4, 30), exit_outcome=cdi)
    camille = BeneficiaryFactory(organisation=organisation, sex="M", birth_date=D(2001, 1, 1), last_name="Petit")
    EnrolmentFactory(beneficiary=camille, entry_date=D(2025, 6, 1), exit_date=D(2025, 6, 15), exit_outcome=cdi)
    EnrolmentFactory(beneficiary=camille, entry_date=D(2025, 9, 1))
    denis = BeneficiaryFactory(organisation=organisation, sex="M", birth_date=D(1980, 1, 1), last_name="Leroy")
    EnrolmentFactory(beneficiary=denis, entry_date=D(2024, 1, 15), exit_date=D(2024, 12, 31), exit_outcome=cdi)
    fatou = BeneficiaryFactory(organisation=other_organisation, sex="F", last_name="Diallo")
    EnrolmentFactory(beneficiary=fatou, entry_date=D(2025, 3, 1))
    workshop = WorkshopFactory(site=moulin, date=D(2025, 3, 10))
    AttendanceFactory(workshop=workshop, beneficiary=alice, hours="2")
    HarvestFactory(site=moulin, date=D(2025, 3, 10), quantity="12.5")
    return {"site": moulin, "alice": alice, "beatrice": beatrice, "camille": camille}


def add_volume(organisation, site, count=6):
    """More people, workshops, presences and harvests in 2025: the query counts must not move."""
    for index in range(count):
        person = BeneficiaryFactory(organisation=organisation, sex="MF"[index % 2], birth_date=D(1960 + index, 1, 1))
        EnrolmentFactory(beneficiary=person, entry_date=D(2025, 1 + index, 3))
        workshop = WorkshopFactory(site=site, date=D(2025, 1 + index, 5))
        AttendanceFactory(workshop=workshop, beneficiary=person)
        HarvestFactory(site=site, date=D(2025, 1 + index, 5), quantity="3")


def table_row(label, value, share):
    """A row of a report's table as the page and the PDF write it: the count beside the share."""
    return (
        f'<th scope="row" class="fw-normal">{label}</th><td class="text-end num">{value}</td>'
        f'<td class="text-end num">{share}\xa0%</td>'
    )


def indicator_queries(scope):
    """How many queries the indicators run for `scope`: one each, whatever the volume."""
    with CaptureQueriesContext(connection) as queries:
        compute(scope)
    return len(queries)


@pytest.fixture
def people(organisation, other_organisation):
    return build_people(organisation, other_organisation)


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def _get(client, **params):
    return client.get(reverse(REPORT), params)


@pytest.mark.parametrize("persona", ["social_worker", "trainer", "administrator"])
@pytest.mark.parametrize("name", ["reporting:report", "reporting:report_pdf", "reporting:dashboard"])
def test_only_coordinators_open_the_report_and_the_dashboard(request, client, persona, name):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("persona", ["social_worker", "trainer", "administrator"])
def test_only_coordinators_download_the_report(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    for fmt in ("json", "xlsx"):
        assert client.get(reverse("reporting:report_export", kwargs={"fmt": fmt}), YEAR_2025).status_code == 403
    url = reverse("reporting:report_export", kwargs={"fmt": "csv"})
    assert client.get(url, {**YEAR_2025, "table": "beneficiaries_by_sex"}).status_code == 403


def test_the_report_shows_the_figures_of_the_year_with_counts_beside_shares(coordinator_client, people):
    response = _get(coordinator_client, **YEAR_2025)
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["report"].period_label == "2025"
    sex = response.context["report"].results["beneficiaries_by_sex"]
    assert sex.value == 3
    assert [(row.key, row.value, str(row.share)) for row in sex.rows] == [
        ("F", 2, "66.7"),
        ("M", 1, "33.3"),
        ("X", 0, "0.0"),
    ]
    assert table_row("Female", 2, "66.7") in body
    assert table_row("Male", 1, "33.3") in body
    assert response.context["report"].results["beneficiaries_reached"].value == 3
    assert response.context["report"].results["entries"].value == 2
    assert response.context["report"].results["exits"].value == 2


def test_every_section_and_indicator_of_the_registry_is_on_the_page(coordinator_client, people):
    from reporting.indicators import by_section

    body = _get(coordinator_client, **YEAR_2025).content.decode()
    for key, _label, indicators in by_section():
        if indicators:
            assert f'id="section-{key}"' in body
        for indicator in indicators:
            assert f'id="indicator-{indicator.code}"' in body


def test_each_table_has_its_chart_with_a_text_alternative(coordinator_client, people):
    response = _get(coordinator_client, **YEAR_2025)
    body = response.content.decode()
    item = next(
        item
        for section in response.context["sections"]
        for item in section["items"]
        if item["code"] == "beneficiaries_by_sex"
    )
    assert item["chart"].description == "People reached by sex: Female 2; Male 1; Other or not stated 0."
    assert str(item["chart"].svg) in body
    assert "<desc" in str(item["chart"].svg)


def test_the_report_holds_no_name(coordinator_client, people):
    body = _get(coordinator_client, **YEAR_2025).content.decode()
    for name in ("Martin", "Durand", "Petit", "Leroy", "Diallo"):
        assert name not in body


def test_a_first_visit_shows_the_year_to_date_in_the_organisation_time_zone(coordinator_client, organisation, people):
    # 23:30 in London on 31/12/2025 is already 01/01/2026 in Paris, where the organisation works.
    organisation.time_zone = "Europe/Paris"
    organisation.save()
    with time_machine.travel(datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC), tick=False):
        response = coordinator_client.get(reverse(REPORT))
    report = response.context["report"]
    assert (report.scope.start, report.scope.end) == (D(2026, 1, 1), D(2026, 1, 1))
    assert report.results["beneficiaries_reached"].value == 2  # Alice and Camille, still in


def test_a_month_a_quarter_and_custom_days_give_their_periods(coordinator_client, people):
    cases = [
        ({"period": "month", "year": "2025", "month": "6"}, (D(2025, 6, 1), D(2025, 6, 30)), "June 2025", 2),
        ({"period": "quarter", "year": "2025", "quarter": "2"}, (D(2025, 4, 1), D(2025, 6, 30)), "Q2 2025", 3),
        (
            {"period": "custom", "start": "01/05/2025", "end": "31/05/2025"},
            (D(2025, 5, 1), D(2025, 5, 31)),
            "May 2025",
            1,
        ),
        (
            {"period": "custom", "start": "15/06/2025", "end": "01/09/2025"},
            (D(2025, 6, 15), D(2025, 9, 1)),
            "From 15/06/2025 to 01/09/2025",
            2,
        ),
    ]
    for params, bounds, label, reached in cases:
        report = _get(coordinator_client, **params).context["report"]
        assert (report.scope.start, report.scope.end) == bounds, params
        assert report.period_label == label
        # June: Alice, Camille; Q2: Alice, Béatrice, Camille; May: Alice; 15/06–01/09: Alice, Camille.
        assert report.results["beneficiaries_reached"].value == reached, params


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"period": "custom", "start": "01/06/2025", "end": "31/05/2025"},
            "end",
            "The end of the period cannot come before its start.",
        ),
        ({"period": "custom", "start": "31/02/2025", "end": "31/05/2025"}, "start", "Enter a date as dd/mm/yyyy"),
        ({"period": "custom", "start": "01/02/2025"}, "end", "Enter the last day of the period, as dd/mm/yyyy."),
        ({"period": "month", "year": "2025"}, "month", "Choose the month."),
        ({"period": "year", "year": ""}, "year", "Enter the year, for example 2026."),
        ({"period": "year", "year": "1850"}, "year", "Enter a year between 2000 and 2027."),
        ({"period": "sometime"}, "period", "Select a valid choice."),
    ],
)
def test_bad_choices_get_a_clear_message_on_the_field_and_no_figures(
    coordinator_client, people, params, field, message
):
    response = _get(coordinator_client, **params)
    assert response.status_code == 200
    assert response.context["report"] is None
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert message.replace("'", "&#x27;") in response.content.decode()


def test_another_organisation_site_is_a_form_error_that_tells_nothing_of_it(
    coordinator_client, people, other_organisation
):
    theirs = SiteFactory(organisation=other_organisation, name="Potager secret")
    response = _get(coordinator_client, **YEAR_2025, site=theirs.pk)
    assert response.context["report"] is None
    assert response.context["form"].errors["site"] == ["Choose one of your organisation's sites."]
    assert "Potager secret" not in response.content.decode()
    for name in ("reporting:report_pdf",):
        assert coordinator_client.get(reverse(name), {**YEAR_2025, "site": theirs.pk}).status_code == 400
    export = reverse("reporting:report_export", kwargs={"fmt": "json"})
    refused = coordinator_client.get(export, {**YEAR_2025, "site": theirs.pk})
    assert refused.status_code == 400
    assert "Potager secret" not in refused.content.decode()


def test_another_organisation_programme_is_a_form_error(coordinator_client, people, other_organisation):
    theirs = Programme.objects.create(organisation=other_organisation, code="secret", label="Programme secret")
    response = _get(coordinator_client, **YEAR_2025, programme=theirs.pk)
    assert response.context["form"].errors["programme"] == ["Choose one of your organisation's programmes."]


def test_a_site_report_counts_the_people_present_on_that_site(coordinator_client, people):
    response = _get(coordinator_client, **YEAR_2025, site=people["site"].pk)
    report = response.context["report"]
    assert report.scope.site == people["site"]
    assert report.scope_label == "Site Jardin du Moulin"
    assert report.results["beneficiaries_reached"].value == 1  # only Alice came to the Moulin


def test_a_programme_report_counts_the_people_of_that_programme(coordinator_client, organisation, people):
    other = Programme.objects.create(organisation=organisation, code="chantier", label="Chantier tremplin")
    dina = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(beneficiary=dina, programme=other, entry_date=D(2025, 5, 5))
    response = _get(coordinator_client, **YEAR_2025, programme=other.pk)
    assert response.context["report"].results["beneficiaries_reached"].value == 1
    assert response.context["report"].scope_label == "Programme Chantier tremplin"


def test_the_downloads_carry_the_same_period_and_scope(coordinator_client, people):
    response = _get(coordinator_client, period="quarter", year="2025", quarter="1", site=people["site"].pk)
    links = response.context["links"]
    expected = {"period": ["custom"], "start": ["01/01/2025"], "end": ["31/03/2025"], "site": [str(people["site"].pk)]}
    for name in ("pdf", "xlsx", "json", "csv"):
        assert parse_qs(urlsplit(links[name]).query) == expected, name
    body = response.content.decode()
    assert links["pdf"].replace("&", "&amp;") in body
    assert f"{links['csv']}&table=beneficiaries_by_sex".replace("&", "&amp;") in body
    # The PDF of those links is the same report.
    pdf = coordinator_client.get(links["pdf"])
    assert pdf.status_code == 200


def test_the_page_runs_the_same_number_of_queries_whatever_the_volume(
    coordinator_client, organisation, people, django_assert_num_queries
):
    scope = Scope((organisation,), D(2025, 1, 1), D(2025, 12, 31))
    per_indicator = indicator_queries(scope)
    with django_assert_num_queries(PAGE_QUERIES + per_indicator):
        assert _get(coordinator_client, **YEAR_2025).status_code == 200
    add_volume(organisation, people["site"])
    assert indicator_queries(scope) == per_indicator
    with django_assert_num_queries(PAGE_QUERIES + per_indicator):
        response = _get(coordinator_client, **YEAR_2025)
    assert response.context["report"].results["beneficiaries_reached"].value == 9


def test_a_site_report_runs_one_more_query_to_check_the_site(
    coordinator_client, organisation, people, django_assert_num_queries
):
    site = people["site"]
    per_indicator = indicator_queries(Scope((organisation,), D(2025, 1, 1), D(2025, 12, 31), site=site))
    with django_assert_num_queries(PAGE_QUERIES + 1 + per_indicator):  # the site chosen is looked up
        _get(coordinator_client, **YEAR_2025, site=site.pk)
    add_volume(organisation, site)
    with django_assert_num_queries(PAGE_QUERIES + 1 + per_indicator):
        _get(coordinator_client, **YEAR_2025, site=site.pk)


def test_a_coordinator_of_two_organisations_sees_the_one_they_work_in(
    client, organisation, other_organisation, people
):
    both = MembershipFactory(organisation=organisation, coordinator=True).user
    MembershipFactory(organisation=other_organisation, user=both, coordinator=True)
    client.force_login(both)
    client.post(reverse("core:switch_organisation"), {"organisation": other_organisation.pk})
    report = _get(client, **YEAR_2025).context["report"]
    assert report.scope.organisations == (other_organisation,)
    assert report.results["beneficiaries_reached"].value == 1  # Fatou
