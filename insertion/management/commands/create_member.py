from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from insertion.enums import Role
from insertion.models import Organisation
from insertion.services import member_add


class Command(BaseCommand):
    help = (
        "Give a person one or more roles in an organisation, creating their account if needed. "
        "Without --password the account has no usable password until its owner resets it."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--organisation", required=True, help="The organisation's short name (slug).")
        parser.add_argument(
            "--role",
            required=True,
            action="append",
            choices=Role.values,
            dest="roles",
            help="Repeat for several roles.",
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--password", help="Initial password (for scripts and tests; prefer a reset e-mail).")

    def handle(self, *args, email, organisation, roles, first_name, last_name, password, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"“{email}” is not a valid e-mail address.") from None
        if password:
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError("The password was refused: " + " ".join(error.messages)) from None
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"No organisation has the short name “{organisation}”.")
        membership = member_add(
            organisation=org, email=email, roles=roles, first_name=first_name, last_name=last_name, password=password
        )
        labels = ", ".join(str(Role(role).label) for role in membership.roles)
        self.stdout.write(self.style.SUCCESS(f"{membership.user.email} in {org.slug}: {labels}."))
