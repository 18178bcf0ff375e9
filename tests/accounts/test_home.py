import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_coordinator_home_lists_waiting_mentees(cast, login):
    cast.mentee_profile.status = "waiting"
    cast.mentee_profile.save()
    response = login(cast.coordinator).get(reverse("home"))
    assert response.status_code == 200
    assert "Waiting for a mentor" in response.text
    assert "Mentee One" in response.text


def test_mentor_home_shows_only_own_mentees(cast, login):
    response = login(cast.mentor).get(reverse("home"))
    assert "Mentee One" in response.text
    assert "Mentee Two" not in response.text


def test_case_manager_home_shows_consented_mentees_only(cast, login):
    response = login(cast.case_manager).get(reverse("home"))
    assert "Mentee One" in response.text
    assert "Mentee Two" not in response.text


def test_home_with_health_data_is_never_cached(cast, login):
    response = login(cast.mentee).get(reverse("home"))
    assert "no-store" in response["Cache-Control"]
