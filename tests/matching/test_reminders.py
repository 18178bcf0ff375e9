"""Matching's periodic reminders: check-ins due and matches with no recent session to the
coordinators, and one daily digest of proposals per supervisor. Rows have unique keys (a
second run queues nothing), and a row that no longer applies is dropped at send time."""

import datetime

import pytest

from accounts import delivery
from accounts.models import Membership, Notification
from matching import reminders
from matching.models import Match, MatchingSettings
from tests import factories as f
from tests.accounts.test_delivery import smtp  # noqa: F401 - the SMTP server fixture
from tests.sessions.factories import MentoringSessionFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 3, 2)
State = Notification.State


def on(time_machine, n: int) -> datetime.date:
    """The clock at noon, ``n`` days after START."""
    moment = datetime.datetime.combine(START, datetime.time(12), datetime.UTC)
    time_machine.move_to(moment + datetime.timedelta(days=n), tick=False)
    return START + datetime.timedelta(days=n)


@pytest.fixture
def started(cast, time_machine):
    """Only the cast's first match is active, started on START."""
    on(time_machine, 0)
    Match.objects.filter(pk=cast.match2.pk).update(status=Match.Status.PAUSED)
    Match.objects.filter(pk=cast.match.pk).update(started_on=START)
    cast.match.refresh_from_db()
    return cast.match


def rows(kind: str, **filters) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind, **filters).order_by("pk"))


def deliver_all(kind: str) -> set[str]:
    return {delivery.deliver(row.pk) for row in rows(kind)}


# --- Check-in due -------------------------------------------------------------------------


def test_a_due_check_in_reminds_each_coordinator_once(started, cast, time_machine):
    on(time_machine, 14)
    reminders.queue_match_reminders()
    assert rows(reminders.SUPPORT_DUE) == []  # due by day 15: not yet

    on(time_machine, 15)
    reminders.queue_match_reminders()
    reminders.queue_match_reminders()  # a second run (or a second beat) adds nothing

    due = rows(reminders.SUPPORT_DUE)
    assert {(row.recipient, row.channel) for row in due} == {
        (cast.coordinator, "email"),
        (cast.coordinator, "in_app"),
    }
    assert all(row.subject == cast.match for row in due)


def test_a_check_in_logged_before_sending_drops_the_reminder(started, cast, time_machine):
    from matching import services

    on(time_machine, 16)
    reminders.queue_match_reminders()
    services.log_support_contact(
        actor=cast.coordinator,
        match=cast.match,
        contact_date=START + datetime.timedelta(days=16),
        with_whom="both",
        method="phone",
        relationship_health=4,
    )

    assert deliver_all(reminders.SUPPORT_DUE) == {State.CANCELLED}
    assert {row.last_error for row in rows(reminders.SUPPORT_DUE)} == {delivery.NOT_RELEVANT}


def test_a_closed_match_or_a_coordinator_who_left_gets_no_reminder(started, cast, time_machine):
    on(time_machine, 20)
    reminders.queue_match_reminders()
    email, in_app = rows(reminders.SUPPORT_DUE)
    Membership.objects.filter(user=cast.coordinator).update(is_active=False)
    assert delivery.deliver(email.pk) == State.CANCELLED

    Membership.objects.filter(user=cast.coordinator).update(is_active=True)
    Match.objects.filter(pk=cast.match.pk).update(
        status=Match.Status.CLOSED, close_reason=Match.CloseReason.PLANNED_END
    )
    assert delivery.deliver(in_app.pk) == State.CANCELLED


# --- No session for N days ----------------------------------------------------------------


def test_no_session_for_21_days_tells_the_coordinators_once(started, cast, time_machine):
    on(time_machine, 20)
    reminders.queue_match_reminders()
    assert rows(reminders.NO_RECENT_SESSION) == []

    on(time_machine, 21)
    reminders.queue_match_reminders()
    reminders.queue_match_reminders()

    quiet = rows(reminders.NO_RECENT_SESSION)
    assert {(row.recipient, row.channel) for row in quiet} == {
        (cast.coordinator, "email"),
        (cast.coordinator, "in_app"),
    }
    assert deliver_all(reminders.NO_RECENT_SESSION) == {State.SENT}


def test_the_number_of_days_is_the_programs_and_counts_from_the_last_session(
    started, cast, time_machine
):
    MatchingSettings.objects.update_or_create(
        program=cast.program, defaults={"no_session_alert_days": 10}
    )
    held_on = on(time_machine, 5)
    MentoringSessionFactory(match=cast.match, starts_at=timezone_noon(held_on))

    on(time_machine, 14)
    reminders.queue_match_reminders()
    assert rows(reminders.NO_RECENT_SESSION) == []

    on(time_machine, 15)
    reminders.queue_match_reminders()
    assert len(rows(reminders.NO_RECENT_SESSION)) == 2
    assert rows(reminders.NO_RECENT_SESSION)[0].key.startswith(
        f"no-session:{cast.match.pk}:{held_on.isoformat()}:"
    )


def test_a_session_held_before_sending_drops_the_no_session_alert(started, cast, time_machine):
    today = on(time_machine, 22)
    reminders.queue_match_reminders()
    MentoringSessionFactory(match=cast.match, starts_at=timezone_noon(today))

    assert deliver_all(reminders.NO_RECENT_SESSION) == {State.CANCELLED}


def timezone_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(11), datetime.UTC)


# --- Approval digest ----------------------------------------------------------------------


def proposal(cast, mentee_profile=None) -> Match:
    mentee_profile = mentee_profile or f.MenteeProfileFactory(program=cast.program)
    return f.MatchFactory(
        mentee=mentee_profile,
        status=Match.Status.PROPOSED,
        started_on=None,
        proposed_by=cast.coordinator,
    )


def test_supervisors_get_one_daily_digest_of_waiting_proposals(cast, smtp):  # noqa: F811
    proposal(cast)
    proposal(cast)
    other_supervisor = f.MembershipFactory(
        program=cast.other_program, role=Membership.Role.SUPERVISOR
    ).user

    reminders.queue_approval_digests()
    reminders.queue_approval_digests()

    digests = rows(reminders.APPROVAL_DIGEST)
    assert {(row.recipient, row.channel) for row in digests} == {
        (cast.supervisor, "email"),
        (cast.supervisor, "in_app"),
    }
    assert other_supervisor not in {row.recipient for row in digests}
    assert deliver_all(reminders.APPROVAL_DIGEST) == {State.SENT}
    (message,) = smtp.messages
    assert (
        "2 proposed matches are waiting for your approval."
        in message.get_body(preferencelist=("plain",)).get_content()
    )


def test_a_digest_is_dropped_once_every_proposal_is_decided(cast):
    waiting = proposal(cast)
    reminders.queue_approval_digests()
    Match.objects.filter(pk=waiting.pk).update(status=Match.Status.DECLINED)

    assert deliver_all(reminders.APPROVAL_DIGEST) == {State.CANCELLED}
