"""Scheduling mentoring sessions and logging what happened in them.

Who may act:
- a session is scheduled, moved or cancelled by the match's mentor or by the coordinators and
  supervisors of the match's program (and administrators);
- a session is logged only by the match's mentor: the log is their account of the meeting.

Rules every function holds:
- sessions are scheduled and logged only for an active match; any other state is refused
  with the reason (paused, closed, not started);
- a session cannot be logged as held (or as a no-show) before it starts; its duration is
  5–480 minutes (a model validator and a database constraint as well);
- a session is logged once: the row is locked while it is logged, so a form sent twice logs
  it once and the second attempt is told it is already logged (``AlreadyLogged``). Creating a
  session locks the match, and a second session of the same match at the same minute is
  refused, so a double submit of the schedule or unscheduled-log forms creates one record.

What logging sets off, in the same transaction (outbox rows, delivered later):
- an urgent safety concern raises a SafetyAlert, which alerts every supervisor of the
  program by email and in the app;
- "talk with my supervisor" queues an in-app notification to the program's supervisors;
- a held session invites the mentee's feedback.
Notifications never carry the summary or the private notes: they point at the session, which
each reader opens under their own permissions.
"""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Goal, Modality, Notification, User
from accounts.services import DomainError, queue_notification
from matching.models import Match
from sessions.models import (
    MAX_DURATION,
    MIN_DURATION,
    MentoringSession,
    Referral,
    Resource,
    SafetyAlert,
    SupportType,
    Topic,
)
from sessions.services.feedback import invite_feedback
from sessions.services.safety import program_supervisors, raise_safety_alert

Status = MentoringSession.Status
Concern = MentoringSession.Concern

# Coordinators and supervisors of the program schedule, move and cancel sessions too.
SCHEDULING_STAFF = ("coordinator", "supervisor")
# What a log may record as having happened.
LOGGED_STATUSES = (Status.HELD, Status.CANCELLED, Status.NO_SHOW)


class AlreadyLogged(DomainError):
    """The session has been logged already (typically: the form was sent twice)."""

    def __init__(self, message: str, *, session: MentoringSession):
        super().__init__(message)
        self.session = session


# --- Who may, and why not ----------------------------------------------------------------


def is_mentor_of(user: User, match: Match) -> bool:
    return user.is_authenticated and match.mentor.user_id == user.pk


def may_schedule(user: User, match: Match) -> bool:
    """The match's mentor, or a coordinator or supervisor of its program (or an admin)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or is_mentor_of(user, match):
        return True
    return match.program_id in user.program_ids_with_role(*SCHEDULING_STAFF)


def may_log(user: User, session: MentoringSession) -> bool:
    """Only the match's mentor logs its sessions."""
    return is_mentor_of(user, session.match)


def match_refusal(match: Match, doing: str) -> str | None:
    """Why sessions cannot be scheduled or logged for this match now, or None when they can.
    ``doing`` completes "you cannot ..." (e.g. "log sessions")."""
    if match.status == Match.Status.ACTIVE:
        return None
    if match.status == Match.Status.PAUSED:
        return _("This match is paused, so you cannot %(doing)s for it until it is resumed.") % {
            "doing": doing
        }
    if match.status == Match.Status.CLOSED:
        return _("This match was closed on %(date)s, so you cannot %(doing)s for it.") % {
            "date": formats.date_format(match.closed_on, "DATE_FORMAT")
            if match.closed_on
            else _("an earlier date"),
            "doing": doing,
        }
    if match.status in (Match.Status.PROPOSED, Match.Status.APPROVED):
        return _("This match has not started yet, so you cannot %(doing)s for it.") % {
            "doing": doing
        }
    return _("This match did not go ahead, so you cannot %(doing)s for it.") % {"doing": doing}


def session_refusal(session: MentoringSession) -> str | None:
    """Why this session can no longer be logged, moved or cancelled, or None."""
    if session.is_logged:
        return _("This session is already logged.")
    if session.status == Status.CANCELLED:
        return _("This session was cancelled.")
    if session.status != Status.SCHEDULED:
        return _("This session is already logged.")
    return None


def _ensure_may_schedule(actor: User, match: Match) -> None:
    if not may_schedule(actor, match):
        raise DomainError(
            _("Only the mentor of this match and the program's staff can arrange its sessions.")
        )


def _ensure_active(match: Match, doing: str) -> None:
    refusal = match_refusal(match, doing)
    if refusal:
        raise DomainError(refusal)


def _ensure_open(session: MentoringSession) -> None:
    refusal = session_refusal(session)
    if refusal is None:
        return
    if session.is_logged or session.status != Status.CANCELLED:
        raise AlreadyLogged(refusal, session=session)
    raise DomainError(refusal)


# --- Helpers -----------------------------------------------------------------------------


