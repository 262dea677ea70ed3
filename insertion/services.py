from django.db import transaction

from insertion.defaults import reference_defaults_install
from insertion.models import Membership, Organisation, User


@transaction.atomic
def organisation_create(*, slug, name, **fields):
    """Create an organisation with the French default lists, so that its forms have choices from day one."""
    organisation = Organisation.objects.create(slug=slug, name=name, **fields)
    reference_defaults_install(organisation)
    return organisation


@transaction.atomic
def member_add(*, organisation, email, roles, first_name="", last_name="", password=None):
    """Give a person (created if new) the given roles in an organisation; roles already held are kept."""
    email = User.objects.normalize_email(email)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        membership = Membership(user=user, organisation=organisation)
    membership.set_roles(set(membership.roles) | set(roles))
    membership.is_active = True
    membership.save()
    return membership
