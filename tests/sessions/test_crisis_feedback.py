"""The feedback item "How safe do you feel right now?": "I don't feel safe" and "I need help
now" raise a safety alert and show the mentee the crisis resources at once."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from sessions import services
from sessions.models import CrisisSettings, SafetyAlert, SessionFeedback
from tests.conftest import MARKERS
from tests.sessions.factories import MentoringSessionFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "rating": "2",
    "felt_listened_to": "yes",
    "learned_something": "not_sure",
    "more_hopeful": "no",
    "wants_contact": "no",
}


def give(cast, login, **answers):
    session = MentoringSessionFactory(match=cast.match)
    url = reverse("mentoring_sessions:feedback_give", args=[session.pk])
    return session, login(cast.mentee).post(url, {**ANSWERS, **answers}, follow=True)


def test_need_help_now_alerts_the_supervisor_and_shows_the_mentee_988(cast, login, client):
    session, response = give(cast, login, feels_safe="need_help")
    body = response.text
    assert 'href="tel:988"' in body
    assert 'href="sms:988"' in body
    assert 'href="tel:911"' in body
    alert = SafetyAlert.objects.get(mentee=cast.mentee_profile)
    assert alert.source == SafetyAlert.Source.FEEDBACK
    assert alert.session == session
    home = login(cast.supervisor).get(reverse("home")).text
    assert "Open safety alerts (1)" in home
    assert MARKERS["mentee"] in home
    assert reverse("mentoring_sessions:alert_detail", args=[alert.pk]) in home


def test_not_feeling_safe_raises_an_alert_too(cast, login):
    _session, response = give(cast, login, feels_safe="not_safe")
    assert 'href="tel:988"' in response.text
    assert SafetyAlert.objects.filter(mentee=cast.mentee_profile).count() == 1


@pytest.mark.parametrize("answer", ["safe", ""])
def test_feeling_safe_or_skipping_the_question_raises_nothing(cast, login, answer):
    _session, response = give(cast, login, feels_safe=answer)
    assert response.status_code == 200
    assert "tel:988" not in response.text
    assert not SafetyAlert.objects.exists()


def test_an_unknown_safety_answer_is_refused_and_nothing_is_saved(cast, login):
    session = MentoringSessionFactory(match=cast.match)
    url = reverse("mentoring_sessions:feedback_give", args=[session.pk])
    response = login(cast.mentee).post(url, {**ANSWERS, "feels_safe": "maybe", "comment": "hi"})
    assert response.status_code == 200
    assert "Please choose one of the answers shown." in response.text
    assert "hi</textarea>" in response.text
    assert not SessionFeedback.objects.exists()
    assert not SafetyAlert.objects.exists()


def test_the_one_time_link_thanks_page_shows_the_crisis_resources(cast, client):
    session = MentoringSessionFactory(match=cast.match)
    token = services.issue_feedback_link(session=session)
    url = reverse("mentoring_sessions:feedback_link", args=[token])
    response = client.post(url, {**ANSWERS, "feels_safe": "need_help"})
    assert response.status_code == 200
    assert 'href="tel:988"' in response.text
    assert "We have told the program staff" in response.text
    assert SafetyAlert.objects.filter(session=session, raised_by=cast.mentee).exists()


def test_the_mentor_does_not_see_the_crisis_block_on_the_feedback(cast, login):
    session, _response = give(cast, login, feels_safe="need_help")
    url = reverse("mentoring_sessions:feedback_detail", args=[session.pk])
    body = login(cast.mentor).get(url).text
    assert "tel:988" not in body
    assert "I need help now" not in body


def test_the_crisis_resources_show_the_programs_on_call_number(cast):
    CrisisSettings.objects.create(program=cast.program, on_call_phone="+1 (555) 010-2000")
    html = render_to_string("sessions/_crisis_resources.html", {"program": cast.program})
    assert 'href="tel:+15550102000"' in html
    assert "+1 (555) 010-2000" in html
    assert 'role="alert"' in html


def test_without_an_on_call_number_the_resources_say_to_contact_the_program(cast):
    html = render_to_string("sessions/_crisis_resources.html", {"program": cast.program})
    assert "contact the Program A program staff" in html
    assert 'href="tel:988"' in html
    generic = render_to_string("sessions/_crisis_resources.html", {"program": None})
    assert "contact your program staff" in generic
