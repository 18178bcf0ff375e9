import csv
import datetime
import io

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, Program
from evaluation.services.research import age_on, pseudonym
from sessions.models import SessionFeedback
from tests import factories as f
from tests.sessions.factories import MentoringSessionFactory

URL = reverse("evaluation:research_export")


def research_consent(cast, mentee):
    f.ConsentFactory(mentee=mentee, kind=Consent.Kind.RESEARCH, recorded_by=cast.coordinator)


def export(cast, login, **params):
    response = login(cast.supervisor).get(URL, params)
    assert response["Content-Type"].startswith("text/csv")
    return response, list(csv.DictReader(io.StringIO(response.content.decode())))


def test_only_mentees_who_consented_to_research_are_exported(cast, login):
    research_consent(cast, cast.mentee_profile)
    MentoringSessionFactory(match=cast.match)
    MentoringSessionFactory(match=cast.match2)
    _response, rows = export(cast, login)
    people = {row["person"] for row in rows}
    assert people == {pseudonym("mentee", cast.mentee_profile.pk)}
    assert {row["record"] for row in rows} == {"match", "session"}


def test_export_carries_no_names_contacts_or_free_text(cast, login):
    research_consent(cast, cast.mentee_profile)
    session = MentoringSessionFactory(match=cast.match, summary="SUMMARY-TEXT")
    SessionFeedback.objects.create(
        session=session,
        rating=4,
        felt_listened_to="yes",
        learned_something="yes",
        more_hopeful="yes",
        comment="COMMENT-TEXT",
        answered_by=cast.mentee,
    )
    response, rows = export(cast, login)
    body = response.content.decode()
    for secret in ("MARKER-MENTEE-ONE", "mentee@example.org", "SUMMARY-TEXT", "COMMENT-TEXT"):
        assert secret not in body
    assert "feedback" in {row["record"] for row in rows}


def test_dates_are_coarsened_to_the_month(cast, login):
    research_consent(cast, cast.mentee_profile)
    _response, rows = export(cast, login)
    [match_row] = [row for row in rows if row["record"] == "match"]
    assert match_row["month"] == cast.match.started_on.strftime("%Y-%m")


def test_ages_over_89_are_grouped():
    day = datetime.date(2026, 6, 1)
    assert age_on(datetime.date(1936, 6, 2), day) == "89"
    assert age_on(datetime.date(1936, 6, 1), day) == "90+"
    assert age_on(None, day) == ""


def test_every_export_is_written_to_the_audit_log(cast, login):
    export(cast, login)
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Program),
        object_pk=str(cast.program.pk),
        action=LogEntry.Action.ACCESS,
    )
    assert entry.actor == cast.supervisor
    assert "research_export" in str(entry.changes)


def test_export_of_another_program_is_404(cast, login):
    response = login(cast.supervisor).get(URL, {"program": cast.other_program.pk})
    assert response.status_code == 404


def test_revoked_research_consent_leaves_the_export(cast, login):
    research_consent(cast, cast.mentee_profile)
    Consent.objects.filter(kind=Consent.Kind.RESEARCH).update(revoked_at=timezone.now())
    _response, rows = export(cast, login)
    assert rows == []
