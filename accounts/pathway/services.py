"""State changes of the mentor pathway. Keyword-only, one transaction each, checking who may
act and raising ``DomainError`` with a readable message; views, tasks and the demo call them.

Applications from the public form never reveal whether an email is known: a known email
brings the person's existing account (never a second person), and what happens next is said
in the confirmation email, not on the page.
"""

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, MenteeProfile, MentorProfile, Program, User
from accounts.pathway import selectors
from accounts.pathway.models import (
    MAX_HOURS_PER_DAY,
    Application,
    Certification,
    Competency,
    CompetencyRating,
    EmploymentOutcome,
    MentorInvitation,
    PathwaySettings,
    RolePlayAssessment,
    ScreeningStep,
    StatusChange,
    TrainingAttendance,
    TrainingModule,
    TrainingSession,
    WellbeingCheckIn,
)
from accounts.services.errors import DomainError
from accounts.services.outbox import queue_notification
from accounts.services.people import _person, _validation_to_domain, ensure_staff

Status = MentorProfile.Status

# Each returns the reasons (plain words) why this mentee cannot be invited to become a mentor
# yet; matching registers the rule that reads match closures.
INVITATION_BLOCKERS: list[Callable[[MenteeProfile], list[str]]] = []

# Where a mentor may go from each status.
TRANSITIONS = {
    Status.APPLICANT: {Status.SCREENING, Status.INACTIVE},
    Status.SCREENING: {Status.IN_TRAINING, Status.ON_HOLD, Status.INACTIVE},
    Status.IN_TRAINING: {Status.ACTIVE, Status.ON_HOLD, Status.INACTIVE},
    Status.ACTIVE: {Status.ON_HOLD, Status.INACTIVE},
    Status.ON_HOLD: {Status.SCREENING, Status.IN_TRAINING, Status.ACTIVE, Status.INACTIVE},
    Status.INACTIVE: {Status.SCREENING},
}
NEEDS_SCREENING = {Status.IN_TRAINING, Status.ACTIVE}
NEEDS_REASON = {Status.ON_HOLD, Status.INACTIVE}

# Profile fields a mentee's history brings to their new mentor profile.
CARRIED_FIELDS = ("availability", "modalities", "location", "gender", "recovery_start")
CARRIED_TERMS = ("life_goals", "lived_experience", "languages", "interests")


def ensure_coordinator(actor: User, program: Program | int) -> None:
    program_id = program if isinstance(program, int) else program.pk
    if actor.is_superuser or program_id in actor.program_ids_with_role("coordinator"):
        return
    raise DomainError(_("Only the program's coordinators can do this."))


def _not_future(value: datetime.date | None, field: str) -> None:
    if value and value > timezone.localdate():
        raise DomainError(_("This date cannot be in the future."), field=field)


def _hours(value, field: str = "hours") -> Decimal:
    try:
        value = Decimal(value)
    except (TypeError, ArithmeticError, ValueError):
        raise DomainError(_("Give the hours as a number."), field=field) from None
    if value <= 0:
        raise DomainError(_("Training hours must be more than zero."), field=field)
    if value > MAX_HOURS_PER_DAY:
        raise DomainError(
            _("No more than 12 hours of training can be recorded for a day."), field=field
        )
    return value


@transaction.atomic
def set_up_pathway(*, program: Program | int) -> PathwaySettings:
    """Give a program its pathway settings and, if it has none, the default training modules
    (the program description's). Running it again changes nothing."""
    program_id = program if isinstance(program, int) else program.pk
    settings, created = PathwaySettings.objects.get_or_create(program_id=program_id)
    if created and not TrainingModule.objects.filter(program_id=program_id).exists():
        TrainingModule.objects.bulk_create(selectors.default_modules(program_id))
    return settings


def _record_status(mentor: MentorProfile, to_status: str, *, actor, reason: str = "") -> None:
    StatusChange.objects.create(
        mentor=mentor,
        from_status=mentor.status if mentor.pk else "",
        to_status=to_status,
        reason=reason,
        changed_by=actor,
    )


