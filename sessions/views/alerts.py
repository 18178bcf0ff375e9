"""Safety alerts and each program's crisis settings.

Who may do what: an alert is for the supervisors of its program, and once it has escalated
for the supervisors of every program of the same center (``SafetyAlert.visible_to``);
anyone else, coordinators and mentors included, gets 404. A program's crisis settings are for
its supervisors. Opening an alert is written to the audit log; every change to it is too.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import record_read
from accounts.models import Program, User
from accounts.services import DomainError
from sessions import services
from sessions.forms.safety import (
    AlertNoteForm,
    ContactAttemptForm,
    CrisisSettingsForm,
    ResolveAlertForm,
)
from sessions.models import CrisisSettings, SafetyAlert
from sessions.services.safety import escalation_due_at, escalation_minutes, program_supervisors

PAGE_SIZE = 25


def _ensure_supervisor(user: User) -> None:
    if not (user.is_superuser or user.has_role("supervisor")):
        raise Http404


def alerts_for(user: User):
    return SafetyAlert.objects.visible_to(user).select_related(
        "mentee__user", "program", "raised_by", "session", "acknowledged_by", "resolved_by"
    )


def _show_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    _ensure_supervisor(request.user)
    show_all = request.GET.get("show") == "all"
    alerts = alerts_for(request.user)
    if not show_all:
        alerts = alerts.open()
    page = Paginator(alerts.order_by("-raised_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    programs = Program.objects.filter(
        pk__in=request.user.program_ids_with_role("supervisor")
    ).order_by("name")
    return render(
        request,
        "sessions/alert_list.html",
        {
            "page_obj": page,
            "alerts": page.object_list,
            "show_all": show_all,
            "programs": programs,
        },
    )


def _render_detail(request, alert: SafetyAlert, *, status: int = 200, **forms) -> HttpResponse:
    minutes = escalation_minutes(alert.program_id)
    context = {
        "alert": alert,
        "notes": alert.notes.select_related("author"),
        "attempts": alert.contact_attempts.select_related("made_by"),
        "escalation_minutes": minutes,
        "escalates_at": escalation_due_at(alert, minutes),
        "note_form": forms.get("note_form") or AlertNoteForm(),
        "contact_form": forms.get("contact_form") or ContactAttemptForm(),
        "resolve_form": forms.get("resolve_form") or ResolveAlertForm(),
    }
    response = render(request, "sessions/alert_detail.html", context, status=status)
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(alerts_for(request.user), pk=pk)
    record_read(alert)
    return _render_detail(request, alert)


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(alerts_for(request.user), pk=pk)
    try:
        services.acknowledge_alert(actor=request.user, alert=alert)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You acknowledged the alert."))
    return redirect("mentoring_sessions:alert_detail", pk=alert.pk)


@login_required
@require_POST
def alert_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(alerts_for(request.user), pk=pk)
    form = AlertNoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_alert_note(actor=request.user, alert=alert, **form.cleaned_data)
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The note is saved."))
            return redirect("mentoring_sessions:alert_detail", pk=alert.pk)
    return _render_detail(request, alert, note_form=form)


@login_required
@require_POST
def alert_contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(alerts_for(request.user), pk=pk)
    form = ContactAttemptForm(request.POST)
    if form.is_valid():
        try:
            services.record_contact_attempt(actor=request.user, alert=alert, **form.cleaned_data)
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The contact attempt is recorded."))
            return redirect("mentoring_sessions:alert_detail", pk=alert.pk)
    return _render_detail(request, alert, contact_form=form)


@login_required
@require_POST
def alert_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(alerts_for(request.user), pk=pk)
    form = ResolveAlertForm(request.POST)
    if form.is_valid():
        try:
            services.resolve_alert(actor=request.user, alert=alert, **form.cleaned_data)
        except DomainError as error:
            if error.field not in form.fields:
                messages.error(request, error.message)
                return redirect("mentoring_sessions:alert_detail", pk=alert.pk)
            _show_error(form, error)
        else:
            messages.success(request, _("The alert is resolved."))
            return redirect("mentoring_sessions:alert_detail", pk=alert.pk)
    return _render_detail(request, alert, resolve_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def crisis_settings(request: HttpRequest, program_pk: int) -> HttpResponse:
    user = request.user
    programs = Program.objects.all()
    if not user.is_superuser:
        programs = programs.filter(pk__in=user.program_ids_with_role("supervisor"))
    program = get_object_or_404(programs, pk=program_pk)
    current = CrisisSettings.objects.filter(program=program).first()
    supervisors = User.objects.filter(
        pk__in=[supervisor.pk for supervisor in program_supervisors(program.pk)]
    ).order_by("display_name")
    initial = {
        "on_call_phone": current.on_call_phone if current else "",
        "on_call_supervisors": list(current.on_call_supervisors.all()) if current else [],
        "escalation_minutes": (
            current.escalation_minutes if current else CrisisSettings.DEFAULT_ESCALATION_MINUTES
        ),
    }
    form = CrisisSettingsForm(request.POST or None, initial=initial, supervisors=supervisors)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_crisis_settings(
                actor=user,
                program=program,
                on_call_phone=form.cleaned_data["on_call_phone"],
                on_call_supervisors=list(form.cleaned_data["on_call_supervisors"]),
                escalation_minutes=form.cleaned_data["escalation_minutes"],
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The crisis settings are saved."))
            return redirect("mentoring_sessions:crisis_settings", program_pk=program.pk)
    return render(request, "sessions/crisis_settings.html", {"form": form, "program": program})


urlpatterns = [
    path("alerts/", alert_list, name="alert_list"),
    path("alerts/<int:pk>/", alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/notes/", alert_note_add, name="alert_note_add"),
    path("alerts/<int:pk>/contacts/", alert_contact_add, name="alert_contact_add"),
    path("alerts/<int:pk>/resolve/", alert_resolve, name="alert_resolve"),
    path("alerts/settings/<int:program_pk>/", crisis_settings, name="crisis_settings"),
]
