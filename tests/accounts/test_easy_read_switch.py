import re

from django.urls import reverse

from sessions.services import issue_feedback_link
from tests.sessions.factories import MentoringSessionFactory

SWITCH = reverse("accounts:easy_read_switch")


def test_switch_turns_easy_read_on_and_returns_to_the_page(cast, login):
    client = login(cast.mentee)
    page = reverse("mentoring_sessions:session_list")

    response = client.post(SWITCH, {"easy_read": "on", "next": page})

    assert response.status_code == 302
    assert response["Location"] == page
    cast.mentee.refresh_from_db()
    assert cast.mentee.easy_read is True


def test_switch_turns_easy_read_off(cast, login):
    cast.mentee.easy_read = True
    cast.mentee.save()

    login(cast.mentee).post(SWITCH, {"easy_read": "off", "next": reverse("home")})

    cast.mentee.refresh_from_db()
    assert cast.mentee.easy_read is False


def test_switch_changes_only_the_signed_in_persons_setting(cast, login):
    login(cast.mentee).post(SWITCH, {"easy_read": "on"})

    cast.mentee2.refresh_from_db()
    assert cast.mentee2.easy_read is False


def test_switch_never_sends_anyone_to_another_site(cast, login):
    response = login(cast.mentee).post(
        SWITCH, {"easy_read": "on", "next": "https://elsewhere.example.com/"}
    )

    assert response["Location"] == reverse("home")


def test_switch_refuses_get(cast, login):
    assert login(cast.mentee).get(SWITCH).status_code == 405


def test_mentee_pages_show_the_switch_and_staff_pages_do_not(cast, login):
    client = login(cast.mentee)
    assert b'action="' + SWITCH.encode() + b'"' in client.get(reverse("home")).content

    client = login(cast.coordinator)
    assert SWITCH.encode() not in client.get(reverse("home")).content


def test_easy_read_setting_draws_the_page_in_easy_read_mode(cast, login):
    cast.mentee.easy_read = True
    cast.mentee.save()

    body = login(cast.mentee).get(reverse("home")).content.decode()

    assert "easy-read" in re.search(r'<body class="([^"]*)"', body)[1].split()
    assert 'aria-pressed="true"' in body


def test_feedback_link_follows_the_mentees_easy_read_setting_unless_the_address_says_otherwise(
    cast, client
):
    cast.mentee.easy_read = True
    cast.mentee.save()
    url = reverse(
        "mentoring_sessions:feedback_link",
        args=[issue_feedback_link(session=MentoringSessionFactory(match=cast.match))],
    )

    assert "one-question-per-screen" in client.get(url).content.decode()
    assert "one-question-per-screen" not in client.get(f"{url}?easy_read=off").content.decode()
