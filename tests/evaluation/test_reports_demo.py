from types import SimpleNamespace

from django.utils import timezone

from accounts.delivery import render
from accounts.demo import DEMO_STEPS
from accounts.models import Notification
from evaluation import report_demo
from evaluation.models import EvaluationReport, StakeholderInvitation
from evaluation.services import reports
from mentorship.celery import app


def test_demo_step_builds_last_months_report_per_program(cast):
    assert report_demo.build_reports in DEMO_STEPS
    plans = [SimpleNamespace(profile=cast.mentee_profile)]
    assert report_demo.build_reports(writer=None, mentors=[], mentees=plans) == {
        "evaluation reports": 1
    }
    start, end = reports.month_before(timezone.localdate())
    report = EvaluationReport.objects.get(program=cast.program)
    assert (report.kind, report.period_start, report.period_end) == ("monthly", start, end)
    assert report.status == "ready"
    assert report.snapshot["stakeholders"]["meetings"]


def test_report_ready_message_links_to_the_report(cast):
    report_demo.build_reports(
        writer=None, mentors=[], mentees=[SimpleNamespace(profile=cast.mentee_profile)]
    )
    report = EvaluationReport.objects.get()
    notification = Notification.objects.get(recipient=cast.supervisor, channel="email")
    message = render(notification)
    assert message.subject == "An evaluation report is ready"
    assert message.url.endswith(report.get_absolute_url())


def test_stakeholder_invitation_email_carries_a_one_time_link(cast):
    from evaluation.services.stakeholders import invite_stakeholders

    [pk] = invite_stakeholders()
    notification = Notification.objects.get(recipient=cast.case_manager, channel="email")
    message = render(notification)
    assert "/evaluation/stakeholders/link/" in message.url
    assert StakeholderInvitation.objects.get(pk=pk).links.count() == 1


def test_beat_runs_the_report_and_invitation_tasks():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    for name in (
        "evaluation.report_tasks.build_periodic_reports",
        "evaluation.report_tasks.invite_stakeholders",
    ):
        assert name in scheduled and name in app.tasks
