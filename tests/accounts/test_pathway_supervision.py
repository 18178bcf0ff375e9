"""Certification reminders, supervision cadence and overdue meetings, and the private
well-being check-in."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Notification
from accounts.pathway import selectors, services
from accounts.pathway.models import WellbeingCheckIn
from mentorship.celery import app
from sessions.models import SupervisionMeeting
from tests.accounts.pathway_factories import certify, days_ago

pytestmark = pytest.mark.django_db


def reminders():
    return Notification.objects.filter(kind="certification_expiring")


# --- Certification reminders ---------------------------------------------------------------


def test_an_expiring_certification_reminds_the_mentor_and_the_coordinator(cast):
    cast.mentor_profile.certifications.all().delete()
    certify(cast.mentor_profile, issued_on=days_ago(345))  # 20 days left
    assert services.remind_expiring_certifications() == 1
    assert set(reminders().values_list("recipient", flat=True)) == {
        cast.mentor.pk,
        cast.coordinator.pk,
    }


def test_running_the_reminders_twice_queues_nothing_new(cast):
    cast.mentor_profile.certifications.all().delete()
    certify(cast.mentor_profile, issued_on=days_ago(345))
    services.remind_expiring_certifications()
    count = reminders().count()
    services.remind_expiring_certifications()
    assert reminders().count() == count


def test_a_week_before_expiry_a_second_reminder_is_sent(cast):
    cast.mentor_profile.certifications.all().delete()
    cert = certify(cast.mentor_profile, issued_on=days_ago(345))
    services.remind_expiring_certifications()
    later = cert.expires_on - datetime.timedelta(days=5)
    services.remind_expiring_certifications(today=later)
    assert reminders().filter(recipient=cast.mentor).count() == 4  # email + in-app, twice


def test_a_certification_far_from_expiry_sends_no_reminder(cast):
    assert services.remind_expiring_certifications() == 0
    assert not reminders().exists()


def test_a_renewed_certification_sends_no_reminder(cast):
    certify(cast.mentor_profile, issued_on=days_ago(345))
    assert services.remind_expiring_certifications() == 0


def test_the_reminders_run_on_the_beat_schedule():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "accounts.pathway.tasks.remind_expiring_certifications" in tasks


# --- Supervision cadence -------------------------------------------------------------------


def meet(mentor, supervisor, when):
    return SupervisionMeeting.objects.create(
        program=mentor.program, mentor=mentor, supervisor=supervisor, met_on=when, topics="x"
    )


def test_a_mentor_not_supervised_within_the_cadence_is_overdue(cast):
    meet(cast.mentor_profile, cast.supervisor, days_ago(45))
    status = selectors.supervision_status([cast.mentor_profile])[cast.mentor_profile.pk]
    assert status.is_overdue and status.overdue_days == 15


def test_late_meetings_are_counted_in_the_mentor_record(cast):
    for days in (200, 100, 80):
        meet(cast.mentor_profile, cast.supervisor, days_ago(days))
    status = selectors.supervision_status([cast.mentor_profile])[cast.mentor_profile.pk]
    # 200→100 was late, and the current gap of 80 days is overdue.
    assert status.late_count == 2


def test_the_cadence_is_the_programs(cast):
    settings = selectors.pathway_settings(cast.program)
    settings.supervision_cadence_days = 60
    settings.save()
    meet(cast.mentor_profile, cast.supervisor, days_ago(45))
    status = selectors.supervision_status([cast.mentor_profile])[cast.mentor_profile.pk]
    assert not status.is_overdue


def test_overdue_supervision_is_flagged_on_the_supervisors_home(login, cast):
    meet(cast.mentor_profile, cast.supervisor, days_ago(45))
    meet(cast.mentor2_profile, cast.supervisor, days_ago(3))
    body = login(cast.supervisor).get(reverse("home")).content.decode()
    assert "Supervision overdue (1)" in body
    assert "15 days overdue" in body


def test_the_overdue_panel_is_not_on_a_coordinators_home(login, cast):
    meet(cast.mentor_profile, cast.supervisor, days_ago(45))
    assert (
        "Supervision overdue" not in login(cast.coordinator).get(reverse("home")).content.decode()
    )


# --- Well-being check-in -------------------------------------------------------------------


def checkin_url(c):
    return reverse("accounts:pathway_wellbeing", args=[c.mentor_profile.pk])


def test_a_mentor_checks_in_privately(login, cast):
    response = login(cast.mentor).post(
        checkin_url(cast), {"feeling": "up_and_down", "note": "A hard week MARKER-WB"}
    )
    assert response.status_code == 302
    assert WellbeingCheckIn.objects.get().feeling == "up_and_down"
    assert not Notification.objects.filter(kind="mentor_wellbeing_contact").exists()


def test_asking_for_contact_notifies_the_supervisor_without_the_words(login, cast):
    login(cast.mentor).post(
        checkin_url(cast),
        {"feeling": "struggling", "note": "MARKER-WB", "wants_contact": "on"},
    )
    note = Notification.objects.get(kind="mentor_wellbeing_contact", channel="in_app")
    assert note.recipient == cast.supervisor


def test_the_check_in_is_seen_by_the_supervisor_and_not_by_the_coordinator(login, cast, client):
    services.submit_wellbeing_checkin(
        user=cast.mentor, mentor=cast.mentor_profile, feeling="steady", note="MARKER-WB"
    )
    page = reverse("accounts:pathway_mentor", args=[cast.mentor_profile.pk])
    assert "MARKER-WB" in login(cast.supervisor).get(page).content.decode()
    assert "MARKER-WB" in login(cast.mentor).get(page).content.decode()
    assert "MARKER-WB" not in login(cast.coordinator).get(page).content.decode()


def test_only_the_mentor_opens_their_check_in_form(login, cast):
    assert login(cast.supervisor).get(checkin_url(cast)).status_code == 404
    assert login(cast.mentor2).get(checkin_url(cast)).status_code == 404


def test_a_check_in_without_an_answer_is_refused_and_keeps_the_note(login, cast):
    response = login(cast.mentor).post(checkin_url(cast), {"note": "Kept text"})
    assert response.status_code == 200
    assert "Kept text" in response.content.decode()
    assert not WellbeingCheckIn.objects.exists()
