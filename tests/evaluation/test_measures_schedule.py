"""The measure schedule follows the match lifecycle: baseline and follow-ups when a match
starts, closure measures when it closes; idempotent; reminders as outbox rows; a second
baseline for the same match is impossible."""

import datetime

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Notification
from accounts.services import DomainError
from evaluation.models import Administration, MeasureSchedule
from evaluation.services import measures
from matching import services as matching
from matching.models import Match
from tests import factories as f
from tests.evaluation.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def started(cast, *, on=None, **schedule):
    """A new mentee's match with the cast's mentor, proposed, approved and started."""
    if schedule:
        MeasureSchedule.objects.update_or_create(program=cast.program, defaults=schedule)
    mentee = f.MenteeProfileFactory(program=cast.program)
    match = matching.propose_match(
        actor=cast.coordinator, mentee=mentee, mentor=cast.mentor_profile
    )
    start = on or TODAY()
    Match.objects.filter(pk=match.pk).update(
        proposed_at=timezone.now() - datetime.timedelta(days=(TODAY() - start).days)
    )
    matching.approve_match(actor=cast.supervisor, match=match)
    return matching.start_match(
        actor=cast.coordinator, match=match, introduced_on=start, both_agreed=True
    )


def due_dates(match) -> dict[str, set]:
    found: dict[str, set] = {}
    for timepoint, due_on in match.administrations.values_list("timepoint", "due_on"):
        found.setdefault(timepoint, set()).add(due_on)
    return found


def test_starting_a_match_schedules_baseline_and_follow_ups(cast):
    match = started(cast, instruments=["PHQ9", "WHO5"])

    today = TODAY()
    assert due_dates(match) == {
        "baseline": {today},
        "day30": {today + datetime.timedelta(days=30)},
        "day90": {today + datetime.timedelta(days=90)},
        "day180": {today + datetime.timedelta(days=180)},
    }
    assert match.administrations.count() == 8
    baseline = match.administrations.get(timepoint="baseline", instrument="PHQ9")
    assert baseline.status == "due"
    assert baseline.instrument_version.startswith("PHQ-9")


def test_scheduling_again_creates_nothing_new(cast):
    match = started(cast, instruments=["PHQ9"])

    assert measures.schedule_match_measures(match=match) == []
    assert match.administrations.count() == 4


def test_the_program_schedule_decides_instruments_and_time_points(cast):
    match = started(cast, instruments=["GAD7"], at_day30=False, at_day180=False)

    assert set(match.administrations.values_list("timepoint", "instrument")) == {
        ("baseline", "GAD7"),
        ("day90", "GAD7"),
    }


def test_relationship_surveys_are_not_given_at_baseline(cast):
    match = started(cast, instruments=["REL_MENTEE", "REL_MENTOR"])

    assert not match.administrations.filter(timepoint="baseline").exists()
    assert match.administrations.filter(timepoint="day30").count() == 2


def test_closing_a_match_schedules_closure_and_cancels_later_follow_ups(cast):
    match = started(cast, on=TODAY() - datetime.timedelta(days=40), instruments=["PHQ9"])

    matching.close_match(actor=cast.coordinator, match=match, reason="goals_met", notes="Done.")

    statuses = dict(match.administrations.values_list("timepoint", "status"))
    assert statuses == {
        "baseline": "due",
        "day30": "due",
        "day90": "cancelled",
        "day180": "cancelled",
        "closure": "due",
    }
    assert match.administrations.get(timepoint="closure").due_on == TODAY()
    assert measures.schedule_closure_measures(match=match) == []


def test_a_second_baseline_for_the_same_match_is_refused_by_the_database(cast):
    AdministrationFactory(match=cast.match)

    with pytest.raises(IntegrityError), transaction.atomic():
        AdministrationFactory(match=cast.match)


def test_staff_adding_a_second_baseline_get_a_clear_message_and_nothing_is_stored(cast):
    AdministrationFactory(match=cast.match)

    with pytest.raises(DomainError, match="already has a baseline"):
        measures.create_administration(
            actor=cast.coordinator,
            mentee=cast.mentee_profile,
            instrument="PHQ9",
            timepoint="baseline",
        )
    assert Administration.objects.filter(match=cast.match).count() == 1


