"""The in-app notification centre: a person's own reminders and alerts, and marking them read.

Only in-app rows that have been delivered (state "sent") are shown; the delivery worker sends
an in-app row when it falls due, or cancels it when the person has turned in-app reminders off
(safety alerts are never cancelled that way).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import delivery
from accounts.models import (
    Membership,
    MenteeProfile,
    MentorProfile,
    Notification,
    Program,
    User,
)
from accounts.scoping import STAFF_ROLES

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
    "session_reminder": _("Reminder: you have a mentoring session coming up"),
    "session_not_logged": _("Please log yesterday's session"),
    "match_support_due": _("A match check-in is due"),
    "match_no_recent_session": _("An active match has had no session for a while"),
    "match_approval_digest": _("Proposed matches are waiting for your approval"),
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
        {
            "page_obj": page,
            "items": items,
            "sees_undelivered": request.user.is_superuser or request.user.has_role(*STAFF_ROLES),
        },
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


# --- Staff: what could not be delivered ----------------------------------------------------

UNDELIVERED_ROWS = 100


def people_of_programs(program_ids):
    """Everyone who belongs to these programs: staff and case managers, mentors, mentees."""
    return User.objects.filter(
        Q(
            pk__in=Membership.objects.filter(program_id__in=program_ids, is_active=True).values(
                "user_id"
            )
        )
        | Q(pk__in=MentorProfile.objects.filter(program_id__in=program_ids).values("user_id"))
        | Q(pk__in=MenteeProfile.objects.filter(program_id__in=program_ids).values("user_id"))
    )


@login_required
def undelivered_notifications(request):
    """For coordinators and supervisors: emails that failed after every retry, and the people
    of their programs who have no email address (they get reminders in the app only). Only
    the kind, time and error are shown, never a message's content."""
    user = request.user
    if not (user.is_superuser or user.has_role(*STAFF_ROLES)):
        raise Http404
    programs = Program.objects.staffed_by(user).values("pk")
    people = people_of_programs(programs)
    failed = (
        Notification.objects.filter(state=Notification.State.FAILED, recipient__in=people)
        .select_related("recipient")
        .order_by("-due_at", "-pk")[:UNDELIVERED_ROWS]
    )
    no_email = people.filter(Q(email__isnull=True) | Q(email="")).order_by("display_name", "pk")
    return render(
        request,
        "accounts/undelivered_notifications.html",
        {
            "failed": [(row, delivery.title_for(row.kind)) for row in failed],
            "no_email": no_email[:UNDELIVERED_ROWS],
        },
    )


urlpatterns = [
    path("notifications/", notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", notification_read, name="notification_read"),
    path("notifications/read-all/", notification_read_all, name="notification_read_all"),
    path(
        "notifications/undelivered/",
        undelivered_notifications,
        name="undelivered_notifications",
    ),
]
