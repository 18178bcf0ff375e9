"""How measure reminders read, registered in accounts' delivery registries.

The respondent's email carries a one-time link issued at send time (only its hash is stored,
so the outbox never holds a working link); the in-app message and the mentor's email point to
the signed-in form. No message names an instrument or says anything about health: the subject
says only that a few questions are waiting.
"""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.delivery import render_message, site_url
from accounts.models import Notification
from evaluation.models import Administration
from evaluation.services import measures as services

RESPONDENT_KINDS = ("measure_due", "measure_overdue")
STAFF_KINDS = ("measure_overdue_staff",)

TITLES = {
    "measure_due": _("A few questions for you"),
    "measure_overdue": _("A reminder: a few questions are waiting for you"),
    "measure_overdue_staff": _("Outcome measures are overdue"),
}


def _first_due(administration: Administration) -> Administration:
    """The reminder names one questionnaire of its time point: the first still due."""
    if administration.status == Administration.Status.DUE:
        return administration
    return services.next_due_for(administration) or administration


def render_respondent(notification: Notification):
    administration = _first_due(notification.subject)
    title = str(TITLES[notification.kind])
    lines = [
        gettext(
            "Your program asks a few short questions about how you are doing. It takes a few "
            "minutes. You can ask someone to help you."
        )
    ]
    if (
        notification.channel == Notification.Channel.EMAIL
        and not administration.respondent_is_mentor
    ):
        token = services.issue_measure_link(administration=administration)
        url = services.measure_link_url(token)
        lines.append(
            gettext("The link works once and for %(days)s days.") % {"days": services.LINK_DAYS}
        )
    else:
        url = site_url(reverse("evaluation:measure_answer", args=[administration.pk]))
    return render_message(title=title, lines=lines, url=url, action=gettext("Answer the questions"))


def render_staff(notification: Notification):
    administration = notification.subject
    title = str(TITLES[notification.kind])
    lines = [
        gettext("%(name)s has measures due since %(date)s that are not answered yet.")
        % {
            "name": administration.mentee.user.display_name,
            "date": administration.due_on.isoformat(),
        }
    ]
    url = site_url(reverse("accounts:mentee_detail", args=[administration.mentee_id]))
    return render_message(title=title, lines=lines, url=url, action=gettext("Open the profile"))


def still_due(notification: Notification) -> bool:
    """Only while something of the reminder's time point is still waiting to be answered."""
    administration = notification.subject
    return administration is not None and services.group_still_due(administration)
