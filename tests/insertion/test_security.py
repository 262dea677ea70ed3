"""Sign-in, two-factor authentication, sessions and HTTP headers: the promises of docs/security.md."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from insertion.charts import bar_chart
from tests.insertion.factories import PASSWORD, MembershipFactory, TOTPDeviceFactory, totp_token
from tests.utils import TwoFactorClient, read_response

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SETUP = reverse("accounts:otp_setup")
VERIFY = reverse("accounts:otp_verify")
WRONG = "This e-mail address and password do not match an active account"
PAUSED = "Signing in is paused"
START = datetime.datetime(2026, 11, 16, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def without_tokens(response):
    """The page without its CSRF tokens, which differ on every response."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode())


def new_administrator(organisation, email="new.admin@example.org"):
    """An administrator who has not set up two-factor authentication yet."""
    return MembershipFactory(organisation=organisation, administrator=True, user__email=email).user


# Sign-in lockout (django-axes)


def test_five_failures_pause_a_known_and_an_unknown_address_with_the_same_page(client, social_worker):
    pages = {}
    for email in ("social@example.org", "nobody@example.org"):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            response = sign_in(client, email, "not-the-password")
            assert response.status_code == 200
            assert WRONG in response.content.decode()
        pages[email] = sign_in(client, email, "not-the-password")
    known, unknown = pages["social@example.org"], pages["nobody@example.org"]
    assert known.status_code == unknown.status_code == 429
    assert PAUSED in known.content.decode()
    assert "paused for 15 minutes" in known.content.decode()
    assert without_tokens(known) == without_tokens(unknown)
    assert "social@example.org" not in known.content.decode()


def test_a_paused_address_is_refused_even_with_the_right_password_until_the_pause_ends(client, social_worker):
    with time_machine.travel(START, tick=False) as traveller:
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, "social@example.org", "not-the-password")
        response = sign_in(client, "social@example.org")
        assert response.status_code == 429
        assert PAUSED in response.content.decode()
        assert "_auth_user_id" not in client.session
        traveller.shift(datetime.timedelta(minutes=14))
        assert sign_in(client, "social@example.org").status_code == 429
        traveller.shift(datetime.timedelta(minutes=1, seconds=1))
        response = sign_in(client, "social@example.org")
        assert response.status_code == 302
        assert response["Location"] == reverse("core:home")


def test_failures_count_for_the_address_whatever_its_case(client, social_worker):
    for email in ["Social@example.org", "SOCIAL@EXAMPLE.ORG", " social@example.org", "social@Example.org"]:
        assert sign_in(client, email, "not-the-password").status_code == 200
    assert sign_in(client, "social@example.org", "not-the-password").status_code == 429


def test_the_lockout_page_is_in_the_layout_and_in_french_by_default(client, settings, social_worker):
    settings.LANGUAGE_CODE = "fr"
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "social@example.org", "not-the-password")
    assert response.status_code == 429
    assert {"registration/lockout.html", "layout/base.html"} <= {template.name for template in response.templates}
    assert '<html lang="fr">' in response.content.decode()


# Two-factor authentication (django-otp)


def test_an_administrator_without_a_device_is_sent_to_set_it_up_and_reaches_nothing_else(client, organisation):
    admin = new_administrator(organisation)
    response = sign_in(client, admin.email, follow=True)
    assert response.redirect_chain[-1][0] == SETUP
    assert "you must set up two-factor authentication" in response.content.decode()
    members = reverse("core:members")
    assert client.get(members)["Location"] == f"{SETUP}?next={members.replace('/', '%2F')}"
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("core:home_administrator"))["Location"].startswith(SETUP)
    post = client.post(reverse("core:switch_organisation"), {"organisation": organisation.pk})
    assert post["Location"] == SETUP
    htmx = client.get(members, headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == SETUP
    assert client.post(reverse("accounts:logout"))["Location"] == LOGIN


def test_a_code_from_the_app_turns_it_on_then_a_code_is_asked_at_each_sign_in(client, organisation):
    admin = new_administrator(organisation)
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, admin.email)
        page = client.get(SETUP)
        body = page.content.decode()
        device = TOTPDevice.objects.get(user=admin, confirmed=False)
        assert page.context["secret"].replace(" ", "") in device.config_url
        svg = re.search(r"<svg.*?</svg>", body, re.S).group()
        assert "style" not in svg
        response = client.post(SETUP, {"token": totp_token(device)})
        assert response["Location"] == reverse("core:home")
        assert client.get(reverse("core:home_administrator")).status_code == 200
        device.refresh_from_db()
        assert device.confirmed

        client.post(reverse("accounts:logout"))
        traveller.shift(datetime.timedelta(minutes=5))
        assert sign_in(client, admin.email, follow=True).redirect_chain[-1][0] == VERIFY
        members = reverse("core:members")
        assert client.get(members)["Location"].startswith(VERIFY)
        refused = client.post(VERIFY, {"token": "000000" if totp_token(device) != "000000" else "111111"})
        assert refused.status_code == 200
        assert "This code is not the right one" in refused.content.decode()
        assert client.get(members)["Location"].startswith(VERIFY)
        traveller.shift(datetime.timedelta(seconds=30))  # django-otp makes the next try wait after a wrong code
        accepted = client.post(VERIFY, {"token": totp_token(device), "next": members})
        assert accepted["Location"] == members
        assert client.get(members).status_code == 200


