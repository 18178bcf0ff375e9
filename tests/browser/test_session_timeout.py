"""The idle timeout in the browser: a warning before it happens, "Stay signed in" keeps the
session, and after a timeout the half-filled form comes back with what was typed.

The browser's clock is Playwright's (``page.clock``) and the server's is time-machine's, both
moved by the test, so nothing waits for real minutes to pass.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD
from tests.sessions.factories import MentoringSessionFactory

IDLE = 15 * 60
WARNING = 120
SUMMARY = "We practised the bus route to the clinic together."


@pytest.fixture
def log_form(cast):
    session = MentoringSessionFactory(
        scheduled=True, match=cast.match, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    return reverse("mentoring_sessions:session_log", args=[session.pk])


def open_log_form(page, cast, log_form, time_machine):
    time_machine.move_to(timezone.now(), tick=True)
    page.clock.install()
    log_in(page, cast.mentor.email, TEST_PASSWORD)
    page.goto(log_form)
    page.get_by_label("Summary", exact=False).first.fill(SUMMARY)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_mentor_is_warned_before_the_idle_timeout_and_can_stay_signed_in(
    cast, log_form, new_page, settings, shot, time_machine
):
    settings.SESSION_IDLE_TIMEOUT_STAFF = IDLE
    settings.SESSION_TIMEOUT_WARNING = WARNING
    page = new_page()
    open_log_form(page, cast, log_form, time_machine)
    warning = page.locator("#session-timeout-warning")
    assert warning.is_hidden()

    page.clock.fast_forward((IDLE - WARNING + 1) * 1000)
    time_machine.shift(IDLE - WARNING + 1)
    assert warning.is_visible()
    stay = warning.get_by_role("button", name="Stay signed in")
    assert stay.evaluate("button => button === document.activeElement")
    shot(page, "warning")

    with page.expect_response(lambda response: "keep-alive" in response.url) as answer:
        stay.click()
    assert answer.value.ok
    assert warning.is_hidden()
    # The server counts the idle time again from the click.
    time_machine.shift(WARNING + 60)
    page.reload()
    assert page.get_by_role("button", name="Save the log").is_visible()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_an_idle_timeout_the_form_comes_back_with_what_was_typed(
    cast, log_form, new_page, settings, shot, time_machine
):
    settings.SESSION_IDLE_TIMEOUT_STAFF = IDLE
    settings.SESSION_TIMEOUT_WARNING = WARNING
    page = new_page()
    open_log_form(page, cast, log_form, time_machine)

    time_machine.shift(IDLE + 5)
    with page.expect_navigation():
        page.clock.fast_forward((IDLE + 5) * 1000)  # the page reloads itself at the limit
    assert page.locator("input[name=password]").is_visible()
    shot(page, "signed-out")

    log_in(page, cast.mentor.email, TEST_PASSWORD)
    page.goto(log_form)
    assert page.get_by_label("Summary", exact=False).first.input_value() == SUMMARY
    shot(page, "draft-restored")
