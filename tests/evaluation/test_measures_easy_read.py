"""Measures and recovery check-ins in easy-read mode: the published wording with the plain
explanation beside it, a read-aloud button per question, a picture beside each answer, one
question per screen with its progress, and "Someone helped me fill this in" kept with the
answers."""

import re

import pytest
from django.urls import reverse

from evaluation.services import measures
from tests.evaluation.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


def easy_read(user):
    user.easy_read = True
    user.save(update_fields=["easy_read"])


def answer_url(administration) -> str:
    return reverse("evaluation:measure_answer", args=[administration.pk])


def test_easy_read_question_keeps_the_published_wording_with_the_explanation_beside_it(cast, login):
    easy_read(cast.mentee)
    administration = AdministrationFactory(match=cast.match)

    html = login(cast.mentee).get(answer_url(administration)).text

    assert "<legend" in html and "Little interest or pleasure in doing things</legend>" in html
    assert "Did you enjoy things less than usual?" in html
    assert "Question 1 of 9" in html
    assert "<progress" in html


def test_easy_read_question_has_a_read_aloud_button_with_its_words(cast, login):
    easy_read(cast.mentee)
    administration = AdministrationFactory(match=cast.match)

    html = login(cast.mentee).get(answer_url(administration)).text

    assert (
        'data-read-aloud="Little interest or pleasure in doing things '
        'Did you enjoy things less than usual?"' in html
    )


def test_easy_read_answers_each_have_a_picture_scale(cast, login):
    easy_read(cast.mentee)
    administration = AdministrationFactory(match=cast.match)

    html = login(cast.mentee).get(answer_url(administration)).text

    pictures = re.findall(
        r'class="btn btn-outline-primary choice"[^>]*><img src="[^"]*/(img/[^"]+)"', html
    )
    assert pictures == [f"img/levels/4-{rank}.svg" for rank in range(4)]


def test_ordinary_pages_show_no_pictures_and_no_read_aloud(cast, login):
    administration = AdministrationFactory(match=cast.match)

    html = login(cast.mentee).get(answer_url(administration) + "?view=step").text

    assert "img/levels/" not in html
    assert "data-read-aloud" not in html


def test_easy_read_check_in_shows_a_picture_for_each_housing_answer(cast, login):
    easy_read(cast.mentee)
    administration = AdministrationFactory(match=cast.match, instrument="CHECKIN")
    client = login(cast.mentee)
    url = answer_url(administration)

    days = client.get(url).text
    housing = client.get(url + "?view=step&q=3").text

    assert "img/easy/calendar.svg" in days
    assert "How many days did you drink or use drugs? 0 to 30." in days
    for picture in ("house", "house-help", "bed", "no-house"):
        assert f"img/easy/{picture}.svg" in housing


def test_easy_read_check_in_yes_no_answers_have_the_yes_and_no_pictures(cast, login):
    easy_read(cast.mentee)
    administration = AdministrationFactory(match=cast.match, instrument="CHECKIN")

    html = login(cast.mentee).get(answer_url(administration) + "?view=step&q=5").text

    assert "I feel safe." in html
    assert "img/faces/yes.svg" in html and "img/faces/no.svg" in html


def test_someone_helped_is_recorded_with_a_check_in_answered_step_by_step(cast, login):
    easy_read(cast.mentee)
    administration = AdministrationFactory(match=cast.match, instrument="CHECKIN")
    client = login(cast.mentee)
    url = answer_url(administration)
    for position, value in enumerate([0, 3, 1, 1, 1, 0], 1):
        item = [1, 2, 5, 6, 7, 8][position - 1]
        client.post(url, {"view": "step", "q": position, "action": "answer", f"item_{item}": value})
    last = client.get(url + "?view=step").text
    assert "feedback-helped-row" in last
    assert "Someone helped me fill this in" in last

    client.post(url, {"view": "step", "action": "finish", "helped": "on"})

    administration.refresh_from_db()
    assert (administration.status, administration.helped) == ("completed", True)


def test_easy_read_step_with_a_nonsense_answer_keeps_the_pictures_and_says_why(cast, login):
    easy_read(cast.mentee)
    administration = AdministrationFactory(match=cast.match)

    response = login(cast.mentee).post(
        answer_url(administration), {"view": "step", "q": 1, "action": "answer", "item_1": "x"}
    )

    assert response.status_code == 200
    assert "Please choose one of the answers shown." in response.text
    assert "img/levels/4-0.svg" in response.text


def test_a_measure_link_follows_the_respondents_easy_read_setting(cast, client):
    easy_read(cast.mentee)
    token = measures.issue_measure_link(administration=AdministrationFactory(match=cast.match))

    html = client.get(reverse("evaluation:measure_link", args=[token])).text

    assert re.search(r'<body class="easy-read', html)
    assert "data-read-aloud=" in html
    assert "img/levels/4-0.svg" in html


def test_a_measure_link_of_someone_without_easy_read_is_the_ordinary_page(cast, client):
    token = measures.issue_measure_link(administration=AdministrationFactory(match=cast.match))

    html = client.get(reverse("evaluation:measure_link", args=[token])).text

    assert not re.search(r'<body class="easy-read', html)
    assert "data-read-aloud=" not in html
