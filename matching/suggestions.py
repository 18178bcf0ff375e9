"""Suggestions that explain themselves: for a waiting mentee, the eligible mentors of their
program ranked by score with the reasons in plain words, and for every other mentor the hard
rules that rule them out ("why not this mentor?").

Reads only. Mentors and mentees are loaded as light records (``MentorRecord``,
``MenteeRecord``) from a few ``values_list`` queries, one per table and one per taxonomy, so
the number of queries is the same for 5 mentors or 2,000. (Model instances with their
taxonomies prefetched take about ten times as long for 2,000 mentors: ~450 ms against
~40 ms, over a page's whole budget of 100 ms.) The records
carry what the hard rules in ``matching.eligibility`` read, so "why not?" and a refused
proposal always give the same answer.
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field

import numpy as np
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import MenteeProfile, MentorProfile
from matching.eligibility import (
    eligible_matrix,
    exclusion_reasons,
    load_facts,
    load_facts_for_many,
)
from matching.models import Match, MatchingSettings
from matching.scoring import (
    MenteeData,
    MentorData,
    fraction_matrix,
    is_english,
    score_matrix,
    score_pair,
    weight_vector,
)

TAXONOMIES = ("life_goals", "lived_experience", "languages", "interests")
PREVIEW_MENTEES = 20
PREVIEW_TOP = 3


@dataclass(slots=True)
class MentorRecord:
    pk: int
    user_id: int
    program_id: int
    name: str
    status: str
    capacity: int
    gender: str
    language_id_set: Set[int]
    data: MentorData
    places_taken: int = 0

    def get_status_display(self) -> str:
        return str(MentorProfile.Status(self.status).label)

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.places_taken, 0)


@dataclass(slots=True)
class MenteeRecord:
    pk: int
    user_id: int
    program_id: int
    name: str
    status: str
    waiting_since: datetime.date | None
    gender_preference_required: bool
    preferred_mentor_gender: str
    language_id_set: Set[int]
    data: MenteeData

    def get_preferred_mentor_gender_display(self) -> str:
        return str(MenteeProfile.GenderPreference(self.preferred_mentor_gender).label)

    @property
    def months_waiting(self) -> float:
        if self.status != MenteeProfile.Status.WAITING or not self.waiting_since:
            return 0.0
        return max((timezone.localdate() - self.waiting_since).days, 0) / 30.4375


@dataclass(slots=True)
class Suggestion:
    mentor: MentorRecord
    score: float
    reasons: list[str]


@dataclass(slots=True)
class Exclusion:
    mentor: MentorRecord
    reasons: list[str]


@dataclass(slots=True)
class Review:
    """Everything the suggestions page shows about one mentee."""

    mentee: MenteeRecord
    suggestions: list[Suggestion]
    excluded: list[Exclusion]
    eligible_count: int
    max_score: float


# --- Loading -----------------------------------------------------------------------------------


def _terms(model, name: str, owner_filter: dict, *, named: bool, only=None):
    """(owner id, term id) rows of one taxonomy; ``named`` adds the term's name and its code
    (languages) or slug (the others), in the taxonomy's order; ``only`` keeps these terms."""
    relation = model._meta.get_field(name)
    through = relation.remote_field.through
    source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
    rows = through.objects.filter(
        **{f"{source}__{key}": value for key, value in owner_filter.items()}
    )
    if only is not None:
        rows = rows.filter(**{f"{target}_id__in": list(only)})
    columns = [f"{source}_id", f"{target}_id"]
    if named:
        columns.append(f"{target}__name")
        columns.append(f"{target}__code" if name == "languages" else f"{target}__slug")
        rows = rows.order_by(f"{target}__sort_order", f"{target}__name")
    return rows.values_list(*columns)


def _owner_filter(program_id: int | None, ids: Iterable[int] | None) -> dict:
    found = {}
    if program_id is not None:
        found["program_id"] = program_id
    if ids is not None:
        found["pk__in"] = list(ids)
    return found


def _json_list(text: str | None) -> frozenset:
    return frozenset(json.loads(text)) if text else frozenset()


