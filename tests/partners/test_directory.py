"""The partner directory: finding a partner, its page, adding and editing it with its contacts, archiving, deleting."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from gardens.models import Variety
from insertion.models import PartnerTheme
from partners.models import Contact, Partner
from tests.beneficiaries.factories import BeneficiaryFactory
from tests.gardens.factories import SiteFactory, WorkshopFactory
from tests.partners.factories import (
    ContactFactory,
    DistributionFactory,
    PartnerFactory,
    PartnershipFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("partners:list")
CREATE_URL = reverse("partners:create")


@pytest.fixture(autouse=True)
def _frozen_and_english(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 11, 18, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _theme(organisation, code):
    return PartnerTheme.objects.get(organisation=organisation, code=code)


def _listed(response):
    return [partner.name for partner in response.context["page_obj"]]


def _detail_url(partner):
    return reverse("partners:detail", args=[partner.pk])


def _form_data(**overrides):
    """What a user submits on the partner form: the partner, then the contacts' rows (one blank extra row)."""
    data = {
        "name": "Restos du Cœur",
        "kind": "association",
        "activity": "Distribution alimentaire",
        "address": "",
        "postcode": "59300",
        "city": "Valenciennes",
        "phone": "",
        "email": "",
        "website": "",
        "notes": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-id": "",
        "contacts-0-name": "",
        "contacts-0-position": "",
        "contacts-0-phone": "",
        "contacts-0-email": "",
    }
    data.update(overrides)
    return data


def _contact_rows(*rows, initial=0):
    """Formset data for `rows`: (id or "", name, position, phone, email, delete)."""
    data = {"contacts-TOTAL_FORMS": str(len(rows)), "contacts-INITIAL_FORMS": str(initial)}
    for index, (pk, name, position, phone, email, delete) in enumerate(rows):
        prefix = f"contacts-{index}-"
        data |= {
            f"{prefix}id": str(pk),
            f"{prefix}name": name,
            f"{prefix}position": position,
            f"{prefix}phone": phone,
            f"{prefix}email": email,
        }
        if delete:
            data[f"{prefix}DELETE"] = "on"
    return data