def center_time(match: Match, moment: datetime.datetime) -> str:
    """``moment`` as the people of the match read it: in their center's time zone."""
    zone = zoneinfo.ZoneInfo(match.program.center.time_zone)
    return formats.date_format(timezone.localtime(moment, zone), "DATETIME_FORMAT")


def _validation_to_domain(error: ValidationError) -> DomainError:
    if hasattr(error, "error_dict"):
        field, messages = next(iter(error.message_dict.items()))
        return DomainError(" ".join(messages), field=None if field == "__all__" else field)
    return DomainError(" ".join(error.messages))


def _check(session: MentoringSession) -> None:
    """The model's own rules (lengths, duration range, choices, the database constraints)."""
    try:
        session.full_clean(exclude=["match", "created_by", "logged_by"], validate_unique=False)
    except ValidationError as error:
        raise _validation_to_domain(error) from None


def _locked_match(match: Match) -> Match:
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related("program__center", "mentor__user", "mentee__user")
        .get(pk=match.pk)
    )


def _locked_session(session: MentoringSession) -> MentoringSession:
    return (
        MentoringSession.objects.select_for_update(of=("self",))
        .select_related("match__program__center", "match__mentor__user", "match__mentee__user")
        .get(pk=session.pk)
    )


def _ensure_time_free(match: Match, starts_at: datetime.datetime, *, exclude_pk=None) -> None:
    """One session of a match per start time: a second one is a form sent twice."""
    same_time = match.sessions.filter(starts_at=starts_at).exclude(status=Status.CANCELLED)
    if exclude_pk is not None:
        same_time = same_time.exclude(pk=exclude_pk)
    existing = same_time.first()
    if existing is None:
        return
    if existing.is_logged:
        raise AlreadyLogged(
            _("A session at this time is already logged for this match."), session=existing
        )
    raise DomainError(
        _(
            "A session of this match is already scheduled at this time. Choose another time, "
            "or open that session to change or log it."
        ),
        field="starts_at",
    )


def _ensure_in_future(starts_at: datetime.datetime) -> None:
    if starts_at <= timezone.now():
        raise DomainError(
            _(
                "Choose a date and time in the future. To record a meeting that already "
                "happened, log it instead."
            ),
            field="starts_at",
        )


def _clean_place(place: str | None) -> str:
    return (place or "").strip()


def _ensure_modality(modality: str) -> None:
    if modality not in Modality.values:
        raise DomainError(_("Choose how you meet from the list."), field="modality")


# --- Reminders ---------------------------------------------------------------------------
# Session reminders are outbox rows keyed by the session and its start time, written in the
# transaction that schedules, moves or cancels the session: 24 h and 2 h before (mentor and
# mentee), and "not logged yet" to the mentor the day after. Delivery re-checks that the
# session is still scheduled (sessions/notifications.py), so a logged session's reminder is
# dropped, not sent.

REMINDERS_BEFORE = {"24h": datetime.timedelta(hours=24), "2h": datetime.timedelta(hours=2)}
NOT_LOGGED_AFTER = datetime.timedelta(days=1)
SESSION_REMINDER_KINDS = ("session_reminder", "session_not_logged")


def queue_session_reminders(session: MentoringSession) -> None:
    """Queue the reminders of a newly scheduled (or moved) session."""
    now = timezone.now()
    stamp = int(session.starts_at.timestamp())
    match = session.match
    for label, before in REMINDERS_BEFORE.items():
        due = session.starts_at - before
        if due <= now:
            continue
        for person in (match.mentor.user, match.mentee.user):
            queue_notification(
                recipient=person,
                kind="session_reminder",
                subject=session,
                key=f"session-{label}:{session.pk}:{stamp}",
                due_at=due,
            )
    queue_notification(
        recipient=match.mentor.user,
        kind="session_not_logged",
        subject=session,
        key=f"session-not-logged:{session.pk}:{stamp}",
        due_at=session.starts_at + NOT_LOGGED_AFTER,
    )


def _reminders_after_moving(
    session: MentoringSession, *, previous_starts_at: datetime.datetime
) -> None:
    """Move the pending reminders of a session to its new time."""
    if previous_starts_at == session.starts_at:
        return
    _reminders_after_cancelling(session)
    queue_session_reminders(session)


def _reminders_after_cancelling(session: MentoringSession) -> None:
    """Cancel the pending reminders of a session that will not take place."""
    Notification.objects.filter(
        kind__in=SESSION_REMINDER_KINDS,
        subject_type=ContentType.objects.get_for_model(MentoringSession),
        subject_id=session.pk,
        state=Notification.State.PENDING,
    ).update(state=Notification.State.CANCELLED, last_error="session moved or cancelled")


# --- Scheduling --------------------------------------------------------------------------


