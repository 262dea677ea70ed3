from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from insertion import backup


class Command(BaseCommand):
    help = (
        "Replace the whole database with a file made by `backup`. Every record written since that backup is lost: "
        "stop the application first, and confirm with --yes (docs/security.md has the procedure)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file.")
        parser.add_argument("--yes", action="store_true", help="Confirm that the database's contents may be replaced.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, file, yes, database, **options):
        connection = connections[database]
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        if connection.vendor not in ("postgresql", "sqlite"):
            raise CommandError(f"Restoring a {connection.vendor} database is not supported.")
        if not yes:
            raise CommandError(
                f"This replaces every record of the database {connection.settings_dict['NAME']} with those of {path}. "
                "Stop the application, then run the command again with --yes."
            )
        if connection.vendor == "postgresql":
            connection.close()  # pg_restore drops tables: no transaction of ours may hold them
            backup.pg_restore(connection.settings_dict, path)
        else:
            backup.sqlite_restore(connection, path)
        self.stdout.write(self.style.SUCCESS(f"Restored {path} into {connection.settings_dict['NAME']}."))