def test_a_code_is_accepted_only_once(client, administrator):
    device = TOTPDevice.objects.get(user=administrator)
    with time_machine.travel(START, tick=False):
        token = totp_token(device)
        client.force_login(administrator, verified=False)
        assert client.post(VERIFY, {"token": token})["Location"] == reverse("core:home")
        other = TwoFactorClient()
        other.force_login(administrator, verified=False)
        replayed = other.post(VERIFY, {"token": token})
        assert replayed.status_code == 200
        assert "This code is not the right one" in replayed.content.decode()


def test_a_wrong_code_while_setting_up_shows_the_same_qr_code_again(client, organisation):
    """Found by tests/test_forms_fuzz.py: a wrong code at setup used to end in a server error."""
    admin = new_administrator(organisation)
    with time_machine.travel(START, tick=False):
        sign_in(client, admin.email)
        secret = client.get(SETUP).context["secret"]
        device = TOTPDevice.objects.get(user=admin, confirmed=False)
        refused = client.post(SETUP, {"token": "000000" if totp_token(device) != "000000" else "111111"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["token"]
    assert refused.context["secret"] == secret
    device.refresh_from_db()
    assert not device.confirmed


def test_the_password_alone_cannot_replace_the_device(client, settings, administrator):
    sign_in(client, administrator.email)
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"token": "123456"})["Location"].startswith(VERIFY)
    # The set-up page refuses on its own too, without TwoFactorMiddleware.
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != "insertion.two_factor.TwoFactorMiddleware"]
    same_browser = Client()  # a new client loads the middleware again
    same_browser.cookies = client.cookies
    assert same_browser.get(SETUP)["Location"].startswith(VERIFY)
    assert same_browser.post(SETUP, {"token": "123456"})["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=administrator).values_list("confirmed", flat=True)) == [True]


def test_a_verified_member_moves_two_factor_authentication_to_a_new_phone(client, administrator):
    old = TOTPDevice.objects.get(user=administrator)
    client.force_login(administrator)
    page = client.get(SETUP)
    assert "is on for your account" in page.content.decode()
    new = TOTPDevice.objects.get(user=administrator, confirmed=False)
    assert client.post(SETUP, {"token": totp_token(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=administrator)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_the_other_roles_land_on_their_home_right_after_the_password(social_worker, trainer, coordinator):
    for user, home in [
        (social_worker, "beneficiaries:dashboard"),
        (trainer, "gardens:home"),
        (coordinator, "reporting:dashboard"),
    ]:
        client = Client()
        response = sign_in(client, user.email, follow=True)
        assert response.redirect_chain[-1][0] == reverse(home)
        assert response.status_code == 200
    assert not TOTPDevice.objects.exists()


def test_a_member_who_turned_it_on_types_a_code_whatever_their_role(client, social_worker):
    TOTPDeviceFactory(user=social_worker)
    response = sign_in(client, social_worker.email, follow=True)
    assert response.redirect_chain[-1][0] == VERIFY
    assert client.get(reverse("beneficiaries:dashboard"))["Location"].startswith(VERIFY)


def test_the_admin_site_refuses_an_unverified_administrator_on_its_own(client, settings, administrator):
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != "insertion.two_factor.TwoFactorMiddleware"]
    client.force_login(administrator, verified=False)
    response = client.get(reverse("admin:insertion_neighbourhood_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    client.force_login(administrator)
    assert client.get(reverse("admin:insertion_neighbourhood_changelist")).status_code == 200


def test_the_code_gives_the_session_a_new_key(client, administrator):
    client.force_login(administrator, verified=False)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(VERIFY, {"token": totp_token(TOTPDevice.objects.get(user=administrator))})
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
    assert not Session.objects.filter(session_key=before).exists()


def test_an_operator_resets_a_lost_phone_and_the_administrator_sets_up_a_new_one(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("core:home_administrator")).status_code == 200
    call_command("two_factor_reset", "Admin@example.org")
    assert not TOTPDevice.objects.filter(user=administrator).exists()
    assert client.get(reverse("core:home_administrator"))["Location"].startswith(SETUP)


# Sessions


def test_a_session_ends_after_30_minutes_without_a_request(client, social_worker):
    dashboard = reverse("beneficiaries:dashboard")
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, social_worker.email)
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get(dashboard).status_code == 200
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get(dashboard).status_code == 200
        traveller.shift(datetime.timedelta(minutes=30, seconds=1))
        response = client.get(dashboard)
        assert response["Location"] == f"{LOGIN}?next={dashboard}"


def test_a_session_ends_12_hours_after_signing_in_however_busy(client, social_worker):
    dashboard = reverse("beneficiaries:dashboard")
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, social_worker.email)
        for _step in range(12 * 3 - 1):  # a request every 20 minutes, all day
            traveller.shift(datetime.timedelta(minutes=20))
            assert client.get(dashboard).status_code == 200
        traveller.shift(datetime.timedelta(minutes=20))
        response = client.get(dashboard, follow=True)
        assert response.redirect_chain[-1][0] == f"{LOGIN}?next={dashboard}"
        assert "Your session has ended" in response.content.decode()


def test_signing_in_gives_the_session_a_new_key(client, social_worker):
    session = client.session
    session["before"] = "signing in"
    session.save()
    before = session.session_key
    assert sign_in(client, social_worker.email).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_deactivating_a_member_ends_all_their_sessions(social_worker):
    office, phone = Client(), Client()
    for client in (office, phone):
        sign_in(client, social_worker.email)
        assert client.get(reverse("beneficiaries:dashboard")).status_code == 200
    social_worker.is_active = False
    social_worker.save()
    for client in (office, phone):
        assert client.get(reverse("beneficiaries:dashboard"))["Location"].startswith(LOGIN)


def test_changing_the_password_ends_the_other_sessions(social_worker):
    office, phone = Client(), Client()
    for client in (office, phone):
        sign_in(client, social_worker.email)
    new = "une phrase de passe toute neuve"
    changed = office.post(
        reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert changed.status_code == 302
    assert office.get(reverse("beneficiaries:dashboard")).status_code == 200
    assert phone.get(reverse("beneficiaries:dashboard"))["Location"].startswith(LOGIN)


def test_a_password_reset_ends_every_session(client, social_worker):
    office = Client()
    sign_in(office, social_worker.email)
    client.post(reverse("accounts:password_reset"), {"email": social_worker.email})
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    new = "une phrase de passe toute neuve"
    assert client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}).status_code == 302
    assert office.get(reverse("beneficiaries:dashboard"))["Location"].startswith(LOGIN)


# Headers


def _policy(response):
    directives = [directive.strip().split() for directive in response["Content-Security-Policy"].split(";")]
    return {directive[0]: directive[1:] for directive in directives if directive}


def test_every_page_has_a_content_security_policy_without_inline_scripts(client, social_worker):
    anonymous = client.get(LOGIN)
    client.force_login(social_worker)
    for response in (anonymous, client.get(reverse("beneficiaries:dashboard"))):
        policy = _policy(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert not any("'unsafe-inline'" in sources or "'unsafe-eval'" in sources for sources in policy.values())
        assert policy["object-src"] == policy["base-uri"] == policy["frame-ancestors"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]


INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.I),
    "style element": re.compile(r"<style", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_page_template_has_an_inline_script_event_handler_or_style():
    """The policy would block them. PDF templates (layout/printable.html) are exempt: WeasyPrint has no CSP."""
    found = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        text = path.read_text()
        if path.name == "printable.html" or '{% extends "layout/printable.html" %}' in text:
            continue
        found += [f"{path.name}: {what}" for what, pattern in INLINE.items() if pattern.search(text)]
    assert found == []


def test_htmx_is_told_not_to_inject_its_styles(client):
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false' in client.get(LOGIN).content.decode()


def test_charts_carry_no_style_attribute():
    assert "style=" not in bar_chart("Harvests", ["Tomatoes"], [12], "kg").svg


def test_pages_and_downloads_for_a_signed_in_member_are_not_stored(client, social_worker):
    client.force_login(social_worker)
    page = client.get(reverse("beneficiaries:dashboard"))
    download = client.get(reverse("beneficiaries:export", kwargs={"fmt": "csv"}))
    read_response(download)
    for response in (page, download):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
