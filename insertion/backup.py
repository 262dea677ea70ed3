"""Backing up and restoring the whole database: `manage.py backup` and `manage.py restore` (docs/security.md).

PostgreSQL goes through pg_dump and pg_restore with the connection settings of DATABASES, the password in the
PGPASSWORD environment variable (never on the command line, which other users of the server can read);
SQLite through its online backup API, which copies a consistent state even while the application writes.
"""

import datetime
import os
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError
from django.db.backends.postgresql.client import DatabaseClient


def default_path(connection):
    """var/backups/<database>-<date and time>.<dump|sqlite3>."""
    name = Path(str(connection.settings_dict["NAME"] or "database")).stem
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "dump" if connection.vendor == "postgresql" else "sqlite3"
    return Path(settings.BASE_DIR) / "var" / "backups" / f"{name}-{stamp}.{suffix}"


def create_private_file(path):
    """Creates `path`, readable by its owner only (a backup holds every confidential record); never overwrites."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise CommandError(f"{path} already exists: choose another file with --output.") from None
    return path


def pg_command(program, settings_dict, *arguments):
    """The command line and environment to run a PostgreSQL client `program` on the database of `settings_dict`.

    Django's own `dbshell` works out the environment (PGPASSWORD, PGSERVICE, PGSSLMODE and the other OPTIONS).
    """
    _dbshell_args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    args = [program, "--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args.append(f"{option}={settings_dict[key]}")
    if settings_dict.get("NAME"):
        args.append(f"--dbname={settings_dict['NAME']}")
    return [*args, *arguments], {**os.environ, **(env or {})}


def run(args, env):
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise CommandError(f"{args[0]} is not installed: install the PostgreSQL client (postgresql-client).") from None
    if result.returncode != 0:
        raise CommandError(f"{args[0]} failed:\n{result.stderr.strip()}")


def pg_backup(settings_dict, path):
    run(*pg_command("pg_dump", settings_dict, "--format=custom", f"--file={path}"))


def pg_restore(settings_dict, path):
    """Replaces every object of the database with the backup's, in one transaction: all or nothing.

    Objects end up owned by the configured user, without the backup's grants, so that a backup restores into
    another server whose role has another name.
    """
    run(
        *pg_command(
            "pg_restore",
            settings_dict,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            str(path),
        )
    )


def sqlite_backup(connection, path):
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        # One self-contained file, whatever the journal mode of the live database.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def sqlite_restore(connection, path):
    source = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        try:
            healthy = source.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            healthy = False
        if not healthy:
            raise CommandError(f"{path} is not a sound SQLite database: nothing was restored.")
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()
