"""The hard rules: who may never be matched with whom, and why, in plain words.

Suggestions, cohort matching and the lifecycle services all ask the same questions here, so
"why not this mentor?" always has the same answer as the rule that refused the proposal.
The facts are loaded in a fixed number of queries for any number of mentors
(``load_facts``), or for many mentees and mentors at once (``load_facts_for_many``).

``exclusion_reasons`` answers for one pair, in words; ``eligible_matrix`` answers yes or no
for every pair of many mentees and mentors at once (cohort matching asks it for 500 × 500
pairs). Both apply the same rules, and a test holds them equal. Both take model instances or
any record with the same attributes (``pk``, ``program_id``, ``user_id``, ``status``,
``capacity``, ``gender``, the mentee's preference fields, and the languages as prefetched
``languages`` or a preloaded ``language_id_set``).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import MenteeProfile, MentorProfile
from accounts.pathway.selectors import current_certification_exists, untrained_reasons

# Matches in these states take one of a mentor's places.
CAPACITY_STATUSES = ("approved", "active", "paused")


@dataclass
class ExclusionFacts:
    """What the rules need to know about one mentee against many mentors."""

    do_not_match: set[int] = field(default_factory=set)
    conflicts: dict[int, str] = field(default_factory=dict)
    closed_for_safety: set[int] = field(default_factory=set)
    places_taken: dict[int, int] = field(default_factory=dict)
    # Mentors who are not trained (``accounts.pathway``'s one definition), with why.
    untrained: dict[int, str] = field(default_factory=dict)


def _places_and_training(mentors) -> tuple[dict[int, int], dict[int, str]]:
    """Places taken per mentor, and the untrained mentors among them."""
    rows = list(
        mentors.annotate(
            taken=Count("matches", filter=Q(matches__status__in=CAPACITY_STATUSES)),
            certified=current_certification_exists(),
        ).values_list("pk", "program_id", "taken", "certified")
    )
    untrained = untrained_reasons(
        [MentorProfile(pk=pk, program_id=program) for pk, program, _t, _c in rows],
        certified={pk for pk, _p, _t, certified in rows if certified},
    )
    return {pk: taken for pk, _p, taken, _c in rows}, untrained


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
    mentors = scoped(MentorProfile.objects.all(), column="pk")
    if mentor_ids is None:
        mentors = mentors.filter(program_id=mentee.program_id)
    facts.places_taken, facts.untrained = _places_and_training(mentors)
    return facts


def load_facts_for_many(
    mentee_ids: Iterable[int], mentor_ids: Iterable[int]
) -> dict[int, ExclusionFacts]:
    """The facts of every pair of these mentees and mentors, in four queries.

    The mentees share one ``places_taken`` dictionary (places are a fact about mentors)."""
    from matching.models import ConflictOfInterest, DoNotMatch, Match

    mentee_ids, mentor_ids = list(mentee_ids), list(mentor_ids)
    pairs = {"mentee_id__in": mentee_ids, "mentor_id__in": mentor_ids}
    places_taken, untrained = _places_and_training(MentorProfile.objects.filter(pk__in=mentor_ids))
    facts = {
        pk: ExclusionFacts(places_taken=places_taken, untrained=untrained) for pk in mentee_ids
    }
    for mentee_id, mentor_id in DoNotMatch.objects.filter(**pairs).values_list(
        "mentee_id", "mentor_id"
    ):
        facts[mentee_id].do_not_match.add(mentor_id)
    for mentee_id, mentor_id, description in ConflictOfInterest.objects.filter(**pairs).values_list(
        "mentee_id", "mentor_id", "description"
    ):
        facts[mentee_id].conflicts[mentor_id] = description
    for mentee_id, mentor_id in Match.objects.filter(
        status="closed", close_reason="safety", **pairs
    ).values_list("mentee_id", "mentor_id"):
        facts[mentee_id].closed_for_safety.add(mentor_id)
    return facts


def language_ids(profile) -> set[int]:
    """Language ids of a profile: a loader's preloaded ``language_id_set`` when it has one,
    else its ``languages`` (no query when they are prefetched)."""
    preloaded = getattr(profile, "language_id_set", None)
    if preloaded is not None:
        return preloaded
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
    if mentor.pk in facts.untrained:
        reasons.append(facts.untrained[mentor.pk])
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


def eligible_matrix(
    mentees: Sequence, mentors: Sequence, facts: Mapping[int, ExclusionFacts]
) -> np.ndarray:
    """``result[i, j]`` is True when mentee ``i`` and mentor ``j`` break no hard rule: the
    rules of ``exclusion_reasons``, for every pair at once. ``facts`` maps mentee ids to
    their facts (``load_facts_for_many``)."""
    n, m = len(mentees), len(mentors)
    if not n or not m:
        return np.zeros((n, m), dtype=bool)

    def column(values, dtype=object):
        return np.array(list(values), dtype=dtype)

    ok = column((r.program_id for r in mentees), np.int64)[:, None] == column(
        (r.program_id for r in mentors), np.int64
    )
    ok &= column((r.user_id for r in mentees), np.int64)[:, None] != column(
        (r.user_id for r in mentors), np.int64
    )
    ok &= column((r.status == MentorProfile.Status.ACTIVE for r in mentors), bool)
    index = {mentor.pk: j for j, mentor in enumerate(mentors)}
    capacity = column((r.capacity for r in mentors), np.int64)
    full_by_taken: dict[int, np.ndarray] = {}  # mentees usually share one places_taken
    untrained_by_facts: dict[int, np.ndarray] = {}  # and one untrained dictionary
    for i, mentee in enumerate(mentees):
        mentee_facts = facts[mentee.pk]
        taken = mentee_facts.places_taken
        full = full_by_taken.get(id(taken))
        if full is None:
            full = column((taken.get(r.pk, 0) for r in mentors), np.int64) >= capacity
            full_by_taken[id(taken)] = full
        ok[i] &= ~full
        untrained = untrained_by_facts.get(id(mentee_facts.untrained))
        if untrained is None:
            untrained = column((r.pk in mentee_facts.untrained for r in mentors), bool)
            untrained_by_facts[id(mentee_facts.untrained)] = untrained
        ok[i] &= ~untrained
        for mentor_id in (
            mentee_facts.do_not_match
            | mentee_facts.conflicts.keys()
            | mentee_facts.closed_for_safety
        ):
            if (j := index.get(mentor_id)) is not None:
                ok[i, j] = False
    # A language in common, when the mentee's languages are known.
    mentee_languages = [language_ids(r) for r in mentees]
    terms = {term: k for k, term in enumerate(set().union(*mentee_languages))}
    if terms:
        spoken = np.zeros((n, len(terms)))
        for i, languages in enumerate(mentee_languages):
            spoken[i, [terms[t] for t in languages]] = 1
        known = np.zeros((m, len(terms)))
        for j, mentor in enumerate(mentors):
            known[j, [terms[t] for t in language_ids(mentor) if t in terms]] = 1
        in_common = spoken @ known.T > 0
        ok &= in_common | (spoken.sum(axis=1) == 0)[:, None]
    # A gender preference the mentee marked as a must.
    genders = column(r.gender for r in mentors)
    for i, mentee in enumerate(mentees):
        if mentee.gender_preference_required and mentee.preferred_mentor_gender:
            ok[i] &= genders == mentee.preferred_mentor_gender
    return ok


def pair_exclusions(mentee: MenteeProfile, mentor: MentorProfile, **kwargs) -> list[str]:
    """The hard rules one pair breaks (loads the facts for just this pair)."""
    return exclusion_reasons(mentee, mentor, load_facts(mentee, [mentor.pk]), **kwargs)
