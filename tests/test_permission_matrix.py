"""Every URL of the product, asked for by every persona.

``MATRIX`` names each route, how to build its URL from the cast, the method, and the status
each persona gets. A route missing from it (or from ``EXEMPT``, with the reason) fails
``test_every_route_is_in_the_matrix``. Where a persona is refused, the body must not carry
the other person's planted marker; where the owner is allowed, it must.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.conftest import MARKERS

PERSONAS = [
    "anonymous",
    "coordinator",
    "supervisor",
    "outsider",
    "case_manager",
    "mentor",
    "mentor2",
    "mentee",
    "mentee2",
]
STAFF = {"coordinator": 200, "supervisor": 200}
NOT_STAFF = {"case_manager": 404, "mentor": 404, "mentor2": 404, "mentee": 404, "mentee2": 404}

EXEMPT = {
    "admin": "Django's admin site, guarded by its own is_staff and model permissions",
    "login": "public: the sign-in form",
    "logout": "POST-only sign-out; acts on one's own session only",
    "set_language": "public: stores the chosen language in a cookie, reveals nothing",
    "healthz": "public by design; answers only ok/unreachable and a heartbeat time",
}


@dataclass
class Route:
    url: Callable
    expect: dict[str, int]
    method: str = "get"
    data: Callable | None = None
    # Whose planted marker must appear for allowed personas and be absent for others.
    owner_marker: str | None = None
    # A list legitimately shows staff several people's records.
    lists_many: bool = False


def _everyone(status: int) -> dict[str, int]:
    return {persona: status for persona in PERSONAS if persona != "anonymous"}


MATRIX: dict[str, Route] = {
    "home": Route(lambda c: reverse("home"), _everyone(200)),
    "accounts:my_settings": Route(lambda c: reverse("accounts:my_settings"), _everyone(200)),
    "accounts:mentee_list": Route(
        lambda c: reverse("accounts:mentee_list"),
        {**STAFF, "outsider": 200, **NOT_STAFF},
        owner_marker="mentee",
        lists_many=True,
    ),
    "accounts:mentee_create": Route(
        lambda c: reverse("accounts:mentee_create"), {**STAFF, "outsider": 200, **NOT_STAFF}
    ),
    "accounts:mentee_detail": Route(
        lambda c: reverse("accounts:mentee_detail", args=[c.mentee_profile.pk]),
        {
            **STAFF,
            "mentor": 200,
            "mentee": 200,
            "case_manager": 200,
            "mentor2": 404,
            "mentee2": 404,
            "outsider": 404,
        },
        owner_marker="mentee",
    ),
    "accounts:mentee_edit": Route(
        lambda c: reverse("accounts:mentee_edit", args=[c.mentee_profile.pk]),
        {**STAFF, "outsider": 404, **NOT_STAFF},
    ),
    "accounts:mentor_list": Route(
        lambda c: reverse("accounts:mentor_list"), {**STAFF, "outsider": 200, **NOT_STAFF}
    ),
    "accounts:mentor_create": Route(
        lambda c: reverse("accounts:mentor_create"), {**STAFF, "outsider": 200, **NOT_STAFF}
    ),
    "accounts:mentor_detail": Route(
        lambda c: reverse("accounts:mentor_detail", args=[c.mentor_profile.pk]),
        {**STAFF, **NOT_STAFF, "mentor": 200, "outsider": 404},
    ),
    "accounts:mentor_edit": Route(
        lambda c: reverse("accounts:mentor_edit", args=[c.mentor_profile.pk]),
        {**STAFF, "outsider": 404, **NOT_STAFF},
    ),
    "accounts:consent_create": Route(
        lambda c: reverse("accounts:consent_create", args=[c.mentee_profile.pk]),
        {**STAFF, "outsider": 404, **NOT_STAFF},
    ),
    "accounts:consent_revoke": Route(
        lambda c: reverse("accounts:consent_revoke", args=[c.mentee_profile.consents.get().pk]),
        {**STAFF, "mentee": 302, **{k: 404 for k in NOT_STAFF if k != "mentee"}, "outsider": 404},
        method="post",
    ),
    "accounts:goal_create": Route(
        lambda c: reverse("accounts:goal_create", args=[c.mentee_profile.pk]),
        {**STAFF, **NOT_STAFF, "mentor": 200, "mentee": 200, "outsider": 404},
    ),
    "accounts:goal_edit": Route(
        lambda c: reverse("accounts:goal_edit", args=[c.goal.pk]),
        {**STAFF, **NOT_STAFF, "mentor": 200, "mentee": 200, "outsider": 404},
        owner_marker="mentee",
    ),
    "accounts:goal_progress": Route(
        lambda c: reverse("accounts:goal_progress", args=[c.goal.pk]),
        {**STAFF, **NOT_STAFF, "mentor": 302, "mentee": 302, "outsider": 404},
        method="post",
        data=lambda c: {
            "status": "in_progress",
            "date": timezone.localdate().isoformat(),
            "note": "Went to a viewing",
        },
    ),
    "accounts:goal_step_toggle": Route(
        lambda c: reverse("accounts:goal_step_toggle", args=[c.goal.steps.create(text="Call").pk]),
        {**STAFF, **NOT_STAFF, "mentor": 302, "mentee": 302, "outsider": 404},
        method="post",
    ),
    "accounts:import_upload": Route(
        lambda c: reverse("accounts:import_upload"), {**STAFF, "outsider": 200, **NOT_STAFF}
    ),
    "accounts:import_confirm": Route(
        lambda c: reverse("accounts:import_confirm"),
        {**STAFF, "outsider": 200, **NOT_STAFF},
        method="post",
    ),
    "accounts:import_template": Route(
        lambda c: reverse("accounts:import_template", args=["mentee"]),
        {**STAFF, "outsider": 200, **NOT_STAFF},
    ),
}
# Staff's successful single actions redirect back to the record.
MATRIX["accounts:consent_revoke"].expect.update({"coordinator": 302, "supervisor": 302})
MATRIX["accounts:goal_progress"].expect.update({"coordinator": 302, "supervisor": 302})
MATRIX["accounts:goal_step_toggle"].expect.update({"coordinator": 302, "supervisor": 302})


def _route_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _route_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed>")
    return names


def _exempt(name: str) -> bool:
    return name in EXEMPT or name.split(":", 1)[0] in EXEMPT


def test_every_route_is_in_the_matrix():
    missing = sorted(
        name for name in _route_names(get_resolver()) if name not in MATRIX and not _exempt(name)
    )
    assert missing == [], f"Routes with no entry in the permission matrix: {missing}"


def test_every_matrix_entry_covers_every_persona():
    for name, route in MATRIX.items():
        assert set(route.expect) | {"anonymous"} == set(PERSONAS), name


CASES = [(name, persona) for name in MATRIX for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_route_answers_each_persona_as_the_matrix_says(name, persona, cast, client):
    route = MATRIX[name]
    url = route.url(cast)
    if persona != "anonymous":
        client.force_login(getattr(cast, persona))
    data = route.data(cast) if route.data else {}
    response = getattr(client, route.method)(url, data)

    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == route.expect[persona], (name, persona)
    if route.owner_marker and route.method == "get":
        marker = MARKERS[route.owner_marker]
        other = MARKERS["mentee2" if route.owner_marker == "mentee" else "mentee"]
        body = response.content.decode()
        if not (route.lists_many and persona in STAFF):
            assert other not in body, f"{persona} saw another person's data on {name}"
        if response.status_code == 404 or persona == "outsider":
            assert marker not in body, f"{persona} saw {route.owner_marker}'s data on {name}"
        elif persona in {"coordinator", "supervisor", "mentor", "mentee", "case_manager"}:
            assert marker in body, f"{persona} should see {route.owner_marker}'s data on {name}"
