"""How feedback invitations read, registered in accounts' delivery registries.

The email carries a one-time link issued at send time (only its hash is stored, so the
outbox never holds a working link); the in-app message points to the signed-in form. Neither
says anything about the session beyond its date: no summary, no private notes.
"""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from accounts.delivery import render_message, site_url, title_for
from accounts.models import Notification
from sessions.models import MentoringSession, SessionFeedback
from sessions.services.feedback import FEEDBACK_LINK_DAYS, feedback_link_url, issue_feedback_link

FEEDBACK_KINDS = ("feedback_invitation", "feedback_reminder")


def feedback_url(notification: Notification, session: MentoringSession) -> str:
    """A fresh one-time link for email; the signed-in form for the in-app message."""
    if notification.channel == Notification.Channel.EMAIL:
        return feedback_link_url(issue_feedback_link(session=session))
    return site_url(reverse("mentoring_sessions:feedback_give", args=[session.pk]))


def render_feedback(notification: Notification):
    session = notification.subject
    when = formats.date_format(timezone.localtime(session.starts_at), "DATE_FORMAT")
    lines = [
        gettext("How did your session on %(date)s go? Three short questions help us.")
        % {"date": when},
    ]
    if notification.channel == Notification.Channel.EMAIL:
        lines.append(
            gettext("The link works once and for %(days)s days.") % {"days": FEEDBACK_LINK_DAYS}
        )
    return render_message(
        title=title_for(notification.kind),
        lines=lines,
        url=feedback_url(notification, session),
        action=gettext("Answer the questions"),
    )


def feedback_still_wanted(notification: Notification) -> bool:
    """Only while the session took place and has no answers yet."""
    session = notification.subject
    return (
        session.status == MentoringSession.Status.HELD
        and not SessionFeedback.objects.filter(session_id=session.pk).exists()
    )


REMINDER_KINDS = ("session_reminder", "session_not_logged")


def session_still_scheduled(notification: Notification) -> bool:
    """A session reminder goes out only while the session is scheduled and its match active."""
    session = notification.subject
    return session.status == MentoringSession.Status.SCHEDULED and session.match.status == "active"
