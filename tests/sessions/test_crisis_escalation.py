"""Crisis escalation: the on-call supervisors are alerted at once on every channel; an alert
nobody acknowledges within the program's escalation time (30 minutes by default) goes to every
supervisor of the program and of its center, once."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from accounts import delivery
from accounts.models import Membership, Notification
from mentorship.celery import app as celery_app
from sessions import services
from sessions.models import CrisisSettings, SafetyAlert
from sessions.tasks import escalate_safety_alerts
from tests import factories as f

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def supervisor_of(program):
    user = f.UserFactory()
    f.MembershipFactory(user=user, program=program, role=Membership.Role.SUPERVISOR)
    return user


def raise_alert(cast) -> SafetyAlert:
    return services.raise_safety_alert(
        mentee=cast.mentee_profile, source=SafetyAlert.Source.FEEDBACK, raised_by=cast.mentee
    )


def recipients(alert, kind: str) -> set:
    rows = Notification.objects.filter(kind=kind, subject_id=alert.pk)
    return {row.recipient for row in rows}


def channels(alert, kind: str, user) -> set:
    rows = Notification.objects.filter(kind=kind, subject_id=alert.pk, recipient=user)
    return set(rows.values_list("channel", flat=True))


@pytest.fixture
def at(time_machine):
    def _at(minutes: float):
        time_machine.move_to(T0 + datetime.timedelta(minutes=minutes), tick=False)

    _at(0)
    return _at


def test_the_on_call_supervisors_alone_are_alerted_first_on_every_channel(cast):
    second = supervisor_of(cast.program)
    crisis = CrisisSettings.objects.create(program=cast.program)
    crisis.on_call_supervisors.set([second])
    second.notify_email = False
    second.save()
    alert = raise_alert(cast)
    assert recipients(alert, "safety_alert") == {second}
    assert channels(alert, "safety_alert", second) == {"email", "in_app"}


def test_without_on_call_supervisors_every_supervisor_of_the_program_is_alerted(cast):
    second = supervisor_of(cast.program)
    alert = raise_alert(cast)
    assert recipients(alert, "safety_alert") == {cast.supervisor, second}


def test_an_unacknowledged_alert_escalates_after_30_minutes_not_before_and_once(cast, at):
    same_center = f.ProgramFactory(center=cast.program.center)
    center_supervisor = supervisor_of(same_center)
    other_center_supervisor = supervisor_of(cast.other_program)
    alert = raise_alert(cast)

    at(29)
    assert escalate_safety_alerts() == 0
    assert recipients(alert, "safety_alert_escalated") == set()

    at(31)
    assert escalate_safety_alerts() == 1
    alert.refresh_from_db()
    assert alert.escalated_at == T0 + datetime.timedelta(minutes=31)
    escalated_to = recipients(alert, "safety_alert_escalated")
    assert escalated_to == {cast.supervisor, center_supervisor}
    assert other_center_supervisor not in escalated_to
    assert channels(alert, "safety_alert_escalated", center_supervisor) == {"email", "in_app"}

    count = Notification.objects.count()
    at(45)
    assert escalate_safety_alerts() == 0
    assert Notification.objects.count() == count


def test_an_acknowledged_alert_does_not_escalate(cast, at):
    alert = raise_alert(cast)
    at(10)
    services.acknowledge_alert(actor=cast.supervisor, alert=alert)
    at(60)
    assert escalate_safety_alerts() == 0
    assert recipients(alert, "safety_alert_escalated") == set()


def test_working_an_alert_acknowledges_it_and_stops_escalation(cast, at):
    alert = raise_alert(cast)
    at(5)
    services.add_alert_note(actor=cast.supervisor, alert=alert, text="Calling now.")
    alert.refresh_from_db()
    assert alert.acknowledged_by == cast.supervisor
    at(60)
    assert escalate_safety_alerts() == 0


def test_the_escalation_time_is_set_per_program(cast, at):
    CrisisSettings.objects.create(program=cast.program, escalation_minutes=10)
    alert = raise_alert(cast)
    at(9)
    assert escalate_safety_alerts() == 0
    at(11)
    assert escalate_safety_alerts() == 1
    assert recipients(alert, "safety_alert_escalated") == {cast.supervisor}


def test_an_escalated_alert_is_open_to_the_centers_supervisors(cast, at, login):
    center_supervisor = supervisor_of(f.ProgramFactory(center=cast.program.center))
    alert = raise_alert(cast)
    assert not SafetyAlert.objects.visible_to(center_supervisor).exists()
    at(31)
    escalate_safety_alerts()
    client = login(center_supervisor)
    url = reverse("mentoring_sessions:alert_detail", args=[alert.pk])
    assert client.get(url).status_code == 200
    assert "Open safety alerts (1)" in client.get(reverse("home")).text
    services.acknowledge_alert(actor=center_supervisor, alert=alert)
    alert.refresh_from_db()
    assert alert.acknowledged_by == center_supervisor


def test_the_escalation_sweep_runs_every_minute_on_beat():
    entry = celery_app.conf.beat_schedule["escalate-safety-alerts"]
    assert entry["task"] == "sessions.tasks.escalate_safety_alerts"
    assert entry["schedule"] == 60.0
    assert "sessions.tasks.escalate_safety_alerts" in celery_app.tasks


def test_the_alert_email_links_to_the_alert_and_says_nothing_about_the_person(cast):
    alert = raise_alert(cast)
    row = Notification.objects.get(
        kind="safety_alert", subject_id=alert.pk, channel="email", recipient=cast.supervisor
    )
    delivery.deliver(row.pk)
    (email,) = mail.outbox
    assert reverse("mentoring_sessions:alert_detail", args=[alert.pk]) in email.body
    assert cast.mentee.display_name not in email.body
    assert cast.program.name in email.body
