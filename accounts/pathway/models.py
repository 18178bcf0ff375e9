"""The mentor pathway's records. Registered under the ``accounts`` app (imported at the end
of ``accounts.models``).

"Trained" has one definition, per program (``accounts.pathway.selectors.untrained_reasons``):
every active module marked required-before-matching completed, and a current certification.
A module is completed when the mentor attended training sessions of it totalling at least the
module's hours.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import MenteeProfile, MentorProfile, Program, validate_not_future

MAX_HOURS_PER_DAY = Decimal("12")


def validate_training_hours(value: Decimal) -> None:
    if value is None:
        return
    if value <= 0:
        raise ValidationError(_("Training hours must be more than zero."))
    if value > MAX_HOURS_PER_DAY:
        raise ValidationError(_("No more than 12 hours of training can be recorded for a day."))


class ScreeningKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview with the matching checklist")
    REFERENCE_1 = "reference_1", _("First reference")
    REFERENCE_2 = "reference_2", _("Second reference")
    BACKGROUND_CHECK = "background_check", _("Background check")
    LIVED_EXPERIENCE = "lived_experience", _("Lived experience and time in recovery confirmed")
    AGREEMENT = "agreement", _("Mentor agreement signed")


def all_screening_kinds() -> list[str]:
    return list(ScreeningKind.values)


def validate_screening_kinds(value) -> None:
    """A program screens its mentors with at least one of the known steps, each once."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one screening step."))
    if len(set(value)) != len(value) or not set(value) <= set(ScreeningKind.values):
        raise ValidationError(_("Choose screening steps from the list."))


class PathwaySettings(models.Model):
    """A program's rules for its mentors (created with the defaults on first use)."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="pathway_settings"
    )
    training_hours_before_first_match = models.DecimalField(
        _("training hours before a first match"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    certification_valid_days = models.PositiveSmallIntegerField(
        _("certification valid for (days)"),
        default=365,
        validators=[MinValueValidator(30), MaxValueValidator(1095)],
    )
    certification_reminder_days = models.PositiveSmallIntegerField(
        _("remind this many days before a certification expires"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    supervision_cadence_days = models.PositiveSmallIntegerField(
        _("supervision meeting at least every (days)"),
        default=30,
        validators=[MinValueValidator(7), MaxValueValidator(180)],
    )
    min_days_in_recovery = models.PositiveSmallIntegerField(
        _("time in recovery needed to become a mentor (days)"),
        default=365,
        validators=[MaxValueValidator(3650)],
    )
    screening_steps = models.JSONField(
        _("screening steps"),
        default=all_screening_kinds,
        validators=[validate_screening_kinds],
        help_text=_("The steps every applicant to this program passes before training."),
    )

    class Meta:
        verbose_name = _("mentor pathway settings")
        verbose_name_plural = _("mentor pathway settings")

    def __str__(self) -> str:
        return gettext("Pathway settings of %(program)s") % {"program": self.program}

    @property
    def screening_choices(self) -> list[tuple[str, str]]:
        """This program's screening steps, in the order of the list of known steps."""
        chosen = set(self.screening_steps)
        return [(value, label) for value, label in ScreeningKind.choices if value in chosen]


class TrainingModule(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="training_modules")
    name = models.CharField(_("name"), max_length=150)
    description = models.CharField(_("what it covers"), max_length=300, blank=True)
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=1, validators=[validate_training_hours]
    )
    required_before_matching = models.BooleanField(_("required before matching"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["program", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="training_module_unique_name"),
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=12), name="training_module_hours_0_to_12"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MentorInvitation(models.Model):
    """A coordinator's invitation to a mentee (whose match closed with goals met) to apply as
    a mentor. Applying keeps their account, so their history stays one history."""

    mentee = models.OneToOneField(
        MenteeProfile, on_delete=models.CASCADE, related_name="mentor_invitation"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-invited_at"]

    def __str__(self) -> str:
        return gettext("Invitation of %(mentee)s") % {"mentee": self.mentee}


class Application(models.Model):
    """How a mentor came to the program: the public form, a coordinator, or an invitation."""

    class Source(models.TextChoices):
        PUBLIC_FORM = "public_form", _("Public application form")
        COORDINATOR = "coordinator", _("Entered by a coordinator")
        INVITATION = "invitation", _("Invited after being a mentee")

    mentor = models.OneToOneField(
        MentorProfile, on_delete=models.CASCADE, related_name="application"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source)
    motivation = models.TextField(_("why I want to be a mentor"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    invitation = models.OneToOneField(
        MentorInvitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["source", "submitted_at"])]

    def __str__(self) -> str:
        return gettext("Application of %(mentor)s") % {"mentor": self.mentor}


class ScreeningStep(models.Model):
    """One screening step of a mentor in a program. The background check holds a status and a
    date only, never the report's contents."""

    Kind = ScreeningKind

    class Status(models.TextChoices):
        PENDING = "pending", _("Not done yet")
        PASSED = "passed", _("Done")
        NOT_PASSED = "not_passed", _("Not passed")

    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="screening_steps"
    )
    kind = models.CharField(_("step"), max_length=30, choices=Kind)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    completed_on = models.DateField(
        _("date"), null=True, blank=True, validators=[validate_not_future]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["mentor", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["mentor", "kind"], name="one_screening_step_per_kind"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(completed_on__isnull=False),
                name="screening_step_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(step)s of %(mentor)s: %(status)s") % {
            "step": self.get_kind_display(),
            "mentor": self.mentor,
            "status": self.get_status_display(),
        }


class StatusChange(models.Model):
    """The mentor's status history: applicant → screening → in training → active → on hold →
    inactive, with who moved them and why."""

    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=MentorProfile.Status, blank=True)
    to_status = models.CharField(max_length=20, choices=MentorProfile.Status)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["mentor", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.mentor}: {self.from_status or '—'} → {self.to_status}"


class TrainingSession(models.Model):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("date"), validators=[validate_not_future])
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=1, validators=[validate_training_hours]
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.ManyToManyField(
        MentorProfile, through="TrainingAttendance", related_name="training_sessions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=12), name="training_session_hours_0_to_12"
            )
        ]
        indexes = [models.Index(fields=["program", "held_on"])]

    def __str__(self) -> str:
        return gettext("%(module)s on %(date)s") % {"module": self.module, "date": self.held_on}


class TrainingAttendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="training_attendance"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "mentor"], name="attended_once_per_session")
        ]

    def __str__(self) -> str:
        return gettext("%(mentor)s at %(session)s") % {
            "mentor": self.mentor,
            "session": self.session,
        }


class Competency(models.TextChoices):
    RELATIONSHIP_BUILDING = "relationship_building", _("Relationship-building")
    CULTURAL_COMPETENCE = "cultural_competence", _("Cultural competence")
    RESOURCE_NAVIGATION = "resource_navigation", _("Resource navigation")
    COPING_SKILLS_EDUCATION = "coping_skills_education", _("Coping-skills education")


class RolePlayAssessment(models.Model):
    """A role-play practice, assessed by a trainer against the core competencies."""

    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="role_play_assessments"
    )
    assessed_on = models.DateField(_("date"), validators=[validate_not_future])
    scenario = models.CharField(_("scenario practised"), max_length=300, blank=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return gettext("Role play of %(mentor)s on %(date)s") % {
            "mentor": self.mentor,
            "date": self.assessed_on,
        }


class CompetencyRating(models.Model):
    assessment = models.ForeignKey(
        RolePlayAssessment, on_delete=models.CASCADE, related_name="ratings"
    )
    competency = models.CharField(_("competency"), max_length=30, choices=Competency)
    score = models.PositiveSmallIntegerField(
        _("rating (1–4)"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        ordering = ["assessment", "competency"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="one_rating_per_competency"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=4), name="competency_score_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_competency_display()}: {self.score}"


class Certification(models.Model):
    """A mentor's certification; current while ``expires_on`` is today or later."""

    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="certifications"
    )
    issued_on = models.DateField(_("issued"), validators=[validate_not_future])
    expires_on = models.DateField(_("expires"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-expires_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")),
                name="certification_expires_after_issue",
            )
        ]
        indexes = [models.Index(fields=["mentor", "expires_on"])]

    def __str__(self) -> str:
        return gettext("Certification of %(mentor)s until %(date)s") % {
            "mentor": self.mentor,
            "date": self.expires_on,
        }

    @property
    def is_current(self) -> bool:
        return self.expires_on >= timezone.localdate()

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.expires_on - (today or timezone.localdate())).days


class EmploymentOutcome(models.Model):
    class Kind(models.TextChoices):
        PEER_SUPPORT_JOB = "peer_support_job", _("Peer-support job")
        CARE_FIELD_JOB = "care_field_job", _("Job in the care field")
        WAIVER_PROVIDER = "waiver_provider", _("Waiver-service provider")

    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="employment_outcomes"
    )
    kind = models.CharField(_("outcome"), max_length=30, choices=Kind)
    employer = models.CharField(_("employer or agency"), max_length=150, blank=True)
    started_on = models.DateField(_("started"), validators=[validate_not_future])
    ended_on = models.DateField(_("ended"), null=True, blank=True, validators=[validate_not_future])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="employment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return gettext("%(outcome)s of %(mentor)s from %(date)s") % {
            "outcome": self.get_kind_display(),
            "mentor": self.mentor,
            "date": self.started_on,
        }


class WellbeingCheckIn(models.Model):
    """ "How are you doing in your own recovery?" — optional and private: only the mentor
    and the supervisors of their program read it."""

    class Feeling(models.TextChoices):
        STRUGGLING = "struggling", _("I am struggling")
        UP_AND_DOWN = "up_and_down", _("Up and down")
        STEADY = "steady", _("Steady")
        GOING_WELL = "going_well", _("Going well")

    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="wellbeing_checkins"
    )
    feeling = models.CharField(_("how I am doing"), max_length=20, choices=Feeling)
    note = models.TextField(_("anything you want to add"), max_length=2000, blank=True)
    wants_contact = models.BooleanField(
        _("I would like my supervisor to contact me"), default=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return gettext("Check-in of %(mentor)s on %(date)s") % {
            "mentor": self.mentor,
            "date": f"{self.created_at:%Y-%m-%d}",
        }
