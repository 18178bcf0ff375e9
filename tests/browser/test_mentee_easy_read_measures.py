"""A recovery check-in in easy-read mode in a real browser: one question per screen with its
progress, a picture beside each answer, the question read aloud with the browser's speech
synthesis, big targets at 320 px, and "Someone helped me fill this in" kept with the answers."""

import pytest
from django.urls import reverse

from tests.browser.conftest import log_in
from tests.browser.test_axe import scan
from tests.browser.test_mentee_easy_read_home import RECORD_SPEECH
from tests.browser.test_mentee_pages import NARROW, SMALL_TARGETS
from tests.evaluation.factories import AdministrationFactory
from tests.factories import TEST_PASSWORD


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mentee_answers_a_check_in_in_easy_read_mode(cast, new_page, shot):
    cast.mentee.easy_read = True
    cast.mentee.save()
    administration = AdministrationFactory(match=cast.match, instrument="CHECKIN")
    page = new_page(viewport=NARROW)
    page.add_init_script(RECORD_SPEECH)
    log_in(page, cast.mentee.email, TEST_PASSWORD)

    page.goto(reverse("evaluation:measure_answer", args=[administration.pk]))
    page.locator("input[name=item_1]").fill("0")
    with page.expect_navigation():
        page.get_by_role("button", name="Next").click()
    assert page.get_by_text("Question 2 of 6").is_visible()

    page.get_by_role("button", name="Read it to me").click()
    assert page.evaluate("window.spoken") == [
        "In the past 30 days, did you keep your treatment appointments? "
        "Did you go to your appointments?"
    ]
    assert page.locator(".choice img:visible").count() == 4
    assert page.evaluate("document.scrollingElement.scrollWidth") <= NARROW["width"]
    assert page.evaluate(SMALL_TARGETS) == []
    assert scan(page, "easy-read check-in") == []
    shot(page, "question-2")

    for position in range(2, 7):
        assert page.get_by_text(f"Question {position} of 6").is_visible()
        page.locator(".choice").last.click()
        with page.expect_navigation():
            page.get_by_role("button", name="Next").click()
    page.get_by_label("Someone helped me fill this in").check()
    assert page.evaluate(SMALL_TARGETS) == []
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_role("heading", name="Thank you!").is_visible()

    administration.refresh_from_db()
    assert (administration.status, administration.helped) == ("completed", True)
