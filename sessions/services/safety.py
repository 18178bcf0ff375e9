"""Safety alerts: raising one, escalating it when nobody answers, and working it to an end.

- ``raise_safety_alert`` creates the alert and, in the same transaction, queues an alert on
  every channel (email and in-app, whatever the person's reminder settings) to the program's
  on-call supervisors, or to every supervisor of the program when none is on call.
- ``escalate_overdue_alerts`` (a beat task runs it every minute) finds alerts still open,
  unacknowledged, past the program's escalation time (30 minutes unless the program's crisis
  settings say otherwise) and alerts every supervisor of the program and of its center, once:
  the alert's ``escalated_at`` and the outbox rows' unique keys make a re-run a no-op.
- A supervisor acknowledges an alert, works it (notes, contact attempts) and resolves it with
  an outcome. Each step is a change to an audited model (``accounts.audit``), so the audit
  log holds who did what and when; the notes themselves are encrypted and masked there.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, MenteeProfile, Notification, Program, User
from accounts.services import DomainError, queue_notification
from sessions.models import ContactAttempt, CrisisSettings, SafetyAlert, SafetyAlertNote

ALERT_CHANNELS = [Notification.Channel.EMAIL, Notification.Channel.IN_APP]
# A contact attempt may be recorded a few minutes "in the future" (clocks differ a little).
CLOCK_SKEW = datetime.timedelta(minutes=5)
# The same note or attempt sent twice within this time is one (a double submit).
DUPLICATE_WINDOW = datetime.timedelta(minutes=2)
NOTE_MAX_LENGTH = SafetyAlertNote._meta.get_field("text").max_length


def _supervisors(program_filter: Q) -> list[User]:
    return list(
        User.objects.filter(
            program_filter,
            is_active=True,
            memberships__role=Membership.Role.SUPERVISOR,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def program_supervisors(program_id: int) -> list[User]:
    return _supervisors(Q(memberships__program_id=program_id))


def center_supervisors(program_id: int) -> list[User]:
    """Every supervisor of any program of the center that runs ``program_id``."""
    center_id = Program.objects.filter(pk=program_id).values("center_id")
    return _supervisors(Q(memberships__program__center_id__in=center_id))


def crisis_settings_for(program_id: int) -> CrisisSettings | None:
    return CrisisSettings.objects.filter(program_id=program_id).first()


def on_call_supervisors(program_id: int) -> list[User]:
    """The program's on-call supervisors who still supervise it; all its supervisors when
    none is configured (or none of them is still a supervisor here)."""
    supervisors = program_supervisors(program_id)
    crisis = crisis_settings_for(program_id)
    if crisis is not None:
        on_call = set(crisis.on_call_supervisors.values_list("pk", flat=True))
        chosen = [user for user in supervisors if user.pk in on_call]
        if chosen:
            return chosen
    return supervisors


def escalation_minutes(program_id: int) -> int:
    crisis = crisis_settings_for(program_id)
    return crisis.escalation_minutes if crisis else CrisisSettings.DEFAULT_ESCALATION_MINUTES


@transaction.atomic
def raise_safety_alert(
    *,
    mentee: MenteeProfile,
    source: str,
    session=None,
    raised_by: User | None = None,
) -> SafetyAlert:
    """Create an open alert and queue an immediate notification to each on-call supervisor of
    the mentee's program on every channel (safety alerts ignore channel preferences)."""
    if source not in SafetyAlert.Source.values:
        raise DomainError(_("Unknown source of a safety alert."))
    alert = SafetyAlert.objects.create(
        program_id=mentee.program_id,
        mentee=mentee,
        source=source,
        session=session,
        raised_by=raised_by,
    )
    for supervisor in on_call_supervisors(mentee.program_id):
        queue_notification(
            recipient=supervisor,
            kind="safety_alert",
            subject=alert,
            key=f"safety-alert:{alert.pk}",
            channels=ALERT_CHANNELS,
        )
    return alert


# --- Escalation -------------------------------------------------------------------------------


def escalation_due_at(alert: SafetyAlert, minutes: int) -> datetime.datetime:
    return alert.raised_at + datetime.timedelta(minutes=minutes)


