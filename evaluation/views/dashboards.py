"""Outcome dashboards.

Who may see what:
- ``dashboard``: the supervisor's figures for the programs they supervise, one or all, filtered
  by center, period and subgroup (administrators: every program); anyone else gets 404;
- ``caseload``: a coordinator's view of the matches in the programs they coordinate;
- ``my_mentees``: a mentor's own mentees; measure scores only for the mentees with a current
  consent to share them with their mentor (``Consent.Kind.SHARE_WITH_MENTOR``).
Each page runs a fixed number of queries whatever the number of rows.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import (
    Avg,
    Count,
    DateField,
    Exists,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from accounts.models import Consent, Program
from evaluation import metrics
from evaluation.charts import dashboard_charts
from evaluation.forms.reports import DashboardFilterForm
from evaluation.instruments import STANDARDIZED
from evaluation.models import Administration
from matching.models import Match, SupportContact
from matching.selectors import AGREED_STATUSES
from sessions.models import MentoringSession, SessionFeedback

CASELOAD_ROWS = 200


def _figures_page(request: HttpRequest, programs, template: str, extra=None) -> HttpResponse:
    # Always bound: with no filters given the form is valid and means "the last 90 days".
    filters = DashboardFilterForm(request.GET, programs=programs)
    context = {"filters": filters, "figures": None, "charts": []}
    if filters.is_valid():
        scope = metrics.Scope(**filters.scope_kwargs())
        figures = metrics.figures(scope)
        context.update(
            figures=figures,
            charts=dashboard_charts(figures),
            scope=scope,
            **(extra(scope) if extra else {}),
        )
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    programs = metrics.programs_for_dashboard(request.user)
    if not programs.exists():
        raise Http404
    return _figures_page(request, programs, "evaluation/dashboard.html")


def _per_match(rows, aggregate, *, match="match", output_field=None):
    """``aggregate`` over ``rows`` (already filtered on ``OuterRef("pk")`` through ``match``)
    as a scalar subquery; a count of no rows is 0."""
    value = Subquery(
        rows.order_by().values(match).annotate(value=aggregate).values("value")[:1],
        output_field=output_field or IntegerField(),
    )
    return Coalesce(value, 0) if isinstance(aggregate, Count) else value


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_superuser:
        programs = Program.objects.all()
    else:
        programs = Program.objects.filter(pk__in=user.program_ids_with_role("coordinator"))
    if not programs.exists():
        raise Http404

    def caseload_rows(scope):
        # One subquery per figure, each reading one match's rows through an index: joining
        # sessions, feedback and contacts at once would multiply them into each other.
        sessions = MentoringSession.objects.filter(
            metrics.on_days("starts_at", scope.start, scope.end), match=OuterRef("pk")
        )
        rows = (
            metrics.matches_in(scope)
            .filter(status__in=AGREED_STATUSES)
            .annotate(
                held=_per_match(sessions.filter(status=MentoringSession.Status.HELD), Count("pk")),
                no_shows=_per_match(
                    sessions.filter(status=MentoringSession.Status.NO_SHOW), Count("pk")
                ),
                rating=_per_match(
                    SessionFeedback.objects.filter(
                        metrics.on_days("session__starts_at", scope.start, scope.end),
                        session__match=OuterRef("pk"),
                    ),
                    Avg("rating"),
                    match="session__match",
                    output_field=FloatField(),
                ),
                last_contact=_per_match(
                    SupportContact.objects.filter(match=OuterRef("pk")),
                    Max("contact_date"),
                    output_field=DateField(),
                ),
            )
            .select_related("mentee__user", "mentor__user", "program")
            .order_by("program__name", "started_on", "pk")
        )
        return {"rows": rows[:CASELOAD_ROWS]}

    return _figures_page(request, programs, "evaluation/dashboard_caseload.html", caseload_rows)


@login_required
def my_mentees(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_role("mentor"):
        raise Http404
    shared = Consent.objects.current().filter(
        Q(recipient__isnull=True) | Q(recipient=user),
        mentee=OuterRef("mentee"),
        kind=Consent.Kind.SHARE_WITH_MENTOR,
    )
    since = timezone.localdate().replace(day=1)
    matches = list(
        Match.objects.filter(mentor__user=user, status__in=AGREED_STATUSES)
        .annotate(
            shared=Exists(shared),
            held=Count(
                "sessions", filter=Q(sessions__status=MentoringSession.Status.HELD), distinct=True
            ),
            held_this_month=Count(
                "sessions",
                filter=Q(
                    sessions__status=MentoringSession.Status.HELD,
                    sessions__starts_at__date__gte=since,
                ),
                distinct=True,
            ),
        )
        .select_related("mentee__user", "program")
        .order_by("started_on", "pk")
    )
    progress = _shared_progress([match for match in matches if match.shared])
    for match in matches:
        match.progress = progress.get(match.pk, [])
    response = render(request, "evaluation/dashboard_mentor.html", {"matches": matches})
    response["Cache-Control"] = "no-store"
    return response


def _shared_progress(matches) -> dict[int, list[dict]]:
    """Per match: each standardized measure's baseline and latest score (one query)."""
    if not matches:
        return {}
    done = (
        Administration.objects.filter(
            match__in=[match.pk for match in matches],
            status=Administration.Status.COMPLETED,
            instrument__in=STANDARDIZED,
        )
        .order_by("match_id", "instrument", "completed_at", "pk")
        .values("match_id", "instrument", "timepoint", "reported_score", "completed_at")
    )
    found: dict[int, dict[str, dict]] = {}
    for row in done:
        entry = found.setdefault(row["match_id"], {}).setdefault(
            row["instrument"], {"instrument": row["instrument"], "baseline": None, "latest": None}
        )
        if row["timepoint"] == "baseline":
            entry["baseline"] = row["reported_score"]
        else:
            entry["latest"] = row["reported_score"]
            entry["latest_on"] = row["completed_at"]
    result = {}
    for match_id, by_instrument in found.items():
        rows = []
        for entry in by_instrument.values():
            if entry["baseline"] is not None and entry["latest"] is not None:
                change = entry["latest"] - entry["baseline"]
                better = (
                    change > 0 if entry["instrument"] in metrics.HIGHER_IS_BETTER else change < 0
                )
                entry.update(change=change, improved=better)
            rows.append(entry)
        result[match_id] = rows
    return result


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/caseload/", caseload, name="caseload"),
    path("dashboard/my-mentees/", my_mentees, name="my_mentees"),
]
