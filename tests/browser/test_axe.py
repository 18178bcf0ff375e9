"""axe-core in Chromium over every page of the permission matrix, for each persona that may see
it, and over each form of those pages in its error state (submitted empty). Any serious or
critical violation fails, listed by page, rule and the elements at fault.

axe-core's script ships inside the axe-playwright-python wheel: nothing is fetched at test time.
"""

from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Error, Page

from sessions.services import issue_feedback_link
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD
from tests.matrix import PERSONAS
from tests.sessions.factories import MentoringSessionFactory
from tests.test_permission_matrix import MATRIX

AXE = Axe()
FAILING_IMPACTS = {"serious", "critical"}
SIGNED_IN = [persona for persona in PERSONAS if persona != "anonymous"]
FIELDS = (
    "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]),"
    " select, textarea"
)
TEXT_FIELDS = (
    "input[type=text], input[type=email], input[type=number], input[type=date],"
    " input[type=datetime-local], input[type=tel], input:not([type]), textarea"
)


def scan(page: Page, where: str) -> list[str]:
    """axe's serious and critical findings on the page as it is now, one readable line each."""
    results = AXE.run(page).response
    return [
        f"{where} [{page.url}]: {violation['id']} ({violation['impact']}) "
        f"{violation['help']} -> "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


def open_page(page: Page, url: str) -> bool:
    """Go to ``url``; False when it answers with a download instead of a page."""
    try:
        response = page.goto(url)
    except Error as error:
        if "Download is starting" in str(error):
            return False
        raise
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    return "text/html" in response.headers.get("content-type", "")


def posting_forms(page: Page) -> list:
    """The forms in the page's main content that post fields (not bare action buttons) and
    can be sent from what is on screen."""
    forms = page.locator("main form[method=post]").filter(has=page.locator(FIELDS)).all()
    return [form for form in forms if form.locator("[type=submit]").first.is_visible()]


def scan_forms_in_error_state(page: Page, url: str, where: str) -> list[str]:
    """Submit each posting form of the page with its text fields emptied, then scan the answer."""
    problems = []
    for index in range(len(posting_forms(page))):
        if index:
            open_page(page, url)
        form = posting_forms(page)[index]
        for field in form.locator(TEXT_FIELDS).all():
            if field.is_visible() and field.is_editable():
                field.fill("")
        form.evaluate("form => { form.noValidate = true; }")
        with page.expect_navigation():
            form.locator("[type=submit]").first.click()
        problems += scan(page, f"{where}, form {index + 1} submitted empty")
    return problems


def first_allowed(route) -> str:
    return next(persona for persona in SIGNED_IN if route.expect.get(persona) == 200)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_page_a_persona_may_see_has_no_serious_accessibility_violation(
    persona, cast, new_page
):
    page = new_page()
    user = getattr(cast, persona)
    log_in(page, user.email, TEST_PASSWORD)
    problems = []
    for name, route in MATRIX.items():
        if route.method != "get" or route.expect.get(persona) != 200:
            continue
        # Every persona's routes are built in one database: a matrix builder must reuse the
        # records another route already made (get-or-create), or this fails.
        url = route.url(cast)
        if route.data:
            url = f"{url}?{urlencode(route.data(cast), doseq=True)}"
        if not open_page(page, url):
            continue
        where = f"{name} as {persona}"
        problems += scan(page, where)
        if persona == first_allowed(route):
            problems += scan_forms_in_error_state(page, url, where)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_pages_have_no_serious_accessibility_violation(cast, new_page):
    page = new_page()
    session = MentoringSessionFactory(match=cast.match)
    token = issue_feedback_link(session=session)
    problems = []
    for name, url in [
        ("login", reverse("login")),
        ("feedback_link", reverse("mentoring_sessions:feedback_link", args=[token])),
    ]:
        open_page(page, url)
        problems += scan(page, name)
        problems += scan_forms_in_error_state(page, url, name)
    assert not problems, "\n".join(problems)
