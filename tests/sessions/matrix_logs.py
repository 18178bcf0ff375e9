"""Permission-matrix entries for the session list, a session's page, scheduling and logging.

Each URL is built on a fresh session of the cast's ``match`` (mentor ↔ mentee). The list is
open to everyone with sessions (mentors, mentees, staff) and shows each their own; that it
never shows mentor2 or mentee2 the other match's sessions is tested in ``test_logs.py``
(the matrix's marker check cannot: mentee2's own name is on every page they open).
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.matrix import PERSONAS, Route
from tests.sessions.factories import MentoringSessionFactory


def only(**allowed: int) -> dict[str, int]:
    """Everyone signed in gets 404 except the personas named."""
    return {persona: allowed.get(persona, 404) for persona in PERSONAS if persona != "anonymous"}


def upcoming(c):
    return MentoringSessionFactory(match=c.match, scheduled=True)


def due_to_log(c):
    return MentoringSessionFactory(
        match=c.match, scheduled=True, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )


ARRANGERS = {"coordinator": 200, "supervisor": 200, "mentor": 200}

ROUTES: dict[str, Route] = {
    "mentoring_sessions:session_list": Route(
        lambda c: (
            MentoringSessionFactory(match=c.match) and reverse("mentoring_sessions:session_list")
        ),
        {
            **only(coordinator=200, supervisor=200, outsider=200),
            "mentor": 200,
            "mentor2": 200,
            "mentee": 200,
            "mentee2": 200,
        },
    ),
    "mentoring_sessions:session_detail": Route(
        lambda c: reverse(
            "mentoring_sessions:session_detail", args=[MentoringSessionFactory(match=c.match).pk]
        ),
        only(coordinator=200, supervisor=200, mentor=200, mentee=200),
        owner_marker="mentee",
    ),
    "mentoring_sessions:session_log": Route(
        lambda c: reverse("mentoring_sessions:session_log", args=[due_to_log(c).pk]),
        only(mentor=200),
        owner_marker="mentee",
    ),
    "mentoring_sessions:session_log_new": Route(
        lambda c: reverse("mentoring_sessions:session_log_new", args=[c.match.pk]),
        only(mentor=200),
        owner_marker="mentee",
    ),
    "mentoring_sessions:session_schedule": Route(
        lambda c: reverse("mentoring_sessions:session_schedule", args=[c.match.pk]),
        only(**ARRANGERS),
        owner_marker="mentee",
    ),
    "mentoring_sessions:session_edit": Route(
        lambda c: reverse("mentoring_sessions:session_edit", args=[upcoming(c).pk]),
        only(**ARRANGERS),
        owner_marker="mentee",
    ),
    "mentoring_sessions:session_cancel": Route(
        lambda c: reverse("mentoring_sessions:session_cancel", args=[upcoming(c).pk]),
        only(coordinator=302, supervisor=302, mentor=302),
        method="post",
        data=lambda c: {"reason": "The mentor is unwell."},
    ),
}
