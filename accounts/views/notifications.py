"""The in-app notification centre: a person's own reminders and alerts, and marking them read.

Only in-app rows that have been delivered (state "sent") are shown; the delivery worker sends
an in-app row when it falls due, or cancels it when the person has turned in-app reminders off
(safety alerts are never cancelled that way).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import Notification

PAGE_SIZE = 25

TITLES = {
    "match_awaiting_approval": _("A proposed match is waiting for your approval"),
    "match_approved": _("A match you proposed was approved"),
    "match_declined": _("A match you proposed was declined"),
    "match_withdrawn": _("A proposed match was withdrawn"),
    "match_started": _("Your mentorship has started"),
    "match_paused": _("Your mentorship is paused"),
    "match_resumed": _("Your mentorship has resumed"),
    "match_closed": _("A match has closed"),
    "match_support_concern": _("A match may need support"),
    "closure_survey": _("Tell us how your mentorship went"),
    "safety_alert": _("Safety alert"),
    "feedback_invitation": _("How did your session go?"),
    "feedback_reminder": _("Reminder: tell us how your session went"),
    "feedback_needs_contact": _("Someone asked to be contacted after a session"),
    "session_concern_talk": _("A mentor would like to talk about a session"),
    "supervisor_note": _("A new note from your supervisor"),
}
GENERIC_TITLE = _("A new update in PeerPath")


def title_for(kind: str) -> str:
    return TITLES.get(kind, GENERIC_TITLE)


def _shown(user):
    return Notification.objects.visible_to(user).filter(
        channel=Notification.Channel.IN_APP, state=Notification.State.SENT
    )


@login_required
def notification_list(request):
    notifications = (
        _shown(request.user)
        .select_related("subject_type")
        .prefetch_related("subject")
        .annotate(
            unread=Case(
                When(read_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("unread", "-sent_at", "-pk")
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    items = []
    for notification in page.object_list:
        subject = notification.subject
        get_url = getattr(subject, "get_absolute_url", None)
        items.append(
            {
                "notification": notification,
                "title": title_for(notification.kind),
                "url": get_url() if get_url else None,
            }
        )
    return render(
        request,
        "accounts/notification_list.html",
        {"page_obj": page, "items": items},
    )


def _back(request):
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("accounts:notification_list")


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(_shown(request.user), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return _back(request)


@login_required
@require_POST
def notification_read_all(request):
    _shown(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    return _back(request)


urlpatterns = [
    path("notifications/", notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", notification_read, name="notification_read"),
    path("notifications/read-all/", notification_read_all, name="notification_read_all"),
]
