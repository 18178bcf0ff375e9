"""Outcome measures: scheduling administrations from the match lifecycle, answering them
(signed in, by one-time link, or in person with staff), and their reminders.

Scheduling is idempotent: the database holds one administration per match, instrument and
time point, and the functions here create only what is missing. Answers are checked item by
item, scored through ``evaluation.instruments.score`` and saved with the instrument's version
in one transaction; an answer that signals risk (PHQ-9 item 9 above 0, "I need help now",
not feeling safe) raises a safety alert in that same transaction.

The one-time link works like the session feedback link: a random token of which only the
SHA-256 is stored, used up on submit (not on opening), expiring after ``LINK_DAYS``.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership, MenteeProfile, Notification, User
from accounts.scoping import STAFF_ROLES
from accounts.services import DomainError, queue_notification
from evaluation import instruments
from evaluation.models import Administration, MeasureLink, MeasureSchedule, Response, Timepoint
from evaluation.models.measures import FOLLOW_UP_DAYS
from matching.models import Match

LINK_DAYS = 14
LINK_PATH_NAME = "evaluation:measure_link"
REMINDER_HOUR = 9


# --- Who may do what --------------------------------------------------------------------


def may_answer(user, administration: Administration) -> bool:
    """The respondent answers for themself: the mentee, or the mentor for the mentor's
    relationship survey."""
    return (
        user.is_authenticated
        and administration.status == Administration.Status.DUE
        and administration.respondent_user_id() == user.pk
    )


def may_administer(user, program_id: int) -> bool:
    """Coordinators (and administrators) give measures in person and add them ad hoc."""
    return user.is_superuser or program_id in user.program_ids_with_role("coordinator")


def program_coordinators(program_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__program_id=program_id,
            memberships__role=Membership.Role.COORDINATOR,
            memberships__is_active=True,
        ).distinct()
    )


def items_asked(administration: Administration) -> list[instruments.Item]:
    """The items this administration asks: the check-in's HIV and hepatitis C questions only
    where the program asks them."""
    definition = administration.definition
    if definition.code != "CHECKIN":
        return list(definition.items)
    schedule = MeasureSchedule.for_program(administration.program_id)
    return [
        item
        for item in definition.items
        if schedule.include_risk_items or item.number not in instruments.CHECKIN_RISK_ITEMS
    ]


# --- Scheduling ---------------------------------------------------------------------------


def _create_missing(
    match: Match, timepoints: dict[str, datetime.date], schedule: MeasureSchedule
) -> list[Administration]:
    created = []
    for timepoint, due_on in timepoints.items():
        for code in schedule.instruments:
            definition = instruments.INSTRUMENTS[code]
            if timepoint == Timepoint.BASELINE and not definition.at_baseline:
                continue
            administration, was_created = Administration.objects.get_or_create(
                match=match,
                instrument=code,
                timepoint=timepoint,
                defaults={
                    "program_id": match.program_id,
                    "mentee_id": match.mentee_id,
                    "instrument_version": definition.version,
                    "due_on": due_on,
                },
            )
            if was_created:
                created.append(administration)
    _queue_reminders(created, schedule)
    return created


@transaction.atomic
def schedule_match_measures(*, match: Match) -> list[Administration]:
    """A match started: its baseline is due on the start date, the follow-ups at 30, 90 and
    180 days (as the program's schedule says). Calling it again creates nothing new."""
    schedule = MeasureSchedule.for_program(match.program_id)
    start = match.started_on or timezone.localdate()
    timepoints = {}
    if schedule.at_baseline:
        timepoints[Timepoint.BASELINE] = start
    for timepoint in schedule.follow_ups():
        timepoints[timepoint] = start + datetime.timedelta(days=FOLLOW_UP_DAYS[timepoint])
    return _create_missing(match, timepoints, schedule)


@transaction.atomic
def schedule_closure_measures(*, match: Match) -> list[Administration]:
    """A match closed: follow-ups not yet due are cancelled, and the closure measures are due
    on the closing date. Calling it again creates nothing new."""
    closed_on = match.closed_on or timezone.localdate()
    Administration.objects.filter(
        match=match, status=Administration.Status.DUE, due_on__gt=closed_on
    ).exclude(timepoint=Timepoint.CLOSURE).update(status=Administration.Status.CANCELLED)
    schedule = MeasureSchedule.for_program(match.program_id)
    if not schedule.at_closure:
        return []
    return _create_missing(match, {Timepoint.CLOSURE: closed_on}, schedule)


def program_created(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """A new program gets its measure schedule when it is made (a ``post_save`` receiver)."""
    if created and not raw:
        MeasureSchedule.for_program(instance)


def match_started(*, match: Match) -> None:
    """Hook for ``matching.services.lifecycle.MATCH_STARTED_HOOKS``."""
    schedule_match_measures(match=match)


def match_closed(*, match: Match) -> None:
    """Hook for ``matching.services.lifecycle.MATCH_CLOSED_HOOKS``."""
    schedule_closure_measures(match=match)


@transaction.atomic
def create_administration(
    *,
    actor: User,
    mentee: MenteeProfile,
    instrument: str,
    timepoint: str,
    due_on: datetime.date | None = None,
) -> Administration:
    """Staff add one measure for a mentee: ad hoc, or a time point of the mentee's current (or
    latest) match that the schedule did not create. A second one of the same instrument at the
    same time point of a match is refused."""
    if not may_administer(actor, mentee.program_id):
        raise DomainError(_("Only a coordinator of the program can add measures."))
    if instrument not in instruments.INSTRUMENTS:
        raise DomainError(_("Choose a measure from the list."), field="instrument")
    if timepoint not in Timepoint.values:
        raise DomainError(_("Choose a time point from the list."), field="timepoint")
    definition = instruments.INSTRUMENTS[instrument]
    match = (
        Match.objects.filter(mentee=mentee, status__in=("active", "paused", "closed"))
        .order_by("-started_on", "-pk")
        .first()
    )
    if definition.respondent == "mentor" and match is None:
        raise DomainError(_("The mentor's relationship survey needs a match."), field="instrument")
    if timepoint != Timepoint.ADHOC and match is None:
        raise DomainError(
            _("%(timepoint)s measures belong to a match, and this mentee has none yet.")
            % {"timepoint": Timepoint(timepoint).label},
            field="timepoint",
        )
    if timepoint == Timepoint.ADHOC and definition.respondent == "mentee":
        match_for_row = None
    else:
        match_for_row = match
    if match_for_row is not None:
        existing = Administration.objects.filter(
            match=match_for_row, instrument=instrument, timepoint=timepoint
        ).first()
        if existing is not None:
            raise DomainError(
                _(
                    "This match already has a %(timepoint)s %(measure)s (%(status)s). "
                    "A match has only one of each."
                )
                % {
                    "timepoint": existing.get_timepoint_display().lower(),
                    "measure": definition.name,
                    "status": existing.get_status_display().lower(),
                },
                field="timepoint",
            )
    try:
        with transaction.atomic():
            administration = Administration.objects.create(
                program_id=mentee.program_id,
                match=match_for_row,
                mentee=mentee,
                instrument=instrument,
                instrument_version=definition.version,
                timepoint=timepoint,
                due_on=due_on or timezone.localdate(),
            )
    except IntegrityError:
        # Someone else added the same one a moment ago.
        raise DomainError(
            _("This match already has this measure at this time point."), field="timepoint"
        ) from None
    _queue_reminders([administration], MeasureSchedule.for_program(mentee.program_id))
    return administration


# --- Reminders ----------------------------------------------------------------------------


def _at_reminder_hour(day: datetime.date) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(REMINDER_HOUR)))
    return max(moment, timezone.now())


