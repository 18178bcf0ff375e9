"""A Spanish-speaking mentee's reminder emails are in Spanish, subject, text and HTML alike."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts import delivery
from accounts.models import Notification
from sessions import services

pytestmark = pytest.mark.django_db


def test_a_spanish_speaking_mentee_is_reminded_of_a_session_in_spanish(cast):
    cast.mentee.preferred_language = "es"
    cast.mentee.save()
    session = services.schedule_session(
        actor=cast.mentor,
        match=cast.match,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        expected_minutes=60,
        modality="phone",
        place="",
    )
    rows = Notification.objects.filter(
        recipient=cast.mentee, channel="email", kind="session_reminder", subject_id=session.pk
    )
    for row in rows:
        with time_machine.travel(row.due_at + datetime.timedelta(minutes=1)):
            delivery.deliver(row.pk)

    sent = [message for message in mail.outbox if cast.mentee.email in message.to]
    assert len(sent) == 2
    for message in sent:
        html = message.alternatives[0][0]
        assert "sesión" in message.subject.lower()
        assert "sesión" in message.body.lower()
        assert '<html lang="es">' in html
        text = f"{message.subject} {message.body}".lower()
        assert "your session" not in text and "reminder" not in text
