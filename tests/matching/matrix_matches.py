"""Permission-matrix entries for matches: the board, the list, a match's page, its lifecycle
actions and match-support check-ins.

Actions are POST-only and answer 404 to anyone without the role for them (approve and
decline: supervisors; withdraw, start, resume: coordinators; pause, close and rematch: both).
A successful action redirects (302). The cast's ``match`` (mentee ↔ mentor) is active.
"""

from django.urls import reverse
from django.utils import timezone

from tests.matrix import NOT_STAFF, STAFF, Route

NOBODY = {"coordinator": 404, "supervisor": 404, "outsider": 404, **NOT_STAFF}


def _proposal(c):
    from matching import services
    from tests import factories as f

    return services.propose_match(
        actor=c.coordinator,
        mentee=f.MenteeProfileFactory(program=c.program),
        mentor=c.mentor_profile,
    )


def _approved(c):
    from matching import services

    return services.approve_match(actor=c.supervisor, match=_proposal(c))


def _paused(c):
    from matching import services

    return services.pause_match(actor=c.coordinator, match=c.match, reason="Away")


def _closed(c):
    from matching import services

    return services.close_match(
        actor=c.coordinator, match=c.match, reason="mentor_withdrew", notes="Moved away"
    )


def _action(name, match, expect, **data):
    return Route(
        lambda c: reverse(f"matching:{name}", args=[match(c).pk]),
        {**NOBODY, **expect},
        method="post",
        data=lambda c: {key: value() if callable(value) else value for key, value in data.items()},
    )


ROUTES: dict[str, Route] = {
    "matching:board": Route(
        lambda c: reverse("matching:board"),
        {**STAFF, "outsider": 200, **NOT_STAFF},
        owner_marker="mentee",
        lists_many=True,
    ),
    "matching:match_list": Route(
        lambda c: reverse("matching:match_list"),
        {**STAFF, "outsider": 200, **NOT_STAFF},
        owner_marker="mentee",
        lists_many=True,
    ),
    "matching:match_detail": Route(
        lambda c: reverse("matching:match_detail", args=[c.match.pk]),
        {**NOBODY, **STAFF, "mentor": 200, "mentee": 200},
        owner_marker="mentee",
    ),
    "matching:match_close": Route(
        lambda c: reverse("matching:match_close", args=[c.match.pk]),
        {**NOBODY, **STAFF},
        owner_marker="mentee",
    ),
    "matching:support_contact_new": Route(
        lambda c: reverse("matching:support_contact_new", args=[c.match.pk]),
        {**NOBODY, "coordinator": 200},
        owner_marker="mentee",
    ),
    "matching:match_approve": _action(
        "match_approve", _proposal, {"supervisor": 302}, expected_status="proposed"
    ),
    "matching:match_decline": _action(
        "match_decline",
        _proposal,
        {"supervisor": 302},
        expected_status="proposed",
        reason="Lives next door",
    ),
    "matching:match_withdraw": _action(
        "match_withdraw",
        _proposal,
        {"coordinator": 302},
        expected_status="proposed",
        reason="Mentee asked to wait",
    ),
    "matching:match_start": _action(
        "match_start",
        _approved,
        {"coordinator": 302},
        expected_status="approved",
        introduced_on=lambda: timezone.localdate().isoformat(),
        both_agreed="on",
    ),
    "matching:match_pause": _action(
        "match_pause",
        lambda c: c.match,
        {"coordinator": 302, "supervisor": 302},
        expected_status="active",
        reason="In hospital",
    ),
    "matching:match_resume": _action(
        "match_resume", _paused, {"coordinator": 302}, expected_status="paused"
    ),
    "matching:match_rematch": _action(
        "match_rematch",
        _closed,
        {"coordinator": 302, "supervisor": 302},
        expected_status="closed",
    ),
}
