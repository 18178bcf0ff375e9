"""Matching's periodic reminders: outbox rows queued by beat (``matching/tasks.py``).

- ``match_support_due`` — a coordinator's check-in with a match is due (today or overdue), to
  each coordinator of the program; one per match and due date, so the hourly run queues it
  once and a check-in logged later moves the next one to a new date (a new key).
- ``match_no_recent_session`` — an active match has had no session held for N days
  (``MatchingSettings.no_session_alert_days``, default 21), counted from the last session held
  or from the start; one per match and gap, to each coordinator.
- ``match_approval_digest`` — one message a day to each supervisor with proposed matches
  waiting in their programs (instead of one per proposal).

Each kind is checked again at send time (``STILL_RELEVANT``): a closed match, a check-in logged
meanwhile, a session held meanwhile, a proposal decided or a person who left the program's
staff means the row is dropped, not sent. Emails name no one and say nothing about health;
the link leads to the record behind the login.
"""

import datetime

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.delivery import Message, render_message, site_url, title_for
from accounts.models import Membership, Notification, User
from accounts.services import queue_notification
from matching.models import Match, MatchingSettings
from matching.selectors import MATCH_HEALTH_ANNOTATIONS, support_schedule, with_support_facts

SUPPORT_DUE = "match_support_due"
NO_RECENT_SESSION = "match_no_recent_session"
APPROVAL_DIGEST = "match_approval_digest"
KINDS = (SUPPORT_DUE, NO_RECENT_SESSION, APPROVAL_DIGEST)
DEFAULT_NO_SESSION_DAYS = MatchingSettings._meta.get_field("no_session_alert_days").default


def _staff(program_id: int, role: str) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__program_id=program_id,
            memberships__role=role,
            memberships__is_active=True,
        ).distinct()
    )


def _is_staff(user: User, program_id: int, role: str) -> bool:
    return Membership.objects.filter(
        user=user, program_id=program_id, role=role, is_active=True
    ).exists()


def _active_matches():
    return with_support_facts(Match.objects.filter(status=Match.Status.ACTIVE))


def _with_last_session(matches):
    for annotate in MATCH_HEALTH_ANNOTATIONS:
        matches = annotate(matches)
    return matches


def _no_session_days(match: Match) -> int:
    try:
        return match.program.matching_settings.no_session_alert_days
    except MatchingSettings.DoesNotExist:
        return DEFAULT_NO_SESSION_DAYS


def _gap_start(match: Match) -> datetime.date:
    """The day since which the match has had no session held."""
    last = getattr(match, "last_session_on", None)
    return timezone.localdate(last) if last else match.started_on


def _quiet_too_long(match: Match, today: datetime.date) -> bool:
    if match.started_on is None or not MATCH_HEALTH_ANNOTATIONS:
        return False  # without the sessions app there is nothing to measure
    return (today - _gap_start(match)).days >= _no_session_days(match)


# --- Queueing (beat) ------------------------------------------------------------------------


@transaction.atomic
def queue_match_reminders(*, today: datetime.date | None = None) -> int:
    """Queue the check-in-due and no-recent-session reminders of every active match; returns
    how many rows are queued now (already queued ones count again but are not duplicated)."""
    today = today or timezone.localdate()
    queued = 0
    matches = _with_last_session(_active_matches()).select_related("program")
    for match in matches:
        coordinators = None
        schedule = support_schedule(match, today)
        if schedule.next_due is not None and schedule.next_due <= today:
            coordinators = _staff(match.program_id, Membership.Role.COORDINATOR)
            for coordinator in coordinators:
                queued += len(
                    queue_notification(
                        recipient=coordinator,
                        kind=SUPPORT_DUE,
                        subject=match,
                        key=f"support-due:{match.pk}:{schedule.next_due.isoformat()}",
                    )
                )
        if _quiet_too_long(match, today):
            if coordinators is None:
                coordinators = _staff(match.program_id, Membership.Role.COORDINATOR)
            for coordinator in coordinators:
                queued += len(
                    queue_notification(
                        recipient=coordinator,
                        kind=NO_RECENT_SESSION,
                        subject=match,
                        key=f"no-session:{match.pk}:{_gap_start(match).isoformat()}",
                    )
                )
    return queued


