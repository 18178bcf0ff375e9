"""The audit trail's hash chain: periodic seals that make tampering detectable.

Two append-only streams are sealed, each with its own chain:

- ``changes``: django-auditlog's ``LogEntry`` (changes to records and reads of them);
- ``events``: ``AuditEvent`` (sign-ins, failed sign-ins, refusals, exports, disclosures).

Every row has a sequence number (its ``id``, from a database sequence). A Celery beat task
(``accounts.tasks.seal_audit_trail``) seals each new batch: ``AuditSeal.digest`` is SHA-256
over the previous seal's digest and the canonical serialisation (sorted-key JSON, UTC
timestamps) of every row in the batch in sequence order; the seal stores the first and last
sequence numbers and the row count. Requests never take a lock for this: they only insert.

Rows are sealed once they are ``SEAL_SETTLE`` old, so that a transaction still open when the
seal is taken (its rows have lower ids but are not visible yet) has committed by then; a
transaction open longer than that (the task time limit is five minutes) would show up as an
inserted row at the next verification, which is the safe direction to err in.

``verify_stream`` (the ``verify_audit_chain`` command) walks the seals and reports:

- a row altered: the batch's digest no longer matches;
- a row inserted or deleted inside a sealed range: the row count differs (and the digest);
- a seal removed, altered or reordered: the chain of ``previous_digest`` breaks;
- the tail deleted: the highest sequence number left is below the last seal's ``last_seq``;
- unsealed rows removed after the last seal: on PostgreSQL the sequence's ``last_value`` is
  above the highest row. A rolled-back insert also advances a sequence, so this is reported as
  a warning to look into rather than as proof (``--strict`` makes it a failure).

On PostgreSQL a trigger refuses UPDATE and DELETE on these tables (migration 0004), so the
application has no path to rewrite the trail; the chain catches what only someone able to
disable the trigger could do.
"""

import datetime
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import AuditEvent, AuditSeal

GENESIS = "0" * 64
SEAL_SETTLE = datetime.timedelta(minutes=2)
BATCH_LIMIT = 50_000

STREAMS = {
    AuditSeal.Stream.CHANGES: (LogEntry, "timestamp"),
    AuditSeal.Stream.EVENTS: (AuditEvent, "at"),
}


def _plain(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _columns(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def canonical(row: dict) -> bytes:
    """One row as canonical bytes: JSON with sorted keys, no spaces, UTC timestamps."""
    return json.dumps(
        row, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
    ).encode()


def _digest(previous: str, rows) -> tuple[str, int, int | None, int | None]:
    """(digest, count, first id, last id) of ``rows`` chained to ``previous``."""
    sha = hashlib.sha256(previous.encode())
    count, first, last = 0, None, None
    for row in rows:
        sha.update(b"\n")
        sha.update(canonical(row))
        count += 1
        first = row["id"] if first is None else first
        last = row["id"]
    return sha.hexdigest(), count, first, last


def _rows(model, low: int, high: int):
    """Rows with ``low < id <= high`` in sequence order, as plain dicts."""
    return (
        model.objects.filter(pk__gt=low, pk__lte=high)
        .order_by("pk")
        .values(*_columns(model))
        .iterator(chunk_size=2000)
    )


def _last_seal(stream: str) -> AuditSeal | None:
    return AuditSeal.objects.filter(stream=stream).order_by("-last_seq").first()


def seal_stream(stream: str, *, now: datetime.datetime | None = None) -> AuditSeal | None:
    """Seal the rows written since the last seal (once settled); None when there are none.

    Two runs at once cannot fork the chain: a seal's ``previous_digest`` is unique per stream,
    so the second insert fails and that run seals nothing.
    """
    model, time_field = STREAMS[stream]
    last = _last_seal(stream)
    low = last.last_seq if last else 0
    previous = last.digest if last else GENESIS
    cutoff = (now or timezone.now()) - SEAL_SETTLE
    settled = model.objects.filter(pk__gt=low, **{f"{time_field}__lte": cutoff}).order_by("pk")
    high = settled.values_list("pk", flat=True)[BATCH_LIMIT - 1 : BATCH_LIMIT].first()
    if high is None:
        high = settled.aggregate(top=Max("pk"))["top"]
    if high is None:
        return None
    digest, count, first, last_id = _digest(previous, _rows(model, low, high))
    try:
        with transaction.atomic():
            return AuditSeal.objects.create(
                stream=stream,
                first_seq=first,
                last_seq=last_id,
                row_count=count,
                previous_digest=previous,
                digest=digest,
            )
    except IntegrityError:
        return None


def seal_all(*, now: datetime.datetime | None = None) -> list[AuditSeal]:
    return [seal for stream in STREAMS if (seal := seal_stream(stream, now=now))]


@dataclass
class Report:
    stream: str
    seals: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unsealed: int = 0


def _sequence_last_value(model) -> int | None:
    """The sequence's last handed-out value (PostgreSQL only; None elsewhere)."""
    if connection.vendor != "postgresql":
        return None
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.last_value FROM pg_sequences s "
            "WHERE format('%%I.%%I', s.schemaname, s.sequencename) "
            "= pg_get_serial_sequence(%s, 'id')",
            [table],
        )
        row = cursor.fetchone()
    # NULL until the sequence has handed out a value.
    return row[0] if row else None


def verify_stream(stream: str) -> Report:
    model, _time_field = STREAMS[stream]
    report = Report(stream=stream)
    previous, low = GENESIS, 0
    for seal in AuditSeal.objects.filter(stream=stream).order_by("last_seq"):
        report.seals += 1
        where = f"seal #{seal.pk} (rows {seal.first_seq}–{seal.last_seq})"
        if seal.previous_digest != previous:
            report.problems.append(f"{where}: does not follow the previous seal (chain broken)")
        # From the previous seal's end, so a row slipped in between two batches is counted.
        digest, count, first, _last = _digest(
            seal.previous_digest, _rows(model, low, seal.last_seq)
        )
        report.rows += count
        if count != seal.row_count:
            change = "inserted" if count > seal.row_count else "deleted"
            report.problems.append(
                f"{where}: {seal.row_count} rows were sealed, {count} are there (rows {change})"
            )
        elif digest != seal.digest or first != seal.first_seq:
            report.problems.append(f"{where}: a row was altered (digest does not match)")
        previous, low = seal.digest, seal.last_seq

    top = model.objects.aggregate(top=Max("pk"))["top"] or 0
    if low and top < low:
        report.problems.append(
            f"the last sealed rows are gone: the highest row is {top}, the last seal ends at {low}"
        )
    unsealed = model.objects.filter(pk__gt=low).count()
    sequence = _sequence_last_value(model)
    if sequence is not None and sequence > max(top, low):
        report.warnings.append(
            f"the sequence has reached {sequence} but the highest row is {max(top, low)}: rows "
            f"after the last seal may have been removed (or their transaction rolled back)"
        )
    report.unsealed = unsealed
    return report


def verify_all() -> list[Report]:
    return [verify_stream(stream) for stream in STREAMS]
