"""Outcome measures: each program's schedule, the administrations it creates, their answers,
and one-time links to answer them.

An ``Administration`` is one instrument given to one mentee at one time point. It is created
``due`` by the schedule when a match starts (baseline, day 30/90/180) or closes (closure), or
ad hoc by staff; it becomes ``completed`` when answered and scored (``evaluation.instruments``),
``missed`` when the answering window ran out, ``cancelled`` when no longer wanted (the match
closed before a follow-up fell due). The database refuses a second administration of the same
instrument at the same time point of one match.

Answers are health data: they are never put in URLs, logs or task arguments. The draft of a
one-question-per-screen answer is kept in ``draft`` on the row itself.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import MenteeProfile, Program
from accounts.scoping import STAFF_ROLES
from evaluation import instruments
from matching.models import Match


def validate_instrument_codes(value) -> None:
    if not isinstance(value, list) or any(code not in instruments.INSTRUMENTS for code in value):
        raise ValidationError(_("Choose measures from the list."))


def default_instruments() -> list[str]:
    return list(instruments.INSTRUMENTS)


class Timepoint(models.TextChoices):
    BASELINE = "baseline", _("Baseline (match start)")
    DAY30 = "day30", _("30 days")
    DAY90 = "day90", _("90 days")
    DAY180 = "day180", _("180 days")
    CLOSURE = "closure", _("Closure")
    ADHOC = "adhoc", _("Ad hoc")


# Days after the match start at which each follow-up falls due.
FOLLOW_UP_DAYS = {Timepoint.DAY30: 30, Timepoint.DAY90: 90, Timepoint.DAY180: 180}


class MeasureSchedule(models.Model):
    """Which measures a program gives, and when. Coordinators edit it; a change applies to
    matches that start or close after it (existing administrations stay as they are)."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="measure_schedule"
    )
    instruments = models.JSONField(
        _("measures"), default=default_instruments, validators=[validate_instrument_codes]
    )
    at_baseline = models.BooleanField(_("at the match start (baseline)"), default=True)
    at_day30 = models.BooleanField(_("30 days after the start"), default=True)
    at_day90 = models.BooleanField(_("90 days after the start"), default=True)
    at_day180 = models.BooleanField(_("180 days after the start"), default=True)
    at_closure = models.BooleanField(_("when the match closes"), default=True)
    include_risk_items = models.BooleanField(
        _("ask the HIV and hepatitis C risk questions in the check-in"), default=False
    )
    overdue_after_days = models.PositiveSmallIntegerField(
        _("days after the due date before a reminder says it is overdue"), default=7
    )
    missed_after_days = models.PositiveSmallIntegerField(
        _("days after the due date before it counts as missed"), default=30
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(missed_after_days__gt=models.F("overdue_after_days")),
                name="measure_missed_after_overdue",
            )
        ]

    def __str__(self) -> str:
        return f"Measure schedule of {self.program}"

    @classmethod
    def for_program(cls, program) -> "MeasureSchedule":
        found, _created = cls.objects.get_or_create(program_id=getattr(program, "pk", program))
        return found

    def follow_ups(self) -> list[str]:
        return [
            timepoint
            for timepoint in (Timepoint.DAY30, Timepoint.DAY90, Timepoint.DAY180)
            if getattr(self, f"at_{timepoint.value}")
        ]


class AdministrationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff of the program; the mentee their own; the mentor of the match the
        administrations they answer themselves (the mentor's relationship survey)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(program_id__in=user.program_ids_with_role(*STAFF_ROLES))
            | Q(mentee__user=user)
            | Q(match__mentor__user=user, instrument__in=mentor_answered_codes())
        )

    def answerable_by(self, user):
        """Due administrations that this person answers for themself."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(status=Administration.Status.DUE).filter(
            Q(mentee__user=user, instrument__in=mentee_answered_codes())
            | Q(match__mentor__user=user, instrument__in=mentor_answered_codes())
        )

    def due(self):
        return self.filter(status=Administration.Status.DUE)

    def completed(self):
        return self.filter(status=Administration.Status.COMPLETED)


def mentee_answered_codes() -> list[str]:
    return [c for c, i in instruments.INSTRUMENTS.items() if i.respondent == "mentee"]


def mentor_answered_codes() -> list[str]:
    return [c for c, i in instruments.INSTRUMENTS.items() if i.respondent == "mentor"]


class Administration(models.Model):
    class Status(models.TextChoices):
        DUE = "due", _("Due")
        COMPLETED = "completed", _("Completed")
        MISSED = "missed", _("Missed")
        CANCELLED = "cancelled", _("Cancelled")

    class Mode(models.TextChoices):
        SELF = "self", _("Signed in")
        LINK = "link", _("One-time link")
        IN_PERSON = "in_person", _("In person with staff")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="administrations")
    match = models.ForeignKey(
        Match, on_delete=models.PROTECT, null=True, blank=True, related_name="administrations"
    )
    mentee = models.ForeignKey(
        MenteeProfile, on_delete=models.PROTECT, related_name="administrations"
    )
    instrument = models.CharField(_("measure"), max_length=20, choices=instruments.CHOICES)
    instrument_version = models.CharField(_("version"), max_length=100)
    timepoint = models.CharField(_("time point"), max_length=20, choices=Timepoint)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DUE)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    total = models.IntegerField(_("total"), null=True, blank=True)
    reported_score = models.IntegerField(_("score"), null=True, blank=True)
    band = models.CharField(_("band"), max_length=40, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mode = models.CharField(_("how it was answered"), max_length=20, choices=Mode, blank=True)
    helped = models.BooleanField(_("Someone helped me fill this in"), default=False)
    # The one-question-per-screen answers so far ({"item number": value}); emptied on submit.
    draft = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "instrument", "timepoint"],
                name="one_administration_per_match_timepoint",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed")
                | Q(completed_at__isnull=False, total__isnull=False, reported_score__isnull=False),
                name="completed_administration_is_scored",
            ),
            models.CheckConstraint(
                condition=Q(match__isnull=False) | Q(timepoint="adhoc"),
                name="scheduled_administration_has_match",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "status", "due_on"]),
            models.Index(fields=["mentee", "instrument", "completed_at"]),
            models.Index(fields=["status", "due_on"]),
            # Reports count the administrations due in a period, whatever their status.
            models.Index(fields=["due_on"], name="administration_due_on_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.timepoint} of {self.mentee}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("evaluation:measure_detail", args=[self.pk])

    @property
    def definition(self) -> instruments.Instrument:
        return instruments.INSTRUMENTS[self.instrument]

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.DUE and self.due_on < timezone.localdate()

    @property
    def band_label(self) -> str:
        return self.definition.band_label(self.band)

    @property
    def respondent_is_mentor(self) -> bool:
        return self.definition.respondent == "mentor"

    def respondent_user_id(self) -> int | None:
        if self.respondent_is_mentor:
            return self.match.mentor.user_id if self.match_id else None
        return self.mentee.user_id

    def overdue_on(self, schedule: MeasureSchedule) -> datetime.date:
        return self.due_on + datetime.timedelta(days=schedule.overdue_after_days)


class Response(models.Model):
    """One item's answer of a completed administration (None: an optional item not asked)."""

    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="responses"
    )
    item = models.PositiveSmallIntegerField(_("item"))
    value = models.SmallIntegerField(_("answer"), null=True, blank=True)

    class Meta:
        ordering = ["administration", "item"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "item"], name="one_response_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.administration} item {self.item}: {self.value}"


class MeasureLink(models.Model):
    """A one-time link to one administration. Only a hash of the token is stored; it is used
    up when the answers are submitted (not when opened: mail scanners open links)."""

    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Link for {self.administration}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
