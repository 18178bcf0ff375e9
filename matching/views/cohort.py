"""Cohort matching: choose people, review the drafted assignment, rerun, publish.

Who may do what:
- starting a run, keeping or dropping drafts, rerunning and publishing are for the
  coordinators of the program (and administrators): they propose matches;
- the review page of a run is also open to the program's supervisors, read-only, so that
  they can see how the proposals they will approve were drafted;
- runs are fetched through the program scope: anyone else gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import MenteeProfile, Program
from accounts.scoping import STAFF_ROLES
from accounts.services import DomainError
from matching import services
from matching.forms.cohort import CohortForm, DecisionForm
from matching.models import CohortRun, DraftProposal
from matching.services.cohort import left_out_reason, successor_of

RECENT_RUNS = 10


def _programs(user, *roles: str):
    if user.is_superuser:
        return Program.objects.all()
    return Program.objects.filter(pk__in=user.program_ids_with_role(*roles))


def _runs(user, *roles: str):
    return CohortRun.objects.filter(program__in=_programs(user, *roles)).select_related(
        "program", "created_by"
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_new(request: HttpRequest, program_id: int) -> HttpResponse:
    program = get_object_or_404(_programs(request.user, "coordinator"), pk=program_id)
    data = request.POST if request.method == "POST" else None
    form = CohortForm(data, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_cohort(
                actor=request.user,
                program=program,
                mentee_ids=[m.pk for m in form.cleaned_data["mentees"]],
                mentor_ids=[m.pk for m in form.cleaned_data["mentors"]],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("matching:cohort_review", pk=run.pk)
    recent = CohortRun.objects.filter(program=program).select_related("created_by")
    return render(
        request,
        "matching/cohort_new.html",
        {"program": program, "form": form, "recent_runs": recent[:RECENT_RUNS]},
    )


@login_required
def cohort_review(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(_runs(request.user, *STAFF_ROLES), pk=pk)
    user = request.user
    drafts = list(
        run.drafts.select_related("mentee__user", "mentor__user", "match").order_by(
            "-score", "mentee__user__display_name"
        )
    )
    left_out_ids = [entry["mentee_id"] for entry in run.left_out]
    names = dict(
        MenteeProfile.objects.filter(pk__in=left_out_ids).values_list("pk", "user__display_name")
    )
    left_out = [
        {
            "mentee_id": entry["mentee_id"],
            "name": names.get(entry["mentee_id"], "—"),
            "reason": left_out_reason(entry),
        }
        for entry in run.left_out
    ]
    successor = successor_of(run)
    may_act = (
        (user.is_superuser or run.program_id in user.program_ids_with_role("coordinator"))
        and run.published_at is None
        and successor is None
    )
    decided = {value: 0 for value in DraftProposal.Decision.values}
    for draft in drafts:
        decided[draft.decision] += 1
    return render(
        request,
        "matching/cohort_review.html",
        {
            "run": run,
            "drafts": drafts,
            "left_out": left_out,
            "successor": successor,
            "may_act": may_act,
            "kept_count": decided[DraftProposal.Decision.KEEP],
            "dropped_count": decided[DraftProposal.Decision.DROP],
            "undecided_count": decided[DraftProposal.Decision.UNDECIDED],
        },
    )


@login_required
@require_POST
def cohort_decide(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(
        DraftProposal.objects.filter(run__in=_runs(request.user, "coordinator")).select_related(
            "run"
        ),
        pk=pk,
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose keep or drop."))
    else:
        try:
            services.decide_draft(
                actor=request.user, draft=draft, decision=form.cleaned_data["decision"]
            )
        except DomainError as error:
            messages.error(request, error.message)
    return redirect(f"{_review_url(draft.run_id)}#draft-{draft.pk}")


@login_required
@require_POST
def cohort_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(_runs(request.user, "coordinator"), pk=pk)
    try:
        new_run = services.rerun_cohort(actor=request.user, run=run)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("matching:cohort_review", pk=run.pk)
    messages.success(
        request,
        _("Run %(new)s continues run %(old)s: the kept drafts moved to it.")
        % {"new": new_run.pk, "old": run.pk},
    )
    return redirect("matching:cohort_review", pk=new_run.pk)


@login_required
@require_POST
def cohort_publish(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(_runs(request.user, "coordinator"), pk=pk)
    try:
        result = services.publish_cohort(actor=request.user, run=run)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("matching:cohort_review", pk=run.pk)
    if result.already_published:
        messages.info(request, _("This run was already published; nothing new was proposed."))
    else:
        count = len(result.proposed)
        messages.success(
            request,
            ngettext("%(count)d match proposed.", "%(count)d matches proposed.", count)
            % {"count": count},
        )
        for draft, message in result.failed:
            messages.error(
                request,
                _("%(mentee)s with %(mentor)s was not proposed: %(rule)s")
                % {
                    "mentee": draft.mentee.user.display_name,
                    "mentor": draft.mentor.user.display_name,
                    "rule": message,
                },
            )
    return redirect("matching:cohort_review", pk=run.pk)


def _review_url(pk: int) -> str:
    return reverse("matching:cohort_review", args=[pk])


urlpatterns = [
    path("programs/<int:program_id>/cohort/", cohort_new, name="cohort_new"),
    path("cohort/<int:pk>/", cohort_review, name="cohort_review"),
    path("cohort/drafts/<int:pk>/decide/", cohort_decide, name="cohort_decide"),
    path("cohort/<int:pk>/rerun/", cohort_rerun, name="cohort_rerun"),
    path("cohort/<int:pk>/publish/", cohort_publish, name="cohort_publish"),
]
