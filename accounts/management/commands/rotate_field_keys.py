"""Re-encrypt every encrypted field with the current key (the first of FIELD_ENCRYPTION_KEYS).

Rotating a key: put the new key first in ``FIELD_ENCRYPTION_KEYS`` and keep the old ones
after it (old rows stay readable), deploy, run this command, then drop the old keys.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from accounts.fields import EncryptedTextField, rotate_token

BATCH = 500


def encrypted_columns():
    """(model, field) for every concrete encrypted field of every installed model."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


def rotate_column(model, field) -> int:
    """Rotate one column in batches, on the raw tokens (no decrypted text is kept)."""
    quote = connection.ops.quote_name
    table, column, pk = (
        quote(model._meta.db_table),
        quote(field.column),
        quote(model._meta.pk.column),
    )
    rotated = 0
    last_pk = None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            where = f"{column} IS NOT NULL AND {column} <> ''"
            params = []
            if last_pk is not None:
                where += f" AND {pk} > %s"
                params.append(last_pk)
            cursor.execute(
                f"SELECT {pk}, {column} FROM {table} WHERE {where} "  # noqa: S608
                f"ORDER BY {pk} LIMIT {BATCH}",
                params,
            )
            rows = cursor.fetchall()
            for row_pk, token in rows:
                cursor.execute(
                    f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                    [rotate_token(token), row_pk],
                )
        if not rows:
            return rotated
        rotated += len(rows)
        last_pk = rows[-1][0]


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the current key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        total = 0
        for model, field in encrypted_columns():
            count = rotate_column(model, field)
            total += count
            self.stdout.write(f"{model._meta.label}.{field.name}: {count} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"{total} values re-encrypted with the current key."))
