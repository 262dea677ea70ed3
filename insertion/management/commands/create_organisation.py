from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug

from insertion.enums import OrganisationKind
from insertion.models import Organisation
from insertion.services import organisation_create


class Command(BaseCommand):
    help = "Create an organisation with the default reference lists, for scripted set-ups."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Short name used in commands, e.g. ccas-valenciennes.")
        parser.add_argument("name", help='Full name, e.g. "CCAS de Valenciennes".')
        parser.add_argument("--kind", choices=OrganisationKind.values, default=OrganisationKind.ASSOCIATION)
        parser.add_argument("--city", default="")

    def handle(self, *args, slug, name, kind, city, **options):
        try:
            validate_slug(slug)
        except ValidationError:
            message = f"“{slug}” is not a valid short name: use letters, digits, hyphens and underscores."
            raise CommandError(message) from None
        if Organisation.objects.filter(slug=slug).exists():
            raise CommandError(f"An organisation with the short name “{slug}” already exists.")
        organisation = organisation_create(slug=slug, name=name, kind=kind, city=city)
        self.stdout.write(self.style.SUCCESS(f"Created “{organisation.name}” ({organisation.slug})."))
