"""Applying to be a mentor: the public form, spam and rate limits, known emails, and a
coordinator entering an applicant."""

import re
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Membership, MentorProfile, Notification, User
from accounts.pathway.forms import started_token
from accounts.pathway.models import Application, StatusChange
from accounts.pathway.views import APPLY_LIMIT

pytestmark = pytest.mark.django_db
APPLY = reverse("accounts:pathway_apply")
THANKS = reverse("accounts:pathway_apply_thanks")


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def page_text(response) -> str:
    """The page without its per-request tokens."""
    return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', "", response.content.decode())


def form_data(program, **overrides):
    data = {
        "program": program.pk,
        "display_name": "Sam Rivera",
        "email": "sam.rivera@example.org",
        "phone": "555-0100",
        "preferred_language": "en",
        "recovery_start": "2020-03-01",
        "motivation": "I want to give back.",
        "website": "",
        "started": started_token(time.time() - 30),
    }
    data.update(overrides)
    return data


def test_anyone_can_open_the_application_form(client, cast):
    response = client.get(APPLY)
    assert response.status_code == 200
    assert "Program A" in response.content.decode()


def test_a_new_person_applies_and_becomes_an_applicant_with_a_confirmation_email(client, cast):
    response = client.post(APPLY, form_data(cast.program))
    assert response.status_code == 302 and response["Location"] == THANKS
    user = User.objects.get(email="sam.rivera@example.org")
    mentor = MentorProfile.objects.get(user=user, program=cast.program)
    assert mentor.status == "applicant"
    assert mentor.application.source == Application.Source.PUBLIC_FORM
    assert StatusChange.objects.filter(mentor=mentor, to_status="applicant").exists()
    assert Membership.objects.filter(user=user, program=cast.program, role="mentor").exists()
    note = Notification.objects.get(recipient=user)
    assert (note.kind, note.channel) == ("mentor_application_received", "email")


def test_a_known_email_creates_no_second_person_and_the_page_says_the_same(client, cast):
    new_page = page_text(client.post(APPLY, form_data(cast.program), follow=True))
    users = User.objects.count()
    known = form_data(cast.program, email=cast.mentee.email, display_name="Someone Else")
    known_page = page_text(client.post(APPLY, known, follow=True))
    assert User.objects.count() == users
    assert known_page == new_page
    mentor = MentorProfile.objects.get(user=cast.mentee, program=cast.program)
    assert mentor.status == "applicant"
    assert cast.mentee.display_name != "Someone Else"


def test_an_existing_mentor_applying_again_changes_nothing_and_gets_a_what_next_email(client, cast):
    page = client.post(APPLY, form_data(cast.program, email=cast.mentor.email), follow=True)
    assert page.status_code == 200
    cast.mentor_profile.refresh_from_db()
    assert cast.mentor_profile.status == "active"
    assert not Application.objects.filter(mentor=cast.mentor_profile).exists()
    note = Notification.objects.get(recipient=cast.mentor, kind="mentor_application_known")
    assert note.channel == "email"


def test_the_honeypot_silently_drops_the_application(client, cast):
    response = client.post(APPLY, form_data(cast.program, website="http://spam.example"))
    assert response["Location"] == THANKS
    assert not User.objects.filter(email="sam.rivera@example.org").exists()


def test_a_form_sent_back_too_fast_is_dropped(client, cast):
    response = client.post(APPLY, form_data(cast.program, started=started_token()))
    assert response["Location"] == THANKS
    assert not User.objects.filter(email="sam.rivera@example.org").exists()


def test_a_forged_timestamp_is_dropped(client, cast):
    client.post(APPLY, form_data(cast.program, started="1700000000"))
    assert not User.objects.filter(email="sam.rivera@example.org").exists()


def test_the_form_is_rate_limited_per_address_and_keeps_what_was_typed(client, cast):
    for n in range(APPLY_LIMIT):
        client.post(APPLY, form_data(cast.program, email=f"person{n}@example.org"))
    response = client.post(APPLY, form_data(cast.program, email="late@example.org"))
    assert response.status_code == 429
    assert 'value="late@example.org"' in response.content.decode()
    assert not User.objects.filter(email="late@example.org").exists()


def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, cast):
    data = form_data(cast.program, email="not-an-email", recovery_start="2999-01-01")
    response = client.post(APPLY, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Sam Rivera"' in body
    assert "cannot be in the future" in body
    assert not User.objects.filter(display_name="Sam Rivera").exists()


def test_double_submit_creates_one_applicant(client, cast):
    client.post(APPLY, form_data(cast.program))
    client.post(APPLY, form_data(cast.program))
    assert MentorProfile.objects.filter(user__email="sam.rivera@example.org").count() == 1
    assert User.objects.filter(email="sam.rivera@example.org").count() == 1


def test_an_inactive_program_is_not_offered(client, cast):
    cast.other_program.is_active = False
    cast.other_program.save()
    client.post(APPLY, form_data(cast.other_program))
    assert not User.objects.filter(email="sam.rivera@example.org").exists()


# --- Coordinator entry ---------------------------------------------------------------------

NEW = reverse("accounts:pathway_applicant_create")


def test_a_coordinator_enters_an_applicant(login, cast):
    data = form_data(cast.program, email="met.at.fair@example.org")
    response = login(cast.coordinator).post(NEW, data)
    mentor = MentorProfile.objects.get(user__email="met.at.fair@example.org")
    assert response["Location"] == reverse("accounts:pathway_mentor", args=[mentor.pk])
    assert mentor.application.source == Application.Source.COORDINATOR
    assert mentor.application.entered_by == cast.coordinator


def test_a_coordinator_cannot_enter_an_applicant_in_another_program(login, cast):
    response = login(cast.outsider).post(NEW, form_data(cast.program))
    assert response.status_code == 200
    assert not User.objects.filter(email="sam.rivera@example.org").exists()


def test_entering_an_existing_mentor_again_is_refused_next_to_the_email(login, cast):
    response = login(cast.coordinator).post(NEW, form_data(cast.program, email=cast.mentor.email))
    assert response.status_code == 200
    assert "already a mentor or an applicant" in response.content.decode()


def test_people_who_coordinate_nothing_cannot_enter_applicants(login, cast):
    assert login(cast.supervisor).get(NEW).status_code == 404
    assert login(cast.mentor).get(NEW).status_code == 404
