"""Field-level encryption of clinical notes: the database holds tokens, never the text; a wrong
key fails loudly; keys rotate without losing old rows."""

import importlib
import io
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from accounts.fields import FieldDecryptionError
from sessions import services
from sessions.models import MentoringSession, SafetyAlert, SafetyAlertNote, SupervisorNote
from tests.sessions.factories import MentoringSessionFactory

pytestmark = pytest.mark.django_db

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
SECRET = "She talked about relapse and her brother's debts."


def raw(model, pk, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def write_raw(model, pk, column: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s",  # noqa: S608
            [value, pk],
        )


def test_the_notes_are_not_in_the_database_in_plain_text(cast):
    session = MentoringSessionFactory(match=cast.match, private_notes=SECRET)
    note = services.write_supervisor_note(
        actor=cast.supervisor, mentor=cast.mentor_profile, text=SECRET
    )
    alert = services.raise_safety_alert(mentee=cast.mentee_profile, source="feedback")
    alert_note = services.add_alert_note(actor=cast.supervisor, alert=alert, text=SECRET)
    for model, pk, column in (
        (MentoringSession, session.pk, "private_notes"),
        (SupervisorNote, note.pk, "text"),
        (SafetyAlertNote, alert_note.pk, "text"),
    ):
        stored = raw(model, pk, column)
        assert SECRET not in stored and "relapse" not in stored
        assert stored.startswith("gAAAAA")
        assert model.objects.get(pk=pk).__dict__[column] == SECRET


def test_a_wrong_key_fails_with_a_clear_error(cast, settings):
    session = MentoringSessionFactory(match=cast.match, private_notes=SECRET)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    with pytest.raises(FieldDecryptionError, match="FIELD_ENCRYPTION_KEYS"):
        MentoringSession.objects.get(pk=session.pk)


def test_rotation_keeps_old_rows_readable_and_moves_them_to_the_new_key(cast, settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    session = MentoringSessionFactory(match=cast.match, private_notes=SECRET)
    before = raw(MentoringSession, session.pk, "private_notes")

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    assert MentoringSession.objects.get(pk=session.pk).private_notes == SECRET

    out = io.StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "re-encrypted with the current key" in out.getvalue()
    assert raw(MentoringSession, session.pk, "private_notes") != before

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    assert MentoringSession.objects.get(pk=session.pk).private_notes == SECRET
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    with pytest.raises(FieldDecryptionError):
        MentoringSession.objects.get(pk=session.pk)


def test_empty_notes_stay_empty_and_can_be_queried(cast):
    with_note = MentoringSessionFactory(match=cast.match, private_notes=SECRET)
    MentoringSessionFactory(match=cast.match, private_notes="")
    assert raw(MentoringSession, with_note.pk, "private_notes") != ""
    assert list(MentoringSession.objects.exclude(private_notes="")) == [with_note]


def test_the_database_cannot_search_encrypted_notes(cast):
    with pytest.raises(FieldError, match="encrypted"):
        list(MentoringSession.objects.filter(private_notes__icontains="relapse"))
    with pytest.raises(FieldError, match="encrypted"):
        list(MentoringSession.objects.filter(private_notes=SECRET))


def test_the_migration_encrypts_notes_written_before_it(cast):
    session = MentoringSessionFactory(match=cast.match)
    write_raw(MentoringSession, session.pk, "private_notes", SECRET)
    migration = importlib.import_module(
        "sessions.migrations.0003_crisis_escalation_encrypted_notes"
    )
    editor = SimpleNamespace(connection=connection)
    migration.encrypt_existing_notes(None, editor)
    migration.encrypt_existing_notes(None, editor)  # a second run changes nothing
    assert SECRET not in raw(MentoringSession, session.pk, "private_notes")
    assert MentoringSession.objects.get(pk=session.pk).private_notes == SECRET


def test_a_resolved_alert_note_is_encrypted_too(cast):
    alert = services.raise_safety_alert(mentee=cast.mentee_profile, source="check_in")
    services.resolve_alert(actor=cast.supervisor, alert=alert, outcome="no_risk", note=SECRET)
    note = SafetyAlertNote.objects.get(alert=alert)
    assert SECRET not in raw(SafetyAlertNote, note.pk, "text")
    assert SafetyAlert.objects.get(pk=alert.pk).outcome == "no_risk"


def test_the_site_refuses_to_start_without_keys_when_debug_is_off():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "x" * 50, "FIELD_ENCRYPTION_KEYS": ""}
    env.pop("PEERPATH_KEYLESS_COMMAND", None)
    code = "import django; django.setup()"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "mentorship.settings"},
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        check=False,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS is not set" in result.stderr
