"""Permission-matrix entries for the resource directory, referrals and group sessions.

The records are built in the cast's program A inside the URL functions: a resource, a
referral made in a session of ``mentor``↔``mentee``, and a group session that ``mentor``
facilitates with ``mentee`` on its list.
"""

from django.urls import reverse

from tests.matrix import NOT_STAFF, STAFF, Route, everyone
from tests.sessions.resource_group_factories import (
    GroupAttendanceFactory,
    GroupSessionFactory,
    HeldSessionFactory,
    ReferralFactory,
    ResourceFactory,
)

NOBODY_ELSE = {**NOT_STAFF, "outsider": 404}


def _resource(c):
    return ResourceFactory(program=c.program)


def _referral(c):
    return ReferralFactory(session=HeldSessionFactory(match=c.match))


def _group(c):
    group = GroupSessionFactory(
        program=c.program, created_by=c.coordinator, facilitators=[c.mentor_profile]
    )
    GroupAttendanceFactory(group_session=group, mentee=c.mentee_profile)
    return group


def _url(name, make=None):
    if make is None:
        return lambda c: reverse(f"mentoring_sessions:{name}")
    return lambda c: reverse(f"mentoring_sessions:{name}", args=[make(c).pk])


PROGRAM_MEMBERS = {**everyone(200), "outsider": 404}
MENTORS_AND_STAFF = {**STAFF, "mentor": 200, "mentor2": 200}

ROUTES: dict[str, Route] = {
    # Resource directory: read by everyone with a role in the program.
    "mentoring_sessions:resource_list": Route(_url("resource_list"), everyone(200)),
    "mentoring_sessions:resource_detail": Route(
        _url("resource_detail", _resource), PROGRAM_MEMBERS
    ),
    "mentoring_sessions:resource_new": Route(
        _url("resource_new"), {**NOT_STAFF, **STAFF, "outsider": 200}
    ),
    "mentoring_sessions:resource_edit": Route(
        _url("resource_edit", _resource), {**NOBODY_ELSE, **STAFF}
    ),
    # Referrals: staff of the program and the mentor of the session's match.
    "mentoring_sessions:referral_list": Route(
        lambda c: (_referral(c), reverse("mentoring_sessions:referral_list"))[1],
        {**NOT_STAFF, **MENTORS_AND_STAFF, "outsider": 200},
        owner_marker="mentee",
        lists_many=True,
    ),
    "mentoring_sessions:referral_follow_up": Route(
        _url("referral_follow_up", _referral),
        {**NOBODY_ELSE, **STAFF, "mentor": 200},
        owner_marker="mentee",
    ),
    # Group sessions: staff and mentors of the program, and mentees on the list.
    "mentoring_sessions:group_list": Route(
        lambda c: (_group(c), reverse("mentoring_sessions:group_list"))[1],
        {**everyone(200), "case_manager": 404},
    ),
    "mentoring_sessions:group_new": Route(
        _url("group_new"), {**NOT_STAFF, **STAFF, "outsider": 200}
    ),
    "mentoring_sessions:group_detail": Route(
        _url("group_detail", _group),
        {**NOBODY_ELSE, **MENTORS_AND_STAFF, "mentee": 200},
        owner_marker="mentee",
    ),
    "mentoring_sessions:group_edit": Route(
        _url("group_edit", _group), {**NOBODY_ELSE, **STAFF, "mentor": 200}
    ),
    "mentoring_sessions:group_attendance": Route(
        _url("group_attendance", _group),
        {**NOBODY_ELSE, **STAFF, "mentor": 200},
        owner_marker="mentee",
        lists_many=True,  # staff may add any of the program's mentees
    ),
}
