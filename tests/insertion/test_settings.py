import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from insertion.settings import env_bool, env_int, env_list

BASE = str(settings.BASE_DIR)


def _django(env, *args):
    clean = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_without_a_secret_key_refuses_to_start_and_says_why():
    result = _django({"DEBUG": "0"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_production_settings_pass_the_deployment_checklist_without_a_warning():
    result = _django(
        {
            "DEBUG": "0",
            "SECRET_KEY": "k" * 20 + "a-random-but-long-enough-key-for-the-check-0123456789",
            "ALLOWED_HOSTS": "jardins.example.org",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_database_url_that_cannot_be_understood_is_refused():
    result = _django({"DEBUG": "1", "DATABASE_URL": "nosuchdb://x"}, "check")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_env_helpers_fail_loudly_on_values_they_cannot_read(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG='maybe' is not a boolean"):
        env_bool("SOME_FLAG")
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("SOME_NUMBER", 1)
    monkeypatch.setenv("SOME_FLAG", "Yes")
    assert env_bool("SOME_FLAG") is True
    monkeypatch.setenv("SOME_LIST", "a.org, b.org,,")
    assert env_list("SOME_LIST") == ["a.org", "b.org"]


def test_the_embedded_default_database_is_a_sqlite_file_under_var():
    result = _django(
        {"DEBUG": "1"},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == os.path.join(BASE, "var", "db.sqlite3")


def test_paris_is_the_default_time_zone():
    assert settings.TIME_ZONE == os.environ.get("TIME_ZONE", "Europe/Paris")


def test_an_empty_boolean_variable_keeps_its_default(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "")
    assert env_bool("SOME_FLAG", True) is True


def test_smtp_over_ssl_turns_starttls_off_and_both_at_once_are_refused():
    ssl_only = _django(
        {"DEBUG": "1", "EMAIL_USE_SSL": "1"},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_USE_TLS)",
    )
    assert ssl_only.stdout.strip().splitlines()[-1] == "False"
    both = _django({"DEBUG": "1", "EMAIL_USE_SSL": "1", "EMAIL_USE_TLS": "1"}, "check")
    assert both.returncode != 0
    assert "cannot both be on" in both.stderr