def load_mentors(
    *,
    program_id: int | None = None,
    mentor_ids: Iterable[int] | None = None,
    for_mentee: MenteeRecord | None = None,
) -> list[MentorRecord]:
    """The mentors of a program (or these mentors), by name, in 5 queries.

    ``for_mentee``: load only the taxonomy terms that mentee has. The others change neither
    that mentee's score nor the language rule, and on 2,000 mentors skipping them saves most
    of the rows; records loaded so serve that one mentee only."""
    owners = _owner_filter(program_id, mentor_ids)
    terms = {name: defaultdict(set) for name in TAXONOMIES}
    for name in TAXONOMIES:
        only = None
        if for_mentee is not None:
            only = (
                for_mentee.language_id_set
                if name == "languages"
                else getattr(for_mentee.data, name).keys()
            )
        found = terms[name]
        for owner, term in _terms(MentorProfile, name, owners, named=False, only=only):
            found[owner].add(term)
    goals, experience, languages, interests = (terms[name] for name in TAXONOMIES)
    empty = frozenset()
    rows = (
        MentorProfile.objects.filter(**owners)
        .order_by("user__display_name", "pk")
        # The two weekly lists come as text: decoding them here costs a third of what the
        # JSON field's own conversion costs, on 2,000 mentors a page.
        .annotate(
            availability_text=Cast("availability", TextField()),
            modalities_text=Cast("modalities", TextField()),
        )
        .values_list(
            "pk",
            "user_id",
            "program_id",
            "program__center_id",
            "user__display_name",
            "status",
            "capacity",
            "gender",
            "idd_mh_experience",
            "availability_text",
            "modalities_text",
            "location",
        )
    )
    records = []
    for (
        pk,
        user_id,
        program,
        center_id,
        name,
        status,
        capacity,
        gender,
        idd_mh_experience,
        availability,
        modalities,
        location,
    ) in rows:
        spoken = languages.get(pk, empty)
        records.append(
            MentorRecord(
                pk=pk,
                user_id=user_id,
                program_id=program,
                name=name,
                status=status,
                capacity=capacity,
                gender=gender,
                language_id_set=spoken,
                data=MentorData(
                    life_goals=goals.get(pk, empty),
                    lived_experience=experience.get(pk, empty),
                    languages=spoken,
                    interests=interests.get(pk, empty),
                    availability=_json_list(availability),
                    modalities=_json_list(modalities),
                    location=location,
                    center_id=center_id,
                    gender=gender,
                    idd_mh_experience=idd_mh_experience,
                ),
            )
        )
    return records


def load_mentees(
    *, program_id: int | None = None, mentee_ids: Iterable[int] | None = None
) -> list[MenteeRecord]:
    """The mentees of a program (or these mentees), by name, in 6 queries."""
    owners = _owner_filter(program_id, mentee_ids)
    terms = {name: defaultdict(dict) for name in TAXONOMIES}
    languages = defaultdict(set)
    for name in TAXONOMIES:
        for owner, term, term_name, code in _terms(MenteeProfile, name, owners, named=True):
            if name == "languages":
                languages[owner].add(term)
                if is_english(code):
                    continue
            terms[name][owner][term] = term_name
    records = []
    for row in (
        MenteeProfile.objects.filter(**owners)
        .order_by("user__display_name", "pk")
        .values(
            "pk",
            "user_id",
            "program_id",
            "program__center_id",
            "user__display_name",
            "status",
            "waiting_since",
            "gender_preference_required",
            "preferred_mentor_gender",
            "idd_mh",
            "availability",
            "modalities",
            "location",
        )
    ):
        pk = row["pk"]
        records.append(
            MenteeRecord(
                pk=pk,
                user_id=row["user_id"],
                program_id=row["program_id"],
                name=row["user__display_name"],
                status=row["status"],
                waiting_since=row["waiting_since"],
                gender_preference_required=row["gender_preference_required"],
                preferred_mentor_gender=row["preferred_mentor_gender"],
                language_id_set=languages.get(pk, set()),
                data=MenteeData(
                    life_goals=terms["life_goals"].get(pk, {}),
                    lived_experience=terms["lived_experience"].get(pk, {}),
                    languages=terms["languages"].get(pk, {}),
                    interests=terms["interests"].get(pk, {}),
                    availability=frozenset(row["availability"] or ()),
                    modalities=frozenset(row["modalities"] or ()),
                    location=row["location"],
                    center_id=row["program__center_id"],
                    idd_mh=row["idd_mh"],
                    preferred_mentor_gender=row["preferred_mentor_gender"],
                ),
            )
        )
    return records


def settings_for(program_id: int) -> MatchingSettings:
    found, _created = MatchingSettings.objects.get_or_create(program_id=program_id)
    return found


# --- One mentee --------------------------------------------------------------------------------


