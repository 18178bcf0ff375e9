"""Matches between a mentee and a mentor, and the record of every change to them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import MenteeProfile, MentorProfile, Program


class MatchQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Match.OPEN_STATUSES)

    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(program_id__in=user.program_ids_with_role("coordinator", "supervisor"))
            | Q(mentor__user=user, status__in=Match.MENTOR_VISIBLE_STATUSES)
            | Q(mentee__user=user, status__in=Match.MENTOR_VISIBLE_STATUSES)
        )


class Match(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES = ("proposed", "approved", "active", "paused")
    # A mentor or mentee sees a match once it is agreed, not while staff are still deciding.
    MENTOR_VISIBLE_STATUSES = ("active", "paused", "closed")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="matches")
    mentee = models.ForeignKey(MenteeProfile, on_delete=models.PROTECT, related_name="matches")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.PROTECT, related_name="matches")
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PROPOSED)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(_("closing reason"), max_length=30, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=["proposed", "approved", "active", "paused"]),
                name="one_open_match_per_mentee",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["mentor", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.mentee.user} ↔ {self.mentor.user} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class MatchEvent(models.Model):
    """Who moved a match from which state to which, when and why."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.TextField(max_length=2000, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status} by {self.actor}"
