"""Permission-matrix entries for the feedback and supervision routes (alerts: matrix_crisis).

The public one-time link (``mentoring_sessions:feedback_link``) is in ``EXEMPT``; its rules are
tested in ``test_feedback.py``. Each URL is built on a fresh session of the cast's ``match``
(mentor ↔ mentee).
"""

from django.urls import reverse

from sessions import services
from sessions.models import SupervisorNote
from tests.matrix import PERSONAS, Route
from tests.sessions.factories import MentoringSessionFactory


def only(**allowed: int) -> dict[str, int]:
    """Everyone signed in gets 404 except the personas named."""
    return {persona: allowed.get(persona, 404) for persona in PERSONAS if persona != "anonymous"}


def held(c):
    return MentoringSessionFactory(match=c.match)


def answered(c):
    session = held(c)
    services.submit_feedback(
        session=session,
        answered_by=c.mentee,
        via_link=False,
        rating=4,
        felt_listened_to="yes",
        learned_something="not_sure",
        more_hopeful="yes",
    )
    return session


def with_concern(c):
    return MentoringSessionFactory(match=c.match, concern="talk")


def note(c) -> SupervisorNote:
    return services.write_supervisor_note(
        actor=c.supervisor, mentor=c.mentor_profile, text="Well done on the housing call."
    )


ROUTES: dict[str, Route] = {
    "mentoring_sessions:feedback_give": Route(
        lambda c: reverse("mentoring_sessions:feedback_give", args=[held(c).pk]),
        only(mentee=200),
    ),
    "mentoring_sessions:feedback_detail": Route(
        lambda c: reverse("mentoring_sessions:feedback_detail", args=[answered(c).pk]),
        only(coordinator=200, supervisor=200, mentor=200, mentee=200),
        owner_marker="mentee",
    ),
    "mentoring_sessions:supervision_logs": Route(
        lambda c: (
            with_concern(c) and reverse("mentoring_sessions:supervision_logs") + "?concern=any"
        ),
        only(supervisor=200),
        owner_marker="mentee",
        lists_many=True,
    ),
    "mentoring_sessions:supervision_mark_reviewed": Route(
        lambda c: reverse("mentoring_sessions:supervision_mark_reviewed", args=[held(c).pk]),
        only(supervisor=302),
        method="post",
    ),
    "mentoring_sessions:supervision_mentor": Route(
        lambda c: reverse("mentoring_sessions:supervision_mentor", args=[c.mentor_profile.pk]),
        only(supervisor=200, mentor=200),
    ),
    "mentoring_sessions:supervision_meeting_new": Route(
        lambda c: reverse("mentoring_sessions:supervision_meeting_new", args=[c.mentor_profile.pk]),
        only(supervisor=200),
    ),
    "mentoring_sessions:supervisor_note_new": Route(
        lambda c: reverse("mentoring_sessions:supervisor_note_new", args=[c.mentor_profile.pk]),
        only(supervisor=200),
    ),
    "mentoring_sessions:my_supervision": Route(
        lambda c: reverse("mentoring_sessions:my_supervision"),
        only(mentor=200, mentor2=200),
    ),
    "mentoring_sessions:supervisor_note_read": Route(
        lambda c: reverse("mentoring_sessions:supervisor_note_read", args=[note(c).pk]),
        only(mentor=302),
        method="post",
    ),
}