def review_for(
    mentee: MenteeProfile, *, settings: MatchingSettings | None = None, limit: int = 20
) -> Review:
    """The ranked eligible mentors (up to ``limit``, with reasons) and every excluded mentor
    with the rules that exclude them, from one load of the program's mentors."""
    settings = settings or settings_for(mentee.program_id)
    weights = settings.weights
    (record,) = load_mentees(mentee_ids=[mentee.pk])
    mentors = load_mentors(program_id=mentee.program_id, for_mentee=record)
    facts = load_facts(mentee)
    eligible, excluded = [], []
    for mentor in mentors:
        mentor.places_taken = facts.places_taken.get(mentor.pk, 0)
        reasons = exclusion_reasons(record, mentor, facts)
        if reasons:
            excluded.append(Exclusion(mentor, reasons))
        else:
            eligible.append(mentor)
    scores = np.round(score_matrix([record.data], [m.data for m in eligible], weights)[0], 6)
    order = sorted(
        range(len(eligible)), key=lambda j: (-scores[j], eligible[j].name, eligible[j].pk)
    )
    suggestions = []
    for j in order[:limit]:
        score, reasons = score_pair(record.data, eligible[j].data, weights)
        suggestions.append(Suggestion(eligible[j], score, reasons))
    return Review(
        mentee=record,
        suggestions=suggestions,
        excluded=excluded,
        eligible_count=len(eligible),
        max_score=float(sum(weights.values())),
    )


def suggestions_for(
    mentee: MenteeProfile, *, settings: MatchingSettings | None = None, limit: int = 20
) -> list[Suggestion]:
    """The mentee's eligible mentors, best first, each with a score and its reasons."""
    return review_for(mentee, settings=settings, limit=limit).suggestions


def excluded_for(mentee: MenteeProfile) -> list[Exclusion]:
    """Every mentor of the mentee's program that a hard rule rules out, with the rules."""
    return review_for(mentee, limit=0).excluded


def explain_pair(
    mentee: MenteeProfile, mentor: MentorProfile, *, settings: MatchingSettings | None = None
) -> tuple[float, list[str]]:
    """The score and reasons of one pair, as the suggestions show them."""
    settings = settings or settings_for(mentee.program_id)
    (mentee_record,) = load_mentees(mentee_ids=[mentee.pk])
    (mentor_record,) = load_mentors(mentor_ids=[mentor.pk], for_mentee=mentee_record)
    return score_pair(mentee_record.data, mentor_record.data, settings.weights)


# --- Weights preview ---------------------------------------------------------------------------


@dataclass(slots=True)
class Ranked:
    name: str
    score: float
    change: str = ""  # "new", "up", "down", "same" (after) or "out", "" (before)


@dataclass(slots=True)
class PreviewRow:
    mentee: MenteeRecord
    before: list[Ranked] = field(default_factory=list)
    after: list[Ranked] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return [r.name for r in self.before] != [r.name for r in self.after]


def waiting_mentees(program_id: int):
    """Waiting mentees with no open match or proposal, longest waiting first."""
    return (
        MenteeProfile.objects.filter(program_id=program_id, status=MenteeProfile.Status.WAITING)
        .exclude(pk__in=Match.objects.open().values("mentee_id"))
        .order_by(F("waiting_since").asc(nulls_last=True), "pk")
    )


def waiting_mentee_ids(program_id: int, *, limit: int | None = None) -> list[int]:
    waiting = waiting_mentees(program_id).values_list("pk", flat=True)
    return list(waiting[:limit] if limit else waiting)


def preview_weights(
    program_id: int,
    before: Mapping[str, float],
    after: Mapping[str, float],
    *,
    mentees: int = PREVIEW_MENTEES,
    top: int = PREVIEW_TOP,
) -> list[PreviewRow]:
    """For the longest-waiting mentees, their top suggestions under the current weights and
    under ``after``. Nothing is saved."""
    records = load_mentees(mentee_ids=waiting_mentee_ids(program_id, limit=mentees))
    mentors = load_mentors(program_id=program_id)
    if not records:
        return []
    facts = load_facts_for_many([r.pk for r in records], [m.pk for m in mentors])
    ok = eligible_matrix(records, mentors, facts)
    fractions = fraction_matrix([r.data for r in records], [m.data for m in mentors])
    scores_before = np.round(fractions @ weight_vector(before), 6)
    scores_after = np.round(fractions @ weight_vector(after), 6)
    rows = []
    for i, record in enumerate(records):

        def best(scores, i=i):
            columns = np.flatnonzero(ok[i])
            ranked = sorted(columns, key=lambda j: (-scores[i, j], mentors[j].name, mentors[j].pk))
            return [(mentors[j], float(scores[i, j])) for j in ranked[:top]]

        old, new = best(scores_before), best(scores_after)
        old_rank = {mentor.pk: rank for rank, (mentor, _s) in enumerate(old)}
        new_pks = {mentor.pk for mentor, _s in new}
        row = PreviewRow(mentee=record)
        row.before = [
            Ranked(mentor.name, score, "" if mentor.pk in new_pks else "out")
            for mentor, score in old
        ]
        for rank, (mentor, score) in enumerate(new):
            was = old_rank.get(mentor.pk)
            change = (
                "new" if was is None else "up" if was > rank else "down" if was < rank else "same"
            )
            row.after.append(Ranked(mentor.name, score, change))
        rows.append(row)
    return rows
