"""Cohort matching: the optimal assignment, drafts, left-out reasons, rerun and publish."""

import datetime

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import LifeGoalArea, MentorProfile
from accounts.services import DomainError
from matching import services
from matching.models import CohortRun, DraftProposal, Match, MatchingSettings
from matching.services.cohort import LeftOut, assign, left_out_reason
from tests import factories as f

pytestmark = pytest.mark.django_db
KEEP, DROP = DraftProposal.Decision.KEEP, DraftProposal.Decision.DROP


# --- The assignment itself ---------------------------------------------------------------------

# Mentees A, B; mentors X, Y with one place each. A greedy pass takes the best pair first,
# A–X (10), and B is left with Y (1): 11. The optimum is A–Y + B–X: 17.
GREEDY_TRAP = [[10, 9], [8, 1]]


def test_assign_finds_the_optimum_where_greedy_does_not():
    assert assign(GREEDY_TRAP, [1, 1]) == {0: 1, 1: 0}


def test_assign_fills_a_mentors_places_and_never_an_excluded_pair():
    values = [[5, -np.inf], [4, -np.inf], [3, -np.inf]]
    assert assign(values, [2, 3]) == {0: 0, 1: 0}


def test_assign_leaves_a_mentee_out_rather_than_break_a_rule():
    assert assign([[None, None], [1, 2]], [1, 1]) == {1: 1}


def test_assign_places_a_mentee_even_with_nothing_in_common():
    assert assign([[0.0]], [1]) == {0: 0}


# --- People ------------------------------------------------------------------------------------


@pytest.fixture
def program():
    return f.ProgramFactory()


@pytest.fixture
def coordinator(program):
    user = f.UserFactory(display_name="Cora Coordinator")
    f.MembershipFactory(user=user, program=program, role="coordinator")
    return user


@pytest.fixture
def settings_only_goals(program):
    """Only shared life goals count, 1 point per goal of ten; no priorities."""
    settings = MatchingSettings.for_program(program)
    for name in MatchingSettings.WEIGHT_FIELDS:
        setattr(settings, name, 0)
    settings.weight_life_goals = 10
    settings.weight_waiting = settings.weight_hard_to_match = 0
    settings.save()
    return settings


def goals(count, prefix):
    return [
        LifeGoalArea.objects.create(name=f"{prefix} {n}", slug=f"{prefix}-{n}")
        for n in range(count)
    ]


def waiting(program, name, goal_list=(), **fields):
    profile = f.MenteeProfileFactory(program=program, user__display_name=name, **fields)
    profile.life_goals.set(goal_list)
    return profile


def mentor(program, name, goal_list=(), **fields):
    fields.setdefault("capacity", 1)
    profile = f.MentorProfileFactory(program=program, user__display_name=name, **fields)
    profile.life_goals.set(goal_list)
    return profile


@pytest.fixture
def greedy_trap(program, settings_only_goals):
    """The GREEDY_TRAP scores built from shared life goals."""
    g, h = goals(10, "g"), goals(10, "h")
    a = waiting(program, "Mentee A", g)  # 10 goals
    b = waiting(program, "Mentee B", [g[9], *h[:9]])  # 10 goals
    x = mentor(program, "Mentor X", [*g, *h[:7]])  # A: 10 shared, B: g9 + h0..h6 = 8
    y = mentor(program, "Mentor Y", [*g[:9], h[7]])  # A: 9 shared, B: h7 = 1
    return a, b, x, y


def run(coordinator, program, mentees, mentors):
    return services.run_cohort(
        actor=coordinator,
        program=program,
        mentee_ids=[m.pk for m in mentees],
        mentor_ids=[m.pk for m in mentors],
    )


def pairs(cohort_run):
    return {(d.mentee_id, d.mentor_id) for d in cohort_run.drafts.all()}


# --- Running -----------------------------------------------------------------------------------


def test_cohort_matching_finds_the_optimum_a_greedy_pass_misses(coordinator, program, greedy_trap):
    a, b, x, y = greedy_trap
    cohort_run = run(coordinator, program, [a, b], [x, y])
    assert pairs(cohort_run) == {(a.pk, y.pk), (b.pk, x.pk)}
    assert cohort_run.total_score == 17
    assert {d.mentee_id: d.score for d in cohort_run.drafts.all()} == {a.pk: 9, b.pk: 8}


def test_drafts_hold_no_place_and_are_not_matches(coordinator, program, greedy_trap):
    a, b, x, y = greedy_trap
    run(coordinator, program, [a, b], [x, y])
    assert not Match.objects.exists()
    # The same mentors can be drafted again: nothing was taken.
    again = run(coordinator, program, [a, b], [x, y])
    assert again.drafts.count() == 2


