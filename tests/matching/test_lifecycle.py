"""The match lifecycle: each transition through its service and its page.

The cast's ``match`` (mentee ↔ mentor) and ``match2`` (mentee2 ↔ mentor2) are active; the
mentor has two places, so one is free. ``proposal(cast)`` proposes a new waiting mentee to
the mentor through the service, as a coordinator would.
"""

import datetime

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Goal, MenteeProfile, Notification
from accounts.services import DomainError
from matching import services
from matching.models import Match, MatchEvent, MatchingSettings
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def proposal(cast, *, mentor=None, mentee=None) -> Match:
    mentee = mentee or f.MenteeProfileFactory(program=cast.program)
    return services.propose_match(
        actor=cast.coordinator, mentee=mentee, mentor=mentor or cast.mentor_profile
    )


def approved(cast, **kwargs) -> Match:
    return services.approve_match(actor=cast.supervisor, match=proposal(cast, **kwargs))


def outbox(kind: str, match: Match) -> set[str]:
    """Emails of the people a notification of ``kind`` about ``match`` is queued for."""
    return set(
        Notification.objects.filter(kind=kind, subject_id=match.pk).values_list(
            "recipient__email", flat=True
        )
    )


def statuses(match: Match) -> list[tuple[str, str]]:
    return list(match.events.values_list("from_status", "to_status"))


# --- Propose ---------------------------------------------------------------------------


def test_a_proposal_is_recorded_and_the_supervisors_are_asked(cast):
    match = proposal(cast)

    assert match.status == "proposed"
    event = match.events.get()
    assert (event.actor, event.from_status, event.to_status) == (cast.coordinator, "", "proposed")
    assert outbox("match_awaiting_approval", match) == {"supervisor@example.org"}


def test_without_required_approval_a_proposal_is_approved_at_once(cast):
    MatchingSettings.objects.filter(program=cast.program).update(requires_approval=False)

    match = proposal(cast)

    assert match.status == "approved"
    assert statuses(match) == [("", "proposed"), ("proposed", "approved")]
    assert outbox("match_awaiting_approval", match) == set()


def test_a_mentee_who_is_not_waiting_cannot_be_proposed(cast):
    with pytest.raises(DomainError, match="not waiting"):
        proposal(cast, mentee=f.MenteeProfileFactory(program=cast.program, status="referred"))


def test_a_mentor_cannot_propose(cast):
    mentee = f.MenteeProfileFactory(program=cast.program)
    with pytest.raises(DomainError, match="Only a coordinator or supervisor"):
        services.propose_match(actor=cast.mentor, mentee=mentee, mentor=cast.mentor2_profile)
    assert not Match.objects.filter(mentee=mentee).exists()


# --- Approve and decline -----------------------------------------------------------------


def test_a_supervisor_approves_and_the_proposer_is_told(cast):
    match = proposal(cast)

    services.approve_match(actor=cast.supervisor, match=match, expected_status="proposed")

    match.refresh_from_db()
    assert match.status == "approved"
    assert statuses(match)[-1] == ("proposed", "approved")
    assert match.events.last().actor == cast.supervisor
    assert outbox("match_approved", match) == {"coordinator@example.org"}


def test_approval_cancels_the_pending_requests_to_approve(cast):
    match = proposal(cast)

    services.approve_match(actor=cast.supervisor, match=match)

    assert not Notification.objects.filter(
        kind="match_awaiting_approval", subject_id=match.pk, state="pending"
    ).exists()


def test_a_coordinator_cannot_approve(cast):
    match = proposal(cast)
    with pytest.raises(DomainError, match="Only a supervisor"):
        services.approve_match(actor=cast.coordinator, match=match)
    match.refresh_from_db()
    assert match.status == "proposed"


def test_approval_is_refused_when_the_mentor_is_full(cast):
    first, second = proposal(cast), proposal(cast)
    services.approve_match(actor=cast.supervisor, match=first)

    with pytest.raises(DomainError, match="at capacity"):
        services.approve_match(actor=cast.supervisor, match=second)
    second.refresh_from_db()
    assert second.status == "proposed"


