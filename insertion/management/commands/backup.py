from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from insertion import backup


class Command(BaseCommand):
    help = (
        "Copy the whole database into one file, while the application keeps running: pg_dump's custom format for "
        "PostgreSQL, a SQLite database for SQLite. The file is readable by its owner only; keep it as confidential "
        "as the application, and off the server (docs/security.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to create (default: var/backups/<database>-<date>.<dump|sqlite3>).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, output, database, **options):
        connection = connections[database]
        if connection.vendor not in ("postgresql", "sqlite"):
            raise CommandError(f"Backing up a {connection.vendor} database is not supported.")
        path = backup.create_private_file(output or backup.default_path(connection))
        try:
            if connection.vendor == "postgresql":
                backup.pg_backup(connection.settings_dict, path)
            else:
                backup.sqlite_backup(connection, path)
        except BaseException:
            path.unlink(missing_ok=True)  # no half-written backup that looks like a good one
            raise
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path}"))
