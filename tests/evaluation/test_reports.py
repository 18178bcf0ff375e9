import datetime

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from accounts.services import DomainError
from evaluation import metrics
from evaluation.models import EvaluationReport, ReportComment, StakeholderMeetingNote
from evaluation.services import reports
from tests import factories as f


def new_report(cast, kind="monthly", start=None, end=None) -> EvaluationReport:
    default_start, default_end = reports.month_before(timezone.localdate())
    return EvaluationReport.objects.create(
        program=cast.program,
        kind=kind,
        period_start=start or default_start,
        period_end=end or default_end,
        steps_total=len(reports.STEPS),
    )


def built(cast, **kwargs) -> EvaluationReport:
    return reports.build_report(report_id=new_report(cast, **kwargs).pk)


# --- Periods and the beat -----------------------------------------------------------------


def test_month_and_quarter_before_a_day():
    day = datetime.date(2026, 5, 14)
    assert reports.month_before(day) == (datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
    assert reports.quarter_before(day) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    january = datetime.date(2026, 1, 3)
    assert reports.quarter_before(january) == (
        datetime.date(2025, 10, 1),
        datetime.date(2025, 12, 31),
    )


def test_beat_creates_one_monthly_and_one_quarterly_report_per_program(cast):
    today = datetime.date(2026, 5, 14)
    reports.ensure_periodic_reports(today=today)
    reports.ensure_periodic_reports(today=today)
    rows = EvaluationReport.objects.filter(program=cast.program)
    assert sorted(rows.values_list("kind", "period_start")) == [
        ("monthly", datetime.date(2026, 4, 1)),
        ("quarterly", datetime.date(2026, 1, 1)),
    ]
    assert EvaluationReport.objects.count() == 4  # two programs


# --- Building -----------------------------------------------------------------------------


def test_build_stores_the_snapshot_and_tells_the_supervisors(cast):
    report = built(cast)
    assert report.status == "ready" and report.built_at is not None
    assert report.step == report.steps_total == len(reports.STEPS)
    assert report.snapshot["matches"]["active"] == 0
    assert {row["key"] for row in report.snapshot["comparison"]["rows"]} >= {"matches.active"}
    assert Notification.objects.filter(
        recipient=cast.supervisor, kind="report_ready", channel="in_app"
    ).exists()


def test_building_twice_changes_nothing_and_notifies_once(cast):
    report = built(cast)
    reports.build_report(report_id=report.pk)
    assert Notification.objects.filter(kind="report_ready", channel="in_app").count() == 1


def test_a_failed_step_is_recorded_where_it_failed(cast, monkeypatch):
    def broken(scope):
        raise RuntimeError("boom")

    monkeypatch.setattr(metrics, "measure_figures", broken)
    report = new_report(cast)
    with pytest.raises(RuntimeError):
        reports.build_report(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "failed"
    assert (report.step, report.step_label) == (2, str(reports.STEPS[2][1]))


def test_comparison_uses_the_previous_reports_snapshot(cast):
    start, end = reports.month_before(timezone.localdate())
    before_start, before_end = reports.month_before(start)
    earlier = new_report(cast, start=before_start, end=before_end)
    EvaluationReport.objects.filter(pk=earlier.pk).update(
        status="ready", snapshot={"matches": {"active": 7}}
    )
    report = built(cast, start=start, end=end)
    row = next(r for r in report.snapshot["comparison"]["rows"] if r["key"] == "matches.active")
    assert (row["before"], row["now"], row["change"]) == (7, 0, -7)


def test_report_lists_the_periods_stakeholder_meetings(cast):
    start, end = reports.month_before(timezone.localdate())
    StakeholderMeetingNote.objects.create(
        program=cast.program,
        met_on=start + datetime.timedelta(days=3),
        attendee_roles=["clinician"],
        summary="Clinicians want monthly updates.",
        follow_up_actions="Send a monthly note.",
        recorded_by=cast.coordinator,
    )
    report = built(cast, start=start, end=end)
    [meeting] = report.snapshot["stakeholders"]["meetings"]
    assert meeting["follow_up_actions"] == "Send a monthly note."


# --- Review -------------------------------------------------------------------------------


def test_sign_off_records_who_and_when(cast):
    report = reports.sign_off_report(actor=cast.supervisor, report=built(cast))
    assert report.signed_off_by == cast.supervisor and report.signed_off_at is not None


def test_a_signed_report_refuses_comments_and_a_second_sign_off(cast):
    report = reports.sign_off_report(actor=cast.supervisor, report=built(cast))
    with pytest.raises(DomainError):
        reports.add_report_comment(actor=cast.supervisor, report=report, text="Late remark")
    with pytest.raises(DomainError):
        reports.sign_off_report(actor=cast.supervisor, report=report)
    assert not ReportComment.objects.exists()


def test_the_database_refuses_to_change_a_signed_report(cast):
    report = reports.sign_off_report(actor=cast.supervisor, report=built(cast))
    with pytest.raises(DatabaseError), transaction.atomic():
        EvaluationReport.objects.filter(pk=report.pk).update(snapshot={})


def test_a_report_still_building_cannot_be_signed(cast):
    with pytest.raises(DomainError):
        reports.sign_off_report(actor=cast.supervisor, report=new_report(cast))


def test_a_coordinator_cannot_sign_off(cast):
    with pytest.raises(DomainError):
        reports.sign_off_report(actor=cast.coordinator, report=built(cast))


# --- Pages --------------------------------------------------------------------------------


def test_supervisor_builds_a_report_on_demand(cast, login):
    today = timezone.localdate()
    data = {
        "program": cast.program.pk,
        "start": (today - datetime.timedelta(days=20)).isoformat(),
        "end": today.isoformat(),
    }
    client = login(cast.supervisor)
    first = client.post(reverse("evaluation:report_new"), data)
    second = client.post(reverse("evaluation:report_new"), data)
    report = EvaluationReport.objects.get(kind="on_demand")
    assert first["Location"] == second["Location"] == report.get_absolute_url()
    assert report.requested_by == cast.supervisor and report.status == "building"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (10, 20, "The period must end on or after the day it starts."),
        (-1, -3, "The period cannot end in the future"),
    ],
)
def test_on_demand_period_that_is_wrong_is_refused(cast, login, start, end, message):
    today = timezone.localdate()
    data = {
        "program": cast.program.pk,
        "start": (today - datetime.timedelta(days=start)).isoformat(),
        "end": (today - datetime.timedelta(days=end)).isoformat(),
    }
    response = login(cast.supervisor).post(reverse("evaluation:report_new"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert f'value="{data["start"]}"' in response.content.decode()
    assert not EvaluationReport.objects.exists()


def test_on_demand_report_for_another_program_is_refused(cast, login):
    today = timezone.localdate().isoformat()
    data = {"program": cast.other_program.pk, "start": today, "end": today}
    response = login(cast.supervisor).post(reverse("evaluation:report_new"), data)
    assert response.status_code == 200
    assert not EvaluationReport.objects.exists()


def test_status_fragment_shows_the_current_step(cast, login):
    report = new_report(cast)
    EvaluationReport.objects.filter(pk=report.pk).update(step=1, step_label="Counting sessions")
    response = login(cast.supervisor).get(
        reverse("evaluation:report_status", args=[report.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Counting sessions" in body and 'hx-trigger="every 2s"' in body
    assert '<progress class="w-100" max="5" value="1">' in body


def test_status_opened_without_htmx_goes_to_the_reports_page(cast, login):
    report = new_report(cast)
    response = login(cast.supervisor).get(reverse("evaluation:report_status", args=[report.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:report_detail", args=[report.pk])


def test_status_fragment_reloads_the_page_once_ready(cast, login):
    report = built(cast)
    response = login(cast.supervisor).get(
        reverse("evaluation:report_status", args=[report.pk]), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Refresh"] == "true"


def test_report_page_shows_charts_and_the_comparison(cast, login):
    report = built(cast)
    body = login(cast.supervisor).get(report.get_absolute_url()).content.decode()
    assert 'role="img"' in body and "Compared with the previous period" in body


def test_comment_is_added_and_an_empty_one_refused(cast, login):
    report = built(cast)
    client = login(cast.supervisor)
    url = reverse("evaluation:report_comment", args=[report.pk])
    assert client.post(url, {"text": "  "}).status_code == 400
    client.post(url, {"text": "Good month."})
    assert list(ReportComment.objects.values_list("text", flat=True)) == ["Good month."]


def test_sign_off_button_signs_the_report(cast, login):
    report = built(cast)
    login(cast.supervisor).post(reverse("evaluation:report_sign_off", args=[report.pk]))
    report.refresh_from_db()
    assert report.signed_off_by == cast.supervisor


def test_pdf_download_is_a_pdf(cast, login):
    report = built(cast)
    response = login(cast.supervisor).get(reverse("evaluation:report_pdf", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_csv_download_lists_the_figures(cast, login):
    report = built(cast)
    response = login(cast.supervisor).get(reverse("evaluation:report_csv", args=[report.pk]))
    body = response.content.decode()
    assert body.startswith("section,figure,value,previous_period,change")
    assert "matches,active,0" in body


def test_downloads_of_a_report_still_building_are_404(cast, login):
    report = new_report(cast)
    client = login(cast.supervisor)
    assert client.get(reverse("evaluation:report_pdf", args=[report.pk])).status_code == 404


def test_supervisor_of_another_program_gets_404(cast, login):
    report = built(cast)
    other = f.UserFactory()
    f.MembershipFactory(user=other, program=cast.other_program, role="supervisor")
    assert login(other).get(report.get_absolute_url()).status_code == 404
