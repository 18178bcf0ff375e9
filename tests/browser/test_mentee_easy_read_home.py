"""The mentee's easy-read home in a real browser: turned on with the switch, what is next
first, each block read aloud with the browser's speech synthesis, big targets at 320 px."""

import re

import pytest
from django.urls import reverse

from accounts.models import GoalStep
from tests.browser.conftest import log_in
from tests.browser.test_axe import scan
from tests.browser.test_mentee_pages import NARROW, SMALL_TARGETS
from tests.evaluation.factories import AdministrationFactory
from tests.factories import TEST_PASSWORD
from tests.sessions.factories import MentoringSessionFactory

# Headless Chromium has no voices: record what would be spoken instead.
RECORD_SPEECH = """
window.spoken = [];
window.speechSynthesis.speak = (utterance) => window.spoken.push(utterance.text);
"""


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mentee_turns_on_the_easy_read_home_and_hears_each_block(cast, new_page, shot):
    MentoringSessionFactory(match=cast.match, scheduled=True, place="The library")
    GoalStep.objects.create(goal=cast.goal, text="Call the housing office", done=True)
    page = new_page(viewport=NARROW)
    page.add_init_script(RECORD_SPEECH)
    log_in(page, cast.mentee.email, TEST_PASSWORD)
    page.goto(reverse("home"))
    assert page.get_by_role("heading", name="My goals").is_visible()

    page.get_by_role("button", name="Easy-read pages").click()
    page.wait_for_load_state()

    assert "easy-read" in page.locator("body").get_attribute("class")
    headings = page.locator(".easy-block h2").all_inner_texts()
    assert headings == ["Your next session", "Your goals", "Your mentor"]
    shot(page, "easy-read-home")

    first = page.locator(".easy-block").first
    first.get_by_role("button", name="Read it to me").click()
    expected = words(page.locator("#easy-next-session-text").inner_text())
    assert expected.startswith("Your next session is on ")
    assert page.evaluate("window.spoken") == [expected]

    goal = page.locator(".easy-goal").first
    goal.get_by_role("button", name="Read it to me").click()
    spoken = page.evaluate("window.spoken")[-1]
    assert spoken.startswith("Your goal: Find a room")
    assert "1 of 1 step is done." in spoken


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_easy_read_home_fits_320_px_with_large_targets(cast, new_page, shot):
    cast.mentee.easy_read = True
    cast.mentee.save()
    MentoringSessionFactory(match=cast.match, scheduled=True)
    MentoringSessionFactory(match=cast.match)
    AdministrationFactory(match=cast.match, instrument="CHECKIN")
    page = new_page(viewport=NARROW)
    log_in(page, cast.mentee.email, TEST_PASSWORD)

    page.goto(reverse("home"))

    assert page.locator(".easy-block").count() == 5
    assert page.locator(".easy-block .read-aloud:visible").count() >= 5
    assert page.evaluate("document.scrollingElement.scrollWidth") <= NARROW["width"]
    assert page.evaluate(SMALL_TARGETS) == []
    assert scan(page, "easy-read home") == []
    shot(page, "easy-read-home-320")
