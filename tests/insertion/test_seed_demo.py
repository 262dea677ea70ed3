import pytest
from django.core.management import call_command
from django.urls import reverse

from insertion.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from insertion.models import Membership, Neighbourhood, Organisation, User

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Neighbourhood.objects.count(),
    )


def test_seed_demo_builds_the_demo_and_running_it_again_duplicates_nothing():
    call_command("seed_demo", "--force")
    first = _counts()
    call_command("seed_demo", "--force")
    assert _counts() == first
    organisation = Organisation.objects.get(slug="jardins-du-coeur")
    assert organisation.yearly_target == 60
    assert Neighbourhood.objects.filter(organisation=organisation, is_priority=True).count() == 7


@pytest.mark.parametrize(
    ("email", "home"),
    [
        ("social@demo.local", "beneficiaries:dashboard"),
        ("trainer@demo.local", "gardens:home"),
        ("coordinator@demo.local", "reporting:dashboard"),
        # The demo administrator has no authenticator app yet: administrators must set one up first.
        ("admin@demo.local", "accounts:otp_setup"),
    ],
)
def test_each_demo_account_signs_in_and_lands_on_its_own_home(client, email, home):
    call_command("seed_demo", "--force")
    response = client.post(reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(home)
    assert response.status_code == 200


def test_there_is_one_demo_account_per_role():
    roles = [tuple(account["roles"]) for account in DEMO_ACCOUNTS]
    assert sorted(roles) == sorted([("social_worker",), ("trainer",), ("coordinator",), ("administrator",)])


def test_seed_demo_refuses_to_run_without_debug(settings):
    from django.core.management import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG=1"):
        call_command("seed_demo")
    assert not Organisation.objects.exists()
