"""Sign-ins, failed sign-ins and refused requests are audited; supervisors search the audit
log of their programs by person, record and date."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.audit import record_read
from accounts.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

SEARCH = "/people/audit/"


def denied_events():
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED)


# --- What is recorded --------------------------------------------------------------------


def test_signing_in_is_recorded(cast, login):
    login(cast.mentor)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN)
    assert event.actor == cast.mentor and event.subject_user == cast.mentor


def test_failed_sign_in_names_the_account_but_never_the_password(cast):
    request = RequestFactory().post("/login/", REMOTE_ADDR="203.0.113.9")
    password = "wrong-password-xyz-123"  # noqa: S105
    assert authenticate(request, username="mentor@example.org", password=password) is None
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert event.username == "mentor@example.org" and event.remote_addr == "203.0.113.9"
    stored = " ".join(str(value) for value in AuditEvent.objects.values_list().get())
    assert password not in stored


def test_a_record_refused_to_a_signed_in_person_is_recorded(cast, login):
    url = reverse("accounts:mentee_detail", args=[cast.mentee_profile.pk])
    assert login(cast.outsider).get(url).status_code == 404
    event = denied_events().get()
    assert (event.actor, event.path, event.status) == (cast.outsider, url, 404)
    assert event.object_type == "accounts:mentee_detail"


def test_a_refused_action_is_recorded(cast, login):
    url = reverse("accounts:consent_create", args=[cast.mentee_profile.pk])
    login(cast.case_manager).post(url, {"kind": "research"})
    assert denied_events().filter(actor=cast.case_manager, status=404).exists()


def test_unknown_addresses_and_anonymous_visitors_are_not_recorded_as_denied(cast, login, client):
    client.get(reverse("accounts:mentee_detail", args=[cast.mentee_profile.pk]))
    login(cast.mentor).get("/no-such-page/")
    assert not denied_events().exists()


# --- The audit search page ---------------------------------------------------------------


def test_supervisor_searches_the_log_of_their_program(cast, login):
    record_read(cast.mentee_profile)
    response = login(cast.supervisor).get(SEARCH)
    assert response.status_code == 200
    assert str(cast.mentee_profile) in response.text
    assert "Signed in" in response.text


def test_supervisor_does_not_see_entries_about_another_program(cast, login):
    f.MenteeProfileFactory(program=cast.other_program, user__display_name="Other Program Person")
    assert LogEntry.objects.filter(object_repr__contains="Other Program Person").exists()
    response = login(cast.supervisor).get(SEARCH, {"person": "Other Program"})
    assert response.status_code == 200
    assert "Other Program Person" not in response.text


def test_superuser_sees_every_program(cast, login):
    f.MenteeProfileFactory(program=cast.other_program, user__display_name="Other Program Person")
    admin = f.UserFactory(is_superuser=True, is_staff=True)
    response = login(admin).get(SEARCH, {"person": "Other Program Person"})
    assert "Other Program Person" in response.text


def test_search_by_record_lists_that_record_only(cast, login):
    record_read(cast.mentee_profile)
    record_read(cast.mentee2_profile)
    response = login(cast.supervisor).get(
        SEARCH, {"record_type": "accounts.menteeprofile", "record_id": cast.mentee_profile.pk}
    )
    rows = response.context["page_obj"].rows
    assert rows and all(row["rid"] == str(cast.mentee_profile.pk) for row in rows)


def test_search_by_date_excludes_other_days(cast, login):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = login(cast.supervisor).get(
        SEARCH, {"date_from": yesterday.isoformat(), "date_to": yesterday.isoformat()}
    )
    assert response.context["page_obj"].rows == []


def test_search_by_person_finds_their_failed_sign_ins(cast, login):
    request = RequestFactory().post("/login/")
    authenticate(request, username="mentor@example.org", password="not-the-password")
    response = login(cast.supervisor).get(SEARCH, {"person": "mentor@example.org"})
    assert any(row["act"] == "login_failed" for row in response.context["page_obj"].rows)


def test_search_with_dates_the_wrong_way_round_says_so(cast, login):
    response = login(cast.supervisor).get(
        SEARCH, {"date_from": "2026-05-02", "date_to": "2026-05-01", "person": "abc"}
    )
    assert response.status_code == 200
    assert "before the start date" in response.text
    assert 'value="abc"' in response.text


def test_search_with_a_malformed_record_number_says_so(cast, login):
    response = login(cast.supervisor).get(SEARCH, {"record_id": "twelve"})
    assert response.status_code == 200 and response.context["page_obj"] is None


def test_the_log_is_paginated(cast, login):
    AuditEvent.objects.bulk_create(
        AuditEvent(kind=AuditEvent.Kind.EXPORT, program=cast.program, detail=f"export {n}")
        for n in range(60)
    )
    response = login(cast.supervisor).get(SEARCH, {"page": 2})
    assert response.context["page_obj"].number == 2
    assert len(response.context["page_obj"].rows) <= 50


@pytest.mark.parametrize("persona", ["coordinator", "outsider", "mentor", "mentee", "case_manager"])
def test_audit_log_is_not_there_for_others(cast, login, persona):
    assert login(getattr(cast, persona)).get(SEARCH).status_code == 404
