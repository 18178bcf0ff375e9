"""Mentoring sessions: the list, a session's page, scheduling, moving, cancelling and logging,
and the mentor's home panel of upcoming sessions and sessions waiting to be logged.

Who may do what:
- sessions are read through ``MentoringSession.objects.visible_to``: the mentor and the mentee
  of the match, and the coordinators and supervisors of its program. Anyone else (another
  mentor, another mentee, a case manager: sessions are not shared) gets 404;
- a session's page shows the mentee the date, how and where, the summary and the goals
  worked on; the mentor and staff see the whole log; private notes only to whom
  ``MentoringSession.private_notes_visible_to`` allows (the mentor who wrote them and the
  program's supervisors, not coordinators). Opening it is audited;
- scheduling, moving and cancelling: the match's mentor and the program's coordinators and
  supervisors; logging: the match's mentor only. Everyone else gets 404.
Times are shown and read in the time zone of the match's center.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import record_read
from accounts.scoping import STAFF_ROLES
from matching.models import Match
from sessions import services
from sessions.forms.logs import CancelForm, ScheduleForm, SessionLogForm, UnscheduledLogForm
from sessions.models import MentoringSession, SafetyAlert, SupportType
from sessions.services.logs import is_mentor_of, match_refusal, session_refusal

PAGE_SIZE = 25
PANEL_ROWS = 8
UPCOMING_DAYS = 14
# A meeting logged without a schedule is pre-filled as having started this long ago.
UNSCHEDULED_DEFAULT_AGO = datetime.timedelta(hours=1)

Status = MentoringSession.Status
Concern = MentoringSession.Concern

SHOW_CHOICES = {
    "all": pgettext_lazy("sessions", "All"),
    "upcoming": gettext_lazy("Upcoming"),
    "to_log": gettext_lazy("Waiting to be logged"),
    "past": gettext_lazy("Past"),
}


# --- Finding things ----------------------------------------------------------------------


def _visible_sessions(user):
    return MentoringSession.objects.visible_to(user).select_related(
        "match__program__center", "match__mentee__user", "match__mentor__user", "logged_by"
    )


def _may_arrange(user, session: MentoringSession) -> bool:
    return services.may_schedule(user, session.match)


def _session_for(request: HttpRequest, pk: int, may) -> MentoringSession:
    """The session, if the user may see it and may take this action on it; else 404."""
    session = get_object_or_404(_visible_sessions(request.user), pk=pk)
    if not may(request.user, session):
        raise Http404
    return session


def _match_for(request: HttpRequest, pk: int, may) -> Match:
    match = get_object_or_404(
        Match.objects.visible_to(request.user).select_related(
            "program__center", "mentee__user", "mentor__user"
        ),
        pk=pk,
    )
    if not may(request.user, match):
        raise Http404
    return match


def _zone(match: Match) -> str:
    return match.program.center.time_zone


def _show_domain_error(form, error: services.DomainError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _scheduled(queryset):
    """Scheduled, not yet logged sessions of active matches: the ones a mentor acts on."""
    return queryset.filter(status=Status.SCHEDULED, match__status=Match.Status.ACTIVE)


def _filtered(sessions, show: str, now: datetime.datetime):
    if show == "upcoming":
        return _scheduled(sessions).filter(starts_at__gte=now).order_by("starts_at", "pk")
    if show == "to_log":
        return _scheduled(sessions).filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    if show == "past":
        return sessions.exclude(status=Status.SCHEDULED).order_by("-starts_at", "-pk")
    return sessions.order_by("-starts_at", "-pk")


def _logged_message(session: MentoringSession) -> str:
    parts = [_("The session is logged.")]
    if session.concern == Concern.URGENT:
        parts.append(
            _(
                "Your urgent safety concern was sent to the program's supervisors: they are "
                "alerted now, by email and in the app."
            )
        )
    elif session.concern == Concern.TALK:
        parts.append(_("Your supervisors are asked to talk with you about it."))
    if session.status == Status.HELD:
        parts.append(_("The mentee is invited to say how it went."))
    return " ".join(parts)


# --- The list and a session's page -------------------------------------------------------


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_superuser or user.has_role("mentor", "mentee", *STAFF_ROLES)):
        raise Http404
    is_staff = user.is_superuser or user.has_role(*STAFF_ROLES)
    choices = dict(SHOW_CHOICES)
    if not (is_staff or user.has_role("mentor")):
        # A mentee has nothing to log.
        del choices["to_log"]
    show = request.GET.get("show", "all")
    if show not in choices:
        show = "all"
    now = timezone.now()
    sessions = _filtered(_visible_sessions(user), show, now)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sessions/session_list.html",
        {
            "page_obj": page,
            "sessions": page.object_list,
            "show": show,
            "show_choices": choices,
            "now": now,
            "is_staff": is_staff,
        },
    )


def _reader(user, session: MentoringSession) -> str:
    """``"staff"``, ``"mentor"`` or ``"mentee"``: how much of the log this person reads."""
    if user.is_superuser or session.match.program_id in user.program_ids_with_role(*STAFF_ROLES):
        return "staff"
    if is_mentor_of(user, session.match):
        return "mentor"
    return "mentee"


def _render_detail(
    request: HttpRequest, session: MentoringSession, cancel_form=None
) -> HttpResponse:
    user = request.user
    reader = _reader(user, session)
    goals = list(session.goals_worked_on.select_related("area"))
    context = {
        "session": session,
        "match": session.match,
        "reader": reader,
        "goals": goals,
        "show_private_notes": session.private_notes_visible_to(user),
        "show_concern": reader != "mentee",
    }
    if reader != "mentee":
        context.update(
            topics=list(session.topics.all()),
            resources_shared=list(session.resources_shared.all()),
            referrals=list(session.referrals.select_related("resource").order_by("resource__name")),
            support_labels=[
                SupportType(kind).label
                for kind in session.support_types
                if kind in SupportType.values
            ],
        )
        if session.concern == Concern.URGENT:
            alerts = SafetyAlert.objects.filter(session=session)
            if reader == "mentor":
                alerts = alerts.filter(raised_by=user)
            else:
                alerts = alerts.filter(pk__in=SafetyAlert.objects.visible_to(user).values("pk"))
            context["alerts"] = list(alerts.order_by("raised_at"))
    open_for_changes = session_refusal(session) is None
    context["may_log"] = open_for_changes and services.may_log(user, session)
    context["may_change"] = (
        open_for_changes
        and _may_arrange(user, session)
        and session.match.status == Match.Status.ACTIVE
    )
    context["may_cancel"] = context["may_change"] and session.starts_at > timezone.now()
    context["cancel_form"] = cancel_form or CancelForm()
    record_read(session)
    with timezone.override(_zone(session.match)):
        return render(request, "sessions/session_detail.html", context)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(_visible_sessions(request.user), pk=pk)
    return _render_detail(request, session)


# --- Scheduling --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_schedule(request: HttpRequest, match_pk: int) -> HttpResponse:
    match = _match_for(request, match_pk, services.may_schedule)
    refusal = match_refusal(match, _("schedule sessions"))
    with timezone.override(_zone(match)):
        form = ScheduleForm(request.POST or None, match=match)
        if request.method == "POST" and refusal is None and form.is_valid():
            try:
                session = services.schedule_session(
                    actor=request.user, match=match, **form.schedule_data()
                )
            except services.DomainError as error:
                _show_domain_error(form, error)
            else:
                messages.success(request, _("The session is scheduled."))
                return redirect(session)
        return render(
            request,
            "sessions/session_form.html",
            {"form": form, "match": match, "session": None, "refusal": refusal},
        )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk, _may_arrange)
    refusal = session_refusal(session)
    if refusal:
        messages.info(request, refusal)
        return redirect(session)
    match = session.match
    refusal = match_refusal(match, _("change its sessions"))
    with timezone.override(_zone(match)):
        form = ScheduleForm(
            request.POST or None, match=match, initial=ScheduleForm.initial_for(session)
        )
        if request.method == "POST" and refusal is None and form.is_valid():
            try:
                services.reschedule_session(
                    actor=request.user, session=session, **form.schedule_data()
                )
            except services.AlreadyLogged as error:
                messages.info(request, error.message)
                return redirect(error.session)
            except services.DomainError as error:
                _show_domain_error(form, error)
            else:
                messages.success(request, _("The session is changed."))
                return redirect(session)
        return render(
            request,
            "sessions/session_form.html",
            {"form": form, "match": match, "session": session, "refusal": refusal},
        )


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk, _may_arrange)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_session(
                actor=request.user, session=session, reason=form.cleaned_data["reason"]
            )
        except services.AlreadyLogged as error:
            messages.info(request, error.message)
            return redirect(error.session)
        except services.DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _("The session is cancelled."))
            return redirect(session)
    return _render_detail(request, session, cancel_form=form)


# --- Logging -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_log(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk, services.may_log)
    refusal = session_refusal(session)
    if refusal:
        # Typically the form was sent twice: the first one logged it.
        messages.info(request, refusal)
        return redirect(session)
    match = session.match
    refusal = match_refusal(match, _("log sessions"))
    started = session.starts_at <= timezone.now()
    with timezone.override(_zone(match)):
        form = SessionLogForm(
            request.POST or None,
            match=match,
            initial=SessionLogForm.initial_for(session, started=started),
        )
        return _log_or_show(
            request,
            form,
            match=match,
            session=session,
            refusal=refusal,
            log=lambda data: services.log_session(actor=request.user, session=session, **data),
        )


@login_required
@require_http_methods(["GET", "POST"])
def session_log_new(request: HttpRequest, match_pk: int) -> HttpResponse:
    match = _match_for(request, match_pk, is_mentor_of)
    refusal = match_refusal(match, _("log sessions"))
    with timezone.override(_zone(match)):
        started = timezone.localtime() - UNSCHEDULED_DEFAULT_AGO
        form = UnscheduledLogForm(
            request.POST or None,
            match=match,
            initial={
                "starts_at": started.replace(
                    minute=started.minute - started.minute % 15, second=0, microsecond=0
                ),
                "status": Status.HELD,
                "duration_minutes": 60,
                "concern": Concern.NONE,
            },
        )
        return _log_or_show(
            request,
            form,
            match=match,
            session=None,
            refusal=refusal,
            log=lambda data: services.log_unscheduled_session(
                actor=request.user, match=match, **data
            ),
        )


def _log_or_show(request, form, *, match, session, refusal, log) -> HttpResponse:
    """Log a valid form through ``log`` and go to the session; otherwise show the form with
    the refusal or the errors next to their fields, keeping what was typed."""
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            logged = log(form.log_data())
        except services.AlreadyLogged as error:
            messages.info(request, error.message)
            return redirect(error.session)
        except services.DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _logged_message(logged))
            return redirect(logged)
    return render(
        request,
        "sessions/session_log.html",
        {"form": form, "match": match, "session": session, "refusal": refusal},
    )


# --- The mentor's home panel -------------------------------------------------------------


def mentor_home_panel(request: HttpRequest):
    """Upcoming sessions (the next 14 days) and sessions waiting to be logged, with the way
    to schedule or log a meeting for each active match. Four queries, whatever the history."""
    user = request.user
    if not user.has_role("mentor"):
        return None
    matches = list(
        Match.objects.filter(mentor__user=user, status=Match.Status.ACTIVE)
        .select_related("mentee__user")
        .order_by("started_on", "pk")
    )
    if not matches:
        return None
    now = timezone.now()
    upcoming = Q(starts_at__gte=now, starts_at__lt=now + datetime.timedelta(days=UPCOMING_DAYS))
    to_log = Q(starts_at__lt=now)
    mine = _scheduled(MentoringSession.objects.filter(match__mentor__user=user))
    counts = mine.aggregate(
        upcoming=Count("pk", filter=upcoming), to_log=Count("pk", filter=to_log)
    )
    rows = mine.select_related(
        "match__mentee__user", "match__mentor__user", "match__program__center"
    )
    return {
        "template": "sessions/partials/home_mentor_sessions.html",
        "matches": matches,
        "upcoming": list(rows.filter(upcoming).order_by("starts_at", "pk")[:PANEL_ROWS]),
        "upcoming_count": counts["upcoming"],
        "to_log": list(rows.filter(to_log).order_by("-starts_at", "-pk")[:PANEL_ROWS]),
        "to_log_count": counts["to_log"],
        "days": UPCOMING_DAYS,
        "now": now,
    }


urlpatterns = [
    path("", session_list, name="session_list"),
    path("<int:pk>/", session_detail, name="session_detail"),
    path("<int:pk>/log/", session_log, name="session_log"),
    path("<int:pk>/edit/", session_edit, name="session_edit"),
    path("<int:pk>/cancel/", session_cancel, name="session_cancel"),
    path("matches/<int:match_pk>/schedule/", session_schedule, name="session_schedule"),
    path("matches/<int:match_pk>/log/", session_log_new, name="session_log_new"),
]
