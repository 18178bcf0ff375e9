"""The pages the benchmark measures, and their SQL query counts.

Run by ``bench/web/run.py`` as its own process against one benchmark database (the settings
come from the environment): it signs nobody in over HTTP, it only reads the database to pick,
for each benchmark login, the ids of records that person can see (through the same
``visible_to`` querysets the views use), then asks each page once through Django's test
client with that person signed in past the second factor, and counts the queries of a second
request (the first warms the per-process caches). It prints one JSON object:
``{"pages": [{"name", "role", "kind", "url", "status", "queries"}], "counts": {...}}``.

    python -m bench.web.catalogue --credentials FILE
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import MenteeProfile, MentorProfile, User  # noqa: E402
from evaluation.models import EvaluationReport  # noqa: E402
from matching.models import Match  # noqa: E402
from sessions.models import MentoringSession  # noqa: E402

# "page": a home, list, detail or form (budget: median ≤ 5× the trivial endpoint and ≤ 50 ms);
# "dashboard": a dashboard or report page that aggregates a program (median ≤ 20× trivial).
PAGE, DASHBOARD = "page", "dashboard"
CPU_RUNS = 3


@dataclass
class Page:
    name: str
    role: str
    kind: str
    url: str | None
    status: int | None = None
    queries: int | None = None
    # Median CPU time of this (client and server) process per request: what the page costs
    # in Python, whatever else the machine is doing. PostgreSQL's own time is not in it.
    cpu_ms: float | None = None
    note: str = ""


def _first(queryset):
    return queryset.order_by("pk").values_list("pk", flat=True).first()


def _match_with_sessions(user):
    return _first(
        Match.objects.visible_to(user)
        .filter(status=Match.Status.ACTIVE)
        .annotate(n=Count("sessions"))
        .filter(n__gt=0)
    ) or _first(Match.objects.visible_to(user).filter(status=Match.Status.ACTIVE))


def _mentee_with_match(user):
    return _first(
        MenteeProfile.objects.visible_to(user).filter(matches__status=Match.Status.ACTIVE)
    ) or _first(MenteeProfile.objects.visible_to(user))


def _own_mentee(user):
    return _first(
        MenteeProfile.objects.visible_to(user).filter(
            matches__mentor__user=user, matches__status=Match.Status.ACTIVE
        )
    )


def _session(user, **filters):
    return _first(MentoringSession.objects.visible_to(user).filter(**filters))


def _url(name: str, pk=None) -> str | None:
    if pk is None:
        return None
    return reverse(name, args=[pk])


def _feedback_session(user):
    """A logged session of the mentee's that has no feedback yet (the form is open)."""
    return _first(
        MentoringSession.objects.visible_to(user).filter(
            match__mentee__user=user, status="held", feedback__isnull=True
        )
    )