def test_a_draft_carries_the_reasons_in_words(coordinator, program, greedy_trap):
    a, b, x, y = greedy_trap
    draft = run(coordinator, program, [a, b], [x, y]).drafts.get(mentee=a)
    assert draft.reasons[0].startswith("Both working on")


def test_left_out_mentees_have_a_reason(coordinator, program, settings_only_goals):
    shared = goals(3, "s")
    first = waiting(program, "First", shared[:2])  # 10 with the mentor
    second = waiting(program, "Second", [shared[0], shared[2]])  # 5 with the mentor
    spanish_only = waiting(program, "Spanish Only")
    spanish_only.languages.set([f.LanguageFactory(code="es-test", name="Spanish test")])
    only_mentor = mentor(program, "Only Mentor", shared[:2])

    cohort_run = run(coordinator, program, [first, second, spanish_only], [only_mentor])

    assert pairs(cohort_run) == {(first.pk, only_mentor.pk)}
    reasons = {entry["mentee_id"]: left_out_reason(entry) for entry in cohort_run.left_out}
    assert reasons == {
        second.pk: "The one eligible mentor was given to a mentee with a higher total score.",
        spanish_only.pk: "No eligible mentor with a free place.",
    }


def test_mentors_capacities_are_filled_but_not_exceeded(coordinator, program, settings_only_goals):
    mentees = [waiting(program, f"Mentee {n}") for n in range(5)]
    two_places = mentor(program, "Two Places", capacity=2)
    taken = mentor(program, "One Left", capacity=2)
    f.MatchFactory(mentor=taken, mentee=waiting(program, "Matched"), program=program)

    cohort_run = run(coordinator, program, mentees, [two_places, taken])

    by_mentor = [d.mentor_id for d in cohort_run.drafts.all()]
    assert sorted(by_mentor) == sorted([two_places.pk, two_places.pk, taken.pk])
    assert len(cohort_run.left_out) == 2


def test_a_pending_proposal_keeps_its_place(coordinator, program, settings_only_goals):
    busy = mentor(program, "Busy", capacity=1)
    f.MatchFactory(mentor=busy, mentee=waiting(program, "Proposed"), status="proposed")
    cohort_run = run(coordinator, program, [waiting(program, "New")], [busy])
    assert cohort_run.drafts.count() == 0
    assert cohort_run.left_out[0]["code"] == LeftOut.NO_ELIGIBLE


def test_the_longest_waiting_mentee_comes_first_for_the_last_place(
    coordinator, program, settings_only_goals
):
    settings_only_goals.weight_waiting = 10
    settings_only_goals.save()
    today = timezone.localdate()
    recent = waiting(program, "Recent", waiting_since=today - datetime.timedelta(days=5))
    long_ago = waiting(program, "Long Ago", waiting_since=today - datetime.timedelta(days=200))
    cohort_run = run(coordinator, program, [recent, long_ago], [mentor(program, "Last Place")])
    assert {d.mentee_id for d in cohort_run.drafts.all()} == {long_ago.pk}


def test_a_hard_to_match_mentee_is_not_always_the_one_left_out(
    coordinator, program, settings_only_goals
):
    shared, own = goals(10, "k"), goals(1, "own")
    easy = waiting(program, "Easy", shared)
    hard = waiting(
        program,
        "Hard",
        [shared[0], own[0]],
        preferred_mentor_gender="woman",
        gender_preference_required=True,
    )
    woman = mentor(program, "Woman", shared, gender="woman")
    man = mentor(program, "Man", shared[:3], gender="man")
    # Easy–Woman 10, Easy–Man 3, Hard–Woman 5; Hard may have only Woman. The highest total
    # score (10) leaves Hard out; Hard's priority (10 × half the mentors out of reach) makes
    # Easy–Man + Hard–Woman (3 + 5 + 5) the better assignment.
    without_priority = run(coordinator, program, [easy, hard], [woman, man])
    assert pairs(without_priority) == {(easy.pk, woman.pk)}

    settings_only_goals.weight_hard_to_match = 10
    settings_only_goals.save()
    with_priority = run(coordinator, program, [easy, hard], [woman, man])
    assert pairs(with_priority) == {(hard.pk, woman.pk), (easy.pk, man.pk)}


