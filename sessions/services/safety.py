"""Raising a safety alert: the record, and an alert to every supervisor of the program on
every channel, in the transaction of whatever raised it."""

from django.db import transaction

from accounts.models import Membership, MenteeProfile, Notification, User
from accounts.services import queue_notification
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