# role -> [(name, kind, url builder)]; a builder returning None means that person can see no
# such record in this database (the row says so instead of measuring something else).
PAGES: dict[str, list[tuple[str, str, Callable]]] = {
    "coordinator": [
        ("home", PAGE, lambda u: reverse("home")),
        ("mentee list", PAGE, lambda u: reverse("accounts:mentee_list")),
        (
            "mentee detail",
            PAGE,
            lambda u: _url("accounts:mentee_detail", _mentee_with_match(u)),
        ),
        ("mentor list", PAGE, lambda u: reverse("accounts:mentor_list")),
        (
            "mentor detail",
            PAGE,
            lambda u: _url("accounts:mentor_detail", _first(MentorProfile.objects.visible_to(u))),
        ),
        ("match list", PAGE, lambda u: reverse("matching:match_list")),
        ("match detail", PAGE, lambda u: _url("matching:match_detail", _match_with_sessions(u))),
        ("board", PAGE, lambda u: reverse("matching:board")),
        (
            "suggestions (waiting mentee)",
            PAGE,
            lambda u: _url(
                "matching:suggestions", _first(MenteeProfile.objects.visible_to(u).waiting())
            ),
        ),
        (
            "form: edit mentee",
            PAGE,
            lambda u: _url("accounts:mentee_edit", _mentee_with_match(u)),
        ),
        (
            "form: interview (checklist)",
            PAGE,
            lambda u: _url(
                "matching:interview_mentee", _first(MenteeProfile.objects.visible_to(u).waiting())
            ),
        ),
        (
            "form: check-in",
            PAGE,
            lambda u: _url("matching:support_contact_new", _match_with_sessions(u)),
        ),
        ("caseload dashboard", DASHBOARD, lambda u: reverse("evaluation:caseload")),
    ],
    "mentor": [
        ("home", PAGE, lambda u: reverse("home")),
        ("session list", PAGE, lambda u: reverse("mentoring_sessions:session_list")),
        (
            "session detail",
            PAGE,
            lambda u: _url(
                "mentoring_sessions:session_detail",
                _session(u, match__mentor__user=u, status="held")
                or _session(u, match__mentor__user=u),
            ),
        ),
        ("my mentee's page", PAGE, lambda u: _url("accounts:mentee_detail", _own_mentee(u))),
        (
            "form: log a session",
            PAGE,
            lambda u: _url(
                "mentoring_sessions:session_log_new",
                _first(
                    Match.objects.visible_to(u).filter(mentor__user=u, status=Match.Status.ACTIVE)
                ),
            ),
        ),
        ("my mentees (dashboard)", DASHBOARD, lambda u: reverse("evaluation:my_mentees")),
        ("my supervision", PAGE, lambda u: reverse("mentoring_sessions:my_supervision")),
    ],
    "mentee": [
        ("home", PAGE, lambda u: reverse("home")),
        ("session list", PAGE, lambda u: reverse("mentoring_sessions:session_list")),
        (
            "session detail",
            PAGE,
            lambda u: _url("mentoring_sessions:session_detail", _session(u, match__mentee__user=u)),
        ),
        (
            "form: session feedback",
            PAGE,
            lambda u: _url("mentoring_sessions:feedback_give", _feedback_session(u)),
        ),
        ("form: my settings", PAGE, lambda u: reverse("accounts:my_settings")),
    ],
    "supervisor": [
        ("home", PAGE, lambda u: reverse("home")),
        ("outcome dashboard", DASHBOARD, lambda u: reverse("evaluation:dashboard")),
        ("report list", PAGE, lambda u: reverse("evaluation:report_list")),
        (
            "report page",
            DASHBOARD,
            lambda u: _url(
                "evaluation:report_detail",
                _first(EvaluationReport.objects.visible_to(u).filter(status="ready")),
            ),
        ),
        ("mentor logs to review", PAGE, lambda u: reverse("mentoring_sessions:supervision_logs")),
        ("safety alerts", PAGE, lambda u: reverse("mentoring_sessions:alert_list")),
        ("match list", PAGE, lambda u: reverse("matching:match_list")),
    ],
    "case_manager": [
        ("home", PAGE, lambda u: reverse("home")),
        (
            "shared mentee's page",
            PAGE,
            lambda u: _url(
                "accounts:mentee_detail",
                _first(
                    MenteeProfile.objects.filter(
                        pk__in=MenteeProfile.objects.shared_with_case_manager(u)
                    )
                ),
            ),
        ),
    ],
}


def accounts_by_role(credentials: dict) -> dict[str, list[dict]]:
    """The benchmark logins of a credentials file, by role (first of each role first)."""
    roles: dict[str, list[dict]] = {}
    for account in credentials["accounts"]:
        role = account.get("role", "")
        roles.setdefault(role, []).append(account)
    return roles


def signed_in_client(user) -> Client:
    """A test client signed in as ``user`` past the second factor, as the verify page leaves
    a session (django-otp's device id in it)."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    client.get(reverse("home"))  # the first request stamps the session's timeout fields
    return client


def counts() -> dict[str, int]:
    return {
        "mentors": MentorProfile.objects.count(),
        "mentees": MenteeProfile.objects.count(),
        "matches": Match.objects.count(),
        "sessions": MentoringSession.objects.count(),
        "users": User.objects.count(),
        "active matches": Match.objects.filter(status=Match.Status.ACTIVE).count(),
        "waiting mentees": MenteeProfile.objects.filter(Q(status="waiting")).count(),
    }


def build(credentials: dict) -> list[Page]:
    roles = accounts_by_role(credentials)
    pages: list[Page] = []
    for role, definitions in PAGES.items():
        account = (roles.get(role) or [None])[0]
        user = account and User.objects.filter(email__iexact=account["login"]).first()
        for name, kind, builder in definitions:
            if user is None:
                pages.append(Page(name, role, kind, None, note=f"no {role} login"))
                continue
            url = builder(user)
            if url is None:
                pages.append(Page(name, role, kind, None, note="no visible record"))
                continue
            pages.append(Page(name, role, kind, url))
    clients: dict[str, Client] = {}
    for page in pages:
        if page.url is None:
            continue
        if page.role not in clients:
            account = roles[page.role][0]
            clients[page.role] = signed_in_client(User.objects.get(email__iexact=account["login"]))
        measure(clients[page.role], page)
    return pages


def measure(client: Client, page: Page) -> None:
    client.get(page.url)  # warm: templates, translations, content types
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.url)
    page.status = response.status_code
    page.queries = len(captured)
    cpu = []
    for _ in range(CPU_RUNS):
        started = time.process_time()
        client.get(page.url)
        cpu.append((time.process_time() - started) * 1000)
    page.cpu_ms = statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--credentials", required=True, metavar="FILE")
    args = parser.parse_args()
    with open(args.credentials, encoding="utf-8") as handle:
        credentials = json.load(handle)
    pages = build(credentials)
    ping = Page("ping", "anonymous", "ping", reverse("ping"))
    measure(Client(HTTP_HOST="127.0.0.1"), ping)
    json.dump(
        {"pages": [asdict(p) for p in pages], "ping": asdict(ping), "counts": counts()},
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
