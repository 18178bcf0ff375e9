"""The match lifecycle, one function per transition.

    proposed ──approve──> approved ──start──> active <──pause/resume──> paused
        │                    │                   │                         │
        └──decline/withdraw──┴───────────────────┴──────close(reason)──────┴──> closed

Each function checks who may act, locks the match (and the mentor, where places are taken)
so that two people clicking at once cannot both win, refuses a match whose state changed
since the person looked at it, records a MatchEvent and queues the notifications.
"""

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Goal, GoalProgress, Membership, MenteeProfile, MentorProfile, User
from accounts.services import DomainError, queue_notification
from matching.eligibility import CAPACITY_STATUSES, pair_exclusions
from matching.models import Match, MatchEvent, MatchingSettings

COORDINATING = ("coordinator",)
SUPERVISING = ("supervisor",)
STAFF = ("coordinator", "supervisor")


def _ensure_role(actor: User, program_id: int, roles: Iterable[str], doing: str) -> None:
    if actor.is_superuser or program_id in actor.program_ids_with_role(*roles):
        return
    names = " or ".join(str(Membership.Role(role).label).lower() for role in roles)
    raise DomainError(
        _("Only a %(who)s of the program can %(doing)s.") % {"who": names, "doing": doing}
    )


def _locked(match: Match) -> Match:
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related("mentee__user", "mentor__user", "program")
        .get(pk=match.pk)
    )


def _expect(match: Match, expected_status: str | None, allowed: Iterable[str]) -> None:
    if expected_status is not None and match.status != expected_status:
        raise DomainError(
            _(
                "This match changed while you were looking at it: it is now %(status)s. "
                "Nothing was changed; please look at it again."
            )
            % {"status": match.get_status_display().lower()}
        )
    if match.status not in allowed:
        raise DomainError(
            _("A match that is %(status)s cannot be changed this way.")
            % {"status": match.get_status_display().lower()}
        )


def _record(match: Match, actor: User, from_status: str, note: str = "") -> None:
    MatchEvent.objects.create(
        match=match, actor=actor, from_status=from_status, to_status=match.status, note=note
    )


def _lock_mentor(mentor: MentorProfile) -> MentorProfile:
    """Lock the mentor's row: whoever takes one of their places waits for the other."""
    return MentorProfile.objects.select_for_update().get(pk=mentor.pk)


def _staff_of(program_id: int, role: str) -> list[User]:
    return list(
        User.objects.filter(
            memberships__program_id=program_id,
            memberships__role=role,
            memberships__is_active=True,
            is_active=True,
        ).distinct()
    )


def _notify(users: Iterable[User], kind: str, match: Match, reason: str) -> None:
    for user in users:
        queue_notification(
            recipient=user, kind=kind, subject=match, key=f"{kind}:{match.pk}:{reason}"
        )


@transaction.atomic
def propose_match(
    *,
    actor: User,
    mentee: MenteeProfile,
    mentor: MentorProfile,
    score=None,
    reasons: list[str] | None = None,
    rematch_of: Match | None = None,
    note: str = "",
) -> Match:
    """Propose a mentor for a waiting mentee. Without required approval it is approved at
    once (and so takes one of the mentor's places)."""
    _ensure_role(actor, mentee.program_id, STAFF, _("propose a match"))
    mentor = _lock_mentor(mentor)
    mentee = MenteeProfile.objects.select_for_update().get(pk=mentee.pk)
    if mentee.status != MenteeProfile.Status.WAITING:
        raise DomainError(
            _("%(name)s is not waiting for a mentor (status: %(status)s).")
            % {"name": mentee.user.display_name, "status": mentee.get_status_display().lower()}
        )
    broken = pair_exclusions(mentee, mentor)
    if broken:
        raise DomainError(_("This pair cannot be matched: %(rules)s") % {"rules": " ".join(broken)})
    settings = MatchingSettings.for_program(mentee.program)
    try:
        with transaction.atomic():
            match = Match.objects.create(
                program_id=mentee.program_id,
                mentee=mentee,
                mentor=mentor,
                status=Match.Status.PROPOSED,
                score=score,
                reasons=reasons or [],
                proposed_by=actor,
                rematch_of=rematch_of,
            )
    except IntegrityError:
        raise DomainError(
            _("%(name)s already has an open match or proposal.")
            % {"name": mentee.user.display_name}
        ) from None
    _record(match, actor, "", note)
    if settings.requires_approval:
        _notify(_staff_of(match.program_id, "supervisor"), "match_awaiting_approval", match, "new")
    else:
        match.status = Match.Status.APPROVED
        match.save(update_fields=["status", "updated_at"])
        _record(match, actor, Match.Status.PROPOSED, _("Approval is not required in this program."))
    return match


