"""A waiting mentee's suggested mentors, proposing one, and the program's matching weights.

Who may do what:
- the suggestions and "Propose" are for the coordinators and supervisors of the mentee's
  program (and administrators); the mentee is read through ``MenteeProfile.objects.visible_to``
  and anyone who is not staff of its program gets 404 (a mentor who may see the mentee's
  profile still may not see who else could mentor them);
- the weights page is for the supervisors of the program: they set how matching decides.
  Coordinators see the effect on the suggestions, not the form (404, like any page outside
  one's role).
"""

import copy
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import record_read
from accounts.models import MenteeProfile, Program
from accounts.scoping import STAFF_ROLES
from accounts.services import DomainError
from matching import services
from matching.forms.suggestions import ProposeForm, WeightsForm
from matching.models import Match, MatchingSettings
from matching.suggestions import explain_pair, preview_weights, review_for

SUGGESTION_LIMIT = 20


def _staff_mentee(user, pk: int) -> MenteeProfile:
    mentee = get_object_or_404(
        MenteeProfile.objects.visible_to(user).select_related("user", "program"), pk=pk
    )
    if not (user.is_superuser or mentee.program_id in user.program_ids_with_role(*STAFF_ROLES)):
        raise Http404
    return mentee


def _supervised_program(user, program_id: int) -> Program:
    programs = Program.objects.all()
    if not user.is_superuser:
        programs = programs.filter(pk__in=user.program_ids_with_role("supervisor"))
    return get_object_or_404(programs.select_related("center"), pk=program_id)


@login_required
def suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    mentee = _staff_mentee(request.user, pk)
    review = review_for(mentee, limit=SUGGESTION_LIMIT)
    # The reasons speak of the mentee's lived experience and goals: the read is audited.
    record_read(mentee)
    open_match = Match.objects.open().filter(mentee=mentee).select_related("mentor__user").first()
    return render(
        request,
        "matching/suggestions.html",
        {
            "mentee": mentee,
            "review": review,
            "open_match": open_match,
            "may_propose": mentee.status == MenteeProfile.Status.WAITING and open_match is None,
        },
    )


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    mentee = _staff_mentee(request.user, pk)
    form = ProposeForm(request.POST, mentee=mentee)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("matching:suggestions", pk=mentee.pk)
    mentor = form.cleaned_data["mentor"]
    score, reasons = explain_pair(mentee, mentor)
    try:
        match = services.propose_match(
            actor=request.user,
            mentee=mentee,
            mentor=mentor,
            score=Decimal(f"{score:.2f}"),
            reasons=reasons,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("matching:suggestions", pk=mentee.pk)
    messages.success(
        request,
        _("%(mentor)s is proposed as %(mentee)s's mentor.")
        % {"mentor": mentor.user.display_name, "mentee": mentee.user.display_name},
    )
    return redirect(match.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def weights_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _supervised_program(request.user, program_id)
    current = MatchingSettings.for_program(program)
    # Validating a ModelForm writes the typed values onto its instance; the preview compares
    # them with the stored ones, so the form works on a copy.
    data = request.POST if request.method == "POST" else None
    form = WeightsForm(data, instance=copy.copy(current))
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "save":
            try:
                services.update_matching_weights(
                    actor=request.user,
                    program=program,
                    weights=form.all_weights(),
                    requires_approval=form.cleaned_data["requires_approval"],
                    cadence=form.cadence(),
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("The matching weights are saved."))
                return redirect("matching:weights_edit", program_id=program.pk)
        else:
            preview = preview_weights(program.pk, before=current.weights, after=form.weights())
    return render(
        request,
        "matching/weights.html",
        {"program": program, "form": form, "preview": preview, "current": current},
    )


urlpatterns = [
    path("mentees/<int:pk>/suggestions/", suggestions, name="suggestions"),
    path("mentees/<int:pk>/propose/", propose, name="propose"),
    path("programs/<int:program_id>/weights/", weights_edit, name="weights_edit"),
]
