"""Delivering the notifications outbox: each row is sent at least once and, in practice, once.

A worker first *claims* due rows with a conditional UPDATE (PENDING -> SENDING; a batch locks
them with SKIP LOCKED), so two workers or two beats can never both send one. Each row is marked
sent right after the mail server accepted it, so a worker killed mid-batch can repeat at most
the one message it was sending. A dead worker's rows stay in SENDING; the sweep puts them back
to PENDING after ``NOTIFICATION_STALE_SECONDS`` (at-least-once), and the email's Message-ID is
stable per row so a repeat is recognisable to the receiving side. A batch gives back what it
has not sent at half that time, so the mail timeout (``EMAIL_URL``'s ``timeout``, 10 s by
default) must stay well below half of it (600 s by default).

Three registries keep this module free of the higher apps (matching, sessions), which fill
them in their ``AppConfig.ready()``:

- ``CHANNELS``: how a row reaches a person (email, in-app; SMS later is one more class);
- ``RENDERERS``: per kind, the subject, body and attachments of the message;
- ``STILL_RELEVANT``: per kind, whether the recipient should still get it at send time.
"""

import contextlib
import dataclasses
import datetime
import logging
import random
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_BASE = datetime.timedelta(seconds=60)
BACKOFF_CAP = datetime.timedelta(hours=1)
BACKOFF_JITTER = 0.2
STALE_AFTER = datetime.timedelta(minutes=10)
# Due rows one sweep hands out (a backlog larger than this goes out over several sweeps).
SWEEP_BATCH = 20_000
# Rows handed to one task: one claim, one SMTP connection, each row marked sent on its own.
TASK_BATCH = 50
# Kinds that reach every channel whatever the person's reminder settings say.
ALWAYS_DELIVERED = {"safety_alert"}

NOT_RELEVANT = "no longer relevant"
NO_EMAIL = "no email on file"
TURNED_OFF = "turned off by recipient"
STALE = "worker stopped while sending; queued again"


# --- Messages and renderers -------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Message:
    """What a person reads. ``url`` is where the message invites them to go."""

    subject: str
    text: str
    html: str
    url: str = ""
    # (file name, content, MIME type), e.g. an iCalendar invitation for a session.
    attachments: tuple[tuple[str, str, str], ...] = ()


# Short titles per kind: the subject line says what happened, never anything about health.
TITLES = {
    "match_awaiting_approval": _("A proposed match is waiting for your approval"),
    "match_support_concern": _("A match needs support"),
    "closure_survey": _("A few questions about your mentorship"),
    "feedback_invitation": _("How did your session go?"),
    "feedback_reminder": _("A reminder: how did your session go?"),
    "feedback_needs_contact": _("A mentee asked to be contacted"),
    "safety_alert": _("A safety alert needs your attention"),
    "session_concern_talk": _("A mentor would like to talk about a session"),
    "share_case_manager": _("Progress was shared with you"),
    "supervisor_note": _("Your supervisor left a note"),
    "session_reminder": _("Reminder: you have a mentoring session coming up"),
    "session_not_logged": _("Please log yesterday's session"),
    "match_support_due": _("A match check-in is due"),
    "match_no_recent_session": _("An active match has had no session for a while"),
    "match_approval_digest": _("Proposed matches are waiting for your approval"),
}
DEFAULT_TITLE = _("You have a new notification")

Renderer = Callable[[Notification], Message]
RENDERERS: dict[str, Renderer] = {}


def site_url(path: str = "") -> str:
    """An absolute address on this site, for links in emails."""
    return settings.SITE_URL.rstrip("/") + path


def title_for(kind: str) -> str:
    return str(TITLES.get(kind, DEFAULT_TITLE))


def render_message(*, title: str, lines: list[str], url: str, action: str | None = None) -> Message:
    """Plain text and HTML from the shared email templates, in the active language."""
    context = {
        "title": title,
        "lines": lines,
        "url": url,
        "action": action or gettext("Open PeerPath"),
        "language": translation.get_language(),
    }
    return Message(
        subject=title,
        text=render_to_string("accounts/email/notification.txt", context),
        html=render_to_string("accounts/email/notification.html", context),
        url=url,
    )


def default_renderer(notification: Notification) -> Message:
    """Says only that something is waiting in PeerPath; the details are behind the login."""
    title = title_for(notification.kind)
    line = gettext("You have a new notification in PeerPath: %(title)s.") % {"title": title}
    return render_message(title=title, lines=[line], url=site_url("/"))


def render(notification: Notification) -> Message:
    return RENDERERS.get(notification.kind, default_renderer)(notification)


# --- Relevance ----------------------------------------------------------------------------