def _open_application(
    *,
    program: Program,
    user: User,
    source: str,
    motivation: str,
    entered_by: User | None,
    invitation: MentorInvitation | None = None,
    profile: dict | None = None,
) -> MentorProfile:
    mentor = MentorProfile(user=user, program=program, status=Status.APPLICANT, **(profile or {}))
    try:
        mentor.full_clean(exclude=["user", "program"], validate_unique=False)
    except ValidationError as error:
        raise _validation_to_domain(error) from None
    try:
        with transaction.atomic():
            mentor.save()
    except IntegrityError:
        raise DomainError(
            _("%(name)s is already a mentor or an applicant in %(program)s.")
            % {"name": user.display_name, "program": program.name},
            field="email",
        ) from None
    StatusChange.objects.create(
        mentor=mentor,
        to_status=Status.APPLICANT,
        reason=str(Application.Source(source).label),
        changed_by=entered_by,
    )
    Application.objects.create(
        mentor=mentor,
        source=source,
        motivation=motivation,
        entered_by=entered_by,
        invitation=invitation,
    )
    Membership.objects.get_or_create(user=user, program=program, role=Membership.Role.MENTOR)
    set_up_pathway(program=program)
    return mentor


@transaction.atomic
def apply_as_mentor(
    *, program: Program, person: dict, motivation: str = "", recovery_start=None
) -> Application | None:
    """An application from the public form. Returns None (and changes nothing on the page's
    side) when the email already has a mentor profile in the program; either way the person
    gets an email saying what happens next."""
    if not program.is_active:
        raise DomainError(_("This program does not take applications."), field="program")
    if not (person.get("email") or "").strip():
        raise DomainError(_("Please give your email address."), field="email")
    _not_future(recovery_start, "recovery_start")
    user = _person(person=person)
    existing = MentorProfile.objects.filter(user=user, program=program).first()
    if existing is not None:
        queue_notification(
            recipient=user,
            kind="mentor_application_known",
            key=f"mentor-application-known:{existing.pk}:{timezone.localdate().isoformat()}",
            subject=existing,
            channels=["email"],
        )
        return None
    profile = {"recovery_start": recovery_start} if recovery_start else {}
    mentor = _open_application(
        program=program,
        user=user,
        source=Application.Source.PUBLIC_FORM,
        motivation=motivation,
        entered_by=None,
        profile=profile,
    )
    queue_notification(
        recipient=user,
        kind="mentor_application_received",
        key=f"mentor-application:{mentor.pk}",
        subject=mentor,
        channels=["email"],
    )
    return mentor.application


@transaction.atomic
def enter_applicant(
    *,
    actor: User,
    program: Program,
    person: dict,
    motivation: str = "",
    recovery_start=None,
) -> MentorProfile:
    """A coordinator enters someone who wants to mentor (met at an event, referred...)."""
    ensure_coordinator(actor, program)
    _not_future(recovery_start, "recovery_start")
    user = _person(person=person)
    profile = {"recovery_start": recovery_start} if recovery_start else {}
    return _open_application(
        program=program,
        user=user,
        source=Application.Source.COORDINATOR,
        motivation=motivation,
        entered_by=actor,
        profile=profile,
    )


@transaction.atomic
def record_screening_step(
    *,
    actor: User,
    mentor: MentorProfile,
    kind: str,
    status: str,
    completed_on: datetime.date | None = None,
    note: str = "",
) -> ScreeningStep:
    """Record (or correct) one screening step: its status, date and who recorded it. A
    background check keeps a status and a date only."""
    ensure_staff(actor, mentor.program)
    if kind not in selectors.pathway_settings(mentor.program_id).screening_steps:
        raise DomainError(_("Choose one of this program's screening steps."), field="kind")
    if status not in ScreeningStep.Status.values:
        raise DomainError(_("Choose a status from the list."), field="status")
    if status != ScreeningStep.Status.PENDING and not completed_on:
        raise DomainError(_("Give the date this step was done."), field="completed_on")
    _not_future(completed_on, "completed_on")
    if kind == ScreeningStep.Kind.BACKGROUND_CHECK:
        note = ""  # status and date only, never the report's contents
    step, _created = ScreeningStep.objects.update_or_create(
        mentor=mentor,
        kind=kind,
        defaults={
            "status": status,
            "completed_on": completed_on if status != ScreeningStep.Status.PENDING else None,
            "note": note.strip(),
            "recorded_by": actor,
        },
    )
    return step


def screening_complete(mentor: MentorProfile) -> bool:
    """Every screening step of the mentor's program is passed (steps a program no longer asks
    for do not count either way)."""
    passed = set(
        mentor.screening_steps.filter(status=ScreeningStep.Status.PASSED).values_list(
            "kind", flat=True
        )
    )
    return passed >= set(selectors.pathway_settings(mentor.program_id).screening_steps)


