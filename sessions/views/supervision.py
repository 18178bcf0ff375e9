"""Supervision and safety alerts.

Who may do what:
- the log review list, marking a log reviewed, recording a supervision meeting and writing a
  note are for the supervisors of the mentor's program (and administrators); anyone else,
  coordinators included, gets 404;
- a mentor's supervision page (stats, meetings, notes) is for those supervisors and for the
  mentor themself; ``my_supervision`` shows a mentor what is addressed to them, and only that
  mentor marks a note read;
- safety alerts live in ``sessions.views.alerts``; their panel on a supervisor's home is here.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import record_read
from accounts.models import MentorProfile, User
from accounts.services import DomainError
from sessions import services
from sessions.forms.supervision import LogFilterForm, SupervisionMeetingForm, SupervisorNoteForm
from sessions.models import (
    MentoringSession,
    SessionFeedback,
    SupervisionMeeting,
    SupervisorNote,
)
from sessions.views.alerts import alerts_for

PAGE_SIZE = 25
PANEL_ROWS = 8
STATS_MONTHS = 6
MEETINGS_SHOWN = 20
NOTES_SHOWN = 50


# --- Scopes ----------------------------------------------------------------------------------


def _ensure_supervisor(user: User) -> None:
    """The supervision pages do not exist for anyone who supervises no program."""
    if not (user.is_superuser or user.has_role("supervisor")):
        raise Http404


def _supervised_sessions(user: User):
    """Logged sessions of the mentors in the programs the user supervises."""
    sessions = MentoringSession.objects.visible_to(user).filter(logged_at__isnull=False)
    if user.is_superuser:
        return sessions
    return sessions.filter(match__program_id__in=user.program_ids_with_role("supervisor"))


def _supervised_mentors(user: User):
    mentors = MentorProfile.objects.visible_to(user)
    if user.is_superuser:
        return mentors
    return mentors.filter(program_id__in=user.program_ids_with_role("supervisor"))


def _show_domain_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _back(request: HttpRequest, default: str, **kwargs) -> HttpResponse:
    """Back to the page the action came from (a filtered list), if it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default, **kwargs)


# --- Log review ------------------------------------------------------------------------------