class TestList:
    def test_archived_partners_are_hidden_unless_asked_for(self, client, trainer, organisation):
        PartnerFactory(organisation=organisation, name="CCAS")
        PartnerFactory(organisation=organisation, name="Ancienne épicerie", is_archived=True)
        client.force_login(trainer)
        assert _listed(client.get(LIST_URL)) == ["CCAS"]
        assert _listed(client.get(LIST_URL, {"archived": "on"})) == ["CCAS", "Ancienne épicerie"]

    def test_only_the_organisation_partners_are_listed(self, client, trainer, organisation, other_organisation):
        PartnerFactory(organisation=organisation, name="CCAS")
        PartnerFactory(organisation=other_organisation, name="Secours d'ailleurs")
        client.force_login(trainer)
        assert _listed(client.get(LIST_URL)) == ["CCAS"]

    @pytest.mark.parametrize("search", ["restos", "alimentaire", "anzin", "Dupuis", "restos anzin"])
    def test_the_search_reads_the_name_activity_town_and_contacts(self, client, social_worker, organisation, search):
        restos = PartnerFactory(
            organisation=organisation, name="Restos du Cœur", activity="Aide alimentaire", city="Anzin"
        )
        ContactFactory(partner=restos, name="Martine Dupuis")
        ContactFactory(partner=restos, name="Martin Dupuis")  # two matching contacts: the partner once
        PartnerFactory(organisation=organisation, name="CPAM", activity="Bilans de santé", city="Valenciennes")
        client.force_login(social_worker)
        assert _listed(client.get(LIST_URL, {"q": search})) == ["Restos du Cœur"]

    def test_the_theme_filter_keeps_the_partners_of_that_theme(self, client, coordinator, organisation):
        PartnerFactory(organisation=organisation, name="Restos du Cœur", themes=["food-aid", "solidarity-economy"])
        PartnerFactory(organisation=organisation, name="CPAM", themes=["health"])
        PartnerFactory(organisation=organisation, name="Sans thème")
        client.force_login(coordinator)
        response = client.get(LIST_URL, {"theme": _theme(organisation, "food-aid").pk})
        assert _listed(response) == ["Restos du Cœur"]

    def test_the_role_filter_reads_the_role_field(self, client, coordinator, organisation):
        PartnerFactory(organisation=organisation, name="ADOMA", orients_people=True)
        PartnerFactory(organisation=organisation, name="Département", funds=True)
        client.force_login(coordinator)
        assert _listed(client.get(LIST_URL, {"role": "funds"})) == ["Département"]
        assert _listed(client.get(LIST_URL, {"role": "orients_people"})) == ["ADOMA"]

    def test_the_kind_filter(self, client, coordinator, organisation):
        PartnerFactory(organisation=organisation, name="CPAM", kind="public_body")
        PartnerFactory(organisation=organisation, name="Restos du Cœur", kind="association")
        client.force_login(coordinator)
        assert _listed(client.get(LIST_URL, {"kind": "public_body"})) == ["CPAM"]

    def test_another_organisation_theme_in_the_url_filters_nothing_and_says_so(
        self, client, coordinator, organisation, other_organisation
    ):
        PartnerFactory(organisation=organisation, name="CPAM")
        client.force_login(coordinator)
        response = client.get(LIST_URL, {"theme": _theme(other_organisation, "health").pk})
        assert _listed(response) == ["CPAM"]
        assert "theme" in response.context["filter"].form.errors

    def test_the_filters_are_kept_in_the_page_links(self, client, coordinator, organisation):
        for index in range(51):
            PartnerFactory(organisation=organisation, name=f"Association {index:02d}", funds=True)
        client.force_login(coordinator)
        response = client.get(LIST_URL, {"role": "funds", "page": "1"})
        assert "role=funds&amp;page=2" in response.content.decode()

    def test_each_partner_shows_its_themes_roles_town_and_number_of_referrals(self, client, coordinator, organisation):
        pasteur = PartnerFactory(
            organisation=organisation,
            name="Institut Pasteur",
            city="Lille",
            themes=["health"],
            orients_people=True,
            co_leads_workshops=True,
        )
        people = [BeneficiaryFactory(organisation=organisation, last_name=f"Nomconfidentiel{i}") for i in range(2)]
        for person in people:
            ReferralFactory(beneficiary=person, partner=pasteur)
        ReferralFactory(beneficiary=people[0], partner=pasteur, date=datetime.date(2026, 11, 2))
        client.force_login(coordinator)
        response = client.get(LIST_URL)
        [row] = response.context["page_obj"]
        assert row.referral_count == 3
        html = response.content.decode()
        for text in ["Institut Pasteur", "Santé", "Lille", "Refers people to us", "Co-leads workshops"]:
            assert text in html
        assert "Nomconfidentiel" not in html

    def test_the_new_partner_button_is_for_those_who_edit_the_directory(self, client, trainer, social_worker):
        client.force_login(trainer)
        assert CREATE_URL not in client.get(LIST_URL).content.decode()
        client.force_login(social_worker)
        assert CREATE_URL in client.get(LIST_URL).content.decode()

    @pytest.mark.parametrize("count", [2, 12])
    def test_the_list_costs_the_same_queries_whatever_the_number_of_partners(
        self, client, coordinator, organisation, django_assert_num_queries, count
    ):
        for index in range(count):
            partner = PartnerFactory(
                organisation=organisation, name=f"Partenaire {index:02d}", themes=["health", "food-aid"], funds=True
            )
            ContactFactory(partner=partner)
            ReferralFactory(beneficiary__organisation=organisation, partner=partner)
        health = _theme(organisation, "health")
        client.force_login(coordinator)
        # session, user, memberships; the request's savepoint; the theme asked for; the count; the themes offered
        # by the filter; the page of partners with their referrals; their themes; the release of the savepoint.
        with django_assert_num_queries(10):
            response = client.get(LIST_URL, {"theme": health.pk, "q": "Partenaire"})
        assert len(_listed(response)) == count


