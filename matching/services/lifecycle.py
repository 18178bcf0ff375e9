"""The match lifecycle, one function per transition.

    proposed ──approve──> approved ──start──> active <──pause/resume──> paused
        │                    │                   │                         │
        └──decline/withdraw──┘                   └──────close(reason)──────┴──> closed

A proposal is declined (by a supervisor) or withdrawn (by a coordinator, also once approved,
for example when the introduction meeting did not lead to an agreement). Only an agreed match
(active or paused) is closed; closing can start a rematch, and the next proposal for that
mentee is linked to the closed match (``rematch_of``).

Who may act (``ACTION_ROLES``): supervisors approve and decline; coordinators withdraw, start
and resume; coordinators and supervisors propose, pause, close and start a rematch.

Each function checks who may act, locks the match (and the mentor, where a place is taken) so
that two people clicking at once cannot both win, refuses a match whose state changed since
the person looked at it (``expected_status``), records a MatchEvent and queues notifications
to the people concerned as outbox rows. The database holds the same invariants on its own:
one open match per mentee (a partial unique index) and, on PostgreSQL, a mentor never above
capacity (a trigger); a refusal there becomes the same readable DomainError.
"""

import datetime
from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    Goal,
    GoalProgress,
    Membership,
    MenteeProfile,
    MentorProfile,
    Notification,
    User,
)
from accounts.services import DomainError, queue_notification
from matching.eligibility import CAPACITY_STATUSES, pair_exclusions
from matching.models import Match, MatchEvent, MatchingSettings

COORDINATING = ("coordinator",)
SUPERVISING = ("supervisor",)
STAFF = ("coordinator", "supervisor")

Status = Match.Status

# Higher apps (evaluation's measure schedule) react to a match starting or closing without
# this app importing them: each hook is called as ``hook(match=match)`` inside the
# transaction of the transition, so a failure undoes the transition too.
MATCH_STARTED_HOOKS: list[Callable] = []
MATCH_CLOSED_HOOKS: list[Callable] = []

# Who may take each action, by their role in the match's program (administrators always may).
ACTION_ROLES = {
    "propose": STAFF,
    "approve": SUPERVISING,
    "decline": SUPERVISING,
    "withdraw": COORDINATING,
    "start": COORDINATING,
    "pause": STAFF,
    "resume": COORDINATING,
    "close": STAFF,
    "rematch": STAFF,
    # Not a transition: logging a match-support check-in (``matching.services.support``).
    "log_check_in": COORDINATING,
}

# The states each action applies to.
ACTION_FROM = {
    "approve": (Status.PROPOSED,),
    "decline": (Status.PROPOSED,),
    "withdraw": (Status.PROPOSED, Status.APPROVED),
    "start": (Status.APPROVED,),
    "pause": (Status.ACTIVE,),
    "resume": (Status.PAUSED,),
    "close": (Status.ACTIVE, Status.PAUSED),
    "rematch": (Status.CLOSED,),
}

# Statuses of a rematch proposal that count as "the rematch happened": a declined or withdrawn
# proposal does not, so the next proposal for the mentee is linked again.
LIVE_REMATCH_STATUSES = (*Match.OPEN_STATUSES, Status.CLOSED)


