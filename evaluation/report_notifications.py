"""How "report ready" and stakeholder invitations read (registered in accounts' delivery
registries by ``evaluation.apps``). Neither message says anything about a person's health."""

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from accounts.delivery import render_message, site_url, title_for
from accounts.models import Notification
from evaluation.models import EvaluationReport, StakeholderInvitation

TITLES = {
    "report_ready": gettext_lazy("An evaluation report is ready"),
    "stakeholder_invitation": gettext_lazy("A few questions from the mentoring program"),
}


def render_report_ready(notification: Notification):
    report: EvaluationReport = notification.subject
    line = gettext("The %(kind)s report of %(program)s for %(start)s – %(end)s is ready.") % {
        "kind": report.get_kind_display().lower(),
        "program": report.program.name,
        "start": report.period_start.isoformat(),
        "end": report.period_end.isoformat(),
    }
    return render_message(
        title=title_for(notification.kind),
        lines=[line, gettext("Please read it, comment and sign it off.")],
        url=site_url(reverse("evaluation:report_detail", args=[report.pk])),
        action=gettext("Open the report"),
    )


def render_stakeholder_invitation(notification: Notification):
    from evaluation.services.stakeholders import issue_stakeholder_link, stakeholder_link_url

    invitation: StakeholderInvitation = notification.subject
    lines = [
        gettext(
            "The mentoring program would like to hear how a person you work with is doing "
            "and how the program works with you. Four short questions."
        )
    ]
    if notification.channel == Notification.Channel.EMAIL:
        url = stakeholder_link_url(issue_stakeholder_link(invitation=invitation))
        lines.append(gettext("The link works once and for 14 days."))
    else:
        url = site_url(reverse("evaluation:stakeholder_respond", args=[invitation.pk]))
    return render_message(
        title=title_for(notification.kind), lines=lines, url=url, action=gettext("Answer")
    )


def invitation_still_open(notification: Notification) -> bool:
    invitation = notification.subject
    return invitation.answered_at is None