def test_a_decline_needs_a_reason(cast):
    match = proposal(cast)
    with pytest.raises(DomainError, match="why") as refused:
        services.decline_match(actor=cast.supervisor, match=match, reason="  ")
    assert refused.value.field == "reason"


def test_a_declined_mentee_keeps_waiting_and_the_proposer_is_told(cast):
    match = proposal(cast)

    services.decline_match(actor=cast.supervisor, match=match, reason="Lives next door")

    match.refresh_from_db()
    assert match.status == "declined"
    assert match.events.last().note == "Lives next door"
    assert match.mentee.status == "waiting"
    assert outbox("match_declined", match) == {"coordinator@example.org"}


# --- Withdraw and start ------------------------------------------------------------------


def test_a_coordinator_withdraws_an_approved_match_and_frees_the_place(cast):
    match = approved(cast)

    services.withdraw_match(actor=cast.coordinator, match=match, reason="Mentee moved away")

    match.refresh_from_db()
    assert match.status == "withdrawn"
    assert statuses(match)[-1] == ("approved", "withdrawn")
    assert outbox("match_withdrawn", match) == {"supervisor@example.org"}
    approved(cast)  # the place is free again


def test_a_supervisor_cannot_withdraw(cast):
    with pytest.raises(DomainError):
        services.withdraw_match(actor=cast.supervisor, match=proposal(cast), reason="No")


def test_starting_makes_the_match_active_and_tells_both(cast):
    match = approved(cast)

    services.start_match(
        actor=cast.coordinator, match=match, introduced_on=TODAY(), both_agreed=True
    )

    match.refresh_from_db()
    assert (match.status, match.introduced_on, match.started_on) == ("active", TODAY(), TODAY())
    assert match.mentee.status == "matched"
    assert statuses(match)[-1] == ("approved", "active")
    assert outbox("match_started", match) == {"mentor@example.org", match.mentee.user.email}


def test_a_match_starts_only_when_both_agreed(cast):
    match = approved(cast)
    with pytest.raises(DomainError, match="both") as refused:
        services.start_match(
            actor=cast.coordinator, match=match, introduced_on=TODAY(), both_agreed=False
        )
    assert refused.value.field == "both_agreed"


@pytest.mark.parametrize("days", [1, -1])
def test_the_introduction_is_not_in_the_future_nor_before_the_proposal(cast, days):
    match = approved(cast)
    with pytest.raises(DomainError) as refused:
        services.start_match(
            actor=cast.coordinator,
            match=match,
            introduced_on=TODAY() + datetime.timedelta(days=days),
            both_agreed=True,
        )
    assert refused.value.field == "introduced_on"


def test_a_supervisor_cannot_start_a_match(cast):
    with pytest.raises(DomainError, match="Only a coordinator"):
        services.start_match(
            actor=cast.supervisor, match=approved(cast), introduced_on=TODAY(), both_agreed=True
        )


# --- Pause and resume --------------------------------------------------------------------


def test_pause_and_resume_are_recorded_and_both_are_told(cast):
    services.pause_match(actor=cast.supervisor, match=cast.match, reason="In hospital")
    services.resume_match(actor=cast.coordinator, match=cast.match)

    cast.match.refresh_from_db()
    assert cast.match.status == "active"
    assert statuses(cast.match) == [("active", "paused"), ("paused", "active")]
    assert outbox("match_paused", cast.match) == {"mentor@example.org", "mentee@example.org"}
    assert outbox("match_resumed", cast.match) == {"mentor@example.org", "mentee@example.org"}


def test_a_supervisor_cannot_resume(cast):
    services.pause_match(actor=cast.coordinator, match=cast.match, reason="Away")
    with pytest.raises(DomainError, match="Only a coordinator"):
        services.resume_match(actor=cast.supervisor, match=cast.match)


