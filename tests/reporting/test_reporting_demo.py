"""The demo's committees (reporting/demo.py) and the coordinator's dashboard on the demo, built through `seed_demo` as
`make run` does."""

import datetime
import hashlib
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from insertion.demo import DEMO_ORGANISATION_SLUG
from insertion.models import Organisation, User
from reporting import demo
from reporting.indicators import Scope
from reporting.models import Committee, FrozenReport
from reporting.report import build_report
from reporting.report_views import KEY_FIGURES

pytestmark = pytest.mark.django_db

D = datetime.date
MONDAY = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


def _seed():
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return Organisation.objects.get(slug=DEMO_ORGANISATION_SLUG), out.getvalue()


def _figures(frozen):
    return {code: data["value"] for code, data in frozen.figures["indicators"].items()}


@time_machine.travel(MONDAY, tick=False)
def test_the_demo_has_this_years_and_last_years_committees_with_the_frozen_report_of_a_full_year():
    organisation, out = _seed()
    steering = Committee.objects.filter(organisation=organisation, kind=Committee.Kind.STEERING).order_by("date")
    assert [committee.date for committee in steering] == [D(2025, 3, 13), D(2026, 3, 12)]  # second Thursdays
    last_years, this_years = steering
    for body in ("CCAS", "Conseil Départemental du Nord", "Direction de la politique de la Ville", "bénévoles"):
        assert body in this_years.attendees
    assert "Bilan de l'année 2025" in this_years.minutes and "repart à la hausse" in this_years.minutes
    assert "Bilan de l'année 2024" in last_years.minutes and "récolte en" in last_years.minutes

    for committee, year in ((last_years, 2024), (this_years, 2025)):
        frozen = committee.reports.get()
        assert (frozen.start, frozen.end, frozen.frozen_by.email) == (
            D(year, 1, 1),
            D(year, 12, 31),
            "coordinator@demo.local",
        )
        assert bytes(frozen.pdf).startswith(b"%PDF")
        assert frozen.sha256 == hashlib.sha256(bytes(frozen.pdf)).hexdigest()
        fresh = build_report(Scope((organisation,), D(year, 1, 1), D(year, 12, 31)))
        figures = _figures(frozen)
        assert figures["beneficiaries_reached"] == fresh.results["beneficiaries_reached"].value
        # A whole year: the people of seed 001, its 276 workshops, a few tonnes harvested and given away.
        assert 50 <= figures["beneficiaries_reached"] <= 70, year
        assert 15 <= figures["entries"] <= 35 and 15 <= figures["exits"] <= 35, year
        assert 265 <= figures["workshops_by_kind"] <= 290, year
        assert 3000 <= float(figures["presence_hours"]) <= 5500, year
        assert 2000 <= float(figures["harvest_by_variety"]) <= 7000, year
        assert float(figures["redistribution_by_recipient"]) > 0.9 * float(figures["harvest_by_variety"]), year
        assert figures["interviews_held"] >= 350 and figures["partnerships_by_theme"] >= 4, year
        assert figures["referrals_by_partner"] > 0 and figures["pathways_relaunched"] > 0, year
        assert float(figures["funding_by_funder"]) == 97200, year
    # The two years differ as a coordinator would comment: the wet year before last brought less.
    harvests = [float(_figures(committee.reports.get())["harvest_by_variety"]) for committee in steering]
    assert harvests[0] < harvests[1]

    technical = Committee.objects.filter(organisation=organisation, kind=Committee.Kind.TECHNICAL).order_by("date")
    assert [committee.date for committee in technical] == [D(2025, 9, 23), D(2026, 9, 22)]  # Tuesdays
    assert not FrozenReport.objects.filter(committee__in=technical).exists()
    assert "Reporting: the steering committees of 13/03/2025 with the frozen report of 2024 (" in out
    assert "and 12/03/2026 with the frozen report of 2025 (" in out

    # Again: nothing added.
    _organisation, out = _seed()
    assert Committee.objects.filter(organisation=organisation).count() == 4
    assert FrozenReport.objects.count() == 2
    assert "Reporting: the organisation already has committees, none added." in out


@time_machine.travel(datetime.datetime(2027, 1, 20, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_early_in_the_year_this_years_steering_committee_is_still_to_come_with_its_report_ready():
    organisation, _ = _seed()

    coming = Committee.objects.get(organisation=organisation, kind=Committee.Kind.STEERING, date=D(2027, 3, 11))
    held = Committee.objects.get(organisation=organisation, kind=Committee.Kind.STEERING, date=D(2026, 3, 12))

    assert coming.minutes == "" and coming.reports.get().start == D(2026, 1, 1)
    assert "Bilan de l'année 2025" in held.minutes and held.reports.get().start == D(2025, 1, 1)
    assert 50 <= _figures(coming.reports.get())["beneficiaries_reached"] <= 70


@pytest.mark.parametrize(
    ("today", "steering", "technical"),
    [
        (D(2026, 11, 23), D(2026, 3, 12), D(2026, 9, 22)),
        # Early in the year, the steering committee is the coming one: its report is prepared ahead.
        (D(2027, 1, 20), D(2027, 3, 11), D(2026, 11, 24)),
        (D(2026, 3, 12), D(2026, 3, 12), D(2026, 1, 13)),
    ],
)
def test_the_committees_dates_follow_today(today, steering, technical):
    assert (demo.steering_date(today), demo.technical_date(today)) == (steering, technical)
    assert steering.weekday() == 3 and technical.weekday() == 1


def _is_zero(text):
    """A figure as the dashboard shows it ("57", "4 354,7 kg", "—"): zero or nothing when no digit but 0."""
    return not re.search(r"[1-9]", text)


@time_machine.travel(MONDAY, tick=False)
def test_the_coordinators_dashboard_compares_the_month_and_the_year_with_a_year_earlier(client, settings):
    settings.LANGUAGE_CODE = "en"
    _seed()
    client.force_login(User.objects.get(email="coordinator@demo.local"))

    response = client.get(reverse("reporting:dashboard"))

    assert response.status_code == 200
    assert response.context["month"] == D(2026, 11, 1)
    figures = {figure["code"]: figure["rows"] for figure in response.context["key_figures"]}
    assert set(figures) == {code for code, _label in KEY_FIGURES}
    for code, (_month, year) in figures.items():
        # The year to date, 1 January to 23 November, beside the same days of the year before: nothing empty.
        assert not _is_zero(year["value"]) and not _is_zero(year["earlier"]), code
    for code in ("beneficiaries_reached", "workshops_by_kind", "presence_hours", "harvest_by_variety"):
        month, _year = figures[code]
        assert not _is_zero(month["value"]) and not _is_zero(month["earlier"]), code
    # The charts draw the 12 months to November beside the 12 months before, every month filled.
    for title in ("People reached per month", "Harvest per month", "Hours of presence per month"):
        chart = next(chart for chart in response.context["charts"] if chart.title.startswith(title))
        current, earlier = chart.table.rows
        assert earlier[0] == "A year earlier"
        assert not any(_is_zero(value) for value in current[1:] + earlier[1:]), title
