"""Partnerships: the dated agreements with partners, the list by period, and the count formed by theme."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from insertion.models import PartnerTheme
from partners.figures import partnerships_formed_by_theme
from partners.models import Partnership
from tests.partners.factories import PartnerFactory, PartnershipFactory
from tests.utils import form_data

pytestmark = pytest.mark.django_db

LIST_URL = reverse("partners:partnership_list")
ADD_URL = reverse("partners:partnership_add")


@pytest.fixture(autouse=True)
def _frozen_and_english(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 11, 18, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _theme(organisation, code):
    return PartnerTheme.objects.get(organisation=organisation, code=code)


def _started(partner, day, theme="food-aid", **kwargs):
    return PartnershipFactory(
        partner=partner, start_date=day, theme=_theme(partner.organisation, theme), title=f"Accord {day}", **kwargs
    )


def _listed(response):
    return [partnership.title for partnership in response.context["page_obj"]]


def _data(partner, theme, **overrides):
    data = {
        "partner": partner.pk,
        "kind": "convention",
        "title": "Convention de distribution",
        "theme": theme.pk,
        "start_date": "01/03/2026",
        "end_date": "",
        "partner_brings": "Les bénévoles et le local",
        "organisation_brings": "Les légumes des jardins",
        "notes": "",
    }
    return data | overrides


class TestFormedByTheme:
    def test_the_count_by_theme_takes_the_period_with_both_days_included(
        self, organisation, other_organisation, django_assert_num_queries
    ):
        restos = PartnerFactory(organisation=organisation, name="Restos du Cœur")
        cpam = PartnerFactory(organisation=organisation, name="CPAM")
        _started(restos, datetime.date(2025, 12, 31))  # the day before: out
        _started(restos, datetime.date(2026, 1, 1))  # the first day: in
        _started(cpam, datetime.date(2026, 6, 15), theme="health")
        _started(cpam, datetime.date(2026, 12, 31), theme="health")  # the last day: in
        _started(restos, datetime.date(2026, 9, 1), theme="housing", end_date=datetime.date(2026, 10, 1))
        _started(cpam, datetime.date(2027, 1, 1), theme="housing")  # the day after: out
        _started(PartnerFactory(organisation=other_organisation), datetime.date(2026, 5, 1))  # elsewhere: out
        with django_assert_num_queries(1):
            rows = partnerships_formed_by_theme(organisation, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        # In the order of the themes' list: housing (1), health (2), food aid (4).
        assert rows == [("Logement et urgence", 1), ("Santé", 2), ("Aide alimentaire et financière", 1)]

    def test_the_order_follows_the_positions_the_organisation_gave(self, organisation):
        partner = PartnerFactory(organisation=organisation)
        _started(partner, datetime.date(2026, 2, 1), theme="housing")
        _started(partner, datetime.date(2026, 2, 2), theme="funding")
        PartnerTheme.objects.filter(organisation=organisation, code="funding").update(position=0)
        rows = partnerships_formed_by_theme(organisation, datetime.date(2026, 2, 1), datetime.date(2026, 2, 1))
        assert rows == [("Logement et urgence", 1)]
        rows = partnerships_formed_by_theme(organisation, datetime.date(2026, 1, 1), datetime.date(2026, 2, 28))
        assert rows == [("Financement", 1), ("Logement et urgence", 1)]

    def test_a_period_without_partnerships_gives_no_row(self, organisation):
        _started(PartnerFactory(organisation=organisation), datetime.date(2026, 3, 1))
        assert partnerships_formed_by_theme(organisation, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)) == []


class TestList:
    def test_the_list_shows_the_current_year_by_default_with_the_count_by_theme(self, client, trainer, organisation):
        partner = PartnerFactory(organisation=organisation, name="Restos du Cœur")
        _started(partner, datetime.date(2025, 12, 31))
        _started(partner, datetime.date(2026, 1, 1))
        _started(partner, datetime.date(2026, 11, 2), theme="health")
        client.force_login(trainer)
        response = client.get(LIST_URL)
        assert _listed(response) == ["Accord 2026-11-02", "Accord 2026-01-01"]
        assert response.context["by_theme"] == [("Santé", 1), ("Aide alimentaire et financière", 1)]
        assert response.context["total"] == 2
        html = response.content.decode()
        assert "Partnerships formed from 01/01/2026 to 31/12/2026, by theme" in html
        assert 'value="01/01/2026"' in html and 'value="31/12/2026"' in html

    def test_the_period_is_inclusive_and_kept_in_the_url(self, client, coordinator, organisation):
        partner = PartnerFactory(organisation=organisation)
        for day in (datetime.date(2025, 3, 31), datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)):
            _started(partner, day)
        _started(partner, datetime.date(2025, 7, 1))
        client.force_login(coordinator)
        response = client.get(LIST_URL, {"start": "01/04/2025", "end": "30/06/2025"})
        assert _listed(response) == ["Accord 2025-06-30", "Accord 2025-04-01"]
        assert response.context["total"] == 2
        assert "start=01%2F04%2F2025&end=30%2F06%2F2025" in response.context["query"]

    def test_the_list_filters_by_theme_and_partner_but_the_count_keeps_the_whole_period(
        self, client, coordinator, organisation
    ):
        restos, cpam = PartnerFactory(organisation=organisation), PartnerFactory(organisation=organisation)
        _started(restos, datetime.date(2026, 2, 1))
        _started(cpam, datetime.date(2026, 3, 1), theme="health")
        _started(cpam, datetime.date(2026, 4, 1))
        client.force_login(coordinator)
        response = client.get(LIST_URL, {"theme": _theme(organisation, "food-aid").pk, "partner": cpam.pk})
        assert _listed(response) == ["Accord 2026-04-01"]
        assert response.context["total"] == 3

    def test_an_end_before_the_start_is_explained_and_lists_nothing(self, client, coordinator, organisation):
        _started(PartnerFactory(organisation=organisation), datetime.date(2026, 3, 1))
        client.force_login(coordinator)
        response = client.get(LIST_URL, {"start": "01/06/2026", "end": "01/01/2026"})
        assert response.status_code == 200
        assert response.context["filter"].form.errors["end"] == ["The end of the period cannot come before its start."]
        assert _listed(response) == []

    def test_a_date_that_is_not_one_is_explained(self, client, coordinator):
        client.force_login(coordinator)
        response = client.get(LIST_URL, {"start": "32/13/2026"})
        assert "start" in response.context["filter"].form.errors

    def test_another_organisation_partnerships_are_not_listed(
        self, client, coordinator, organisation, other_organisation
    ):
        _started(PartnerFactory(organisation=other_organisation), datetime.date(2026, 3, 1))
        client.force_login(coordinator)
        response = client.get(LIST_URL)
        assert (_listed(response), response.context["total"]) == ([], 0)

    def test_only_coordinators_see_the_add_and_edit_links(self, client, social_worker, coordinator, organisation):
        partnership = _started(PartnerFactory(organisation=organisation), datetime.date(2026, 3, 1))
        edit_url = reverse("partners:partnership_edit", args=[partnership.pk])
        client.force_login(social_worker)
        html = client.get(LIST_URL).content.decode()
        assert ADD_URL not in html and edit_url not in html
        client.force_login(coordinator)
        html = client.get(LIST_URL).content.decode()
        assert ADD_URL in html and edit_url in html

    @pytest.mark.parametrize("count", [2, 12])
    def test_the_list_costs_the_same_queries_whatever_the_number_of_partnerships(
        self, client, coordinator, organisation, django_assert_num_queries, count
    ):
        themes = ["housing", "health", "food-aid"]
        for index in range(count):
            partner = PartnerFactory(organisation=organisation)
            _started(partner, datetime.date(2026, 1, 1 + index), theme=themes[index % 3])
        client.force_login(coordinator)
        # session, user, memberships; the request's savepoint; the count by theme; the count of the page; the
        # page with partners and themes; the themes and the partners offered by the filter; the savepoint's release.
        with django_assert_num_queries(10):
            response = client.get(LIST_URL)
        assert response.context["total"] == count == len(_listed(response))


class TestForm:
    def test_a_coordinator_records_a_partnership(self, client, coordinator, organisation):
        partner = PartnerFactory(organisation=organisation, name="Restos du Cœur")
        client.force_login(coordinator)
        response = client.post(ADD_URL, _data(partner, _theme(organisation, "food-aid"), end_date="28/02/2027"))
        assert response.status_code == 302
        assert response["Location"] == f"{LIST_URL}?start=01%2F01%2F2026&end=31%2F12%2F2026"
        partnership = Partnership.objects.get()
        assert (partnership.organisation, partnership.partner, partnership.theme.code) == (
            organisation,
            partner,
            "food-aid",
        )
        assert (partnership.start_date, partnership.end_date) == (
            datetime.date(2026, 3, 1),
            datetime.date(2027, 2, 28),
        )
        assert partnership.organisation_brings == "Les légumes des jardins"

    def test_the_partner_page_button_chooses_the_partner(self, client, coordinator, organisation):
        partner = PartnerFactory(organisation=organisation, name="Restos du Cœur")
        PartnerFactory(organisation=organisation, name="Autre")
        client.force_login(coordinator)
        response = client.get(ADD_URL, {"partner": partner.pk})
        assert form_data(response)["partner"] == [str(partner.pk)]
        assert response.context["cancel_url"] == partner.get_absolute_url()

    @pytest.mark.parametrize("value", ["abc", "999999", "", "elsewhere", "archived"])
    def test_a_wrong_partner_in_the_url_chooses_nothing(
        self, client, coordinator, organisation, other_organisation, value
    ):
        PartnerFactory(organisation=organisation)
        if value == "elsewhere":
            value = PartnerFactory(organisation=other_organisation).pk
        elif value == "archived":
            value = PartnerFactory(organisation=organisation, is_archived=True).pk
        client.force_login(coordinator)
        response = client.get(ADD_URL, {"partner": value})
        assert response.status_code == 200
        assert form_data(response)["partner"] == [""]

    def test_an_end_before_the_start_is_refused_on_the_end_date(self, client, coordinator, organisation):
        partner = PartnerFactory(organisation=organisation)
        client.force_login(coordinator)
        response = client.post(ADD_URL, _data(partner, _theme(organisation, "health"), end_date="28/02/2026"))
        assert response.status_code == 200
        assert response.context["form"].errors == {"end_date": ["The end date cannot come before the start date."]}
        assert not Partnership.objects.exists()

    def test_a_date_written_otherwise_is_explained(self, client, coordinator, organisation):
        partner = PartnerFactory(organisation=organisation)
        client.force_login(coordinator)
        response = client.post(ADD_URL, _data(partner, _theme(organisation, "health"), start_date="March 2026"))
        assert response.context["form"].errors["start_date"] == ["Enter a date as dd/mm/yyyy, for example 09/03/2026."]
        assert not Partnership.objects.exists()

    def test_archived_partners_and_inactive_themes_are_not_offered(self, client, coordinator, organisation):
        archived = PartnerFactory(organisation=organisation, is_archived=True)
        health = _theme(organisation, "health")
        health.is_active = False
        health.save()
        client.force_login(coordinator)
        response = client.post(ADD_URL, _data(archived, health))
        assert set(response.context["form"].errors) == {"partner", "theme"}
        assert not Partnership.objects.exists()

    def test_another_organisation_partner_or_theme_is_refused(
        self, client, coordinator, organisation, other_organisation
    ):
        client.force_login(coordinator)
        response = client.post(
            ADD_URL, _data(PartnerFactory(organisation=other_organisation), _theme(other_organisation, "health"))
        )
        assert set(response.context["form"].errors) == {"partner", "theme"}
        assert not Partnership.objects.exists()

    def test_editing_keeps_an_archived_partner_and_an_inactive_theme(self, client, coordinator, organisation):
        partner = PartnerFactory(organisation=organisation)
        partnership = _started(partner, datetime.date(2025, 5, 1), theme="health")
        partner.is_archived = True
        partner.save()
        PartnerTheme.objects.filter(pk=partnership.theme_id).update(is_active=False)
        client.force_login(coordinator)
        url = reverse("partners:partnership_edit", args=[partnership.pk])
        data = form_data(client.get(url)) | {"end_date": "30/04/2026"}
        response = client.post(url, data)
        assert response["Location"] == f"{LIST_URL}?start=01%2F01%2F2025&end=31%2F12%2F2025"
        partnership.refresh_from_db()
        assert (partnership.partner, partnership.end_date) == (partner, datetime.date(2026, 4, 30))

    def test_a_coordinator_deletes_a_partnership(self, client, coordinator, organisation):
        partnership = _started(PartnerFactory(organisation=organisation), datetime.date(2026, 3, 1))
        client.force_login(coordinator)
        url = reverse("partners:partnership_delete", args=[partnership.pk])
        assert client.get(url).status_code == 405
        response = client.post(url, follow=True)
        assert not Partnership.objects.exists()
        assert "was deleted" in response.content.decode()

    def test_a_social_worker_reads_but_does_not_record(self, client, social_worker, organisation):
        partner = PartnerFactory(organisation=organisation)
        partnership = _started(partner, datetime.date(2026, 3, 1))
        client.force_login(social_worker)
        assert client.get(LIST_URL).status_code == 200
        assert client.post(ADD_URL, _data(partner, _theme(organisation, "health"))).status_code == 403
        assert client.post(reverse("partners:partnership_delete", args=[partnership.pk])).status_code == 403
        assert Partnership.objects.count() == 1

    def test_another_organisation_partnership_is_not_found(self, client, coordinator, other_organisation):
        partnership = _started(PartnerFactory(organisation=other_organisation), datetime.date(2026, 3, 1))
        client.force_login(coordinator)
        assert client.get(reverse("partners:partnership_edit", args=[partnership.pk])).status_code == 404
        assert client.post(reverse("partners:partnership_delete", args=[partnership.pk])).status_code == 404
        assert Partnership.objects.count() == 1


def test_a_coordinator_finds_food_aid_partners_and_records_a_partnership(client, coordinator, organisation):
    """The "done when" of the issue, as a new user would go: the directory filtered by theme, the partner's page,
    its "Record a partnership" button, the form, then the partnership list with its count by theme."""
    restos = PartnerFactory(
        organisation=organisation, name="Restos du Cœur", themes=["food-aid"], receives_produce=True
    )
    PartnerFactory(organisation=organisation, name="CPAM de Valenciennes", themes=["health"])
    client.force_login(coordinator)

    # The directory's theme filter offers "Aide alimentaire et financière"; filtered, it keeps the Restos.
    directory = client.get(reverse("partners:list"))
    themes = dict((theme.label, theme.pk) for theme in directory.context["filter"].form.fields["theme"].queryset)
    filtered = client.get(reverse("partners:list"), {"theme": themes["Aide alimentaire et financière"]})
    assert [partner.name for partner in filtered.context["page_obj"]] == ["Restos du Cœur"]
    assert restos.get_absolute_url() in filtered.content.decode()

    # The partner's page has the button to record a partnership with it.
    detail = client.get(restos.get_absolute_url())
    add_url = f"{ADD_URL}?partner={restos.pk}"
    assert add_url in detail.content.decode()

    # The form comes with the partner chosen; the coordinator fills in the rest.
    form_page = client.get(add_url)
    data = form_data(form_page)
    assert data["partner"] == [str(restos.pk)]
    data |= {
        "title": "Convention de don des légumes",
        "theme": str(themes["Aide alimentaire et financière"]),
        "start_date": "02/11/2026",
        "partner_brings": "La distribution aux familles",
        "organisation_brings": "Les légumes des jardins",
    }
    saved = client.post(add_url, data, follow=True)

    # Back on the partnership list of the year: the partnership is there, and counted once under its theme.
    assert saved.redirect_chain[-1][0].startswith(LIST_URL)
    assert [p.title for p in saved.context["page_obj"]] == ["Convention de don des légumes"]
    assert saved.context["by_theme"] == [("Aide alimentaire et financière", 1)]
    assert saved.context["total"] == 1
    assert "The partnership “Convention de don des légumes” was saved." in saved.content.decode()