def test_a_mentor_cannot_pause_their_own_match(cast):
    with pytest.raises(DomainError):
        services.pause_match(actor=cast.mentor, match=cast.match, reason="Tired")


# --- Close and rematch -------------------------------------------------------------------


def close(cast, match=None, **kwargs) -> Match:
    kwargs.setdefault("reason", "goals_met")
    kwargs.setdefault("notes", "Done and dusted.")
    return services.close_match(actor=cast.coordinator, match=match or cast.match, **kwargs)


def test_closing_records_the_reason_and_the_goals_achieved(cast):
    close(cast, goals_achieved=[cast.goal])

    cast.match.refresh_from_db()
    cast.goal.refresh_from_db()
    assert (cast.match.status, cast.match.close_reason, cast.match.closed_on) == (
        "closed",
        "goals_met",
        TODAY(),
    )
    assert list(cast.match.goals_achieved.all()) == [cast.goal]
    assert cast.goal.status == Goal.Status.ACHIEVED
    assert cast.goal.progress.get().status == Goal.Status.ACHIEVED
    assert statuses(cast.match) == [("active", "closed")]


def test_closing_invites_both_to_the_closure_survey(cast):
    close(cast)

    assert outbox("closure_survey", cast.match) == {"mentor@example.org", "mentee@example.org"}


def test_closing_needs_a_reason_from_the_list_and_notes(cast):
    with pytest.raises(DomainError) as refused:
        close(cast, reason="bored")
    assert refused.value.field == "reason"
    with pytest.raises(DomainError) as refused:
        close(cast, notes=" ")
    assert refused.value.field == "notes"


def test_only_the_mentees_own_goals_can_be_marked_achieved(cast):
    with pytest.raises(DomainError) as refused:
        close(cast, goals_achieved=[cast.goal2])
    assert refused.value.field == "goals_achieved"
    cast.match.refresh_from_db()
    assert cast.match.status == "active"


def test_a_proposal_cannot_be_closed(cast):
    with pytest.raises(DomainError, match="cannot be changed this way"):
        close(cast, match=proposal(cast))


def test_without_a_rematch_the_mentee_exits(cast):
    close(cast)
    cast.mentee_profile.refresh_from_db()
    assert (cast.mentee_profile.status, cast.mentee_profile.waiting_since) == ("exited", None)


def test_with_a_rematch_the_mentee_waits_from_today(cast):
    close(cast, reason="mentor_withdrew", rematch=True)

    cast.mentee_profile.refresh_from_db()
    assert (cast.mentee_profile.status, cast.mentee_profile.waiting_since) == ("waiting", TODAY())
    assert statuses(cast.match) == [("active", "closed"), ("closed", "closed")]


@pytest.mark.parametrize(
    ("reason", "rematch"), [("rematch", False), ("mentor_withdrew", True)], ids=["reason", "box"]
)
def test_the_next_proposal_after_a_rematch_is_linked_to_the_closed_match(cast, reason, rematch):
    close(cast, reason=reason, rematch=rematch)

    new = proposal(cast, mentee=cast.mentee_profile, mentor=cast.mentor2_profile)

    assert new.rematch_of == cast.match


def test_a_declined_rematch_leaves_the_link_for_the_next_proposal(cast):
    close(cast, reason="rematch")
    first = proposal(cast, mentee=cast.mentee_profile, mentor=cast.mentor2_profile)
    services.decline_match(actor=cast.supervisor, match=first, reason="Not this one")

    second = proposal(
        cast, mentee=cast.mentee_profile, mentor=f.MentorProfileFactory(program=cast.program)
    )

    assert (first.rematch_of, second.rematch_of) == (cast.match, cast.match)


def test_a_proposal_after_an_ordinary_closing_is_not_a_rematch(cast):
    close(cast)
    MenteeProfile.objects.filter(pk=cast.mentee_profile.pk).update(status="waiting")

    new = proposal(cast, mentee=cast.mentee_profile, mentor=cast.mentor2_profile)

    assert new.rematch_of is None