def escalate_overdue_alerts(*, now: datetime.datetime | None = None) -> int:
    """Escalate every open, unacknowledged alert past its program's escalation time.
    Returns how many were escalated now. Safe to run on several workers at once."""
    now = now or timezone.now()
    candidates = SafetyAlert.objects.filter(
        status=SafetyAlert.Status.OPEN,
        escalated_at__isnull=True,
        # No program escalates sooner than the smallest allowed setting.
        raised_at__lte=now - datetime.timedelta(minutes=5),
    ).values_list("pk", "program_id", "raised_at")
    minutes_by_program = dict(
        CrisisSettings.objects.values_list("program_id", "escalation_minutes")
    )
    escalated = 0
    for pk, program_id, raised_at in candidates:
        minutes = minutes_by_program.get(program_id, CrisisSettings.DEFAULT_ESCALATION_MINUTES)
        if raised_at + datetime.timedelta(minutes=minutes) <= now and escalate_alert(
            alert_id=pk, now=now
        ):
            escalated += 1
    return escalated


@transaction.atomic
def escalate_alert(*, alert_id: int, now: datetime.datetime | None = None) -> bool:
    """Alert every supervisor of the program and of its center, if the alert is still open,
    unacknowledged, unescalated and overdue. True when it escalated now."""
    now = now or timezone.now()
    alert = SafetyAlert.objects.select_for_update().filter(pk=alert_id).first()
    if (
        alert is None
        or alert.status != SafetyAlert.Status.OPEN
        or alert.escalated_at is not None
        or escalation_due_at(alert, escalation_minutes(alert.program_id)) > now
    ):
        return False
    alert.escalated_at = now
    alert.save(update_fields=["escalated_at"])
    recipients = {user.pk: user for user in program_supervisors(alert.program_id)}
    recipients.update({user.pk: user for user in center_supervisors(alert.program_id)})
    for supervisor in recipients.values():
        queue_notification(
            recipient=supervisor,
            kind="safety_alert_escalated",
            subject=alert,
            key=f"safety-escalation:{alert.pk}",
            channels=ALERT_CHANNELS,
        )
    return True


# --- Working an alert ---------------------------------------------------------------------


def may_work_alert(user: User, alert: SafetyAlert) -> bool:
    """Supervisors of the program; once escalated, supervisors of its center too."""
    if user.is_superuser:
        return True
    if not user.is_active:
        return False
    return SafetyAlert.objects.visible_to(user).filter(pk=alert.pk).exists()


def _locked_alert(actor: User, alert: SafetyAlert, doing) -> SafetyAlert:
    if not may_work_alert(actor, alert):
        raise DomainError(_("Only a supervisor of the program can %(doing)s.") % {"doing": doing})
    return SafetyAlert.objects.select_for_update().get(pk=alert.pk)


def _check_not_resolved(alert: SafetyAlert) -> None:
    if alert.status == SafetyAlert.Status.RESOLVED:
        raise DomainError(_("This alert is already resolved."))


def _take_on(alert: SafetyAlert, actor: User, now: datetime.datetime, status: str) -> None:
    """Working an alert acknowledges it (which stops its escalation)."""
    fields = ["status"]
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now
        alert.acknowledged_by = actor
        fields += ["acknowledged_at", "acknowledged_by"]
    alert.status = status
    alert.save(update_fields=fields)


@transaction.atomic
def acknowledge_alert(*, actor: User, alert: SafetyAlert) -> SafetyAlert:
    """A supervisor has seen the alert and takes it on."""
    alert = _locked_alert(actor, alert, _("acknowledge safety alerts"))
    if alert.status != SafetyAlert.Status.OPEN:
        raise DomainError(
            _("This alert is already %(status)s.") % {"status": alert.get_status_display().lower()}
        )
    _take_on(alert, actor, timezone.now(), SafetyAlert.Status.ACKNOWLEDGED)
    return alert


