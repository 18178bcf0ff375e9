"""Measures on the home pages and the mentee's page, adding a measure, and the schedule."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent
from evaluation.models import Administration, MeasureSchedule
from tests import factories as f
from tests.evaluation.factories import AdministrationFactory, completed_administration

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def home(client) -> str:
    return client.get(reverse("home")).content.decode()


def mentee_page(client, cast) -> str:
    return client.get(
        reverse("accounts:mentee_detail", args=[cast.mentee_profile.pk])
    ).content.decode()


# --- Home pages -----------------------------------------------------------------------------


def test_the_mentee_sees_a_due_measure_on_their_home(cast, login):
    administration = AdministrationFactory(match=cast.match)

    body = home(login(cast.mentee))

    assert reverse("evaluation:measure_answer", args=[administration.pk]) in body
    assert "Questions for you" in body


def test_a_measure_due_later_is_not_on_the_home_yet(cast, login):
    AdministrationFactory(match=cast.match, due_on=TODAY() + datetime.timedelta(days=3))

    assert "Questions for you" not in home(login(cast.mentee))


def test_the_coordinator_sees_due_and_overdue_measures_of_their_programs(cast, login):
    AdministrationFactory(match=cast.match, due_on=TODAY() - datetime.timedelta(days=3))
    AdministrationFactory(match=cast.match2)

    body = home(login(cast.coordinator))

    assert "Outcome measures waiting (2, 1 overdue)" in body
    assert "Overdue" in body


def test_another_programs_coordinator_does_not_see_them(cast, login):
    AdministrationFactory(match=cast.match)

    assert "MARKER-MENTEE-ONE" not in home(login(cast.outsider))


# --- The mentee's page --------------------------------------------------------------------------


def scores(cast):
    """PHQ-9 moderate (12) at baseline, mild (6) at 90 days; WHO-5 48 then 60."""
    completed_administration([3, 3, 3, 3, 0, 0, 0, 0, 0], match=cast.match)
    completed_administration([2, 2, 1, 1, 0, 0, 0, 0, 0], match=cast.match, timepoint="day90")
    completed_administration([3, 3, 2, 2, 2], match=cast.match, instrument="WHO5")
    completed_administration(
        [3, 3, 3, 3, 3], match=cast.match, instrument="WHO5", timepoint="day90"
    )


def test_staff_see_scores_change_from_baseline_and_crossings(cast, login):
    scores(cast)

    body = mentee_page(login(cast.coordinator), cast)

    assert "Outcome measures" in body
    assert "Change from baseline: -6" in body
    assert "Change from baseline: +12" in body
    assert body.count("improved") >= 2
    assert "no longer PHQ-9 of 10 or more" in body
    assert "no longer WHO-5 below 50" in body


def test_the_mentee_sees_their_own_scores(cast, login):
    scores(cast)

    assert "Change from baseline: -6" in mentee_page(login(cast.mentee), cast)


def test_the_mentor_sees_scores_only_with_the_mentees_consent(cast, login):
    scores(cast)
    client = login(cast.mentor)
    assert "Outcome measures" not in mentee_page(client, cast)

    f.ConsentFactory(
        mentee=cast.mentee_profile,
        kind=Consent.Kind.SHARE_WITH_MENTOR,
        recorded_by=cast.coordinator,
    )

    body = mentee_page(client, cast)
    assert "Change from baseline: -6" in body
    # Scores only: the answers to each question stay with staff and the mentee.
    for administration in Administration.objects.filter(match=cast.match):
        assert reverse("evaluation:measure_detail", args=[administration.pk]) not in body


def test_another_mentees_scores_never_show(cast, login):
    completed_administration([3, 3, 3, 3, 0, 0, 0, 0, 0], match=cast.match2)

    body = mentee_page(login(cast.coordinator), cast)

    assert "Change from baseline" not in body
    assert "No measures answered yet." in body


# --- The answers of one administration ------------------------------------------------------


def test_staff_read_the_answers_and_the_read_is_audited(cast, login):
    from auditlog.models import LogEntry

    administration = completed_administration([1, 1, 1, 1, 1, 0, 0, 0, 0], match=cast.match)

    response = login(cast.supervisor).get(
        reverse("evaluation:measure_detail", args=[administration.pk])
    )

    body = response.content.decode()
    assert "Several days (1)" in body
    assert "Mild" in body
    assert response["Cache-Control"] == "no-store, private"
    assert LogEntry.objects.filter(object_pk=str(administration.pk)).exists()


# --- Adding a measure ----------------------------------------------------------------------------


def new_url(cast) -> str:
    return reverse("evaluation:measure_new", args=[cast.mentee_profile.pk])


def test_a_coordinator_adds_an_ad_hoc_measure(cast, login):
    response = login(cast.coordinator).post(
        new_url(cast), {"instrument": "GAD7", "timepoint": "adhoc", "due_on": ""}
    )

    assert response.status_code == 302
    administration = Administration.objects.get(mentee=cast.mentee_profile)
    assert (administration.instrument, administration.timepoint) == ("GAD7", "adhoc")


def test_a_second_baseline_is_refused_with_a_message_and_the_form_keeps_the_choices(cast, login):
    AdministrationFactory(match=cast.match)

    response = login(cast.coordinator).post(
        new_url(cast), {"instrument": "PHQ9", "timepoint": "baseline", "due_on": ""}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "already has a baseline" in body
    assert '<option value="baseline" selected>' in body
    assert Administration.objects.filter(match=cast.match).count() == 1


def test_a_double_submit_adds_one_measure_at_a_time_point(cast, login):
    client = login(cast.coordinator)
    data = {"instrument": "WHO5", "timepoint": "day30", "due_on": ""}

    client.post(new_url(cast), data)
    client.post(new_url(cast), data)

    assert Administration.objects.filter(match=cast.match, instrument="WHO5").count() == 1


# --- The program's schedule ---------------------------------------------------------------------


def schedule_url(cast) -> str:
    return reverse("evaluation:measure_schedule", args=[cast.program.pk])


def test_a_coordinator_edits_the_schedule(cast, login):
    response = login(cast.coordinator).post(
        schedule_url(cast),
        {
            "instruments": ["PHQ9", "CHECKIN"],
            "at_baseline": "on",
            "at_day90": "on",
            "at_closure": "on",
            "include_risk_items": "on",
            "overdue_after_days": 5,
            "missed_after_days": 21,
        },
    )

    assert response.status_code == 302
    schedule = MeasureSchedule.objects.get(program=cast.program)
    assert schedule.instruments == ["PHQ9", "CHECKIN"]
    assert (schedule.at_day30, schedule.at_day90, schedule.include_risk_items) == (
        False,
        True,
        True,
    )


def test_a_schedule_without_measures_is_refused_and_nothing_changes(cast, login):
    response = login(cast.coordinator).post(
        schedule_url(cast),
        {"at_baseline": "on", "overdue_after_days": 10, "missed_after_days": 5},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose at least one measure." in body
    assert "A measure counts as missed only after it is overdue" in body
    assert 'value="10"' in body
    assert MeasureSchedule.for_program(cast.program).overdue_after_days == 7
