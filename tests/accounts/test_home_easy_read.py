"""The mentee's home page in easy-read mode: what is next first, plain sentences, a picture
and a read-aloud button per block, big buttons; the ordinary page otherwise."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import GoalStep
from tests.evaluation.factories import AdministrationFactory
from tests.sessions.factories import MentoringSessionFactory

pytestmark = pytest.mark.django_db


def easy_home(cast, login):
    cast.mentee.easy_read = True
    cast.mentee.save(update_fields=["easy_read"])
    return login(cast.mentee).get(reverse("home")).text


def block_order(html: str) -> list[str]:
    return re.findall(r'aria-labelledby="(easy-[\w-]+-heading)"', html)


def test_easy_read_home_replaces_the_ordinary_goals_list(cast, login):
    html = easy_home(cast, login)

    assert 'class="easy-home' in html
    assert "Your goals" in html
    assert "My goals" not in html
    assert "Your goal: Find a room" in html


def test_ordinary_home_has_no_easy_read_blocks(cast, login):
    html = login(cast.mentee).get(reverse("home")).text

    assert "easy-home" not in html
    assert "My goals" in html
    assert "Your next session" not in html


def test_easy_read_home_puts_the_next_session_first(cast, login):
    MentoringSessionFactory(match=cast.match, scheduled=True, place="The library")

    html = easy_home(cast, login)

    assert block_order(html) == [
        "easy-next-session-heading",
        "easy-goals-heading",
        "easy-mentor-heading",
    ]
    assert "Your next session is on" in html
    assert "Time: " in html
    assert "You meet Mentor. It is a meeting in person." in re.sub(r"\s+", " ", html)
    assert "Where: The library" in html


def test_easy_read_home_says_plainly_when_no_session_is_booked(cast, login):
    MentoringSessionFactory(match=cast.match, scheduled=True, status="cancelled", place="Old place")

    html = easy_home(cast, login)

    assert "You have no session booked yet." in html
    assert "Old place" not in html


def test_easy_read_home_counts_the_questions_to_answer(cast, login):
    administration = AdministrationFactory(match=cast.match, instrument="WHO5")

    html = easy_home(cast, login)

    assert "You have 1 set of questions to answer." in html
    assert reverse("evaluation:measure_answer", args=[administration.pk]) + "?view=step" in html
    assert block_order(html).index("easy-questions-heading") < block_order(html).index(
        "easy-goals-heading"
    )


def test_easy_read_home_asks_for_feedback_before_the_goals(cast, login):
    MentoringSessionFactory(match=cast.match, starts_at=timezone.now() - datetime.timedelta(days=1))

    html = easy_home(cast, login)

    assert "You have 1 session to tell us about." in html
    assert block_order(html)[:3] == [
        "easy-next-session-heading",
        "easy-feedback-heading",
        "easy-goals-heading",
    ]


def test_easy_read_goal_says_how_many_steps_are_done(cast, login):
    GoalStep.objects.create(goal=cast.goal, text="Call the housing office", done=True)
    GoalStep.objects.create(goal=cast.goal, text="Visit a room")

    html = easy_home(cast, login)

    assert "1 of 2 steps are done." in html
    assert "img/faces/yes.svg" in html
    assert "img/easy/step-todo.svg" in html


def test_every_easy_read_block_has_a_picture_and_a_read_aloud_button(cast, login):
    MentoringSessionFactory(match=cast.match, scheduled=True)

    html = easy_home(cast, login)

    blocks = html.split('<section class="easy-block"')[1:]
    assert len(blocks) == 3
    for block in blocks:
        assert 'class="easy-icon"' in block
        assert "data-read-aloud-from=" in block
        assert "Read it to me" in block


def test_easy_read_read_aloud_buttons_point_at_their_blocks_words(cast, login):
    html = easy_home(cast, login)

    for target in re.findall(r'data-read-aloud-from="([\w-]+)"', html):
        assert f'id="{target}"' in html


def test_easy_read_home_links_are_big_buttons(cast, login):
    MentoringSessionFactory(match=cast.match, scheduled=True)

    html = easy_home(cast, login)

    easy = html.split('class="easy-home')[1]
    links = re.findall(r"<a [^>]*>", easy)
    assert links
    assert all("btn btn-" in link and "btn-lg" in link for link in links)


def test_easy_read_home_shows_the_mentor_in_plain_words(cast, login):
    html = easy_home(cast, login)

    assert "Your mentor is Mentor One." in html
    assert "You started together on" in html


def test_easy_read_home_of_another_mentee_shows_only_their_own(cast, login):
    cast.mentee2.easy_read = True
    cast.mentee2.save(update_fields=["easy_read"])

    html = login(cast.mentee2).get(reverse("home")).text

    assert "Get a job" in html
    assert "Find a room" not in html
    assert "Mentor One" not in html


def test_easy_read_setting_of_a_coordinator_changes_nothing_on_their_home(cast, login):
    cast.coordinator.easy_read = True
    cast.coordinator.save(update_fields=["easy_read"])

    html = login(cast.coordinator).get(reverse("home")).text

    assert "easy-home" not in html
    assert "Your programs" in html