PATHWAY_SETTING_FIELDS = (
    "training_hours_before_first_match",
    "certification_valid_days",
    "certification_reminder_days",
    "supervision_cadence_days",
    "min_days_in_recovery",
    "screening_steps",
)


@transaction.atomic
def update_pathway_settings(*, actor: User, program: Program, **values) -> PathwaySettings:
    """Supervisors set their program's mentor pathway rules: the screening steps applicants
    pass, the training needed before a first match, certification and supervision cadence."""
    if not (actor.is_superuser or program.pk in actor.program_ids_with_role("supervisor")):
        raise DomainError(_("Only the program's supervisors can change these settings."))
    unknown = set(values) - set(PATHWAY_SETTING_FIELDS)
    if unknown:
        raise DomainError(f"Unknown settings: {', '.join(sorted(unknown))}.")
    settings = set_up_pathway(program=program)
    settings = PathwaySettings.objects.select_for_update().get(pk=settings.pk)
    for name, value in values.items():
        setattr(settings, name, value)
    try:
        settings.full_clean(exclude=["program"], validate_unique=False)
    except ValidationError as error:
        raise _validation_to_domain(error) from None
    settings.save()
    return settings


@transaction.atomic
def change_mentor_status(
    *, actor: User, mentor: MentorProfile, to_status: str, reason: str = ""
) -> MentorProfile:
    """Move a mentor along the pipeline, writing the status history."""
    ensure_staff(actor, mentor.program)
    mentor = MentorProfile.objects.select_for_update().get(pk=mentor.pk)
    reason = (reason or "").strip()
    if to_status not in TRANSITIONS.get(mentor.status, set()):
        raise DomainError(
            _("A mentor cannot move from %(from)s to %(to)s.")
            % {
                "from": mentor.get_status_display().lower(),
                "to": str(dict(Status.choices).get(to_status, to_status)).lower(),
            },
            field="to_status",
        )
    if to_status in NEEDS_REASON and not reason:
        raise DomainError(_("Please give the reason."), field="reason")
    if to_status in NEEDS_SCREENING and not screening_complete(mentor):
        raise DomainError(
            _("Every screening step must be done and passed first."), field="to_status"
        )
    _record_status(mentor, to_status, actor=actor, reason=reason)
    mentor.status = to_status
    mentor.save(update_fields=["status", "updated_at"])
    return mentor


@transaction.atomic
def record_training_session(
    *,
    actor: User,
    module: TrainingModule,
    held_on: datetime.date,
    hours,
    attendees: Iterable[MentorProfile],
    trainer: User | None = None,
) -> TrainingSession:
    """A training session of one module and who attended it. Hours are positive and no mentor
    is credited with more than 12 hours of training on one day."""
    ensure_staff(actor, module.program)
    hours = _hours(hours)
    _not_future(held_on, "held_on")
    attendees = list(attendees)
    if not attendees:
        raise DomainError(_("Choose who attended."), field="attendees")
    if any(m.program_id != module.program_id for m in attendees):
        raise DomainError(_("Attendees must be mentors of this program."), field="attendees")
    already = dict(
        TrainingAttendance.objects.filter(mentor__in=attendees, session__held_on=held_on)
        .values("mentor_id")
        .annotate(total=Sum("session__hours"))
        .order_by()
        .values_list("mentor_id", "total")
    )
    over = [m for m in attendees if already.get(m.pk, 0) + hours > MAX_HOURS_PER_DAY]
    if over:
        raise DomainError(
            _("That would be more than 12 hours of training on one day for %(names)s.")
            % {"names": ", ".join(m.user.display_name for m in over)},
            field="hours",
        )
    session = TrainingSession.objects.create(
        program=module.program,
        module=module,
        held_on=held_on,
        hours=hours,
        trainer=trainer or actor,
    )
    TrainingAttendance.objects.bulk_create(
        [TrainingAttendance(session=session, mentor=m) for m in attendees]
    )
    return session


