"""Scoring one pair: each criterion's share of the score and its reason in plain words."""

import random

import numpy as np
import pytest

from matching.scoring import (
    CRITERIA,
    MenteeData,
    MentorData,
    lower_first,
    score_matrix,
    score_pair,
)

HOUSING, EMPLOYMENT, EDUCATION = 1, 2, 3
ALCOHOL, ANXIETY = 11, 12
ENGLISH, SPANISH = 21, 22
MUSIC, COOKING, SPORTS = 31, 32, 33
CENTER = 7


def only(criterion: str, weight: float = 10) -> dict[str, float]:
    """Weights where one criterion counts and the others are off."""
    return {name: (weight if name == criterion else 0) for name in CRITERIA}


def test_shared_life_goals_count_as_a_share_of_the_mentees_goals():
    mentee = MenteeData(life_goals={HOUSING: "Housing", EMPLOYMENT: "Employment", EDUCATION: "Ed"})
    mentor = MentorData(life_goals=frozenset({HOUSING, EMPLOYMENT}))
    score, reasons = score_pair(mentee, mentor, only("life_goals", 30))
    assert score == pytest.approx(20)
    assert reasons == ["Both working on housing and employment"]


def test_shared_lived_experience_is_named():
    mentee = MenteeData(lived_experience={ALCOHOL: "Recovery from alcohol use"})
    mentor = MentorData(lived_experience=frozenset({ALCOHOL, ANXIETY}))
    score, reasons = score_pair(mentee, mentor, only("lived_experience", 25))
    assert score == pytest.approx(25)
    assert reasons == ["Shared lived experience: recovery from alcohol use"]


def test_a_shared_language_other_than_english_is_a_reason():
    mentee = MenteeData(languages={SPANISH: "Spanish"})
    mentor = MentorData(languages=frozenset({ENGLISH, SPANISH}))
    assert score_pair(mentee, mentor, only("language")) == (10, ["Both speak Spanish"])


def test_english_alone_adds_nothing():
    # The loader leaves English out of the mentee's languages: every pair shares it.
    mentee = MenteeData(languages={})
    mentor = MentorData(languages=frozenset({ENGLISH}))
    assert score_pair(mentee, mentor, only("language")) == (0, [])


def test_availability_overlap_names_days_parts_and_hours():
    mentee = MenteeData(availability=frozenset({"tue-evening", "thu-evening", "sat-morning"}))
    mentor = MentorData(availability=frozenset({"tue-evening", "thu-evening", "mon-morning"}))
    score, reasons = score_pair(mentee, mentor, only("availability", 15))
    # 8 shared hours of the mentee's 11, both capped at 6 hours: full share.
    assert score == pytest.approx(15)
    assert reasons == ["Available Tue and Thu evenings — 8 h overlap"]


def test_a_small_overlap_counts_for_part_of_the_weight():
    mentee = MenteeData(availability=frozenset({"tue-evening", "thu-evening"}))
    mentor = MentorData(availability=frozenset({"tue-evening", "wed-morning"}))
    score, reasons = score_pair(mentee, mentor, only("availability", 15))
    assert score == pytest.approx(15 * 4 / 6)
    assert reasons == ["Available Tue evening — 4 h overlap"]


def test_no_overlap_no_reason():
    mentee = MenteeData(availability=frozenset({"tue-evening"}))
    mentor = MentorData(availability=frozenset({"wed-morning"}))
    assert score_pair(mentee, mentor, only("availability")) == (0, [])


def test_ways_to_meet_in_common():
    mentee = MenteeData(modalities=frozenset({"in_person", "phone", "video"}))
    mentor = MentorData(modalities=frozenset({"phone", "in_person"}))
    assert score_pair(mentee, mentor, only("modality")) == (
        10,
        ["Both can meet in person or by phone"],
    )


def test_same_town_is_a_reason_whatever_the_case():
    mentee = MenteeData(location="East Side", center_id=CENTER)
    mentor = MentorData(location="  east side ", center_id=CENTER)
    assert score_pair(mentee, mentor, only("location")) == (10, ["Both live in East Side"])


def test_same_center_counts_half_when_both_meet_in_person():
    mentee = MenteeData(location="Eastside", center_id=CENTER, modalities=frozenset({"in_person"}))
    mentor = MentorData(location="Westside", center_id=CENTER, modalities=frozenset({"in_person"}))
    assert score_pair(mentee, mentor, only("location")) == (5, ["Same center"])
    by_phone = MentorData(location="Westside", center_id=CENTER, modalities=frozenset({"phone"}))
    assert score_pair(mentee, by_phone, only("location")) == (0, [])


def test_the_mentees_gender_preference_met():
    mentee = MenteeData(preferred_mentor_gender="woman")
    assert score_pair(mentee, MentorData(gender="woman"), only("preferences")) == (
        10,
        ["A woman, as the mentee prefers"],
    )
    assert score_pair(mentee, MentorData(gender="man"), only("preferences")) == (0, [])


