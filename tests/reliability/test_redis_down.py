"""Redis stopped (a redis-server of the test's own, never the machine's): people sign in, read
pages, log sessions and give feedback as usual; what fell due meanwhile goes out once Redis is
back, none lost and none twice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from sessions.models import MentoringSession, SessionFeedback
from tests.reliability.conftest import wait_for
from tests.sessions.factories import MentoringSessionFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a long enough demo passphrase 2026"
LOG = {
    "status": "held",
    "duration_minutes": "45",
    "modality": "phone",
    "support_types": ["emotional"],
    "summary": "We practised the phone call",
    "private_notes": "",
    "concern": "",
}
ANSWERS = {
    "rating": "4",
    "felt_listened_to": "yes",
    "learned_something": "yes",
    "more_hopeful": "yes",
    "wants_contact": "no",
    "comment": "",
}


def due_unsent() -> list[Notification]:
    return list(
        Notification.objects.filter(
            due_at__lte=timezone.now(),
            state__in=[Notification.State.PENDING, Notification.State.SENDING],
        )
    )


def test_with_redis_down_people_keep_working_and_nothing_due_is_lost_or_doubled(
    cast, client, login, broker, processes, smtp_server
):
    session = MentoringSessionFactory(
        match=cast.match, scheduled=True, starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    held = MentoringSessionFactory(match=cast.match)
    cast.mentee.set_password(PASSWORD)
    cast.mentee.save()
    broker.stop()

    # The mentee signs in with a password and reads pages.
    signed_in = client.post(reverse("login"), {"username": cast.mentee.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    for page in (reverse("home"), reverse("accounts:notification_list")):
        response = client.get(page)
        assert response.status_code == 200
        assert response.wsgi_request.user == cast.mentee
    # ... and says how a session went (this queues "please contact" rows on commit, maybe).
    answered = client.post(reverse("mentoring_sessions:feedback_give", args=[held.pk]), ANSWERS)
    assert answered.status_code == 302
    assert SessionFeedback.objects.filter(session=held).exists()

    # The mentor logs a session: the feedback invitation is due at once.
    mentor = login(cast.mentor)
    logged = mentor.post(reverse("mentoring_sessions:session_log", args=[session.pk]), LOG)
    assert logged.status_code == 302
    session.refresh_from_db()
    assert session.status == MentoringSession.Status.HELD
    waiting = due_unsent()
    assert {row.kind for row in waiting} >= {"feedback_invitation"}
    emails = [row.pk for row in waiting if row.channel == Notification.Channel.EMAIL]

    # Redis returns; beat's sweep hands the due rows to a worker.
    broker.start()
    processes.worker()
    processes.beat()
    wait_for(lambda: not due_unsent(), timeout=40, what="every due row to be delivered")

    sent = Notification.objects.filter(pk__in=[row.pk for row in waiting])
    assert set(sent.values_list("state", flat=True)) == {Notification.State.SENT}
    counts = smtp_server.counts
    assert sorted(counts) == sorted(f"<notification-{pk}@peerpath.example.org>" for pk in emails)
    assert set(counts.values()) == {1}
