from celery import shared_task

from accounts.pathway import services


@shared_task(ignore_result=True, acks_late=True)
def remind_expiring_certifications() -> int:
    """Beat queues this daily; the reminders' unique keys make a second run queue nothing."""
    return services.remind_expiring_certifications()