def reminder_group(administration: Administration) -> str:
    """One reminder per person per time point of a match, however many measures it holds."""
    who = "mentor" if administration.respondent_is_mentor else "mentee"
    if administration.match_id is None:
        return f"adhoc-{administration.pk}"
    return f"{administration.match_id}:{administration.timepoint}:{who}"


def _queue_reminders(administrations: list[Administration], schedule: MeasureSchedule) -> None:
    """ "Measure due" on the due date and "overdue" some days later to the respondent, and the
    overdue notice to the program's coordinators; rows keyed per time point, so a time point
    with six measures sends one reminder, and a second call queues nothing new."""
    coordinators = None
    for administration in administrations:
        respondent_id = administration.respondent_user_id()
        if respondent_id is None:
            continue
        respondent = User.objects.get(pk=respondent_id)
        group = reminder_group(administration)
        queue_notification(
            recipient=respondent,
            kind="measure_due",
            subject=administration,
            key=f"measure-due:{group}",
            due_at=_at_reminder_hour(administration.due_on),
        )
        overdue_at = _at_reminder_hour(administration.overdue_on(schedule))
        queue_notification(
            recipient=respondent,
            kind="measure_overdue",
            subject=administration,
            key=f"measure-overdue:{group}",
            due_at=overdue_at,
        )
        if coordinators is None:
            coordinators = program_coordinators(administration.program_id)
        for coordinator in coordinators:
            queue_notification(
                recipient=coordinator,
                kind="measure_overdue_staff",
                subject=administration,
                key=f"measure-overdue-staff:{group}",
                due_at=overdue_at,
                channels=[Notification.Channel.IN_APP],
            )