@transaction.atomic
def record_role_play(
    *,
    actor: User,
    mentor: MentorProfile,
    assessed_on: datetime.date,
    ratings: dict[str, tuple[int, str]],
    scenario: str = "",
) -> RolePlayAssessment:
    """A trainer's assessment of a role-play against the core competencies (1–4)."""
    ensure_staff(actor, mentor.program)
    _not_future(assessed_on, "assessed_on")
    ratings = {k: v for k, v in ratings.items() if v and v[0] is not None}
    if not ratings:
        raise DomainError(_("Rate at least one competency."))
    for competency, (score, _comment) in ratings.items():
        if competency not in Competency.values:
            raise DomainError(_("Unknown competency."))
        if not 1 <= int(score) <= 4:
            raise DomainError(_("Ratings go from 1 to 4."), field=f"{competency}_score")
    assessment = RolePlayAssessment.objects.create(
        mentor=mentor, assessed_on=assessed_on, scenario=scenario.strip(), trainer=actor
    )
    CompetencyRating.objects.bulk_create(
        [
            CompetencyRating(
                assessment=assessment,
                competency=competency,
                score=int(score),
                comment=(comment or "").strip(),
            )
            for competency, (score, comment) in ratings.items()
        ]
    )
    return assessment


@transaction.atomic
def issue_certification(
    *, actor: User, mentor: MentorProfile, issued_on: datetime.date | None = None
) -> Certification:
    """Certify a mentor whose required training is complete; valid for the program's period
    (a year by default). Issuing again on the same day returns the same certification."""
    ensure_staff(actor, mentor.program)
    issued_on = issued_on or timezone.localdate()
    _not_future(issued_on, "issued_on")
    MentorProfile.objects.select_for_update().get(pk=mentor.pk)
    set_up_pathway(program=mentor.program_id)
    same_day = mentor.certifications.filter(issued_on=issued_on).first()
    if same_day:
        return same_day
    record = selectors.training_record(mentor)
    if record.still_required:
        raise DomainError(
            _("Required training is not complete yet: %(modules)s.")
            % {"modules": ", ".join(m.module.name for m in record.still_required)}
        )
    if record.hours_short > 0:
        raise DomainError(
            _("The program asks for at least %(hours)s hours of training first.")
            % {"hours": record.settings.training_hours_before_first_match}
        )
    return Certification.objects.create(
        mentor=mentor,
        issued_on=issued_on,
        expires_on=issued_on + datetime.timedelta(days=record.settings.certification_valid_days),
        issued_by=actor,
    )


@transaction.atomic
def record_employment_outcome(
    *,
    actor: User,
    mentor: MentorProfile,
    kind: str,
    started_on: datetime.date,
    employer: str = "",
    ended_on: datetime.date | None = None,
) -> EmploymentOutcome:
    ensure_staff(actor, mentor.program)
    _not_future(started_on, "started_on")
    _not_future(ended_on, "ended_on")
    if ended_on and ended_on < started_on:
        raise DomainError(_("The end cannot be before the start."), field="ended_on")
    if kind not in EmploymentOutcome.Kind.values:
        raise DomainError(_("Choose an outcome from the list."), field="kind")
    outcome, _created = EmploymentOutcome.objects.get_or_create(
        mentor=mentor,
        kind=kind,
        started_on=started_on,
        defaults={"employer": employer.strip(), "ended_on": ended_on, "recorded_by": actor},
    )
    return outcome


def supervisors_of(program_id: int):
    return User.objects.filter(
        memberships__program_id=program_id,
        memberships__role=Membership.Role.SUPERVISOR,
        memberships__is_active=True,
        is_active=True,
    ).distinct()


@transaction.atomic
def submit_wellbeing_checkin(
    *, user: User, mentor: MentorProfile, feeling: str, note: str = "", wants_contact=False
) -> WellbeingCheckIn:
    """A mentor's private check-in on their own recovery. Asking for contact notifies the
    program's supervisors (the notification carries no words of the check-in)."""
    if mentor.user_id != user.pk:
        raise DomainError(_("Only the mentor can write their own check-in."))
    if feeling not in WellbeingCheckIn.Feeling.values:
        raise DomainError(_("Choose how you are doing."), field="feeling")
    checkin = WellbeingCheckIn.objects.create(
        mentor=mentor, feeling=feeling, note=note.strip(), wants_contact=bool(wants_contact)
    )
    if checkin.wants_contact:
        for supervisor in supervisors_of(mentor.program_id):
            queue_notification(
                recipient=supervisor,
                kind="mentor_wellbeing_contact",
                key=f"wellbeing-contact:{checkin.pk}",
                subject=mentor,
            )
    return checkin


