import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.insertion.factories import PASSWORD, MembershipFactory, TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
WRONG = "This e-mail address and password do not match an active account"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_a_member_signs_in_with_their_email_whatever_its_case(client, social_worker):
    response = client.post(LOGIN, {"username": "Social@Example.ORG", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("beneficiaries:dashboard")).status_code == 200


def test_wrong_password_and_unknown_email_get_the_same_message(client, social_worker):
    wrong_password = client.post(LOGIN, {"username": "social@example.org", "password": "not-the-password"})
    unknown = client.post(LOGIN, {"username": "nobody@example.org", "password": "not-the-password"})
    assert wrong_password.status_code == unknown.status_code == 200
    assert WRONG in wrong_password.content.decode()
    assert WRONG in unknown.content.decode()
    assert wrong_password.context["form"].errors == unknown.context["form"].errors


def test_a_deactivated_account_cannot_sign_in_and_learns_nothing_more(client, social_worker):
    social_worker.is_active = False
    social_worker.save()
    response = client.post(LOGIN, {"username": "social@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert WRONG in response.content.decode()


def test_email_addresses_are_stored_in_lower_case_and_unique():
    user = get_user_model().objects.create_user("Jeanne.Martin@Example.org", PASSWORD)
    assert user.email == "jeanne.martin@example.org"
    assert get_user_model().objects.get_by_natural_key("JEANNE.MARTIN@example.org") == user


def test_every_page_needs_a_sign_in(client):
    response = client.get(reverse("core:members"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={reverse('core:members')}"


def test_the_login_page_lists_the_demo_accounts_only_when_asked(client, settings):
    settings.SHOW_DEMO_ACCOUNTS = True
    assert "admin@demo.local" in client.get(LOGIN).content.decode()
    settings.SHOW_DEMO_ACCOUNTS = False
    assert "admin@demo.local" not in client.get(LOGIN).content.decode()


def test_sign_out_ends_the_session(client, social_worker):
    client.force_login(social_worker)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_a_member_changes_their_password(client, social_worker):
    client.force_login(social_worker)
    new = "une phrase de passe bien longue"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    social_worker.refresh_from_db()
    assert social_worker.check_password(new)


def test_a_short_or_common_password_is_refused_on_the_field(client, social_worker):
    client.force_login(social_worker)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert "at least 12 characters" in errors
    assert "too common" in errors
    social_worker.refresh_from_db()
    assert social_worker.check_password(PASSWORD)


def test_password_reset_sends_a_link_that_sets_a_new_password(client, social_worker):
    response = client.post(reverse("accounts:password_reset"), {"email": "social@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "une autre phrase de passe"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    social_worker.refresh_from_db()
    assert social_worker.check_password(new)


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_member_of_no_organisation_is_told_whom_to_ask(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 403
    assert "not a member of any organisation" in response.content.decode()


def test_the_403_page_is_friendly_and_leads_home(client, trainer):
    client.force_login(trainer)
    response = client.get(reverse("core:members"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "This page is not part of your role" in body
    assert reverse("core:home") in body


def test_each_role_lands_on_its_own_home_page(client, organisation):
    for role, url_name in [
        ("social_worker", "beneficiaries:dashboard"),
        ("trainer", "gardens:home"),
        ("coordinator", "reporting:dashboard"),
        ("administrator", "core:home_administrator"),
    ]:
        user = MembershipFactory(organisation=organisation, **{role: True}).user
        if role == "administrator":
            TOTPDeviceFactory(user=user)  # administrators must use two-factor authentication
        client.force_login(user)
        response = client.get(reverse("core:home"))
        assert response["Location"] == reverse(url_name), role


def test_a_member_added_without_a_password_sets_one_through_forgotten_password(client, organisation):
    from django.core.management import call_command

    call_command("create_member", "nouvelle@example.org", "--organisation", organisation.slug, "--role", "trainer")
    client.post(reverse("accounts:password_reset"), {"email": "nouvelle@example.org"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nouvelle@example.org"]