def test_staff_add_an_ad_hoc_measure_outside_the_match(cast):
    administration = measures.create_administration(
        actor=cast.coordinator, mentee=cast.mentee_profile, instrument="GAD7", timepoint="adhoc"
    )

    assert (administration.match, administration.status) == (None, "due")
    assert Notification.objects.filter(
        kind="measure_due",
        recipient=cast.mentee,
        key__startswith=f"measure-due:adhoc-{administration.pk}:",
    ).exists()


def test_only_coordinators_add_measures(cast):
    with pytest.raises(DomainError):
        measures.create_administration(
            actor=cast.mentor, mentee=cast.mentee_profile, instrument="GAD7", timepoint="adhoc"
        )


def test_scheduling_queues_one_due_and_one_overdue_reminder_per_time_point(cast):
    match = started(cast, instruments=["PHQ9", "GAD7"])

    mentee_rows = Notification.objects.filter(recipient=match.mentee.user)
    baseline_due = mentee_rows.filter(kind="measure_due", key__contains=f":{match.pk}:baseline:")
    assert baseline_due.count() == 2  # email and in-app, one for both measures
    overdue = mentee_rows.get(
        kind="measure_overdue", channel="in_app", key__contains=f":{match.pk}:baseline:"
    )
    assert timezone.localdate(overdue.due_at) == TODAY() + datetime.timedelta(days=7)
    staff = Notification.objects.filter(kind="measure_overdue_staff", recipient=cast.coordinator)
    assert staff.filter(key__contains=f":{match.pk}:baseline:").count() == 1


def test_a_reminder_is_no_longer_relevant_once_the_time_point_is_answered(cast):
    from evaluation.notifications import still_due

    match = started(cast, instruments=["UCLA3"])
    reminder = Notification.objects.filter(
        kind="measure_due", key__contains=f":{match.pk}:baseline:"
    ).first()
    assert still_due(reminder)

    measures.submit_administration(
        administration=match.administrations.get(timepoint="baseline"),
        answers={1: 1, 2: 1, 3: 1},
        answered_by=match.mentee.user,
        mode="self",
    )
    reminder.refresh_from_db()
    assert not still_due(reminder)


def test_due_measures_past_the_window_become_missed(cast):
    old = AdministrationFactory(match=cast.match, due_on=TODAY() - datetime.timedelta(days=31))
    recent = AdministrationFactory(
        match=cast.match, instrument="GAD7", due_on=TODAY() - datetime.timedelta(days=29)
    )

    assert measures.mark_missed_administrations() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == ("missed", "due")
    assert measures.mark_missed_administrations() == 0


def test_the_reminder_email_carries_a_one_time_link_and_the_app_the_signed_in_form(cast):
    from accounts import delivery

    match = started(cast, instruments=["PHQ9"])
    rows = Notification.objects.filter(
        kind="measure_due", recipient=match.mentee.user, key__contains=f":{match.pk}:baseline:"
    )
    email = delivery.render(rows.get(channel="email"))
    in_app = delivery.render(rows.get(channel="in_app"))

    baseline = match.administrations.get(timepoint="baseline")
    assert baseline.links.count() == 1
    assert "/evaluation/measures/m/" in email.url
    assert email.url.startswith(settings.SITE_URL.rstrip("/"))
    assert in_app.url.endswith(f"/evaluation/measures/{baseline.pk}/answer/")
    assert "PHQ" not in email.subject + email.text


def test_the_staff_reminder_names_the_mentee_and_links_to_their_page(cast):
    from accounts import delivery

    match = started(cast, instruments=["PHQ9"])
    row = Notification.objects.filter(kind="measure_overdue_staff").first()

    message = delivery.render(row)

    assert match.mentee.user.display_name in message.text
    assert message.url.endswith(f"/people/mentees/{match.mentee.pk}/")