def invitation_blockers(mentee: MenteeProfile) -> list[str]:
    """Why this mentee cannot be invited to become a mentor yet (empty: they can)."""
    reasons = []
    for blocker in INVITATION_BLOCKERS:
        reasons.extend(blocker(mentee))
    settings = selectors.pathway_settings(mentee.program_id)
    needed = settings.min_days_in_recovery
    if needed:
        start = mentee.recovery_start
        if start is None or (timezone.localdate() - start).days < needed:
            reasons.append(
                _("The program asks for at least %(days)d days in recovery.") % {"days": needed}
            )
    if MentorProfile.objects.filter(user_id=mentee.user_id, program_id=mentee.program_id).exists():
        reasons.append(_("They are already a mentor or an applicant in this program."))
    return reasons


@transaction.atomic
def invite_to_become_mentor(*, actor: User, mentee: MenteeProfile) -> MentorInvitation:
    ensure_coordinator(actor, mentee.program_id)
    mentee = MenteeProfile.objects.select_for_update().get(pk=mentee.pk)
    existing = MentorInvitation.objects.filter(mentee=mentee).first()
    if existing:
        return existing
    blockers = invitation_blockers(mentee)
    if blockers:
        raise DomainError(" ".join(blockers))
    invitation = MentorInvitation.objects.create(mentee=mentee, invited_by=actor)
    queue_notification(
        recipient=mentee.user,
        kind="mentor_invitation",
        key=f"mentor-invitation:{invitation.pk}",
        subject=invitation,
    )
    return invitation


@transaction.atomic
def apply_from_invitation(
    *, user: User, invitation: MentorInvitation, motivation: str = ""
) -> MentorProfile:
    """The invited mentee applies with their own account; their mentor profile starts from
    what their mentee profile holds, and their mentee history stays as it is."""
    invitation = MentorInvitation.objects.select_for_update().get(pk=invitation.pk)
    mentee = invitation.mentee
    if mentee.user_id != user.pk:
        raise DomainError(_("This invitation is for someone else."))
    if invitation.accepted_at:
        raise DomainError(_("You have already applied with this invitation."))
    profile = {name: getattr(mentee, name) for name in CARRIED_FIELDS}
    mentor = _open_application(
        program=mentee.program,
        user=user,
        source=Application.Source.INVITATION,
        motivation=motivation.strip(),
        entered_by=user,
        invitation=invitation,
        profile=profile,
    )
    for name in CARRIED_TERMS:
        getattr(mentor, name).set(getattr(mentee, name).all())
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    queue_notification(
        recipient=user,
        kind="mentor_application_received",
        key=f"mentor-application:{mentor.pk}",
        subject=mentor,
        channels=["email"],
    )
    return mentor


def remind_expiring_certifications(*, today: datetime.date | None = None) -> int:
    """Queue reminders to the mentor and the program's coordinators for certifications that
    expire within the program's reminder window, and again a week before. Unique keys make a
    re-run queue nothing new. Returns how many certifications are in a reminder window."""
    today = today or timezone.localdate()
    windows = dict(PathwaySettings.objects.values_list("program_id", "certification_reminder_days"))
    horizon = today + datetime.timedelta(days=max([30, *windows.values()]))
    latest = {}
    for cert in (
        Certification.objects.filter(expires_on__gte=today, expires_on__lte=horizon)
        .exclude(mentor__status=Status.INACTIVE)
        .select_related("mentor__user", "mentor__program")
        .order_by("mentor_id", "-expires_on")
    ):
        latest.setdefault(cert.mentor_id, cert)
    # A later certification already issued makes the reminder pointless.
    renewed = set(
        Certification.objects.filter(mentor_id__in=latest, expires_on__gt=horizon).values_list(
            "mentor_id", flat=True
        )
    )
    coordinators: dict[int, list[User]] = {}
    reminded = 0
    for cert in latest.values():
        if cert.mentor_id in renewed:
            continue
        window = windows.get(cert.mentor.program_id, 30)
        left = cert.days_left(today)
        if left > window:
            continue
        stage = "week" if left <= 7 else "first"
        program_id = cert.mentor.program_id
        if program_id not in coordinators:
            coordinators[program_id] = list(
                User.objects.filter(
                    memberships__program_id=program_id,
                    memberships__role=Membership.Role.COORDINATOR,
                    memberships__is_active=True,
                    is_active=True,
                ).distinct()
            )
        with transaction.atomic():
            for recipient in [cert.mentor.user, *coordinators[program_id]]:
                queue_notification(
                    recipient=recipient,
                    kind="certification_expiring",
                    key=f"certification-expiring:{cert.pk}:{stage}",
                    subject=cert,
                )
        reminded += 1
    return reminded
