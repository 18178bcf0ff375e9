"""Permission-matrix entries for the mentor pathway's routes. The public application form and
its thank-you page are in ``tests.matrix.EXEMPT``."""

from django.urls import reverse
from django.utils import timezone

from accounts.pathway import services
from accounts.pathway.models import MentorInvitation
from tests.matrix import NOT_STAFF, STAFF, Route, everyone

ONLY_STAFF = {**STAFF, "outsider": 404, **NOT_STAFF}
STAFF_AND_MENTOR = {**ONLY_STAFF, "mentor": 200}


def _mentor(name):
    return lambda c: reverse(f"accounts:{name}", args=[c.mentor_profile.pk])


def _training_create(c):
    services.set_up_pathway(program=c.program)
    return reverse("accounts:pathway_training_create", args=[c.program.pk])


def _invitation(c):
    invitation = MentorInvitation.objects.create(mentee=c.mentee_profile, invited_by=c.coordinator)
    return reverse("accounts:pathway_invitation", args=[invitation.pk])


ROUTES: dict[str, Route] = {
    "accounts:pathway_program": Route(
        lambda c: reverse("accounts:pathway_program", args=[c.program.pk]), ONLY_STAFF
    ),
    "accounts:pathway_set_up": Route(
        lambda c: reverse("accounts:pathway_set_up", args=[c.program.pk]),
        {**ONLY_STAFF, "coordinator": 302, "supervisor": 302},
        method="post",
    ),
    "accounts:pathway_settings": Route(
        lambda c: reverse("accounts:pathway_settings", args=[c.program.pk]),
        {**ONLY_STAFF, "coordinator": 404},
    ),
    "accounts:pathway_applicant_create": Route(
        lambda c: reverse("accounts:pathway_applicant_create"),
        {**everyone(404), "coordinator": 200, "outsider": 200},
    ),
    "accounts:pathway_training_create": Route(_training_create, ONLY_STAFF),
    "accounts:pathway_mentor": Route(_mentor("pathway_mentor"), STAFF_AND_MENTOR),
    "accounts:pathway_screening": Route(
        _mentor("pathway_screening"),
        {**ONLY_STAFF, "coordinator": 302, "supervisor": 302},
        method="post",
        data=lambda c: {
            "kind": "interview",
            "status": "passed",
            "completed_on": timezone.localdate().isoformat(),
        },
    ),
    "accounts:pathway_status": Route(
        _mentor("pathway_status"),
        {**ONLY_STAFF, "coordinator": 302, "supervisor": 302},
        method="post",
        data=lambda c: {"to_status": "on_hold", "reason": "A short break"},
    ),
    # The cast's mentor has not done the required training: staff are told so (400).
    "accounts:pathway_certify": Route(
        _mentor("pathway_certify"),
        {**ONLY_STAFF, "coordinator": 400, "supervisor": 400},
        method="post",
        data=lambda c: {"issued_on": timezone.localdate().isoformat()},
    ),
    "accounts:pathway_role_play": Route(_mentor("pathway_role_play"), ONLY_STAFF),
    "accounts:pathway_employment": Route(_mentor("pathway_employment"), ONLY_STAFF),
    "accounts:pathway_certificate": Route(_mentor("pathway_certificate"), STAFF_AND_MENTOR),
    "accounts:pathway_wellbeing": Route(
        _mentor("pathway_wellbeing"), {**everyone(404), "mentor": 200}
    ),
    "accounts:pathway_invite": Route(
        lambda c: reverse("accounts:pathway_invite", args=[c.mentee_profile.pk]),
        {**everyone(404), "coordinator": 302},
        method="post",
    ),
    "accounts:pathway_invitation": Route(_invitation, {**everyone(404), "mentee": 200}),
}
