"""`manage.py backup` and `manage.py restore`: a backup restored into a fresh database holds the same rows.

SQLite is tested on every run, on files of its own. PostgreSQL is tested when the suite runs on PostgreSQL (as
.ci/run does), from the test database into a database this test creates and drops.
"""

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import uuid
from contextlib import closing
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from insertion.backup import pg_command
from tests.insertion.factories import MembershipFactory, OrganisationFactory

BASE = str(settings.BASE_DIR)
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
CHECKED = [
    "SELECT slug, name, kind FROM insertion_organisation ORDER BY id",
    "SELECT email, password FROM insertion_user ORDER BY id",
    "SELECT user_id, organisation_id, is_administrator FROM insertion_membership ORDER BY id",
    "SELECT organisation_id, code, label, is_priority FROM insertion_neighbourhood ORDER BY id",
]


def _rows(cursor):
    rows = []
    for query in CHECKED:
        cursor.execute(query)
        rows.append([tuple(row) for row in cursor.fetchall()])
    return rows


def _manage(database_url, *args):
    environment = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "SECRET_KEY"}}
    environment.update({"DEBUG": "1", "DATABASE_URL": database_url})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE, env=environment, capture_output=True, text=True, timeout=300
    )


def test_a_sqlite_backup_restored_into_a_fresh_database_holds_the_same_rows(tmp_path):
    live, fresh, backup = tmp_path / "live.sqlite3", tmp_path / "fresh.sqlite3", tmp_path / "backup.sqlite3"
    for command in [
        ["migrate", "--noinput"],
        ["create_organisation", "ccas-test", "CCAS de test", "--kind", "ccas"],
        ["create_member", "nadia@example.org", "--organisation", "ccas-test", "--role", "administrator"],
    ]:
        result = _manage(f"sqlite:///{live}", *command)
        assert result.returncode == 0, result.stderr

    result = _manage(f"sqlite:///{live}", "backup", "--output", str(backup))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600

    refused = _manage(f"sqlite:///{fresh}", "restore", str(backup))
    assert refused.returncode != 0
    assert "--yes" in refused.stderr
    result = _manage(f"sqlite:///{fresh}", "restore", str(backup), "--yes")
    assert result.returncode == 0, result.stderr

    with closing(sqlite3.connect(live)) as original, closing(sqlite3.connect(fresh)) as restored:
        expected = _rows(original.cursor())
        assert _rows(restored.cursor()) == expected
    assert expected[0] == [("ccas-test", "CCAS de test", "ccas")]
    assert len(expected[3]) == 13


def test_a_backup_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "yesterday.dump"
    existing.write_text("yesterday's backup")
    result = _manage(f"sqlite:///{tmp_path / 'live.sqlite3'}", "backup", "--output", str(existing))
    assert result.returncode != 0
    assert "already exists" in result.stderr
    assert existing.read_text() == "yesterday's backup"


def test_restoring_a_file_that_is_not_a_backup_changes_nothing(tmp_path):
    live = tmp_path / "live.sqlite3"
    with closing(sqlite3.connect(live)) as database:
        database.executescript("CREATE TABLE kept (value TEXT); INSERT INTO kept VALUES ('still here');")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    result = _manage(f"sqlite:///{live}", "restore", str(junk), "--yes")
    assert result.returncode != 0
    assert "not a sound SQLite database" in result.stderr
    with closing(sqlite3.connect(live)) as database:
        assert database.execute("SELECT value FROM kept").fetchall() == [("still here",)]


def test_the_postgresql_password_goes_through_the_environment_never_the_command_line():
    args, environment = pg_command(
        "pg_dump",
        {"NAME": "jardins", "USER": "jardins", "PASSWORD": "s3cret p@ss", "HOST": "db", "PORT": 5432, "OPTIONS": {}},
        "--format=custom",
    )
    assert args == [
        "pg_dump",
        "--no-password",
        "--host=db",
        "--port=5432",
        "--username=jardins",
        "--dbname=jardins",
        "--format=custom",
    ]
    assert not any("s3cret" in arg for arg in args)
    assert environment["PGPASSWORD"] == "s3cret p@ss"


if ON_POSTGRESQL:  # on a SQLite run there is no PostgreSQL server to back up; .ci/run runs the suite on both

    @pytest.mark.django_db(transaction=True)
    def test_a_postgresql_backup_restored_into_a_fresh_database_holds_the_same_rows(tmp_path):
        if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
            pytest.skip("pg_dump and pg_restore are not on the PATH: install postgresql-client to test this backup.")
        import psycopg2

        organisation = OrganisationFactory(slug="ccas-test", name="CCAS de test", with_defaults=True)
        MembershipFactory(organisation=organisation, administrator=True, user__email="nadia@example.org")
        with connection.cursor() as cursor:
            expected = _rows(cursor)
        backup = tmp_path / "backup.dump"
        call_command("backup", output=str(backup))
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600

        database = dict(connection.settings_dict)
        server = {
            "host": database["HOST"] or None,
            "port": database["PORT"] or None,
            "user": database["USER"] or None,
            "password": database["PASSWORD"] or None,
        }
        fresh = f"restore_test_{uuid.uuid4().hex[:12]}"
        credentials = quote(database["USER"] or "", safe="") + (
            f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
        )
        url = f"postgres://{credentials}@{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}/{fresh}"
        admin = psycopg2.connect(dbname="postgres", **server)
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{fresh}"')
        try:
            result = _manage(url, "restore", str(backup), "--yes")
            assert result.returncode == 0, result.stderr
            restored = psycopg2.connect(dbname=fresh, **server)
            try:
                assert _rows(restored.cursor()) == expected
            finally:
                restored.close()
        finally:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
            admin.close()
        assert expected[0] == [("ccas-test", "CCAS de test", "association")]
        assert len(expected[3]) == 13