def _clean_text(text: str, *, field: str, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise DomainError(_("Please write the note."), field=field)
    if len(text) > NOTE_MAX_LENGTH:
        raise DomainError(
            _("Please keep the note under %(max)d characters.") % {"max": NOTE_MAX_LENGTH},
            field=field,
        )
    return text


@transaction.atomic
def add_alert_note(*, actor: User, alert: SafetyAlert, text: str) -> SafetyAlertNote:
    """A note on working the alert; the alert is now being worked."""
    text = _clean_text(text, field="text", required=True)
    alert = _locked_alert(actor, alert, _("work on safety alerts"))
    _check_not_resolved(alert)
    now = timezone.now()
    # A double submit saves one note (the text is encrypted, so compared here, not in SQL).
    for recent in SafetyAlertNote.objects.filter(
        alert=alert, author=actor, created_at__gte=now - DUPLICATE_WINDOW
    ):
        if recent.text == text:
            return recent
    note = SafetyAlertNote.objects.create(alert=alert, author=actor, text=text, created_at=now)
    _take_on(alert, actor, now, SafetyAlert.Status.IN_PROGRESS)
    return note


@transaction.atomic
def record_contact_attempt(
    *,
    actor: User,
    alert: SafetyAlert,
    attempted_at: datetime.datetime,
    method: str,
    result: str,
    note: str = "",
) -> ContactAttempt:
    """Someone tried to reach the mentee: when, how and with what result."""
    if method not in ContactAttempt.Method.values:
        raise DomainError(_("Choose how you tried to make contact."), field="method")
    if result not in ContactAttempt.Result.values:
        raise DomainError(_("Choose what happened."), field="result")
    note = _clean_text(note, field="note", required=False)
    alert = _locked_alert(actor, alert, _("work on safety alerts"))
    _check_not_resolved(alert)
    now = timezone.now()
    if attempted_at > now + CLOCK_SKEW:
        raise DomainError(_("A contact attempt cannot be in the future."), field="attempted_at")
    if attempted_at < alert.raised_at - datetime.timedelta(days=1):
        raise DomainError(
            _("This is long before the alert was raised. Please check the date."),
            field="attempted_at",
        )
    duplicate = ContactAttempt.objects.filter(
        alert=alert,
        made_by=actor,
        attempted_at=attempted_at,
        method=method,
        result=result,
        created_at__gte=now - DUPLICATE_WINDOW,
    ).first()
    if duplicate is not None:
        return duplicate
    attempt = ContactAttempt.objects.create(
        alert=alert,
        made_by=actor,
        attempted_at=attempted_at,
        method=method,
        result=result,
        note=note,
        created_at=now,
    )
    _take_on(alert, actor, now, SafetyAlert.Status.IN_PROGRESS)
    return attempt


@transaction.atomic
def resolve_alert(
    *, actor: User, alert: SafetyAlert, outcome: str = "", note: str = ""
) -> SafetyAlert:
    """The concern has been dealt with, with this outcome; the alert leaves the supervisors'
    homes. An optional closing note is kept with the alert's notes."""
    if outcome not in SafetyAlert.Outcome.values:
        raise DomainError(_("Choose the outcome."), field="outcome")
    note = _clean_text(note, field="note", required=False)
    alert = _locked_alert(actor, alert, _("resolve safety alerts"))
    _check_not_resolved(alert)
    now = timezone.now()
    if note:
        SafetyAlertNote.objects.create(alert=alert, author=actor, text=note, created_at=now)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now
        alert.acknowledged_by = actor
    alert.status = SafetyAlert.Status.RESOLVED
    alert.outcome = outcome
    alert.resolved_at = now
    alert.resolved_by = actor
    alert.save(
        update_fields=[
            "status",
            "outcome",
            "resolved_at",
            "resolved_by",
            "acknowledged_at",
            "acknowledged_by",
        ]
    )
    return alert


@transaction.atomic
def save_crisis_settings(
    *,
    actor: User,
    program: Program,
    on_call_phone: str,
    on_call_supervisors: list[User],
    escalation_minutes: int,
) -> CrisisSettings:
    """A supervisor of the program sets its on-call number, on-call supervisors (who must be
    supervisors of the program) and escalation time."""
    if not (actor.is_superuser or program.pk in actor.program_ids_with_role("supervisor")):
        raise DomainError(_("Only a supervisor of the program can change its crisis settings."))
    allowed = {user.pk for user in program_supervisors(program.pk)}
    if any(user.pk not in allowed for user in on_call_supervisors):
        raise DomainError(
            _("On-call supervisors must be supervisors of this program."),
            field="on_call_supervisors",
        )
    crisis, _created = CrisisSettings.objects.select_for_update().get_or_create(program=program)
    crisis.on_call_phone = (on_call_phone or "").strip()
    crisis.escalation_minutes = escalation_minutes
    try:
        crisis.full_clean(exclude=["program"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=field) from None
    crisis.save()
    crisis.on_call_supervisors.set(on_call_supervisors)
    return crisis
