"""Session reminder emails: plain text and HTML in the recipient's language, with the session
as an iCalendar attachment whose UID is stable and whose SEQUENCE grows when it moves."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import delivery
from accounts.models import Notification
from sessions import services
from sessions.models import MentoringSession
from sessions.notifications import session_calendar
from tests.accounts.test_delivery import html_of, smtp, text_of  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

PRIVATE = "PRIVATE-NOTE-MARKER"


def schedule(cast, *, days: int = 3) -> MentoringSession:
    return services.schedule_session(
        actor=cast.mentor,
        match=cast.match,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        expected_minutes=45,
        modality="in_person",
        place="Library, room 4",
    )


def deliver_due_reminders(session: MentoringSession, person) -> None:
    for row in Notification.objects.filter(
        kind="session_reminder", recipient=person, channel="email", state="pending"
    ).filter(subject_id=session.pk):
        Notification.objects.filter(pk=row.pk).update(due_at=timezone.now())
        delivery.deliver(row.pk)


def calendar_of(message) -> str:
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "session.ics"
    return part.get_content()


def fields(ics: str) -> dict[str, str]:
    unfolded = ics.replace("\r\n ", "")
    return dict(line.split(":", 1) for line in unfolded.split("\r\n") if ":" in line)


def test_a_session_reminder_carries_the_session_as_a_calendar_event(smtp, cast):  # noqa: F811
    session = schedule(cast)
    MentoringSession.objects.filter(pk=session.pk).update(private_notes=PRIVATE)

    deliver_due_reminders(session, cast.mentee)

    message = smtp.messages[0]
    assert message["Subject"] == "Reminder: you have a mentoring session coming up"
    ics = fields(calendar_of(message))
    assert ics["METHOD"] == "PUBLISH"
    assert ics["UID"] == f"session-{session.pk}@peerpath.example.org"
    assert ics["SEQUENCE"] == "0"
    start = session.starts_at.astimezone(datetime.UTC)
    assert ics["DTSTART"] == start.strftime("%Y%m%dT%H%M%SZ")
    end = start + datetime.timedelta(minutes=45)
    assert ics["DTEND"] == end.strftime("%Y%m%dT%H%M%SZ")
    assert ics["LOCATION"] == "Library\\, room 4"
    assert PRIVATE not in text_of(message) + html_of(message) + calendar_of(message)


def test_moving_a_session_keeps_the_uid_and_bumps_the_sequence(smtp, cast):  # noqa: F811
    session = schedule(cast)
    first = fields(session_calendar(session))
    services.reschedule_session(
        actor=cast.mentor,
        session=session,
        starts_at=session.starts_at + datetime.timedelta(days=1),
        expected_minutes=45,
        modality="in_person",
    )
    session.refresh_from_db()

    deliver_due_reminders(session, cast.mentor)

    moved = fields(calendar_of(smtp.messages[0]))
    assert moved["UID"] == first["UID"]
    assert int(moved["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert moved["DTSTART"] != first["DTSTART"]


def test_a_cancelled_session_calendar_cancels_the_event(cast):
    session = schedule(cast)
    before = fields(session_calendar(session))
    services.cancel_session(actor=cast.mentor, session=session, reason="Mentor is unwell")
    session.refresh_from_db()

    ics = fields(session_calendar(session))

    assert ics["METHOD"] == "CANCEL"
    assert ics["STATUS"] == "CANCELLED"
    assert ics["UID"] == before["UID"]
    assert int(ics["SEQUENCE"]) > int(before["SEQUENCE"])
    assert "unwell" not in session_calendar(session)


def test_the_reminder_is_written_in_the_recipients_language(smtp, cast):  # noqa: F811
    cast.mentee.preferred_language = "es"
    cast.mentee.save()
    session = schedule(cast)

    deliver_due_reminders(session, cast.mentee)

    message = smtp.messages[0]
    assert '<html lang="es">' in html_of(message)
    assert text_of(message)
    assert calendar_of(message)


def test_a_session_for_tomorrow_reaches_the_demos_mail_folder_and_the_bell(
    cast, settings, tmp_path, time_machine, login
):
    """The demo (``bin/run``) writes email to files under ``var/mail`` (``EMAIL_URL``'s
    default); what its worker does at the reminder's due time, done here in-process."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    time_machine.move_to(timezone.now(), tick=False)
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    session = services.schedule_session(
        actor=cast.mentor,
        match=cast.match,
        starts_at=tomorrow.replace(hour=17, minute=30, second=0, microsecond=0),
        expected_minutes=60,
        modality="in_person",
        place="Community center",
    )

    time_machine.move_to(session.starts_at - datetime.timedelta(hours=24), tick=False)
    delivery.deliver_many(delivery.due_ids())

    mail = "".join(path.read_text() for path in tmp_path.iterdir())
    assert mail.count("Subject: Reminder: you have a mentoring session coming up") == 2
    assert mail.count("Content-Type: text/calendar") == 2
    for person in ("mentor@example.org", "mentee@example.org"):
        assert f"To: {person}" in mail
    body = login(cast.mentee).get(reverse("accounts:notification_list")).content.decode()
    assert "Notifications, 1 unread" in body
    assert "Reminder: you have a mentoring session coming up" in body
