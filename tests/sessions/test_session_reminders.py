"""Session reminders are outbox rows written with the schedule, moved and cancelled with it,
and dropped at delivery when the session no longer needs them."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts import delivery
from accounts.models import Notification
from sessions import services

pytestmark = pytest.mark.django_db


def _schedule(cast, days=3):
    return services.schedule_session(
        actor=cast.mentor,
        match=cast.match,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        expected_minutes=60,
        modality="phone",
        place="",
    )


def _reminders(session, **filters):
    return Notification.objects.filter(
        kind__in=["session_reminder", "session_not_logged"],
        subject_id=session.pk,
        **filters,
    )


def test_scheduling_queues_24h_and_2h_reminders_for_both_and_a_log_reminder(cast):
    session = _schedule(cast)
    reminders = _reminders(session, kind="session_reminder", channel="in_app")
    assert sorted((n.recipient.email, session.starts_at - n.due_at) for n in reminders) == sorted(
        (person.email, before)
        for person in (cast.mentor, cast.mentee)
        for before in (datetime.timedelta(hours=24), datetime.timedelta(hours=2))
    )
    not_logged = _reminders(session, kind="session_not_logged", channel="in_app").get()
    assert not_logged.recipient == cast.mentor
    assert not_logged.due_at == session.starts_at + datetime.timedelta(days=1)


def test_moving_a_session_moves_its_reminders(cast):
    session = _schedule(cast)
    new_start = session.starts_at + datetime.timedelta(days=2)
    services.reschedule_session(
        actor=cast.mentor,
        session=session,
        starts_at=new_start,
        expected_minutes=60,
        modality="phone",
        place="",
    )
    pending = _reminders(session, state="pending", kind="session_reminder")
    assert {new_start - n.due_at for n in pending} == {
        datetime.timedelta(hours=24),
        datetime.timedelta(hours=2),
    }
    # Every first row was cancelled: 2 reminders × 2 people × 2 channels + the mentor's
    # "not logged" on 2 channels.
    assert _reminders(session, state="cancelled").count() == 10


def test_cancelling_a_session_cancels_its_reminders(cast):
    session = _schedule(cast)
    services.cancel_session(actor=cast.mentor, session=session, reason="Mentee is unwell")
    assert not _reminders(session, state="pending").exists()


def test_reminder_of_a_logged_session_is_dropped_at_delivery(cast):
    session = _schedule(cast, days=2)
    reminder = _reminders(session, kind="session_not_logged", channel="email").get()
    session.status = "held"
    session.duration_minutes = 60
    session.save()
    with time_machine.travel(session.starts_at + datetime.timedelta(days=1, minutes=1)):
        delivery.deliver(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.state == "cancelled"
    assert mail.outbox == []


def test_day_before_reminder_is_delivered_when_due(cast):
    session = _schedule(cast, days=2)
    reminder = (
        _reminders(session, kind="session_reminder", channel="email", recipient=cast.mentee)
        .order_by("due_at")
        .first()
    )
    with time_machine.travel(reminder.due_at + datetime.timedelta(minutes=1)):
        delivery.deliver(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.state == "sent"
    assert mail.outbox[0].to == [cast.mentee.email]
    assert "session coming up" in mail.outbox[0].subject