def test_starting_a_rematch_later_brings_the_mentee_back_and_links_the_next_proposal(cast):
    close(cast)

    services.start_rematch(actor=cast.coordinator, match=cast.match, expected_status="closed")
    services.start_rematch(actor=cast.coordinator, match=cast.match)  # repeating is harmless

    cast.mentee_profile.refresh_from_db()
    assert cast.mentee_profile.status == "waiting"
    assert statuses(cast.match) == [("active", "closed"), ("closed", "closed")]
    new = proposal(cast, mentee=cast.mentee_profile, mentor=cast.mentor2_profile)
    assert new.rematch_of == cast.match


def test_a_rematch_is_refused_while_the_mentee_has_an_open_match(cast):
    close(cast, reason="rematch")
    proposal(cast, mentee=cast.mentee_profile, mentor=cast.mentor2_profile)

    with pytest.raises(DomainError, match="already has an open match"):
        services.start_rematch(actor=cast.coordinator, match=cast.match)


# --- Stale state and database rules ------------------------------------------------------


def test_acting_on_a_match_that_changed_meanwhile_changes_nothing(cast):
    match = proposal(cast)
    services.approve_match(actor=cast.supervisor, match=match, expected_status="proposed")
    events = match.events.count()

    with pytest.raises(DomainError, match="changed while you were looking"):
        services.decline_match(
            actor=cast.supervisor, match=match, reason="Too late", expected_status="proposed"
        )

    match.refresh_from_db()
    assert match.status == "approved"
    assert match.events.count() == events


