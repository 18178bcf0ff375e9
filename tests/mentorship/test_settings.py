import os
import subprocess
import sys
from pathlib import Path

import pytest

from mentorship.env import ImproperlyConfiguredEnv, env_bool, env_int, mailer_from_url

ROOT = Path(__file__).resolve().parents[2]


def _start(**env) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter, as a web or worker process would."""
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**base, "DJANGO_SETTINGS_MODULE": "mentorship.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_secret_key_refuses_to_start():
    result = _start(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_malformed_boolean_names_the_variable():
    result = _start(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_malformed_database_url_names_the_variable():
    result = _start(SECRET_KEY="x" * 50, DATABASE_URL="mysql//nonsense")
    assert result.returncode != 0
    assert "DATABASE_URL must be a URL" in result.stderr


def test_env_int_rejects_text(monkeypatch):
    monkeypatch.setenv("CONN_MAX_AGE", "soon")
    with pytest.raises(ImproperlyConfiguredEnv, match="CONN_MAX_AGE must be a whole number"):
        env_int("CONN_MAX_AGE", 60)


def test_env_bool_reads_common_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG", False) is True


def test_smtp_email_url_is_parsed():
    options = mailer_from_url("smtp://mailer:s%40cret@mail.example.org:587?tls=1")["OPTIONS"]
    assert options["host"] == "mail.example.org"
    assert options["port"] == 587
    assert options["password"] == "s@cret"
    assert options["use_tls"] is True


def _manage(*args, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(  # noqa: S603 - the test's own fixed arguments
        [sys.executable, "manage.py", *args],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_makemigrations_check_runs_without_a_secret_key():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_other_commands_still_refuse_to_start_without_a_secret_key():
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
