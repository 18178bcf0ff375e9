"""Sessions feed the matching board (last session, feedback trend) and a match's timeline."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions.models import SessionFeedback
from tests.sessions.factories import MentoringSessionFactory

pytestmark = pytest.mark.django_db


def _feedback(session, rating):
    return SessionFeedback.objects.create(
        session=session,
        rating=rating,
        felt_listened_to="yes",
        learned_something="yes",
        more_hopeful="yes",
        answered_by=session.match.mentee.user,
    )


def _held(match, days_ago):
    return MentoringSessionFactory(
        match=match, starts_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def _board_row(body: str, name: str) -> str:
    start = body.index(name, body.index('id="agreed-heading"'))
    return body[start : body.index("</tr>", start)]


def test_board_shows_the_last_session_held(cast, login):
    _held(cast.match, days_ago=40)
    latest = _held(cast.match, days_ago=3)
    body = login(cast.coordinator).get(reverse("matching:board")).text
    row = _board_row(body, "Mentee One")
    shown = timezone.localtime(latest.starts_at, zoneinfo.ZoneInfo(cast.coordinator.time_zone))
    assert shown.strftime("%m/%d/%Y") in row


def test_board_says_when_feedback_is_lower_than_before(cast, login):
    _feedback(_held(cast.match, days_ago=120), rating=5)
    _feedback(_held(cast.match, days_ago=10), rating=2)
    body = login(cast.coordinator).get(reverse("matching:board")).text
    row = _board_row(body, "Mentee One")
    assert "2.0 of 5" in row
    assert "lower than before" in row


def test_board_says_when_feedback_got_better(cast, login):
    _feedback(_held(cast.match, days_ago=100), rating=2)
    _feedback(_held(cast.match, days_ago=5), rating=4)
    row = _board_row(login(cast.coordinator).get(reverse("matching:board")).text, "Mentee One")
    assert "better than before" in row


def test_board_queries_do_not_grow_with_sessions(cast, login):
    client = login(cast.coordinator)
    client.get(reverse("matching:board"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("matching:board"))
    for days_ago in range(1, 40):
        _feedback(_held(cast.match, days_ago=days_ago), rating=4)
        _held(cast.match2, days_ago=days_ago)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("matching:board"))
    assert len(many) == len(few)


def test_match_timeline_lists_its_sessions(cast, login):
    session = _held(cast.match, days_ago=6)
    body = login(cast.coordinator).get(reverse("matching:match_detail", args=[cast.match.pk])).text
    assert reverse("mentoring_sessions:session_detail", args=[session.pk]) in body
    assert "Session: Held" in body
    assert session.private_notes not in body