def _waiting_by_supervisor() -> dict[int, int]:
    """Supervisor id -> number of proposed matches waiting in the programs they supervise."""
    waiting = dict(
        Match.objects.filter(status=Match.Status.PROPOSED)
        .values("program_id")
        .annotate(n=Count("pk"))
        .values_list("program_id", "n")
    )
    counts: dict[int, int] = {}
    for user_id, program_id in Membership.objects.filter(
        program_id__in=waiting,
        role=Membership.Role.SUPERVISOR,
        is_active=True,
        user__is_active=True,
    ).values_list("user_id", "program_id"):
        counts[user_id] = counts.get(user_id, 0) + waiting[program_id]
    return counts


@transaction.atomic
def queue_approval_digests(*, today: datetime.date | None = None) -> int:
    """One digest per supervisor with proposals waiting, keyed by the day."""
    today = today or timezone.localdate()
    queued = 0
    for supervisor in User.objects.filter(pk__in=list(_waiting_by_supervisor())):
        queued += len(
            queue_notification(
                recipient=supervisor,
                kind=APPROVAL_DIGEST,
                key=f"approval-digest:{today.isoformat()}",
            )
        )
    return queued


# --- Relevance at send time ----------------------------------------------------------------


def _still_active_for_coordinator(notification: Notification) -> Match | None:
    match = notification.subject
    if match is None or match.status != Match.Status.ACTIVE:
        return None
    if not _is_staff(notification.recipient, match.program_id, Membership.Role.COORDINATOR):
        return None
    return match


def support_due_still_relevant(notification: Notification) -> bool:
    """Only while the match is active and its check-in is still due."""
    match = _still_active_for_coordinator(notification)
    if match is None:
        return False
    annotated = _active_matches().select_related("program").get(pk=match.pk)
    schedule = support_schedule(annotated)
    return schedule.next_due is not None and schedule.next_due <= timezone.localdate()


def no_session_still_relevant(notification: Notification) -> bool:
    """Only while the match is active and still has had no session for N days."""
    match = _still_active_for_coordinator(notification)
    if match is None:
        return False
    annotated = _with_last_session(Match.objects.select_related("program")).get(pk=match.pk)
    return _quiet_too_long(annotated, timezone.localdate())


def approval_digest_still_relevant(notification: Notification) -> bool:
    """Only while proposals are still waiting for this supervisor."""
    return _waiting_by_supervisor().get(notification.recipient_id, 0) > 0


STILL_RELEVANT = {
    SUPPORT_DUE: support_due_still_relevant,
    NO_RECENT_SESSION: no_session_still_relevant,
    APPROVAL_DIGEST: approval_digest_still_relevant,
}


# --- How they read -------------------------------------------------------------------------


def render_support_due(notification: Notification) -> Message:
    match = notification.subject
    return render_message(
        title=title_for(notification.kind),
        lines=[gettext("A check-in with a match in your program is due. Log it once it is done.")],
        url=site_url(match.get_absolute_url()),
        action=gettext("Open the match"),
    )


def render_no_session(notification: Notification) -> Message:
    match = notification.subject
    days = _no_session_days(Match.objects.select_related("program").get(pk=match.pk))
    return render_message(
        title=title_for(notification.kind),
        lines=[
            ngettext(
                "An active match in your program has had no session for %(days)s day.",
                "An active match in your program has had no session for %(days)s days.",
                days,
            )
            % {"days": days}
        ],
        url=site_url(match.get_absolute_url()),
        action=gettext("Open the match"),
    )


def render_approval_digest(notification: Notification) -> Message:
    waiting = _waiting_by_supervisor().get(notification.recipient_id, 0)
    return render_message(
        title=title_for(notification.kind),
        lines=[
            ngettext(
                "%(count)s proposed match is waiting for your approval.",
                "%(count)s proposed matches are waiting for your approval.",
                waiting,
            )
            % {"count": waiting}
        ],
        url=site_url(reverse("matching:board")),
        action=gettext("Review the proposals"),
    )


RENDERERS = {
    SUPPORT_DUE: render_support_due,
    NO_RECENT_SESSION: render_no_session,
    APPROVAL_DIGEST: render_approval_digest,
}
