"""Journey 2: a mentor on a phone logs a held session and flags an urgent concern.

On the way the form is sent empty and with a nonsense length: the errors appear next to the
field, are announced (role="alert"), and what was typed stays.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import MentoringSession, SafetyAlert
from tests.browser.conftest import PHONE, log_in
from tests.factories import TEST_PASSWORD
from tests.sessions.factories import MentoringSessionFactory


def phone_fits(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mentor_on_a_phone_logs_a_session_with_an_urgent_concern(cast, new_page, shot):
    session = MentoringSessionFactory(
        scheduled=True,
        match=cast.match,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
    )
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, cast.mentor.email, TEST_PASSWORD)
    shot(page, "home")

    page.goto(reverse("mentoring_sessions:session_log", args=[session.pk]))
    assert phone_fits(page)
    shot(page, "log-form")

    # Empty: no length, no support chosen; the summary typed so far must survive.
    page.get_by_label("How long (minutes)").fill("")
    page.get_by_label("Summary", exact=False).first.fill("We walked to the library.")
    page.get_by_role("button", name="Save the log").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    duration = page.get_by_label("How long (minutes)")
    assert duration.get_attribute("aria-invalid") == "true"
    error_id = duration.get_attribute("aria-describedby").split()[-1]
    assert page.locator(f"#{error_id}").inner_text().strip()
    assert page.get_by_label("Summary", exact=False).first.input_value() == (
        "We walked to the library."
    )
    shot(page, "empty-errors")

    # Nonsense: a session of a thousand hours.
    duration.fill("60000")
    page.get_by_role("button", name="Save the log").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    assert page.get_by_label("How long (minutes)").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("How long (minutes)").input_value() == "60000"
    shot(page, "nonsense-errors")

    page.get_by_label("How long (minutes)").fill("45")
    page.get_by_label("Emotional", exact=False).check()
    page.get_by_label("Urgent safety concern").check()
    assert phone_fits(page)
    shot(page, "filled")
    page.get_by_role("button", name="Save the log").click()
    page.wait_for_load_state()
    shot(page, "saved")

    session.refresh_from_db()
    assert session.status == MentoringSession.Status.HELD
    assert session.duration_minutes == 45
    assert session.concern == MentoringSession.Concern.URGENT
    assert SafetyAlert.objects.filter(session=session).count() == 1
