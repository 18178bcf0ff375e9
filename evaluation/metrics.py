"""The dashboard figures, computed in the database for one scope (programs, period, subgroup).

Every function runs a fixed number of aggregate queries, whatever the number of rows: no loop
over matches, sessions or answers in Python. ``figures(scope)`` returns everything as plain
JSON-ready values (ints, floats rounded to one decimal, strings), so the same dict feeds the
dashboard, the stored report snapshot, the CSV and the PDF.

Definitions (what each figure means, written once):

- *waiting*: mentees whose status is "waiting" now; *longest wait* in days since
  ``waiting_since``. *Time to match*: mean days from referral to the start of the matches
  that started in the period.
- *active matches*: matches that were running on some day of the period (started on or before
  its end, not closed before its start).
- *sessions per active match per month*: held sessions in the period ÷ active matches ÷ the
  period's length in months (30.44 days).
- *no-show rate*: no-shows ÷ (held + no-shows) among the period's sessions.
- *retention at 3, 6, 12 months* (91, 182, 365 days): of the matches that started at least that
  long before the period's end, the share not closed before reaching it.
- *early closures*: matches closed in the period less than 6 months after they started, by
  reason.
- *contact fidelity*: a check-in is on time when it comes no later than the program's check-in
  interval after the previous check-in of the match (or after the match started).
- *measure completion*: completed ÷ (completed + missed + still due past the due date) among
  the administrations due in the period (cancelled ones do not count).
- *outcome change*: per instrument, for each match with a completed baseline, the latest
  completed follow-up by the period's end minus the baseline (reported score); *improved* means
  lower for PHQ-9, GAD-7, UCLA-3 and higher for BARC-10, WHO-5; *crossed a cut-off* means the
  instrument's cut-off flag (``instruments.CUTOFF_FLAGS``) changed in the good direction.
- *mentees who became mentors*: people with a mentee profile in scope who later got a mentor
  profile (in any program).
- *employment started*: mentors of the programs in scope with a peer-support or care-field job
  or a Waiver-service provider role (EmploymentOutcome) starting in the period.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    JSONField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import EmploymentOutcome, MenteeProfile, MentorProfile, Program
from evaluation.instruments import CUTOFF_FLAGS, STANDARDIZED
from evaluation.models import Administration
from matching.models import Match, SupportContact
from sessions.models import MentoringSession, SessionFeedback, SupportType

DAYS_PER_MONTH = 30.4375
RETENTION_DAYS = {"3": 91, "6": 182, "12": 365}
EARLY_CLOSURE_DAYS = 182
DEFAULT_CONTACT_INTERVAL = 30
TREND_MONTHS = 6
AGE_BANDS = {
    "14-17": (14, 17),
    "18-25": (18, 25),
    "26-39": (26, 39),
    "40-64": (40, 64),
    "65+": (65, 200),
}
LOWER_IS_BETTER = ("PHQ9", "GAD7", "UCLA3")
HIGHER_IS_BETTER = ("BARC10", "WHO5")
# The BARC-10 flag marks reaching the remission cut-off (good); the others mark a problem.
FLAG_IS_GOOD = ("BARC10",)


@dataclass
class Scope:
    """What the figures are about. ``programs`` is a Program queryset already limited to what
    the viewer may see; the rest narrows it."""

    programs: object
    start: datetime.date
    end: datetime.date
    center_id: int | None = None
    idd_mh: bool | None = None
    age_band: str = ""
    language_id: int | None = None
    today: datetime.date = field(default_factory=timezone.localdate)

    @property
    def months(self) -> float:
        return ((self.end - self.start).days + 1) / DAYS_PER_MONTH


def share(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def rounded(value, digits: int = 1):
    return None if value is None else round(float(value), digits)


def _days(value) -> float | None:
    """A mean of date differences (a timedelta on PostgreSQL) as days."""
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value), 1)


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` in the current time zone: the one ``__date`` lookups use."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def on_days(field_name: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    """``field_name`` (a timestamp) falls on a local date from ``start`` to ``end``.

    The same rows as ``__date__gte`` / ``__date__lte``, written as a range of moments so that
    the database can use an index on the column instead of converting every row's value."""
    condition = Q()
    if start is not None:
        condition &= Q(**{f"{field_name}__gte": day_start(start)})
    if end is not None:
        condition &= Q(**{f"{field_name}__lt": day_start(end + datetime.timedelta(days=1))})
    return condition


def _has_flag(field_name: str, flag: str) -> Q:
    """``flag`` is in the JSON list ``field_name`` (containment where the database has it)."""
    if connection.features.supports_json_field_contains:
        return Q(**{f"{field_name}__contains": [flag]})
    return Q(**{f"{field_name}__icontains": f'"{flag}"'})


# --- The population in scope --------------------------------------------------------------


