"""Each dashboard figure against a small fixture computed by hand.

Period: 1 January – 31 March 2026 (90 days = 2.957 months), "today" 1 April 2026.

Matches of Program P (mentee, start → close):
  A  m1  2026-01-01 →  active        referral 2025-12-01 (31 days to match)
  B  m2  2026-01-21 →  2026-03-01    referral 2025-12-11 (41 days), mentee withdrew: early
  C  m5  2025-01-01 →  2025-05-01    lost contact (not active in the period)
  D  m6  2025-03-01 →  active
m3 waits since 2026-03-12 (20 days). Program Q holds the same kind of data and never counts.
"""

import datetime

import pytest
from django.utils import timezone

from accounts.models import EmploymentOutcome, MenteeProfile, MentorProfile, Program
from evaluation import metrics
from evaluation.models import Administration
from matching.models import Match, SupportContact
from sessions.models import MentoringSession, SessionFeedback
from tests import factories as f
from tests.evaluation.factories import AdministrationFactory
from tests.sessions.factories import MentoringSessionFactory

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 3, 31)
TODAY = datetime.date(2026, 4, 1)


def at(day: str, hour: int = 17) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(
        tzinfo=timezone.get_current_timezone()
    )


def mentee(program, **fields):
    fields.setdefault("status", MenteeProfile.Status.MATCHED)
    return f.MenteeProfileFactory(program=program, **fields)


def match(person, started, closed=None, reason=""):
    return f.MatchFactory(
        mentee=person,
        started_on=datetime.date.fromisoformat(started),
        status=Match.Status.CLOSED if closed else Match.Status.ACTIVE,
        closed_on=datetime.date.fromisoformat(closed) if closed else None,
        close_reason=reason,
    )


def session(on_match, day, status=MentoringSession.Status.HELD, support=()):
    held = status == MentoringSession.Status.HELD
    return MentoringSessionFactory(
        match=on_match,
        starts_at=at(day),
        status=status,
        duration_minutes=60 if held else None,
        support_types=list(support),
    )


def feedback(on_session, rating, listened, learned, hopeful):
    return SessionFeedback.objects.create(
        session=on_session,
        rating=rating,
        felt_listened_to=listened,
        learned_something=learned,
        more_hopeful=hopeful,
        answered_by=on_session.match.mentee.user,
    )


def contact(on_match, day):
    return SupportContact.objects.create(
        match=on_match,
        contact_date=datetime.date.fromisoformat(day),
        with_whom=SupportContact.With.MENTEE,
        method=SupportContact.Method.PHONE,
        relationship_health=4,
        recorded_by=on_match.proposed_by,
    )


def measure(on_match, instrument, timepoint, due, status="completed", score=None, flags=()):
    completed = status == "completed"
    return AdministrationFactory(
        match=on_match,
        instrument=instrument,
        timepoint=timepoint,
        due_on=datetime.date.fromisoformat(due),
        status=status,
        completed_at=at(due) if completed else None,
        total=score,
        reported_score=score,
        flags=list(flags),
    )


