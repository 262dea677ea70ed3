import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse

from insertion import defaults
from insertion.enums import ExitCategory, Role
from insertion.middleware import SESSION_KEY
from insertion.models import (
    REFERENCE_MODELS,
    EducationLevel,
    ExitOutcome,
    Membership,
    Neighbourhood,
    Organisation,
    User,
)
from tests.insertion.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_a_new_organisation_gets_the_french_default_lists():
    call_command("create_organisation", "ccas-valenciennes", "CCAS de Valenciennes", "--kind", "ccas")
    organisation = Organisation.objects.get(slug="ccas-valenciennes")
    assert organisation.name == "CCAS de Valenciennes"
    assert Neighbourhood.objects.filter(organisation=organisation).count() == 13
    assert Neighbourhood.objects.get(organisation=organisation, code="saint-waast").is_priority
    level = EducationLevel.objects.get(organisation=organisation, code="cap-bep")
    assert (level.scale_1969, level.scale_2019) == ("V", "3")
    assert str(level) == "CAP, BEP (ou niveau 2nde/1ère) (V · 3)"
    assert (
        ExitOutcome.objects.get(organisation=organisation, code="cdi").category == ExitCategory.SUSTAINABLE_EMPLOYMENT
    )
    for model in REFERENCE_MODELS:
        assert model.objects.filter(organisation=organisation).exists(), model


def test_installing_the_defaults_again_keeps_what_the_organisation_edited(organisation):
    renamed = Neighbourhood.objects.get(organisation=organisation, code="dutemple")
    renamed.label = "Dutemple – Saint-Waast"
    renamed.save()
    Neighbourhood.objects.get(organisation=organisation, code="le-roleur").delete()
    created = defaults.reference_defaults_install(organisation)
    assert created == 1
    renamed.refresh_from_db()
    assert renamed.label == "Dutemple – Saint-Waast"
    assert Neighbourhood.objects.filter(organisation=organisation).count() == len(defaults.NEIGHBOURHOODS)


def test_two_organisations_may_use_the_same_labels_but_one_may_not_twice(organisation, other_organisation):
    assert Neighbourhood.objects.filter(label="Saint-Waast").count() == 2
    with pytest.raises(IntegrityError):
        Neighbourhood.objects.create(organisation=organisation, label="Saint-Waast", code="saint-waast-2")


def test_create_organisation_refuses_a_taken_or_invalid_short_name(organisation):
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_organisation", "jardins", "Autre")
    with pytest.raises(CommandError, match="not a valid short name"):
        call_command("create_organisation", "pas un slug", "Autre")


def test_create_member_gives_roles_and_keeps_those_held(organisation):
    call_command("create_member", "Lea@Example.org", "--organisation", "jardins", "--role", "coordinator")
    call_command(
        "create_member", "lea@example.org", "--organisation", "jardins", "--role", "social_worker", "--role", "trainer"
    )
    membership = Membership.objects.get(user__email="lea@example.org", organisation=organisation)
    assert membership.roles == [Role.SOCIAL_WORKER, Role.TRAINER, Role.COORDINATOR]
    assert not membership.user.has_usable_password()


def test_create_member_explains_what_is_wrong(organisation):
    with pytest.raises(CommandError, match="No organisation"):
        call_command("create_member", "a@example.org", "--organisation", "nowhere", "--role", "trainer")
    with pytest.raises(CommandError, match="not a valid e-mail"):
        call_command("create_member", "not-an-email", "--organisation", "jardins", "--role", "trainer")
    with pytest.raises(CommandError, match="password was refused"):
        call_command(
            "create_member", "a@example.org", "--organisation", "jardins", "--role", "trainer", "--password", "short"
        )
    assert not User.objects.filter(email="a@example.org").exists()


def test_a_membership_needs_at_least_one_role(organisation, social_worker):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=social_worker, organisation=OrganisationFactory())


def test_a_member_of_two_organisations_switches_between_them(client, organisation, other_organisation, social_worker):
    MembershipFactory(user=social_worker, organisation=other_organisation, trainer=True)
    client.force_login(social_worker)
    assert client.get(reverse("core:home"))["Location"] == reverse("beneficiaries:dashboard")
    page = client.get(reverse("beneficiaries:dashboard")).content.decode()
    assert "Régie d&#x27;ailleurs" in page  # the switcher offers the other organisation

    response = client.post(reverse("core:switch_organisation"), {"organisation": other_organisation.pk})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == other_organisation.pk
    # In the other organisation they are a trainer only.
    assert client.get(reverse("core:home"))["Location"] == reverse("gardens:home")
    assert client.get(reverse("beneficiaries:dashboard")).status_code == 403


def test_switching_to_an_organisation_one_is_not_a_member_of_is_a_404(client, social_worker, other_organisation):
    client.force_login(social_worker)
    response = client.post(reverse("core:switch_organisation"), {"organisation": other_organisation.pk})
    assert response.status_code == 404
    assert SESSION_KEY not in client.session


