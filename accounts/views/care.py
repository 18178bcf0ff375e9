"""Consents and personal goals, reached from the mentee's page.

Every record is fetched through a queryset scoped to the person asking, and an action the
person may not take answers 404, like a record they cannot see: a case manager who can read a
mentee's goals gets 404 on any change. After a change the person goes back to the mentee's page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms.care import ConsentForm, GoalForm, GoalProgressForm
from accounts.models import Consent, Goal, GoalStep, MenteeProfile
from accounts.scoping import mentee_access
from accounts.services import DomainError


def _show_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _mentee_page(mentee: MenteeProfile):
    # Resolved at request time: the mentee's page is ``accounts:mentee_detail``.
    return redirect(mentee.get_absolute_url())


def _visible_mentee(request, pk: int) -> MenteeProfile:
    mentees = MenteeProfile.objects.visible_to(request.user).select_related(
        "user", "program", "case_manager"
    )
    return get_object_or_404(mentees, pk=pk)


def _goal_for_change(request, pk: int) -> Goal:
    """A goal this person may change; 404 when they cannot see it or may only read it."""
    goals = Goal.objects.visible_to(request.user).select_related(
        "mentee__user", "mentee__program", "area"
    )
    goal = get_object_or_404(goals, pk=pk)
    if not services.may_change_goals(request.user, goal.mentee):
        raise Http404
    return goal


# --- Consents ----------------------------------------------------------------------------


@login_required
def consent_create(request, pk: int):
    mentee = _visible_mentee(request, pk)
    if mentee_access(request.user, mentee) != "staff":
        raise Http404
    form = ConsentForm(request.POST or None, mentee=mentee)
    if request.method == "POST" and form.is_valid():
        try:
            consent = services.record_consent(
                actor=request.user, mentee=mentee, **form.cleaned_data
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(
                request,
                _("Consent recorded: %(kind)s.") % {"kind": consent.get_kind_display()},
            )
            return _mentee_page(mentee)
    return render(request, "accounts/consent_form.html", {"form": form, "mentee": mentee})


@login_required
@require_POST
def consent_revoke(request, pk: int):
    consents = Consent.objects.filter(
        mentee__in=MenteeProfile.objects.visible_to(request.user).values("pk")
    ).select_related("mentee__user", "mentee__program")
    consent = get_object_or_404(consents, pk=pk)
    if not services.may_revoke_consent(request.user, consent):
        raise Http404
    try:
        services.revoke_consent(actor=request.user, consent=consent)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Consent revoked: %(kind)s. It no longer applies from now on.")
            % {"kind": consent.get_kind_display()},
        )
    return _mentee_page(consent.mentee)


# --- Personal goals ----------------------------------------------------------------------


@login_required
def goal_create(request, pk: int):
    mentee = _visible_mentee(request, pk)
    if not services.may_change_goals(request.user, mentee):
        raise Http404
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_goal(actor=request.user, mentee=mentee, **form.cleaned_data)
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The goal is saved."))
            return _mentee_page(mentee)
    return render(
        request,
        "accounts/goal_form.html",
        {"form": form, "mentee": mentee, "heading": _("Add a goal"), "submit": _("Save goal")},
    )


@login_required
def goal_edit(request, pk: int):
    goal = _goal_for_change(request, pk)
    initial = {
        "area": goal.area,
        "statement": goal.statement,
        "steps": GoalForm.steps_as_text(goal),
    }
    form = GoalForm(request.POST or None, initial=initial, current_area=goal.area)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_goal(actor=request.user, goal=goal, **form.cleaned_data)
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The goal is updated."))
            return _mentee_page(goal.mentee)
    return render(
        request,
        "accounts/goal_form.html",
        {
            "form": form,
            "mentee": goal.mentee,
            "goal": goal,
            "heading": _("Change the goal"),
            "submit": _("Save changes"),
        },
    )


@login_required
@require_POST
def goal_progress(request, pk: int):
    """Posted from the small form under each goal; on a mistake, a page with the form."""
    goal = _goal_for_change(request, pk)
    form = GoalProgressForm(request.POST)
    if form.is_valid():
        try:
            services.record_goal_progress(actor=request.user, goal=goal, **form.cleaned_data)
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Progress recorded."))
            return _mentee_page(goal.mentee)
    return render(
        request,
        "accounts/goal_form.html",
        {
            "form": form,
            "mentee": goal.mentee,
            "goal": goal,
            "heading": _("Record progress"),
            "submit": _("Save progress"),
        },
    )


@login_required
@require_POST
def goal_step_toggle(request, pk: int):
    """Mark a small step done or not done; the form says which (``done`` is "1" or "0"),
    so that a repeated click does not undo the first."""
    steps = GoalStep.objects.filter(
        goal__in=Goal.objects.visible_to(request.user).values("pk")
    ).select_related("goal__mentee__user", "goal__mentee__program")
    step = get_object_or_404(steps, pk=pk)
    if not services.may_change_goals(request.user, step.goal.mentee):
        raise Http404
    done = request.POST.get("done") == "1"
    try:
        services.set_goal_step_done(actor=request.user, step=step, done=done)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        message = _("Step done: %(step)s") if done else _("Step marked as not done: %(step)s")
        messages.success(request, message % {"step": step.text})
    return _mentee_page(step.goal.mentee)


urlpatterns = [
    path("mentees/<int:pk>/consents/new/", consent_create, name="consent_create"),
    path("consents/<int:pk>/revoke/", consent_revoke, name="consent_revoke"),
    path("mentees/<int:pk>/goals/new/", goal_create, name="goal_create"),
    path("goals/<int:pk>/edit/", goal_edit, name="goal_edit"),
    path("goals/<int:pk>/progress/", goal_progress, name="goal_progress"),
    path("goal-steps/<int:pk>/toggle/", goal_step_toggle, name="goal_step_toggle"),
]
