"""Journey 3: a mentee who reads easy-read pages opens a one-time feedback link and answers
with the keyboard only (Tab, Space, arrows, Enter; no clicks), one question per screen.

On the way the form is sent empty and then with a tampered answer: the errors are announced
(role="alert"), the first wrong answer gets the focus, and the comment typed stays.
"""

import pytest
from django.urls import reverse

from sessions.models import SessionFeedback
from sessions.services import issue_feedback_link
from tests.sessions.factories import MentoringSessionFactory

RECORD_SPEECH = """
window.spoken = [];
window.speechSynthesis.speak = (utterance) => window.spoken.push(utterance.text);
"""
CURRENT = ".feedback-question:not([hidden])"


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the focus is on an element matching ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def progress(page) -> str:
    return page.locator(".question-progress").inner_text()


def go_to_last_question_and_send(page, comment: str | None = None) -> None:
    while page.locator(".question-next").is_visible():
        tab_to(page, ".question-next")
        page.keyboard.press("Enter")
    if comment is not None:
        tab_to(page, "textarea")
        page.keyboard.type(comment)
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mentee_answers_a_feedback_link_in_easy_read_mode_with_the_keyboard_only(
    cast, new_page, shot
):
    cast.mentee.easy_read = True
    cast.mentee.save()
    session = MentoringSessionFactory(match=cast.match)
    token = issue_feedback_link(session=session)
    page = new_page(viewport={"width": 390, "height": 844})
    page.add_init_script(RECORD_SPEECH)

    page.goto(reverse("mentoring_sessions:feedback_link", args=[token]))
    assert "easy-read" in page.locator("body").get_attribute("class")
    total = page.locator(".feedback-question").count()
    assert progress(page) == f"Question 1 of {total}"
    shot(page, "question-1")

    # Read aloud, by keyboard.
    tab_to(page, f"{CURRENT} .read-aloud")
    page.keyboard.press("Enter")
    assert page.evaluate("window.spoken") == ["How was today?"]

    # Empty: step through every question without answering, write a comment, send.
    go_to_last_question_and_send(page, comment="The walk was nice.")
    assert page.get_by_role("alert").first.is_visible()
    assert progress(page) == f"Question 1 of {total}"
    assert page.evaluate("document.activeElement.matches('.is-invalid[name=rating]')")
    described = page.locator(CURRENT).get_attribute("aria-describedby")
    assert (
        "Please choose one of the faces." in page.locator(f"#{described.split()[-1]}").inner_text()
    )
    assert page.locator("textarea").input_value() == "The walk was nice."
    summary_links = page.locator(".error-summary a")
    assert summary_links.first.get_attribute("href") == "#id_rating_0"
    shot(page, "empty-errors")

    # Nonsense: an answer that is not one of the faces.
    page.keyboard.press("Space")
    page.evaluate("document.activeElement.value = 'banana'")
    go_to_last_question_and_send(page)
    assert page.get_by_role("alert").first.is_visible()
    assert "Please choose one of the answers shown." in page.locator(CURRENT).inner_text()
    assert page.locator("textarea").input_value() == "The walk was nice."
    shot(page, "nonsense-errors")

    # The real answers: "Good" for the day, "No, thank you" for contact, else the first answer.
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    step = 1
    while page.locator(".question-next").is_visible():
        tab_to(page, ".question-next")
        page.keyboard.press("Enter")
        step += 1
        assert progress(page) == f"Question {step} of {total}"
        if page.locator(f"{CURRENT} input[type=radio]").count() == 0:
            continue
        if step == 2:
            tab_to(page, f"{CURRENT} .read-aloud")
            page.keyboard.press("Enter")
        tab_to(page, f"{CURRENT} input[type=radio]")
        page.keyboard.press("Space")
        if page.evaluate("document.activeElement.name") == "wants_contact":
            page.keyboard.press("ArrowRight")
        shot(page, f"question-{step}")
    assert page.evaluate("window.spoken")[-1] == "I felt listened to"
    go_to_last_question_and_send(page)
    assert page.get_by_role("heading", name="Thank you!").is_visible()
    shot(page, "thanks")

    feedback = SessionFeedback.objects.get(session=session)
    assert (feedback.rating, feedback.felt_listened_to, feedback.wants_contact) == (4, "yes", False)
    assert feedback.comment == "The walk was nice."
    assert feedback.via_link
