"""Matching's beat tasks. They write outbox rows with unique keys, so a second run (or a second
beat) queues nothing new; the accounts sweep delivers the rows."""

from celery import shared_task

from matching import reminders


@shared_task(ignore_result=True)
def queue_match_reminders() -> int:
    """Hourly: check-ins due and active matches with no recent session, to coordinators."""
    return reminders.queue_match_reminders()


@shared_task(ignore_result=True)
def queue_approval_digests() -> int:
    """Daily: one digest per supervisor with proposed matches waiting."""
    return reminders.queue_approval_digests()
