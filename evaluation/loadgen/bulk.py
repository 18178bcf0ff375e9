"""Fast writes for the load generator: PostgreSQL COPY with ids reserved from the table's
sequence, and ``bulk_create`` with back-dated ``auto_now`` / ``auto_now_add`` columns.

COPY bypasses ``Field.get_db_prep_save``, so every value that needs preparing (JSON, and the
encrypted note fields of ``accounts.fields.EncryptedTextField``) is prepared here through the
field itself before it is written: the rows read back exactly as if the ORM had saved them.
"""

import contextlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.db import connection, models

from accounts.fields import EncryptedTextField


def reserve_ids(model: type[models.Model], count: int) -> range:
    """``count`` consecutive primary keys nobody else will get (the sequence moves past them)."""
    if count <= 0:
        return range(0)
    table = model._meta.db_table
    column = model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        (sequence,) = cursor.fetchone()
        cursor.execute(f"LOCK TABLE {quote(table)} IN EXCLUSIVE MODE")
        # Names only, from the model's metadata and from PostgreSQL itself; no outside input.
        query = (
            f"SELECT GREATEST((SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}),"  # noqa: S608 # nosec B608
            f" (SELECT last_value FROM {sequence}))"
        )
        cursor.execute(query)
        (last,) = cursor.fetchone()
        first = last + 1
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return range(first, first + count)


def _preparer(field: models.Field):
    if isinstance(field, EncryptedTextField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.JSONField):
        return json.dumps
    return None


def copy_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY ``rows`` (tuples in the order of ``fields``, which name model fields, ``id``
    included when the caller reserved the keys) into the model's table. Returns the count."""
    meta = model._meta
    columns, prepare = [], []
    for name in fields:
        field = meta.get_field(name)
        columns.append(connection.ops.quote_name(field.column))
        prepare.append(_preparer(field))
    needs = [(index, fn) for index, fn in enumerate(prepare) if fn is not None]
    sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({', '.join(columns)}) FROM STDIN"
    written = 0
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            if needs:
                row = list(row)
                for index, fn in needs:
                    if row[index] is not None:
                        row[index] = fn(row[index])
            copy.write_row(row)
            written += 1
    return written


def copy_m2m(model: type[models.Model], field_name: str, pairs: Iterable[tuple[int, int]]) -> int:
    """COPY (source id, target id) pairs into a many-to-many field's table."""
    relation = model._meta.get_field(field_name)
    through = relation.remote_field.through
    source = through._meta.get_field(relation.m2m_field_name()).column
    target = through._meta.get_field(relation.m2m_reverse_field_name()).column
    quote = connection.ops.quote_name
    sql = f"COPY {quote(through._meta.db_table)} ({quote(source)}, {quote(target)}) FROM STDIN"
    written = 0
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for pair in pairs:
            copy.write_row(pair)
            written += 1
    return written


@contextlib.contextmanager
def back_dated(*models_: type[models.Model]):
    """Let ``bulk_create`` write the given ``auto_now`` / ``auto_now_add`` values (history is
    dated when it happened, not when it was generated). Restored on exit."""
    changed = []
    for model in models_:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                changed.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in changed:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def backend_cpu_seconds() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend process, read from
    /proc when the server runs on this machine (None otherwise). With the process's own CPU
    time it says how much work a bulk load or a benchmark takes, whatever else keeps the
    machine's cores busy (parallel query workers are not included)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