def build(program):
    spanish = f.LanguageFactory(code="es", name="Spanish", slug="spanish")
    m1 = mentee(
        program,
        idd_mh=True,
        birth_date=datetime.date(2000, 6, 1),
        referral_date=datetime.date(2025, 12, 1),
    )
    m1.languages.add(spanish)
    m2 = mentee(program, referral_date=datetime.date(2025, 12, 11))
    mentee(program, status=MenteeProfile.Status.WAITING, waiting_since=datetime.date(2026, 3, 12))
    m5 = mentee(program, referral_date=datetime.date(2024, 12, 1))
    m6 = mentee(program, referral_date=datetime.date(2025, 2, 1))
    a = match(m1, "2026-01-01")
    b = match(m2, "2026-01-21", closed="2026-03-01", reason=Match.CloseReason.MENTEE_WITHDREW)
    match(m5, "2025-01-01", closed="2025-05-01", reason=Match.CloseReason.LOST_CONTACT)
    d = match(m6, "2025-03-01")

    a1 = session(a, "2026-01-10", support=["emotional"])
    a2 = session(a, "2026-02-10", support=["emotional", "informational"])
    session(a, "2026-03-10", support=["instrumental"])
    session(a, "2026-03-20", MentoringSession.Status.NO_SHOW)
    session(a, "2026-04-02", support=["emotional"])  # after the period
    b1 = session(b, "2026-02-01", support=["emotional"])
    session(b, "2026-02-15", MentoringSession.Status.CANCELLED)
    session(d, "2026-01-05", support=["informational"])
    session(d, "2026-02-05")
    session(d, "2026-03-05", MentoringSession.Status.NO_SHOW)
    feedback(a1, 5, "yes", "yes", "yes")
    feedback(a2, 3, "no", "yes", "not_sure")
    feedback(b1, 4, "yes", "no", "yes")

    contact(a, "2026-01-20")  # 19 days after the start: on time
    contact(a, "2026-03-01")  # 40 days after the last one: late
    contact(d, "2025-12-20")  # before the period (the previous one for the next)
    contact(d, "2026-01-15")  # 26 days: on time

    measure(a, "PHQ9", "baseline", "2026-01-02", score=12, flags=["phq9_moderate_or_above"])
    measure(a, "PHQ9", "day30", "2026-02-01", score=8)
    measure(a, "BARC10", "baseline", "2026-01-02", score=40)
    measure(a, "BARC10", "day30", "2026-02-01", score=50, flags=["barc10_remission_cutoff"])
    measure(b, "PHQ9", "baseline", "2026-01-21", status="missed")
    measure(d, "PHQ9", "baseline", "2025-03-02", score=6)
    measure(d, "PHQ9", "day30", "2025-04-01", score=9)
    measure(d, "PHQ9", "day180", "2026-02-15", status="due")

    # m2 later became a mentor (in February 2026).
    MenteeProfile.objects.filter(pk=m2.pk).update(created_at=at("2025-12-11"))
    mentor = f.MentorProfileFactory(user=m2.user, program=program)
    MentorProfile.objects.filter(pk=mentor.pk).update(created_at=at("2026-02-20"))
    return spanish


@pytest.fixture
def program(db):
    return f.ProgramFactory(name="Program P")


@pytest.fixture
def data(program):
    language = build(program)
    other = f.ProgramFactory(name="Program Q")
    stranger = mentee(other, referral_date=datetime.date(2025, 12, 1))
    session(match(stranger, "2026-01-02"), "2026-01-10", support=["emotional"])
    return language


def scope(program, **kwargs):
    return metrics.Scope(
        programs=Program.objects.filter(pk=program.pk), start=START, end=END, today=TODAY, **kwargs
    )


def test_waiting_and_time_to_match(program, data):
    assert metrics.waiting_figures(scope(program)) == {
        "waiting": 1,
        "longest_wait_days": 20,
        "mean_days_to_match": 36.0,
    }


def test_active_started_and_closed_matches(program, data):
    figures = metrics.match_figures(scope(program))
    assert (figures["active"], figures["started"], figures["closed"]) == (3, 2, 1)


def test_early_closures_and_their_reasons(program, data):
    figures = metrics.match_figures(scope(program))
    assert figures["early_closed"] == 1
    assert figures["early_closure_reasons"] == [{"reason": "Mentee withdrew", "count": 1}]


def test_retention_at_3_6_and_12_months(program, data):
    retention = metrics.match_figures(scope(program))["retention"]
    assert [(r["months"], r["eligible"], r["reached"], r["percent"]) for r in retention] == [
        (3, 2, 2, 100.0),
        (6, 2, 1, 50.0),
        (12, 2, 1, 50.0),
    ]


def test_sessions_per_active_match_per_month_and_no_show_rate(program, data):
    figures = metrics.session_figures(scope(program), active_matches=3)
    assert (figures["held"], figures["no_show"], figures["cancelled"]) == (6, 2, 1)
    assert figures["no_show_rate"] == 25.0
    # 6 held ÷ 3 matches ÷ (90 / 30.4375) months
    assert figures["per_active_match_per_month"] == 0.68


def test_support_type_mix_of_held_sessions(program, data):
    mix = metrics.session_figures(scope(program), active_matches=3)["support_mix"]
    assert [(row["type"], row["sessions"], row["percent"]) for row in mix] == [
        ("emotional", 3, 50.0),
        ("informational", 2, 33.3),
        ("instrumental", 1, 16.7),
    ]


