"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

The browser is the system one (``/usr/bin/chromium``, installed by ``bin/setup``); Playwright
never downloads a browser of its own. Screenshots land in ``var/test-artifacts/<test>/``.
Every browser test is transactional (the live server runs in another thread), so it is marked
``@pytest.mark.django_db(transaction=True, serialized_rollback=True)``.
"""

import os
import re
import time
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from playwright.sync_api import Page, sync_playwright

from accounts.models import User

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# test body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test flushes the database and content types come back with new ids;
    the process-wide cache of the old ids would make the audit log point at rows that are
    gone."""
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(**context_options)`` opens a page in a fresh browser context whose relative
    URLs go to the live server; every context is closed after the test."""
    contexts = []

    def _new_page(**options) -> Page:
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def shot(request):
    """``shot(page, "step")`` saves a full-page screenshot as a test artifact."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    count = 0

    def _shot(page: Page, step: str) -> Path:
        nonlocal count
        count += 1
        path = folder / f"{count:02d}-{step}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return _shot


def current_totp(email: str) -> str | None:
    """The current code of the person's confirmed authenticator, if two-step sign-in is on."""
    try:
        from django_otp.oath import TOTP
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:
        return None
    device = TOTPDevice.objects.filter(user__email=email, confirmed=True).first()
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def give_authenticator(email: str) -> None:
    """A person whose role needs a second factor gets a confirmed authenticator app, as if they
    had enrolled before (enrolment itself is tested in tests/accounts)."""
    try:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.auth.policy import needs_second_factor
    except ImportError:
        return
    user = User.objects.get(email=email)
    if (
        needs_second_factor(user)
        and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    ):
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def log_in(page: Page, email: str, password: str) -> None:
    """Sign in through the login form as a person would, second step included when asked."""
    give_authenticator(email)
    page.goto(reverse("login"))
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()
    otp = page.locator("input[name=otp_token]")
    if otp.count():
        otp.fill(current_totp(email) or "")
        with page.expect_navigation():
            page.locator("main form [type=submit]").first.click()
    signed_in = page.locator("input[name=password], input[name=otp_token]").count() == 0
    assert signed_in, f"{email} could not sign in"


def sign_in_with_authenticator(page: Page, email: str, password: str) -> None:
    """Sign in from the home page as a person with an authenticator app does: email and
    password on the login page, then the second step, typing the code the app shows now (the
    person's confirmed TOTP device, set up by the test). Fails if either step is skipped."""
    page.goto("/")
    assert page.get_by_role("heading", name="Sign in to PeerPath").is_visible()
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    second_step = page.get_by_role("heading", name="Enter the code from your authenticator app")
    assert second_step.is_visible(), f"{email} was not asked for the second factor"
    code = current_totp(email)
    assert code, f"{email} has no confirmed authenticator"
    page.locator("input[name=otp_token]").press_sequentially(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name=re.compile(r"^Hello")).is_visible(), (
        f"{email} could not sign in"
    )
