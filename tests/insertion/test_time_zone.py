"""An organisation's days follow its own clock: a structure in Nouméa or Réunion reports on its own dates."""

import datetime
import zoneinfo

import pytest
from django.http import HttpResponse
from django.utils import timezone

from insertion.middleware import CurrentOrganisationMiddleware
from insertion.models import Organisation

# 23:30 in Paris on 31/01/2026 is already 09:30 on 01/02/2026 in Nouméa (UTC+11).
MOMENT = datetime.datetime(2026, 1, 31, 22, 30, tzinfo=datetime.UTC)


def test_today_is_the_day_where_the_organisation_works(organisation, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MOMENT)
    assert organisation.today() == datetime.date(2026, 1, 31)
    organisation.time_zone = "Pacific/Noumea"
    assert organisation.today() == datetime.date(2026, 2, 1)


def test_a_new_organisation_works_on_the_installation_clock(db):
    assert Organisation.objects.create(name="Régie", slug="regie").time_zone == "Europe/Paris"


def test_each_request_runs_on_the_current_organisation_clock(rf, organisation, social_worker, settings):
    organisation.time_zone = "Indian/Reunion"
    organisation.save()
    request = rf.get("/")
    request.user = social_worker
    request.session = {}
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        seen["organisation"] = request.organisation
        return HttpResponse()

    CurrentOrganisationMiddleware(view)(request)
    assert seen == {"zone": "Indian/Reunion", "organisation": organisation}
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE  # not left behind for the next request


@pytest.mark.parametrize("zone", ["Europe/Paris", "Indian/Mayotte", "America/Cayenne"])
def test_the_offered_time_zones_exist(zone):
    assert zoneinfo.ZoneInfo(zone)


def test_the_harvest_form_offers_the_workshops_of_the_organisations_last_fortnight(organisation, monkeypatch):
    from gardens.forms import HarvestHeaderForm
    from tests.gardens.factories import WorkshopFactory

    monkeypatch.setattr(timezone, "now", lambda: MOMENT)
    organisation.time_zone = "Pacific/Noumea"  # already 01/02/2026 there: the fortnight starts on 18/01
    organisation.save()
    kept = WorkshopFactory(organisation=organisation, date=datetime.date(2026, 1, 18))
    WorkshopFactory(organisation=organisation, date=datetime.date(2026, 1, 17))
    offered = HarvestHeaderForm(organisation=organisation).fields["workshop"].queryset
    assert list(offered) == [kept]
