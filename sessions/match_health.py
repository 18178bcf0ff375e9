"""What sessions tell the matching board and a match's timeline: the last session held, the
feedback trend, and the sessions themselves (registered in this app's ready())."""

import datetime

from django.db.models import Avg, Max, OuterRef, Subquery
from django.utils import timezone

from sessions.models import MentoringSession, SessionFeedback

TREND_WINDOW = datetime.timedelta(days=90)


def _feedback_average(since: datetime.datetime, until: datetime.datetime):
    return Subquery(
        SessionFeedback.objects.filter(
            session__match=OuterRef("pk"),
            session__starts_at__gte=since,
            session__starts_at__lt=until,
        )
        .order_by()
        .values("session__match")
        .annotate(average=Avg("rating"))
        .values("average")
    )


def with_session_health(matches):
    """Annotate ``last_session_on`` (latest held session), ``feedback_recent`` (average rating
    over the last 90 days) and ``feedback_earlier`` (the 90 days before), as subqueries so the
    check-in aggregates on the same rows are not multiplied."""
    now = timezone.now()
    last_held = Subquery(
        MentoringSession.objects.filter(match=OuterRef("pk"), status=MentoringSession.Status.HELD)
        .order_by()
        .values("match")
        .annotate(last=Max("starts_at"))
        .values("last")
    )
    return matches.annotate(
        last_session_on=last_held,
        feedback_recent=_feedback_average(now - TREND_WINDOW, now),
        feedback_earlier=_feedback_average(now - 2 * TREND_WINDOW, now - TREND_WINDOW),
    )


def session_timeline(match) -> list[dict]:
    """The match's sessions as timeline entries (no private notes: staff timelines show the
    status, date and length; the session page applies the private-notes rule)."""
    return [
        {
            "kind": "session",
            "day": timezone.localdate(session.starts_at),
            "at": session.starts_at,
            "item": session,
            "template": "sessions/partials/timeline_session.html",
        }
        for session in MentoringSession.objects.filter(match=match)
        .only("pk", "starts_at", "status", "duration_minutes", "modality", "concern", "match_id")
        .order_by("starts_at")
    ]
