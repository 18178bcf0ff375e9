"""The hard rules: who may never be matched with whom, and why, in plain words.

Suggestions, cohort matching and the lifecycle services all ask the same questions here, so
"why not this mentor?" always has the same answer as the rule that refused the proposal.
The facts are loaded in a fixed number of queries for any number of mentors.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import MenteeProfile, MentorProfile

# Matches in these states take one of a mentor's places.
CAPACITY_STATUSES = ("approved", "active", "paused")


@dataclass
class ExclusionFacts:
    """What the rules need to know about one mentee against many mentors."""

    do_not_match: set[int] = field(default_factory=set)
    conflicts: dict[int, str] = field(default_factory=dict)
    closed_for_safety: set[int] = field(default_factory=set)
    places_taken: dict[int, int] = field(default_factory=dict)


def load_facts(mentee: MenteeProfile, mentor_ids=None) -> ExclusionFacts:
    from matching.models import ConflictOfInterest, DoNotMatch, Match

    def scoped(queryset, column="mentor_id"):
        return queryset if mentor_ids is None else queryset.filter(**{f"{column}__in": mentor_ids})

    facts = ExclusionFacts()
    facts.do_not_match = set(
        scoped(DoNotMatch.objects.filter(mentee=mentee)).values_list("mentor_id", flat=True)
    )
    facts.conflicts = dict(
        scoped(ConflictOfInterest.objects.filter(mentee=mentee)).values_list(
            "mentor_id", "description"
        )
    )
    facts.closed_for_safety = set(
        scoped(
            Match.objects.filter(mentee=mentee, status="closed", close_reason="safety")
        ).values_list("mentor_id", flat=True)
    )
    taken = scoped(MentorProfile.objects.all(), column="pk").annotate(
        taken=Count("matches", filter=Q(matches__status__in=CAPACITY_STATUSES))
    )
    if mentor_ids is None:
        taken = taken.filter(program_id=mentee.program_id)
    facts.places_taken = dict(taken.values_list("pk", "taken"))
    return facts


def language_ids(profile) -> set[int]:
    """Language ids from a prefetched profile (no query when ``languages`` is prefetched)."""
    return {language.pk for language in profile.languages.all()}


def exclusion_reasons(
    mentee: MenteeProfile,
    mentor: MentorProfile,
    facts: ExclusionFacts,
    *,
    ignore_capacity_of_match=None,
) -> list[str]:
    """Every hard rule this pair breaks; an empty list means the pair is eligible.

    ``ignore_capacity_of_match``: when re-checking a match that already holds a place (for
    example approving it), its own place is not counted against the mentor.
    """
    reasons = []
    if mentor.program_id != mentee.program_id:
        reasons.append(_("They are not in the same program."))
    if mentor.user_id == mentee.user_id:
        reasons.append(_("A person cannot mentor themself."))
    if mentor.status != MentorProfile.Status.ACTIVE:
        reasons.append(
            _("The mentor is not active (status: %(status)s).")
            % {"status": mentor.get_status_display()}
        )
    taken = facts.places_taken.get(mentor.pk, 0) - (1 if ignore_capacity_of_match else 0)
    if taken >= mentor.capacity:
        reasons.append(
            _("The mentor is at capacity (%(taken)d of %(capacity)d places taken).")
            % {"taken": taken, "capacity": mentor.capacity}
        )
    if mentor.pk in facts.do_not_match:
        reasons.append(_("They are on each other's do-not-match list."))
    if mentor.pk in facts.conflicts:
        reasons.append(
            _("A conflict of interest is recorded: %(what)s") % {"what": facts.conflicts[mentor.pk]}
        )
    if mentor.pk in facts.closed_for_safety:
        reasons.append(_("A previous match between them closed for a safety concern."))
    mentee_languages = language_ids(mentee)
    if mentee_languages and not mentee_languages & language_ids(mentor):
        reasons.append(_("They have no language in common."))
    if (
        mentee.gender_preference_required
        and mentee.preferred_mentor_gender
        and mentor.gender != mentee.preferred_mentor_gender
    ):
        reasons.append(
            _("The mentee asked for a mentor who is %(gender)s, and marked it as a must.")
            % {"gender": mentee.get_preferred_mentor_gender_display().lower()}
        )
    return reasons


def pair_exclusions(mentee: MenteeProfile, mentor: MentorProfile, **kwargs) -> list[str]:
    """The hard rules one pair breaks (loads the facts for just this pair)."""
    return exclusion_reasons(mentee, mentor, load_facts(mentee, [mentor.pk]), **kwargs)
