"""The mentee's pages in a real browser: the easy-read switch, 320 px wide screens without
sideways scrolling, and targets of at least 44 px."""

import pytest
from django.urls import reverse

from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD
from tests.sessions.factories import MentoringSessionFactory

NARROW = {"width": 320, "height": 640}
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'main a, main button:not([hidden]), main .choice, main input[type=radio]:not(.btn-check),'
    + ' main input[type=checkbox], main select, main textarea')]
  .filter(el => el.offsetParent !== null)
  .filter(el => { const box = el.getBoundingClientRect(); return box.height < 44; })
  .map(el => el.outerHTML.slice(0, 120))"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mentee_turns_easy_read_on_from_any_page(cast, new_page, shot):
    page = new_page()
    log_in(page, cast.mentee.email, TEST_PASSWORD)
    page.goto(reverse("mentoring_sessions:session_list"))
    switch = page.get_by_role("button", name="Easy-read pages")
    assert switch.get_attribute("aria-pressed") == "false"

    switch.click()
    page.wait_for_load_state()

    assert page.url.endswith(reverse("mentoring_sessions:session_list"))
    assert "easy-read" in page.locator("body").get_attribute("class")
    assert page.get_by_role("button", name="Easy-read pages").get_attribute("aria-pressed") == (
        "true"
    )
    cast.mentee.refresh_from_db()
    assert cast.mentee.easy_read
    shot(page, "easy-read-on")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("easy_read", [False, True], ids=["standard", "easy-read"])
def test_mentee_home_and_feedback_form_fit_320_px_with_large_targets(
    easy_read, cast, new_page, shot
):
    cast.mentee.easy_read = easy_read
    cast.mentee.save()
    session = MentoringSessionFactory(match=cast.match)
    page = new_page(viewport=NARROW)
    log_in(page, cast.mentee.email, TEST_PASSWORD)

    for name, url in [
        ("home", reverse("home")),
        ("feedback", reverse("mentoring_sessions:feedback_give", args=[session.pk])),
    ]:
        page.goto(url)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= NARROW["width"], name
        assert page.evaluate(SMALL_TARGETS) == [], name
        shot(page, name)
