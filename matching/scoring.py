"""How well a mentor fits a mentee: a score and the reasons behind it, in plain words.

Everything here works on plain, preloaded data (``MenteeData``, ``MentorData``: sets of ids,
names, slot codes) and runs no query, so that ranking 2,000 mentors or scoring 500 × 500
pairs costs no more than the arithmetic.

Each criterion gives a fraction between 0 and 1, multiplied by the program's weight for it
(``MatchingSettings.weights``); the score is the sum. A criterion the mentee has no data for
(no interests recorded, no preference) gives 0 to every mentor alike.

==================  ===========================================================================
criterion           fraction
==================  ===========================================================================
life_goals          the mentee's life-goal areas the mentor shares / the mentee's areas
lived_experience    the mentee's lived-experience areas the mentor shares / the mentee's areas
language            the mentee's languages other than English the mentor speaks / those
                    languages (a language in common at all is a hard rule, see eligibility)
availability        shared weekly hours / the mentee's weekly hours, both capped at
                    ``ENOUGH_HOURS``: six shared hours (two evenings) leave room to find a time
                    and a fallback, so more overlap than that does not count for more
modality            1 when they have a way to meet in common (in person, phone, video)
location            1 when they live in the same town or neighbourhood; 0.5 when they only share
                    the center and both can meet in person (they can meet there)
preferences         1 when the mentor is of the gender the mentee prefers (a preference marked
                    as a must is a hard rule, see eligibility)
idd_mh              1 when an IDD-MH mentee gets a mentor experienced with IDD-MH
interests           the mentee's interests the mentor shares / the mentee's interests
==================  ===========================================================================

``score_pair`` scores and explains one pair; ``fraction_matrix`` and ``score_matrix`` give the
same numbers for many pairs at once with numpy (a test holds them equal).
"""

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import AVAILABILITY_SLOTS, DAY_PARTS, DAYS, MenteeProfile, Modality

# The criteria, in the order of ``MatchingSettings.WEIGHT_FIELDS``.
CRITERIA = (
    "life_goals",
    "lived_experience",
    "language",
    "availability",
    "modality",
    "location",
    "preferences",
    "idd_mh",
    "interests",
)
ENOUGH_HOURS = 6
SAME_CENTER_SHARE = 0.5
SLOTS = tuple(AVAILABILITY_SLOTS)
SLOT_HOURS = np.array([AVAILABILITY_SLOTS[slot] for slot in SLOTS], dtype=float)
MODALITIES = tuple(Modality.values)


def is_english(code: str) -> bool:
    return code == "en" or code.startswith("en-")


def place_key(location: str) -> str:
    """A town or neighbourhood as compared: case and spacing do not matter."""
    return " ".join(location.split()).casefold()


@dataclass(slots=True)
class MenteeData:
    """What scoring needs to know about a mentee. Taxonomy terms map id to name, in the
    taxonomy's order; ``languages`` holds only the languages other than English."""

    life_goals: dict[int, str] = field(default_factory=dict)
    lived_experience: dict[int, str] = field(default_factory=dict)
    languages: dict[int, str] = field(default_factory=dict)
    interests: dict[int, str] = field(default_factory=dict)
    availability: Set[str] = frozenset()
    modalities: Set[str] = frozenset()
    location: str = ""
    center_id: int | None = None
    idd_mh: bool = False
    preferred_mentor_gender: str = ""


@dataclass(slots=True)
class MentorData:
    """What scoring needs to know about a mentor: term ids only (shared terms are named from
    the mentee's side); ``languages`` holds all the languages the mentor speaks."""

    life_goals: Set[int] = frozenset()
    lived_experience: Set[int] = frozenset()
    languages: Set[int] = frozenset()
    interests: Set[int] = frozenset()
    availability: Set[str] = frozenset()
    modalities: Set[str] = frozenset()
    location: str = ""
    center_id: int | None = None
    gender: str = ""
    idd_mh_experience: bool = False


def weight_vector(weights: Mapping[str, float]) -> np.ndarray:
    """The weights in ``CRITERIA`` order; a criterion missing from ``weights`` weighs 0."""
    return np.array([float(weights.get(name, 0)) for name in CRITERIA])


# --- One pair, explained ---------------------------------------------------------------------


def _share(mentee_terms, mentor_terms) -> tuple[float, list]:
    """(shared / the mentee's, the shared ids in the mentee's order)."""
    if not mentee_terms:
        return 0.0, []
    shared = [term for term in mentee_terms if term in mentor_terms]
    return len(shared) / len(mentee_terms), shared


def _hours(slots) -> int:
    return sum(AVAILABILITY_SLOTS.get(slot, 0) for slot in slots)


