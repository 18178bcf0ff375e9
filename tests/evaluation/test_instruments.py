"""Scoring of each instrument at every band edge, on both sides, and refused input.

Every vector below was worked out by hand from the published scoring rules (sum of the item
values; WHO-5 raw sum × 4; the bands and cut-offs cited in ``evaluation.instruments``). They
are our own examples, not examples taken from the publications.
"""

import pytest

from evaluation import instruments
from evaluation.instruments import ScoringError, score

# --- PHQ-9: 0-27; 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "minimal"),
        ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal"),
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"),
        ([3, 3, 3, 0, 0, 0, 0, 0, 0], 9, "mild"),
        ([3, 3, 3, 1, 0, 0, 0, 0, 0], 10, "moderate"),
        ([3, 3, 3, 3, 2, 0, 0, 0, 0], 14, "moderate"),
        ([3, 3, 3, 3, 3, 0, 0, 0, 0], 15, "moderately_severe"),
        ([3, 3, 3, 3, 3, 3, 1, 0, 0], 19, "moderately_severe"),
        ([3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "severe"),
        ([3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "severe"),
    ],
)
def test_phq9_total_and_band_at_each_edge(answers, total, band):
    result = score("PHQ9", answers)
    assert (result.total, result.reported, result.band) == (total, total, band)


def test_phq9_item_9_above_zero_flags_suicidal_ideation_even_when_minimal():
    result = score("PHQ9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert result.band == "minimal"
    assert "suicidal_ideation" in result.flags


def test_phq9_item_9_at_zero_raises_no_flag():
    assert "suicidal_ideation" not in score("PHQ9", [3, 3, 3, 3, 3, 3, 3, 3, 0]).flags


def test_phq9_flags_the_moderate_cutoff_from_10_only():
    assert "phq9_moderate_or_above" not in score("PHQ9", [3, 3, 3, 0, 0, 0, 0, 0, 0]).flags
    assert "phq9_moderate_or_above" in score("PHQ9", [3, 3, 3, 1, 0, 0, 0, 0, 0]).flags


# --- GAD-7: 0-21; 0-4, 5-9, 10-14, 15-21


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([0, 0, 0, 0, 0, 0, 0], 0, "minimal"),
        ([2, 2, 0, 0, 0, 0, 0], 4, "minimal"),
        ([2, 2, 1, 0, 0, 0, 0], 5, "mild"),
        ([3, 3, 3, 0, 0, 0, 0], 9, "mild"),
        ([3, 3, 3, 1, 0, 0, 0], 10, "moderate"),
        ([3, 3, 3, 3, 2, 0, 0], 14, "moderate"),
        ([3, 3, 3, 3, 3, 0, 0], 15, "severe"),
        ([3, 3, 3, 3, 3, 3, 3], 21, "severe"),
    ],
)
def test_gad7_total_and_band_at_each_edge(answers, total, band):
    result = score("GAD7", answers)
    assert (result.total, result.band) == (total, band)


# --- BARC-10: items 1-6, total 10-60; 47 or more at/above the sustained-remission cut-off


@pytest.mark.parametrize(
    ("answers", "total", "band", "flagged"),
    [
        ([1] * 10, 10, "below_cutoff", False),
        ([5, 5, 5, 5, 5, 5, 4, 4, 4, 4], 46, "below_cutoff", False),
        ([5, 5, 5, 5, 5, 5, 5, 4, 4, 4], 47, "at_or_above_cutoff", True),
        ([6] * 10, 60, "at_or_above_cutoff", True),
    ],
)
def test_barc10_total_and_cutoff_at_each_edge(answers, total, band, flagged):
    result = score("BARC10", answers)
    assert (result.total, result.band) == (total, band)
    assert ("barc10_remission_cutoff" in result.flags) is flagged


def test_barc10_refuses_zero_because_items_start_at_1():
    with pytest.raises(ScoringError, match="outside the scale"):
        score("BARC10", [0, 1, 1, 1, 1, 1, 1, 1, 1, 1])


# --- WHO-5: raw 0-25, reported × 4 (0-100); below 50 flagged poor well-being


@pytest.mark.parametrize(
    ("answers", "raw", "percentage", "poor"),
    [
        ([0, 0, 0, 0, 0], 0, 0, True),
        ([3, 3, 2, 2, 2], 12, 48, True),
        ([3, 3, 3, 2, 2], 13, 52, False),
        ([5, 5, 5, 5, 5], 25, 100, False),
    ],
)
def test_who5_percentage_and_poor_wellbeing_at_each_edge(answers, raw, percentage, poor):
    result = score("WHO5", answers)
    assert (result.total, result.reported, result.percentage) == (raw, percentage, percentage)
    assert ("poor_wellbeing" in result.flags) is poor
    assert result.band == ("poor" if poor else "not_poor")