def group_still_due(administration: Administration) -> bool:
    """Whether anything of this reminder's time point is still waiting to be answered."""
    if administration.match_id is None:
        return administration.status == Administration.Status.DUE
    same = Administration.objects.filter(
        match_id=administration.match_id,
        timepoint=administration.timepoint,
        status=Administration.Status.DUE,
    )
    return same.filter(instrument__in=_same_respondent_codes(administration)).exists()


def _same_respondent_codes(administration: Administration) -> list[str]:
    respondent = administration.definition.respondent
    return [c for c, i in instruments.INSTRUMENTS.items() if i.respondent == respondent]


@transaction.atomic
def mark_missed_administrations(*, today: datetime.date | None = None) -> int:
    """Due administrations past their program's answering window become missed."""
    today = today or timezone.localdate()
    missed = 0
    for schedule in MeasureSchedule.objects.all():
        cutoff = today - datetime.timedelta(days=schedule.missed_after_days)
        missed += Administration.objects.filter(
            program_id=schedule.program_id, status=Administration.Status.DUE, due_on__lt=cutoff
        ).update(status=Administration.Status.MISSED)
    default_cutoff = today - datetime.timedelta(
        days=MeasureSchedule._meta.get_field("missed_after_days").default
    )
    missed += (
        Administration.objects.filter(status=Administration.Status.DUE, due_on__lt=default_cutoff)
        .exclude(program__measure_schedule__isnull=False)
        .update(status=Administration.Status.MISSED)
    )
    return missed


