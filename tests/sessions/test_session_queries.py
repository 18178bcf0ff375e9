"""The mentor's home, the session list and the log form run a fixed number of queries, however
long the match's history."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions.models import MentoringSession
from tests.sessions.factories import MentoringSessionFactory

pytestmark = pytest.mark.django_db

Status = MentoringSession.Status


def add_history(match, count: int) -> None:
    """``count`` sessions spread over the past year and the next month: held, no-shows,
    cancelled, scheduled ones waiting to be logged and upcoming ones."""
    now = timezone.now()
    kinds = itertools.cycle(["held", "held", "no_show", "cancelled", "to_log", "upcoming"])
    rows = []
    for number, kind in zip(range(count), kinds, strict=False):
        if kind == "upcoming":
            starts = now + datetime.timedelta(hours=number % 700 + 1)
        else:
            starts = now - datetime.timedelta(hours=number % 8000 + 2)
        row = MentoringSession(
            match=match,
            starts_at=starts,
            modality="phone",
            place="Phone",
            created_by=match.mentor.user,
            status=Status.SCHEDULED if kind in ("to_log", "upcoming") else kind,
        )
        if kind in ("held", "no_show", "cancelled"):
            row.logged_at = starts + datetime.timedelta(hours=1)
            row.logged_by = match.mentor.user
        if kind == "held":
            row.duration_minutes = 60
            row.support_types = ["emotional"]
            row.summary = "We met."
        rows.append(row)
    MentoringSession.objects.bulk_create(rows)


def count_queries(client, path, params=None) -> int:
    client.get(path, params)  # warm up per-process caches (content types, etc.)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("home", {}),
        ("list", {}),
        ("list", {"show": "to_log"}),
        ("list", {"show": "upcoming"}),
        ("list", {"show": "past"}),
        ("log", {}),
    ],
)
def test_query_count_is_the_same_for_10_and_1000_sessions(cast, login, page, params):
    client = login(cast.mentor)
    waiting = MentoringSessionFactory(
        match=cast.match, scheduled=True, starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    paths = {
        "home": reverse("home"),
        "list": reverse("mentoring_sessions:session_list"),
        "log": reverse("mentoring_sessions:session_log", args=[waiting.pk]),
    }
    counts = []
    done = 1
    for size in (10, 1000):
        add_history(cast.match, size - done)
        done = size
        assert cast.match.sessions.count() == size
        counts.append(count_queries(client, paths[page], params))
    assert counts[0] == counts[1], counts


def test_staff_list_query_count_is_the_same_for_10_and_1000_sessions(cast, login):
    client = login(cast.supervisor)
    counts = []
    done = 0
    for size in (10, 1000):
        add_history(cast.match, (size - done) // 2)
        add_history(cast.match2, (size - done) - (size - done) // 2)
        done = size
        counts.append(count_queries(client, reverse("mentoring_sessions:session_list")))
    assert counts[0] == counts[1], counts
