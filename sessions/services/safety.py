"""Raising a safety alert: the record, and an alert to every supervisor of the program on
every channel, in the transaction of whatever raised it."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, MenteeProfile, Notification, User
from accounts.services import DomainError, queue_notification
from sessions.models import SafetyAlert


def program_supervisors(program_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__program_id=program_id,
            memberships__role=Membership.Role.SUPERVISOR,
            memberships__is_active=True,
        ).distinct()
    )


@transaction.atomic
def raise_safety_alert(
    *,
    mentee: MenteeProfile,
    source: str,
    session=None,
    raised_by: User | None = None,
) -> SafetyAlert:
    """Create an open alert and queue an immediate notification to each supervisor of the
    mentee's program on every channel (safety alerts ignore channel preferences)."""
    alert = SafetyAlert.objects.create(
        program_id=mentee.program_id,
        mentee=mentee,
        source=source,
        session=session,
        raised_by=raised_by,
    )
    for supervisor in program_supervisors(mentee.program_id):
        queue_notification(
            recipient=supervisor,
            kind="safety_alert",
            subject=alert,
            key=f"safety-alert:{alert.pk}",
            channels=[Notification.Channel.EMAIL, Notification.Channel.IN_APP],
        )
    return alert


# --- Working an alert (minimal: a later part adds escalation and the record of the work) --


def _locked_alert(actor: User, alert: SafetyAlert, doing) -> SafetyAlert:
    if not (actor.is_superuser or alert.program_id in actor.program_ids_with_role("supervisor")):
        raise DomainError(_("Only a supervisor of the program can %(doing)s.") % {"doing": doing})
    return SafetyAlert.objects.select_for_update().get(pk=alert.pk)


@transaction.atomic
def acknowledge_alert(*, actor: User, alert: SafetyAlert) -> SafetyAlert:
    """A supervisor has seen the alert and takes it on (the audit log records who and when)."""
    alert = _locked_alert(actor, alert, _("acknowledge safety alerts"))
    if alert.status != SafetyAlert.Status.OPEN:
        raise DomainError(
            _("This alert is already %(status)s.") % {"status": alert.get_status_display().lower()}
        )
    alert.status = SafetyAlert.Status.ACKNOWLEDGED
    alert.save(update_fields=["status"])
    return alert


@transaction.atomic
def resolve_alert(*, actor: User, alert: SafetyAlert) -> SafetyAlert:
    """The concern has been dealt with; the alert leaves the supervisors' homes."""
    alert = _locked_alert(actor, alert, _("resolve safety alerts"))
    if alert.status == SafetyAlert.Status.RESOLVED:
        raise DomainError(_("This alert is already resolved."))
    alert.status = SafetyAlert.Status.RESOLVED
    alert.save(update_fields=["status"])
    return alert
