import random
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from insertion.defaults import reference_defaults_install
from insertion.demo import DEMO_ACCOUNTS, DEMO_ORGANISATION_SLUG, DEMO_PASSWORD
from insertion.enums import OrganisationKind, Role
from insertion.models import Organisation
from insertion.services import member_add

# Each app that has demo data exposes `demo.seed(organisation, rng, stdout)`; they run in this order because
# later data (workshops, reports) points at earlier data (beneficiaries, sites).
DEMO_MODULES = ["partners.demo_directory", "beneficiaries.demo", "gardens.demo", "partners.demo", "reporting.demo"]

# The rest of the team of seed 001: two technical trainers, a second social worker.
EXTRA_STAFF = [
    {"email": "encadrant2@demo.local", "first_name": "Julien", "last_name": "Dupont", "roles": [Role.TRAINER]},
    {"email": "cesf@demo.local", "first_name": "Amandine", "last_name": "Roussel", "roles": [Role.SOCIAL_WORKER]},
]


class Command(BaseCommand):
    help = (
        "Build the demo organisation modelled on Les Jardins du Cœur (CCAS de Valenciennes) with one account per "
        "role. Deterministic, and safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts have a published password: never in production).",
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts whose password is published: it runs only with DEBUG=1 "
                "(or --force on a machine that is not in production)."
            )
        organisation, created = Organisation.objects.get_or_create(
            slug=DEMO_ORGANISATION_SLUG,
            defaults={
                "name": "Les Jardins du Cœur — CCAS de Valenciennes",
                "kind": OrganisationKind.CCAS,
                "city": "Valenciennes",
                "yearly_target": 60,
            },
        )
        reference_defaults_install(organisation)
        for account in [*DEMO_ACCOUNTS, *EXTRA_STAFF]:
            membership = member_add(
                organisation=organisation,
                email=account["email"],
                roles=account["roles"],
                first_name=account["first_name"],
                last_name=account["last_name"],
            )
            user = membership.user
            if not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])

        for module_name in DEMO_MODULES:
            # One generator per app, so that what an app draws never depends on what the apps before it drew.
            rng = random.Random(f"2016:{module_name}")
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue
            module.seed(organisation, rng=rng, stdout=self.stdout)

        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} the demo organisation “{organisation.name}”."))
        self.stdout.write(f"Accounts (password {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            roles = ", ".join(str(Role(role).label) for role in account["roles"])
            self.stdout.write(f"  {account['email']:<26} {roles}")
