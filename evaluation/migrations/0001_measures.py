import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import evaluation.models.measures


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0004_privacy_and_audit"),
        ("matching", "0003_mentor_capacity_trigger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Administration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "instrument",
                    models.CharField(
                        choices=[
                            ("PHQ9", "PHQ-9 (depression)"),
                            ("GAD7", "GAD-7 (anxiety)"),
                            ("BARC10", "BARC-10 (recovery capital)"),
                            ("WHO5", "WHO-5 (well-being)"),
                            ("UCLA3", "UCLA 3-item Loneliness Scale"),
                            ("REL_MENTEE", "Mentoring relationship (mentee)"),
                            ("REL_MENTOR", "Mentoring relationship (mentor)"),
                            ("CHECKIN", "Recovery check-in"),
                        ],
                        max_length=20,
                        verbose_name="measure",
                    ),
                ),
                ("instrument_version", models.CharField(max_length=100, verbose_name="version")),
                (
                    "timepoint",
                    models.CharField(
                        choices=[
                            ("baseline", "Baseline (match start)"),
                            ("day30", "30 days"),
                            ("day90", "90 days"),
                            ("day180", "180 days"),
                            ("closure", "Closure"),
                            ("adhoc", "Ad hoc"),
                        ],
                        max_length=20,
                        verbose_name="time point",
                    ),
                ),
                ("due_on", models.DateField(verbose_name="due on")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("due", "Due"),
                            ("completed", "Completed"),
                            ("missed", "Missed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="due",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "completed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="completed"),
                ),
                ("total", models.IntegerField(blank=True, null=True, verbose_name="total")),
                (
                    "reported_score",
                    models.IntegerField(blank=True, null=True, verbose_name="score"),
                ),
                ("band", models.CharField(blank=True, max_length=40, verbose_name="band")),
                ("flags", models.JSONField(blank=True, default=list, verbose_name="flags")),
                (
                    "mode",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("self", "Signed in"),
                            ("link", "One-time link"),
                            ("in_person", "In person with staff"),
                        ],
                        max_length=20,
                        verbose_name="how it was answered",
                    ),
                ),
                (
                    "helped",
                    models.BooleanField(
                        default=False, verbose_name="Someone helped me fill this in"
                    ),
                ),
                ("draft", models.JSONField(blank=True, default=dict)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "match",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="administrations",
                        to="matching.match",
                    ),
                ),
                (
                    "mentee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="administrations",
                        to="accounts.menteeprofile",
                    ),
                ),
                (
                    "program",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="administrations",
                        to="accounts.program",
                    ),
                ),
            ],
            options={
                "ordering": ["due_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="MeasureLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("expires_at", models.DateTimeField()),
                ("used_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "administration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links",
                        to="evaluation.administration",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="MeasureSchedule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "instruments",
                    models.JSONField(
                        default=evaluation.models.measures.default_instruments,
                        validators=[evaluation.models.measures.validate_instrument_codes],
                        verbose_name="measures",
                    ),
                ),
                (
                    "at_baseline",
                    models.BooleanField(default=True, verbose_name="at the match start (baseline)"),
                ),
                (
                    "at_day30",
                    models.BooleanField(default=True, verbose_name="30 days after the start"),
                ),
                (
                    "at_day90",
                    models.BooleanField(default=True, verbose_name="90 days after the start"),
                ),
                (
                    "at_day180",
                    models.BooleanField(default=True, verbose_name="180 days after the start"),
                ),
                (
                    "at_closure",
                    models.BooleanField(default=True, verbose_name="when the match closes"),
                ),
                (
                    "include_risk_items",
                    models.BooleanField(
                        default=False,
                        verbose_name="ask the HIV and hepatitis C risk questions in the check-in",
                    ),
                ),
                (
                    "overdue_after_days",
                    models.PositiveSmallIntegerField(
                        default=7,
                        verbose_name="days after the due date before a reminder says it is overdue",
                    ),
                ),
                (
                    "missed_after_days",
                    models.PositiveSmallIntegerField(
                        default=30,
                        verbose_name="days after the due date before it counts as missed",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "program",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="measure_schedule",
                        to="accounts.program",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Response",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("item", models.PositiveSmallIntegerField(verbose_name="item")),
                ("value", models.SmallIntegerField(blank=True, null=True, verbose_name="answer")),
                (
                    "administration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="responses",
                        to="evaluation.administration",
                    ),
                ),
            ],
            options={
                "ordering": ["administration", "item"],
            },
        ),
        migrations.AddIndex(
            model_name="administration",
            index=models.Index(
                fields=["program", "status", "due_on"], name="evaluation__program_c70c3e_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="administration",
            index=models.Index(
                fields=["mentee", "instrument", "completed_at"],
                name="evaluation__mentee__be2471_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="administration",
            index=models.Index(fields=["status", "due_on"], name="evaluation__status_dd1d8e_idx"),
        ),
        migrations.AddConstraint(
            model_name="administration",
            constraint=models.UniqueConstraint(
                fields=("match", "instrument", "timepoint"),
                name="one_administration_per_match_timepoint",
            ),
        ),
        migrations.AddConstraint(
            model_name="administration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "completed"), _negated=True),
                    models.Q(
                        ("completed_at__isnull", False),
                        ("reported_score__isnull", False),
                        ("total__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="completed_administration_is_scored",
            ),
        ),
        migrations.AddConstraint(
            model_name="administration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("match__isnull", False), ("timepoint", "adhoc"), _connector="OR"
                ),
                name="scheduled_administration_has_match",
            ),
        ),
        migrations.AddConstraint(
            model_name="measureschedule",
            constraint=models.CheckConstraint(
                condition=models.Q(("missed_after_days__gt", models.F("overdue_after_days"))),
                name="measure_missed_after_overdue",
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                fields=("administration", "item"), name="one_response_per_item"
            ),
        ),
    ]