def may(user: User, match: Match, action: str) -> bool:
    """Whether the user holds a role that may take ``action`` on this match (any state)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or match.program_id in user.program_ids_with_role(
        *ACTION_ROLES[action]
    )


def available_actions(user: User, match: Match) -> list[str]:
    """The actions this user may take on the match in its current state."""
    return [
        action
        for action, states in ACTION_FROM.items()
        if match.status in states and may(user, match, action)
    ]


def _ensure_role(actor: User, program_id: int, roles: Iterable[str], doing: str) -> None:
    if actor.is_superuser or program_id in actor.program_ids_with_role(*roles):
        return
    names = _(" or ").join(str(Membership.Role(role).label).lower() for role in roles)
    raise DomainError(
        _("Only a %(who)s of the program can %(doing)s.") % {"who": names, "doing": doing}
    )


def _locked(match: Match) -> Match:
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related("mentee__user", "mentor__user", "program", "proposed_by")
        .get(pk=match.pk)
    )


def _expect(match: Match, expected_status: str | None, allowed: Iterable[str]) -> None:
    """Refuse a match whose state is not what the person saw, or not one this action takes."""
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


def _record(
    match: Match, actor: User, from_status: str, note: str = "", to_status: str | None = None
) -> MatchEvent:
    return MatchEvent.objects.create(
        match=match,
        actor=actor,
        from_status=from_status,
        to_status=to_status or match.status,
        note=note,
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


def _notify(users: Iterable[User | None], kind: str, match: Match, event: MatchEvent) -> None:
    """Queue ``kind`` for each person once; the person who acted is not told what they did."""
    seen = set()
    for user in users:
        if user is None or user.pk in seen or user.pk == event.actor_id:
            continue
        seen.add(user.pk)
        queue_notification(recipient=user, kind=kind, subject=match, key=f"match-{kind}:{event.pk}")


def _cancel_pending(match: Match, kind: str) -> None:
    """Undelivered requests that no longer apply (e.g. "please approve" once it is decided)."""
    Notification.objects.filter(
        subject_type=ContentType.objects.get_for_model(Match),
        subject_id=match.pk,
        kind=kind,
        state=Notification.State.PENDING,
    ).update(state=Notification.State.CANCELLED)


def _mentor_and_mentee(match: Match) -> list[User]:
    return [match.mentor.user, match.mentee.user]


def _take_a_place(match: Match, to_status: str, message: str) -> None:
    """Save a status that takes one of the mentor's places; the PostgreSQL trigger refuses it
    when the mentor is full (a race the Python check did not see), with a readable message."""
    try:
        with transaction.atomic():
            match.status = to_status
            match.save(update_fields=["status", "updated_at"])
    except IntegrityError:
        raise DomainError(message) from None


# --- Rematch links -------------------------------------------------------------------------


def _rematch_requested(match: Match) -> bool:
    """Closed for a rematch, or a rematch was started from it afterwards (a closed → closed
    event in its timeline)."""
    if match.close_reason == Match.CloseReason.REMATCH:
        return True
    return match.events.filter(from_status=Status.CLOSED, to_status=Status.CLOSED).exists()


def pending_rematch(mentee: MenteeProfile) -> Match | None:
    """The mentee's latest closed match when it asked for a rematch that has not happened yet
    (no proposal linked to it, apart from declined or withdrawn ones)."""
    latest = (
        Match.objects.filter(mentee=mentee, status=Status.CLOSED)
        .order_by("-closed_on", "-pk")
        .first()
    )
    if latest is None or not _rematch_requested(latest):
        return None
    if latest.rematches.filter(status__in=LIVE_REMATCH_STATUSES).exists():
        return None
    return latest


def rematch_possible(match: Match) -> bool:
    """Whether a rematch can still start from this closed match: it is the mentee's latest
    closed match, not rematched yet, and the mentee has no open match."""
    if match.status != Status.CLOSED:
        return False
    if Match.objects.open().filter(mentee_id=match.mentee_id).exists():
        return False
    if match.rematches.filter(status__in=LIVE_REMATCH_STATUSES).exists():
        return False
    latest = (
        Match.objects.filter(mentee_id=match.mentee_id, status=Status.CLOSED)
        .order_by("-closed_on", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return latest == match.pk


# --- Transitions ---------------------------------------------------------------------------


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
    once (and so takes one of the mentor's places).

    When the mentee's latest closed match asked for a rematch that has not happened yet, the
    proposal is linked to it (``rematch_of``) without the caller having to say so.
    """
    _ensure_role(actor, mentee.program_id, ACTION_ROLES["propose"], _("propose a match"))
    mentor = _lock_mentor(mentor)
    mentee = (
        MenteeProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=mentee.pk)
    )
    if mentee.status != MenteeProfile.Status.WAITING:
        raise DomainError(
            _("%(name)s is not waiting for a mentor (status: %(status)s).")
            % {"name": mentee.user.display_name, "status": mentee.get_status_display().lower()}
        )
    broken = pair_exclusions(mentee, mentor)
    if broken:
        raise DomainError(_("This pair cannot be matched: %(rules)s") % {"rules": " ".join(broken)})
    if rematch_of is None:
        rematch_of = pending_rematch(mentee)
    elif rematch_of.mentee_id != mentee.pk or rematch_of.status != Status.CLOSED:
        raise DomainError(_("A rematch follows a closed match of the same mentee."))
    settings = MatchingSettings.for_program(mentee.program)
    try:
        with transaction.atomic():
            match = Match.objects.create(
                program_id=mentee.program_id,
                mentee=mentee,
                mentor=mentor,
                status=Status.PROPOSED,
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
    event = _record(match, actor, "", note)
    if settings.requires_approval:
        supervisors = _staff_of(match.program_id, "supervisor")
        _notify(supervisors, "match_awaiting_approval", match, event)
    else:
        _take_a_place(
            match,
            Status.APPROVED,
            _("The mentor is at capacity; the match was not proposed."),
        )
        _record(match, actor, Status.PROPOSED, _("Approval is not required in this program."))
    return match


@transaction.atomic
def approve_match(
    *, actor: User, match: Match, expected_status: str | None = None, note: str = ""
) -> Match:
    """A supervisor agrees to the proposal; the match takes one of the mentor's places."""
    _ensure_role(actor, match.program_id, ACTION_ROLES["approve"], _("approve a match"))
    _lock_mentor(match.mentor)
    match = _locked(match)
    _expect(match, expected_status, ACTION_FROM["approve"])
    broken = pair_exclusions(match.mentee, match.mentor)
    if broken:
        raise DomainError(
            _("This match can no longer be approved: %(rules)s") % {"rules": " ".join(broken)}
        )
    _take_a_place(
        match, Status.APPROVED, _("The mentor is at capacity; the match was not approved.")
    )
    event = _record(match, actor, Status.PROPOSED, note)
    _cancel_pending(match, "match_awaiting_approval")
    _notify([match.proposed_by], "match_approved", match, event)
    return match


@transaction.atomic
def decline_match(
    *, actor: User, match: Match, reason: str, expected_status: str | None = None
) -> Match:
    """A supervisor turns the proposal down; the mentee keeps waiting."""
    _ensure_role(actor, match.program_id, ACTION_ROLES["decline"], _("decline a match"))
    if not reason.strip():
        raise DomainError(_("Please say why the match is declined."), field="reason")
    match = _locked(match)
    _expect(match, expected_status, ACTION_FROM["decline"])
    match.status = Status.DECLINED
    match.save(update_fields=["status", "updated_at"])
    event = _record(match, actor, Status.PROPOSED, reason.strip())
    _cancel_pending(match, "match_awaiting_approval")
    _notify([match.proposed_by], "match_declined", match, event)
    return match


@transaction.atomic
def withdraw_match(
    *, actor: User, match: Match, reason: str, expected_status: str | None = None
) -> Match:
    """A coordinator takes back a proposal (also an approved one that never started)."""
    _ensure_role(actor, match.program_id, ACTION_ROLES["withdraw"], _("withdraw a proposal"))
    if not reason.strip():
        raise DomainError(_("Please say why the proposal is withdrawn."), field="reason")
    match = _locked(match)
    _expect(match, expected_status, ACTION_FROM["withdraw"])
    previous = match.status
    match.status = Status.WITHDRAWN
    match.save(update_fields=["status", "updated_at"])
    event = _record(match, actor, previous, reason.strip())
    _cancel_pending(match, "match_awaiting_approval")
    # Supervisors were asked to decide (or did); the proposer may be another coordinator.
    _notify(
        [match.proposed_by, *_staff_of(match.program_id, "supervisor")],
        "match_withdrawn",
        match,
        event,
    )
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
    """The introduction meeting happened and both agreed: the match becomes active from the
    day of that meeting, and the mentee is matched."""
    _ensure_role(actor, match.program_id, ACTION_ROLES["start"], _("start a match"))
    if not both_agreed:
        raise DomainError(
            _("A match starts only when both the mentee and the mentor agreed."),
            field="both_agreed",
        )
    if introduced_on is None:
        raise DomainError(_("Give the date of the introduction meeting."), field="introduced_on")
    if introduced_on > timezone.localdate():
        raise DomainError(
            _("The introduction meeting cannot be in the future."), field="introduced_on"
        )
    match = _locked(match)
    _expect(match, expected_status, ACTION_FROM["start"])
    proposed_on = timezone.localdate(match.proposed_at)
    if introduced_on < proposed_on:
        raise DomainError(
            _("The introduction meeting cannot be before the match was proposed (%(date)s).")
            % {"date": proposed_on.isoformat()},
            field="introduced_on",
        )
    match.status = Status.ACTIVE
    match.introduced_on = introduced_on
    match.started_on = introduced_on
    match.save(update_fields=["status", "introduced_on", "started_on", "updated_at"])
    MenteeProfile.objects.filter(pk=match.mentee_id).update(status=MenteeProfile.Status.MATCHED)
    event = _record(match, actor, Status.APPROVED, note)
    _notify(_mentor_and_mentee(match), "match_started", match, event)
    for hook in MATCH_STARTED_HOOKS:
        hook(match=match)
    return match


@transaction.atomic
def pause_match(
    *, actor: User, match: Match, reason: str, expected_status: str | None = None
) -> Match:
    """A break (illness, a move, a hard time); the mentor's place stays held."""
    _ensure_role(actor, match.program_id, ACTION_ROLES["pause"], _("pause a match"))
    if not reason.strip():
        raise DomainError(_("Please say why the match is paused."), field="reason")
    match = _locked(match)
    _expect(match, expected_status, ACTION_FROM["pause"])
    match.status = Status.PAUSED
    match.save(update_fields=["status", "updated_at"])
    event = _record(match, actor, Status.ACTIVE, reason.strip())
    _notify(_mentor_and_mentee(match), "match_paused", match, event)
    return match


@transaction.atomic
def resume_match(
    *, actor: User, match: Match, expected_status: str | None = None, note: str = ""
) -> Match:
    _ensure_role(actor, match.program_id, ACTION_ROLES["resume"], _("resume a match"))
    match = _locked(match)
    _expect(match, expected_status, ACTION_FROM["resume"])
    match.status = Status.ACTIVE
    match.save(update_fields=["status", "updated_at"])
    event = _record(match, actor, Status.PAUSED, note)
    _notify(_mentor_and_mentee(match), "match_resumed", match, event)
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
    """Close an agreed match with a reason from the list and a few words; record the goals
    achieved; invite both people to the closure survey. With ``rematch`` (implied by the
    reason "rematch") the mentee waits for a new mentor at once; otherwise they exit."""
    _ensure_role(actor, match.program_id, ACTION_ROLES["close"], _("close a match"))
    if reason not in Match.CloseReason.values:
        raise DomainError(_("Choose a reason from the list."), field="reason")
    if not notes.strip():
        raise DomainError(_("Please add a few words on how the match ended."), field="notes")
    match = _locked(match)
    _expect(match, expected_status, ACTION_FROM["close"])
    goals = list(goals_achieved)
    if any(goal.mentee_id != match.mentee_id for goal in goals):
        raise DomainError(
            _("Only the mentee's own goals can be marked achieved."), field="goals_achieved"
        )
    rematch = rematch or reason == Match.CloseReason.REMATCH
    previous = match.status
    today = timezone.localdate()
    match.status = Status.CLOSED
    match.close_reason = reason
    match.close_notes = notes.strip()
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
    MenteeProfile.objects.filter(pk=match.mentee_id).update(
        status=MenteeProfile.Status.WAITING if rematch else MenteeProfile.Status.EXITED,
        waiting_since=today if rematch else None,
    )
    event = _record(match, actor, previous, match.get_close_reason_display())
    if rematch:
        _record_rematch(match, actor)
    # One invitation per person per match, whatever happens later.
    for person in _mentor_and_mentee(match):
        queue_notification(
            recipient=person,
            kind="closure_survey",
            subject=match,
            key=f"closure-survey:{match.pk}",
        )
    _notify([match.proposed_by], "match_closed", match, event)
    for hook in MATCH_CLOSED_HOOKS:
        hook(match=match)
    return match


def _record_rematch(match: Match, actor: User) -> None:
    _record(
        match,
        actor,
        Status.CLOSED,
        _("A rematch was started: %(name)s is waiting for a new mentor.")
        % {"name": match.mentee.user.display_name},
    )


@transaction.atomic
def start_rematch(*, actor: User, match: Match, expected_status: str | None = None) -> Match:
    """Look for a new mentor after a closed match: the mentee waits again (if they are not
    already), and their next proposal is linked to this match. Safe to repeat."""
    _ensure_role(actor, match.program_id, ACTION_ROLES["rematch"], _("start a rematch"))
    match = _locked(match)
    _expect(match, expected_status, ACTION_FROM["rematch"])
    mentee = MenteeProfile.objects.select_for_update().get(pk=match.mentee_id)
    name = match.mentee.user.display_name
    if Match.objects.open().filter(mentee=mentee).exists():
        raise DomainError(_("%(name)s already has an open match or proposal.") % {"name": name})
    newer = (
        Match.objects.filter(mentee=mentee, status=Status.CLOSED)
        .order_by("-closed_on", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if newer != match.pk:
        raise DomainError(
            _("A later match of %(name)s has closed since; start the rematch from that one.")
            % {"name": name}
        )
    if match.rematches.filter(status__in=LIVE_REMATCH_STATUSES).exists():
        raise DomainError(_("This match has been rematched already."))
    if mentee.status != MenteeProfile.Status.WAITING:
        mentee.status = MenteeProfile.Status.WAITING
        mentee.waiting_since = timezone.localdate()
        mentee.save(update_fields=["status", "waiting_since", "updated_at"])
    if not _rematch_requested(match):
        _record_rematch(match, actor)
    return match


def places_taken(mentor: MentorProfile) -> int:
    return mentor.matches.filter(status__in=CAPACITY_STATUSES).count()
