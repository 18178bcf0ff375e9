"""Beyond one machine: two gunicorn web processes on two ports, two Celery workers and one
beat, all sharing one PostgreSQL database and one Redis, as behind a load balancer without
sticky sessions. One browser (one cookie jar) is answered by either web process:

- signed in (password, then a TOTP code) through A, it keeps working through B, and signing
  out through B signs it out of A — sessions live in the database;
- a report requested through A is built by a worker and downloaded through B (and A): reports
  are a snapshot in the database, their PDF and CSV rendered on request;
- a CSV uploaded through A is previewed there and imported through B: the file is read in
  memory and travels signed in the page, never kept on one process's disk.

Beat runs once here; that a second beat started by mistake still sends nothing twice is
``test_worker_crashes.test_two_beats_and_two_workers_send_each_email_exactly_once``.
"""

import datetime
import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone

from accounts.models import MenteeProfile, Notification
from evaluation.models import EvaluationReport, ReportComment
from tests.accounts.auth_helpers import authenticator, current_code
from tests.reliability.conftest import free_port, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a long enough scale-out passphrase 2026"
NAME = "Noor Haddad-Okafor"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAYLOAD = re.compile(r'name="payload" value="([^"]+)"')


@dataclass
class Page:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def csrf(self) -> str:
        return CSRF.search(self.text).group(1)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to look at, as in Django's test client


def request(url: str, **kwargs) -> urllib.request.Request:
    assert url.startswith("http://127.0.0.1:"), "the test's own web processes only"
    return urllib.request.Request(url, **kwargs)  # noqa: S310 - checked above


class Browser:
    """One person's browser: one cookie jar, whichever web process answers."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects
        )

    def get(self, url: str) -> Page:
        return self._open(request(url))

    def post(self, url: str, data: dict, *, file: tuple[str, str, bytes] | None = None) -> Page:
        if file is None:
            body = urllib.parse.urlencode(data).encode()
            content_type = "application/x-www-form-urlencoded"
        else:
            body, content_type = multipart(data, file)
        return self._open(request(url, data=body, headers={"Content-Type": content_type}))

    def _open(self, req: urllib.request.Request) -> Page:
        try:
            with self.opener.open(req, timeout=30) as response:
                return Page(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:  # 3xx (no redirects followed), 4xx, 5xx
            return Page(error.code, dict(error.headers), error.read())


def multipart(data: dict, file: tuple[str, str, bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in data.items()
    ]
    field, filename, content = file
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"'
        f"\r\nContent-Type: text/csv\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(request(f"{base}/healthz"), timeout=2) as response:  # noqa: S310
            body = json.loads(response.read())
    except (OSError, ValueError):
        return False
    return body["database"] == "ok" and body["broker"] == "ok"


def sign_in(browser: Browser, base: str, user) -> None:
    """Password, then the authenticator's current code, through the pages of ``base``."""
    page = browser.get(f"{base}/login/")
    form = {"csrfmiddlewaretoken": page.csrf(), "username": user.email, "password": PASSWORD}
    answer = browser.post(f"{base}/login/", form)
    assert (answer.status, answer.headers["Location"].split("?")[0]) == (302, "/account/verify/")
    page = browser.get(f"{base}/account/verify/")
    device = user.totpdevice_set.get()
    form = {"csrfmiddlewaretoken": page.csrf(), "otp_token": current_code(device)}
    answer = browser.post(f"{base}/account/verify/", form)
    assert (answer.status, answer.headers["Location"]) == (302, "/")


