"""Celery tasks for evaluation reports and stakeholder invitations (re-exported by
``evaluation.tasks`` so that autodiscovery finds them). They take ids and are idempotent."""

from celery import shared_task
from django.utils import timezone

from evaluation.services import reports, stakeholders


@shared_task(ignore_result=True, acks_late=True)
def build_evaluation_report(report_id: int) -> None:
    """Build one report; a ready or signed report is left as it is."""
    reports.build_report(report_id=report_id)


@shared_task(ignore_result=True)
def build_periodic_reports() -> int:
    """Beat, hourly: last month's and last quarter's report per program, created once."""
    return len(reports.ensure_periodic_reports(today=timezone.localdate()))


@shared_task(ignore_result=True)
def invite_stakeholders() -> int:
    """Beat, daily: this quarter's invitation to each consented case manager, sent once."""
    return len(stakeholders.invite_stakeholders(today=timezone.localdate()))