def test_idd_mh_experience_counts_for_idd_mh_mentees_only():
    mentor = MentorData(idd_mh_experience=True)
    assert score_pair(MenteeData(idd_mh=True), mentor, only("idd_mh")) == (
        10,
        ["Has experience mentoring young adults with IDD-MH"],
    )
    assert score_pair(MenteeData(idd_mh=False), mentor, only("idd_mh")) == (0, [])


def test_shared_interests():
    mentee = MenteeData(interests={MUSIC: "Music", COOKING: "Cooking", SPORTS: "Sports"})
    mentor = MentorData(interests=frozenset({MUSIC, COOKING}))
    score, reasons = score_pair(mentee, mentor, only("interests", 6))
    assert score == pytest.approx(4)
    assert reasons == ["Both enjoy music and cooking"]


def test_three_names_are_listed_with_commas():
    mentee = MenteeData(interests={MUSIC: "Music", COOKING: "Cooking", SPORTS: "Sports"})
    mentor = MentorData(interests=frozenset({MUSIC, COOKING, SPORTS}))
    assert score_pair(mentee, mentor, only("interests"))[1] == [
        "Both enjoy music, cooking and sports"
    ]


def test_a_criterion_weighted_zero_gives_no_reason():
    mentee = MenteeData(life_goals={HOUSING: "Housing"}, interests={MUSIC: "Music"})
    mentor = MentorData(life_goals=frozenset({HOUSING}), interests=frozenset({MUSIC}))
    assert score_pair(mentee, mentor, only("interests")) == (10, ["Both enjoy music"])


def test_reasons_come_weightiest_first_and_the_score_is_their_sum():
    mentee = MenteeData(
        life_goals={HOUSING: "Housing", EMPLOYMENT: "Employment"},
        lived_experience={ALCOHOL: "Recovery from alcohol use"},
        interests={MUSIC: "Music"},
    )
    mentor = MentorData(
        life_goals=frozenset({HOUSING}),
        lived_experience=frozenset({ALCOHOL}),
        interests=frozenset({MUSIC}),
    )
    weights = {"life_goals": 30, "lived_experience": 25, "interests": 5}
    score, reasons = score_pair(mentee, mentor, weights)
    assert score == pytest.approx(15 + 25 + 5)
    assert reasons == [
        "Shared lived experience: recovery from alcohol use",
        "Both working on housing",
        "Both enjoy music",
    ]


def test_names_are_lowercased_inside_a_sentence_but_not_acronyms():
    assert lower_first("Housing") == "housing"
    assert lower_first("PTSD and trauma") == "PTSD and trauma"


def _random_people(rng: random.Random, count: int, *, mentee: bool):
    slots = ["mon-morning", "tue-evening", "thu-evening", "sat-afternoon", "sun-morning"]
    people = []
    for _ in range(count):
        goals = rng.sample(range(1, 8), rng.randint(0, 4))
        experience = rng.sample(range(10, 15), rng.randint(0, 2))
        languages = rng.sample([SPANISH, 23, 24], rng.randint(0, 2))
        interests = rng.sample(range(30, 36), rng.randint(0, 3))
        common = {
            "availability": frozenset(rng.sample(slots, rng.randint(0, 4))),
            "modalities": frozenset(rng.sample(["in_person", "phone", "video"], rng.randint(0, 3))),
            "location": rng.choice(["", "Eastside", "eastside", "Westside"]),
            "center_id": rng.choice([CENTER, CENTER, 8]),
        }
        if mentee:
            people.append(
                MenteeData(
                    life_goals={t: f"Goal {t}" for t in goals},
                    lived_experience={t: f"Experience {t}" for t in experience},
                    languages={t: f"Language {t}" for t in languages},
                    interests={t: f"Interest {t}" for t in interests},
                    idd_mh=rng.random() < 0.3,
                    preferred_mentor_gender=rng.choice(["", "woman", "man"]),
                    **common,
                )
            )
        else:
            people.append(
                MentorData(
                    life_goals=frozenset(goals),
                    lived_experience=frozenset(experience),
                    languages=frozenset(languages) | {ENGLISH},
                    interests=frozenset(interests),
                    gender=rng.choice(["", "woman", "man"]),
                    idd_mh_experience=rng.random() < 0.5,
                    **common,
                )
            )
    return people


def test_the_matrix_gives_the_same_scores_as_one_pair_at_a_time():
    rng = random.Random(7)
    mentees = _random_people(rng, 25, mentee=True)
    mentors = _random_people(rng, 30, mentee=False)
    weights = {name: rng.randint(0, 40) for name in CRITERIA}
    matrix = score_matrix(mentees, mentors, weights)
    expected = np.array([[score_pair(a, b, weights)[0] for b in mentors] for a in mentees])
    np.testing.assert_allclose(matrix, expected, atol=1e-9)
