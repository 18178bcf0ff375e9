"""Permission-matrix entries for suggestions, weights and cohort matching.

Suggestions and proposing are for the staff of the mentee's program; the weights for its
supervisors; cohort runs are started, decided, rerun and published by its coordinators, and
the review page is also open to its supervisors (read-only). Everyone else gets 404.
"""

from django.urls import reverse

from matching.models import CohortRun, DraftProposal
from tests.matrix import NOT_STAFF, STAFF, Route


def _run(c) -> CohortRun:
    return CohortRun.objects.create(
        program=c.program,
        created_by=c.coordinator,
        mentee_ids=[c.mentee_profile.pk],
        mentor_ids=[c.mentor2_profile.pk],
    )


def _draft(c) -> DraftProposal:
    return DraftProposal.objects.create(
        run=_run(c), mentee=c.mentee_profile, mentor=c.mentor2_profile, score=10
    )


COORDINATORS = {"coordinator": 200, "supervisor": 404, "outsider": 404, **NOT_STAFF}
# Actions redirect back to the page they were taken from, with the outcome as a message.
COORDINATOR_ACTIONS = {**COORDINATORS, "coordinator": 302}

ROUTES: dict[str, Route] = {
    "matching:suggestions": Route(
        lambda c: reverse("matching:suggestions", args=[c.mentee_profile.pk]),
        {**STAFF, "outsider": 404, **NOT_STAFF},
        owner_marker="mentee",
    ),
    # The cast's mentee already has a match: staff get the refusal as a message.
    "matching:propose": Route(
        lambda c: reverse("matching:propose", args=[c.mentee_profile.pk]),
        {"coordinator": 302, "supervisor": 302, "outsider": 404, **NOT_STAFF},
        method="post",
        data=lambda c: {"mentor": c.mentor2_profile.pk},
    ),
    "matching:weights_edit": Route(
        lambda c: reverse("matching:weights_edit", args=[c.program.pk]),
        {"coordinator": 404, "supervisor": 200, "outsider": 404, **NOT_STAFF},
    ),
    "matching:cohort_new": Route(
        lambda c: reverse("matching:cohort_new", args=[c.program.pk]), COORDINATORS
    ),
    "matching:cohort_review": Route(
        lambda c: reverse("matching:cohort_review", args=[_run(c).pk]),
        {**STAFF, "outsider": 404, **NOT_STAFF},
    ),
    "matching:cohort_decide": Route(
        lambda c: reverse("matching:cohort_decide", args=[_draft(c).pk]),
        COORDINATOR_ACTIONS,
        method="post",
        data=lambda c: {"decision": "keep"},
    ),
    "matching:cohort_rerun": Route(
        lambda c: reverse("matching:cohort_rerun", args=[_run(c).pk]),
        COORDINATOR_ACTIONS,
        method="post",
    ),
    "matching:cohort_publish": Route(
        lambda c: reverse("matching:cohort_publish", args=[_run(c).pk]),
        COORDINATOR_ACTIONS,
        method="post",
    ),
}
