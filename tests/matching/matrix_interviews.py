"""Permission-matrix entries for the checklist and interview routes: program staff only."""

from django.urls import reverse

from matching import services
from matching.models import Interview
from tests.matrix import NOT_STAFF, STAFF, Route

STAFF_OF_PROGRAM_A = {**STAFF, "outsider": 404, **NOT_STAFF}


def _interview(c) -> Interview:
    checklist = services.current_checklist(c.program, actor=c.coordinator)
    return Interview.objects.create(
        checklist=checklist,
        mentee=c.mentee_profile,
        interviewer=c.coordinator,
        outcome=Interview.Outcome.FOLLOW_UP,
        notes="Talked about housing",
    )


ROUTES: dict[str, Route] = {
    "matching:checklist_edit": Route(
        lambda c: reverse("matching:checklist_edit", args=[c.program.pk]), STAFF_OF_PROGRAM_A
    ),
    "matching:interview_mentee": Route(
        lambda c: reverse("matching:interview_mentee", args=[c.mentee_profile.pk]),
        STAFF_OF_PROGRAM_A,
        owner_marker="mentee",
    ),
    # A mentor may read their own profile, but interviews are staff business: 404.
    "matching:interview_mentor": Route(
        lambda c: reverse("matching:interview_mentor", args=[c.mentor_profile.pk]),
        STAFF_OF_PROGRAM_A,
    ),
    "matching:interview_detail": Route(
        lambda c: reverse("matching:interview_detail", args=[_interview(c).pk]),
        STAFF_OF_PROGRAM_A,
        owner_marker="mentee",
    ),
}