@transaction.atomic
def schedule_session(
    *,
    actor: User,
    match: Match,
    starts_at: datetime.datetime,
    expected_minutes: int,
    modality: str,
    place: str = "",
) -> MentoringSession:
    """Put a session of an active match in the calendar, at a time in the future."""
    _ensure_may_schedule(actor, match)
    match = _locked_match(match)
    _ensure_active(match, _("schedule sessions"))
    _ensure_in_future(starts_at)
    _ensure_modality(modality)
    _ensure_time_free(match, starts_at)
    session = MentoringSession(
        match=match,
        status=Status.SCHEDULED,
        starts_at=starts_at,
        expected_minutes=expected_minutes,
        modality=modality,
        place=_clean_place(place),
        created_by=actor,
    )
    _check(session)
    session.save()
    queue_session_reminders(session)
    return session


@transaction.atomic
def reschedule_session(
    *,
    actor: User,
    session: MentoringSession,
    starts_at: datetime.datetime,
    expected_minutes: int,
    modality: str,
    place: str = "",
) -> MentoringSession:
    """Move a scheduled session (or change how or where it happens) before it is logged."""
    _ensure_may_schedule(actor, session.match)
    session = _locked_session(session)
    _ensure_open(session)
    _ensure_active(session.match, _("change its sessions"))
    _ensure_in_future(starts_at)
    _ensure_modality(modality)
    _ensure_time_free(session.match, starts_at, exclude_pk=session.pk)
    previous_starts_at = session.starts_at
    session.starts_at = starts_at
    session.expected_minutes = expected_minutes
    session.modality = modality
    session.place = _clean_place(place)
    _check(session)
    session.save()
    if session.starts_at != previous_starts_at:
        _reminders_after_moving(session, previous_starts_at=previous_starts_at)
    return session


@transaction.atomic
def cancel_session(*, actor: User, session: MentoringSession, reason: str) -> MentoringSession:
    """Call off a scheduled session before it starts, saying why.

    The reason is kept as the session's summary, which the mentee sees: it is what they need
    to know about a meeting that will not happen. A session whose time has come is logged
    instead (as cancelled or no-show) by its mentor.
    """
    _ensure_may_schedule(actor, session.match)
    session = _locked_session(session)
    _ensure_open(session)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please say why the session is cancelled."), field="reason")
    if session.starts_at <= timezone.now():
        raise DomainError(
            _(
                "This session's time has come, so it can no longer be called off. Its mentor "
                "logs it as cancelled or no-show instead."
            )
        )
    session.status = Status.CANCELLED
    session.summary = reason
    try:
        _check(session)
    except DomainError as error:
        raise DomainError(error.message, field="reason") from None
    session.save()
    _reminders_after_cancelling(session)
    return session


# --- Logging -----------------------------------------------------------------------------


@transaction.atomic
def log_session(
    *,
    actor: User,
    session: MentoringSession,
    status: str,
    duration_minutes: int | None,
    modality: str,
    support_types: Iterable[str] = (),
    topics: Iterable[Topic] = (),
    goals_worked_on: Iterable[Goal] = (),
    resources_shared: Iterable[Resource] = (),
    referrals: Iterable[Resource] = (),
    summary: str = "",
    private_notes: str = "",
    concern: str = "",
) -> MentoringSession:
    """Record what happened in a scheduled session: held, cancelled or no-show.

    A held session records its duration (5–480 minutes), the kinds of support given (at least
    one), and optionally the topics, the mentee's goals worked on, the program's resources
    shared and the resources the mentee was referred to (each a Referral whose follow-up is
    tracked). A cancelled or no-show session records none of those: it did not take place.
    Any log may carry a summary for the mentee, private notes for the mentor and supervisors,
    and a concern.
    """
    if not may_log(actor, session):
        raise DomainError(_("Only the mentor of this match can log its sessions."))
    session = _locked_session(session)
    _ensure_open(session)
    match = session.match
    _ensure_active(match, _("log sessions"))
    if status not in LOGGED_STATUSES:
        raise DomainError(
            _("Choose whether the session was held, cancelled or a no-show."), field="status"
        )
    now = timezone.now()
    if status in (Status.HELD, Status.NO_SHOW) and session.starts_at > now:
        message = (
            _("A session cannot be logged as held before it starts (it starts %(when)s).")
            if status == Status.HELD
            else _("A no-show can only be logged once the session was due (%(when)s).")
        )
        raise DomainError(message % {"when": center_time(match, session.starts_at)}, field="status")
    _ensure_modality(modality)
    held = status == Status.HELD
    if held:
        _apply_held_details(
            session,
            duration_minutes=duration_minutes,
            support_types=list(support_types),
        )
        topics, goals, shared, referred = _held_links(
            match,
            topics=topics,
            goals_worked_on=goals_worked_on,
            resources_shared=resources_shared,
            referrals=referrals,
        )
    else:
        session.duration_minutes = None
        session.support_types = []
        topics, goals, shared, referred = [], [], [], []
    if concern not in Concern.values:
        raise DomainError(_("Choose a concern from the list."), field="concern")
    session.status = status
    session.modality = modality
    session.summary = (summary or "").strip()
    session.private_notes = (private_notes or "").strip()
    session.concern = concern
    session.logged_at = now
    session.logged_by = actor
    _check(session)
    session.save()
    session.topics.set(topics)
    session.goals_worked_on.set(goals)
    session.resources_shared.set(shared)
    for resource in referred:
        Referral.objects.create(session=session, resource=resource)

    if concern == Concern.URGENT:
        raise_safety_alert(
            mentee=match.mentee,
            source=SafetyAlert.Source.SESSION_CONCERN,
            session=session,
            raised_by=actor,
        )
    elif concern == Concern.TALK:
        _ask_supervisors_to_talk(session)
    if held:
        invite_feedback(session=session)
    elif status == Status.CANCELLED:
        _reminders_after_cancelling(session)
    return session


