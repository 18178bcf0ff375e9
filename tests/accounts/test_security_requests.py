"""No state change on GET, and CSRF on every POST: walked over every URL of the permission
matrix (``tests/**/matrix_*.py``), once each with the most privileged persona allowed in."""

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse

from tests.conftest import SignedInClient
from tests.matrix import EXEMPT
from tests.test_permission_matrix import MATRIX

pytestmark = pytest.mark.django_db

# Audit records are what a GET is allowed to write: reads, refusals, and the accounting of
# disclosures (a case manager's page view is itself a disclosure).
APPEND_ONLY_RECORDS = {"accounts.auditevent", "accounts.auditseal", "accounts.disclosure"}
APP_LABELS = {"accounts", "matching", "mentoring_sessions", "evaluation"}
PRIVILEGE = [
    "supervisor",
    "coordinator",
    "mentor",
    "mentee",
    "case_manager",
    "mentor2",
    "mentee2",
    "outsider",
]


def _models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in APP_LABELS
        and model._meta.label_lower not in APPEND_ONLY_RECORDS
        and not model._meta.proxy
    ]


def _counts(models) -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in models}


def _persona(route) -> str:
    allowed = [p for p in PRIVILEGE if route.expect.get(p, 404) < 400]
    return allowed[0] if allowed else PRIVILEGE[0]


def test_no_get_changes_any_row(cast):
    models = _models()
    changed = []
    for name, route in MATRIX.items():
        # Each route in its own savepoint: building its URL may plant records of its own.
        with transaction.atomic():
            client = SignedInClient()
            persona = _persona(route)
            client.force_login(getattr(cast, persona))
            url = route.url(cast)
            before = _counts(models)
            response = client.get(url)
            after = _counts(models)
            if route.method == "get":
                # The persona really reached the view (not a sign-in step or a redirect).
                assert response.status_code == route.expect[persona], (name, persona)
            diff = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
            if diff:
                changed.append((name, response.status_code, diff))
            transaction.set_rollback(True)
    assert changed == [], "\n".join(map(str, changed))


def _post_routes(cast):
    # URLs are built inside each route's savepoint (they may plant records of their own).
    for name, route in MATRIX.items():
        yield name, lambda route=route: route.url(cast), getattr(cast, _persona(route))
    for name in ("logout", "set_language"):
        yield name, lambda name=name: reverse(name), cast.coordinator
    yield "login", lambda: reverse("login"), None


def test_every_post_without_a_csrf_token_is_refused(cast):
    assert {"login", "logout", "set_language"} <= set(EXEMPT)
    accepted = []
    for name, url, user in _post_routes(cast):
        with transaction.atomic():
            client = SignedInClient(enforce_csrf_checks=True)
            if user is not None:
                client.force_login(user)
            response = client.post(url(), {"anything": "1"})
            if response.status_code != 403:
                accepted.append((name, response.status_code))
            transaction.set_rollback(True)
    assert accepted == []


# --- Findings of the form fuzz (make security), pinned ------------------------------------


def test_easy_read_switch_with_a_bare_word_as_next_goes_home(cast, login):
    response = login(cast.mentee).post(reverse("accounts:easy_read_switch"), {"next": "0"})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_easy_read_switch_goes_back_to_a_page_of_this_site(cast, login):
    response = login(cast.mentee).post(reverse("accounts:easy_read_switch"), {"next": "/people/"})
    assert response["Location"] == "/people/"


def test_interview_with_a_malformed_checklist_number_is_not_a_server_error(cast, login):
    url = reverse("matching:interview_mentee", args=[cast.mentee_profile.pk])
    response = login(cast.coordinator).post(url, {"checklist_id": "NaN"})
    assert response.status_code == 200
