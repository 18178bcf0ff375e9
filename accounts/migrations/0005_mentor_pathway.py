import accounts.models
import accounts.pathway.models
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_privacy_and_audit"),
    ]

    operations = [
        migrations.CreateModel(
            name="MentorInvitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("invited_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("accepted_at", models.DateTimeField(blank=True, null=True)),
                (
                    "invited_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "mentee",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mentor_invitation",
                        to="accounts.menteeprofile",
                    ),
                ),
            ],
            options={
                "ordering": ["-invited_at"],
            },
        ),
        migrations.CreateModel(
            name="PathwaySettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "training_hours_before_first_match",
                    models.DecimalField(
                        decimal_places=1,
                        default=Decimal("2"),
                        max_digits=4,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                        verbose_name="training hours before a first match",
                    ),
                ),
                (
                    "certification_valid_days",
                    models.PositiveSmallIntegerField(
                        default=365,
                        validators=[
                            django.core.validators.MinValueValidator(30),
                            django.core.validators.MaxValueValidator(1095),
                        ],
                        verbose_name="certification valid for (days)",
                    ),
                ),
                (
                    "certification_reminder_days",
                    models.PositiveSmallIntegerField(
                        default=30,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(180),
                        ],
                        verbose_name="remind this many days before a certification expires",
                    ),
                ),
                (
                    "supervision_cadence_days",
                    models.PositiveSmallIntegerField(
                        default=30,
                        validators=[
                            django.core.validators.MinValueValidator(7),
                            django.core.validators.MaxValueValidator(180),
                        ],
                        verbose_name="supervision meeting at least every (days)",
                    ),
                ),
                (
                    "min_days_in_recovery",
                    models.PositiveSmallIntegerField(
                        default=365,
                        validators=[django.core.validators.MaxValueValidator(3650)],
                        verbose_name="time in recovery needed to become a mentor (days)",
                    ),
                ),
                (
                    "program",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pathway_settings",
                        to="accounts.program",
                    ),
                ),
            ],
            options={
                "verbose_name": "mentor pathway settings",
                "verbose_name_plural": "mentor pathway settings",
            },
        ),
        migrations.CreateModel(
            name="RolePlayAssessment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "assessed_on",
                    models.DateField(
                        validators=[accounts.models.validate_not_future], verbose_name="date"
                    ),
                ),
                (
                    "scenario",
                    models.CharField(blank=True, max_length=300, verbose_name="scenario practised"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "mentor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="role_play_assessments",
                        to="accounts.mentorprofile",
                    ),
                ),
                (
                    "trainer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-assessed_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="TrainingAttendance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "mentor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="training_attendance",
                        to="accounts.mentorprofile",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="TrainingModule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                (
                    "description",
                    models.CharField(blank=True, max_length=300, verbose_name="what it covers"),
                ),
                (
                    "hours",
                    models.DecimalField(
                        decimal_places=1,
                        max_digits=4,
                        validators=[accounts.pathway.models.validate_training_hours],
                        verbose_name="hours",
                    ),
                ),
                (
                    "required_before_matching",
                    models.BooleanField(default=False, verbose_name="required before matching"),
                ),
                ("sort_order", models.PositiveSmallIntegerField(default=100)),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "program",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="training_modules",
                        to="accounts.program",
                    ),
                ),
            ],
            options={
                "ordering": ["program", "sort_order", "name"],
            },
        ),
        migrations.CreateModel(
            name="TrainingSession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "held_on",
                    models.DateField(
                        validators=[accounts.models.validate_not_future], verbose_name="date"
                    ),
                ),
                (
                    "hours",
                    models.DecimalField(
                        decimal_places=1,
                        max_digits=4,
                        validators=[accounts.pathway.models.validate_training_hours],
                        verbose_name="hours",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "attendees",
                    models.ManyToManyField(
                        related_name="training_sessions",
                        through="accounts.TrainingAttendance",
                        to="accounts.mentorprofile",
                    ),
                ),
                (
                    "module",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sessions",
                        to="accounts.trainingmodule",
                    ),
                ),
                (
                    "program",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.program",
                    ),
                ),
                (
                    "trainer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-held_on", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="trainingattendance",
            name="session",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.trainingsession",
            ),
        ),
        migrations.CreateModel(
            name="WellbeingCheckIn",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "feeling",
                    models.CharField(
                        choices=[
                            ("struggling", "I am struggling"),
                            ("up_and_down", "Up and down"),
                            ("steady", "Steady"),
                            ("going_well", "Going well"),
                        ],
                        max_length=20,
                        verbose_name="how I am doing",
                    ),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="anything you want to add"
                    ),
                ),
                (
                    "wants_contact",
                    models.BooleanField(
                        default=False, verbose_name="I would like my supervisor to contact me"
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "mentor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="wellbeing_checkins",
                        to="accounts.mentorprofile",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Certification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "issued_on",
                    models.DateField(
                        validators=[accounts.models.validate_not_future], verbose_name="issued"
                    ),
                ),
                ("expires_on", models.DateField(verbose_name="expires")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "issued_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "mentor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="certifications",
                        to="accounts.mentorprofile",
                    ),
                ),
            ],
            options={
                "ordering": ["-expires_on", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["mentor", "expires_on"], name="accounts_ce_mentor__5b8b7d_idx"
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("expires_on__gt", models.F("issued_on"))),
                        name="certification_expires_after_issue",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="EmploymentOutcome",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("peer_support_job", "Peer-support job"),
                            ("care_field_job", "Job in the care field"),
                            ("waiver_provider", "Waiver-service provider"),
                        ],
                        max_length=30,
                        verbose_name="outcome",
                    ),
                ),
                (
                    "employer",
                    models.CharField(blank=True, max_length=150, verbose_name="employer or agency"),
                ),
                (
                    "started_on",
                    models.DateField(
                        validators=[accounts.models.validate_not_future], verbose_name="started"
                    ),
                ),
                (
                    "ended_on",
                    models.DateField(
                        blank=True,
                        null=True,
                        validators=[accounts.models.validate_not_future],
                        verbose_name="ended",
                    ),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "mentor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="employment_outcomes",
                        to="accounts.mentorprofile",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-started_on", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ended_on__isnull", True),
                            ("ended_on__gte", models.F("started_on")),
                            _connector="OR",
                        ),
                        name="employment_ends_after_start",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Application",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("public_form", "Public application form"),
                            ("coordinator", "Entered by a coordinator"),
                            ("invitation", "Invited after being a mentee"),
                        ],
                        max_length=20,
                        verbose_name="source",
                    ),
                ),
                (
                    "motivation",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="why I want to be a mentor"
                    ),
                ),
                ("submitted_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "entered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "mentor",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="application",
                        to="accounts.mentorprofile",
                    ),
                ),
                (
                    "invitation",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="application",
                        to="accounts.mentorinvitation",
                    ),
                ),
            ],
            options={
                "ordering": ["-submitted_at"],
                "indexes": [
                    models.Index(
                        fields=["source", "submitted_at"], name="accounts_ap_source_ff88c0_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CompetencyRating",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "competency",
                    models.CharField(
                        choices=[
                            ("relationship_building", "Relationship-building"),
                            ("cultural_competence", "Cultural competence"),
                            ("resource_navigation", "Resource navigation"),
                            ("coping_skills_education", "Coping-skills education"),
                        ],
                        max_length=30,
                        verbose_name="competency",
                    ),
                ),
                (
                    "score",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(4),
                        ],
                        verbose_name="rating (1–4)",
                    ),
                ),
                ("comment", models.CharField(blank=True, max_length=500, verbose_name="comment")),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ratings",
                        to="accounts.roleplayassessment",
                    ),
                ),
            ],
            options={
                "ordering": ["assessment", "competency"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("assessment", "competency"), name="one_rating_per_competency"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("score__gte", 1), ("score__lte", 4)),
                        name="competency_score_1_to_4",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ScreeningStep",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("interview", "Interview with the matching checklist"),
                            ("reference_1", "First reference"),
                            ("reference_2", "Second reference"),
                            ("background_check", "Background check"),
                            ("lived_experience", "Lived experience and time in recovery confirmed"),
                            ("agreement", "Mentor agreement signed"),
                        ],
                        max_length=30,
                        verbose_name="step",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Not done yet"),
                            ("passed", "Done"),
                            ("not_passed", "Not passed"),
                        ],
                        default="pending",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "completed_on",
                    models.DateField(
                        blank=True,
                        null=True,
                        validators=[accounts.models.validate_not_future],
                        verbose_name="date",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="note")),
                ("recorded_at", models.DateTimeField(auto_now=True)),
                (
                    "mentor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="screening_steps",
                        to="accounts.mentorprofile",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["mentor", "kind"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("mentor", "kind"), name="one_screening_step_per_kind"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status", "pending"), ("completed_on__isnull", False), _connector="OR"
                        ),
                        name="screening_step_done_has_date",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="StatusChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("applicant", "Applicant"),
                            ("screening", "Screening"),
                            ("in_training", "In training"),
                            ("active", "Active"),
                            ("on_hold", "On hold"),
                            ("inactive", "Inactive"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[
                            ("applicant", "Applicant"),
                            ("screening", "Screening"),
                            ("in_training", "In training"),
                            ("active", "Active"),
                            ("on_hold", "On hold"),
                            ("inactive", "Inactive"),
                        ],
                        max_length=20,
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=300, verbose_name="reason")),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "changed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "mentor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="status_changes",
                        to="accounts.mentorprofile",
                    ),
                ),
            ],
            options={
                "ordering": ["-changed_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["mentor", "changed_at"], name="accounts_st_mentor__09323c_idx"
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="trainingmodule",
            constraint=models.UniqueConstraint(
                fields=("program", "name"), name="training_module_unique_name"
            ),
        ),
        migrations.AddConstraint(
            model_name="trainingmodule",
            constraint=models.CheckConstraint(
                condition=models.Q(("hours__gt", 0), ("hours__lte", 12)),
                name="training_module_hours_0_to_12",
            ),
        ),
        migrations.AddIndex(
            model_name="trainingsession",
            index=models.Index(
                fields=["program", "held_on"], name="accounts_tr_program_0abe97_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="trainingsession",
            constraint=models.CheckConstraint(
                condition=models.Q(("hours__gt", 0), ("hours__lte", 12)),
                name="training_session_hours_0_to_12",
            ),
        ),
        migrations.AddConstraint(
            model_name="trainingattendance",
            constraint=models.UniqueConstraint(
                fields=("session", "mentor"), name="attended_once_per_session"
            ),
        ),
    ]