def programs_in(scope: Scope):
    programs = scope.programs
    if scope.center_id:
        programs = programs.filter(center_id=scope.center_id)
    return programs


def mentees_in(scope: Scope):
    mentees = MenteeProfile.objects.filter(program__in=programs_in(scope))
    if scope.idd_mh is not None:
        mentees = mentees.filter(idd_mh=scope.idd_mh)
    if scope.age_band in AGE_BANDS:
        youngest, oldest = AGE_BANDS[scope.age_band]
        today = scope.today
        # Born after (today - oldest - 1 years) and on or before (today - youngest years).
        mentees = mentees.filter(
            birth_date__gt=_years_before(today, oldest + 1),
            birth_date__lte=_years_before(today, youngest),
        )
    if scope.language_id:
        mentees = mentees.filter(languages=scope.language_id)
    return mentees


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def matches_in(scope: Scope):
    return Match.objects.filter(mentee__in=mentees_in(scope).values("pk"))


def sessions_in(scope: Scope):
    return MentoringSession.objects.filter(
        on_days("starts_at", scope.start, scope.end),
        match__in=matches_in(scope).values("pk"),
    )


# --- Figures ------------------------------------------------------------------------------


def waiting_figures(scope: Scope) -> dict:
    mentees = mentees_in(scope)
    waiting = mentees.filter(status=MenteeProfile.Status.WAITING).aggregate(
        count=Count("pk"), since=Min("waiting_since")
    )
    started = matches_in(scope).filter(started_on__gte=scope.start, started_on__lte=scope.end)
    time_to_match = started.aggregate(days=Avg(F("started_on") - F("mentee__referral_date")))
    longest = (scope.today - waiting["since"]).days if waiting["since"] else None
    return {
        "waiting": waiting["count"],
        "longest_wait_days": longest,
        "mean_days_to_match": _days(time_to_match["days"]),
    }


def _reached(days: int) -> Q:
    return Q(closed_on__isnull=True) | Q(
        closed_on__gte=F("started_on") + datetime.timedelta(days=days)
    )


def match_figures(scope: Scope) -> dict:
    matches = matches_in(scope).filter(started_on__isnull=False)
    running = (
        Q(started_on__lte=scope.end)
        & (Q(closed_on__isnull=True) | Q(closed_on__gte=scope.start))
        & Q(status__in=(Match.Status.ACTIVE, Match.Status.PAUSED, Match.Status.CLOSED))
    )
    closed = Q(status=Match.Status.CLOSED, closed_on__gte=scope.start, closed_on__lte=scope.end)
    early = closed & Q(closed_on__lt=F("started_on") + datetime.timedelta(days=EARLY_CLOSURE_DAYS))
    counts = {
        "active": Count("pk", filter=running),
        "started": Count("pk", filter=Q(started_on__gte=scope.start, started_on__lte=scope.end)),
        "closed": Count("pk", filter=closed),
        "early_closed": Count("pk", filter=early),
    }
    for label, days in RETENTION_DAYS.items():
        eligible = Q(started_on__lte=scope.end - datetime.timedelta(days=days))
        counts[f"eligible_{label}"] = Count("pk", filter=eligible)
        counts[f"reached_{label}"] = Count("pk", filter=eligible & _reached(days))
    agg = matches.aggregate(**counts)
    reasons = (
        matches.filter(early)
        .values("close_reason")
        .annotate(count=Count("pk"))
        .order_by("-count", "close_reason")
    )
    labels = dict(Match.CloseReason.choices)
    return {
        "active": agg["active"],
        "started": agg["started"],
        "closed": agg["closed"],
        "early_closed": agg["early_closed"],
        "early_closure_reasons": [
            {
                "reason": str(labels.get(row["close_reason"], row["close_reason"])),
                "count": row["count"],
            }
            for row in reasons
        ],
        "retention": [
            {
                "months": int(label),
                "eligible": agg[f"eligible_{label}"],
                "reached": agg[f"reached_{label}"],
                "percent": share(agg[f"reached_{label}"], agg[f"eligible_{label}"]),
            }
            for label in RETENTION_DAYS
        ],
    }


def session_figures(scope: Scope, active_matches: int) -> dict:
    sessions = sessions_in(scope)
    counts = {
        "held": Count("pk", filter=Q(status=MentoringSession.Status.HELD)),
        "no_show": Count("pk", filter=Q(status=MentoringSession.Status.NO_SHOW)),
        "cancelled": Count("pk", filter=Q(status=MentoringSession.Status.CANCELLED)),
    }
    for support in SupportType.values:
        counts[f"support_{support}"] = Count(
            "pk",
            filter=Q(status=MentoringSession.Status.HELD) & _has_flag("support_types", support),
        )
    agg = sessions.aggregate(**counts)
    held = agg["held"]
    per_match_month = (
        round(held / active_matches / scope.months, 2) if active_matches and scope.months else None
    )
    labels = dict(SupportType.choices)
    return {
        "held": held,
        "no_show": agg["no_show"],
        "cancelled": agg["cancelled"],
        "no_show_rate": share(agg["no_show"], held + agg["no_show"]),
        "per_active_match_per_month": per_match_month,
        "support_mix": [
            {
                "type": support,
                "label": str(labels[support]).split(" (")[0],
                "sessions": agg[f"support_{support}"],
                "percent": share(agg[f"support_{support}"], held),
            }
            for support in SupportType.values
        ],
    }


