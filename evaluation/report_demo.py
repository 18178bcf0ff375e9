"""The demo's evaluation reports: last month's monthly report of each demo program, built
now, so the demo supervisor finds one to read, download and sign; and one stakeholder meeting
note per program, dated last month, which that report lists."""

import datetime

from django.utils import timezone

from accounts.models import Membership, Program
from evaluation.models import EvaluationReport, StakeholderMeetingNote
from evaluation.services import reports


def build_reports(*, writer, mentors, mentees) -> dict:
    start, end = reports.month_before(timezone.localdate())
    program_ids = {plan.profile.program_id for plan in mentees if plan.profile is not None}
    built = 0
    for program in Program.objects.filter(pk__in=program_ids).order_by("pk"):
        coordinator = (
            Membership.objects.filter(program=program, role=Membership.Role.COORDINATOR)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if coordinator is not None:
            StakeholderMeetingNote.objects.get_or_create(
                program=program,
                met_on=start + datetime.timedelta(days=14),
                defaults={
                    "attendee_roles": ["clinician", "case_manager", "peer_provider"],
                    "summary": "Case managers asked for a short monthly update on shared "
                    "mentees; clinicians welcomed the goal summaries.",
                    "follow_up_actions": "Send case managers the quarterly progress form; "
                    "invite the transition team to the next meeting.",
                    "recorded_by": coordinator.user,
                },
            )
        report, _created = EvaluationReport.objects.get_or_create(
            program=program,
            kind=EvaluationReport.Kind.MONTHLY,
            period_start=start,
            period_end=end,
            defaults={"steps_total": len(reports.STEPS)},
        )
        reports.build_report(report_id=report.pk)
        built += 1
    return {"evaluation reports": built}
