"""Background work of the sessions app. Only ids and nothing else travel through the broker."""

from celery import shared_task

from sessions.services.safety import escalate_overdue_alerts


@shared_task(ignore_result=True, acks_late=True)
def escalate_safety_alerts() -> int:
    """Beat runs this every minute: alerts nobody acknowledged in time go to every supervisor
    of the program and of its center. Idempotent: an alert escalates once."""
    return escalate_overdue_alerts()
