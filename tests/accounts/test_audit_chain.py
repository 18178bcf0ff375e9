"""The audit trail is append-only in PostgreSQL and sealed by a hash chain; verification
finds a row altered, inserted or deleted, in the middle or at the tail.

To tamper, a test disables the append-only trigger as the test database's superuser, as an
attacker with that power would; the change is rolled back with the test's transaction.
"""

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts import audit_chain
from accounts.models import AuditEvent, AuditSeal
from accounts.tasks import seal_audit_trail

pytestmark = pytest.mark.django_db

LATER = timezone.now() + datetime.timedelta(hours=1)
EVENTS = AuditSeal.Stream.EVENTS


def events(count: int) -> list[AuditEvent]:
    return [
        AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN_FAILED, username=f"person{n}")
        for n in range(count)
    ]


def seal() -> AuditSeal:
    return audit_chain.seal_stream(EVENTS, now=LATER)


def tamper(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE accounts_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE accounts_auditevent ENABLE TRIGGER USER")


def problems() -> list[str]:
    return audit_chain.verify_stream(EVENTS).problems


def test_an_untouched_trail_verifies(cast):
    events(3)
    seal()
    events(2)
    seal()
    for report in audit_chain.verify_all():
        assert report.problems == [], report.stream
    assert audit_chain.verify_stream(EVENTS).seals == 2


def test_each_seal_is_chained_to_the_one_before(db):
    events(2)
    first = seal()
    events(1)
    second = seal()
    assert first.previous_digest == audit_chain.GENESIS
    assert second.previous_digest == first.digest
    assert (second.first_seq, second.row_count) == (first.last_seq + 1, 1)


def test_rows_younger_than_the_settling_time_wait_for_the_next_seal(db):
    events(2)
    assert audit_chain.seal_stream(EVENTS) is None
    assert seal().row_count == 2


def test_sealing_with_nothing_new_seals_nothing(db):
    events(1)
    seal()
    assert seal() is None


def test_the_beat_task_seals_both_streams(cast):
    events(1)
    with time_machine.travel(LATER):
        assert seal_audit_trail() == 2
    assert set(AuditSeal.objects.values_list("stream", flat=True)) == {"changes", "events"}


def test_the_application_cannot_update_or_delete_audit_rows(cast):
    (event,) = events(1)
    for query in (
        lambda: AuditEvent.objects.filter(pk=event.pk).update(username="x"),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
        lambda: LogEntry.objects.all().update(object_repr="x"),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            query()


def test_an_altered_row_is_detected(db):
    rows = events(3)
    seal()
    tamper("UPDATE accounts_auditevent SET username = 'someone' WHERE id = %s", [rows[1].pk])
    assert any("altered" in problem for problem in problems())


def test_a_row_deleted_in_the_middle_is_detected(db):
    rows = events(3)
    seal()
    tamper("DELETE FROM accounts_auditevent WHERE id = %s", [rows[1].pk])
    assert any("rows deleted" in problem for problem in problems())


def test_a_row_inserted_into_a_sealed_batch_is_detected(db):
    (first,) = events(1)
    AuditEvent.objects.create(pk=first.pk + 10, kind=AuditEvent.Kind.LOGIN_FAILED)
    seal()
    AuditEvent.objects.create(pk=first.pk + 5, kind=AuditEvent.Kind.LOGIN, username="forged")
    assert any("rows inserted" in problem for problem in problems())


def test_the_last_sealed_row_deleted_is_detected(db):
    rows = events(3)
    seal()
    tamper("DELETE FROM accounts_auditevent WHERE id = %s", [rows[-1].pk])
    found = problems()
    assert any("last sealed rows are gone" in problem for problem in found)


def test_unsealed_rows_removed_after_the_last_seal_are_reported(db):
    events(2)
    seal()
    later = events(2)
    tamper("DELETE FROM accounts_auditevent WHERE id >= %s", [later[0].pk])
    report = audit_chain.verify_stream(EVENTS)
    assert any("may have been removed" in warning for warning in report.warnings)
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", "--strict", stdout=_Sink())


def test_a_removed_seal_breaks_the_chain(db):
    events(1)
    first = seal()
    events(1)
    seal()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE accounts_auditseal DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM accounts_auditseal WHERE id = %s", [first.pk])
        cursor.execute("ALTER TABLE accounts_auditseal ENABLE TRIGGER USER")
    assert any("chain broken" in problem for problem in problems())


def test_verify_command_passes_on_a_clean_trail_and_fails_on_tampering(db):
    rows = events(2)
    seal()
    out = _Sink()
    call_command("verify_audit_chain", stdout=out)
    assert "matches its seals" in out.text
    tamper("UPDATE accounts_auditevent SET detail = 'x' WHERE id = %s", [rows[0].pk])
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", stdout=_Sink())


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, text, *args, **kwargs):
        self.text += text

    def flush(self):
        pass