def test_feedback_averages_and_monthly_trend(program, data):
    figures = metrics.feedback_figures(scope(program))
    assert figures["count"] == 3
    assert figures["mean_rating"] == 4.0
    assert figures["listened_percent"] == figures["learned_percent"] == 66.7
    assert figures["hopeful_percent"] == 66.7
    assert figures["trend"] == [
        {"month": "2026-01", "mean_rating": 5.0, "count": 1},
        {"month": "2026-02", "mean_rating": 3.5, "count": 2},
    ]


def test_contact_fidelity_counts_check_ins_within_the_interval(program, data):
    assert metrics.contact_fidelity(scope(program)) == {
        "contacts": 3,
        "on_time": 2,
        "on_time_percent": 66.7,
    }


def test_measure_completion_rates(program, data):
    completion = metrics.measure_figures(scope(program))["completion"]
    assert completion == [
        {"instrument": "BARC10", "completed": 2, "missed": 0, "overdue": 0, "percent": 100.0},
        {"instrument": "PHQ9", "completed": 2, "missed": 1, "overdue": 1, "percent": 50.0},
    ]


def test_outcome_change_from_baseline_to_latest(program, data):
    outcomes = {
        row["instrument"]: row for row in metrics.measure_figures(scope(program))["outcomes"]
    }
    phq9, barc10 = outcomes["PHQ9"], outcomes["BARC10"]
    # PHQ-9: A 12 → 8 (better, below the cut-off now), D 6 → 9 (worse).
    assert (phq9["pairs"], phq9["mean_change"], phq9["improved_percent"]) == (2, -0.5, 50.0)
    assert phq9["crossed_percent"] == 50.0
    # BARC-10: A 40 → 50, reaching the remission cut-off.
    assert (barc10["pairs"], barc10["mean_change"], barc10["improved_percent"]) == (1, 10.0, 100.0)
    assert barc10["crossed_percent"] == 100.0


def test_mentees_who_became_mentors(program, data):
    figures = metrics.pathway_figures(scope(program))
    assert (figures["became_mentors"], figures["became_mentors_in_period"]) == (1, 1)


def test_mentors_who_started_a_care_field_job_in_the_period(program, data):
    """Two jobs for one mentor in the period count once; a job started before the period and
    one in another program do not count."""
    staff = f.UserFactory()
    one, two = f.MentorProfileFactory(program=program), f.MentorProfileFactory(program=program)
    elsewhere = f.MentorProfileFactory(program=f.ProgramFactory(name="Program R"))
    for mentor, started, kind in [
        (one, "2026-01-15", EmploymentOutcome.Kind.PEER_SUPPORT_JOB),
        (one, "2026-03-01", EmploymentOutcome.Kind.WAIVER_PROVIDER),
        (two, "2025-12-31", EmploymentOutcome.Kind.CARE_FIELD_JOB),
        (elsewhere, "2026-02-01", EmploymentOutcome.Kind.CARE_FIELD_JOB),
    ]:
        EmploymentOutcome.objects.create(
            mentor=mentor,
            kind=kind,
            started_on=datetime.date.fromisoformat(started),
            recorded_by=staff,
        )

    assert metrics.pathway_figures(scope(program))["employment_started"] == 1


def test_idd_mh_subgroup_keeps_only_its_mentees(program, data):
    figures = metrics.figures(scope(program, idd_mh=True))
    assert figures["matches"]["active"] == 1
    assert figures["sessions"]["held"] == 3


def test_age_band_and_language_filters(program, data):
    assert metrics.match_figures(scope(program, age_band="18-25"))["active"] == 1
    assert metrics.match_figures(scope(program, age_band="40-64"))["active"] == 0
    assert metrics.match_figures(scope(program, language_id=data.pk))["active"] == 1


def test_center_filter_excludes_other_centers(program, data):
    other_center = f.CenterFactory()
    assert metrics.match_figures(scope(program, center_id=other_center.pk))["active"] == 0


def test_another_program_never_counts(program, data):
    both = Program.objects.all()
    only_p = metrics.figures(scope(program))
    everything = metrics.figures(metrics.Scope(programs=both, start=START, end=END, today=TODAY))
    assert only_p["sessions"]["held"] == 6
    assert everything["sessions"]["held"] == 7


def test_figures_run_a_fixed_number_of_queries(program, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        metrics.figures(scope(program))
    assert Administration.objects.count() == 8