def feedback_figures(scope: Scope) -> dict:
    feedback = SessionFeedback.objects.filter(session__in=sessions_in(scope).values("pk"))
    yes = SessionFeedback.Answer.YES
    agg = feedback.aggregate(
        count=Count("pk"),
        rating=Avg("rating"),
        listened=Count("pk", filter=Q(felt_listened_to=yes)),
        learned=Count("pk", filter=Q(learned_something=yes)),
        hopeful=Count("pk", filter=Q(more_hopeful=yes)),
    )
    trend_start = scope.end.replace(day=1) - datetime.timedelta(days=31 * (TREND_MONTHS - 1))
    trend_start = trend_start.replace(day=1)
    trend = (
        SessionFeedback.objects.filter(
            on_days("session__starts_at", trend_start, scope.end),
            session__match__in=matches_in(scope).values("pk"),
        )
        .annotate(month=TruncMonth("session__starts_at"))
        .values("month")
        .annotate(rating=Avg("rating"), count=Count("pk"))
        .order_by("month")
    )
    count = agg["count"]
    return {
        "count": count,
        "mean_rating": rounded(agg["rating"], 2),
        "listened_percent": share(agg["listened"], count),
        "learned_percent": share(agg["learned"], count),
        "hopeful_percent": share(agg["hopeful"], count),
        "trend": [
            {
                "month": row["month"].strftime("%Y-%m"),
                "mean_rating": rounded(row["rating"], 2),
                "count": row["count"],
            }
            for row in trend
        ],
    }


def _days_as_duration(days) -> ExpressionWrapper:
    """A whole number of days as a duration, on PostgreSQL (an interval) and on the SQLite
    demo database, which keeps durations as microseconds and cannot multiply an interval."""
    if connection.vendor == "sqlite":
        return ExpressionWrapper(days * Value(86_400_000_000), output_field=DurationField())
    return ExpressionWrapper(days * Value(datetime.timedelta(days=1)), output_field=DurationField())


def contact_fidelity(scope: Scope) -> dict:
    previous = (
        SupportContact.objects.filter(
            match=OuterRef("match"), contact_date__lt=OuterRef("contact_date")
        )
        .order_by("-contact_date")
        .values("contact_date")[:1]
    )
    interval = _days_as_duration(
        Coalesce(
            F("match__program__matching_settings__contact_interval_days"),
            Value(DEFAULT_CONTACT_INTERVAL),
        )
    )
    contacts = SupportContact.objects.filter(
        match__in=matches_in(scope).values("pk"),
        contact_date__gte=scope.start,
        contact_date__lte=scope.end,
    ).annotate(previous_on=Coalesce(Subquery(previous), F("match__started_on")))
    agg = contacts.aggregate(
        count=Count("pk"),
        on_time=Count("pk", filter=Q(contact_date__lte=F("previous_on") + interval)),
    )
    return {
        "contacts": agg["count"],
        "on_time": agg["on_time"],
        "on_time_percent": share(agg["on_time"], agg["count"]),
    }


