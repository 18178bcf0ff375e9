"""Answering a measure: signed in (whole page or one question per screen), by one-time link,
or in person with a coordinator; scoring on save, refused input, and safety alerts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Administration, MeasureSchedule, Response
from evaluation.services import measures
from sessions.models import SafetyAlert
from tests.evaluation.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

PHQ9_MILD = [1, 1, 1, 1, 1, 0, 0, 0, 0]  # total 5: mild


def phq9(cast, **kwargs) -> Administration:
    return AdministrationFactory(match=cast.match, **kwargs)


def post_data(answers: list, **extra) -> dict:
    data = {f"item_{n}": value for n, value in enumerate(answers, 1) if value is not None}
    return {"view": "all", **data, **extra}


def checked(body: str, name: str, value: int) -> bool:
    """Whether the radio button ``name=value`` is drawn checked."""
    pattern = rf'<input[^>]*name="{name}" value="{value}"[^>]*checked'
    return re.search(pattern, body) is not None


def answer_url(administration) -> str:
    return reverse("evaluation:measure_answer", args=[administration.pk])


# --- Signed in, whole page -------------------------------------------------------------


def test_the_mentee_answers_and_the_answers_are_scored_with_the_version(cast, login):
    administration = phq9(cast)

    response = login(cast.mentee).post(
        answer_url(administration), post_data(PHQ9_MILD, helped="on")
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:measure_done", args=[administration.pk])
    administration.refresh_from_db()
    assert (administration.status, administration.total, administration.band) == (
        "completed",
        5,
        "mild",
    )
    assert administration.reported_score == 5
    assert (administration.mode, administration.answered_by, administration.helped) == (
        "self",
        cast.mentee,
        True,
    )
    assert administration.instrument_version.startswith("PHQ-9")
    assert list(administration.responses.values_list("value", flat=True)) == PHQ9_MILD


def test_the_form_shows_the_published_wording_and_the_easy_read_explanation(cast, login):
    response = login(cast.mentee).get(answer_url(phq9(cast)))

    body = response.content.decode()
    assert "Little interest or pleasure in doing things" in body
    assert "Did you enjoy things less than usual?" in body
    assert "Someone helped me fill this in" in body
    assert response["Cache-Control"] == "no-store, private"


def test_an_answer_outside_the_scale_is_refused_nothing_stored_and_answers_kept(cast, login):
    administration = phq9(cast)
    answers = [2, 1, 1, 1, 1, 0, 0, 0, 7]

    response = login(cast.mentee).post(answer_url(administration), post_data(answers))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Please choose one of the answers shown." in body
    assert checked(body, "item_1", 2)
    administration.refresh_from_db()
    assert administration.status == "due"
    assert not Response.objects.filter(administration=administration).exists()


def test_a_missing_answer_is_refused_and_nothing_is_stored(cast, login):
    administration = phq9(cast)

    response = login(cast.mentee).post(
        answer_url(administration), post_data([0, 0, 0, 0, 0, 0, 0, 0, None])
    )

    assert response.status_code == 200
    assert "Please choose one answer." in response.content.decode()
    administration.refresh_from_db()
    assert administration.status == "due"


def test_a_double_submit_saves_one_set_of_answers(cast, login):
    administration = phq9(cast)
    client = login(cast.mentee)

    client.post(answer_url(administration), post_data(PHQ9_MILD))
    second = client.post(answer_url(administration), post_data([3] * 9))

    assert second.status_code == 404
    assert Response.objects.filter(administration=administration).count() == 9
    administration.refresh_from_db()
    assert administration.total == 5


def test_someone_else_cannot_answer_for_the_mentee(cast, login):
    administration = phq9(cast)

    for person in (cast.mentor, cast.mentee2, cast.coordinator):
        assert (
            login(person).post(answer_url(administration), post_data(PHQ9_MILD)).status_code == 404
        )
    administration.refresh_from_db()
    assert administration.status == "due"


def test_the_mentor_answers_the_mentor_relationship_survey(cast, login):
    administration = phq9(cast, instrument="REL_MENTOR", timepoint="day30")

    response = login(cast.mentor).post(answer_url(administration), post_data([4, 4, 5, 5, 3]))

    assert response.status_code == 302
    administration.refresh_from_db()
    assert (administration.total, administration.answered_by) == (21, cast.mentor)
    assert (
        login(cast.mentee)
        .get(answer_url(phq9(cast, instrument="REL_MENTOR", timepoint="day90")))
        .status_code
        == 404
    )


# --- Safety --------------------------------------------------------------------------------


def test_phq9_item_9_above_zero_raises_a_safety_alert_and_shows_crisis_resources(cast, login):
    administration = phq9(cast)
    client = login(cast.mentee)

    response = client.post(
        answer_url(administration), post_data([0, 0, 0, 0, 0, 0, 0, 0, 1]), follow=True
    )

    alert = SafetyAlert.objects.get(mentee=cast.mentee_profile)
    assert (alert.source, alert.raised_by) == ("measure", cast.mentee)
    assert "988" in response.content.decode()
    # At once, at the top of the supervisor's home.
    home = login(cast.supervisor).get(reverse("home")).text
    assert "Open safety alerts (1)" in home
    assert reverse("mentoring_sessions:alert_detail", args=[alert.pk]) in home


def test_a_check_in_saying_i_need_help_now_raises_a_check_in_alert(cast, login):
    administration = phq9(cast, instrument="CHECKIN")

    response = login(cast.mentee).post(
        answer_url(administration), post_data([0, 3, None, None, 1, 1, 1, 1]), follow=True
    )

    assert SafetyAlert.objects.get(mentee=cast.mentee_profile).source == "check_in"
    assert "988" in response.content.decode()


def test_no_alert_and_no_crisis_resources_when_nothing_signals_risk(cast, login):
    response = login(cast.mentee).post(answer_url(phq9(cast)), post_data(PHQ9_MILD), follow=True)

    assert not SafetyAlert.objects.exists()
    assert "988" not in response.content.decode()


def test_the_check_in_asks_the_risk_questions_only_where_the_program_does(cast, login):
    administration = phq9(cast, instrument="CHECKIN")
    client = login(cast.mentee)
    assert "share needles" not in client.get(answer_url(administration)).content.decode()

    MeasureSchedule.objects.update_or_create(
        program=cast.program, defaults={"include_risk_items": True}
    )
    assert "share needles" in client.get(answer_url(administration)).content.decode()


# --- One question per screen ------------------------------------------------------------


def test_one_question_per_screen_steps_through_without_javascript(cast, login):
    administration = phq9(cast, instrument="UCLA3")
    client = login(cast.mentee)
    url = answer_url(administration)

    first = client.get(url + "?view=step")
    assert "Question 1 of 3" in first.content.decode()
    for number, value in ((1, 2), (2, 2), (3, 3)):
        response = client.post(
            url, {"view": "step", "q": number, "action": "answer", f"item_{number}": value}
        )
        assert response.status_code == 302
        assert "item_" not in response["Location"]
    administration.refresh_from_db()
    assert administration.draft == {"1": 2, "2": 2, "3": 3}
    assert administration.status == "due"

    last = client.get(url + "?view=step&q=4")
    assert "You answered every question." in last.content.decode()
    done = client.post(url, {"view": "step", "action": "finish", "helped": "on"})

    assert done.status_code == 302
    administration.refresh_from_db()
    assert (administration.status, administration.total, administration.draft) == (
        "completed",
        7,
        {},
    )
    assert administration.flags == ["lonely"]
    assert administration.helped is True


def test_a_step_keeps_the_earlier_answer_when_going_back(cast, login):
    administration = phq9(cast, instrument="UCLA3")
    client = login(cast.mentee)
    url = answer_url(administration)
    client.post(url, {"view": "step", "q": 1, "action": "answer", "item_1": 3})

    back = client.get(url + "?view=step&q=1").content.decode()

    assert checked(back, "item_1", 3)


def test_a_step_refuses_an_answer_outside_the_scale_and_keeps_nothing(cast, login):
    administration = phq9(cast, instrument="UCLA3")
    client = login(cast.mentee)

    response = client.post(
        answer_url(administration), {"view": "step", "q": 1, "action": "answer", "item_1": 4}
    )

    assert response.status_code == 200
    assert "Please choose one of the answers shown." in response.content.decode()
    administration.refresh_from_db()
    assert administration.draft == {}


def test_finishing_with_an_unanswered_step_goes_back_to_it(cast, login):
    administration = phq9(cast, instrument="UCLA3")
    client = login(cast.mentee)
    url = answer_url(administration)
    client.post(url, {"view": "step", "q": 1, "action": "answer", "item_1": 1})

    response = client.post(url, {"view": "step", "action": "finish"})

    assert response["Location"] == url + "?view=step&q=2"
    administration.refresh_from_db()
    assert administration.status == "due"


def test_easy_read_people_get_one_question_per_screen_by_default(cast, login):
    cast.mentee.easy_read = True
    cast.mentee.save(update_fields=["easy_read"])

    response = login(cast.mentee).get(answer_url(phq9(cast)))

    assert "Question 1 of 9" in response.content.decode()


# --- One-time link --------------------------------------------------------------------------


def link_url(token: str) -> str:
    return reverse("evaluation:measure_link", args=[token])


def test_the_link_opens_the_questions_without_signing_in_and_uses_nothing_up(cast, client):
    administration = phq9(cast)
    token = measures.issue_measure_link(administration=administration)

    response = client.get(link_url(token))

    assert response.status_code == 200
    assert "Little interest or pleasure in doing things" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    assert administration.links.get().used_at is None
    assert "_auth_user_id" not in client.session


def test_answering_by_link_saves_scores_and_uses_the_link_up(cast, client):
    administration = phq9(cast)
    token = measures.issue_measure_link(administration=administration)

    response = client.post(link_url(token), post_data(PHQ9_MILD))

    assert "Your answers are saved." in response.content.decode()
    administration.refresh_from_db()
    assert (administration.status, administration.mode, administration.answered_by) == (
        "completed",
        "link",
        cast.mentee,
    )
    again = client.get(link_url(token))
    assert "already used" in again.content.decode()


def test_the_link_offers_the_next_questions_of_the_same_time_point(cast, client):
    administration = phq9(cast)
    phq9(cast, instrument="GAD7")
    token = measures.issue_measure_link(administration=administration)

    response = client.post(link_url(token), post_data(PHQ9_MILD))

    assert "Go to the next questions" in response.content.decode()


def test_the_link_steps_through_one_question_per_screen(cast, client):
    administration = phq9(cast, instrument="UCLA3")
    token = measures.issue_measure_link(administration=administration)
    url = link_url(token)

    for number in (1, 2, 3):
        client.post(url, {"view": "step", "q": number, "action": "answer", f"item_{number}": 1})
    client.post(url, {"view": "step", "action": "finish"})

    administration.refresh_from_db()
    assert (administration.status, administration.total, administration.mode) == (
        "completed",
        3,
        "link",
    )


def test_an_unknown_link_is_not_found(client):
    assert client.get(link_url("not-a-token")).status_code == 404


def test_an_expired_link_says_so(cast, client):
    administration = phq9(cast)
    token = measures.issue_measure_link(administration=administration)
    administration.links.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = client.post(link_url(token), post_data(PHQ9_MILD))

    assert "This link has expired." in response.content.decode()
    administration.refresh_from_db()
    assert administration.status == "due"


def test_bad_input_by_link_keeps_the_typed_answers(cast, client):
    token = measures.issue_measure_link(administration=phq9(cast))

    response = client.post(link_url(token), post_data([2, 1, 1, 1, 1, 0, 0, 0, None]))

    body = response.content.decode()
    assert "Please choose one answer." in body
    assert checked(body, "item_1", 2)


# --- In person with staff ---------------------------------------------------------------------


def test_a_coordinator_records_answers_given_in_person(cast, login):
    administration = phq9(cast)

    response = login(cast.coordinator).post(
        reverse("evaluation:measure_in_person", args=[administration.pk]),
        post_data(PHQ9_MILD),
        follow=True,
    )

    assert "Your answers are saved." in response.content.decode()
    administration.refresh_from_db()
    assert (administration.mode, administration.answered_by) == ("in_person", cast.coordinator)


def test_a_supervisor_does_not_record_in_person(cast, login):
    administration = phq9(cast)

    response = login(cast.supervisor).post(
        reverse("evaluation:measure_in_person", args=[administration.pk]), post_data(PHQ9_MILD)
    )

    assert response.status_code == 404
