"""Only trained mentors are matched, and a mentee whose match closed with goals met can be
invited to become a mentor and apply with the same account."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import MentorProfile, Notification
from accounts.pathway import selectors, services
from accounts.pathway.models import Application
from accounts.services.errors import DomainError
from matching.eligibility import eligible_matrix, load_facts_for_many
from matching.models import Match
from matching.suggestions import load_mentees, load_mentors, review_for
from tests import factories as f
from tests.accounts.pathway_factories import (
    certify,
    complete_required_training,
    days_ago,
    pass_screening,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(cast):
    return f.MenteeProfileFactory(program=cast.program)


def suggested(mentee) -> set[int]:
    return {s.mentor.pk for s in review_for(mentee).suggestions}


def test_an_untrained_mentor_is_not_suggested_and_says_why(cast, waiting):
    untrained = f.MentorProfileFactory(program=cast.program, certified=False)
    review = review_for(waiting)
    assert untrained.pk not in {s.mentor.pk for s in review.suggestions}
    (why,) = [e.reasons for e in review.excluded if e.mentor.pk == untrained.pk]
    assert any("not trained" in reason for reason in why)


def test_an_expired_certification_pauses_new_matches(cast, waiting):
    expired = f.MentorProfileFactory(program=cast.program, certified=False)
    certify(expired, issued_on=days_ago(400))
    assert expired.pk not in suggested(waiting)


def test_a_trained_mentor_is_suggested(cast, waiting):
    mentor = f.MentorProfileFactory(program=cast.program, certified=False)
    complete_required_training(mentor)
    certify(mentor)
    assert mentor.pk in suggested(waiting)


def test_missing_required_modules_keep_a_certified_mentor_out(cast, waiting):
    mentor = f.MentorProfileFactory(program=cast.program)
    services.set_up_pathway(program=cast.program)  # the program now has required modules
    assert mentor.pk not in suggested(waiting)


def test_the_matrix_and_the_reasons_agree_on_training(cast, waiting):
    f.MentorProfileFactory(program=cast.program, certified=False)
    f.MentorProfileFactory(program=cast.program)
    records = load_mentees(mentee_ids=[waiting.pk])
    mentors = load_mentors(program_id=cast.program.pk)
    ok = eligible_matrix(
        records, mentors, load_facts_for_many([waiting.pk], [m.pk for m in mentors])
    )
    review = review_for(waiting)
    assert {m.pk for j, m in enumerate(mentors) if ok[0, j]} == {
        s.mentor.pk for s in review.suggestions
    }


def test_proposing_an_untrained_mentor_is_refused(cast, waiting):
    from matching import services as matching_services

    untrained = f.MentorProfileFactory(program=cast.program, certified=False)
    with pytest.raises(DomainError, match="not trained"):
        matching_services.propose_match(actor=cast.coordinator, mentee=waiting, mentor=untrained)


# --- From mentee to mentor -----------------------------------------------------------------


def close_with_goals_met(match):
    Match.objects.filter(pk=match.pk).update(
        status=Match.Status.CLOSED,
        close_reason=Match.CloseReason.GOALS_MET,
        closed_on=timezone.localdate(),
    )


@pytest.fixture
def graduate(cast):
    close_with_goals_met(cast.match)
    mentee = cast.mentee_profile
    mentee.recovery_start = timezone.localdate() - datetime.timedelta(days=800)
    mentee.save()
    return mentee


def test_a_mentee_whose_match_closed_with_goals_met_can_be_invited(cast, graduate):
    invitation = services.invite_to_become_mentor(actor=cast.coordinator, mentee=graduate)
    assert Notification.objects.filter(
        recipient=cast.mentee, kind="mentor_invitation", subject_id=invitation.pk
    ).exists()


def test_a_mentee_without_a_goals_met_closure_cannot_be_invited(cast):
    cast.mentee_profile.recovery_start = days_ago(800)
    cast.mentee_profile.save()
    with pytest.raises(DomainError, match="goals met"):
        services.invite_to_become_mentor(actor=cast.coordinator, mentee=cast.mentee_profile)


def test_the_programs_time_in_recovery_criterion_applies(cast, graduate):
    graduate.recovery_start = days_ago(100)
    graduate.save()
    with pytest.raises(DomainError, match="days in recovery"):
        services.invite_to_become_mentor(actor=cast.coordinator, mentee=graduate)


def test_only_a_coordinator_invites(cast, graduate):
    with pytest.raises(DomainError):
        services.invite_to_become_mentor(actor=cast.supervisor, mentee=graduate)


def test_the_invited_mentee_applies_with_the_same_account_keeping_history(login, cast, graduate):
    invitation = services.invite_to_become_mentor(actor=cast.coordinator, mentee=graduate)
    response = login(cast.mentee).post(
        reverse("accounts:pathway_invitation", args=[invitation.pk]),
        {"motivation": "My mentor helped me; I want to help too."},
    )
    mentor = MentorProfile.objects.get(user=cast.mentee, program=cast.program)
    assert response["Location"] == reverse("accounts:pathway_mentor", args=[mentor.pk])
    assert mentor.status == "applicant"
    assert mentor.application.source == Application.Source.INVITATION
    assert mentor.recovery_start == graduate.recovery_start
    assert Match.objects.filter(mentee=graduate).exists()  # their mentee history stays
    assert selectors.mentees_who_became_mentors([cast.program.pk]) == 1


def test_applying_twice_with_an_invitation_creates_one_mentor(login, cast, graduate):
    invitation = services.invite_to_become_mentor(actor=cast.coordinator, mentee=graduate)
    client = login(cast.mentee)
    url = reverse("accounts:pathway_invitation", args=[invitation.pk])
    client.post(url, {"motivation": ""})
    client.post(url, {"motivation": ""})
    assert MentorProfile.objects.filter(user=cast.mentee).count() == 1


def test_the_invitation_is_only_for_the_invited_person(login, cast, graduate):
    invitation = services.invite_to_become_mentor(actor=cast.coordinator, mentee=graduate)
    url = reverse("accounts:pathway_invitation", args=[invitation.pk])
    assert login(cast.mentee2).get(url).status_code == 404
    assert login(cast.coordinator).get(url).status_code == 404


def test_the_coordinator_sees_and_invites_candidates_on_the_program_page(login, cast, graduate):
    client = login(cast.coordinator)
    page = client.get(reverse("accounts:pathway_program", args=[cast.program.pk]))
    assert "Invite to become a mentor" in page.content.decode()
    response = client.post(reverse("accounts:pathway_invite", args=[graduate.pk]))
    assert response.status_code == 302
    graduate.refresh_from_db()
    assert graduate.mentor_invitation.invited_by == cast.coordinator


def test_a_public_applicant_moves_to_active_and_appears_in_suggestions(cast, waiting):
    application = services.apply_as_mentor(
        program=cast.program,
        person={"display_name": "New Comer", "email": "newcomer@example.org"},
    )
    mentor = application.mentor
    services.change_mentor_status(actor=cast.coordinator, mentor=mentor, to_status="screening")
    pass_screening(mentor, cast.coordinator)
    services.change_mentor_status(actor=cast.coordinator, mentor=mentor, to_status="in_training")
    complete_required_training(mentor)
    services.record_role_play(
        actor=cast.coordinator,
        mentor=mentor,
        assessed_on=days_ago(1),
        ratings={c: (3, "") for c in ("relationship_building", "cultural_competence")},
    )
    services.issue_certification(actor=cast.coordinator, mentor=mentor)
    assert mentor.pk not in suggested(waiting)  # still in training
    services.change_mentor_status(actor=cast.coordinator, mentor=mentor, to_status="active")
    MentorProfile.objects.filter(pk=mentor.pk).update(availability=["tue-evening"])
    assert mentor.pk in suggested(waiting)
