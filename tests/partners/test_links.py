"""The beneficiary's referring partner and the workshop's co-leading partner are links to the partner directory.

The migration of the names typed before the directory existed, the forms' choices, the pages and exports that
show the partner, the spreadsheet import that matches or adds partners, and the anonymisation that drops the link.
"""

import datetime
import io
import json

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from beneficiaries.exports import COLUMNS, export_queryset
from beneficiaries.forms import BeneficiaryForm
from beneficiaries.importing import import_apply, import_parse
from beneficiaries.models import Beneficiary
from beneficiaries.privacy import beneficiary_anonymise, subject_data
from gardens.forms import WorkshopForm
from gardens.models import Workshop
from insertion.models import WorkshopKind
from partners.enums import PartnerKind
from partners.models import Partner
from tests.beneficiaries.factories import BeneficiaryFactory
from tests.gardens.factories import SiteFactory, WorkshopFactory
from tests.insertion.factories import OrganisationFactory
from tests.partners.factories import PartnerFactory
from tests.utils import read_response

HEADERS = "nom;prenom;sexe;date_naissance;orienteur"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# The migration


BEFORE = [
    ("beneficiaries", "0002_history_and_anonymisation"),
    ("gardens", "0003_history"),
    ("partners", "0001_initial"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_each_typed_name_into_one_partner_per_organisation_with_its_role():
    jardins = OrganisationFactory(slug="jardins", with_defaults=True)
    regie = OrganisationFactory(slug="regie", with_defaults=True)
    # A partner already in the directory, of another spelling and without the role: the names join it.
    adoma = PartnerFactory(organisation=jardins, name="Adoma", kind=PartnerKind.COMPANY)
    kind = WorkshopKind.objects.filter(organisation=jardins).first()
    try:
        apps = _migrate(BEFORE)
        OldBeneficiary = apps.get_model("beneficiaries", "Beneficiary")
        OldHistory = apps.get_model("beneficiaries", "HistoricalBeneficiary")
        OldWorkshop = apps.get_model("gardens", "Workshop")

        def person(organisation, text, name):
            return OldBeneficiary.objects.create(
                organisation_id=organisation.pk,
                first_name=name,
                last_name="Martin",
                sex="F",
                birth_date=datetime.date(1980, 1, 1),
                referring_partner=text,
            )

        first = person(jardins, "CHRS", "Ana")
        person(jardins, " chrs ", "Bea")
        person(jardins, "ADOMA", "Cleo")
        person(jardins, "", "Dora")
        person(regie, "CHRS", "Eve")
        now = timezone.now()
        history = OldHistory.objects.create(
            id=first.pk,
            organisation_id=jardins.pk,
            first_name="Ana",
            last_name="Martin",
            sex="F",
            birth_date=datetime.date(1980, 1, 1),
            referring_partner="Chrs",
            created_at=now,
            updated_at=now,
            history_date=now,
            history_type="+",
        )
        workshop = OldWorkshop.objects.create(
            organisation_id=jardins.pk,
            kind_id=kind.pk,
            date=datetime.date(2026, 11, 16),
            start_time=datetime.time(9),
            end_time=datetime.time(11),
            co_leading_partner="CPAM du  Hainaut",
        )
        with_the_shelter = OldWorkshop.objects.create(
            organisation_id=jardins.pk,
            kind_id=kind.pk,
            date=datetime.date(2026, 11, 17),
            start_time=datetime.time(9),
            end_time=datetime.time(11),
            co_leading_partner="chrs",
        )
    finally:
        _migrate(_latest())

    jardins_partners = Partner.objects.filter(organisation=jardins)
    assert sorted(name.casefold() for name in jardins_partners.values_list("name", flat=True)) == [
        "adoma",
        "chrs",
        "cpam du hainaut",
    ]
    chrs = jardins_partners.get(name__iexact="chrs")
    cpam = jardins_partners.get(name="CPAM du Hainaut")  # spaces collapsed
    assert (chrs.orients_people, chrs.co_leads_workshops, chrs.kind) == (True, True, PartnerKind.OTHER)
    assert (cpam.orients_people, cpam.co_leads_workshops) == (False, True)
    adoma.refresh_from_db()
    assert (adoma.name, adoma.orients_people) == ("Adoma", True)

    links = dict(Beneficiary.objects.values_list("first_name", "referring_partner"))
    regie_chrs = Partner.objects.get(organisation=regie)
    assert links == {"Ana": chrs.pk, "Bea": chrs.pk, "Cleo": adoma.pk, "Dora": None, "Eve": regie_chrs.pk}
    assert (regie_chrs.name, regie_chrs.orients_people) == ("CHRS", True)
    assert Beneficiary.history.model.objects.get(history_id=history.history_id).referring_partner_id == chrs.pk
    assert Workshop.objects.get(pk=workshop.pk).co_leading_partner == cpam
    assert Workshop.objects.get(pk=with_the_shelter.pk).co_leading_partner == chrs


# The forms


def _choices(field):
    """[(group label or None, [partner names])] as the select shows them."""
    groups = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):
            groups.append((str(value), [str(name) for _pk, name in label]))
        elif value != "":
            groups.append((None, [str(label)]))
    return groups


@pytest.mark.django_db
class TestForms:
    def test_the_beneficiary_form_offers_the_organisations_active_partners_those_orienting_people_first(
        self, organisation, other_organisation
    ):
        PartnerFactory(organisation=organisation, name="Banque alimentaire")
        PartnerFactory(organisation=organisation, name="SIAO 115", orients_people=True)
        PartnerFactory(organisation=organisation, name="CHRS", orients_people=True)
        PartnerFactory(organisation=organisation, name="Ancien partenaire", orients_people=True, is_archived=True)
        PartnerFactory(organisation=other_organisation, name="Partenaire d'ailleurs", orients_people=True)

        form = BeneficiaryForm(organisation=organisation)

        assert _choices(form.fields["referring_partner"]) == [
            ("Partners who orient people in", ["CHRS", "SIAO 115"]),
            ("Other partners", ["Banque alimentaire"]),
        ]

    def test_without_any_partner_of_the_role_the_partners_are_a_plain_list(self, organisation):
        PartnerFactory(organisation=organisation, name="CPAM du Hainaut", co_leads_workshops=True)
        PartnerFactory(organisation=organisation, name="Apiculteur bénévole", co_leads_workshops=True)

        form = WorkshopForm(organisation=organisation)

        assert _choices(form.fields["co_leading_partner"]) == [
            (None, ["Apiculteur bénévole"]),
            (None, ["CPAM du Hainaut"]),
        ]

    def test_an_archived_partner_stays_on_the_file_that_names_it(self, organisation):
        archived = PartnerFactory(organisation=organisation, name="Ancien CHRS", orients_people=True, is_archived=True)
        beneficiary = BeneficiaryFactory(organisation=organisation, referring_partner=archived)

        form = BeneficiaryForm(instance=beneficiary, organisation=organisation)

        assert _choices(form.fields["referring_partner"]) == [(None, ["Ancien CHRS (archived)"])]
        assert form.initial["referring_partner"] == archived.pk

    def test_another_organisations_partner_is_refused_on_the_field_and_nothing_is_saved(
        self, client, social_worker, organisation, other_organisation
    ):
        theirs = PartnerFactory(organisation=other_organisation, name="CHRS d'ailleurs", orients_people=True)
        client.force_login(social_worker)

        response = client.post(
            reverse("beneficiaries:create"),
            {
                "first_name": "Karim",
                "last_name": "Haddad",
                "sex": "M",
                "birth_date": "03/04/1979",
                "referring_partner": theirs.pk,
                "referent": social_worker.pk,
            },
        )

        assert response.status_code == 200
        assert response.context["form"].errors["referring_partner"] == [
            "Choose a partner of your organisation's directory."
        ]
        assert not Beneficiary.objects.exists()

    def test_an_archived_partner_cannot_be_chosen_for_a_new_workshop(self, client, trainer, organisation):
        site = SiteFactory(organisation=organisation)
        archived = PartnerFactory(organisation=organisation, name="Ancien", co_leads_workshops=True, is_archived=True)
        client.force_login(trainer)

        response = client.post(
            reverse("gardens:workshop_create"),
            {
                "date": "19/11/2026",
                "start_time": "09:00",
                "end_time": "11:00",
                "kind": WorkshopKind.objects.get(organisation=organisation, code="market-gardening").pk,
                "site": site.pk,
                "co_leading_partner": archived.pk,
                "unregistered_participants": "0",
            },
        )

        assert response.context["form"].errors["co_leading_partner"] == [
            "Choose a partner of your organisation's directory."
        ]
        assert not Workshop.objects.exists()

    def test_a_coordinator_links_a_workshop_to_a_co_leading_partner(self, client, coordinator, organisation):
        site = SiteFactory(organisation=organisation)
        cpam = PartnerFactory(organisation=organisation, name="CPAM du Hainaut", co_leads_workshops=True)
        client.force_login(coordinator)

        response = client.post(
            reverse("gardens:workshop_create"),
            {
                "date": "19/11/2026",
                "start_time": "09:00",
                "end_time": "11:00",
                "kind": WorkshopKind.objects.get(organisation=organisation, code="health").pk,
                "site": site.pk,
                "co_leading_partner": cpam.pk,
                "unregistered_participants": "0",
            },
        )

        assert response.status_code == 302
        assert Workshop.objects.get().co_leading_partner == cpam

    @pytest.mark.parametrize(
        ("persona", "url_name", "shown"),
        [
            ("social_worker", "beneficiaries:create", True),
            ("coordinator", "gardens:workshop_create", True),
            ("trainer", "gardens:workshop_create", False),  # trainers do not edit the directory
        ],
    )
    def test_the_forms_link_to_the_directory_for_who_may_add_a_partner(
        self, client, organisation, request, persona, url_name, shown
    ):
        client.force_login(request.getfixturevalue(persona))

        page = client.get(reverse(url_name)).content.decode()

        assert ("Add a partner to the directory" in page) is shown
        assert (f'href="{reverse("partners:create")}"' in page) is shown


# Where the partner shows


@pytest.mark.django_db
class TestDisplay:
    @pytest.mark.parametrize("persona", ["social_worker", "coordinator"])
    def test_the_file_links_the_referring_partner_to_its_page(self, client, organisation, request, persona):
        chrs = PartnerFactory(organisation=organisation, name="CHRS Les Glycines", orients_people=True)
        beneficiary = BeneficiaryFactory(organisation=organisation, referring_partner=chrs)
        client.force_login(request.getfixturevalue(persona))

        page = client.get(beneficiary.get_absolute_url()).content.decode()

        assert f'<a href="{reverse("partners:detail", args=[chrs.pk])}">CHRS Les Glycines</a>' in page

    def test_the_file_costs_the_same_queries_with_or_without_a_referring_partner(
        self, client, organisation, coordinator, django_assert_num_queries
    ):
        without = BeneficiaryFactory(organisation=organisation)
        partner = PartnerFactory(organisation=organisation)
        with_partner = BeneficiaryFactory(organisation=organisation, referring_partner=partner)
        client.force_login(coordinator)
        client.get(without.get_absolute_url())  # the session is warm

        with CaptureQueriesContext(connection) as plain:
            client.get(without.get_absolute_url())
        with django_assert_num_queries(len(plain)):
            client.get(with_partner.get_absolute_url())

    def test_the_week_of_workshops_names_the_co_leading_partner(self, client, trainer, organisation):
        site = SiteFactory(organisation=organisation)
        cpam = PartnerFactory(organisation=organisation, name="CPAM du Hainaut", co_leads_workshops=True)
        WorkshopFactory(site=site, date=datetime.date(2026, 11, 17), co_leading_partner=cpam)
        client.force_login(trainer)

        page = client.get(reverse("gardens:workshop_list"), {"semaine": "2026-11-16"}).content.decode()

        assert "with CPAM du Hainaut" in page

    def test_the_export_prints_the_partners_name_in_one_query(self, organisation, django_assert_num_queries):
        for number in range(3):
            BeneficiaryFactory(
                organisation=organisation,
                referring_partner=PartnerFactory(organisation=organisation, name=f"Partenaire {number}"),
            )
        BeneficiaryFactory(organisation=organisation)
        getter = next(getter for header, _category, getter in COLUMNS if str(header) == "Referring partner")
        with django_assert_num_queries(1):
            names = sorted(getter(row) for row in export_queryset(Beneficiary.objects.of(organisation)))

        assert names == ["", "Partenaire 0", "Partenaire 1", "Partenaire 2"]

    def test_the_csv_export_has_the_partners_name(self, client, social_worker, organisation):
        chrs = PartnerFactory(organisation=organisation, name="CHRS Les Glycines", orients_people=True)
        BeneficiaryFactory(organisation=organisation, last_name="Dupont", referring_partner=chrs)
        client.force_login(social_worker)

        response = client.get(reverse("beneficiaries:export", args=["csv"]))

        header, row = response.content.decode("utf-8-sig").strip().splitlines()
        position = header.split(";").index("Referring partner")
        assert row.split(";")[position] == "CHRS Les Glycines"


# The person's rights


@pytest.mark.django_db
def test_the_subject_export_prints_the_partners_name(organisation):
    chrs = PartnerFactory(organisation=organisation, name="CHRS Les Glycines", orients_people=True)
    beneficiary = BeneficiaryFactory(organisation=organisation, referring_partner=chrs)

    fields = {field["name"]: field["value"] for field in subject_data(beneficiary)["fields"]}

    assert fields["referring_partner"] == "CHRS Les Glycines"


@pytest.mark.django_db
def test_the_subject_export_download_names_the_partner(client, social_worker, organisation):
    chrs = PartnerFactory(organisation=organisation, name="CHRS Les Glycines", orients_people=True)
    beneficiary = BeneficiaryFactory(organisation=organisation, referring_partner=chrs)
    client.force_login(social_worker)

    data = json.loads(read_response(client.get(reverse("beneficiaries:subject_export", args=[beneficiary.pk]))))

    assert {"name": "referring_partner", "label": "referring partner", "value": "CHRS Les Glycines"} in data["fields"]


@pytest.mark.django_db
def test_erasure_drops_the_link_and_keeps_the_partner_in_the_directory(organisation):
    chrs = PartnerFactory(organisation=organisation, name="CHRS", orients_people=True)
    beneficiary = BeneficiaryFactory(organisation=organisation, referring_partner=chrs)
    beneficiary.referring_partner = chrs
    beneficiary.save()  # a history row holding the link

    beneficiary_anonymise(beneficiary)

    beneficiary.refresh_from_db()
    assert beneficiary.referring_partner is None
    assert not Beneficiary.history.model.objects.filter(id=beneficiary.pk, referring_partner=chrs).exists()
    assert Partner.objects.filter(pk=chrs.pk).exists()


# The spreadsheet import


def _csv(*lines):
    return ("\n".join([HEADERS, *lines]) + "\n").encode()


def _parse(organisation, content):
    return import_parse(organisation=organisation, file=content, filename="file.csv")


@pytest.fixture
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("_frozen")
class TestImport:
    def test_a_name_matches_the_partner_of_the_directory_whatever_the_case_accents_and_spaces(self, organisation):
        croix_rouge = PartnerFactory(organisation=organisation, name="Croix-Rouge", orients_people=True)
        restos = PartnerFactory(organisation=organisation, name="Restos du Cœur", orients_people=True)

        result = _parse(
            organisation,
            _csv("Dupont;Ana;F;01/01/1980;croix  rouge", "Durand;Bea;F;01/01/1980;  RESTOS DU COEUR "),
        )
        import_apply(organisation=organisation, result=result, user=None)

        assert result.errors == [] and result.new_partners == []
        assert dict(Beneficiary.objects.values_list("last_name", "referring_partner")) == {
            "Dupont": croix_rouge.pk,
            "Durand": restos.pk,
        }
        assert Partner.objects.count() == 2

    def test_an_unknown_name_adds_one_partner_orienting_people_in_once_the_import_is_applied(
        self, organisation, other_organisation
    ):
        PartnerFactory(organisation=other_organisation, name="Secours populaire", orients_people=True)
        content = _csv(
            "Dupont;Ana;F;01/01/1980;Secours populaire",
            "Durand;Bea;F;01/01/1980;SECOURS POPULAIRE",
            "Martin;Cleo;F;01/01/1980;Cap Emploi",
            "Petit;Dora;F;01/01/1980;",
        )

        result = _parse(organisation, content)

        assert result.new_partners == ["Secours populaire", "Cap Emploi"]
        assert not Partner.objects.filter(organisation=organisation).exists()  # nothing before it is applied

        import_apply(organisation=organisation, result=result, user=None)

        added = Partner.objects.filter(organisation=organisation)
        assert sorted(added.values_list("name", "kind", "orients_people")) == [
            ("Cap Emploi", PartnerKind.OTHER, True),
            ("Secours populaire", PartnerKind.OTHER, True),
        ]
        secours = added.get(name="Secours populaire")
        assert sorted(secours.referred_beneficiaries.values_list("last_name", flat=True)) == ["Dupont", "Durand"]
        assert Beneficiary.objects.get(last_name="Petit").referring_partner is None

    def test_a_partner_of_the_directory_named_by_the_file_is_marked_as_orienting_people_in(self, organisation):
        france_travail = PartnerFactory(organisation=organisation, name="France Travail", funds=True)

        result = _parse(organisation, _csv("Dupont;Ana;F;01/01/1980;France Travail"))
        import_apply(organisation=organisation, result=result, user=None)

        france_travail.refresh_from_db()
        assert (france_travail.orients_people, france_travail.funds) == (True, True)

    def test_a_name_matching_two_partners_of_the_directory_must_be_written_as_one_of_them(self, organisation):
        PartnerFactory(organisation=organisation, name="Croix-Rouge")
        PartnerFactory(organisation=organisation, name="Croix Rouge")

        content = _csv("Dupont;Ana;F;01/01/1980;croix rouge", "Durand;Bea;F;01/01/1980;Croix Rouge")

        result = _parse(organisation, content)

        assert [(error.line, error.column) for error in result.errors] == [(2, "orienteur")]
        assert "matches several partners of the directory" in result.errors[0].message

    @pytest.mark.parametrize("count", [5, 50])
    def test_the_new_partners_are_added_in_a_fixed_number_of_queries(
        self, organisation, count, django_assert_max_num_queries
    ):
        content = _csv(*(f"Nom{n};Ana;F;01/01/1980;Partenaire {n}" for n in range(count)))
        with django_assert_max_num_queries(7):
            result = _parse(organisation, content)
        # The partners, the people and their history rows, one insert each (SQLite splits the last two past 999
        # parameters), and the savepoints.
        with django_assert_max_num_queries(7):
            import_apply(organisation=organisation, result=result, user=None)

        assert Partner.objects.filter(organisation=organisation, orients_people=True).count() == count
        assert Beneficiary.objects.filter(referring_partner__name="Partenaire 4").exists()

    def test_the_preview_lists_the_partners_to_add_and_the_confirmation_adds_them(
        self, client, social_worker, organisation
    ):
        PartnerFactory(organisation=organisation, name="CHRS Les Glycines", orients_people=True)
        client.force_login(social_worker)
        upload = io.BytesIO(_csv("Dupont;Ana;F;01/01/1980;CHRS les glycines", "Durand;Bea;F;01/01/1980;Cap Emploi"))
        upload.name = "file.csv"

        response = client.post(reverse("beneficiaries:import"), {"file": upload})

        page = response.content.decode()
        assert "Referring partners to add to the directory: <strong>1</strong> (Cap Emploi)" in page
        assert not Partner.objects.filter(name="Cap Emploi").exists()

        client.post(reverse("beneficiaries:import_confirm"), {"token": response.context["token"]})

        assert Beneficiary.objects.get(last_name="Durand").referring_partner.name == "Cap Emploi"
        assert Beneficiary.objects.get(last_name="Dupont").referring_partner.name == "CHRS Les Glycines"
