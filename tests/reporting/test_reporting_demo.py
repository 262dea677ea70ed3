"""The demo's committees (reporting/demo.py), built through `seed_demo` as `make run` does."""

import datetime
import hashlib
import io

import pytest
import time_machine
from django.core.management import call_command

from insertion.demo import DEMO_ORGANISATION_SLUG
from insertion.models import Organisation
from reporting import demo
from reporting.indicators import Scope
from reporting.models import Committee, FrozenReport
from reporting.report import build_report

pytestmark = pytest.mark.django_db

D = datetime.date


def _seed():
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return Organisation.objects.get(slug=DEMO_ORGANISATION_SLUG), out.getvalue()


@time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_the_demo_has_a_steering_committee_with_last_years_frozen_report_and_a_technical_committee():
    organisation, out = _seed()
    steering = Committee.objects.get(organisation=organisation, kind=Committee.Kind.STEERING)
    assert steering.date == D(2026, 3, 12)  # the second Thursday of March
    for body in ("CCAS", "Conseil Départemental du Nord", "Direction de la politique de la Ville", "bénévoles"):
        assert body in steering.attendees
    assert "Bilan de l'année 2025" in steering.minutes
    frozen = steering.reports.get()
    assert (frozen.start, frozen.end, frozen.frozen_by.email) == (
        D(2025, 1, 1),
        D(2025, 12, 31),
        "coordinator@demo.local",
    )
    assert bytes(frozen.pdf).startswith(b"%PDF")
    assert frozen.sha256 == hashlib.sha256(bytes(frozen.pdf)).hexdigest()
    fresh = build_report(Scope((organisation,), D(2025, 1, 1), D(2025, 12, 31)))
    assert (
        frozen.figures["indicators"]["beneficiaries_reached"]["value"] == fresh.results["beneficiaries_reached"].value
    )
    assert frozen.figures["indicators"]["beneficiaries_reached"]["value"] > 0

    technical = Committee.objects.get(organisation=organisation, kind=Committee.Kind.TECHNICAL)
    assert technical.date == D(2026, 9, 22)  # a Tuesday some two months ago
    assert not technical.reports.exists()
    assert "Reporting: the steering committee of 12/03/2026 with the frozen report of 2025" in out

    # Again: nothing added.
    _organisation, out = _seed()
    assert Committee.objects.filter(organisation=organisation).count() == 2
    assert FrozenReport.objects.count() == 1
    assert "Reporting: the organisation already has committees, none added." in out


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