class TestDetail:
    def test_the_page_shows_the_partner_its_contacts_and_partnerships(self, client, trainer, organisation):
        partner = PartnerFactory(
            organisation=organisation,
            name="CCAS de Valenciennes",
            themes=["housing"],
            phone="03 27 22 43 00",
            website="https://www.ccas-valenciennes.fr",
        )
        ContactFactory(partner=partner, name="Jeanne Leroy", position="Directrice")
        PartnershipFactory(partner=partner, title="Convention jardins partagés", start_date=datetime.date(2025, 4, 1))
        client.force_login(trainer)
        html = client.get(_detail_url(partner)).content.decode()
        for text in [
            "CCAS de Valenciennes",
            "Logement et urgence",
            "03 27 22 43 00",
            "Jeanne Leroy",
            "Directrice",
            "Convention jardins partagés",
            "01/04/2025",
        ]:
            assert text in html

    def test_the_page_counts_what_the_partner_does_with_us_without_naming_anyone(
        self, client, coordinator, organisation
    ):
        partner = PartnerFactory(organisation=organisation, name="Restos du Cœur")
        other = PartnerFactory(organisation=organisation, name="Autre")
        people = [BeneficiaryFactory(organisation=organisation, last_name=f"Secret{i}") for i in range(3)]
        ReferralFactory(beneficiary=people[0], partner=partner)
        ReferralFactory(beneficiary=people[1], partner=partner)
        ReferralFactory(beneficiary=people[2], partner=other)
        for person in people[:2]:
            person.referring_partner = partner
            person.save()
        site = SiteFactory(organisation=organisation)
        WorkshopFactory(site=site, co_leading_partner=partner)
        WorkshopFactory(site=site, co_leading_partner=other)
        tomato, potato = Variety.objects.filter(organisation=organisation)[:2]
        DistributionFactory(site=site, partner=partner, lines=[(tomato, "12.5"), (potato, "3")])
        DistributionFactory(site=site, partner=partner, date=datetime.date(2026, 11, 9), lines=[(tomato, "4.25")])
        DistributionFactory(site=site, partner=other, lines=[(tomato, "100")])
        client.force_login(coordinator)
        response = client.get(_detail_url(partner))
        shown = response.context["partner"]
        assert (shown.referral_count, shown.referred_count, shown.workshop_count) == (2, 2, 1)
        assert shown.kg_received == Decimal("19.75")
        html = response.content.decode()
        assert "19.8" in html or "19,8" in html
        assert "Secret" not in html

    def test_a_partner_with_nothing_shows_zeros(self, client, trainer, organisation):
        partner = PartnerFactory(organisation=organisation)
        client.force_login(trainer)
        shown = client.get(_detail_url(partner)).context["partner"]
        assert (shown.referral_count, shown.referred_count, shown.workshop_count, shown.kg_received) == (0, 0, 0, 0)

    @pytest.mark.parametrize(
        ("persona", "edit", "manage"),
        [("trainer", False, False), ("social_worker", True, False), ("coordinator", True, True)],
    )
    def test_the_buttons_follow_the_role(self, client, request, organisation, persona, edit, manage):
        partner = PartnerFactory(organisation=organisation)
        PartnershipFactory(partner=partner)
        client.force_login(request.getfixturevalue(persona))
        html = client.get(_detail_url(partner)).content.decode()
        assert (reverse("partners:edit", args=[partner.pk]) in html) is edit
        assert (reverse("partners:archive", args=[partner.pk]) in html) is manage
        assert (reverse("partners:delete", args=[partner.pk]) in html) is manage
        assert (f"{reverse('partners:partnership_add')}?partner={partner.pk}" in html) is manage
        assert (reverse("partners:partnership_edit", args=[partner.partnerships.get().pk]) in html) is manage

    def test_another_organisation_partner_is_not_found(self, client, coordinator, other_organisation):
        partner = PartnerFactory(organisation=other_organisation)
        client.force_login(coordinator)
        assert client.get(_detail_url(partner)).status_code == 404

    @pytest.mark.parametrize("count", [1, 6])
    def test_the_page_costs_the_same_queries_whatever_the_records(
        self, client, coordinator, organisation, django_assert_num_queries, count
    ):
        partner = PartnerFactory(organisation=organisation, themes=["health", "food-aid", "housing"])
        site = SiteFactory(organisation=organisation)
        variety = Variety.objects.filter(organisation=organisation).first()
        for index in range(count):
            ContactFactory(partner=partner)
            PartnershipFactory(partner=partner, start_date=datetime.date(2026, 1, 1 + index))
            ReferralFactory(beneficiary__organisation=organisation, partner=partner)
            WorkshopFactory(site=site, co_leading_partner=partner)
            DistributionFactory(site=site, partner=partner, lines=[(variety, "2")])
        client.force_login(coordinator)
        # session, user, memberships; the request's savepoint; the partner with its counts; its themes; its
        # contacts; its partnerships with their theme; the release of the savepoint.
        with django_assert_num_queries(9):
            response = client.get(_detail_url(partner))
        assert response.context["partner"].referral_count == count