def test_the_database_allows_one_open_match_per_mentee(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.create(
            program=cast.program,
            mentee=cast.mentee_profile,
            mentor=cast.mentor2_profile,
            status="proposed",
            proposed_by=cast.coordinator,
        )


def test_a_second_open_proposal_for_a_mentee_gets_a_clear_message(cast):
    mentee = f.MenteeProfileFactory(program=cast.program)
    proposal(cast, mentee=mentee)
    with pytest.raises(DomainError, match="already has an open match"):
        proposal(cast, mentee=mentee, mentor=cast.mentor2_profile)


# --- The pages -----------------------------------------------------------------------------


def post(client, name, match, **data):
    return client.post(reverse(f"matching:{name}", args=[match.pk]), data)


def test_a_supervisor_approves_on_the_page(cast, login):
    match = proposal(cast)

    response = post(login(cast.supervisor), "match_approve", match, expected_status="proposed")

    assert response.status_code == 302
    assert response["Location"] == match.get_absolute_url()
    match.refresh_from_db()
    assert match.status == "approved"


def test_approving_in_a_second_tab_after_someone_else_did_says_so_and_changes_nothing(cast, login):
    match = proposal(cast)
    services.approve_match(actor=cast.supervisor, match=match)
    events = MatchEvent.objects.count()

    response = post(login(cast.supervisor), "match_approve", match, expected_status="proposed")

    assert response.status_code == 302
    page = login(cast.supervisor).get(response["Location"])
    assert "changed while you were looking at it: it is now approved" in page.text
    assert MatchEvent.objects.count() == events


def test_a_decline_without_a_reason_is_shown_next_to_the_field(cast, login):
    match = proposal(cast)

    response = post(login(cast.supervisor), "match_decline", match, expected_status="proposed")

    assert response.status_code == 200
    assert "Please say why the match is declined." in response.text
    match.refresh_from_db()
    assert match.status == "proposed"


def test_the_start_form_keeps_what_was_typed_when_agreement_is_missing(cast, login):
    match = approved(cast)

    response = post(
        login(cast.coordinator),
        "match_start",
        match,
        expected_status="approved",
        introduced_on=TODAY().isoformat(),
        note="Met at the café",
    )

    assert response.status_code == 200
    assert "only when both" in response.text
    assert "Met at the café" in response.text


def test_a_coordinator_gets_404_for_an_approval(cast, login):
    response = post(login(cast.coordinator), "match_approve", proposal(cast))
    assert response.status_code == 404


def test_the_mentor_gets_404_for_pausing_their_match(cast, login):
    response = post(
        login(cast.mentor), "match_pause", cast.match, expected_status="active", reason="x"
    )
    assert response.status_code == 404
    cast.match.refresh_from_db()
    assert cast.match.status == "active"


def test_the_close_page_offers_the_mentees_goals(cast, login):
    response = login(cast.coordinator).get(reverse("matching:match_close", args=[cast.match.pk]))
    assert response.status_code == 200
    assert cast.goal.statement in response.text
    assert cast.goal2.statement not in response.text


def test_closing_with_a_rematch_then_finding_a_mentor_leads_to_the_suggestions(cast, login):
    client = login(cast.coordinator)
    response = post(
        client,
        "match_close",
        cast.match,
        expected_status="active",
        reason="mentor_withdrew",
        notes="Mentor moved away",
        goals_achieved=[cast.goal.pk],
        rematch="on",
    )
    assert response.status_code == 302
    cast.match.refresh_from_db()
    assert cast.match.status == "closed"

    response = post(client, "match_rematch", cast.match, expected_status="closed")

    assert response.status_code == 302
    assert str(cast.mentee_profile.pk) in response["Location"]


def test_staff_see_the_timeline_with_check_in_concerns(cast, login):
    services.log_support_contact(
        actor=cast.coordinator,
        match=cast.match,
        contact_date=TODAY(),
        with_whom="mentee",
        method="phone",
        relationship_health=3,
        concerns="Keeps cancelling CONCERN-TEXT",
    )
    services.pause_match(actor=cast.coordinator, match=cast.match, reason="Away REASON-TEXT")

    response = login(cast.supervisor).get(cast.match.get_absolute_url())

    assert "CONCERN-TEXT" in response.text
    assert "REASON-TEXT" in response.text
    assert "<ol" in response.text


def test_the_mentor_and_mentee_see_a_reduced_page(cast, login):
    services.log_support_contact(
        actor=cast.coordinator,
        match=cast.match,
        contact_date=TODAY(),
        with_whom="mentee",
        method="phone",
        relationship_health=3,
        concerns="CONCERN-TEXT",
    )
    close(cast, notes="Closing NOTES-TEXT")

    for person in (cast.mentor, cast.mentee):
        response = login(person).get(cast.match.get_absolute_url())
        assert response.status_code == 200
        assert "Closed" in response.text
        assert "CONCERN-TEXT" not in response.text
        assert "NOTES-TEXT" not in response.text
        assert "Goals met" not in response.text


def test_the_mentor_does_not_see_a_proposal(cast, login):
    response = login(cast.mentor).get(proposal(cast).get_absolute_url())
    assert response.status_code == 404


def test_opening_a_match_is_audited(cast, login):
    login(cast.coordinator).get(cast.match.get_absolute_url())

    entry = LogEntry.objects.get_for_object(cast.match).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == cast.coordinator


def test_the_list_filters_by_status(cast, login):
    match = proposal(cast)

    response = login(cast.coordinator).get(reverse("matching:match_list"), {"status": "proposed"})

    assert match.mentee.user.display_name in response.text
    assert "Mentee One" not in response.text


def test_the_rematch_button_is_offered_until_a_new_proposal_is_made(cast, login):
    close(cast)
    rematch_url = reverse("matching:match_rematch", args=[cast.match.pk])
    client = login(cast.coordinator)
    assert rematch_url in client.get(cast.match.get_absolute_url()).text

    services.start_rematch(actor=cast.coordinator, match=cast.match)
    proposal(cast, mentee=cast.mentee_profile, mentor=cast.mentor2_profile)

    assert rematch_url not in client.get(cast.match.get_absolute_url()).text


def test_several_action_forms_on_one_page_have_distinct_ids(cast, login):
    page = login(cast.supervisor).get(proposal(cast).get_absolute_url()).text

    assert 'id="id_approve_expected_status"' in page
    assert 'id="id_decline_expected_status"' in page
    assert page.count('id="id_expected_status"') == 0
