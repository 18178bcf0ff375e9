"""Feedback loops with stakeholders.

Who may do what:
- ``stakeholder_respond``: the case manager or provider an invitation is addressed to, while
  the mentee's consent to share with them stands; anyone else gets 404;
- ``stakeholder_link``: public one-time link; the token opens one invitation's form only;
- ``meeting_notes``: the coordinators and supervisors of the program; ``meeting_note_new``:
  its coordinators;
- the answers show on the mentee's page to the program's staff (``mentee_panel``, registered in
  ``accounts.views.profiles.MENTEE_PROFILE_PANELS``) and the open invitations on the
  stakeholder's home page (``stakeholder_home_panel``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.links import protect_link_response
from accounts.models import Program
from accounts.services import DomainError
from evaluation.forms.reports import MeetingNoteForm, StakeholderResponseForm
from evaluation.models import StakeholderMeetingNote, StakeholderResponse
from evaluation.services import stakeholders as services

PANEL_ROWS = 8
NOTES_SHOWN = 50


def _show_domain_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _answer(form, invitation, *, via_link: bool, link=None) -> DomainError | None:
    try:
        services.submit_stakeholder_response(
            invitation=invitation,
            answered_by=invitation.recipient,
            via_link=via_link,
            link=link,
            **form.cleaned_data,
        )
    except DomainError as error:
        return error
    return None


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_respond(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        services.open_invitations_for(request.user).select_related(
            "mentee__user", "program", "recipient"
        ),
        pk=pk,
    )
    form = StakeholderResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _answer(form, invitation, via_link=False)
        if error is None:
            messages.success(
                request, _("Thank you. Your answers reach the program's coordinators.")
            )
            return redirect("home")
        _show_domain_error(form, error)
    return render(
        request, "evaluation/stakeholder_form.html", {"form": form, "invitation": invitation}
    )


@require_http_methods(["GET", "POST"])
def stakeholder_link(request: HttpRequest, token: str) -> HttpResponse:
    link = services.find_stakeholder_link(token)
    if link is None:
        raise Http404
    invitation = link.invitation
    if not link.is_usable or invitation.answered_at or not services.has_current_consent(invitation):
        response = render(request, "evaluation/stakeholder_closed.html", {})
    else:
        form = StakeholderResponseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            error = _answer(form, invitation, via_link=True, link=link)
            if error is None:
                response = render(request, "evaluation/stakeholder_thanks.html", {})
                return protect_link_response(response)
            _show_domain_error(form, error)
        response = render(
            request,
            "evaluation/stakeholder_form.html",
            {"form": form, "invitation": invitation, "via_link": True},
        )
    return protect_link_response(response)


def _staffed_program(request: HttpRequest, pk: int, *roles: str) -> Program:
    user = request.user
    programs = Program.objects.all()
    if not user.is_superuser:
        programs = programs.filter(pk__in=user.program_ids_with_role(*roles))
    return get_object_or_404(programs, pk=pk)


@login_required
def meeting_notes(request: HttpRequest, pk: int) -> HttpResponse:
    program = _staffed_program(request, pk, "coordinator", "supervisor")
    notes = StakeholderMeetingNote.objects.filter(program=program).select_related("recorded_by")
    roles = dict(StakeholderMeetingNote.Role.choices)
    notes = list(notes[:NOTES_SHOWN])
    for note in notes:
        note.role_labels = [roles.get(role, role) for role in note.attendee_roles]
    can_add = request.user.is_superuser or program.pk in request.user.program_ids_with_role(
        "coordinator"
    )
    return render(
        request,
        "evaluation/stakeholder_notes.html",
        {"program": program, "notes": notes, "can_add": can_add},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_note_new(request: HttpRequest, pk: int) -> HttpResponse:
    program = _staffed_program(request, pk, "coordinator")
    form = MeetingNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_meeting_note(actor=request.user, program=program, **form.cleaned_data)
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _("The meeting note is saved."))
            return redirect("evaluation:meeting_notes", pk=program.pk)
    return render(
        request, "evaluation/stakeholder_note_form.html", {"form": form, "program": program}
    )


# --- Panels on other apps' pages ------------------------------------------------------------


def mentee_panel(request: HttpRequest, mentee, access: str):
    """Stakeholders' answers about this mentee, for the program's staff."""
    if access != "staff":
        return None
    answers = list(
        StakeholderResponse.objects.filter(invitation__mentee=mentee)
        .select_related("invitation", "answered_by")
        .order_by("-submitted_at")[:PANEL_ROWS]
    )
    return {"template": "evaluation/stakeholder_mentee_panel.html", "answers": answers}


def stakeholder_home_panel(request: HttpRequest):
    user = request.user
    if not user.has_role("case_manager"):
        return None
    invitations = list(
        services.open_invitations_for(user)
        .select_related("mentee__user", "program")
        .order_by("created_at", "pk")[:PANEL_ROWS]
    )
    if not invitations:
        return None
    return {"template": "evaluation/stakeholder_home_panel.html", "invitations": invitations}


urlpatterns = [
    path("stakeholders/invitations/<int:pk>/", stakeholder_respond, name="stakeholder_respond"),
    path("stakeholders/link/<str:token>/", stakeholder_link, name="stakeholder_link"),
    path("programs/<int:pk>/stakeholder-meetings/", meeting_notes, name="meeting_notes"),
    path("programs/<int:pk>/stakeholder-meetings/new/", meeting_note_new, name="meeting_note_new"),
]