def score_pair(
    mentee: MenteeData, mentor: MentorData, weights: Mapping[str, float]
) -> tuple[float, list[str]]:
    """The pair's score and the reasons for it, most weighty first. Only criteria that
    added to the score give a reason."""
    contributions: list[tuple[float, int, str]] = []

    def add(criterion: str, fraction: float, reason) -> None:
        points = float(weights.get(criterion, 0)) * fraction
        if points > 0:
            text = reason() if callable(reason) else reason
            contributions.append((points, CRITERIA.index(criterion), text))

    fraction, shared = _share(mentee.life_goals, mentor.life_goals)
    add(
        "life_goals",
        fraction,
        lambda: (
            _("Both working on %(goals)s")
            % {"goals": join_and([lower_first(mentee.life_goals[t]) for t in shared])}
        ),
    )
    fraction, shared_experience = _share(mentee.lived_experience, mentor.lived_experience)
    add(
        "lived_experience",
        fraction,
        lambda: (
            _("Shared lived experience: %(areas)s")
            % {
                "areas": join_and(
                    [lower_first(mentee.lived_experience[t]) for t in shared_experience]
                )
            }
        ),
    )
    fraction, shared_languages = _share(mentee.languages, mentor.languages)
    add(
        "language",
        fraction,
        lambda: (
            _("Both speak %(languages)s")
            % {"languages": join_and([mentee.languages[t] for t in shared_languages])}
        ),
    )
    overlap = mentee.availability & mentor.availability
    add("availability", availability_fraction(mentee.availability, overlap), lambda: _when(overlap))
    ways = [way for way in MODALITIES if way in mentee.modalities and way in mentor.modalities]
    add("modality", 1.0 if ways else 0.0, lambda: _ways(ways))
    fraction, reason = _location(mentee, mentor)
    add("location", fraction, reason)
    preferred = bool(mentee.preferred_mentor_gender) and (
        mentor.gender == mentee.preferred_mentor_gender
    )
    add(
        "preferences",
        1.0 if preferred else 0.0,
        lambda: (
            _("%(gender)s, as the mentee prefers")
            % {"gender": MenteeProfile.GenderPreference(mentee.preferred_mentor_gender).label}
        ),
    )
    add(
        "idd_mh",
        1.0 if mentee.idd_mh and mentor.idd_mh_experience else 0.0,
        lambda: _("Has experience mentoring young adults with IDD-MH"),
    )
    fraction, shared_interests = _share(mentee.interests, mentor.interests)
    add(
        "interests",
        fraction,
        lambda: (
            _("Both enjoy %(interests)s")
            % {"interests": join_and([lower_first(mentee.interests[t]) for t in shared_interests])}
        ),
    )
    score = sum(points for points, _order, _text in contributions)
    contributions.sort(key=lambda item: (-item[0], item[1]))
    return score, [text for _points, _order, text in contributions]


def availability_fraction(mentee_slots, overlap) -> float:
    if not overlap:
        return 0.0
    return min(_hours(overlap), ENOUGH_HOURS) / min(_hours(mentee_slots), ENOUGH_HOURS)


def _location(mentee: MenteeData, mentor: MentorData) -> tuple[float, str]:
    place = place_key(mentee.location)
    if place and place == place_key(mentor.location):
        return 1.0, _("Both live in %(place)s") % {"place": mentee.location.strip()}
    in_person = Modality.IN_PERSON in mentee.modalities and Modality.IN_PERSON in mentor.modalities
    if in_person and mentee.center_id is not None and mentee.center_id == mentor.center_id:
        return SAME_CENTER_SHARE, _("Same center")
    return 0.0, ""


# --- Words -----------------------------------------------------------------------------------