class TestForm:
    def test_a_social_worker_adds_a_partner_with_themes_roles_and_contacts(self, client, social_worker, organisation):
        client.force_login(social_worker)
        data = _form_data(
            themes=[_theme(organisation, "food-aid").pk, _theme(organisation, "housing").pk],
            orients_people="on",
            receives_produce="on",
            website="restosducoeur.org",
        )
        data |= _contact_rows(
            ("", "Martine Dupuis", "Responsable", "06 12 34 56 78", "martine@example.org", False),
            ("", "", "", "", "", False),  # the blank extra row
        )
        response = client.post(CREATE_URL, data)
        partner = Partner.objects.get()
        assert response.status_code == 302
        assert response["Location"] == partner.get_absolute_url()
        assert partner.organisation == organisation
        assert {theme.code for theme in partner.themes.all()} == {"food-aid", "housing"}
        assert partner.roles == ["orients_people", "receives_produce"]
        assert partner.website == "https://restosducoeur.org"
        assert list(partner.contacts.values_list("name", "position")) == [("Martine Dupuis", "Responsable")]

    def test_the_form_groups_the_roles_and_offers_the_contacts_rows(self, client, coordinator):
        client.force_login(coordinator)
        response = client.get(CREATE_URL)
        html = response.content.decode()
        assert "Their roles with us" in html
        assert 'name="contacts-0-name"' in html
        assert 'name="add_contact"' in html

    def test_a_name_already_in_the_directory_is_refused_on_the_name_field(self, client, social_worker, organisation):
        PartnerFactory(organisation=organisation, name="Restos du Cœur")
        client.force_login(social_worker)
        data = _form_data() | _contact_rows(("", "Martine Dupuis", "", "", "", False))
        response = client.post(CREATE_URL, data)
        assert response.status_code == 200
        assert response.context["form"].errors["name"] == ["A partner of this name is already in the directory."]
        assert Partner.objects.count() == 1
        assert not Contact.objects.exists()

    def test_the_same_name_in_another_organisation_is_fine(self, client, social_worker, other_organisation):
        PartnerFactory(organisation=other_organisation, name="Restos du Cœur")
        client.force_login(social_worker)
        assert client.post(CREATE_URL, _form_data()).status_code == 302
        assert Partner.objects.count() == 2

    def test_a_wrong_contact_saves_nothing(self, client, social_worker):
        client.force_login(social_worker)
        data = _form_data() | _contact_rows(("", "Martine Dupuis", "", "", "pas-un-email", False))
        response = client.post(CREATE_URL, data)
        assert response.status_code == 200
        assert "email" in response.context["contacts"].forms[0].errors
        assert not Partner.objects.exists()

    def test_a_contact_without_a_name_is_refused(self, client, social_worker):
        client.force_login(social_worker)
        data = _form_data() | _contact_rows(("", "", "Accueil", "03 27 00 00 00", "", False))
        response = client.post(CREATE_URL, data)
        assert response.status_code == 200
        assert "name" in response.context["contacts"].forms[0].errors
        assert not Partner.objects.exists()

    def test_another_organisation_theme_is_refused(self, client, social_worker, other_organisation):
        client.force_login(social_worker)
        response = client.post(CREATE_URL, _form_data(themes=[_theme(other_organisation, "health").pk]))
        assert response.status_code == 200
        assert "themes" in response.context["form"].errors
        assert not Partner.objects.exists()

    def test_an_inactive_theme_is_not_offered_unless_the_partner_has_it(self, client, social_worker, organisation):
        health = _theme(organisation, "health")
        health.is_active = False
        health.save()
        client.force_login(social_worker)
        assert health not in client.get(CREATE_URL).context["form"].fields["themes"].queryset
        partner = PartnerFactory(organisation=organisation, themes=["health"])
        form = client.get(reverse("partners:edit", args=[partner.pk])).context["form"]
        assert health in form.fields["themes"].queryset

    def test_editing_removes_a_contact_and_adds_another(self, client, social_worker, organisation):
        partner = PartnerFactory(organisation=organisation, name="CPAM")
        leaving = ContactFactory(partner=partner, name="Paul Ancien")
        staying = ContactFactory(partner=partner, name="Anne Reste")
        client.force_login(social_worker)
        data = _form_data(name="CPAM du Hainaut") | _contact_rows(
            (leaving.pk, "Paul Ancien", "", "", "", True),
            (staying.pk, "Anne Reste", "Accueil", "", "", False),
            ("", "Nadia Nouvelle", "", "", "", False),
            initial=2,
        )
        response = client.post(reverse("partners:edit", args=[partner.pk]), data)
        assert response.status_code == 302
        partner.refresh_from_db()
        assert partner.name == "CPAM du Hainaut"
        assert sorted(partner.contacts.values_list("name", flat=True)) == ["Anne Reste", "Nadia Nouvelle"]
        assert partner.contacts.get(name="Anne Reste").position == "Accueil"

    def test_save_and_add_another_contact_comes_back_to_the_form_with_an_empty_row(
        self, client, social_worker, organisation
    ):
        client.force_login(social_worker)
        data = _form_data(add_contact="1") | _contact_rows(("", "Martine Dupuis", "", "", "", False))
        response = client.post(CREATE_URL, data)
        partner = Partner.objects.get()
        assert response["Location"] == reverse("partners:edit", args=[partner.pk]) + "#contacts"
        contacts = client.get(response["Location"]).context["contacts"]
        assert [form.instance.name for form in contacts.forms] == ["Martine Dupuis", ""]

    def test_the_organisation_cannot_be_chosen_in_the_form(
        self, client, social_worker, organisation, other_organisation
    ):
        client.force_login(social_worker)
        client.post(CREATE_URL, _form_data(organisation=other_organisation.pk))
        assert Partner.objects.get().organisation == organisation

    def test_a_trainer_cannot_add_a_partner(self, client, trainer):
        client.force_login(trainer)
        assert client.post(CREATE_URL, _form_data()).status_code == 403
        assert not Partner.objects.exists()

    def test_another_organisation_partner_cannot_be_edited(self, client, social_worker, other_organisation):
        partner = PartnerFactory(organisation=other_organisation, name="Ailleurs")
        client.force_login(social_worker)
        response = client.post(reverse("partners:edit", args=[partner.pk]), _form_data())
        assert response.status_code == 404
        partner.refresh_from_db()
        assert partner.name == "Ailleurs"