@transaction.atomic
def log_unscheduled_session(
    *,
    actor: User,
    match: Match,
    starts_at: datetime.datetime,
    place: str = "",
    status: str = Status.HELD,
    duration_minutes: int | None,
    modality: str,
    **log,
) -> MentoringSession:
    """Log a meeting that was never scheduled (the mentor met the mentee without arranging
    it here): the session is created and logged in one step, under the rules of
    ``log_session``. Its time must have come."""
    if not is_mentor_of(actor, match):
        raise DomainError(_("Only the mentor of this match can log its sessions."))
    match = _locked_match(match)
    _ensure_active(match, _("log sessions"))
    if starts_at > timezone.now():
        raise DomainError(
            _("This time is still to come. Schedule the session instead, and log it afterwards."),
            field="starts_at",
        )
    _ensure_time_free(match, starts_at)
    _ensure_modality(modality)
    session = MentoringSession(
        match=match,
        status=Status.SCHEDULED,
        starts_at=starts_at,
        expected_minutes=duration_minutes
        if duration_minutes and MIN_DURATION <= duration_minutes <= MAX_DURATION
        else MentoringSession._meta.get_field("expected_minutes").default,
        modality=modality,
        place=_clean_place(place),
        created_by=actor,
    )
    _check(session)
    session.save()
    return log_session(
        actor=actor,
        session=session,
        status=status,
        duration_minutes=duration_minutes,
        modality=modality,
        **log,
    )


def _apply_held_details(
    session: MentoringSession, *, duration_minutes: int | None, support_types: list[str]
) -> None:
    if duration_minutes is None:
        raise DomainError(_("Say how long the session lasted."), field="duration_minutes")
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        raise DomainError(
            _("A session lasts between %(min)s and %(max)s minutes.")
            % {"min": MIN_DURATION, "max": MAX_DURATION},
            field="duration_minutes",
        )
    if not support_types:
        raise DomainError(_("Choose at least one kind of support you gave."), field="support_types")
    if any(kind not in SupportType.values for kind in support_types):
        raise DomainError(_("Choose support types from the list."), field="support_types")
    session.duration_minutes = duration_minutes
    # Stored in the typology's order, once each.
    session.support_types = [kind for kind in SupportType.values if kind in support_types]


def _held_links(match: Match, *, topics, goals_worked_on, resources_shared, referrals):
    """The related records of a held session, checked against the match: the goals are the
    mentee's own, the resources are the program's."""
    topics, goals = list(topics), list(goals_worked_on)
    shared, referred = list(resources_shared), list(referrals)
    if any(not isinstance(topic, Topic) for topic in topics):
        raise DomainError(_("Choose topics from the list."), field="topics")
    if any(goal.mentee_id != match.mentee_id for goal in goals):
        raise DomainError(
            _("Choose goals of %(name)s only.") % {"name": match.mentee.user.display_name},
            field="goals_worked_on",
        )
    for field, resources in (("resources_shared", shared), ("referrals", referred)):
        if any(resource.program_id != match.program_id for resource in resources):
            raise DomainError(_("Choose resources from this program's directory."), field=field)
    # One referral per resource, whatever was sent.
    referred = list({resource.pk: resource for resource in referred}.values())
    return topics, goals, shared, referred


def _ask_supervisors_to_talk(session: MentoringSession) -> None:
    """An in-app note to each supervisor of the program that the mentor wants to talk about
    this session; it names the session only, never what the log says."""
    for supervisor in program_supervisors(session.match.program_id):
        queue_notification(
            recipient=supervisor,
            kind="session_concern_talk",
            subject=session,
            key=f"session-concern-talk:{session.pk}",
            channels=[Notification.Channel.IN_APP],
        )
