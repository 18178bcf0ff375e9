"""Periodic evaluation reports: creating them (by beat or on demand), building them step by
step, commenting and signing off.

A report is created in state "building" and built by ``evaluation.report_tasks.build_report``
after the creating transaction commits. The build records each real step on the row
(``step``, ``steps_total``, ``step_label``) in its own short UPDATE, so the progress bar a
supervisor watches moves as the work moves. Building is idempotent: a ready or signed report is
left as it is, so a task delivered twice does nothing the second time.

A signed report never changes: ``add_report_comment`` and ``sign_off_report`` refuse, the
build skips it, and on PostgreSQL a trigger refuses any UPDATE or DELETE of a signed row.
"""

import csv
import datetime
import io
import logging

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership, Program, User
from accounts.services import DomainError, queue_notification
from evaluation import metrics
from evaluation.models import (
    EvaluationReport,
    ReportComment,
    StakeholderMeetingNote,
    StakeholderResponse,
)

logger = logging.getLogger(__name__)

Kind = EvaluationReport.Kind
Status = EvaluationReport.Status

# The build's real steps, in order: (key, what the progress bar says).
STEPS = (
    ("matches", gettext_lazy("Counting referrals, matches, retention and closures")),
    ("sessions", gettext_lazy("Counting sessions, feedback and check-ins")),
    ("measures", gettext_lazy("Summarizing outcome measures")),
    ("stakeholders", gettext_lazy("Summarizing stakeholder feedback and meetings")),
    ("comparison", gettext_lazy("Comparing with the previous period")),
)


# --- Periods ------------------------------------------------------------------------------