def test_a_deactivated_membership_gives_no_access(client, organisation, social_worker):
    Membership.objects.filter(user=social_worker).update(is_active=False)
    client.force_login(social_worker)
    assert client.get(reverse("beneficiaries:dashboard")).status_code == 403


class TestMemberManagement:
    def test_the_administrator_adds_a_member_who_chooses_their_password(self, client, administrator, organisation):
        client.force_login(administrator)
        response = client.post(
            reverse("core:member_add"),
            {"email": "Nouveau@Example.org", "first_name": "Paul", "last_name": "Durand", "roles": ["trainer"]},
        )
        assert response.status_code == 302
        membership = Membership.objects.get(organisation=organisation, user__email="nouveau@example.org")
        assert membership.roles == [Role.TRAINER]
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["nouveau@example.org"]
        assert "Les Jardins" in mail.outbox[0].subject
        assert "/compte/mot-de-passe/nouveau/" in mail.outbox[0].body

    def test_adding_an_existing_member_is_refused_on_the_email_field(self, client, administrator, social_worker):
        client.force_login(administrator)
        response = client.post(
            reverse("core:member_add"),
            {"email": "SOCIAL@example.org", "first_name": "A", "last_name": "B", "roles": ["trainer"]},
        )
        assert response.status_code == 200
        assert "already a member" in response.context["form"].errors["email"][0]
        assert Membership.objects.get(user=social_worker).roles == [Role.SOCIAL_WORKER]

    def test_a_member_without_a_role_is_refused(self, client, administrator):
        client.force_login(administrator)
        response = client.post(
            reverse("core:member_add"), {"email": "x@example.org", "first_name": "A", "last_name": "B"}
        )
        assert response.context["form"].errors["roles"] == ["Choose at least one role."]
        assert not User.objects.filter(email="x@example.org").exists()

    def test_a_person_already_in_another_organisation_keeps_their_account(
        self, client, administrator, outsider, organisation
    ):
        client.force_login(administrator)
        client.post(
            reverse("core:member_add"),
            {"email": "outsider@example.org", "first_name": "O", "last_name": "S", "roles": ["coordinator"]},
        )
        assert User.objects.filter(email="outsider@example.org").count() == 1
        assert Membership.objects.get(user=outsider, organisation=organisation).roles == [Role.COORDINATOR]
        assert mail.outbox == []  # they already have a password

    def test_the_administrator_changes_roles_and_ends_access(self, client, administrator, social_worker):
        membership = Membership.objects.get(user=social_worker)
        client.force_login(administrator)
        response = client.post(
            reverse("core:member_edit", args=[membership.pk]), {"roles": ["social_worker", "coordinator"]}
        )
        assert response.status_code == 302
        membership.refresh_from_db()
        assert membership.roles == [Role.SOCIAL_WORKER, Role.COORDINATOR]
        assert membership.is_active is False  # the box was not ticked

    def test_an_administrator_cannot_remove_their_own_administrator_role(self, client, administrator):
        membership = Membership.objects.get(user=administrator)
        client.force_login(administrator)
        response = client.post(reverse("core:member_edit", args=[membership.pk]), {"roles": ["coordinator"]})
        assert response.status_code == 200
        assert "own administrator role" in str(response.context["form"].non_field_errors())
        membership.refresh_from_db()
        assert membership.roles == [Role.ADMINISTRATOR]

    def test_the_member_list_runs_a_fixed_number_of_queries(
        self, client, administrator, organisation, django_assert_num_queries
    ):
        for _ in range(30):
            MembershipFactory(organisation=organisation, trainer=True)
        client.force_login(administrator)
        # session, user, the two-factor device that verified the session, the user's memberships, then in the
        # request's savepoint: count and page of members
        with django_assert_num_queries(8):
            response = client.get(reverse("core:members"))
        assert len(response.context["page_obj"].object_list) == 25

    def test_the_organisation_settings_are_saved(self, client, administrator, organisation):
        client.force_login(administrator)
        response = client.post(
            reverse("core:organisation_settings"),
            {
                "name": "Les Jardins du Cœur",
                "kind": "ccas",
                "city": "Saint-Denis",
                "yearly_target": "72",
                "time_zone": "Indian/Reunion",
            },
        )
        assert response.status_code == 302
        organisation.refresh_from_db()
        assert (organisation.name, organisation.yearly_target, organisation.time_zone) == (
            "Les Jardins du Cœur",
            72,
            "Indian/Reunion",
        )

    def test_a_negative_target_is_refused_on_the_field(self, client, administrator, organisation):
        client.force_login(administrator)
        response = client.post(
            reverse("core:organisation_settings"),
            {"name": "Les Jardins", "kind": "ccas", "city": "", "yearly_target": "-5"},
        )
        assert "yearly_target" in response.context["form"].errors
        organisation.refresh_from_db()
        assert organisation.yearly_target == 60