def test_only_coordinators_run_cohorts(program, greedy_trap):
    supervisor = f.UserFactory()
    f.MembershipFactory(user=supervisor, program=program, role="supervisor")
    a, b, x, y = greedy_trap
    with pytest.raises(DomainError):
        run(supervisor, program, [a, b], [x, y])
    assert not CohortRun.objects.exists()


def test_people_of_another_program_are_refused(coordinator, program, greedy_trap):
    a, b, x, y = greedy_trap
    elsewhere = mentor(f.ProgramFactory(), "Elsewhere")
    with pytest.raises(DomainError, match="not in this program"):
        run(coordinator, program, [a, b], [x, elsewhere])


# --- Decide, rerun, publish --------------------------------------------------------------------


def decide(coordinator, cohort_run, mentee, decision):
    draft = cohort_run.drafts.get(mentee=mentee)
    services.decide_draft(actor=coordinator, draft=draft, decision=decision)


def test_rerun_keeps_kept_drafts_and_never_redrafts_a_dropped_pair(
    coordinator, program, greedy_trap
):
    a, b, x, y = greedy_trap
    first = run(coordinator, program, [a, b], [x, y])
    decide(coordinator, first, a, KEEP)  # A–Y
    decide(coordinator, first, b, DROP)  # B–X

    second = services.rerun_cohort(actor=coordinator, run=first)

    # B may not have X again, and Y's only place is A's kept draft: B is left out.
    assert pairs(second) == {(a.pk, y.pk)}
    assert second.drafts.get(mentee=a).decision == KEEP
    assert [entry["mentee_id"] for entry in second.left_out] == [b.pk]
    assert first.drafts.filter(decision=KEEP).count() == 0
    with pytest.raises(DomainError, match="continues this run"):
        decide(coordinator, first, b, KEEP)


def test_running_the_same_people_again_does_not_strand_kept_drafts(
    coordinator, program, greedy_trap
):
    a, b, x, y = greedy_trap
    first = run(coordinator, program, [a, b], [x, y])
    decide(coordinator, first, a, KEEP)
    run(coordinator, program, [a, b], [x, y])
    decide(coordinator, first, b, KEEP)  # still open
    assert first.drafts.filter(decision=KEEP).count() == 2


def test_rerun_uses_the_places_left(coordinator, program, greedy_trap):
    a, b, x, y = greedy_trap
    first = run(coordinator, program, [a, b], [x, y])
    decide(coordinator, first, b, KEEP)  # B–X
    decide(coordinator, first, a, DROP)  # A–Y
    z = mentor(program, "Mentor Z")
    first.mentor_ids = sorted([x.pk, y.pk, z.pk])
    first.save()

    second = services.rerun_cohort(actor=coordinator, run=first)

    assert pairs(second) == {(b.pk, x.pk), (a.pk, z.pk)}


def test_publish_proposes_kept_drafts_and_rechecks_every_rule(coordinator, program, greedy_trap):
    a, b, x, y = greedy_trap
    cohort_run = run(coordinator, program, [a, b], [x, y])
    decide(coordinator, cohort_run, a, KEEP)
    decide(coordinator, cohort_run, b, KEEP)
    MentorProfile.objects.filter(pk=x.pk).update(status=MentorProfile.Status.INACTIVE)

    result = services.publish_cohort(actor=coordinator, run=cohort_run)

    (proposed,) = result.proposed
    assert (proposed.mentee, proposed.mentor, proposed.status) == (a, y, Match.Status.PROPOSED)
    (failed_draft, message) = result.failed[0]
    assert failed_draft.mentee == b
    assert "The mentor is not active (status: Inactive)." in message
    assert not Match.objects.filter(mentee=b).exists()
    cohort_run.refresh_from_db()
    assert cohort_run.published_at is not None
    assert cohort_run.drafts.get(mentee=a).match == proposed
    left_out = {e["mentee_id"]: left_out_reason(e) for e in cohort_run.left_out}
    assert "The mentor is not active" in left_out[b.pk]


def test_publishing_twice_proposes_nothing_new(coordinator, program, greedy_trap):
    a, b, x, y = greedy_trap
    cohort_run = run(coordinator, program, [a, b], [x, y])
    decide(coordinator, cohort_run, a, KEEP)
    services.publish_cohort(actor=coordinator, run=cohort_run)

    again = services.publish_cohort(actor=coordinator, run=cohort_run)

    assert again.already_published and again.proposed == []
    assert Match.objects.count() == 1


def test_drafts_not_kept_are_not_published(coordinator, program, greedy_trap):
    a, b, x, y = greedy_trap
    cohort_run = run(coordinator, program, [a, b], [x, y])
    decide(coordinator, cohort_run, a, DROP)
    decide(coordinator, cohort_run, b, KEEP)
    services.publish_cohort(actor=coordinator, run=cohort_run)
    assert [match.mentee for match in Match.objects.all()] == [b]


