"""The mentee's feedback: the one-time link, the signed-in form, one answer per session, and
the coordinators told when the mentee asks for contact or has had a bad session."""

import datetime
import re
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from accounts.services import DomainError
from sessions import services
from sessions.models import FeedbackLink, MentoringSession, SessionFeedback
from tests.sessions.factories import MentoringSessionFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "rating": "4",
    "felt_listened_to": "yes",
    "learned_something": "not_sure",
    "more_hopeful": "yes",
    "wants_contact": "no",
    "comment": "It helped to talk about the flat.",
}
CLEAN_ANSWERS = {
    "rating": 4,
    "felt_listened_to": "yes",
    "learned_something": "not_sure",
    "more_hopeful": "yes",
}


def link_url(session) -> str:
    token = services.issue_feedback_link(session=session)
    return reverse("mentoring_sessions:feedback_link", args=[token])


def submit(session, user, **answers):
    return services.submit_feedback(
        session=session, answered_by=user, via_link=False, **{**CLEAN_ANSWERS, **answers}
    )


def contact_rows() -> list[Notification]:
    return list(Notification.objects.filter(kind="feedback_needs_contact"))


# --- The one-time link -----------------------------------------------------------------------


def test_opening_the_link_twice_shows_the_form_and_uses_nothing_up(cast, client):
    session = MentoringSessionFactory(match=cast.match)
    url = link_url(session)
    for _time in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert "How was today?" in response.text
    assert FeedbackLink.objects.get().used_at is None


def test_submitting_through_the_link_saves_the_answer_and_uses_the_link_up(cast, client):
    session = MentoringSessionFactory(match=cast.match)
    url = link_url(session)
    response = client.post(url, ANSWERS)
    assert response.status_code == 200
    assert "Your answers are saved" in response.text
    feedback = SessionFeedback.objects.get(session=session)
    assert (feedback.rating, feedback.learned_something) == (4, "not_sure")
    assert feedback.via_link and feedback.answered_by == cast.mentee
    assert FeedbackLink.objects.get().used_at is not None


def test_someone_helped_me_is_recorded_with_the_answers_and_shown_to_staff(cast, client, login):
    session = MentoringSessionFactory(match=cast.match)
    client.post(link_url(session), {**ANSWERS, "helped": "on"})
    unaided = MentoringSessionFactory(match=cast.match)
    client.post(link_url(unaided), ANSWERS)

    assert SessionFeedback.objects.get(session=session).helped is True
    assert SessionFeedback.objects.get(session=unaided).helped is False
    page = login(cast.coordinator).get(
        reverse("mentoring_sessions:feedback_detail", args=[session.pk])
    )
    assert "someone helped fill this in" in page.text


def test_a_used_link_shows_a_friendly_page_on_get_and_post(cast, client):
    session = MentoringSessionFactory(match=cast.match)
    url = link_url(session)
    client.post(url, ANSWERS)
    for response in (client.get(url), client.post(url, {**ANSWERS, "rating": "1"})):
        assert response.status_code == 200
        assert "already used" in response.text
        assert "How was today?" not in response.text
    assert SessionFeedback.objects.get().rating == 4


def test_an_expired_link_shows_a_friendly_page(cast, client):
    session = MentoringSessionFactory(match=cast.match)
    url = link_url(session)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        opened = client.get(url)
        posted = client.post(url, ANSWERS)
    for response in (opened, posted):
        assert response.status_code == 200
        assert "expired" in response.text
    assert not SessionFeedback.objects.exists()


def test_an_unknown_token_is_a_404_page(cast, client):
    response = client.get(reverse("mentoring_sessions:feedback_link", args=["not-a-token"]))
    assert response.status_code == 404
    assert "This link is not valid" in response.text


def test_the_link_page_is_never_cached_keeps_its_address_on_site_and_keeps_no_session(cast, client):
    session = MentoringSessionFactory(match=cast.match)
    url = link_url(session)
    for response in (client.get(url), client.post(url, ANSWERS)):
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "same-origin"
        assert "sessionid" not in response.cookies


