"""Delivering the outbox against a real SMTP server started by the test (aiosmtpd)."""

import datetime
import email
import re
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from accounts import delivery
from accounts.models import Notification
from accounts.services import queue_notification
from accounts.tasks import deliver_notification, deliver_notifications, sweep_notifications
from matching.models import Match
from tests import factories as f
from tests.sessions.factories import MentoringSessionFactory


class RecordingHandler:
    """Keeps every message the server accepts, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_smtp(settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def smtp(settings):
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    use_smtp(settings, port)
    settings.SITE_URL = "https://peerpath.example.org"
    yield handler
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """Nothing listens on this port: every connection is refused."""
    use_smtp(settings, free_port())


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def one(user, kind="supervisor_note", channel=Notification.Channel.EMAIL, **kwargs):
    rows = queue_notification(
        recipient=user, kind=kind, key=f"test-{kind}", channels=[channel], **kwargs
    )
    assert len(rows) == 1
    return rows[0]


def reload(row):
    row.refresh_from_db()
    return row


@pytest.fixture
def user(db):
    return f.UserFactory(email="person@example.org", display_name="Person")


def test_due_email_is_sent_once_with_a_stable_message_id(smtp, user):
    row = one(user)

    assert delivery.deliver(row.pk) == Notification.State.SENT
    assert delivery.deliver(row.pk) is None
    deliver_notification.run(row.pk)

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["Message-ID"] == f"<notification-{row.pk}@peerpath.example.org>"
    assert message["To"] == "person@example.org"
    assert message["Subject"] == "Your supervisor left a note"
    assert "https://peerpath.example.org/" in text_of(message)
    assert 'href="https://peerpath.example.org/"' in html_of(message)
    row = reload(row)
    assert row.state == Notification.State.SENT
    assert row.attempts == 1
    assert row.sent_at is not None


def test_rows_not_yet_due_are_not_sent(smtp, user):
    row = one(user, due_at=timezone.now() + datetime.timedelta(hours=1))

    assert delivery.deliver(row.pk) is None
    assert sweep_notifications.run() == 0

    assert smtp.messages == []
    assert reload(row).state == Notification.State.PENDING
    assert reload(row).attempts == 0


def test_server_down_retries_later_with_backoff(smtp_down, user):
    row = one(user)
    before = timezone.now()

    assert delivery.deliver(row.pk) == Notification.State.PENDING

    row = reload(row)
    assert row.attempts == 1
    assert row.state == Notification.State.PENDING
    assert row.last_error.startswith("ConnectionRefusedError")
    delay = row.due_at - before
    assert datetime.timedelta(seconds=47) <= delay <= datetime.timedelta(seconds=73)
    # Not due again yet, so an immediate second attempt does nothing.
    assert delivery.deliver(row.pk) is None


def test_backoff_doubles_and_is_capped():
    for attempts, seconds in [(1, 60), (2, 120), (3, 240), (7, 3600), (20, 3600)]:
        delay = delivery.backoff(attempts).total_seconds()
        assert seconds * 0.8 <= delay <= seconds * 1.2


def test_gives_up_after_max_attempts(smtp_down, user):
    row = one(user)
    for _ in range(delivery.MAX_ATTEMPTS):
        Notification.objects.filter(pk=row.pk).update(due_at=timezone.now())
        delivery.deliver(row.pk)

    row = reload(row)
    assert row.state == Notification.State.FAILED
    assert row.attempts == delivery.MAX_ATTEMPTS
    assert "ConnectionRefusedError" in row.last_error
    Notification.objects.filter(pk=row.pk).update(due_at=timezone.now())
    assert delivery.deliver(row.pk) is None


def test_two_claims_of_one_row_only_one_wins(user):
    row = one(user)

    assert delivery.claim(row.pk) is not None
    assert delivery.claim(row.pk) is None
    assert reload(row).state == Notification.State.SENDING


def test_stale_sending_row_is_requeued_by_the_sweep_and_sent_once(smtp, user, monkeypatch):
    row = one(user)
    assert delivery.claim(row.pk) is not None  # a worker claimed it, then died
    handed_out = []

    def run_now(args, **options):
        handed_out.extend(args[0])
        delivery.deliver_many(args[0])

    monkeypatch.setattr(deliver_notifications, "apply_async", run_now)

    # Still fresh: the sweep leaves it alone.
    sweep_notifications.run()
    assert handed_out == []
    assert reload(row).state == Notification.State.SENDING

    Notification.objects.filter(pk=row.pk).update(
        due_at=timezone.now() - delivery.STALE_AFTER - datetime.timedelta(seconds=1)
    )
    sweep_notifications.run()
    sweep_notifications.run()

    assert handed_out == [row.pk]
    assert len(smtp.messages) == 1
    row = reload(row)
    assert row.state == Notification.State.SENT
    assert row.attempts == 2


def test_sweep_hands_out_only_ids(user, monkeypatch):
    row = one(user)
    handed_out = []
    monkeypatch.setattr(
        deliver_notifications, "apply_async", lambda args, **options: handed_out.append(args)
    )

    assert sweep_notifications.run() == 1
    assert handed_out == [[[row.pk]]]


def test_feedback_invitation_email_has_a_working_one_time_link(smtp, db, client):
    from sessions import services

    session = MentoringSessionFactory(private_notes="PRIVATE-NOTE-MARKER")
    services.invite_feedback(session=session)
    rows = Notification.objects.filter(kind="feedback_invitation")

    for row in rows:
        assert delivery.deliver(row.pk) == Notification.State.SENT

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    body = text_of(message)
    assert "PRIVATE-NOTE-MARKER" not in body + html_of(message)
    assert session.summary not in body
    url = re.search(r"https://peerpath\.example\.org(/\S+)", body).group(1)
    response = client.get(url)
    assert response.status_code == 200
    assert b"<form" in response.content
    assert rows.get(channel="in_app").state == Notification.State.SENT


def test_feedback_reminder_cancelled_once_answered(smtp, db):
    from sessions.models import SessionFeedback

    session = MentoringSessionFactory()
    row = one(session.match.mentee.user, kind="feedback_reminder", subject=session)
    SessionFeedback.objects.create(
        session=session,
        answered_by=session.match.mentee.user,
        rating=4,
        felt_listened_to="yes",
        learned_something="yes",
        more_hopeful="yes",
    )

    assert delivery.deliver(row.pk) == Notification.State.CANCELLED
    assert reload(row).last_error == delivery.NOT_RELEVANT
    assert smtp.messages == []


def test_email_turned_off_gets_in_app_only_except_safety_alerts(smtp, cast):
    from sessions import services
    from sessions.models import SafetyAlert

    user = cast.supervisor
    user.notify_by_email = False
    user.save()
    queue_notification(recipient=user, kind="supervisor_note", key="note")
    services.raise_safety_alert(
        mentee=cast.mentee_profile, source=SafetyAlert.Source.CHECK_IN, raised_by=cast.mentee
    )
    mine = Notification.objects.filter(recipient=user)

    for row in mine:
        delivery.deliver(row.pk)

    states = {(r.kind, r.channel): r.state for r in mine.all()}
    assert states == {
        ("supervisor_note", "email"): Notification.State.CANCELLED,
        ("supervisor_note", "in_app"): Notification.State.SENT,
        ("safety_alert", "email"): Notification.State.SENT,
        ("safety_alert", "in_app"): Notification.State.SENT,
    }
    assert [m["Subject"] for m in smtp.messages] == ["A safety alert needs your attention"]


def test_recipient_without_email_is_cancelled_not_retried(smtp, user):
    row = one(user)
    user.email = None
    user.save()

    assert delivery.deliver(row.pk) == Notification.State.CANCELLED
    assert reload(row).last_error == delivery.NO_EMAIL


def test_approval_request_for_a_decided_match_is_cancelled(smtp, cast):
    proposed = f.MatchFactory(
        mentee=f.MenteeProfileFactory(program=cast.program),
        status=Match.Status.PROPOSED,
        proposed_by=cast.coordinator,
    )
    still = one(cast.supervisor, kind="match_awaiting_approval", subject=proposed)
    decided = queue_notification(
        recipient=cast.supervisor,
        kind="match_awaiting_approval",
        key="decided",
        subject=cast.match,
        channels=["email"],
    )[0]

    assert delivery.deliver(decided.pk) == Notification.State.CANCELLED
    assert reload(decided).last_error == "no longer relevant"
    assert delivery.deliver(still.pk) == Notification.State.SENT
    assert len(smtp.messages) == 1


def test_email_is_written_in_the_recipients_language(smtp, user):
    user.preferred_language = "es"
    user.save()
    row = one(user)

    delivery.deliver(row.pk)

    html = html_of(smtp.messages[0])
    assert '<html lang="es">' in html
