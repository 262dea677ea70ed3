import factory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from insertion.defaults import reference_defaults_install
from insertion.models import Membership, Neighbourhood, Organisation, User

PASSWORD = "a-long-test-password-2026"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Structure {n}")
    slug = factory.Sequence(lambda n: f"structure-{n}")
    city = "Valenciennes"

    @factory.post_generation
    def with_defaults(obj, create, extracted, **kwargs):
        """`OrganisationFactory(with_defaults=True)` installs the default reference lists."""
        if create and extracted:
            reference_defaults_install(obj)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    is_social_worker = False

    class Params:
        social_worker = factory.Trait(is_social_worker=True)
        trainer = factory.Trait(is_trainer=True)
        coordinator = factory.Trait(is_coordinator=True)
        administrator = factory.Trait(is_administrator=True)


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    organisation = factory.SubFactory(OrganisationFactory)
    label = factory.Sequence(lambda n: f"Quartier {n}")
    code = factory.Sequence(lambda n: f"quartier-{n}")


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app (two-factor authentication); `totp_token(device)` gives its current code."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


def totp_token(device):
    """The code the member's app shows now (time_machine moves it with the clock)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