def test_two_web_processes_two_workers_and_one_beat_serve_one_person_as_one_site(
    cast, broker, processes, smtp_server
):
    supervisor = cast.supervisor
    hasher = PBKDF2PasswordHasher()  # the production hasher, as the web processes check it
    supervisor.password = hasher.encode(PASSWORD, hasher.salt())
    supervisor.display_name = NAME
    supervisor.save()
    authenticator(supervisor)
    ports = free_port(), free_port()
    for port in ports:
        processes.web(port)
    a, b = (f"http://127.0.0.1:{port}" for port in ports)
    processes.worker()
    processes.worker()
    processes.beat()
    for base in (a, b):
        wait_for(lambda base=base: healthy(base), timeout=60, what=f"{base}/healthz")
    browser = Browser()

    # Signed in through A; the same cookie works on B, for pages and for a form.
    sign_in(browser, a, supervisor)
    home = browser.get(f"{b}/")
    assert home.status == 200 and NAME in home.text
    record = browser.get(f"{b}{cast.mentee_profile.get_absolute_url()}")
    assert record.status == 200 and cast.mentee.display_name in record.text

    # An on-demand report requested through A is built by a worker ...
    page = browser.get(f"{a}/evaluation/reports/new/")
    today = timezone.localdate()
    answer = browser.post(
        f"{a}/evaluation/reports/new/",
        {
            "csrfmiddlewaretoken": page.csrf(),
            "program": cast.program.pk,
            "start": (today - datetime.timedelta(days=30)).isoformat(),
            "end": today.isoformat(),
        },
    )
    assert answer.status == 302
    report = EvaluationReport.objects.get(kind="on_demand")
    assert answer.headers["Location"] == report.get_absolute_url()
    wait_for(
        lambda: EvaluationReport.objects.filter(pk=report.pk, status="ready").exists(),
        timeout=30,
        what="a worker to build the report",
    )

    # ... and downloaded through B (and A): rendered on request from the stored snapshot.
    pdf = browser.get(f"{b}/evaluation/reports/{report.pk}/report.pdf")
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
    for base in (a, b):
        csv = browser.get(f"{base}/evaluation/reports/{report.pk}/report.csv")
        assert csv.status == 200 and csv.text.startswith("section,figure,value")

    # A form posted through B with B's CSRF token; A shows what it saved.
    page = browser.get(f"{b}{report.get_absolute_url()}")
    answer = browser.post(
        f"{b}/evaluation/reports/{report.pk}/comments/",
        {"csrfmiddlewaretoken": page.csrf(), "text": "Read through the second web process."},
    )
    assert answer.status == 302
    assert ReportComment.objects.get(report=report).author == supervisor
    assert (
        "Read through the second web process."
        in browser.get(f"{a}{report.get_absolute_url()}").text
    )

    # A CSV uploaded through A, previewed there, imported through B.
    page = browser.get(f"{a}/people/import/")
    preview = browser.post(
        f"{a}/people/import/",
        {"csrfmiddlewaretoken": page.csrf(), "kind": "mentee", "program": cast.program.pk},
        file=("file", "people.csv", b"name,email\nRosa Diaz,rosa@example.org\n"),
    )
    assert preview.status == 200 and "Rosa Diaz" in preview.text
    page = browser.get(f"{b}/people/import/")
    answer = browser.post(
        f"{b}/people/import/confirm/",
        {
            "csrfmiddlewaretoken": page.csrf(),
            "program": cast.program.pk,
            "payload": PAYLOAD.search(preview.text).group(1),
        },
    )
    assert answer.status == 302
    assert MenteeProfile.objects.filter(user__email="rosa@example.org").exists()

    # Beat's sweep hands the report's "ready" email to a worker: it arrives once.
    email = Notification.objects.get(
        recipient=supervisor, kind="report_ready", channel=Notification.Channel.EMAIL
    )
    wait_for(
        lambda: Notification.objects.filter(pk=email.pk, state="sent").exists(),
        timeout=20,
        what="the report's email to be sent",
    )
    assert smtp_server.counts[f"<notification-{email.pk}@peerpath.example.org>"] == 1

    # Signing out through B ends the session on A too.
    page = browser.get(f"{b}/")
    assert browser.post(f"{b}/logout/", {"csrfmiddlewaretoken": page.csrf()}).status == 302
    signed_out = browser.get(f"{a}/")
    assert (signed_out.status, signed_out.headers["Location"].split("?")[0]) == (302, "/login/")