def test_the_link_gives_no_other_access(cast, client):
    session = MentoringSessionFactory(match=cast.match)
    client.post(link_url(session), ANSWERS)
    for url in (
        reverse("home"),
        reverse("mentoring_sessions:feedback_detail", args=[session.pk]),
        reverse("mentoring_sessions:feedback_give", args=[session.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_link_only_ever_answers_its_own_session(cast, client):
    session_a = MentoringSessionFactory(match=cast.match)
    session_b = MentoringSessionFactory(match=cast.match2)
    # A made-up "session" field is ignored: the session is the one the link was issued for.
    client.post(link_url(session_a), {**ANSWERS, "session": session_b.pk})
    assert SessionFeedback.objects.get().session == session_a
    assert not SessionFeedback.objects.filter(session=session_b).exists()


def test_the_service_refuses_a_link_of_another_session(cast):
    session_a = MentoringSessionFactory(match=cast.match)
    session_b = MentoringSessionFactory(match=cast.match)
    services.issue_feedback_link(session=session_a)
    with pytest.raises(DomainError, match="another session"):
        services.submit_feedback(
            session=session_b,
            answered_by=cast.mentee,
            via_link=True,
            link=FeedbackLink.objects.get(),
            **CLEAN_ANSWERS,
        )
    assert not SessionFeedback.objects.exists()


def test_an_answer_outside_the_choices_is_refused_at_its_field_and_answers_are_kept(cast, client):
    session = MentoringSessionFactory(match=cast.match)
    url = link_url(session)
    response = client.post(url, {**ANSWERS, "rating": "9", "more_hopeful": "maybe"})
    assert response.status_code == 200
    assert response.text.count("Please choose one of the answers shown.") == 2
    assert 'id="id_rating-error"' in response.text and 'id="id_more_hopeful-error"' in response.text
    # What was chosen and typed is still there.
    kept = r'<input[^>]*name="felt_listened_to"[^>]*value="yes"[^>]*checked'
    assert re.search(kept, response.text)
    assert "It helped to talk about the flat." in response.text
    assert not SessionFeedback.objects.exists()
    assert FeedbackLink.objects.get().used_at is None


def test_the_service_refuses_an_answer_outside_the_choices(cast):
    session = MentoringSessionFactory(match=cast.match)
    with pytest.raises(DomainError) as error:
        submit(session, cast.mentee, rating=0)
    assert error.value.field == "rating"
    with pytest.raises(DomainError) as error:
        submit(session, cast.mentee, felt_listened_to="sometimes")
    assert error.value.field == "felt_listened_to"


def test_the_link_page_speaks_the_mentees_language(cast, client):
    cast.mentee.preferred_language = "es"
    cast.mentee.save()
    session = MentoringSessionFactory(match=cast.match)
    response = client.get(link_url(session))
    assert response.status_code == 200
    assert 'lang="es"' in response.text


def test_the_management_command_prints_a_working_link(cast, client, settings, capsys):
    settings.SITE_URL = "https://peerpath.example.org"
    session = MentoringSessionFactory(match=cast.match)
    call_command("feedback_link", str(session.pk))
    url = capsys.readouterr().out.strip()
    assert url.startswith("https://peerpath.example.org/sessions/f/")
    response = client.get(url.removeprefix("https://peerpath.example.org"))
    assert response.status_code == 200
    assert "How was today?" in response.text


# --- Signed in -------------------------------------------------------------------------------


def test_the_mentee_answers_while_signed_in(cast, login):
    session = MentoringSessionFactory(match=cast.match)
    client = login(cast.mentee)
    url = reverse("mentoring_sessions:feedback_give", args=[session.pk])
    assert "How was today?" in client.get(url).text
    response = client.post(url, ANSWERS)
    assert response.status_code == 302
    feedback = SessionFeedback.objects.get(session=session)
    assert not feedback.via_link and feedback.answered_by == cast.mentee


def test_another_mentee_gets_404_on_the_form(cast, login):
    session = MentoringSessionFactory(match=cast.match)
    client = login(cast.mentee2)
    url = reverse("mentoring_sessions:feedback_give", args=[session.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, ANSWERS).status_code == 404
    assert not SessionFeedback.objects.exists()


def test_a_session_not_held_has_nothing_to_answer(cast, login):
    session = MentoringSessionFactory(match=cast.match, status=MentoringSession.Status.NO_SHOW)
    response = login(cast.mentee).post(
        reverse("mentoring_sessions:feedback_give", args=[session.pk]), ANSWERS
    )
    assert response.status_code == 200
    assert "did not take place" in response.text
    assert not SessionFeedback.objects.exists()


def test_answering_signed_in_uses_up_the_open_links(cast, login, client):
    session = MentoringSessionFactory(match=cast.match)
    url = link_url(session)
    submit(session, cast.mentee)
    response = client.get(url)
    assert response.status_code == 200
    assert "already used" in response.text


# --- One response per session ----------------------------------------------------------------


def test_a_second_answer_shows_already_answered(cast, login):
    session = MentoringSessionFactory(match=cast.match)
    client = login(cast.mentee)
    url = reverse("mentoring_sessions:feedback_give", args=[session.pk])
    client.post(url, ANSWERS)
    response = client.post(url, {**ANSWERS, "rating": "2"})
    assert response.status_code == 200
    assert "already has your answers" in response.text
    assert SessionFeedback.objects.get().rating == 4


def test_the_service_refuses_a_second_answer(cast):
    session = MentoringSessionFactory(match=cast.match)
    submit(session, cast.mentee)
    with pytest.raises(DomainError, match="already has your answers"):
        submit(session, cast.mentee, rating=1)
    assert SessionFeedback.objects.count() == 1


def test_only_the_sessions_mentee_answers_for_it(cast):
    session = MentoringSessionFactory(match=cast.match)
    with pytest.raises(DomainError, match="Only the mentee"):
        submit(session, cast.mentor)


# Real commits, so each thread sees the other's; the data migrations' rows are put back after
# the flush for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_submit_through_the_link_saves_one_answer(cast):
    session = MentoringSessionFactory(match=cast.match)
    services.issue_feedback_link(session=session)
    link = FeedbackLink.objects.get()
    barrier = threading.Barrier(2)
    outcomes = []

    def answer():
        try:
            barrier.wait()
            services.submit_feedback(
                session=session, answered_by=cast.mentee, via_link=True, link=link, **CLEAN_ANSWERS
            )
            outcomes.append("saved")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=answer) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert SessionFeedback.objects.filter(session=session).count() == 1


# --- Who is told -----------------------------------------------------------------------------


def test_please_contact_me_notifies_the_programs_coordinators(cast):
    session = MentoringSessionFactory(match=cast.match)
    feedback = submit(session, cast.mentee, rating=5, wants_contact=True)
    rows = contact_rows()
    assert {row.recipient for row in rows} == {cast.coordinator}
    assert {row.subject_id for row in rows} == {feedback.pk}


def test_the_lowest_rating_notifies_the_coordinators(cast):
    session = MentoringSessionFactory(match=cast.match)
    submit(session, cast.mentee, rating=1)
    assert {row.recipient for row in contact_rows()} == {cast.coordinator}


def test_a_good_answer_notifies_nobody(cast):
    session = MentoringSessionFactory(match=cast.match)
    submit(session, cast.mentee, rating=2)
    assert contact_rows() == []


def test_answering_cancels_the_pending_reminder(cast):
    session = MentoringSessionFactory(match=cast.match)
    services.invite_feedback(session=session)
    submit(session, cast.mentee)
    reminders = Notification.objects.filter(kind="feedback_reminder")
    assert reminders.exists()
    assert set(reminders.values_list("state", flat=True)) == {Notification.State.CANCELLED}
    invitations = Notification.objects.filter(kind="feedback_invitation")
    assert set(invitations.values_list("state", flat=True)) == {Notification.State.PENDING}


# --- Reading the answers ---------------------------------------------------------------------


def test_the_feedback_page_shows_answers_but_never_private_notes(cast, login):
    session = MentoringSessionFactory(
        match=cast.match, private_notes="PRIVATE-NOTE-TEXT", summary="Shared summary"
    )
    submit(session, cast.mentee, wants_contact=True, comment="Thanks a lot")
    url = reverse("mentoring_sessions:feedback_detail", args=[session.pk])
    for person in (cast.supervisor, cast.coordinator, cast.mentor, cast.mentee):
        body = login(person).get(url).text
        assert "Thanks a lot" in body
        assert "PRIVATE-NOTE-TEXT" not in body


def test_the_mentor_does_not_see_the_request_for_contact(cast, login):
    session = MentoringSessionFactory(match=cast.match)
    submit(session, cast.mentee, wants_contact=True)
    url = reverse("mentoring_sessions:feedback_detail", args=[session.pk])
    assert "to contact them" not in login(cast.mentor).get(url).text
    assert "to contact them" in login(cast.coordinator).get(url).text


def test_private_notes_never_reach_the_mentees_pages(cast, login):
    session = MentoringSessionFactory(match=cast.match, private_notes="PRIVATE-NOTE-TEXT")
    client = login(cast.mentee)
    pages = [
        reverse("home"),
        reverse("mentoring_sessions:feedback_give", args=[session.pk]),
    ]
    submit(session, cast.mentee)
    pages.append(reverse("mentoring_sessions:feedback_detail", args=[session.pk]))
    for url in pages:
        assert "PRIVATE-NOTE-TEXT" not in client.get(url).text


def test_the_mentees_home_asks_about_recent_held_sessions_without_answers(cast, login):
    recent = MentoringSessionFactory(match=cast.match)
    old = MentoringSessionFactory(
        match=cast.match, starts_at=timezone.now() - datetime.timedelta(days=20)
    )
    answered = MentoringSessionFactory(match=cast.match)
    submit(answered, cast.mentee)
    body = login(cast.mentee).get(reverse("home")).text

    def form_url(session):
        return reverse("mentoring_sessions:feedback_give", args=[session.pk])

    assert "How was your session?" in body
    assert form_url(recent) in body
    assert form_url(old) not in body and form_url(answered) not in body


def test_the_mentees_home_does_not_ask_when_all_is_answered(cast, login):
    submit(MentoringSessionFactory(match=cast.match), cast.mentee)
    assert "How was your session?" not in login(cast.mentee).get(reverse("home")).text


def test_a_coordinator_of_another_program_is_not_told(cast):
    submit(MentoringSessionFactory(match=cast.match), cast.mentee, wants_contact=True)
    assert cast.outsider not in {row.recipient for row in contact_rows()}


# --- The whole way round ---------------------------------------------------------------------


def test_mentee_answers_by_link_and_the_supervisor_sees_log_concern_and_feedback(
    cast, client, login
):
    session = MentoringSessionFactory(match=cast.match, concern=MentoringSession.Concern.URGENT)
    services.raise_safety_alert(
        mentee=cast.mentee_profile, source="session_concern", session=session, raised_by=cast.mentor
    )
    services.invite_feedback(session=session)
    assert Notification.objects.filter(kind="feedback_invitation", recipient=cast.mentee).exists()

    url = link_url(session)
    assert client.get(url).status_code == 200
    client.post(url, {**ANSWERS, "rating": "2", "comment": "Hard week"})

    supervisor = login(cast.supervisor)
    logs = supervisor.get(reverse("mentoring_sessions:supervision_logs"), {"concern": "urgent"})
    assert "Urgent safety concern" in logs.text and "2 of 5" in logs.text
    feedback_url = reverse("mentoring_sessions:feedback_detail", args=[session.pk])
    assert "Hard week" in supervisor.get(feedback_url).text
    assert "Open safety alerts (1)" in supervisor.get(reverse("home")).text

    for outsider in (cast.mentor2, cast.mentee2):
        other = login(outsider)
        assert other.get(feedback_url).status_code == 404
        assert (
            other.get(reverse("mentoring_sessions:feedback_give", args=[session.pk])).status_code
            == 404
        )
