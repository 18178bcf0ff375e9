"""Bad input on the delivery side: no email address, an invalid one, and notifications about
records the recipient can no longer see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import delivery
from accounts.models import Consent, Notification
from accounts.services import queue_notification, revoke_consent
from matching.models import Match
from tests.accounts.test_delivery import smtp  # noqa: F401 - the SMTP server fixture
from tests.sessions.factories import MentoringSessionFactory

pytestmark = pytest.mark.django_db

State = Notification.State


def test_a_person_without_email_gets_the_reminder_in_the_app_only(smtp, cast, login):  # noqa: F811
    cast.mentee.email = None
    cast.mentee.save()

    rows = queue_notification(recipient=cast.mentee, kind="supervisor_note", key="no-email")

    assert [row.channel for row in rows] == [Notification.Channel.IN_APP]
    assert delivery.deliver(rows[0].pk) == State.SENT
    assert smtp.messages == []
    body = login(cast.mentee).get(reverse("accounts:notification_list")).content.decode()
    assert "A new note from your supervisor" in body


def test_an_invalid_address_is_refused_on_the_settings_form_keeping_what_was_typed(cast, login):
    client = login(cast.mentor)
    response = client.post(
        reverse("accounts:my_settings"),
        {
            "display_name": "Mentor One",
            "email": "mentor at example",
            "preferred_language": "en",
            "time_zone": "America/New_York",
            "notify_by_email": "on",
            "notify_in_app": "on",
        },
    )

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert 'value="mentor at example"' in response.content.decode()
    cast.mentor.refresh_from_db()
    assert cast.mentor.email == "mentor@example.org"


def test_a_case_managers_notification_is_dropped_once_consent_is_revoked(smtp, cast):  # noqa: F811
    def share(key):
        return queue_notification(
            recipient=cast.case_manager,
            kind="share_case_manager",
            key=key,
            subject=cast.mentee_profile,
            channels=["email"],
        )[0]

    before, after = share("before"), share("after")
    assert delivery.deliver(before.pk) == State.SENT
    consent = Consent.objects.get(kind=Consent.Kind.SHARE_WITH_CASE_MANAGER)
    revoke_consent(actor=cast.coordinator, consent=consent)

    assert delivery.deliver(after.pk) == State.CANCELLED
    after.refresh_from_db()
    assert after.last_error == delivery.NOT_RELEVANT
    assert len(smtp.messages) == 1


def test_a_session_reminder_is_dropped_once_the_match_closes(smtp, cast):  # noqa: F811
    session = MentoringSessionFactory(match=cast.match, scheduled=True)
    (row,) = queue_notification(
        recipient=cast.mentee,
        kind="session_reminder",
        key="closing",
        subject=session,
        channels=["email"],
    )
    Match.objects.filter(pk=cast.match.pk).update(
        status=Match.Status.CLOSED,
        close_reason=Match.CloseReason.PLANNED_END,
        closed_on=timezone.localdate() - datetime.timedelta(days=1),
    )

    assert delivery.deliver(row.pk) == State.CANCELLED
    assert smtp.messages == []
