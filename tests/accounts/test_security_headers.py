"""The web side: security headers, no caching of pages with health information, a clean
``check --deploy`` with production settings, and generic error pages."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from tests.conftest import MARKERS, SignedInClient

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def test_pages_carry_the_security_headers(cast, login):
    response = login(cast.coordinator).get(reverse("home"), secure=True)
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_signed_in_pages_are_never_cached(cast, login):
    url = reverse("accounts:mentee_detail", args=[cast.mentee_profile.pk])
    assert "no-store" in login(cast.case_manager).get(url)["Cache-Control"]


def test_pages_without_a_sign_in_are_not_cached_either(client):
    # One-time-link pages are served without a sign-in; every page the app renders is covered.
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]


def test_cookies_are_http_only_and_secure_in_production():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    source = (ROOT / "mentorship" / "settings.py").read_text()
    assert "SESSION_COOKIE_SECURE = not INSECURE_HTTP" in source
    assert "CSRF_COOKIE_SECURE = not INSECURE_HTTP" in source


def test_check_deploy_with_production_settings_reports_nothing():
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' conftest allows the ORM under Playwright's event loop; production
        # never sets that, and check --deploy rightly warns about it.
        if key
        not in {
            "PEERPATH_INSECURE_HTTP",
            "DEBUG",
            "PEERPATH_KEYLESS_COMMAND",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="peerpath.example.org",
        EMAIL_URL="smtp://mail.example.org:587",
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    re.compile(r"<style\b", re.I),
    re.compile(r"\sstyle=", re.I),
    re.compile(r"\son[a-z]+=", re.I),
    re.compile(r"javascript:", re.I),
]


TEMPLATE_TAG = re.compile(r"{%.*?%}|{#.*?#}", re.S)
# Rendered to PDF by WeasyPrint (accounts/pathway/pdf.py), never served to a browser.
PDF_ONLY = {"accounts/templates/accounts/pathway/certificate.html"}


def test_no_template_has_inline_script_or_style():
    offenders = []
    for template in ROOT.glob("**/templates/**/*.html"):
        relative = template.relative_to(ROOT).as_posix()
        if ".venv" in template.parts or relative in PDF_ONLY:
            continue
        text = TEMPLATE_TAG.sub("", template.read_text())
        offenders += [f"{relative}: {p.pattern}" for p in INLINE if p.search(text)]
    assert offenders == []


# --- Error pages -------------------------------------------------------------------------


def test_not_found_page_is_generic(cast, login):
    response = login(cast.outsider).get(
        reverse("accounts:mentee_detail", args=[cast.mentee_profile.pk])
    )
    assert response.status_code == 404
    assert "We could not find that page" in response.text
    assert MARKERS["mentee"] not in response.text and "Traceback" not in response.text


def test_server_error_page_shows_no_details():
    response = defaults.server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500 and "Something went wrong" in body
    assert "Traceback" not in body and "settings" not in body


@pytest.mark.parametrize(
    ("view", "status", "text"),
    [
        (defaults.permission_denied, 403, "This cannot be done from here"),
        (defaults.bad_request, 400, "was not right"),
    ],
)
def test_refused_and_bad_request_pages_are_generic(view, status, text):
    response = view(RequestFactory().get("/"), exception=Exception("secret detail"))
    body = response.content.decode()
    assert response.status_code == status and text in body
    assert "secret detail" not in body


def test_csrf_failure_page_is_generic(cast):
    client = SignedInClient(enforce_csrf_checks=True)
    client.force_login(cast.coordinator)
    response = client.post(reverse("accounts:consent_create", args=[cast.mentee_profile.pk]))
    assert response.status_code == 403
    assert "This cannot be done from here" in response.text