@transaction.atomic
def approve_match(
    *, actor: User, match: Match, expected_status: str | None = None, note: str = ""
) -> Match:
    _ensure_role(actor, match.program_id, SUPERVISING, _("approve a match"))
    _lock_mentor(match.mentor)
    match = _locked(match)
    _expect(match, expected_status, [Match.Status.PROPOSED])
    broken = pair_exclusions(match.mentee, match.mentor)
    if broken:
        raise DomainError(
            _("This match can no longer be approved: %(rules)s") % {"rules": " ".join(broken)}
        )
    try:
        with transaction.atomic():
            match.status = Match.Status.APPROVED
            match.save(update_fields=["status", "updated_at"])
    except IntegrityError:
        # The database's own capacity rule (PostgreSQL trigger) caught what slipped past.
        raise DomainError(_("The mentor is at capacity; the match was not approved.")) from None
    _record(match, actor, Match.Status.PROPOSED, note)
    _notify([match.proposed_by], "match_approved", match, "approved")
    return match


@transaction.atomic
def decline_match(
    *, actor: User, match: Match, reason: str, expected_status: str | None = None
) -> Match:
    _ensure_role(actor, match.program_id, SUPERVISING, _("decline a match"))
    if not reason.strip():
        raise DomainError(_("Please say why the match is declined."), field="reason")
    match = _locked(match)
    _expect(match, expected_status, [Match.Status.PROPOSED])
    match.status = Match.Status.DECLINED
    match.save(update_fields=["status", "updated_at"])
    _record(match, actor, Match.Status.PROPOSED, reason)
    _notify([match.proposed_by], "match_declined", match, "declined")
    return match


@transaction.atomic
def withdraw_match(
    *, actor: User, match: Match, reason: str, expected_status: str | None = None
) -> Match:
    _ensure_role(actor, match.program_id, STAFF, _("withdraw a proposal"))
    if not reason.strip():
        raise DomainError(_("Please say why the proposal is withdrawn."), field="reason")
    match = _locked(match)
    _expect(match, expected_status, [Match.Status.PROPOSED, Match.Status.APPROVED])
    previous = match.status
    match.status = Match.Status.WITHDRAWN
    match.save(update_fields=["status", "updated_at"])
    _record(match, actor, previous, reason)
    return match


@transaction.atomic
def start_match(
    *,
    actor: User,
    match: Match,
    introduced_on: datetime.date,
    both_agreed: bool,
    expected_status: str | None = None,
    note: str = "",
) -> Match:
    """The introduction meeting happened and both agreed: the match becomes active."""
    _ensure_role(actor, match.program_id, COORDINATING, _("start a match"))
    if not both_agreed:
        raise DomainError(
            _("A match starts only when both the mentee and the mentor agreed."),
            field="both_agreed",
        )
    if introduced_on > timezone.localdate():
        raise DomainError(
            _("The introduction meeting cannot be in the future."), field="introduced_on"
        )
    match = _locked(match)
    _expect(match, expected_status, [Match.Status.APPROVED])
    match.status = Match.Status.ACTIVE
    match.introduced_on = introduced_on
    match.started_on = introduced_on
    match.save(update_fields=["status", "introduced_on", "started_on", "updated_at"])
    MenteeProfile.objects.filter(pk=match.mentee_id).update(status=MenteeProfile.Status.MATCHED)
    _record(match, actor, Match.Status.APPROVED, note)
    _notify([match.mentor.user, match.mentee.user], "match_started", match, "started")
    return match


