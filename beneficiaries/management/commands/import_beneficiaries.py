from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beneficiaries.importing import import_apply, import_parse
from insertion.models import Organisation


def _people(count):
    return f"{count} person" if count == 1 else f"{count} people"


class Command(BaseCommand):
    help = "Import beneficiaries from a CSV or XLSX file (see docs/import.md); a file with an error imports nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .csv or .xlsx file.")
        parser.add_argument("--organisation", required=True, help="Short name of the organisation, e.g. jardins.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, but save nothing.")

    def handle(self, *args, file, organisation, dry_run, **options):
        target = Organisation.objects.filter(slug=organisation).first()
        if target is None:
            raise CommandError(f"No organisation has the short name “{organisation}”.")
        try:
            with file.open("rb") as handle:
                result = import_parse(organisation=target, file=handle, filename=file.name)
        except OSError as error:
            raise CommandError(f"The file cannot be opened: {error.strerror} ({file}).") from None
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            count = len(result.errors)
            raise CommandError(f"{count} error{'s' if count > 1 else ''} in {file.name}: nothing was imported.")
        if dry_run:
            self.stdout.write(f"{_people(len(result.rows))} would be imported into “{target.name}” (dry run).")
            return
        count = import_apply(organisation=target, result=result, user=None)
        self.stdout.write(self.style.SUCCESS(f"{_people(count)} imported into “{target.name}”."))