def test_only_who5_has_a_percentage():
    assert score("GAD7", [0] * 7).percentage is None


# --- UCLA 3-item: 3-9; 6 or more flagged lonely


@pytest.mark.parametrize(
    ("answers", "total", "lonely"),
    [
        ([1, 1, 1], 3, False),
        ([2, 2, 1], 5, False),
        ([2, 2, 2], 6, True),
        ([3, 3, 3], 9, True),
    ],
)
def test_ucla3_total_and_lonely_at_each_edge(answers, total, lonely):
    result = score("UCLA3", answers)
    assert result.total == total
    assert ("lonely" in result.flags) is lonely
    assert result.band == ("lonely" if lonely else "not_lonely")


# --- Refused input


@pytest.mark.parametrize(
    ("code", "answers", "message"),
    [
        ("PHQ9", [0] * 8, "9 items; 8 answers"),
        ("PHQ9", [0] * 10, "9 items; 10 answers"),
        ("PHQ9", [0, 0, 0, 0, 0, 0, 0, 0, 4], "outside the scale"),
        ("PHQ9", [0, 0, 0, 0, -1, 0, 0, 0, 0], "outside the scale"),
        ("PHQ9", [0, 0, 0, 0, 0, 0, 0, 0, None], "no answer"),
        ("GAD7", [0, 0, 0, "1", 0, 0, 0], "not a whole number"),
        ("GAD7", [0, 0, 0, 1.0, 0, 0, 0], "not a whole number"),
        ("GAD7", [0, 0, 0, True, 0, 0, 0], "not a whole number"),
        ("WHO5", [6, 0, 0, 0, 0], "outside the scale"),
        ("UCLA3", [0, 1, 1], "outside the scale"),
        ("UCLA3", [1, 1], "3 items; 2 answers"),
        ("UCLA3", "111", "must be a list"),
        ("NOPE", [1], "Unknown instrument"),
    ],
)
def test_refused_answers_raise_a_readable_error(code, answers, message):
    with pytest.raises(ScoringError, match=message):
        score(code, answers)


def test_scoring_error_is_a_value_error():
    assert issubclass(ScoringError, ValueError)


# --- Program short forms (not validated)


def test_check_in_need_help_now_and_not_feeling_safe_are_flagged():
    result = score("CHECKIN", [0, 3, None, None, 1, 1, 0, 1])
    assert {"not_safe", "needs_help_now"} <= set(result.flags)
    assert set(result.flags) & instruments.SAFETY_FLAGS


def test_check_in_total_is_the_days_of_use_and_risk_items_are_optional():
    result = score("CHECKIN", [12, 2, None, None, 3, 2, 1, 0])
    assert result.total == 12
    assert set(result.flags) == {"substance_use", "housing_unstable"}


def test_check_in_refuses_more_than_30_days():
    with pytest.raises(ScoringError, match="outside the scale"):
        score("CHECKIN", [31, 2, None, None, 1, 1, 1, 0])


def test_check_in_requires_its_non_optional_items():
    with pytest.raises(ScoringError, match="item 5 has no answer"):
        score("CHECKIN", [0, 2, None, None, None, 1, 1, 0])


def test_relationship_surveys_sum_their_five_items():
    assert score("REL_MENTEE", [5, 4, 3, 2, 1]).total == 15
    assert score("REL_MENTOR", [5, 5, 5, 5, 5]).total == 25


# --- Definitions


def test_each_standardized_instrument_cites_its_source_and_has_a_version():
    for code in instruments.STANDARDIZED:
        instrument = instruments.INSTRUMENTS[code]
        assert instrument.validated
        assert instrument.version and instrument.citation
        assert instrument.bands[0].low == instrument.min_total
        assert instrument.bands[-1].high == instrument.max_total


def test_program_short_forms_say_they_are_not_validated():
    for code in ("REL_MENTEE", "REL_MENTOR", "CHECKIN"):
        assert not instruments.INSTRUMENTS[code].validated
        assert "not a validated" in instruments.INSTRUMENTS[code].citation


def test_published_wording_is_kept():
    phq9 = instruments.PHQ9
    assert len(phq9.items) == 9
    assert str(phq9.items[0].text) == "Little interest or pleasure in doing things"
    assert str(phq9.items[8].text) == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert [str(o.label) for o in phq9.scale] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
    assert str(instruments.GAD7.items[1].text) == "Not being able to stop or control worrying"
    assert str(instruments.BARC10.items[0].text) == (
        "There are more important things to me in life than using substances."
    )
    assert str(instruments.WHO5.items[0].text) == "I have felt cheerful and in good spirits"
    assert str(instruments.UCLA3.items[2].text) == "How often do you feel isolated from others?"
