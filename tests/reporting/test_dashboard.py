"""The coordinator's monthly dashboard: the month and the year to date beside a year earlier, and the charts."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting import charts
from reporting.forms import month_query
from reporting.indicators import REGISTRY, Scope, compute
from reporting.report_views import KEY_FIGURES
from tests.beneficiaries.factories import BeneficiaryFactory, EnrolmentFactory
from tests.gardens.factories import AttendanceFactory, HarvestFactory, WorkshopFactory
from tests.reporting.test_report_views import add_volume, build_people

D = datetime.date
DASHBOARD = "reporting:dashboard"
# The session, the user, the memberships, the request's savepoint and its release; besides, the key figures' own
# queries (the month and the year to date, this year and a year earlier), then the three month-by-month series
# (one query each) and the exits by category.
PAGE_QUERIES = 5
SERIES_QUERIES = 3 + 1


@pytest.fixture(autouse=True)
def _english_and_frozen(settings):
    settings.LANGUAGE_CODE = "en"
    # 20/03/2026 in Paris.
    with time_machine.travel(datetime.datetime(2026, 3, 20, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def people(organisation, other_organisation):
    """build_people (2024–2025), and in March 2026: Eve enters on 02/03, Alice works 3 h, 4 kg are harvested."""
    people = build_people(organisation, other_organisation)
    eve = BeneficiaryFactory(organisation=organisation, sex="F", last_name="Moreau")
    EnrolmentFactory(beneficiary=eve, entry_date=D(2026, 3, 2))
    workshop = WorkshopFactory(site=people["site"], date=D(2026, 3, 5))
    AttendanceFactory(workshop=workshop, beneficiary=people["alice"], hours="3")
    HarvestFactory(site=people["site"], date=D(2026, 3, 5), quantity="4")
    return people


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def _figure(response, code):
    return next(figure for figure in response.context["key_figures"] if figure["code"] == code)


def _chart(response, title_start):
    return next(chart for chart in response.context["charts"] if chart.title.startswith(title_start))


def test_a_coordinator_lands_on_the_dashboard(coordinator_client):
    assert coordinator_client.get(reverse("core:home"))["Location"] == reverse(DASHBOARD)
    assert coordinator_client.get(reverse("core:home_coordinator"))["Location"] == reverse(DASHBOARD)
    response = coordinator_client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    # The menu's "Coordination" entry leads to it.
    assert f'href="{reverse(DASHBOARD)}"' in response.content.decode()


@pytest.mark.parametrize("persona", ["social_worker", "trainer", "administrator"])
def test_the_other_roles_cannot_open_the_dashboard(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(DASHBOARD)).status_code == 403


def test_the_month_so_far_beside_the_same_days_a_year_earlier(coordinator_client, people):
    response = coordinator_client.get(reverse(DASHBOARD))
    assert response.context["month"] == D(2026, 3, 1)
    assert response.context["last_day"] == D(2026, 3, 20)
    reached = _figure(response, "beneficiaries_reached")
    month, year = reached["rows"]
    # March 2026 to the 20th: Alice, Camille, Eve. March 2025 to the 20th: Alice, Béatrice.
    assert (month["period"], month["value"], month["earlier"], month["difference"]) == ("March", "3", "2", "+1")
    # 01/01–20/03/2026: Alice, Camille, Eve. 01/01–20/03/2025: Alice, Béatrice.
    assert (year["period"], year["value"], year["earlier"], year["difference"]) == (
        "Year to date",
        "3",
        "2",
        "+1",
    )
    entries = _figure(response, "entries")["rows"]
    assert [(row["value"], row["earlier"], row["difference"], row["same"]) for row in entries] == [
        ("1", "0", "+1", False),
        ("1", "1", "", True),
    ]
    body = response.content.decode()
    assert "Dashboard: March 2026" in body
    assert "The month so far, up to 20/03/2026, beside the same days a year earlier." in body
    assert '<th scope="col" class="text-end">2026</th>' in body
    assert '<th scope="col" class="text-end">2025</th>' in body
    assert re.search(r'<td class="text-end num fw-semibold">3</td>\s*<td class="text-end num">2</td>', body)


def test_a_past_month_compares_the_whole_month(coordinator_client, people):
    response = coordinator_client.get(reverse(DASHBOARD), {"month": "2025-04"})
    assert response.context["last_day"] == D(2025, 4, 30)
    month, year = _figure(response, "exits")["rows"]
    assert (month["value"], month["earlier"], month["difference"]) == ("1", "0", "+1")  # Béatrice on 30/04/2025
    assert (year["value"], year["earlier"]) == ("1", "0")


def test_people_reached_month_by_month_beside_the_year_before(coordinator_client, people):
    chart = _chart(coordinator_client.get(reverse(DASHBOARD)), "People reached per month")
    headers, current, earlier = chart.table.headers, chart.table.rows[0], chart.table.rows[1]
    assert headers[1:] == (
        "Apr 2025", "May 2025", "Jun 2025", "Jul 2025", "Aug 2025", "Sep 2025",
        "Oct 2025", "Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026",
    )  # fmt: skip
    assert current == ("12 months to Mar 2026", "2", "1", "2", "1", "1", "2", "2", "2", "2", "2", "2", "3")
    # Apr–Aug 2024 Denis; Sep–Dec 2024 Denis and Béatrice; Jan 2025 Béatrice; Feb–Mar 2025 Béatrice and Alice.
    assert earlier == ("A year earlier", "1", "1", "1", "1", "1", "2", "2", "2", "2", "1", "2", "2")
    assert "People reached per month." in chart.description


def test_harvest_and_hours_month_by_month(coordinator_client, people):
    response = coordinator_client.get(reverse(DASHBOARD))
    harvest = _chart(response, "Harvest per month")
    assert harvest.table.rows[0][-1] == "4"  # March 2026
    assert harvest.table.rows[1][-1] == "12.5"  # March 2025
    assert harvest.table.rows[0][1:-1] == ("0",) * 11
    hours = _chart(response, "Hours of presence per month")
    assert (hours.table.rows[0][-1], hours.table.rows[1][-1]) == ("3", "2")


def test_exits_by_category_of_the_year(coordinator_client, people):
    response = coordinator_client.get(reverse(DASHBOARD), {"month": "2025-12"})
    exits = _chart(response, "Exits by category")
    assert exits.table.rows[0] == ("Sustainable employment", "2")  # Béatrice and Camille in 2025
    assert exits.description.startswith("Exits by category, year to 31/12/2025: Sustainable employment 2;")


def test_each_chart_has_its_text_alternative_and_figures_on_the_page(coordinator_client, people):
    response = coordinator_client.get(reverse(DASHBOARD))
    body = response.content.decode()
    assert len(response.context["charts"]) == 4
    for chart in response.context["charts"]:
        assert str(chart.svg) in body
        assert (
            f'<figcaption class="small text-body-secondary">{chart.description}</figcaption>'.replace("'", "&#x27;")
            in body
        )
    drawn = [chart for chart in response.context["charts"] if not chart.is_empty]
    assert len(drawn) == 3  # no exit yet in 2026: that chart says so instead of drawing nothing
    assert body.count("Show the figures") == 3
    assert "No exit this year yet." in body


def test_an_empty_organisation_sees_empty_charts_that_say_so(coordinator_client):
    response = coordinator_client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    assert all(chart.is_empty for chart in response.context["charts"])
    assert "Nobody enrolled in these months yet." in response.content.decode()


def test_previous_and_next_months_and_the_print_link(coordinator_client, people):
    response = coordinator_client.get(reverse(DASHBOARD), {"month": "2026-02"})
    body = response.content.decode()
    assert 'href="?month=2026-01"' in body
    assert 'href="?month=2026-03"' in body
    print_url = f"{reverse('reporting:report_pdf')}?{month_query(D(2026, 2, 1))}"
    assert response.context["print_url"] == print_url
    assert print_url.replace("&", "&amp;") in body
    pdf = coordinator_client.get(print_url)
    assert pdf.status_code == 200
    assert pdf["Content-Disposition"] == 'attachment; filename="rapport-jardins-2026-02-01-2026-02-28.pdf"'
    # The current month has no next one.
    assert 'href="?month=2026-04"' not in coordinator_client.get(reverse(DASHBOARD)).content.decode()


@pytest.mark.parametrize("month", ["2026-04", "2026-13", "march", "1999-12"])
def test_a_month_to_come_or_that_is_not_one_is_a_404(coordinator_client, month):
    assert coordinator_client.get(reverse(DASHBOARD), {"month": month}).status_code == 404


def test_each_month_by_month_series_is_one_query(organisation, people, django_assert_num_queries):
    months = charts.months_ending(D(2026, 3, 1), 24)
    for series in (charts.people_reached_by_month, charts.harvest_kg_by_month, charts.presence_hours_by_month):
        with django_assert_num_queries(1):
            series([organisation.pk], months)


def test_the_dashboard_runs_the_same_number_of_queries_whatever_the_volume(
    coordinator_client, organisation, people, django_assert_num_queries
):
    key_codes = [code for code, _label in KEY_FIGURES if code in REGISTRY]
    month, year = (
        Scope((organisation,), D(2025, 12, 1), D(2025, 12, 31)),
        Scope((organisation,), D(2025, 1, 1), D(2025, 12, 31)),
    )
    with CaptureQueriesContext(connection) as figures:
        for scope in (month, month.a_year_earlier(), year, year.a_year_earlier()):
            compute(scope, key_codes)
    expected = PAGE_QUERIES + len(figures) + SERIES_QUERIES
    with django_assert_num_queries(expected):
        coordinator_client.get(reverse(DASHBOARD), {"month": "2025-12"})
    add_volume(organisation, people["site"], count=9)
    with django_assert_num_queries(expected):
        response = coordinator_client.get(reverse(DASHBOARD), {"month": "2025-12"})
    assert _figure(response, "beneficiaries_reached")["rows"][1]["value"] == "12"