@transaction.atomic
def pause_match(
    *, actor: User, match: Match, reason: str, expected_status: str | None = None
) -> Match:
    _ensure_role(actor, match.program_id, STAFF, _("pause a match"))
    if not reason.strip():
        raise DomainError(_("Please say why the match is paused."), field="reason")
    match = _locked(match)
    _expect(match, expected_status, [Match.Status.ACTIVE])
    match.status = Match.Status.PAUSED
    match.save(update_fields=["status", "updated_at"])
    _record(match, actor, Match.Status.ACTIVE, reason)
    return match


@transaction.atomic
def resume_match(
    *, actor: User, match: Match, expected_status: str | None = None, note: str = ""
) -> Match:
    _ensure_role(actor, match.program_id, STAFF, _("resume a match"))
    match = _locked(match)
    _expect(match, expected_status, [Match.Status.PAUSED])
    match.status = Match.Status.ACTIVE
    match.save(update_fields=["status", "updated_at"])
    _record(match, actor, Match.Status.PAUSED, note)
    return match


@transaction.atomic
def close_match(
    *,
    actor: User,
    match: Match,
    reason: str,
    notes: str,
    goals_achieved: Iterable[Goal] = (),
    rematch: bool = False,
    expected_status: str | None = None,
) -> Match:
    """Close an agreed match with a reason; record the goals achieved; invite both people to
    the closure survey; with ``rematch`` the mentee waits for a new mentor at once."""
    _ensure_role(actor, match.program_id, STAFF, _("close a match"))
    if reason not in Match.CloseReason.values:
        raise DomainError(_("Choose a reason from the list."), field="reason")
    if not notes.strip():
        raise DomainError(_("Please add a few words on how the match ended."), field="notes")
    match = _locked(match)
    _expect(
        match, expected_status, [Match.Status.APPROVED, Match.Status.ACTIVE, Match.Status.PAUSED]
    )
    goals = list(goals_achieved)
    if any(goal.mentee_id != match.mentee_id for goal in goals):
        raise DomainError(
            _("Only the mentee's own goals can be marked achieved."), field="goals_achieved"
        )
    previous = match.status
    today = timezone.localdate()
    match.status = Match.Status.CLOSED
    match.close_reason = reason
    match.close_notes = notes
    match.closed_on = today
    match.save(update_fields=["status", "close_reason", "close_notes", "closed_on", "updated_at"])
    match.goals_achieved.set(goals)
    for goal in goals:
        if goal.status != Goal.Status.ACHIEVED:
            goal.status = Goal.Status.ACHIEVED
            goal.save(update_fields=["status", "updated_at"])
            GoalProgress.objects.create(
                goal=goal,
                date=today,
                status=Goal.Status.ACHIEVED,
                recorded_by=actor,
                note=_("Achieved during the match with %(mentor)s.")
                % {"mentor": match.mentor.user},
            )
    mentee_status = MenteeProfile.Status.WAITING if rematch else MenteeProfile.Status.EXITED
    MenteeProfile.objects.filter(pk=match.mentee_id).update(
        status=mentee_status, waiting_since=today if rematch else None
    )
    _record(match, actor, previous, f"{match.get_close_reason_display()}: {notes}")
    if previous != Match.Status.APPROVED:
        _notify([match.mentor.user, match.mentee.user], "closure_survey", match, "closed")
    return match


def places_taken(mentor: MentorProfile) -> int:
    return mentor.matches.filter(status__in=CAPACITY_STATUSES).count()
