"""Suggestions for a waiting mentee, "why not?", proposing, and the program's weights."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import (
    Interest,
    Language,
    LifeGoalArea,
    LivedExperience,
    Membership,
    MentorProfile,
)
from matching.eligibility import (
    eligible_matrix,
    exclusion_reasons,
    load_facts,
    load_facts_for_many,
)
from matching.models import ConflictOfInterest, DoNotMatch, Match, MatchingSettings
from matching.suggestions import (
    excluded_for,
    load_mentees,
    load_mentors,
    suggestions_for,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

TERMS = {
    "life_goals": LifeGoalArea,
    "lived_experience": LivedExperience,
    "languages": Language,
    "interests": Interest,
}


def terms(model, *slugs):
    return list(model.objects.filter(slug__in=slugs))


def person(factory, program, **fields):
    """A profile with its taxonomy terms given by slug (``life_goals=["housing"]``)."""
    chosen = {name: fields.pop(name) for name in list(fields) if name in TERMS}
    profile = factory(program=program, **fields)
    for name, slugs in chosen.items():
        getattr(profile, name).set(terms(TERMS[name], *slugs))
    return profile


def mentor(program, **fields):
    fields.setdefault("languages", ["english"])
    return person(f.MentorProfileFactory, program, **fields)


def mentee(program, **fields):
    fields.setdefault("languages", ["english"])
    return person(f.MenteeProfileFactory, program, **fields)


def staff(program, role="coordinator"):
    user = f.UserFactory()
    f.MembershipFactory(user=user, program=program, role=role)
    return user


@pytest.fixture
def program():
    return f.ProgramFactory()


# --- Ranking and reasons -----------------------------------------------------------------------


def test_it_ranks_eligible_mentors_with_reasons_in_plain_words(program):
    maria = mentee(
        program,
        life_goals=["housing", "employment"],
        lived_experience=["alcohol-use-recovery"],
        languages=["english", "spanish"],
        availability=["tue-evening", "thu-evening"],
        location="Eastside",
        idd_mh=True,
    )
    best = mentor(
        program,
        user__display_name="Best Fit",
        life_goals=["housing", "employment"],
        lived_experience=["alcohol-use-recovery"],
        languages=["english", "spanish"],
        availability=["tue-evening", "thu-evening"],
        location="Eastside",
        idd_mh_experience=True,
    )
    other = mentor(program, user__display_name="Some Fit", life_goals=["housing"])

    found = suggestions_for(maria)

    assert [s.mentor.pk for s in found] == [best.pk, other.pk]
    assert found[0].score > found[1].score
    assert set(found[0].reasons) >= {
        "Both working on housing and employment",
        "Shared lived experience: recovery from alcohol use",
        "Both speak Spanish",
        "Available Tue and Thu evenings — 8 h overlap",
        "Both live in Eastside",
        "Has experience mentoring young adults with IDD-MH",
    }


def test_the_limit_cuts_the_list(program):
    waiting = mentee(program)
    for _ in range(4):
        mentor(program)
    assert len(suggestions_for(waiting, limit=2)) == 2


def test_without_a_language_in_common_a_mentor_is_excluded(program):
    waiting = mentee(program, languages=["spanish"])
    english_only = mentor(program, languages=["english"])
    assert suggestions_for(waiting) == []
    (exclusion,) = excluded_for(waiting)
    assert exclusion.mentor.pk == english_only.pk
    assert exclusion.reasons == ["They have no language in common."]


def test_a_required_gender_preference_excludes_other_mentors(program):
    waiting = mentee(program, preferred_mentor_gender="woman", gender_preference_required=True)
    woman = mentor(program, gender="woman")
    man = mentor(program, gender="man")
    assert [s.mentor.pk for s in suggestions_for(waiting)] == [woman.pk]
    (exclusion,) = excluded_for(waiting)
    assert exclusion.mentor.pk == man.pk
    assert "marked it as a must" in exclusion.reasons[0]


def test_a_preference_not_marked_as_a_must_only_ranks(program):
    waiting = mentee(program, preferred_mentor_gender="woman")
    woman = mentor(program, gender="woman")
    man = mentor(program, gender="man")
    found = suggestions_for(waiting)
    assert [s.mentor.pk for s in found] == [woman.pk, man.pk]
    assert "A woman, as the mentee prefers" in found[0].reasons


# --- Why not this mentor? ----------------------------------------------------------------------


def test_why_not_names_every_hard_rule(program):
    waiting = mentee(program)
    recorder = staff(program)
    inactive = mentor(program, status=MentorProfile.Status.ON_HOLD)
    full = mentor(program, capacity=1)
    f.MatchFactory(mentor=full, mentee=mentee(program), program=program)
    unwanted = mentor(program)
    DoNotMatch.objects.create(
        mentee=waiting, mentor=unwanted, requested_by="mentee", recorded_by=recorder
    )
    related = mentor(program)
    ConflictOfInterest.objects.create(
        mentee=waiting, mentor=related, description="Cousins", recorded_by=recorder
    )
    unsafe = mentor(program)
    f.MatchFactory(
        mentee=waiting, mentor=unsafe, status="closed", close_reason="safety", program=program
    )
    fine = mentor(program)

    why_not = {e.mentor.pk: e.reasons for e in excluded_for(waiting)}

    assert why_not == {
        inactive.pk: ["The mentor is not active (status: On hold)."],
        full.pk: ["The mentor is at capacity (1 of 1 places taken)."],
        unwanted.pk: ["They are on each other's do-not-match list."],
        related.pk: ["A conflict of interest is recorded: Cousins"],
        unsafe.pk: ["A previous match between them closed for a safety concern."],
    }
    assert [s.mentor.pk for s in suggestions_for(waiting)] == [fine.pk]


def test_the_matrix_of_rules_agrees_with_the_rules_in_words(program):
    rng = random.Random(3)
    recorder = staff(program)
    slugs = ["english", "spanish", "vietnamese"]
    mentees = [
        mentee(
            program,
            languages=rng.sample(slugs, rng.randint(0, 2)),
            preferred_mentor_gender=rng.choice(["", "woman"]),
            gender_preference_required=rng.random() < 0.5,
        )
        for _ in range(6)
    ]
    mentors = [
        mentor(
            program,
            languages=rng.sample(slugs, rng.randint(1, 2)),
            gender=rng.choice(["", "woman", "man"]),
            status=rng.choice(["active", "active", "on_hold"]),
            capacity=1,
        )
        for _ in range(8)
    ]
    f.MatchFactory(mentor=mentors[0], mentee=mentee(program), program=program)
    DoNotMatch.objects.create(
        mentee=mentees[0], mentor=mentors[1], requested_by="staff", recorded_by=recorder
    )
    ConflictOfInterest.objects.create(
        mentee=mentees[1], mentor=mentors[2], description="Neighbours", recorded_by=recorder
    )
    records = load_mentees(mentee_ids=[m.pk for m in mentees])
    mentor_records = load_mentors(mentor_ids=[m.pk for m in mentors])
    facts = load_facts_for_many([r.pk for r in records], [r.pk for r in mentor_records])

    matrix = eligible_matrix(records, mentor_records, facts)

    for i, record in enumerate(records):
        single = load_facts(mentees[[m.pk for m in mentees].index(record.pk)])
        for j, mentor_record in enumerate(mentor_records):
            in_words = exclusion_reasons(record, mentor_record, single)
            assert matrix[i, j] == (not in_words), (record.pk, mentor_record.pk, in_words)


# --- Queries -----------------------------------------------------------------------------------


def _queries_for(waiting) -> int:
    with CaptureQueriesContext(connection) as queries:
        suggestions_for(waiting)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_mentors(program):
    waiting = mentee(program, life_goals=["housing"], interests=["music"])
    MatchingSettings.for_program(program)

    def add_mentors(count):
        for _ in range(count):
            mentor(
                program,
                life_goals=["housing", "employment"],
                lived_experience=["depression"],
                interests=["music"],
                languages=["english", "spanish"],
            )

    add_mentors(5)
    with_five = _queries_for(waiting)
    add_mentors(45)
    with_fifty = _queries_for(waiting)
    assert with_five == with_fifty
    assert with_fifty <= 15, with_fifty


# --- Pages -------------------------------------------------------------------------------------


def test_the_page_lists_suggestions_and_why_not(program, client):
    waiting = mentee(program, life_goals=["housing"])
    mentor(program, user__display_name="Helpful Mentor", life_goals=["housing"])
    mentor(program, user__display_name="Paused Mentor", status="on_hold")
    client.force_login(staff(program))

    response = client.get(reverse("matching:suggestions", args=[waiting.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Helpful Mentor" in page
    assert "Both working on housing" in page
    assert reverse("matching:propose", args=[waiting.pk]) in page
    assert "Paused Mentor" in page
    assert "The mentor is not active (status: On hold)." in page


def test_a_supervisor_sees_the_suggestions_too(program, client):
    waiting = mentee(program)
    client.force_login(staff(program, "supervisor"))
    assert client.get(reverse("matching:suggestions", args=[waiting.pk])).status_code == 200


def test_proposing_a_suggestion_creates_a_proposed_match_with_its_reasons(program, client):
    waiting = mentee(program, life_goals=["housing"])
    chosen = mentor(program, life_goals=["housing"])
    client.force_login(staff(program))

    response = client.post(reverse("matching:propose", args=[waiting.pk]), {"mentor": chosen.pk})

    match = Match.objects.get(mentee=waiting)
    assert response.status_code == 302
    assert response["Location"] == match.get_absolute_url()
    assert match.mentor == chosen
    assert match.status == Match.Status.PROPOSED
    assert "Both working on housing" in match.reasons
    assert match.score > 0


def test_proposing_an_ineligible_pair_names_the_rule_and_creates_nothing(program, client):
    waiting = mentee(program, languages=["spanish"])
    english_only = mentor(program, languages=["english"])
    client.force_login(staff(program))

    response = client.post(
        reverse("matching:propose", args=[waiting.pk]), {"mentor": english_only.pk}, follow=True
    )

    assert not Match.objects.filter(mentee=waiting).exists()
    assert "They have no language in common." in response.content.decode()


def test_proposing_a_mentor_of_another_program_is_refused(program, client):
    waiting = mentee(program)
    elsewhere = mentor(f.ProgramFactory())
    client.force_login(staff(program))

    response = client.post(
        reverse("matching:propose", args=[waiting.pk]), {"mentor": elsewhere.pk}, follow=True
    )

    assert not Match.objects.exists()
    assert "Choose a mentor of the mentee&#x27;s program." in response.content.decode()


def test_a_mentee_with_an_open_match_cannot_be_proposed_again(program, client):
    waiting = mentee(program)
    f.MatchFactory(mentee=waiting, program=program, status="proposed")
    second = mentor(program)
    client.force_login(staff(program))

    response = client.post(
        reverse("matching:propose", args=[waiting.pk]), {"mentor": second.pk}, follow=True
    )

    assert Match.objects.filter(mentee=waiting).count() == 1
    assert "already has an open match or proposal" in response.content.decode()


# --- Weights -----------------------------------------------------------------------------------


def _weights_data(**changes):
    data = {name: 10 for name in MatchingSettings.WEIGHT_FIELDS}
    data |= {"weight_waiting": 10, "weight_hard_to_match": 10, "requires_approval": "on"}
    data |= {"contacts_first_month": 2, "contact_interval_days": 30, "no_session_alert_days": 21}
    return data | changes


def test_the_preview_shows_the_new_top_three_and_saves_nothing(program, client):
    waiting = mentee(program, life_goals=["housing"], interests=["music"])
    mentor(program, user__display_name="Goal Mentor", life_goals=["housing"])
    mentor(program, user__display_name="Music Mentor", interests=["music"])
    settings = MatchingSettings.for_program(program)
    settings.weight_life_goals, settings.weight_interests = 30, 5
    settings.save()
    client.force_login(staff(program, "supervisor"))

    response = client.post(
        reverse("matching:weights_edit", args=[program.pk]),
        _weights_data(weight_life_goals=5, weight_interests=30, action="preview"),
    )

    page = response.content.decode()
    settings.refresh_from_db()
    assert response.status_code == 200
    assert (settings.weight_life_goals, settings.weight_interests) == (30, 5)
    assert waiting.user.display_name in page
    assert "moved up" in page and "moved down" in page
    assert "Changed" in page


def test_saving_the_weights_stores_them(program, client):
    client.force_login(staff(program, "supervisor"))
    response = client.post(
        reverse("matching:weights_edit", args=[program.pk]),
        _weights_data(weight_language=40, action="save"),
    )
    assert response.status_code == 302
    assert MatchingSettings.for_program(program).weight_language == 40


def test_a_weight_above_100_is_refused_next_to_its_field(program, client):
    client.force_login(staff(program, "supervisor"))
    response = client.post(
        reverse("matching:weights_edit", args=[program.pk]),
        _weights_data(weight_language=500, action="save"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["weight_language"]
    assert MatchingSettings.for_program(program).weight_language == 5


def test_supervisors_set_the_check_in_cadence_and_the_no_session_alert(program, client):
    client.force_login(staff(program, "supervisor"))
    response = client.post(
        reverse("matching:weights_edit", args=[program.pk]),
        _weights_data(contact_interval_days=14, no_session_alert_days=10, action="save"),
    )
    assert response.status_code == 302
    settings = MatchingSettings.for_program(program)
    assert (settings.contact_interval_days, settings.no_session_alert_days) == (14, 10)


def test_a_no_session_alert_under_a_week_is_refused_and_nothing_saved(program, client):
    client.force_login(staff(program, "supervisor"))
    response = client.post(
        reverse("matching:weights_edit", args=[program.pk]),
        _weights_data(weight_language=40, no_session_alert_days=3, action="save"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["no_session_alert_days"]
    assert response.context["form"]["weight_language"].value() == "40"
    settings = MatchingSettings.for_program(program)
    assert (settings.weight_language, settings.no_session_alert_days) == (5, 21)


def test_coordinators_do_not_edit_the_weights(program, client):
    coordinator = staff(program)
    Membership.objects.filter(user=coordinator).update(role="coordinator")
    client.force_login(coordinator)
    response = client.post(
        reverse("matching:weights_edit", args=[program.pk]),
        _weights_data(weight_language=40, action="save"),
    )
    assert response.status_code == 404
    assert MatchingSettings.for_program(program).weight_language == 5
