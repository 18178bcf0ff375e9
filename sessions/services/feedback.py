"""Inviting a mentee to say how a session went, with a one-time link.

The link carries a random token; only its SHA-256 is stored, so a database reader cannot
rebuild a working link. The link is used up when the form is submitted, not when it is
opened (mail scanners open links), and expires after ``FEEDBACK_LINK_DAYS``.
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import Notification
from accounts.services import queue_notification
from sessions.models import FeedbackLink, MentoringSession

FEEDBACK_LINK_DAYS = 7
REMINDER_AFTER = datetime.timedelta(days=3)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_feedback_link(*, session: MentoringSession, days: int = FEEDBACK_LINK_DAYS) -> str:
    """Create a link for this one session's feedback form and return its secret token."""
    token = secrets.token_urlsafe(32)
    FeedbackLink.objects.create(
        session=session,
        token_hash=token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token


def find_feedback_link(token: str) -> FeedbackLink | None:
    """The link for ``token`` whatever its state (the view explains used or expired)."""
    return (
        FeedbackLink.objects.select_related("session__match__mentee__user", "session__match")
        .filter(token_hash=token_hash(token))
        .first()
    )


@transaction.atomic
def invite_feedback(*, session: MentoringSession) -> None:
    """Queue the in-app invitation and the email with a one-time link, and one reminder
    three days later; the unique keys make a second call for the same session a no-op."""
    mentee_user = session.match.mentee.user
    if Notification.objects.filter(key__startswith=f"feedback-invite:{session.pk}:").exists():
        return
    queue_notification(
        recipient=mentee_user,
        kind="feedback_invitation",
        subject=session,
        key=f"feedback-invite:{session.pk}",
    )
    queue_notification(
        recipient=mentee_user,
        kind="feedback_reminder",
        subject=session,
        key=f"feedback-reminder:{session.pk}",
        due_at=timezone.now() + REMINDER_AFTER,
    )