def test_publishing_with_nothing_kept_is_refused_and_leaves_the_run_open(
    coordinator, program, greedy_trap
):
    a, b, x, y = greedy_trap
    cohort_run = run(coordinator, program, [a, b], [x, y])
    with pytest.raises(DomainError, match="Keep at least one draft"):
        services.publish_cohort(actor=coordinator, run=cohort_run)
    cohort_run.refresh_from_db()
    assert cohort_run.published_at is None


def test_a_published_run_is_closed(coordinator, program, greedy_trap):
    a, b, x, y = greedy_trap
    cohort_run = run(coordinator, program, [a, b], [x, y])
    decide(coordinator, cohort_run, a, KEEP)
    services.publish_cohort(actor=coordinator, run=cohort_run)
    with pytest.raises(DomainError, match="already published"):
        decide(coordinator, cohort_run, b, KEEP)
    with pytest.raises(DomainError, match="already published"):
        services.rerun_cohort(actor=coordinator, run=cohort_run)


# --- Pages -------------------------------------------------------------------------------------


def test_the_new_run_page_chooses_everyone_at_first(client, coordinator, program, greedy_trap):
    client.force_login(coordinator)
    response = client.get(reverse("matching:cohort_new", args=[program.pk]))
    form = response.context["form"]
    assert response.status_code == 200
    assert len(form.initial["mentees"]) == 2 and len(form.initial["mentors"]) == 2


def test_running_from_the_page_shows_the_review(client, coordinator, program, greedy_trap):
    a, b, x, y = greedy_trap
    client.force_login(coordinator)

    response = client.post(
        reverse("matching:cohort_new", args=[program.pk]),
        {"mentees": [a.pk, b.pk], "mentors": [x.pk, y.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Mentee A" in page and "Mentor Y" in page
    assert "Rerun for the rest" in page


def test_the_review_lists_who_is_left_out_and_why(client, coordinator, program, greedy_trap):
    a, b, x, y = greedy_trap
    cohort_run = run(coordinator, program, [a, b], [x])
    client.force_login(coordinator)
    page = client.get(reverse("matching:cohort_review", args=[cohort_run.pk])).content.decode()
    assert "Mentee B" in page
    assert "given to a mentee with a higher total score" in page


def test_keep_and_publish_from_the_page(client, coordinator, program, greedy_trap):
    a, b, x, y = greedy_trap
    cohort_run = run(coordinator, program, [a, b], [x, y])
    draft = cohort_run.drafts.get(mentee=a)
    client.force_login(coordinator)

    client.post(reverse("matching:cohort_decide", args=[draft.pk]), {"decision": "keep"})
    response = client.post(reverse("matching:cohort_publish", args=[cohort_run.pk]), follow=True)

    assert Match.objects.get().mentee == a
    assert "1 match proposed." in response.content.decode()


def test_a_supervisor_reads_the_review_but_cannot_act(client, program, coordinator, greedy_trap):
    a, b, x, y = greedy_trap
    cohort_run = run(coordinator, program, [a, b], [x, y])
    supervisor = f.UserFactory()
    f.MembershipFactory(user=supervisor, program=program, role="supervisor")
    client.force_login(supervisor)

    page = client.get(reverse("matching:cohort_review", args=[cohort_run.pk]))
    publish = client.post(reverse("matching:cohort_publish", args=[cohort_run.pk]))

    assert page.status_code == 200
    assert "Rerun for the rest" not in page.content.decode()
    assert publish.status_code == 404
    assert not Match.objects.exists()


def test_a_run_needs_someone_chosen(client, coordinator, program, greedy_trap):
    client.force_login(coordinator)
    response = client.post(reverse("matching:cohort_new", args=[program.pk]), {"mentees": []})
    assert response.status_code == 200
    assert response.context["form"].errors["mentees"] == ["Choose at least one mentee."]
    assert not CohortRun.objects.exists()


def test_an_unknown_decision_changes_nothing(client, coordinator, program, greedy_trap):
    a, b, x, y = greedy_trap
    draft = run(coordinator, program, [a, b], [x, y]).drafts.get(mentee=a)
    client.force_login(coordinator)
    response = client.post(
        reverse("matching:cohort_decide", args=[draft.pk]), {"decision": "maybe"}, follow=True
    )
    draft.refresh_from_db()
    assert draft.decision == ""
    assert "Choose keep or drop." in response.content.decode()
