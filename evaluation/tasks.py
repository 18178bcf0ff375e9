"""Background work of evaluation. Only ids travel through the broker, never answers.

Measures part: a daily sweep that marks measures missed once their answering window has run
out. Reminders need no task of their own: they are outbox rows queued with the schedule,
delivered by the outbox sweep when due, and skipped once the questions are answered.
"""

from celery import shared_task

from evaluation.services import measures


@shared_task(ignore_result=True, acks_late=True)
def mark_missed_measures() -> int:
    """Idempotent: a measure already missed (or answered) is left as it is."""
    return measures.mark_missed_administrations()


# Reports and stakeholder invitations (defined in report_tasks, registered through this module).
from evaluation.report_tasks import (  # noqa: E402, F401
    build_evaluation_report,
    build_periodic_reports,
    invite_stakeholders,
)
