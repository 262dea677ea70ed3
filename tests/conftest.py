"""Shared fixtures: the personas of the role × URL matrix, and the strict mode of the whole suite."""

import inspect
import io
from contextlib import nullcontext
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from insertion.demo import DEMO_ORGANISATION_SLUG
from insertion.enums import Role
from insertion.models import Organisation
from tests.insertion.factories import MembershipFactory, OrganisationFactory, TOTPDeviceFactory, UserFactory
from tests.utils import TwoFactorClient

PROJECT_TEMPLATES = Path(settings.BASE_DIR).resolve()
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
VENV = PROJECT_TEMPLATES / ".venv"


class StrictUndefined(str):
    """Fails the test on an undefined variable in one of the project's templates.

    Django's own templates (the admin) are left alone: they rely on undefined variables by design.
    """

    def __mod__(self, variable):
        origin = None
        for frame_info in inspect.stack()[1:]:
            candidate = frame_info.frame.f_locals.get("self")
            template_origin = getattr(candidate, "origin", None)
            if template_origin is not None and getattr(template_origin, "name", None):
                origin = Path(str(template_origin.name)).resolve()
                break
        if origin is not None and origin.is_relative_to(PROJECT_TEMPLATES) and not origin.is_relative_to(VENV):
            pytest.fail(f"Undefined template variable {variable!r} in {origin.relative_to(PROJECT_TEMPLATES)}")
        return ""

    def __contains__(self, item):
        return item == "%s"


@pytest.fixture(autouse=True)
def _strict_templates(settings):
    settings.TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = StrictUndefined("%s")
    settings.TEMPLATES[0]["OPTIONS"]["debug"] = True


@pytest.fixture(autouse=True)
def _fast_hashing_and_mail(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SHOW_DEMO_ACCOUNTS = False


@pytest.fixture(scope="module")
def demo_once(request, django_db_setup, django_db_blocker):
    """(organisation, output) of `seed_demo`, run once for all the tests of a module rather than once per test.

    The demo takes seconds to build; the modules that examine it share one. It is built in a transaction rolled back
    after the module's last test, and each test runs in a savepoint of its own as usual, so that nothing a test
    changes reaches the next. A module that sets DEMO_MOMENT (a datetime in the project's time zone) has the demo
    built, and its tests run, with time frozen then.
    """
    moment = getattr(request.module, "DEMO_MOMENT", None)
    frozen = time_machine.travel(timezone.make_aware(moment), tick=False) if moment else nullcontext()
    with django_db_blocker.unblock(), transaction.atomic(), frozen, override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        out = io.StringIO()
        call_command("seed_demo", "--force", stdout=out)
        yield Organisation.objects.get(slug=DEMO_ORGANISATION_SLUG), out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(slug="jardins", name="Les Jardins", with_defaults=True)


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(slug="ailleurs", name="Régie d'ailleurs", with_defaults=True)


def _member(organisation, email, **roles):
    return MembershipFactory(organisation=organisation, user=UserFactory(email=email), **roles).user


@pytest.fixture
def social_worker(organisation):
    return _member(organisation, "social@example.org", social_worker=True)


@pytest.fixture
def trainer(organisation):
    return _member(organisation, "trainer@example.org", trainer=True)


@pytest.fixture
def coordinator(organisation):
    return _member(organisation, "coordinator@example.org", coordinator=True)


@pytest.fixture
def administrator(organisation):
    """An administrator who has set up two-factor authentication, as every administrator must."""
    user = _member(organisation, "admin@example.org", administrator=True)
    TOTPDeviceFactory(user=user)
    return user


@pytest.fixture
def outsider(other_organisation):
    """A member with every role, but of another organisation: everything of ours is a 404 to them."""
    user = _member(
        other_organisation,
        "outsider@example.org",
        social_worker=True,
        trainer=True,
        coordinator=True,
        administrator=True,
    )
    TOTPDeviceFactory(user=user)
    return user


PERSONAS = {
    Role.SOCIAL_WORKER: "social_worker",
    Role.TRAINER: "trainer",
    Role.COORDINATOR: "coordinator",
    Role.ADMINISTRATOR: "administrator",
}


@pytest.fixture
def client():
    """Django's test client, whose `force_login` passes two-factor authentication for a user with a device.

    Administrators must use two-factor authentication (insertion.two_factor): the `administrator` and `outsider`
    personas have a confirmed device, so `client.force_login(administrator)` opens their pages as after typing a
    code. An administrator made in a test needs `TOTPDeviceFactory(user=...)` too. See tests.utils.TwoFactorClient.
    """
    return TwoFactorClient()


@pytest.fixture
def login_as(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def rendered_html(monkeypatch):
    """The HTML each PDF view hands to WeasyPrint, to read what the PDF says (its text is not read back)."""
    from insertion import pdf

    pages = []
    real_html = pdf.HTML

    def spy(*, string, **kwargs):
        assert isinstance(kwargs["url_fetcher"], pdf.StaticFilesFetcher)  # never the network
        pages.append(string)
        return real_html(string=string, **kwargs)

    monkeypatch.setattr(pdf, "HTML", spy)
    return pages
