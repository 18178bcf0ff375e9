"""Part 2 consent elements, the accounting of disclosures, and the append-only audit trail.

Existing consents to share were recorded from the signed paper form of their text version,
which names the program, the information, the purpose, an expiry event and the right to
revoke; ``fill_paper_consent_elements`` writes those elements onto the rows, with the person's
name and the date given as the signature.

On PostgreSQL a trigger refuses UPDATE and DELETE on the audit tables (auditlog's LogEntry,
AuditEvent, AuditSeal) and on Disclosure, so the application has no path to rewrite history;
SQLite (the one-command demo) has no such guarantee. The hash chain (``accounts.audit_chain``)
detects what the trigger cannot prevent (a superuser disabling it).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

APPEND_ONLY_TABLES = (
    "auditlog_logentry",
    "accounts_auditevent",
    "accounts_auditseal",
    "accounts_disclosure",
)

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION accounts_refuse_audit_rewrite() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _trigger(table: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION accounts_refuse_audit_rewrite();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(_trigger(table), params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS accounts_refuse_audit_rewrite();")


PAPER_TERMS = {
    "share_case_manager": (
        "Progress on my personal goals and my participation in the program",
        "Coordination of my care with my case manager",
    ),
    "share_mentor": (
        "My scores on the program's outcome measures",
        "Support from my peer mentor",
    ),
    "research": (
        "My de-identified answers to the program's questionnaires",
        "Research and evaluation of the program",
    ),
}


def fill_paper_consent_elements(apps, schema_editor):
    Consent = apps.get_model("accounts", "Consent")
    rows = Consent.objects.filter(kind__in=PAPER_TERMS).select_related(
        "mentee__user", "mentee__program", "recipient"
    )
    for consent in rows:
        information, purpose = PAPER_TERMS[consent.kind]
        consent.discloser = consent.mentee.program.name
        consent.information = information
        consent.purpose = purpose
        consent.recipient_name = (
            consent.recipient.display_name if consent.recipient_id else consent.mentee.program.name
        )
        consent.expiry_event = "When I leave the program"
        consent.revocation_acknowledged = True
        consent.signature_name = consent.mentee.user.display_name
        consent.signed_on = consent.given_on
        consent.save()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_notification_channels"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("participation", "Take part in the program"),
                    ("share_case_manager", "Share progress with my case manager"),
                    ("share_mentor", "Share my progress on measures with my mentor"),
                    ("research", "Use my de-identified answers for research"),
                    ("contact_email", "Contact me by email"),
                    ("contact_sms", "Contact me by text message"),
                    ("contact_phone", "Contact me by phone"),
                ],
                max_length=30,
                verbose_name="consent to",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="discloser",
            field=models.CharField(
                blank=True,
                help_text="The program (or person) allowed to share the information.",
                max_length=200,
                verbose_name="who may disclose",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="expires_on",
            field=models.DateField(blank=True, null=True, verbose_name="expires on"),
        ),
        migrations.AddField(
            model_name="consent",
            name="expiry_event",
            field=models.CharField(
                blank=True,
                help_text="An event that ends the consent, for example “when I leave the program”.",
                max_length=200,
                verbose_name="or expires when",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="information",
            field=models.TextField(
                blank=True,
                help_text="How much and what kind of information may be shared.",
                verbose_name="what information",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="purpose",
            field=models.CharField(blank=True, max_length=300, verbose_name="purpose"),
        ),
        migrations.AddField(
            model_name="consent",
            name="recipient_name",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="shared with (person or organisation)"
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="revocation_acknowledged",
            field=models.BooleanField(
                default=False,
                help_text="The person was told they may revoke this consent at any time.",
                verbose_name="told of the right to revoke",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="signature_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="signed (name typed)"),
        ),
        migrations.AddField(
            model_name="consent",
            name="signed_on",
            field=models.DateField(blank=True, null=True, verbose_name="date signed"),
        ),
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "stream",
                    models.CharField(
                        choices=[
                            ("changes", "Changes and reads"),
                            ("events", "Sign-ins, refusals, exports and disclosures"),
                        ],
                        max_length=20,
                    ),
                ),
                ("first_seq", models.BigIntegerField()),
                ("last_seq", models.BigIntegerField()),
                ("row_count", models.PositiveIntegerField()),
                ("previous_digest", models.CharField(max_length=64)),
                ("digest", models.CharField(max_length=64)),
                ("sealed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["stream", "last_seq"],
                "constraints": [
                    models.UniqueConstraint(
                        models.F("stream"),
                        models.F("previous_digest"),
                        name="one_seal_per_predecessor",
                    ),
                    models.UniqueConstraint(
                        models.F("stream"),
                        models.F("last_seq"),
                        name="one_seal_per_stream_position",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("login", "Signed in"),
                            ("login_failed", "Failed sign-in"),
                            ("logout", "Signed out"),
                            ("denied", "Access refused"),
                            ("export", "Export"),
                            ("disclosure", "Disclosure"),
                        ],
                        db_index=True,
                        max_length=20,
                        verbose_name="event",
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="when"
                    ),
                ),
                ("username", models.CharField(blank=True, max_length=254)),
                ("object_type", models.CharField(blank=True, max_length=100)),
                ("object_id", models.CharField(blank=True, max_length=64)),
                ("path", models.CharField(blank=True, max_length=500)),
                ("status", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("detail", models.CharField(blank=True, max_length=500)),
                ("remote_addr", models.GenericIPAddressField(blank=True, null=True)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "program",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.program",
                    ),
                ),
                (
                    "subject_user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-id"],
                "indexes": [
                    models.Index(
                        fields=["object_type", "object_id"], name="accounts_au_object__95e488_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Disclosure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("recipient_name", models.CharField(max_length=200, verbose_name="recipient")),
                (
                    "information",
                    models.CharField(max_length=300, verbose_name="what was disclosed"),
                ),
                ("purpose", models.CharField(max_length=300, verbose_name="purpose")),
                (
                    "disclosed_at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="date"
                    ),
                ),
                (
                    "consent",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disclosures",
                        to="accounts.consent",
                    ),
                ),
                (
                    "disclosed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disclosures_made",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "mentee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disclosures",
                        to="accounts.menteeprofile",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disclosures_received",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-disclosed_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["mentee", "disclosed_at"], name="accounts_di_mentee__79e5f8_idx"
                    )
                ],
            },
        ),
        migrations.RunPython(fill_paper_consent_elements, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
