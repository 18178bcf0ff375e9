"""From mentee to mentor: the rule that reads match closures.

A mentee may be invited to become a mentor once a match of theirs closed with its goals met;
the program's own criteria (time in recovery, not already a mentor) are checked by
``accounts.pathway.services.invitation_blockers``, which calls ``closure_blockers`` through the
``INVITATION_BLOCKERS`` hook registered in ``matching.apps``.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from accounts.models import MenteeProfile
from matching.models import Match


def _goals_met(mentee_ref):
    return Match.objects.filter(
        mentee=mentee_ref, status=Match.Status.CLOSED, close_reason=Match.CloseReason.GOALS_MET
    )


def closure_blockers(mentee: MenteeProfile) -> list[str]:
    if _goals_met(mentee).exists():
        return []
    return [_("None of their matches has closed with its goals met yet.")]


def mentees_with_goals_met(program_ids):
    """Mentees of these programs with a match closed with its goals met (the candidates a
    coordinator may invite, before the program's other criteria)."""
    return MenteeProfile.objects.filter(program_id__in=program_ids).filter(
        Exists(_goals_met(OuterRef("pk")))
    )
