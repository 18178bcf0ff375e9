"""Disclosures under a consent: refused without one, recorded each time, carried with the
redisclosure notice, and listed in the mentee's accounting of disclosures."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import AuditEvent, Consent, Disclosure
from accounts.services.disclosures import REDISCLOSURE_NOTICE

pytestmark = pytest.mark.django_db

NOTICE_START = "This record which has been disclosed to you is protected by Federal"


def sharing_consent(cast) -> Consent:
    return cast.mentee_profile.consents.get(kind=Consent.Kind.SHARE_WITH_CASE_MANAGER)


def accounting_url(mentee) -> str:
    return reverse("accounts:disclosure_accounting", args=[mentee.pk])


def share(cast, information: str = "Goals and progress") -> Disclosure:
    return services.disclose(
        mentee=cast.mentee_profile,
        kind=Consent.Kind.SHARE_WITH_CASE_MANAGER,
        recipient=cast.case_manager,
        information=information,
        disclosed_by=cast.coordinator,
    )


# --- Services ----------------------------------------------------------------------------


def test_disclosure_under_a_current_consent_is_recorded_with_an_audit_event(cast):
    disclosure = share(cast)
    assert disclosure.consent == sharing_consent(cast)
    assert disclosure.recipient == cast.case_manager
    assert disclosure.purpose == sharing_consent(cast).purpose
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.DISCLOSURE)
    assert event.object_id == str(disclosure.pk) and event.program_id == cast.program.pk


def test_disclosure_without_a_consent_is_refused(cast):
    with pytest.raises(services.DomainError, match="no current consent"):
        services.disclose(
            mentee=cast.mentee2_profile,
            kind=Consent.Kind.SHARE_WITH_CASE_MANAGER,
            recipient=cast.case_manager,
            information="Goals",
            disclosed_by=cast.coordinator,
        )
    assert not Disclosure.objects.exists()


def test_disclosure_to_someone_the_consent_does_not_name_is_refused(cast):
    with pytest.raises(services.DomainError):
        services.disclose(
            mentee=cast.mentee_profile,
            kind=Consent.Kind.SHARE_WITH_CASE_MANAGER,
            recipient=cast.mentor,
            information="Goals",
            disclosed_by=cast.coordinator,
        )


def test_recording_under_a_consent_revoked_a_moment_ago_is_refused(cast):
    consent = sharing_consent(cast)
    services.revoke_consent(actor=cast.mentee, consent=sharing_consent(cast))
    with pytest.raises(services.DomainError, match="revoked or has expired"):
        services.record_disclosure(
            consent=consent, information="Goals", disclosed_by=cast.coordinator
        )
    assert not Disclosure.objects.exists()


def test_an_export_writes_an_audit_event(cast):
    event = services.record_export(
        actor=cast.supervisor, what="Outcome report 2026-Q3", program_id=cast.program.pk
    )
    assert event.kind == AuditEvent.Kind.EXPORT and event.detail == "Outcome report 2026-Q3"


def test_notice_is_the_42_cfr_2_32_statement():
    assert REDISCLOSURE_NOTICE.startswith(NOTICE_START)
    assert "NOT sufficient" in REDISCLOSURE_NOTICE and "42 CFR 2.31" in REDISCLOSURE_NOTICE


# --- The case manager's view of a mentee's progress ---------------------------------------


def test_case_managers_view_of_progress_is_recorded_and_carries_the_notice(cast, login):
    response = login(cast.case_manager).get(
        reverse("accounts:mentee_detail", args=[cast.mentee_profile.pk])
    )
    assert response.status_code == 200
    assert NOTICE_START in response.text
    disclosure = Disclosure.objects.get()
    assert disclosure.recipient == cast.case_manager and disclosure.mentee == cast.mentee_profile


def test_staff_view_of_the_mentee_is_not_a_disclosure(cast, login):
    response = login(cast.coordinator).get(
        reverse("accounts:mentee_detail", args=[cast.mentee_profile.pk])
    )
    assert NOTICE_START not in response.text
    assert not Disclosure.objects.exists()


def test_case_managers_home_list_carries_the_notice(cast, login):
    assert NOTICE_START in login(cast.case_manager).get(reverse("home")).text


# --- The accounting of disclosures --------------------------------------------------------


def test_mentee_reads_their_own_accounting_of_disclosures(cast, login):
    share(cast)
    response = login(cast.mentee).get(accounting_url(cast.mentee_profile))
    assert response.status_code == 200
    assert "Goals and progress" in response.text
    assert sharing_consent(cast).recipient_name in response.text
    assert sharing_consent(cast).purpose in response.text


def test_coordinator_reads_a_mentees_accounting_to_print_it(cast, login):
    share(cast)
    response = login(cast.coordinator).get(accounting_url(cast.mentee_profile))
    assert response.status_code == 200
    assert "data-print-page" in response.text and "Goals and progress" in response.text


@pytest.mark.parametrize("persona", ["case_manager", "mentor", "mentee2", "outsider"])
def test_accounting_is_not_there_for_others(cast, login, persona):
    share(cast)
    response = login(getattr(cast, persona)).get(accounting_url(cast.mentee_profile))
    assert response.status_code == 404
    assert "Goals and progress" not in response.text


def test_accounting_covers_the_last_three_years_only(cast, login):
    consent = sharing_consent(cast)
    Disclosure.objects.create(
        consent=consent,
        mentee=cast.mentee_profile,
        recipient_name="Someone long ago",
        information="Old disclosure",
        purpose="Care",
        disclosed_at=timezone.now() - datetime.timedelta(days=3 * 365 + 2),
    )
    share(cast, information="Recent disclosure")
    response = login(cast.mentee).get(accounting_url(cast.mentee_profile))
    assert "Recent disclosure" in response.text
    assert "Old disclosure" not in response.text


def test_accounting_of_an_unknown_mentee_is_404(cast, login):
    assert login(cast.coordinator).get("/people/mentees/999999/disclosures/").status_code == 404


def test_accounting_is_read_only(cast, login):
    response = login(cast.mentee).post(accounting_url(cast.mentee_profile), {"x": "1"})
    assert response.status_code == 405
