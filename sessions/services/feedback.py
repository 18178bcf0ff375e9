"""Inviting a mentee to say how a session went, with a one-time link.

The link carries a random token; only its SHA-256 is stored, so a database reader cannot
rebuild a working link. The link is used up when the form is submitted, not when it is
opened (mail scanners open links), and expires after ``FEEDBACK_LINK_DAYS``.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Notification, User
from accounts.services import DomainError, queue_notification
from sessions.models import FeedbackLink, MentoringSession, SafetyAlert, SessionFeedback
from sessions.services.safety import raise_safety_alert

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


# --- Answering --------------------------------------------------------------------------

FEEDBACK_LINK_PATH_NAME = "mentoring_sessions:feedback_link"
FEEDBACK_ANSWER_FIELDS = ("felt_listened_to", "learned_something", "more_hopeful")


def feedback_link_url(token: str) -> str:
    """The full address of a one-time link (``SITE_URL`` + path), for an email or for staff
    handing the link to someone in person."""
    return settings.SITE_URL.rstrip("/") + reverse(FEEDBACK_LINK_PATH_NAME, args=[token])


def may_give_feedback(user, session: MentoringSession) -> bool:
    """Only the mentee of the session answers for themself when signed in."""
    return user.is_authenticated and session.match.mentee.user_id == user.pk


def program_coordinators(program_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__program_id=program_id,
            memberships__role=Membership.Role.COORDINATOR,
            memberships__is_active=True,
        ).distinct()
    )


def link_problem(link: FeedbackLink) -> str | None:
    """Why a link cannot be answered any more (``"used"``, ``"answered"``, ``"expired"``,
    ``"not_held"``), or None while it can."""
    if link.used_at is not None:
        return "used"
    if SessionFeedback.objects.filter(session_id=link.session_id).exists():
        return "answered"
    if link.expires_at <= timezone.now():
        return "expired"
    if link.session.status != MentoringSession.Status.HELD:
        return "not_held"
    return None


LINK_PROBLEMS = {
    "used": _("This link was already used. Thank you for your answers."),
    "answered": _("This session already has your answers. Thank you."),
    "expired": _("This link has expired."),
    "not_held": _("This session did not take place, so there is nothing to answer."),
}


def _check_answers(answers: dict) -> None:
    """The form refuses answers outside the choices; imports and tasks get the same rule."""
    rating = answers.get("rating")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise DomainError(_("Please choose one of the five faces."), field="rating")
    for name in FEEDBACK_ANSWER_FIELDS:
        if answers.get(name) not in SessionFeedback.Answer.values:
            raise DomainError(_("Please choose yes, not sure or no."), field=name)
    if not isinstance(answers.get("wants_contact", False), bool):
        raise DomainError(_("Please choose yes or no."), field="wants_contact")
    if answers.get("feels_safe", "") not in ("", *SessionFeedback.Safety.values):
        raise DomainError(_("Please choose one of the answers shown."), field="feels_safe")
    comment = answers.get("comment", "")
    max_length = SessionFeedback._meta.get_field("comment").max_length
    if not isinstance(comment, str) or len(comment) > max_length:
        raise DomainError(
            _("Please keep the comment under %(max)d characters.") % {"max": max_length},
            field="comment",
        )


@transaction.atomic
def submit_feedback(
    *,
    session: MentoringSession,
    answered_by: User,
    via_link: bool,
    link: FeedbackLink | None = None,
    rating: int,
    felt_listened_to: str,
    learned_something: str,
    more_hopeful: str,
    wants_contact: bool = False,
    feels_safe: str = "",
    comment: str = "",
    helped: bool = False,
) -> SessionFeedback:
    """Save the mentee's one response to a held session.

    ``answered_by`` is always the session's mentee: signed in, or through a link, which is
    locked, checked (this session's, unused, unexpired) and used up in this same transaction,
    so a double submit saves one response. "Please contact me" and the lowest rating queue a
    notification to the coordinators of the match's program.
    """
    answers = {
        "rating": rating,
        "felt_listened_to": felt_listened_to,
        "learned_something": learned_something,
        "more_hopeful": more_hopeful,
        "wants_contact": wants_contact,
        "feels_safe": feels_safe or "",
        "comment": (comment or "").strip(),
        "helped": bool(helped),
    }
    _check_answers(answers)
    now = timezone.now()
    if via_link:
        if link is None:
            raise DomainError(_("This link is not valid."))
        link = FeedbackLink.objects.select_for_update().get(pk=link.pk)
        if link.session_id != session.pk:
            raise DomainError(_("This link is for another session."))
        if link.used_at is not None:
            raise DomainError(LINK_PROBLEMS["used"])
        if link.expires_at <= now:
            raise DomainError(LINK_PROBLEMS["expired"])
    # Lock the session row: two answers arriving together are saved one after the other, and
    # the second finds the first.
    session = (
        MentoringSession.objects.select_for_update(of=("self",))
        .select_related("match__mentee__user")
        .get(pk=session.pk)
    )
    if not may_give_feedback(answered_by, session):
        raise DomainError(_("Only the mentee of this session can answer for it."))
    if session.status != MentoringSession.Status.HELD:
        raise DomainError(LINK_PROBLEMS["not_held"])
    if SessionFeedback.objects.filter(session=session).exists():
        raise DomainError(LINK_PROBLEMS["answered"])
    try:
        with transaction.atomic():
            feedback = SessionFeedback.objects.create(
                session=session, answered_by=answered_by, via_link=via_link, **answers
            )
    except IntegrityError:
        # Another answer got in first (a database without row locks): keep that one.
        raise DomainError(LINK_PROBLEMS["answered"]) from None
    # Every link of the session is used up with the answer, whichever way it came in.
    FeedbackLink.objects.filter(session=session, used_at__isnull=True).update(used_at=now)
    # The reminder has nothing left to remind of.
    Notification.objects.filter(
        key__startswith=f"feedback-reminder:{session.pk}:", state=Notification.State.PENDING
    ).update(state=Notification.State.CANCELLED)
    if feedback.feels_unsafe:
        # The mentee sees the crisis resources on the next page; supervisors are alerted now.
        raise_safety_alert(
            mentee=session.match.mentee,
            source=SafetyAlert.Source.FEEDBACK,
            session=session,
            raised_by=answered_by,
        )
    if feedback.wants_contact or feedback.rating == 1:
        for coordinator in program_coordinators(session.match.program_id):
            queue_notification(
                recipient=coordinator,
                kind="feedback_needs_contact",
                subject=feedback,
                key=f"feedback-needs-contact:{feedback.pk}",
            )
    return feedback