# --- One-time links -----------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_measure_link(*, administration: Administration, days: int = LINK_DAYS) -> str:
    """Create a link to this one administration and return its secret token."""
    token = secrets.token_urlsafe(32)
    MeasureLink.objects.create(
        administration=administration,
        token_hash=token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token


def measure_link_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(LINK_PATH_NAME, args=[token])


def find_measure_link(token: str) -> MeasureLink | None:
    return (
        MeasureLink.objects.select_related(
            "administration__mentee__user", "administration__program"
        )
        .filter(token_hash=token_hash(token))
        .first()
    )


LINK_PROBLEMS = {
    "used": gettext_lazy("This link was already used. Thank you for your answers."),
    "answered": gettext_lazy("These questions already have your answers. Thank you."),
    "expired": gettext_lazy("This link has expired."),
    "closed": gettext_lazy("These questions are no longer open."),
}


def link_problem(link: MeasureLink) -> str | None:
    if link.used_at is not None:
        return "used"
    status = link.administration.status
    if status == Administration.Status.COMPLETED:
        return "answered"
    if link.expires_at <= timezone.now():
        return "expired"
    if status != Administration.Status.DUE:
        return "closed"
    return None


def link_problem_message(problem: str) -> str:
    return str(LINK_PROBLEMS[problem])


# --- Answering ----------------------------------------------------------------------------


def _check_value(administration: Administration, item: instruments.Item, value) -> None:
    try:
        instruments.check_answer(administration.definition, item, value)
    except instruments.ScoringError:
        raise DomainError(
            _("Please choose one of the answers shown for question %(number)s.")
            % {"number": item.number},
            field=f"item_{item.number}",
        ) from None


@transaction.atomic
def save_draft_answer(*, administration: Administration, item: int, value: int) -> Administration:
    """Keep one answer of the one-question-per-screen form until the last screen."""
    administration = Administration.objects.select_for_update().get(pk=administration.pk)
    if administration.status != Administration.Status.DUE:
        raise DomainError(_("These questions are no longer open."))
    asked = {i.number: i for i in items_asked(administration)}
    if item not in asked:
        raise DomainError(_("This question is not part of the questionnaire."))
    _check_value(administration, asked[item], value)
    administration.draft = {**administration.draft, str(item): value}
    administration.save(update_fields=["draft"])
    return administration


@transaction.atomic
def submit_administration(
    *,
    administration: Administration,
    answers: dict[int, int],
    answered_by: User,
    mode: str,
    helped: bool = False,
    link: MeasureLink | None = None,
    wording_version: str = "",
) -> Administration:
    """Score and save the answers (item number → value) of a due administration.

    ``wording_version`` is the version of the wording the answers were given in (a published
    translation adds its name, ``instruments.Wording.recorded_version``); by default the
    instrument's own. The score is the same whatever the wording.

    Who answers: the respondent signed in (``self``), through a one-time link of this
    administration (``link``; locked, checked and used up here), or a coordinator of the
    program with the person (``in_person``, recorded with who). Every asked item needs an
    answer on its scale; anything else is refused and nothing is stored. The row is locked, so
    a double submit saves one set of answers.
    """
    now = timezone.now()
    if mode == Administration.Mode.LINK:
        if link is None:
            raise DomainError(_("This link is not valid."))
        link = MeasureLink.objects.select_for_update().get(pk=link.pk)
        if link.administration_id != administration.pk:
            raise DomainError(_("This link is for other questions."))
        if link.used_at is not None:
            raise DomainError(link_problem_message("used"))
        if link.expires_at <= now:
            raise DomainError(link_problem_message("expired"))
    administration = (
        Administration.objects.select_for_update(of=("self",))
        .select_related("mentee__user", "match__mentor", "program")
        .get(pk=administration.pk)
    )
    if administration.status == Administration.Status.COMPLETED:
        raise DomainError(link_problem_message("answered"))
    if administration.status != Administration.Status.DUE:
        raise DomainError(link_problem_message("closed"))
    if mode == Administration.Mode.IN_PERSON:
        if not may_administer(answered_by, administration.program_id):
            raise DomainError(_("Only a coordinator of the program can record answers in person."))
    elif mode in (Administration.Mode.SELF, Administration.Mode.LINK):
        if administration.respondent_user_id() != answered_by.pk:
            raise DomainError(_("Only the person asked can answer these questions."))
    else:
        raise DomainError(_("Unknown way of answering."))

    asked = items_asked(administration)
    asked_numbers = {item.number for item in asked}
    values = []
    for item in administration.definition.items:
        if item.number not in asked_numbers:
            values.append(None)
            continue
        value = answers.get(item.number)
        if value is None:
            raise DomainError(
                _("Please answer question %(number)s.") % {"number": item.number},
                field=f"item_{item.number}",
            )
        _check_value(administration, item, value)
        values.append(value)
    result = instruments.score(administration.instrument, values)

    administration.status = Administration.Status.COMPLETED
    administration.completed_at = now
    administration.total = result.total
    administration.reported_score = result.reported
    administration.band = result.band
    administration.flags = list(result.flags)
    administration.instrument_version = (
        wording_version if wording_version.startswith(result.version) else result.version
    )
    administration.answered_by = answered_by
    administration.mode = mode
    administration.helped = bool(helped)
    administration.draft = {}
    administration.save()
    Response.objects.bulk_create(
        Response(administration=administration, item=item.number, value=value)
        for item, value in zip(administration.definition.items, values, strict=True)
    )
    MeasureLink.objects.filter(administration=administration, used_at__isnull=True).update(
        used_at=now
    )
    if set(result.flags) & instruments.SAFETY_FLAGS:
        from sessions.models import SafetyAlert
        from sessions.services import raise_safety_alert

        source = (
            SafetyAlert.Source.CHECK_IN
            if administration.instrument == "CHECKIN"
            else SafetyAlert.Source.MEASURE
        )
        raise_safety_alert(
            mentee=administration.mentee,
            source=source,
            raised_by=answered_by if answered_by.is_authenticated else None,
        )
    return administration


def needs_crisis_resources(administration: Administration) -> bool:
    return bool(set(administration.flags) & instruments.SAFETY_FLAGS)


def next_due_for(administration: Administration) -> Administration | None:
    """The next questionnaire the same person has due at the same time point."""
    if administration.match_id is None:
        return None
    same = Administration.objects.filter(
        match_id=administration.match_id,
        timepoint=administration.timepoint,
        status=Administration.Status.DUE,
    ).exclude(pk=administration.pk)
    codes = _same_respondent_codes(administration)
    return same.filter(instrument__in=codes).order_by("pk").first()


def staff_program_ids(user) -> set[int] | None:
    """Programs the user staffs (None: every program, for administrators)."""
    if user.is_superuser:
        return None
    return user.program_ids_with_role(*STAFF_ROLES)