def lower_first(name: str) -> str:
    """ "Housing" → "housing" inside a sentence; "ASL" and other acronyms stay as they are."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def join_and(items: Sequence[str]) -> str:
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def join_or(items: Sequence[str]) -> str:
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _day_part(part: str, days: list[str]) -> str:
    values = {"days": join_and(days)}
    count = len(days)
    if part == "morning":
        return ngettext("%(days)s morning", "%(days)s mornings", count) % values
    if part == "afternoon":
        return ngettext("%(days)s afternoon", "%(days)s afternoons", count) % values
    return ngettext("%(days)s evening", "%(days)s evenings", count) % values


def _when(overlap) -> str:
    """ "Available Tue and Thu evenings, Sat morning — 11 h overlap"."""
    phrases = []
    for part, _label, _start, _end in DAY_PARTS:
        days = [str(label) for day, label in DAYS if f"{day}-{part}" in overlap]
        if days:
            phrases.append(_day_part(part, days))
    return _("Available %(when)s — %(hours)d h overlap") % {
        "when": ", ".join(phrases),
        "hours": _hours(overlap),
    }


def _ways(ways: list[str]) -> str:
    words = {
        Modality.IN_PERSON: _("in person"),
        Modality.PHONE: _("by phone"),
        Modality.VIDEO: _("by video"),
    }
    return _("Both can meet %(ways)s") % {"ways": join_or([words[way] for way in ways])}


# --- Many pairs at once ----------------------------------------------------------------------


def _incidence(rows: Sequence, index: dict) -> np.ndarray:
    """A 0/1 matrix: one row per item of ``rows``, one column per term of ``index``."""
    matrix = np.zeros((len(rows), len(index)))
    found = index.get
    at_row, at_column = [], []
    for i, terms in enumerate(rows):
        for term in terms:
            if (k := found(term)) is not None:
                at_row.append(i)
                at_column.append(k)
    matrix[at_row, at_column] = 1.0
    return matrix


def _shared_fraction(mentee_terms: Sequence, mentor_terms: Sequence) -> np.ndarray:
    index = {term: k for k, term in enumerate(set().union(*mentee_terms))} if mentee_terms else {}
    if not index:
        return np.zeros((len(mentee_terms), len(mentor_terms)))
    mine, theirs = _incidence(mentee_terms, index), _incidence(mentor_terms, index)
    counts = mine.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, (mine @ theirs.T) / counts, 0.0)


def fraction_matrix(mentees: Sequence[MenteeData], mentors: Sequence[MentorData]) -> np.ndarray:
    """``result[i, j, k]``: the fraction of criterion ``CRITERIA[k]`` for mentee ``i`` and
    mentor ``j``, as ``score_pair`` computes it."""
    n, m = len(mentees), len(mentors)
    result = np.zeros((n, m, len(CRITERIA)))
    if not n or not m:
        return result

    def put(criterion: str, values) -> None:
        result[:, :, CRITERIA.index(criterion)] = values

    for criterion in ("life_goals", "lived_experience", "interests"):
        put(
            criterion,
            _shared_fraction(
                [getattr(r, criterion) for r in mentees], [getattr(r, criterion) for r in mentors]
            ),
        )
    put(
        "language", _shared_fraction([r.languages for r in mentees], [r.languages for r in mentors])
    )

    slot_index = {slot: k for k, slot in enumerate(SLOTS)}
    mine = _incidence([r.availability for r in mentees], slot_index)
    theirs = _incidence([r.availability for r in mentors], slot_index)
    overlap = (mine * SLOT_HOURS) @ theirs.T
    own = np.minimum(mine @ SLOT_HOURS, ENOUGH_HOURS)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        put("availability", np.where(overlap > 0, np.minimum(overlap, ENOUGH_HOURS) / own, 0.0))

    way_index = {way: k for k, way in enumerate(MODALITIES)}
    mine = _incidence([r.modalities for r in mentees], way_index)
    theirs = _incidence([r.modalities for r in mentors], way_index)
    put("modality", ((mine @ theirs.T) > 0).astype(float))
    in_person = (
        np.outer(mine[:, way_index[Modality.IN_PERSON]], theirs[:, way_index[Modality.IN_PERSON]])
        > 0
    )

    places: dict[str, int] = {}
    mentee_place = np.array(
        [
            places.setdefault(key, len(places)) if (key := place_key(r.location)) else -1
            for r in mentees
        ]
    )
    mentor_place = np.array(
        [places.get(key, -2) if (key := place_key(r.location)) else -2 for r in mentors]
    )
    same_place = mentee_place[:, None] == mentor_place[None, :]
    mentee_center = np.array([-1 if r.center_id is None else r.center_id for r in mentees])
    mentor_center = np.array([-2 if r.center_id is None else r.center_id for r in mentors])
    same_center = (mentee_center[:, None] == mentor_center[None, :]) & in_person
    put("location", np.where(same_place, 1.0, np.where(same_center, SAME_CENTER_SHARE, 0.0)))

    genders = np.array([r.gender for r in mentors], dtype=object)
    preferred = np.zeros((n, m))
    for i, mentee in enumerate(mentees):
        if mentee.preferred_mentor_gender:
            preferred[i] = genders == mentee.preferred_mentor_gender
    put("preferences", preferred)
    put(
        "idd_mh",
        np.outer(
            np.array([r.idd_mh for r in mentees], dtype=float),
            np.array([r.idd_mh_experience for r in mentors], dtype=float),
        ),
    )
    return result


def score_matrix(
    mentees: Sequence[MenteeData], mentors: Sequence[MentorData], weights: Mapping[str, float]
) -> np.ndarray:
    """``result[i, j]``: the score of mentee ``i`` with mentor ``j``."""
    return fraction_matrix(mentees, mentors) @ weight_vector(weights)