def month_before(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The calendar month before the one ``day`` is in."""
    end = day.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def quarter_before(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The calendar quarter before the one ``day`` is in."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    end = day.replace(month=first_month, day=1) - datetime.timedelta(days=1)
    start = end.replace(month=3 * ((end.month - 1) // 3) + 1, day=1)
    return start, end


def previous_period(report: EvaluationReport) -> tuple[datetime.date, datetime.date]:
    if report.kind == Kind.MONTHLY:
        return month_before(report.period_start)
    if report.kind == Kind.QUARTERLY:
        return quarter_before(report.period_start)
    length = report.period_end - report.period_start
    end = report.period_start - datetime.timedelta(days=1)
    return end - length, end


def check_period(*, start: datetime.date, end: datetime.date, today: datetime.date) -> None:
    """The one rule for a report period, shared by the form and the service."""
    if end < start:
        raise DomainError(_("The period must end on or after the day it starts."), field="end")
    if end > today:
        raise DomainError(
            _("The period cannot end in the future: choose an end date up to today."),
            field="end",
        )


# --- Creating -----------------------------------------------------------------------------


def _queue_build(report_id: int) -> None:
    def queue():
        from evaluation.report_tasks import build_evaluation_report

        try:
            build_evaluation_report.delay(report_id)
        except Exception as exc:  # noqa: BLE001 - the hourly sweep builds what is left over
            logger.warning("broker unavailable, report %s waits for the sweep (%s)", report_id, exc)

    transaction.on_commit(queue)


def _create(*, program: Program, kind: str, start, end, requested_by=None):
    """The report for this program, kind and period: the existing one, or a new one in
    state "building" (with its build queued). A failed one is queued again."""
    try:
        with transaction.atomic():
            report, created = EvaluationReport.objects.get_or_create(
                program=program,
                kind=kind,
                period_start=start,
                period_end=end,
                defaults={"requested_by": requested_by, "steps_total": len(STEPS)},
            )
    except IntegrityError:  # a concurrent request created it first
        report = EvaluationReport.objects.get(
            program=program, kind=kind, period_start=start, period_end=end
        )
        created = False
    if report.status == Status.FAILED:
        EvaluationReport.objects.filter(pk=report.pk, status=Status.FAILED).update(
            status=Status.BUILDING, step=0, step_label="", error=""
        )
        report.refresh_from_db()
        created = True
    if created:
        _queue_build(report.pk)
    return report, created


def ensure_periodic_reports(*, today: datetime.date | None = None) -> list[int]:
    """Beat: last month's and last quarter's report for every active program, once each (the
    unique constraint makes a re-run create nothing). Reports still "building" after an hour
    (a lost task) are queued again. Returns the ids of the reports queued."""
    today = today or timezone.localdate()
    queued = []
    periods = {Kind.MONTHLY: month_before(today), Kind.QUARTERLY: quarter_before(today)}
    for program in Program.objects.filter(is_active=True).order_by("pk"):
        for kind, (start, end) in periods.items():
            report, created = _create(program=program, kind=kind, start=start, end=end)
            if created:
                queued.append(report.pk)
    stale = EvaluationReport.objects.filter(
        status=Status.BUILDING, created_at__lt=timezone.now() - datetime.timedelta(hours=1)
    ).exclude(pk__in=queued)
    for report_id in stale.values_list("pk", flat=True):
        _queue_build(report_id)
        queued.append(report_id)
    return queued


def request_report(
    *,
    actor: User,
    program: Program,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
) -> EvaluationReport:
    """An on-demand report for any past period. Asking twice for the same period returns the
    same report (a double submit creates nothing new)."""
    if not (actor.is_superuser or program.pk in actor.program_ids_with_role("supervisor")):
        raise DomainError(_("Only the program's supervisors can build its reports."))
    check_period(start=start, end=end, today=today or timezone.localdate())
    report, _created = _create(
        program=program, kind=Kind.ON_DEMAND, start=start, end=end, requested_by=actor
    )
    return report


# --- Building -----------------------------------------------------------------------------


def _record_step(report: EvaluationReport, index: int) -> None:
    key, label = STEPS[index]
    EvaluationReport.objects.filter(pk=report.pk, signed_off_at__isnull=True).update(
        step=index, steps_total=len(STEPS), step_label=str(label)
    )


def stakeholder_summary(program_id: int, start, end) -> dict:
    responses = StakeholderResponse.objects.filter(
        invitation__program_id=program_id,
        submitted_at__date__gte=start,
        submitted_at__date__lte=end,
    )
    agg = responses.aggregate(
        count=Count("pk"),
        progress=Avg("progress"),
        working=Avg("working_together"),
        informed=Count("pk", filter=Q(kept_informed=True)),
        wants_contact=Count("pk", filter=Q(wants_contact=True)),
    )
    roles = dict(StakeholderMeetingNote.Role.choices)
    notes = StakeholderMeetingNote.objects.filter(
        program_id=program_id, met_on__gte=start, met_on__lte=end
    ).order_by("met_on", "pk")
    return {
        "responses": agg["count"],
        "mean_progress": metrics.rounded(agg["progress"], 2),
        "mean_working_together": metrics.rounded(agg["working"], 2),
        "kept_informed_percent": metrics.share(agg["informed"], agg["count"]),
        "wants_contact": agg["wants_contact"],
        "meetings": [
            {
                "met_on": note.met_on.isoformat(),
                "roles": [str(roles.get(role, role)) for role in note.attendee_roles],
                "summary": note.summary,
                "follow_up_actions": note.follow_up_actions,
            }
            for note in notes
        ],
    }


def _comparison(report: EvaluationReport, current: dict) -> dict:
    start, end = previous_period(report)
    earlier = (
        EvaluationReport.objects.filter(
            program_id=report.program_id,
            kind=report.kind,
            period_start=start,
            period_end=end,
            status=Status.READY,
        )
        .values_list("snapshot", flat=True)
        .first()
    )
    if not earlier:
        scope = metrics.Scope(
            programs=Program.objects.filter(pk=report.program_id), start=start, end=end
        )
        earlier = metrics.figures(scope)
    before = metrics.headline_values(earlier)
    now = metrics.headline_values(current)
    rows = []
    for section, key, label in metrics.HEADLINES:
        name = f"{section}.{key}"
        change = None
        if now[name] is not None and before[name] is not None:
            change = round(now[name] - before[name], 2)
        rows.append(
            {
                "key": name,
                "label": str(label),
                "now": now[name],
                "before": before[name],
                "change": change,
            }
        )
    return {"start": start.isoformat(), "end": end.isoformat(), "rows": rows}


def build_report(*, report_id: int) -> EvaluationReport | None:
    """Compute the snapshot, step by step, then mark the report ready and tell the
    supervisors. Does nothing to a report that is ready, signed or gone."""
    report = EvaluationReport.objects.filter(pk=report_id).select_related("program").first()
    if report is None or report.status == Status.READY or report.is_signed:
        return report
    EvaluationReport.objects.filter(pk=report.pk).update(status=Status.BUILDING, error="")
    scope = metrics.Scope(
        programs=Program.objects.filter(pk=report.program_id),
        start=report.period_start,
        end=report.period_end,
    )
    try:
        _record_step(report, 0)
        snapshot = {
            "period": {"start": scope.start.isoformat(), "end": scope.end.isoformat()},
            "program": report.program.name,
            "waiting": metrics.waiting_figures(scope),
            "matches": metrics.match_figures(scope),
            "pathway": metrics.pathway_figures(scope),
        }
        _record_step(report, 1)
        snapshot["sessions"] = metrics.session_figures(scope, snapshot["matches"]["active"])
        snapshot["feedback"] = metrics.feedback_figures(scope)
        snapshot["contacts"] = metrics.contact_fidelity(scope)
        _record_step(report, 2)
        snapshot["measures"] = metrics.measure_figures(scope)
        _record_step(report, 3)
        snapshot["stakeholders"] = stakeholder_summary(report.program_id, scope.start, scope.end)
        _record_step(report, 4)
        snapshot["comparison"] = _comparison(report, snapshot)
    except Exception as exc:
        logger.exception("report %s failed to build", report.pk)
        EvaluationReport.objects.filter(pk=report.pk, signed_off_at__isnull=True).update(
            status=Status.FAILED, error=type(exc).__name__[:500]
        )
        raise
    with transaction.atomic():
        updated = EvaluationReport.objects.filter(
            pk=report.pk, status=Status.BUILDING, signed_off_at__isnull=True
        ).update(
            status=Status.READY,
            snapshot=snapshot,
            step=len(STEPS),
            step_label=str(_("Ready")),
            built_at=timezone.now(),
        )
        report.refresh_from_db()
        if updated:
            _notify_ready(report)
    return report


def _notify_ready(report: EvaluationReport) -> None:
    if report.kind == Kind.ON_DEMAND and report.requested_by_id:
        recipients = User.objects.filter(pk=report.requested_by_id)
    else:
        recipients = User.objects.filter(
            memberships__program_id=report.program_id,
            memberships__role=Membership.Role.SUPERVISOR,
            memberships__is_active=True,
            is_active=True,
        ).distinct()
    for recipient in recipients:
        queue_notification(
            recipient=recipient,
            kind="report_ready",
            key=f"report-ready:{report.pk}",
            subject=report,
        )


# --- Reviewing ----------------------------------------------------------------------------


def _ensure_supervisor(actor: User, report: EvaluationReport) -> None:
    if not (actor.is_superuser or report.program_id in actor.program_ids_with_role("supervisor")):
        raise DomainError(_("Only the program's supervisors can review its reports."))


@transaction.atomic
def add_report_comment(*, actor: User, report: EvaluationReport, text: str) -> ReportComment:
    _ensure_supervisor(actor, report)
    report = EvaluationReport.objects.select_for_update().get(pk=report.pk)
    if report.is_signed:
        raise DomainError(_("This report is signed off and cannot change."))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write a comment first."), field="text")
    return ReportComment.objects.create(report=report, author=actor, text=text)


@transaction.atomic
def sign_off_report(*, actor: User, report: EvaluationReport) -> EvaluationReport:
    _ensure_supervisor(actor, report)
    report = EvaluationReport.objects.select_for_update().get(pk=report.pk)
    if report.is_signed:
        raise DomainError(_("This report is already signed off."))
    if report.status != Status.READY:
        raise DomainError(_("Only a finished report can be signed off."))
    report.signed_off_by = actor
    report.signed_off_at = timezone.now()
    report.save(update_fields=["signed_off_by", "signed_off_at"])
    return report


# --- Downloads ----------------------------------------------------------------------------


def report_csv(report: EvaluationReport) -> str:
    """The snapshot as CSV rows of (section, figure, value, previous period)."""
    snapshot = report.snapshot
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "figure", "value", "previous_period", "change"])
    writer.writerow(["report", "program", snapshot.get("program", report.program.name), "", ""])
    writer.writerow(["report", "period", f"{report.period_start}/{report.period_end}", "", ""])
    previous = {row["key"]: row for row in snapshot.get("comparison", {}).get("rows", [])}
    for section in ("waiting", "matches", "sessions", "feedback", "contacts", "pathway"):
        for key, value in snapshot.get(section, {}).items():
            if isinstance(value, list):
                continue
            row = previous.get(f"{section}.{key}", {})
            writer.writerow([section, key, value, row.get("before", ""), row.get("change", "")])
    for row in snapshot.get("matches", {}).get("retention", []):
        writer.writerow(["retention", f"{row['months']}_months_percent", row["percent"], "", ""])
    for row in snapshot.get("matches", {}).get("early_closure_reasons", []):
        writer.writerow(["early_closures", row["reason"], row["count"], "", ""])
    for row in snapshot.get("sessions", {}).get("support_mix", []):
        writer.writerow(["support_mix", row["type"], row["sessions"], "", ""])
    for row in snapshot.get("feedback", {}).get("trend", []):
        writer.writerow(["feedback_trend", row["month"], row["mean_rating"], "", ""])
    measures = snapshot.get("measures", {})
    for row in measures.get("completion", []):
        writer.writerow(["measure_completion", row["instrument"], row["percent"], "", ""])
    for row in measures.get("outcomes", []):
        for key in ("pairs", "mean_change", "improved_percent", "crossed_percent"):
            writer.writerow([f"outcome_{row['instrument']}", key, row[key], "", ""])
    stakeholders = snapshot.get("stakeholders", {})
    for key, value in stakeholders.items():
        if not isinstance(value, list):
            writer.writerow(["stakeholders", key, value, "", ""])
    writer.writerow(["sign_off", "signed_off_by", str(report.signed_off_by or ""), "", ""])
    writer.writerow(
        [
            "sign_off",
            "signed_off_at",
            report.signed_off_at.isoformat() if report.signed_off_at else "",
            "",
            "",
        ]
    )
    return out.getvalue()
