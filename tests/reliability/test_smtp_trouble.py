"""The SMTP server refuses or stalls: each row is retried with backoff and delivered once the
server recovers; after the last retry it is marked failed and shown to the program's staff."""

import datetime
import socket

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import delivery
from accounts.models import Notification
from accounts.services import queue_notification
from tests import factories as f
from tests.reliability.conftest import free_port

pytestmark = pytest.mark.django_db

State = Notification.State


def email_row(user, kind="supervisor_note") -> Notification:
    return queue_notification(recipient=user, kind=kind, key="trouble", channels=["email"])[0]


def reload(row: Notification) -> Notification:
    row.refresh_from_db()
    return row


def attempt_when_due(row: Notification, traveller) -> str | None:
    """Let the clock run to the row's next due time, then try again."""
    traveller.move_to(reload(row).due_at + datetime.timedelta(seconds=1), tick=False)
    return delivery.deliver(row.pk)


def assert_backed_off(row: Notification, attempts: int) -> None:
    """Pending again, due 60 s x 2^(attempts-1) from now, give or take the jitter."""
    row = reload(row)
    assert row.state == State.PENDING
    assert row.attempts == attempts
    nominal = delivery.BACKOFF_BASE.total_seconds() * 2 ** (attempts - 1)
    delay = (row.due_at - timezone.now()).total_seconds()
    assert nominal * 0.8 <= delay <= nominal * 1.2


@pytest.mark.parametrize("refusal", ["451 4.3.0 Try again later", "554 5.7.1 Not now"])
def test_a_refusing_server_gets_retries_with_backoff_and_the_email_when_it_recovers(
    smtp_server, cast, refusal, time_machine
):
    row = email_row(cast.mentor)
    smtp_server.reply = refusal
    time_machine.move_to(timezone.now(), tick=False)
    assert delivery.deliver(row.pk) == State.PENDING
    assert reload(row).last_error.startswith("SMTP")
    assert_backed_off(row, 1)
    assert delivery.deliver(row.pk) is None  # not due again yet

    assert attempt_when_due(row, time_machine) == State.PENDING
    assert_backed_off(row, 2)

    smtp_server.reply = "250 OK"
    assert attempt_when_due(row, time_machine) == State.SENT

    assert smtp_server.counts == {delivery.message_id(row): 1}
    assert reload(row).attempts == 3


@pytest.fixture
def silent_server(settings):
    """Accepts TCP connections and never says a word: the client's timeout fires."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", free_port()))
        listener.listen(8)
        yield listener.getsockname()[1]


def point_mail_at(settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 1},
        }
    }


def test_a_server_that_times_out_gets_retries_and_the_email_when_it_answers(
    smtp_server, silent_server, settings, cast, time_machine
):
    row = email_row(cast.mentor)
    point_mail_at(settings, silent_server)
    assert delivery.deliver(row.pk) == State.PENDING
    assert "timed out" in reload(row).last_error.lower()

    point_mail_at(settings, smtp_server.port)
    assert attempt_when_due(row, time_machine) == State.SENT

    assert smtp_server.counts == {delivery.message_id(row): 1}


def test_after_the_last_retry_the_email_is_failed_and_its_programs_staff_see_it(
    smtp_server, cast, login, time_machine
):
    row = email_row(cast.mentee)
    smtp_server.reply = "451 4.3.0 Try again later"
    assert delivery.deliver(row.pk) == State.PENDING
    for _ in range(delivery.MAX_ATTEMPTS - 2):
        assert attempt_when_due(row, time_machine) == State.PENDING
    assert attempt_when_due(row, time_machine) == State.FAILED
    assert attempt_when_due(row, time_machine) is None  # failed rows are not retried

    assert reload(row).attempts == delivery.MAX_ATTEMPTS
    assert smtp_server.received == []
    page = reverse("accounts:undelivered_notifications")
    bell_page = login(cast.coordinator).get(reverse("accounts:notification_list"))
    assert page in bell_page.content.decode()
    for staff in (cast.coordinator, cast.supervisor):
        body = login(staff).get(page).content.decode()
        assert "Mentee One" in body
        assert "Your supervisor left a note" in body
        assert "451" in body
    assert "Mentee One" not in login(cast.outsider).get(page).content.decode()
    assert login(cast.mentor).get(page).status_code == 404


def test_staff_see_no_email_on_file_for_their_programs_people_only(cast, login):
    cast.mentee2.email = None
    cast.mentee2.save()
    outsider_mentee = f.MenteeProfileFactory(program=cast.other_program, user__email=None)
    page = reverse("accounts:undelivered_notifications")

    body = login(cast.coordinator).get(page).content.decode()

    assert "Mentee Two" in body
    assert "no email on file" in body
    assert outsider_mentee.user.display_name not in body
    assert "Mentee One" not in body


def test_a_persons_page_says_no_email_on_file(cast, login):
    cast.mentee2.email = None
    cast.mentee2.save()
    client = login(cast.coordinator)

    without = client.get(reverse("accounts:mentee_detail", args=[cast.mentee2_profile.pk]))
    with_email = client.get(reverse("accounts:mentee_detail", args=[cast.mentee_profile.pk]))

    assert "no email on file" in without.content.decode()
    assert "no email on file" not in with_email.content.decode()
