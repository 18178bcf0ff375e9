"""Periodic evaluation reports and the program's feedback loops with stakeholders.

An ``EvaluationReport`` is a stored snapshot of the dashboard figures for one program and one
period, built step by step by a Celery task (``evaluation.services.reports.build_report``),
then read, commented on and signed off by a supervisor. Once signed it never changes: the
services refuse, and on PostgreSQL a trigger (migration ``0002``) refuses any UPDATE or DELETE
of a signed row.

Stakeholders (case managers and provider staff a mentee agreed to share progress with) are
invited each quarter to a short form (``StakeholderInvitation`` / ``StakeholderResponse``);
coordinators record program-level meetings with stakeholders (``StakeholderMeetingNote``),
which the next report lists.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import MenteeProfile, Program, validate_not_future


class EvaluationReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports are read by the supervisors of their program (and administrators)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(program_id__in=user.program_ids_with_role("supervisor"))


class EvaluationReport(models.Model):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        ON_DEMAND = "on_demand", _("On demand")

    class Status(models.TextChoices):
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="evaluation_reports"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.BUILDING)
    # Progress of the build, written by the task after each real step.
    step = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    step_label = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    built_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)

    objects = EvaluationReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "kind", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kind", "period_start", "period_end"],
                name="one_report_per_program_kind_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="report_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(signed_off_at__isnull=True, signed_off_by__isnull=True)
                | Q(signed_off_at__isnull=False, signed_off_by__isnull=False, status="ready"),
                name="signed_report_is_ready_and_names_signer",
            ),
        ]
        indexes = [models.Index(fields=["program", "status", "period_end"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} report {self.period_start}–{self.period_end}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("evaluation:report_detail", args=[self.pk])

    @property
    def is_signed(self) -> bool:
        return self.signed_off_at is not None

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.READY:
            return 100
        if not self.steps_total:
            return 0
        return round(100 * self.step / self.steps_total)


class ReportComment(models.Model):
    report = models.ForeignKey(EvaluationReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.report} by {self.author}"


# --- Stakeholder feedback loops ------------------------------------------------------------


class StakeholderInvitation(models.Model):
    """One quarter's invitation of a case manager or provider to say how a mentee is doing
    and how the program works with them. ``period`` (e.g. ``2026-Q4``) makes it unique."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(
        MenteeProfile, on_delete=models.CASCADE, related_name="stakeholder_invitations"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stakeholder_invitations"
    )
    period = models.CharField(max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "recipient", "period"], name="one_stakeholder_invite_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"Stakeholder invitation {self.period} for {self.mentee}"


class StakeholderLink(models.Model):
    """A one-time link to one invitation's form; only the token's SHA-256 is stored."""

    invitation = models.ForeignKey(
        StakeholderInvitation, on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Link for {self.invitation}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class StakeholderResponse(models.Model):
    class Rating(models.IntegerChoices):
        MUCH_WORSE = 1, _("Much worse")
        WORSE = 2, _("A little worse")
        SAME = 3, _("About the same")
        BETTER = 4, _("A little better")
        MUCH_BETTER = 5, _("Much better")

    invitation = models.OneToOneField(
        StakeholderInvitation, on_delete=models.CASCADE, related_name="response"
    )
    progress = models.PositiveSmallIntegerField(
        _("Since the mentoring began, how is the mentee doing?"),
        choices=Rating,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    working_together = models.PositiveSmallIntegerField(
        _("How well does the program work with you (1 poor – 5 very well)?"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    kept_informed = models.BooleanField(_("The program keeps me informed"), default=False)
    wants_contact = models.BooleanField(
        _("I would like a coordinator to contact me"), default=False
    )
    comment = models.TextField(_("Anything the program should know?"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    via_link = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=1, progress__lte=5)
                & Q(working_together__gte=1, working_together__lte=5),
                name="stakeholder_ratings_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"Answer to {self.invitation}"


class StakeholderMeetingNote(models.Model):
    class Role(models.TextChoices):
        CLINICIAN = "clinician", _("Clinicians")
        TRANSITION = "transition_specialist", _("Transition specialists")
        PEER_PROVIDER = "peer_provider", _("Peer providers")
        CASE_MANAGER = "case_manager", _("Case managers")
        FAMILY = "family", _("Families and carers")
        OTHER = "other", _("Others")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    met_on = models.DateField(_("meeting date"), validators=[validate_not_future])
    attendee_roles = models.JSONField(_("who took part"), default=list)
    summary = models.TextField(_("what we heard"), max_length=4000)
    follow_up_actions = models.TextField(_("follow-up actions"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-met_on", "-pk"]
        indexes = [models.Index(fields=["program", "met_on"])]

    def __str__(self) -> str:
        return f"Stakeholder meeting on {self.met_on}"
