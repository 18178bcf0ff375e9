"""The demo's six months of sessions, group sessions, feedback, resources and referrals.

The demo is built once for the module (inside a transaction rolled back afterwards); each
test runs in its own savepoint.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncMonth
from django.test import override_settings
from django.utils import timezone

from accounts.models import MenteeProfile, User
from matching.models import Match
from sessions import selectors
from sessions.models import (
    MAX_DURATION,
    MIN_DURATION,
    GroupAttendance,
    GroupSession,
    MentoringSession,
    Referral,
    Resource,
    SafetyAlert,
    SessionFeedback,
)

HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
Status = MentoringSession.Status


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with (
        override_settings(PASSWORD_HASHERS=HASHERS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("seed_demo", password="demo-test-password-2026")
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def fixed_pair_sessions():
    return MentoringSession.objects.filter(
        match__mentee__user__email="mentee@example.org",
        match__mentor__user__email="mentor@example.org",
    )


# --- Six months of sessions --------------------------------------------------------------------


def test_held_sessions_spread_over_six_months():
    months = set(
        MentoringSession.objects.filter(status=Status.HELD)
        .annotate(month=TruncMonth("starts_at"))
        .values_list("month", flat=True)
    )
    oldest = MentoringSession.objects.order_by("starts_at").first().starts_at
    assert len(months) >= 5
    assert (timezone.now() - oldest).days >= 170


def test_about_eight_in_ten_logged_sessions_were_held():
    logged = MentoringSession.objects.exclude(status=Status.SCHEDULED)
    counts = dict(logged.values_list("status").annotate(n=Count("pk")))
    total = sum(counts.values())
    assert total >= 500
    assert 0.7 <= counts[Status.HELD] / total <= 0.9
    assert counts[Status.CANCELLED] and counts[Status.NO_SHOW]


def test_held_sessions_are_logged_in_the_past_within_the_limits():
    held = MentoringSession.objects.filter(status=Status.HELD)
    assert not held.filter(starts_at__gt=timezone.now()).exists()
    assert not held.exclude(
        duration_minutes__gte=MIN_DURATION, duration_minutes__lte=MAX_DURATION
    ).exists()
    assert not held.filter(Q(logged_at__isnull=True) | Q(logged_at__lt=F("starts_at"))).exists()
    assert not held.filter(support_types=[]).exists()
    assert held.filter(topics__isnull=False).distinct().count() > held.count() * 0.9
    assert held.filter(goals_worked_on__isnull=False).exists()
    assert held.exclude(private_notes="").exists()


def test_sessions_fall_within_their_match():
    sessions = MentoringSession.objects.exclude(status=Status.SCHEDULED).select_related("match")
    for session in sessions:
        day = local_day(session.starts_at)
        assert day >= session.match.started_on
        if session.match.closed_on:
            assert day < session.match.closed_on
    assert not MentoringSession.objects.exclude(
        match__status__in=[Match.Status.ACTIVE, Match.Status.PAUSED, Match.Status.CLOSED]
    ).exists()


def test_every_active_match_of_some_weeks_has_sessions_and_upcoming_ones():
    three_weeks_ago = timezone.localdate() - datetime.timedelta(days=21)
    soon = timezone.now() + datetime.timedelta(days=15)
    matches = Match.objects.filter(status=Match.Status.ACTIVE, started_on__lt=three_weeks_ago)
    assert matches.count() >= 30
    for match in matches.annotate(
        held=Count("sessions", filter=Q(sessions__status=Status.HELD)),
        upcoming=Count(
            "sessions",
            filter=Q(
                sessions__status=Status.SCHEDULED,
                sessions__starts_at__gt=timezone.now(),
                sessions__starts_at__lt=soon,
            ),
        ),
    ):
        assert match.held >= 1, match
        assert match.upcoming >= 1, match
    assert not MentoringSession.objects.filter(
        status=Status.SCHEDULED, starts_at__gt=timezone.now(), match__status=Match.Status.CLOSED
    ).exists()


def test_mentor_and_mentee_meet_tomorrow_and_have_yesterdays_session_to_log():
    today = timezone.localdate()
    scheduled = fixed_pair_sessions().filter(status=Status.SCHEDULED)
    days = sorted(local_day(s.starts_at) for s in scheduled)
    assert days == [today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)]
    assert not scheduled.filter(logged_at__isnull=False).exists()
    assert fixed_pair_sessions().filter(status=Status.HELD).count() >= 6


def test_a_few_concerns_and_two_urgent_ones_with_their_alerts():
    assert 3 <= MentoringSession.objects.filter(concern="talk").count() <= 40
    urgent = MentoringSession.objects.filter(concern="urgent")
    assert 1 <= urgent.count() <= 2
    alerts = SafetyAlert.objects.filter(session__in=urgent, source="session_concern")
    assert alerts.count() == urgent.count()
    assert not alerts.exclude(program=F("session__match__program")).exists()


def test_most_older_logs_are_reviewed_by_a_supervisor():
    old = MentoringSession.objects.filter(
        status=Status.HELD, starts_at__lt=timezone.now() - datetime.timedelta(days=30)
    )
    assert old.filter(reviewed_at__isnull=False).count() > old.count() / 2
    assert not old.filter(reviewed_at__isnull=False, reviewed_by__isnull=True).exists()


# --- Feedback --------------------------------------------------------------------------------


def test_about_sixty_per_cent_of_held_sessions_have_mostly_positive_feedback():
    held = MentoringSession.objects.filter(status=Status.HELD).count()
    feedback = SessionFeedback.objects.all()
    assert 0.5 <= feedback.count() / held <= 0.72
    assert feedback.aggregate(avg=Avg("rating"))["avg"] >= 3.8
    assert feedback.filter(wants_contact=True).exists()
    assert not feedback.exclude(session__status=Status.HELD).exists()
    assert not feedback.exclude(answered_by=F("session__match__mentee__user")).exists()
    assert not feedback.filter(submitted_at__lt=F("session__starts_at")).exists()


# --- Resources and referrals -----------------------------------------------------------------


def test_each_program_has_a_directory_with_spanish_speaking_services():
    per_program = Resource.objects.values("program").annotate(n=Count("pk"))
    assert len(per_program) == 3
    assert all(10 <= row["n"] <= 14 for row in per_program)
    for row in per_program:
        spanish = Resource.objects.filter(program=row["program"], languages__slug="spanish")
        assert spanish.exists()
    assert set(Resource.objects.values_list("category", flat=True)) >= {
        "housing", "employment", "clinic", "treatment", "crisis", "benefits", "peer_group"
    }  # fmt: skip


def test_referrals_are_followed_up_so_the_directory_shows_what_works():
    referrals = Referral.objects.all()
    assert referrals.count() >= 40
    assert not referrals.exclude(resource__program=F("session__match__program")).exists()
    assert not referrals.exclude(session__status=Status.HELD).exists()
    states = set(referrals.values_list("follow_up", flat=True))
    assert states == {"pending", "connected", "not_connected"}
    assert not referrals.exclude(follow_up="connected").filter(helpfulness__isnull=False).exists()
    assert not referrals.filter(followed_up_on__gt=timezone.localdate()).exists()
    shares = [
        r.connected_share
        for r in selectors.with_effectiveness(Resource.objects.all())
        if r.connected_share is not None
    ]
    assert len(shares) >= 10 and max(shares) - min(shares) >= 0.3


def test_sessions_share_resources_of_their_program():
    shared = MentoringSession.objects.filter(resources_shared__isnull=False)
    assert shared.exists()
    assert not shared.exclude(resources_shared__program=F("match__program")).exists()


# --- Group sessions --------------------------------------------------------------------------


def test_each_program_has_a_support_group_every_other_week_with_attendance():
    today = timezone.localdate()
    for (program_id,) in MenteeProfile.objects.values_list("program").distinct():
        groups = GroupSession.objects.filter(program_id=program_id, kind="support_group")
        days = sorted(local_day(g.starts_at) for g in groups)
        assert len(days) >= 13
        assert {(b - a).days for a, b in zip(days, days[1:], strict=False)} == {14}
        assert days[0] <= today - datetime.timedelta(days=160)
        assert days[-1] > today
    past = GroupAttendance.objects.filter(group_session__starts_at__lt=timezone.now())
    assert past.filter(status="attended").count() > past.filter(status="absent").count() > 0
    assert not GroupAttendance.objects.exclude(mentee__program=F("group_session__program")).exists()
    assert not GroupSession.objects.exclude(facilitators__program=F("program")).exists()
    assert GroupSession.objects.filter(kind="workshop").exists()
    assert GroupSession.objects.filter(kind="community").exists()


def test_the_demo_mentor_facilitates_and_the_demo_mentee_attends():
    mentor = User.objects.get(email="mentor@example.org")
    mentee = User.objects.get(email="mentee@example.org")
    assert GroupSession.objects.filter(facilitators__user=mentor).count() >= 10
    assert selectors.groups_visible_to(mentee).count() >= 10
    assert GroupAttendance.objects.filter(mentee__user=mentee, status="attended").exists()
