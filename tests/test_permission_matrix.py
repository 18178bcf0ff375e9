"""Every URL of the product, asked for by every persona.

Each area lists its routes (how to build the URL from the cast, the method, and the status
each persona gets) in a ``tests/**/matrix_*.py`` module. A route missing from all of them (or
from ``EXEMPT``, with the reason) fails ``test_every_route_is_in_the_matrix``. Where a persona
is refused, the body must not carry the other person's planted marker; where the owner is
allowed, it must.
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import MARKERS
from tests.matrix import EXEMPT, PERSONAS, STAFF, Route

TESTS = Path(__file__).resolve().parent


def _gather() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    for path in sorted(TESTS.rglob("matrix_*.py")):
        module = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        for name, route in importlib.import_module(module).ROUTES.items():
            assert name not in routes, f"{name} is listed twice in the permission matrix"
            routes[name] = route
    return routes


MATRIX = _gather()


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
