"""Working a safety alert: notes, contact attempts with time, method and result, resolving with
an outcome; the program's crisis settings. Every step is in the audit log."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from sessions import services
from sessions.models import ContactAttempt, CrisisSettings, SafetyAlert, SafetyAlertNote
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(cast) -> SafetyAlert:
    return services.raise_safety_alert(
        mentee=cast.mentee_profile, source=SafetyAlert.Source.CHECK_IN, raised_by=cast.mentee
    )


def url(name: str, alert: SafetyAlert) -> str:
    return reverse(f"mentoring_sessions:{name}", args=[alert.pk])


def minute(delta: int = 0) -> str:
    return (timezone.localtime() + datetime.timedelta(minutes=delta)).strftime("%Y-%m-%dT%H:%M")


def test_a_note_is_saved_and_the_alert_is_being_worked(cast, login, alert):
    client = login(cast.supervisor)
    response = client.post(url("alert_note_add", alert), {"text": "Called her sister."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == SafetyAlert.Status.IN_PROGRESS
    assert alert.acknowledged_by == cast.supervisor
    assert "Called her sister." in client.get(url("alert_detail", alert)).text


def test_a_double_submitted_note_is_saved_once(cast, login, alert):
    client = login(cast.supervisor)
    for _ in range(2):
        client.post(url("alert_note_add", alert), {"text": "Called her sister."})
    assert SafetyAlertNote.objects.filter(alert=alert).count() == 1


def test_an_empty_note_is_refused(cast, login, alert):
    response = login(cast.supervisor).post(url("alert_note_add", alert), {"text": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not SafetyAlertNote.objects.exists()


def test_a_contact_attempt_records_when_how_and_what_happened(cast, login, alert):
    client = login(cast.supervisor)
    data = {"attempted_at": minute(), "method": "phone", "result": "no_answer", "note": "Voicemail"}
    assert client.post(url("alert_contact_add", alert), data).status_code == 302
    assert client.post(url("alert_contact_add", alert), data).status_code == 302
    (attempt,) = ContactAttempt.objects.filter(alert=alert)
    assert (attempt.method, attempt.result, attempt.made_by) == (
        "phone",
        "no_answer",
        cast.supervisor,
    )
    body = client.get(url("alert_detail", alert)).text
    assert "Phone call" in body and "No answer" in body and "Voicemail" in body


def test_a_contact_attempt_in_the_future_is_refused_and_keeps_what_was_typed(cast, login, alert):
    data = {"attempted_at": minute(90), "method": "text", "result": "reached", "note": "Typed"}
    response = login(cast.supervisor).post(url("alert_contact_add", alert), data)
    assert response.status_code == 200
    assert "cannot be in the future" in response.text
    assert "Typed</textarea>" in response.text
    assert not ContactAttempt.objects.exists()


def test_resolving_needs_an_outcome(cast, login, alert):
    client = login(cast.supervisor)
    response = client.post(url("alert_resolve", alert), {"note": "Closing words"})
    assert response.status_code == 200
    assert "Closing words</textarea>" in response.text
    alert.refresh_from_db()
    assert alert.status == SafetyAlert.Status.OPEN


def test_resolving_records_the_outcome_who_and_when(cast, login, alert):
    client = login(cast.supervisor)
    data = {"outcome": "connected", "note": "Mobile crisis team visited."}
    assert client.post(url("alert_resolve", alert), data).status_code == 302
    alert.refresh_from_db()
    assert alert.status == SafetyAlert.Status.RESOLVED
    assert alert.outcome == SafetyAlert.Outcome.CONNECTED
    assert alert.resolved_by == cast.supervisor and alert.resolved_at is not None
    assert SafetyAlertNote.objects.get(alert=alert).text == "Mobile crisis team visited."
    assert client.post(url("alert_note_add", alert), {"text": "late"}).status_code == 200
    assert SafetyAlertNote.objects.filter(alert=alert).count() == 1


def test_every_step_is_in_the_audit_log_without_the_notes_text(cast, alert):
    services.acknowledge_alert(actor=cast.supervisor, alert=alert)
    services.add_alert_note(actor=cast.supervisor, alert=alert, text="Secret words")
    services.record_contact_attempt(
        actor=cast.supervisor,
        alert=alert,
        attempted_at=timezone.now(),
        method="phone",
        result="reached",
    )
    services.resolve_alert(actor=cast.supervisor, alert=alert, outcome="safe_plan")
    alert_entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(SafetyAlert), object_pk=str(alert.pk)
    )
    statuses = [entry.changes_dict.get("status") for entry in alert_entries.order_by("pk")]
    assert ["open", "acknowledged"] in statuses
    assert ["in_progress", "resolved"] in statuses
    for model in (SafetyAlertNote, ContactAttempt):
        assert LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model)
        ).exists()
    assert not LogEntry.objects.filter(changes_text__contains="Secret words").exists()
    assert "Secret words" not in str(list(LogEntry.objects.values_list("changes", flat=True)))


def test_outsiders_cannot_work_the_alert(cast, login, alert):
    elsewhere = f.UserFactory()
    f.MembershipFactory(user=elsewhere, program=cast.other_program, role="supervisor")
    for person in (cast.coordinator, cast.mentor, cast.mentee, cast.case_manager, elsewhere):
        client = login(person)
        assert client.post(url("alert_note_add", alert), {"text": "x"}).status_code == 404
        data = {"attempted_at": minute(), "method": "phone", "result": "reached"}
        assert client.post(url("alert_contact_add", alert), data).status_code == 404
    assert not SafetyAlertNote.objects.exists() and not ContactAttempt.objects.exists()


def test_the_alert_pages_are_not_cached(cast, login, alert):
    response = login(cast.supervisor).get(url("alert_detail", alert))
    assert "no-store" in response["Cache-Control"]


# --- Crisis settings ---------------------------------------------------------------------


def settings_url(cast) -> str:
    return reverse("mentoring_sessions:crisis_settings", args=[cast.program.pk])


def test_a_supervisor_sets_the_on_call_number_supervisors_and_escalation_time(cast, login):
    client = login(cast.supervisor)
    data = {
        "on_call_phone": "555-010-2000",
        "on_call_supervisors": [cast.supervisor.pk],
        "escalation_minutes": "15",
    }
    assert client.post(settings_url(cast), data).status_code == 302
    crisis = CrisisSettings.objects.get(program=cast.program)
    assert crisis.on_call_phone == "555-010-2000"
    assert list(crisis.on_call_supervisors.all()) == [cast.supervisor]
    assert crisis.escalation_minutes == 15
    assert 'href="tel:5550102000"' in client.get(settings_url(cast)).text


def test_bad_crisis_settings_are_refused_and_keep_what_was_typed(cast, login):
    client = login(cast.supervisor)
    response = client.post(
        settings_url(cast), {"on_call_phone": "call me", "escalation_minutes": "30"}
    )
    assert response.status_code == 200
    assert 'value="call me"' in response.text
    assert "Enter a phone number" in response.text
    response = client.post(settings_url(cast), {"on_call_phone": "", "escalation_minutes": "2"})
    assert response.status_code == 200
    assert not CrisisSettings.objects.exists()


def test_only_supervisors_of_the_program_can_be_on_call(cast, login):
    data = {"on_call_supervisors": [cast.coordinator.pk], "escalation_minutes": "30"}
    response = login(cast.supervisor).post(settings_url(cast), data)
    assert response.status_code == 200
    assert not CrisisSettings.objects.exists()


def test_the_crisis_settings_of_another_program_are_not_found(cast, login):
    url_b = reverse("mentoring_sessions:crisis_settings", args=[cast.other_program.pk])
    assert login(cast.supervisor).get(url_b).status_code == 404
    assert login(cast.coordinator).get(settings_url(cast)).status_code == 404
