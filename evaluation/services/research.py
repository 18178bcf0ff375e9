"""The de-identified research export (CSV): matches, sessions, feedback and measures of the
mentees who hold a current consent to research use, and of nobody else.

De-identification (the Safe Harbor list applied to what PeerPath holds):
- no names, emails, phones, places, free text (summaries, notes, comments, closing notes);
- people, mentors and matches appear as pseudonymous ids, a keyed hash of the row id (stable
  across exports from the same deployment, meaningless outside it);
- every date is coarsened to its month (``YYYY-MM``);
- ages are whole years at the match start (or today), and every age over 89 is "90+".
Every export is written to the audit log (who, when, which program, how many rows).
"""

import csv
import datetime
import hashlib
import hmac
import io

from auditlog.models import LogEntry
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Consent, MenteeProfile, Program, User
from evaluation.models import Administration
from matching.models import Match
from sessions.models import MentoringSession, SessionFeedback

COLUMNS = [
    "record",
    "person",
    "match",
    "mentor",
    "month",
    "age",
    "program",
    "status",
    "close_reason",
    "duration_minutes",
    "modality",
    "support_types",
    "rating",
    "felt_listened_to",
    "learned_something",
    "more_hopeful",
    "instrument",
    "timepoint",
    "score",
    "band",
]
OLDEST_REPORTED_AGE = 89


def pseudonym(kind: str, pk: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{pk}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def month_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%Y-%m")


def age_on(birth_date: datetime.date | None, day: datetime.date | None) -> str:
    if birth_date is None:
        return ""
    day = day or timezone.localdate()
    years = day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    return "90+" if years > OLDEST_REPORTED_AGE else str(years)


def consenting_mentees(programs):
    research = Consent.objects.current().filter(mentee=OuterRef("pk"), kind=Consent.Kind.RESEARCH)
    return MenteeProfile.objects.filter(program__in=programs).filter(Exists(research))


def _rows(programs):
    mentees = consenting_mentees(programs).values("pk")
    matches = (
        Match.objects.filter(mentee__in=mentees, started_on__isnull=False)
        .select_related("mentee")
        .order_by("pk")
    )
    for match in matches.iterator():
        yield {
            "record": "match",
            "person": pseudonym("mentee", match.mentee_id),
            "match": pseudonym("match", match.pk),
            "mentor": pseudonym("mentor", match.mentor_id),
            "month": month_of(match.started_on),
            "age": age_on(match.mentee.birth_date, match.started_on),
            "program": match.program_id,
            "status": match.status,
            "close_reason": match.close_reason,
        }
    sessions = (
        MentoringSession.objects.filter(match__mentee__in=mentees)
        .select_related("match")
        .order_by("pk")
    )
    for session in sessions.iterator():
        yield {
            "record": "session",
            "person": pseudonym("mentee", session.match.mentee_id),
            "match": pseudonym("match", session.match_id),
            "mentor": pseudonym("mentor", session.match.mentor_id),
            "month": month_of(session.starts_at),
            "program": session.match.program_id,
            "status": session.status,
            "duration_minutes": session.duration_minutes or "",
            "modality": session.modality,
            "support_types": ";".join(session.support_types),
        }
    feedback = (
        SessionFeedback.objects.filter(session__match__mentee__in=mentees)
        .select_related("session__match")
        .order_by("pk")
    )
    for answer in feedback.iterator():
        match = answer.session.match
        yield {
            "record": "feedback",
            "person": pseudonym("mentee", match.mentee_id),
            "match": pseudonym("match", match.pk),
            "month": month_of(answer.session.starts_at),
            "program": match.program_id,
            "rating": answer.rating,
            "felt_listened_to": answer.felt_listened_to,
            "learned_something": answer.learned_something,
            "more_hopeful": answer.more_hopeful,
        }
    administrations = (
        Administration.objects.filter(mentee__in=mentees, status="completed")
        .select_related("mentee")
        .order_by("pk")
    )
    for item in administrations.iterator():
        yield {
            "record": "measure",
            "person": pseudonym("mentee", item.mentee_id),
            "match": pseudonym("match", item.match_id) if item.match_id else "",
            "month": month_of(item.completed_at),
            "age": age_on(item.mentee.birth_date, item.completed_at and item.completed_at.date()),
            "program": item.program_id,
            "instrument": item.instrument,
            "timepoint": item.timepoint,
            "score": item.reported_score,
            "band": item.band,
        }


def research_export_csv(*, actor: User, programs) -> str:
    """The CSV text for these programs (already limited to what ``actor`` may export), with
    one audit entry per program."""
    programs = list(Program.objects.filter(pk__in=[p.pk for p in programs]))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="")
    writer.writeheader()
    count = 0
    for row in _rows(programs):
        writer.writerow(row)
        count += 1
    for program in programs:
        LogEntry.objects.log_create(
            program,
            force_log=True,
            action=LogEntry.Action.ACCESS,
            actor=actor,
            changes={"research_export": ["", f"{count} rows"]},
        )
    return out.getvalue()