class TestArchiveAndDelete:
    def test_a_coordinator_archives_then_brings_back_a_partner(self, client, coordinator, organisation):
        partner = PartnerFactory(organisation=organisation, name="Épicerie solidaire")
        url = reverse("partners:archive", args=[partner.pk])
        client.force_login(coordinator)
        response = client.post(url, follow=True)
        partner.refresh_from_db()
        assert partner.is_archived
        assert "Épicerie solidaire is archived" in response.content.decode()
        client.post(url)
        partner.refresh_from_db()
        assert not partner.is_archived

    def test_a_social_worker_cannot_archive(self, client, social_worker, organisation):
        partner = PartnerFactory(organisation=organisation)
        client.force_login(social_worker)
        assert client.post(reverse("partners:archive", args=[partner.pk])).status_code == 403
        partner.refresh_from_db()
        assert not partner.is_archived

    @pytest.mark.parametrize("name", ["partners:archive", "partners:delete"])
    def test_archive_and_delete_answer_only_to_post(self, client, coordinator, organisation, name):
        partner = PartnerFactory(organisation=organisation)
        client.force_login(coordinator)
        assert client.get(reverse(name, args=[partner.pk])).status_code == 405
        partner.refresh_from_db()
        assert not partner.is_archived

    def test_a_partner_with_records_is_not_deleted_and_the_message_says_which(self, client, coordinator, organisation):
        partner = PartnerFactory(organisation=organisation, name="CPAM")
        PartnershipFactory(partner=partner)
        ReferralFactory(beneficiary__organisation=organisation, partner=partner)
        client.force_login(coordinator)
        response = client.post(reverse("partners:delete", args=[partner.pk]), follow=True)
        assert response.redirect_chain[-1][0] == partner.get_absolute_url()
        assert "CPAM has records (partnerships, referrals): archive it instead." in response.content.decode()
        assert Partner.objects.filter(pk=partner.pk).exists()

    def test_a_partner_oriented_people_in_is_not_deleted(self, client, coordinator, organisation):
        partner = PartnerFactory(organisation=organisation, name="ADOMA")
        BeneficiaryFactory(organisation=organisation, referring_partner=partner)
        client.force_login(coordinator)
        response = client.post(reverse("partners:delete", args=[partner.pk]), follow=True)
        assert "ADOMA has records (people oriented in)" in response.content.decode()
        assert Partner.objects.filter(pk=partner.pk).exists()

    def test_a_partner_without_records_is_deleted_with_its_contacts(self, client, coordinator, organisation):
        partner = PartnerFactory(organisation=organisation, name="Erreur de saisie")
        ContactFactory(partner=partner)
        kept = ContactFactory(partner__organisation=organisation)
        client.force_login(coordinator)
        response = client.post(reverse("partners:delete", args=[partner.pk]))
        assert response["Location"] == LIST_URL
        assert not Partner.objects.filter(pk=partner.pk).exists()
        assert list(Contact.objects.all()) == [kept]

    def test_another_organisation_partner_cannot_be_deleted(self, client, coordinator, other_organisation):
        partner = PartnerFactory(organisation=other_organisation)
        client.force_login(coordinator)
        assert client.post(reverse("partners:delete", args=[partner.pk])).status_code == 404
        assert Partner.objects.filter(pk=partner.pk).exists()