@login_required
def supervision_logs(request: HttpRequest) -> HttpResponse:
    user = request.user
    _ensure_supervisor(user)
    filters = LogFilterForm(request.GET, mentors=_supervised_mentors(user))
    logs = filters.apply(_supervised_sessions(user)).select_related(
        "match__mentee__user",
        "match__mentor__user",
        "match__program",
        "feedback",
        "reviewed_by",
    )
    page = Paginator(logs.order_by("-starts_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "sessions/supervision_logs.html",
        {"filters": filters, "page_obj": page, "logs": page.object_list},
    )


@login_required
@require_POST
def supervision_mark_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_supervisor(request.user)
    session = get_object_or_404(_supervised_sessions(request.user).select_related("match"), pk=pk)
    try:
        services.mark_log_reviewed(actor=request.user, session=session)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The log is marked as reviewed."))
    return _back(request, "mentoring_sessions:supervision_logs")


# --- A mentor's supervision page -------------------------------------------------------------


def _month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the last ``count`` months, oldest first, this month last."""
    year, month = today.year, today.month
    starts = []
    for _i in range(count):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def mentor_stats(mentor: MentorProfile, *, months: int = STATS_MONTHS) -> dict:
    """Sessions held per month, the share of no-shows and the mentee feedback of the last
    ``months`` months (this one included), aggregated in the database.

    The no-show share is no-shows among sessions that were due to happen (held + no-show);
    cancelled sessions count in neither.
    """
    months_shown = _month_starts(timezone.localdate(), months)
    since = timezone.make_aware(datetime.datetime.combine(months_shown[0], datetime.time.min))
    sessions = MentoringSession.objects.filter(match__mentor=mentor, starts_at__gte=since)
    held = MentoringSession.Status.HELD
    per_month = {
        row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]: row[
            "held"
        ]
        for row in sessions.filter(status=held)
        .annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(held=Count("pk"))
        .order_by("month")
    }
    totals = sessions.aggregate(
        held=Count("pk", filter=Q(status=held)),
        no_show=Count("pk", filter=Q(status=MentoringSession.Status.NO_SHOW)),
        cancelled=Count("pk", filter=Q(status=MentoringSession.Status.CANCELLED)),
    )
    yes = SessionFeedback.Answer.YES
    feedback = SessionFeedback.objects.filter(session__in=sessions).aggregate(
        count=Count("pk"),
        rating=Avg("rating"),
        listened=Count("pk", filter=Q(felt_listened_to=yes)),
        learned=Count("pk", filter=Q(learned_something=yes)),
        hopeful=Count("pk", filter=Q(more_hopeful=yes)),
        contact=Count("pk", filter=Q(wants_contact=True)),
    )
    due = totals["held"] + totals["no_show"]
    answered = feedback["count"]
    return {
        "since": months_shown[0],
        "per_month": [{"month": start, "held": per_month.get(start, 0)} for start in months_shown],
        "held": totals["held"],
        "no_show": totals["no_show"],
        "cancelled": totals["cancelled"],
        "no_show_percent": _percent(totals["no_show"], due),
        "feedback_count": answered,
        "average_rating": round(feedback["rating"], 1) if feedback["rating"] is not None else None,
        "listened_percent": _percent(feedback["listened"], answered),
        "learned_percent": _percent(feedback["learned"], answered),
        "hopeful_percent": _percent(feedback["hopeful"], answered),
        "feedback_percent": _percent(answered, totals["held"]),
    }


@login_required
def supervision_mentor(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    mentor = get_object_or_404(
        MentorProfile.objects.visible_to(user).select_related("user", "program"), pk=pk
    )
    is_supervisor = services.supervises(user, mentor.program_id)
    if not (is_supervisor or mentor.user_id == user.pk):
        raise Http404
    record_read(mentor)
    return render(
        request,
        "sessions/supervision_mentor.html",
        {
            "mentor": mentor,
            "is_supervisor": is_supervisor,
            "stats": mentor_stats(mentor),
            "meetings": mentor.supervision_meetings.select_related("supervisor")[:MEETINGS_SHOWN],
            "notes": mentor.supervisor_notes.select_related(
                "author", "session__match__mentee__user"
            )[:NOTES_SHOWN],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def supervision_meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_supervisor(request.user)
    mentor = get_object_or_404(
        _supervised_mentors(request.user).select_related("user", "program"), pk=pk
    )
    form = SupervisionMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_supervision_meeting(
                actor=request.user, mentor=mentor, **form.cleaned_data
            )
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _("The supervision meeting is saved."))
            return redirect("mentoring_sessions:supervision_mentor", pk=mentor.pk)
    return render(
        request, "sessions/supervision_meeting_form.html", {"form": form, "mentor": mentor}
    )


@login_required
@require_http_methods(["GET", "POST"])
def supervisor_note_new(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_supervisor(request.user)
    mentor = get_object_or_404(
        _supervised_mentors(request.user).select_related("user", "program"), pk=pk
    )
    initial = {"session": request.GET.get("session")} if request.GET.get("session") else None
    form = SupervisorNoteForm(request.POST or None, initial=initial, mentor=mentor)
    if request.method == "POST" and form.is_valid():
        try:
            services.write_supervisor_note(actor=request.user, mentor=mentor, **form.cleaned_data)
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _("The note is saved. The mentor will see it."))
            return redirect("mentoring_sessions:supervision_mentor", pk=mentor.pk)
    return render(request, "sessions/supervision_note_form.html", {"form": form, "mentor": mentor})


# --- What a mentor sees ----------------------------------------------------------------------


@login_required
def my_supervision(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_role("mentor"):
        raise Http404
    return render(
        request,
        "sessions/supervision_mine.html",
        {
            "profiles": MentorProfile.objects.filter(user=user).select_related("program"),
            "meetings": SupervisionMeeting.objects.filter(mentor__user=user).select_related(
                "supervisor", "program"
            )[:MEETINGS_SHOWN],
            "notes": SupervisorNote.objects.filter(mentor__user=user).select_related(
                "author", "mentor__program", "session__match__mentee__user"
            )[:NOTES_SHOWN],
        },
    )


@login_required
@require_POST
def supervisor_note_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(
        SupervisorNote.objects.filter(mentor__user=request.user).select_related("mentor"), pk=pk
    )
    try:
        services.mark_note_read(actor=request.user, note=note)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("mentoring_sessions:my_supervision")


# --- Home panels -----------------------------------------------------------------------------


def supervisor_home_panel(request):
    """Open safety alerts of my programs (shown above every other panel) and how many logs
    with a concern wait for review."""
    user = request.user
    if not (user.is_superuser or user.has_role("supervisor")):
        return None
    alerts = alerts_for(user).open().order_by("-raised_at", "-pk")
    shown = list(alerts[: PANEL_ROWS + 1])
    return {
        "template": "sessions/partials/home_supervisor_alerts.html",
        "alerts": shown[:PANEL_ROWS],
        "alert_count": len(shown) if len(shown) <= PANEL_ROWS else alerts.count(),
        "concerns_waiting": _supervised_sessions(user)
        .exclude(concern="")
        .filter(reviewed_at__isnull=True)
        .count(),
    }


def mentor_home_panel(request):
    """Notes from my supervisors that I have not read yet."""
    user = request.user
    if not user.has_role("mentor"):
        return None
    unread = SupervisorNote.objects.filter(mentor__user=user, read_at__isnull=True)
    notes = list(unread.select_related("author")[: PANEL_ROWS + 1])
    return {
        "template": "sessions/partials/home_mentor_supervision.html",
        "notes": notes[:PANEL_ROWS],
        "unread_count": len(notes) if len(notes) <= PANEL_ROWS else unread.count(),
    }


urlpatterns = [
    path("supervision/logs/", supervision_logs, name="supervision_logs"),
    path(
        "supervision/logs/<int:pk>/reviewed/",
        supervision_mark_reviewed,
        name="supervision_mark_reviewed",
    ),
    path("supervision/mentors/<int:pk>/", supervision_mentor, name="supervision_mentor"),
    path(
        "supervision/mentors/<int:pk>/meetings/new/",
        supervision_meeting_new,
        name="supervision_meeting_new",
    ),
    path(
        "supervision/mentors/<int:pk>/notes/new/", supervisor_note_new, name="supervisor_note_new"
    ),
    path("supervision/mine/", my_supervision, name="my_supervision"),
    path("supervision/notes/<int:pk>/read/", supervisor_note_read, name="supervisor_note_read"),
]
