"""Permission-matrix entries for the dashboards, reports, research export and stakeholder
routes. The public one-time link (``evaluation:stakeholder_link``) is in ``EXEMPT``; its rules
are tested in ``test_stakeholders.py``."""

from django.urls import reverse
from django.utils import timezone

from evaluation.models import EvaluationReport, StakeholderInvitation
from evaluation.services import reports
from tests.matrix import PERSONAS, Route


def only(**allowed: int) -> dict[str, int]:
    """Everyone signed in gets 404 except the personas named."""
    return {persona: allowed.get(persona, 404) for persona in PERSONAS if persona != "anonymous"}


def ready_report(c) -> EvaluationReport:
    start, end = reports.month_before(timezone.localdate())
    # One report per program and period (a database constraint): several routes share it.
    report, _created = EvaluationReport.objects.get_or_create(
        program=c.program, kind="monthly", period_start=start, period_end=end
    )
    if report.status == EvaluationReport.Status.READY:
        return report
    return reports.build_report(report_id=report.pk)


def invitation(c) -> StakeholderInvitation:
    return StakeholderInvitation.objects.create(
        program=c.program, mentee=c.mentee_profile, recipient=c.case_manager, period="2026-Q4"
    )


def report_url(name: str):
    return lambda c: reverse(f"evaluation:{name}", args=[ready_report(c).pk])


ROUTES: dict[str, Route] = {
    "evaluation:dashboard": Route(lambda c: reverse("evaluation:dashboard"), only(supervisor=200)),
    "evaluation:caseload": Route(
        lambda c: reverse("evaluation:caseload"),
        only(coordinator=200, outsider=200),
        owner_marker="mentee",
        lists_many=True,
    ),
    "evaluation:my_mentees": Route(
        lambda c: reverse("evaluation:my_mentees"), only(mentor=200, mentor2=200)
    ),
    "evaluation:report_list": Route(
        lambda c: reverse("evaluation:report_list"), only(supervisor=200)
    ),
    "evaluation:report_new": Route(
        lambda c: reverse("evaluation:report_new"), only(supervisor=200)
    ),
    "evaluation:report_detail": Route(report_url("report_detail"), only(supervisor=200)),
    # A plain GET (no htmx) is sent on to the report's page, which shows the progress.
    "evaluation:report_status": Route(report_url("report_status"), only(supervisor=302)),
    "evaluation:report_pdf": Route(report_url("report_pdf"), only(supervisor=200)),
    "evaluation:report_csv": Route(report_url("report_csv"), only(supervisor=200)),
    "evaluation:report_comment": Route(
        report_url("report_comment"),
        only(supervisor=302),
        method="post",
        data=lambda c: {"text": "Retention looks better this month."},
    ),
    "evaluation:report_sign_off": Route(
        report_url("report_sign_off"), only(supervisor=302), method="post"
    ),
    "evaluation:research_export": Route(
        lambda c: reverse("evaluation:research_export"), only(supervisor=200)
    ),
    "evaluation:stakeholder_respond": Route(
        lambda c: reverse("evaluation:stakeholder_respond", args=[invitation(c).pk]),
        only(case_manager=200),
    ),
    "evaluation:meeting_notes": Route(
        lambda c: reverse("evaluation:meeting_notes", args=[c.program.pk]),
        only(coordinator=200, supervisor=200),
    ),
    "evaluation:meeting_note_new": Route(
        lambda c: reverse("evaluation:meeting_note_new", args=[c.program.pk]),
        only(coordinator=200),
    ),
}