def measure_figures(scope: Scope) -> dict:
    mentees = mentees_in(scope).values("pk")
    due = Administration.objects.filter(
        mentee__in=mentees, due_on__gte=scope.start, due_on__lte=scope.end
    )
    completion = (
        due.values("instrument")
        .annotate(
            completed=Count("pk", filter=Q(status="completed")),
            missed=Count("pk", filter=Q(status="missed")),
            overdue=Count("pk", filter=Q(status="due", due_on__lt=scope.today)),
        )
        .order_by("instrument")
    )
    latest = (
        Administration.objects.filter(
            on_days("completed_at", None, scope.end),
            match=OuterRef("match"),
            instrument=OuterRef("instrument"),
            status="completed",
        )
        .exclude(timepoint="baseline")
        .order_by("-completed_at", "-pk")
    )
    baselines = (
        Administration.objects.filter(
            on_days("completed_at", None, scope.end),
            mentee__in=mentees,
            instrument__in=STANDARDIZED,
            timepoint="baseline",
            status="completed",
        )
        .annotate(
            latest_score=Subquery(latest.values("reported_score")[:1], output_field=IntegerField()),
            latest_flags=Subquery(latest.values("flags")[:1], output_field=JSONField()),
        )
        # A completed follow-up always has a score: "has one" is cheaper to ask than
        # "its score is not null" (one lookup instead of a third correlated subquery).
        .filter(Exists(latest))
    )
    improved = Q(instrument__in=LOWER_IS_BETTER, latest_score__lt=F("reported_score")) | Q(
        instrument__in=HIGHER_IS_BETTER, latest_score__gt=F("reported_score")
    )
    crossed = Q()
    for code, flag in CUTOFF_FLAGS.items():
        if code in FLAG_IS_GOOD:
            went_good = ~_has_flag("flags", flag) & _has_flag("latest_flags", flag)
        else:
            went_good = _has_flag("flags", flag) & ~_has_flag("latest_flags", flag)
        crossed |= Q(instrument=code) & went_good
    outcomes = (
        baselines.values("instrument")
        .annotate(
            pairs=Count("pk"),
            mean_change=Avg(F("latest_score") - F("reported_score")),
            improved=Count("pk", filter=improved),
            crossed=Count("pk", filter=crossed),
        )
        .order_by("instrument")
    )
    return {
        "completion": [
            {
                "instrument": row["instrument"],
                "completed": row["completed"],
                "missed": row["missed"],
                "overdue": row["overdue"],
                "percent": share(
                    row["completed"], row["completed"] + row["missed"] + row["overdue"]
                ),
            }
            for row in completion
        ],
        "outcomes": [
            {
                "instrument": row["instrument"],
                "pairs": row["pairs"],
                "mean_change": rounded(row["mean_change"], 2),
                "improved_percent": share(row["improved"], row["pairs"]),
                "crossed_percent": share(row["crossed"], row["pairs"]),
                "higher_is_better": row["instrument"] in HIGHER_IS_BETTER,
            }
            for row in outcomes
        ],
    }


def pathway_figures(scope: Scope) -> dict:
    later_mentor = MentorProfile.objects.filter(
        user=OuterRef("user"), created_at__gt=OuterRef("created_at")
    )
    in_period = later_mentor.filter(on_days("created_at", scope.start, scope.end))
    # Only mentees who later became mentors can count at all: narrowing to them first lets
    # the database join once instead of probing every mentee twice.
    agg = (
        mentees_in(scope)
        .filter(Exists(later_mentor))
        .aggregate(
            total=Count("pk"),
            in_period=Count("pk", filter=Q(Exists(in_period))),
        )
    )
    jobs = EmploymentOutcome.objects.filter(
        mentor__program__in=scope.programs,
        started_on__gte=scope.start,
        started_on__lte=scope.end,
    )
    if scope.center_id:
        jobs = jobs.filter(mentor__program__center_id=scope.center_id)
    return {
        "became_mentors": agg["total"],
        "became_mentors_in_period": agg["in_period"],
        "employment_started": jobs.aggregate(n=Count("mentor", distinct=True))["n"],
    }


def figures(scope: Scope) -> dict:
    """Every dashboard figure for the scope (a fixed number of queries)."""
    matches = match_figures(scope)
    return {
        "period": {"start": scope.start.isoformat(), "end": scope.end.isoformat()},
        "waiting": waiting_figures(scope),
        "matches": matches,
        "sessions": session_figures(scope, matches["active"]),
        "feedback": feedback_figures(scope),
        "contacts": contact_fidelity(scope),
        "measures": measure_figures(scope),
        "pathway": pathway_figures(scope),
    }


# Headline figures compared with the previous period in reports: (section, key, label).
HEADLINES = (
    ("waiting", "waiting", _("Mentees waiting")),
    ("waiting", "mean_days_to_match", _("Days from referral to match (mean)")),
    ("matches", "active", _("Active matches")),
    ("matches", "started", _("Matches started")),
    ("matches", "early_closed", _("Early closures")),
    ("sessions", "held", _("Sessions held")),
    ("sessions", "per_active_match_per_month", _("Sessions per active match per month")),
    ("sessions", "no_show_rate", _("No-show rate (%)")),
    ("feedback", "mean_rating", _("Mean feedback rating (1–5)")),
    ("contacts", "on_time_percent", _("Check-ins on time (%)")),
    ("pathway", "became_mentors_in_period", _("Mentees who became mentors")),
    ("pathway", "employment_started", _("Mentors who started a care-field job")),
)


def headline_values(snapshot: dict) -> dict[str, float | int | None]:
    return {
        f"{section}.{key}": snapshot.get(section, {}).get(key) for section, key, _label in HEADLINES
    }


def programs_for_dashboard(user):
    """Programs whose dashboard this person may open: those they supervise."""
    if user.is_superuser:
        return Program.objects.all()
    return Program.objects.filter(pk__in=user.program_ids_with_role("supervisor"))
