"""Periodic evaluation reports and the research export.

Who may do what: everything here is for the supervisors of the report's program (and
administrators), read through ``EvaluationReport.objects.visible_to``; anyone else gets 404.
A signed report can still be read and downloaded, never changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.services import DomainError
from evaluation import metrics
from evaluation.charts import dashboard_charts
from evaluation.forms.reports import ReportCommentForm, ReportRequestForm
from evaluation.models import EvaluationReport
from evaluation.services import reports as services
from evaluation.services.research import research_export_csv

PAGE_SIZE = 25


def _ensure_supervisor(user) -> None:
    if not (user.is_superuser or user.has_role("supervisor")):
        raise Http404


def _report(request: HttpRequest, pk: int) -> EvaluationReport:
    return get_object_or_404(
        EvaluationReport.objects.visible_to(request.user).select_related(
            "program__center", "signed_off_by", "requested_by"
        ),
        pk=pk,
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _ensure_supervisor(request.user)
    reports = (
        EvaluationReport.objects.visible_to(request.user)
        .select_related("program", "signed_off_by")
        .order_by("-period_end", "program__name", "kind", "-pk")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "evaluation/report_list.html", {"page_obj": page, "reports": page.object_list}
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    _ensure_supervisor(request.user)
    programs = metrics.programs_for_dashboard(request.user)
    form = ReportRequestForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.request_report(
                actor=request.user, program=data["program"], start=data["start"], end=data["end"]
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(report)
    return render(request, "evaluation/report_form.html", {"form": form})


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    context = {
        "report": report,
        "comments": report.comments.select_related("author"),
        "comment_form": ReportCommentForm(),
        **_snapshot_context(report),
    }
    return _no_store(render(request, "evaluation/report_detail.html", context))


def _snapshot_context(report: EvaluationReport) -> dict:
    if report.status != EvaluationReport.Status.READY:
        return {"figures": None, "charts": []}
    return {"figures": report.snapshot, "charts": dashboard_charts(report.snapshot)}


@login_required
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment htmx polls while the report builds; once it is ready, the page
    reloads to show the report."""
    report = _report(request, pk)
    if not request.htmx:
        # Opened directly (no JavaScript, a bookmark): the report's own page shows the progress.
        return redirect("evaluation:report_detail", pk=report.pk)
    response = render(request, "evaluation/report_status.html", {"report": report})
    if report.status != EvaluationReport.Status.BUILDING:
        response["HX-Refresh"] = "true"
    return _no_store(response)


@login_required
@require_POST
def report_comment(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = ReportCommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_report_comment(
                actor=request.user, report=report, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            form.add_error(None if error.field not in form.fields else error.field, error.message)
        else:
            messages.success(request, _("Your comment is added."))
            return redirect(report)
    context = {
        "report": report,
        "comments": report.comments.select_related("author"),
        "comment_form": form,
        **_snapshot_context(report),
    }
    return _no_store(render(request, "evaluation/report_detail.html", context, status=400))


@login_required
@require_POST
def report_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    try:
        services.sign_off_report(actor=request.user, report=report)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report is signed off."))
    return redirect(report)


def _ready(request: HttpRequest, pk: int) -> EvaluationReport:
    report = _report(request, pk)
    if report.status != EvaluationReport.Status.READY:
        raise Http404
    return report


def _filename(report: EvaluationReport, extension: str) -> str:
    period = f"{report.period_start}-{report.period_end}"
    return f"evaluation-{report.program_id}-{report.kind}-{period}.{extension}"


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from evaluation.pdf import render_report_pdf

    report = _ready(request, pk)
    response = HttpResponse(
        render_report_pdf(report, request=request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "pdf")}"'
    return _no_store(response)


@login_required
def report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    report = _ready(request, pk)
    response = HttpResponse(services.report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    return _no_store(response)


@login_required
def research_export(request: HttpRequest) -> HttpResponse:
    """The de-identified CSV of the programs the person supervises (or one of them)."""
    _ensure_supervisor(request.user)
    programs = metrics.programs_for_dashboard(request.user)
    program_id = request.GET.get("program")
    if program_id:
        if not program_id.isdigit():
            raise Http404
        programs = programs.filter(pk=int(program_id))
        if not programs.exists():
            raise Http404
    text = research_export_csv(actor=request.user, programs=list(programs))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="peerpath-research-{stamp}.csv"'
    return _no_store(response)


urlpatterns = [
    path("reports/", report_list, name="report_list"),
    path("reports/new/", report_new, name="report_new"),
    path("reports/research-export.csv", research_export, name="research_export"),
    path("reports/<int:pk>/", report_detail, name="report_detail"),
    path("reports/<int:pk>/status/", report_status, name="report_status"),
    path("reports/<int:pk>/comments/", report_comment, name="report_comment"),
    path("reports/<int:pk>/sign-off/", report_sign_off, name="report_sign_off"),
    path("reports/<int:pk>/report.pdf", report_pdf, name="report_pdf"),
    path("reports/<int:pk>/report.csv", report_csv, name="report_csv"),
]
