"""Supervision: reviewing mentors' logs, meetings and notes, and a mentor's figures."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Notification
from accounts.services import DomainError
from sessions import services
from sessions.models import MentoringSession, SupervisionMeeting, SupervisorNote
from sessions.views.supervision import mentor_stats
from tests import factories as f
from tests.conftest import MARKERS
from tests.sessions.factories import MentoringSessionFactory

pytestmark = pytest.mark.django_db

LOGS = reverse("mentoring_sessions:supervision_logs")


def reviewed_url(session) -> str:
    return reverse("mentoring_sessions:supervision_mark_reviewed", args=[session.pk])


def note_for(cast, text="Good work with the bus pass.", **kwargs) -> SupervisorNote:
    return services.write_supervisor_note(
        actor=cast.supervisor, mentor=cast.mentor_profile, text=text, **kwargs
    )


# --- Reviewing logs --------------------------------------------------------------------------


def test_supervisor_sees_the_logs_with_a_concern(cast, login):
    MentoringSessionFactory(match=cast.match, concern=MentoringSession.Concern.TALK)
    MentoringSessionFactory(match=cast.match2)
    body = login(cast.supervisor).get(LOGS, {"concern": "any"}).text
    assert MARKERS["mentee"] in body
    assert MARKERS["mentee2"] not in body
    assert "Talk with my supervisor" in body


def test_the_urgent_filter_leaves_out_the_other_concerns(cast, login):
    MentoringSessionFactory(match=cast.match, concern=MentoringSession.Concern.URGENT)
    MentoringSessionFactory(match=cast.match2, concern=MentoringSession.Concern.TALK)
    body = login(cast.supervisor).get(LOGS, {"concern": "urgent"}).text
    assert MARKERS["mentee"] in body and MARKERS["mentee2"] not in body


def test_the_logs_filter_by_mentor_and_by_review(cast, login):
    mine = MentoringSessionFactory(match=cast.match)
    MentoringSessionFactory(match=cast.match2)
    client = login(cast.supervisor)
    body = client.get(LOGS, {"mentor": cast.mentor_profile.pk}).text
    assert MARKERS["mentee"] in body and MARKERS["mentee2"] not in body
    services.mark_log_reviewed(actor=cast.supervisor, session=mine)
    body = client.get(LOGS, {"reviewed": "no"}).text
    assert MARKERS["mentee"] not in body and MARKERS["mentee2"] in body


def test_a_scheduled_session_is_not_a_log(cast, login):
    MentoringSessionFactory(match=cast.match, scheduled=True)
    assert MARKERS["mentee"] not in login(cast.supervisor).get(LOGS).text


def test_a_filter_value_outside_the_choices_is_shown_at_its_field(cast, login):
    MentoringSessionFactory(match=cast.match)
    response = login(cast.supervisor).get(LOGS, {"concern": "everything", "mentor": "999999"})
    assert response.status_code == 200
    # Each of the two errors: once in the summary at the top, once at its field.
    assert response.text.count("Select a valid choice") == 4
    assert 'href="#id_concern"' in response.text and 'href="#id_mentor"' in response.text
    assert MARKERS["mentee"] in response.text


def test_the_log_list_runs_a_fixed_number_of_queries(cast, login):
    client = login(cast.supervisor)
    MentoringSessionFactory(match=cast.match, concern="talk")
    client.get(LOGS)
    with CaptureQueriesContext(connection) as few:
        client.get(LOGS)
    for _i in range(6):
        session = MentoringSessionFactory(match=cast.match2, concern="urgent")
        services.submit_feedback(
            session=session,
            answered_by=cast.mentee2,
            via_link=False,
            rating=3,
            felt_listened_to="yes",
            learned_something="yes",
            more_hopeful="no",
        )
        services.mark_log_reviewed(actor=cast.supervisor, session=session)
    with CaptureQueriesContext(connection) as many:
        client.get(LOGS)
    assert len(many) == len(few)


def test_supervisor_marks_a_log_reviewed(cast, login):
    session = MentoringSessionFactory(match=cast.match)
    response = login(cast.supervisor).post(reviewed_url(session), {"next": f"{LOGS}?concern=any"})
    assert response.status_code == 302
    assert response["Location"] == f"{LOGS}?concern=any"
    session.refresh_from_db()
    assert session.reviewed_by == cast.supervisor and session.reviewed_at is not None


def test_marking_again_keeps_the_first_review(cast):
    other = f.UserFactory()
    f.MembershipFactory(user=other, program=cast.program, role=Membership.Role.SUPERVISOR)
    session = MentoringSessionFactory(match=cast.match)
    services.mark_log_reviewed(actor=cast.supervisor, session=session)
    services.mark_log_reviewed(actor=other, session=session)
    session.refresh_from_db()
    assert session.reviewed_by == cast.supervisor


def test_review_goes_nowhere_outside_our_site(cast, login):
    session = MentoringSessionFactory(match=cast.match)
    response = login(cast.supervisor).post(reviewed_url(session), {"next": "https://evil.test/"})
    assert response["Location"] == LOGS


def test_a_coordinator_cannot_review_logs(cast, login):
    session = MentoringSessionFactory(match=cast.match)
    assert login(cast.coordinator).post(reviewed_url(session)).status_code == 404
    with pytest.raises(DomainError, match="supervisor"):
        services.mark_log_reviewed(actor=cast.coordinator, session=session)
    session.refresh_from_db()
    assert session.reviewed_at is None


def test_a_supervisor_of_another_program_sees_none_of_its_logs(cast, login):
    elsewhere = f.UserFactory()
    f.MembershipFactory(user=elsewhere, program=cast.other_program, role="supervisor")
    session = MentoringSessionFactory(match=cast.match, concern="urgent")
    client = login(elsewhere)
    assert MARKERS["mentee"] not in client.get(LOGS).text
    assert client.post(reviewed_url(session)).status_code == 404


def test_an_unlogged_session_cannot_be_reviewed(cast):
    session = MentoringSessionFactory(match=cast.match, scheduled=True)
    with pytest.raises(DomainError, match="not been logged"):
        services.mark_log_reviewed(actor=cast.supervisor, session=session)


# --- Meetings and notes ----------------------------------------------------------------------


def test_supervisor_records_a_meeting_the_mentor_then_sees(cast, login):
    url = reverse("mentoring_sessions:supervision_meeting_new", args=[cast.mentor_profile.pk])
    today = timezone.localdate()
    response = login(cast.supervisor).post(
        url,
        {
            "met_on": today.isoformat(),
            "topics": "Boundaries when texting",
            "agreed_actions": "Read the texting guide",
            "next_on": (today + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    meeting = SupervisionMeeting.objects.get()
    assert (meeting.mentor, meeting.supervisor, meeting.program) == (
        cast.mentor_profile,
        cast.supervisor,
        cast.program,
    )
    body = login(cast.mentor).get(reverse("mentoring_sessions:my_supervision")).text
    assert "Boundaries when texting" in body and "Read the texting guide" in body
    body = login(cast.mentor2).get(reverse("mentoring_sessions:my_supervision")).text
    assert "Boundaries when texting" not in body


def test_a_meeting_with_bad_dates_is_refused_at_the_field_and_keeps_what_was_typed(cast, login):
    url = reverse("mentoring_sessions:supervision_meeting_new", args=[cast.mentor_profile.pk])
    today = timezone.localdate()
    response = login(cast.supervisor).post(
        url,
        {
            "met_on": today.isoformat(),
            "topics": "Self-care plan",
            "next_on": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "The next meeting must come after this one." in response.text
    assert 'id="error_1_id_next_on"' in response.text
    assert "Self-care plan" in response.text
    assert not SupervisionMeeting.objects.exists()


def test_a_meeting_cannot_be_in_the_future(cast):
    with pytest.raises(DomainError) as error:
        services.record_supervision_meeting(
            actor=cast.supervisor,
            mentor=cast.mentor_profile,
            met_on=timezone.localdate() + datetime.timedelta(days=1),
            topics="Plans",
        )
    assert error.value.field == "met_on"


def test_supervisor_writes_a_note_and_the_mentor_is_told(cast, login):
    session = MentoringSessionFactory(match=cast.match)
    url = reverse("mentoring_sessions:supervisor_note_new", args=[cast.mentor_profile.pk])
    response = login(cast.supervisor).post(
        url, {"text": "Lovely log, thank you.", "session": session.pk}
    )
    assert response.status_code == 302
    note = SupervisorNote.objects.get()
    assert (note.mentor, note.author, note.session) == (
        cast.mentor_profile,
        cast.supervisor,
        session,
    )
    assert Notification.objects.filter(
        kind="supervisor_note", recipient=cast.mentor, subject_id=note.pk
    ).exists()


def test_a_note_about_another_mentors_session_is_refused_at_the_field(cast, login):
    other = MentoringSessionFactory(match=cast.match2)
    url = reverse("mentoring_sessions:supervisor_note_new", args=[cast.mentor_profile.pk])
    response = login(cast.supervisor).post(url, {"text": "About this one", "session": other.pk})
    assert response.status_code == 200
    assert "Choose one of this mentor&#x27;s sessions." in response.text
    assert "About this one" in response.text
    assert not SupervisorNote.objects.exists()
    with pytest.raises(DomainError) as error:
        note_for(cast, session=other)
    assert error.value.field == "session"


def test_a_coordinator_cannot_write_notes(cast, login):
    url = reverse("mentoring_sessions:supervisor_note_new", args=[cast.mentor_profile.pk])
    assert login(cast.coordinator).post(url, {"text": "Hi"}).status_code == 404
    with pytest.raises(DomainError):
        services.write_supervisor_note(actor=cast.coordinator, mentor=cast.mentor_profile, text="x")


def test_the_mentor_sees_notes_addressed_to_them_and_another_mentor_does_not(cast, login):
    note = note_for(cast, text="NOTE-FOR-MENTOR-ONE")
    mine = reverse("mentoring_sessions:my_supervision")
    assert "NOTE-FOR-MENTOR-ONE" in login(cast.mentor).get(mine).text
    client = login(cast.mentor2)
    assert "NOTE-FOR-MENTOR-ONE" not in client.get(mine).text
    page = reverse("mentoring_sessions:supervision_mentor", args=[cast.mentor_profile.pk])
    assert client.get(page).status_code == 404
    read = reverse("mentoring_sessions:supervisor_note_read", args=[note.pk])
    assert client.post(read).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_the_mentor_marks_a_note_read(cast, login):
    note = note_for(cast)
    response = login(cast.mentor).post(
        reverse("mentoring_sessions:supervisor_note_read", args=[note.pk])
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_only_the_mentor_marks_a_note_read(cast):
    with pytest.raises(DomainError):
        services.mark_note_read(actor=cast.supervisor, note=note_for(cast))


def test_the_mentors_home_shows_unread_notes_only(cast, login):
    note_for(cast, text="UNREAD-NOTE")
    read = note_for(cast, text="ALREADY-READ-NOTE")
    services.mark_note_read(actor=cast.mentor, note=read)
    body = login(cast.mentor).get(reverse("home")).text
    assert "UNREAD-NOTE" in body and "ALREADY-READ-NOTE" not in body
    assert "UNREAD-NOTE" not in login(cast.mentor2).get(reverse("home")).text


def test_supervisor_notes_never_reach_the_mentee(cast, login):
    session = MentoringSessionFactory(match=cast.match)
    note_for(cast, text="SUPERVISOR-ONLY-NOTE", session=session)
    client = login(cast.mentee)
    for url in (
        reverse("home"),
        reverse("mentoring_sessions:feedback_give", args=[session.pk]),
        reverse("mentoring_sessions:feedback_detail", args=[session.pk]),
    ):
        assert "SUPERVISOR-ONLY-NOTE" not in client.get(url).text


# --- A mentor's figures ----------------------------------------------------------------------

TODAY = datetime.datetime(2026, 6, 15, 16, 0, tzinfo=datetime.UTC)


def _at(month: int, day: int, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture
def figures(cast):
    """Three held sessions (ratings 5, 4, 3), one no-show and one cancellation in the last six
    months; one held session before that, and one of another mentor."""
    with time_machine.travel(TODAY, tick=False):
        answers = [(5, "yes"), (4, "yes"), (3, "no")]
        for starts_at, (rating, listened) in zip(
            (_at(5, 12), _at(5, 20), _at(6, 10)), answers, strict=True
        ):
            session = MentoringSessionFactory(match=cast.match, starts_at=starts_at)
            services.submit_feedback(
                session=session,
                answered_by=cast.mentee,
                via_link=False,
                rating=rating,
                felt_listened_to=listened,
                learned_something="yes",
                more_hopeful="not_sure",
            )
        MentoringSessionFactory(
            match=cast.match, starts_at=_at(4, 8), status=MentoringSession.Status.NO_SHOW
        )
        MentoringSessionFactory(
            match=cast.match, starts_at=_at(6, 1), status=MentoringSession.Status.CANCELLED
        )
        MentoringSessionFactory(match=cast.match, starts_at=_at(11, 3, year=2025))
        MentoringSessionFactory(match=cast.match2, starts_at=_at(6, 2))
    return cast


def test_mentor_stats_are_counted_by_hand(figures):
    with time_machine.travel(TODAY, tick=False):
        stats = mentor_stats(figures.mentor_profile)
    assert [(row["month"].month, row["held"]) for row in stats["per_month"]] == [
        (1, 0),
        (2, 0),
        (3, 0),
        (4, 0),
        (5, 2),
        (6, 1),
    ]
    assert (stats["held"], stats["no_show"], stats["cancelled"]) == (3, 1, 1)
    assert stats["no_show_percent"] == 25
    assert stats["feedback_count"] == 3
    assert stats["average_rating"] == 4.0
    assert stats["listened_percent"] == 67
    assert stats["learned_percent"] == 100
    assert stats["hopeful_percent"] == 0


def test_the_mentor_page_shows_the_figures_to_the_supervisor_and_the_mentor(figures, login):
    url = reverse("mentoring_sessions:supervision_mentor", args=[figures.mentor_profile.pk])
    with time_machine.travel(TODAY, tick=False):
        for person in (figures.supervisor, figures.mentor):
            body = login(person).get(url).text
            assert '<p class="stat mb-0" id="stat-held">3</p>' in body
            assert '<p class="stat mb-0" id="stat-no-show">25%</p>' in body
            assert "4.0 of 5" in body
            assert '<td class="text-end" id="stat-listened">67%</td>' in body


def test_the_mentor_page_is_not_for_coordinators_or_other_mentors(cast, login):
    url = reverse("mentoring_sessions:supervision_mentor", args=[cast.mentor_profile.pk])
    for person in (cast.coordinator, cast.mentor2, cast.mentee, cast.outsider):
        assert login(person).get(url).status_code == 404