STILL_RELEVANT: dict[str, Callable[[Notification], bool]] = {}


def recipient_still_sees_subject(notification: Notification) -> bool:
    """A notification about a record its recipient can no longer open (a consent to share was
    revoked, they left the program's staff, the match is out of their scope) is not sent: the
    record's own ``visible_to(user)`` scope decides, as it does for every page."""
    subject = notification.subject
    if subject is None:
        return True
    visible_to = getattr(type(subject)._default_manager, "visible_to", None)
    if visible_to is None:
        return True
    return visible_to(notification.recipient).filter(pk=subject.pk).exists()


def still_relevant(notification: Notification) -> bool:
    """False when the recipient should no longer get this: they left, the subject is gone or
    out of their scope, or the kind's own rule (e.g. the match is no longer proposed) says so."""
    if not notification.recipient.is_active:
        return False
    if notification.subject_type_id and notification.subject is None:
        return False
    if not recipient_still_sees_subject(notification):
        return False
    check = STILL_RELEVANT.get(notification.kind)
    return check is None or check(notification)


# --- Channels -----------------------------------------------------------------------------


class EmailChannel:
    """Email with a plain-text and an HTML part (and the renderer's attachments); the
    Message-ID is the row's, so sending the same row again after a crash carries the same
    Message-ID. ``connection`` lets a batch reuse one SMTP connection."""

    def deliver(self, notification: Notification, connection=None) -> None:
        message = render(notification)
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.recipient.email],
            headers={"Message-ID": message_id(notification)},
        )
        email.attach_alternative(message.html, "text/html")
        for filename, content, mimetype in message.attachments:
            email.attach(filename, content, mimetype)
        if connection is None:
            mailers.default.send_messages([email])
            return
        connection.open()  # a no-op while the batch's connection is open
        connection.send_messages([email])


class InAppChannel:
    """The row itself is the in-app message; delivering it is marking it sent."""

    def deliver(self, notification: Notification, connection=None) -> None:
        return None


CHANNELS = {
    Notification.Channel.EMAIL.value: EmailChannel(),
    Notification.Channel.IN_APP.value: InAppChannel(),
}


def message_id(notification: Notification) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "peerpath.localhost"
    return f"<notification-{notification.pk}@{domain}>"


# --- Claiming and delivering --------------------------------------------------------------


def claim(notification_id: int) -> Notification | None:
    """Move one due row from PENDING to SENDING in a single conditional UPDATE, so only one
    worker ever wins it; None if it is not due, not pending, or someone else won.

    While SENDING, ``due_at`` holds the moment of the claim: that is how the sweep recognises
    a row whose worker died mid-send.
    """
    now = timezone.now()
    won = Notification.objects.filter(
        pk=notification_id, state=Notification.State.PENDING, due_at__lte=now
    ).update(state=Notification.State.SENDING, attempts=F("attempts") + 1, due_at=now)
    if not won:
        return None
    return Notification.objects.select_related("recipient").get(pk=notification_id)


def _finish(notification: Notification, **fields) -> bool:
    """Record the outcome only if this worker still holds the row (same claim)."""
    return bool(
        Notification.objects.filter(
            pk=notification.pk,
            state=Notification.State.SENDING,
            attempts=notification.attempts,
        ).update(**fields)
    )


def skip_reason(notification: Notification) -> str | None:
    """Why this row must not be sent at all (it is cancelled, not retried), or None."""
    user = notification.recipient
    if notification.channel == Notification.Channel.EMAIL and not user.email:
        return NO_EMAIL
    if notification.kind not in ALWAYS_DELIVERED:
        wants = {
            Notification.Channel.EMAIL: user.notify_by_email,
            Notification.Channel.IN_APP: user.notify_in_app,
        }.get(notification.channel, True)
        if not wants:
            return TURNED_OFF
    if not still_relevant(notification):
        return NOT_RELEVANT
    return None


def backoff(attempts: int) -> datetime.timedelta:
    """60 s, 2 min, 4 min ... capped at an hour, ±20% so failed rows do not retry in step."""
    delay = min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)
    return delay * random.uniform(1 - BACKOFF_JITTER, 1 + BACKOFF_JITTER)  # noqa: S311


def describe_error(exc: Exception) -> str:
    """The error class and message for staff, never the message body being sent."""
    return f"{type(exc).__name__}: {exc}"[:500]


def _record_failure(notification: Notification, exc: Exception) -> str:
    error = describe_error(exc)
    if notification.attempts < MAX_ATTEMPTS:
        state = Notification.State.PENDING
        _finish(
            notification,
            state=state,
            due_at=timezone.now() + backoff(notification.attempts),
            last_error=error,
        )
    else:
        state = Notification.State.FAILED
        _finish(notification, state=state, last_error=error)
    logger.warning(
        "notification %s attempt %s failed (%s)",
        notification.pk,
        notification.attempts,
        type(exc).__name__,
    )
    return state


def _send(notification: Notification, connection=None) -> str:
    """Deliver one claimed row and record the outcome right away, so a worker killed later
    in a batch can repeat at most the one message it was sending."""
    try:
        reason = skip_reason(notification)
        if reason:
            _finish(notification, state=Notification.State.CANCELLED, last_error=reason)
            return Notification.State.CANCELLED
        with translation.override(notification.recipient.preferred_language):
            CHANNELS[notification.channel].deliver(notification, connection)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
        if connection is not None:
            _close_quietly(connection)
        return _record_failure(notification, exc)
    _finish(notification, state=Notification.State.SENT, sent_at=timezone.now(), last_error="")
    return Notification.State.SENT


def _close_quietly(connection) -> None:
    """Drop a connection a failure may have broken; the next message opens a new one."""
    with contextlib.suppress(Exception):  # it is being thrown away
        connection.close()


def deliver(notification_id: int) -> str | None:
    """Send one outbox row if it is due and nobody else is sending it; return its new state
    (None if it was not ours to send). Failures are retried later through ``due_at``."""
    notification = claim(notification_id)
    if notification is None:
        return None
    return _send(notification)


def claim_many(notification_ids: list[int]) -> list[Notification]:
    """Claim every due PENDING row among ``notification_ids`` in one transaction: rows another
    worker holds are skipped (``SKIP LOCKED`` on PostgreSQL; SQLite has a single writer), and
    the conditional UPDATE still requires PENDING, so a row is never claimed twice."""
    now = timezone.now()
    with transaction.atomic():
        pending = Notification.objects.filter(
            pk__in=notification_ids, state=Notification.State.PENDING, due_at__lte=now
        )
        if db_connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        pks = list(pending.values_list("pk", flat=True))
        if not pks:
            return []
        Notification.objects.filter(pk__in=pks, state=Notification.State.PENDING).update(
            state=Notification.State.SENDING, attempts=F("attempts") + 1, due_at=now
        )
    return list(
        Notification.objects.select_related("recipient")
        .filter(pk__in=pks, state=Notification.State.SENDING, due_at=now)
        .order_by("pk")
    )


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(
        seconds=getattr(settings, "NOTIFICATION_STALE_SECONDS", STALE_AFTER.total_seconds())
    )


def _release(rows: list[Notification]) -> None:
    """Hand rows this worker claimed but will not send back to the sweep, due now."""
    for notification in rows:
        _finish(
            notification,
            state=Notification.State.PENDING,
            due_at=timezone.now(),
            attempts=F("attempts") - 1,
        )


def deliver_many(notification_ids: list[int]) -> dict[str, int]:
    """Send a batch of rows over one mail connection; returns how many ended in each state.

    The batch stops at half the stale time and gives its remaining rows back, so the sweep
    never takes a row for abandoned while this worker is still going to send it."""
    counts: dict[str, int] = {}
    rows = claim_many(notification_ids)
    if not rows:
        return counts
    deadline = timezone.now() + stale_after() / 2
    mail = mailers.default
    try:
        with _asynchronous_commits():
            for index, notification in enumerate(rows):
                if timezone.now() > deadline:
                    _release(rows[index:])
                    break
                state = _send(notification, mail)
                counts[state] = counts.get(state, 0) + 1
    finally:
        _close_quietly(mail)
    return counts


@contextlib.contextmanager
def _asynchronous_commits():
    """On PostgreSQL, the "sent" marks of a batch commit without waiting for the disk flush
    (``synchronous_commit = off``): they are visible to every other worker at once, and only
    a database crash in the fraction of a second after could lose one, which makes that row
    a recognisable repeat (same Message-ID), never a loss. Claims stay fully durable."""
    if db_connection.vendor != "postgresql":
        yield
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with db_connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def requeue_stale(now: datetime.datetime | None = None) -> int:
    """Rows whose worker died mid-send go back to PENDING, due now (at-least-once)."""
    now = now or timezone.now()
    return Notification.objects.filter(
        state=Notification.State.SENDING, due_at__lt=now - stale_after()
    ).update(state=Notification.State.PENDING, due_at=now, last_error=STALE)


def due_ids(limit: int = SWEEP_BATCH) -> list[int]:
    """The ids of due PENDING rows, oldest first."""
    return list(
        Notification.objects.filter(state=Notification.State.PENDING, due_at__lte=timezone.now())
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
