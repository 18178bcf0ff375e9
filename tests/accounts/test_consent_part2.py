"""Consents to share hold every element 42 CFR 2.31 requires, and "current" means not
revoked and not expired: the case manager's access follows at the very next request."""

import datetime
import importlib

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Consent, MenteeProfile
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
ELEMENTS = {
    "discloser": "Program A",
    "information": "Goals and progress",
    "recipient_name": "Riverside Case Management",
    "purpose": "Coordination of care",
    "expires_on": TODAY + datetime.timedelta(days=365),
    "expiry_event": "",
    "revocation_acknowledged": True,
    "signature_name": "Mentee One",
    "signed_on": TODAY,
}


def sharing_consent(cast) -> Consent:
    return cast.mentee_profile.consents.get(kind=Consent.Kind.SHARE_WITH_CASE_MANAGER)


def record_research(cast, **changes) -> Consent:
    return services.record_consent(
        actor=cast.coordinator,
        mentee=cast.mentee_profile,
        kind=Consent.Kind.RESEARCH,
        given_on=TODAY,
        text_version="2026-2",
        **{**ELEMENTS, **changes},
    )


def form_data(**changes) -> dict:
    data = {
        "kind": Consent.Kind.RESEARCH,
        "given_on": TODAY.isoformat(),
        "text_version": "2026-2",
        **ELEMENTS,
        "expires_on": ELEMENTS["expires_on"].isoformat(),
        "signed_on": TODAY.isoformat(),
        "revocation_acknowledged": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def expire(consent: Consent) -> None:
    Consent.objects.filter(pk=consent.pk).update(expires_on=YESTERDAY)


# --- The elements ------------------------------------------------------------------------


def test_consent_to_share_keeps_every_element(cast):
    consent = record_research(cast)
    consent.refresh_from_db()
    assert consent.information == "Goals and progress"
    assert consent.recipient_name == "Riverside Case Management"
    assert consent.purpose == "Coordination of care"
    assert consent.expires_on == ELEMENTS["expires_on"]
    assert consent.revocation_acknowledged and consent.signature_name == "Mentee One"
    assert consent.signed_on == TODAY and consent.discloser == "Program A"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("information", ""),
        ("recipient_name", ""),
        ("purpose", " "),
        ("revocation_acknowledged", False),
        ("signature_name", ""),
        ("signed_on", None),
    ],
)
def test_consent_to_share_without_an_element_is_refused(cast, field, value):
    with pytest.raises(services.DomainError) as caught:
        record_research(cast, **{field: value})
    assert caught.value.field == field
    assert not cast.mentee_profile.consents.filter(kind=Consent.Kind.RESEARCH).exists()


def test_consent_to_share_needs_an_expiry_date_or_event(cast):
    with pytest.raises(services.DomainError, match="date or the event") as caught:
        record_research(cast, expires_on=None, expiry_event="")
    assert caught.value.field == "expires_on"
    assert record_research(cast, expires_on=None, expiry_event="When I move away").is_current


def test_consent_ending_in_the_past_is_refused(cast):
    with pytest.raises(services.DomainError, match="already passed"):
        record_research(cast, expires_on=YESTERDAY)


def test_signature_dated_in_the_future_is_refused(cast):
    with pytest.raises(services.DomainError, match="future"):
        record_research(cast, signed_on=TODAY + datetime.timedelta(days=1))


def test_consent_to_take_part_needs_no_disclosure_elements(cast):
    consent = services.record_consent(
        actor=cast.coordinator,
        mentee=cast.mentee2_profile,
        kind=Consent.Kind.PARTICIPATION,
        given_on=TODAY,
        text_version="2026-1",
    )
    assert consent.is_current and consent.information == ""


def test_sharing_consent_ticked_at_intake_carries_the_paper_form_terms(cast):
    case_manager = f.UserFactory(display_name="Casey Manager")
    mentee = services.register_mentee(
        actor=cast.coordinator,
        program=cast.program,
        person={"display_name": "New Person", "email": "new.person@example.org"},
        profile={"case_manager": case_manager},
        consents=[Consent.Kind.SHARE_WITH_CASE_MANAGER],
        consent_text_version="2026-1",
    )
    consent = mentee.consents.get()
    assert consent.missing_disclosure_elements() == {}
    assert consent.recipient_name == "Casey Manager" and consent.signature_name == "New Person"


# --- Current: not revoked and not expired -------------------------------------------------


def test_expired_consent_is_not_current(cast):
    consent = record_research(cast, expires_on=TODAY)
    assert consent in Consent.objects.current()
    expire(consent)
    assert consent not in Consent.objects.current()
    consent.refresh_from_db()
    assert consent.is_expired and not consent.is_current


def test_case_manager_loses_the_mentee_the_day_after_the_consent_ends(cast, login):
    url = reverse("accounts:mentee_detail", args=[cast.mentee_profile.pk])
    client = login(cast.case_manager)
    assert client.get(url).status_code == 200
    expire(sharing_consent(cast))
    assert client.get(url).status_code == 404
    assert not MenteeProfile.objects.visible_to(cast.case_manager).exists()


def test_revocation_blocks_the_case_managers_next_request(cast, login, client):
    url = reverse("accounts:mentee_detail", args=[cast.mentee_profile.pk])
    assert login(cast.case_manager).get(url).status_code == 200
    services.revoke_consent(actor=cast.mentee, consent=sharing_consent(cast))
    assert client.get(url).status_code == 404


def test_new_consent_replaces_an_expired_one(cast):
    old = sharing_consent(cast)
    expire(old)
    new = services.record_consent(
        actor=cast.coordinator,
        mentee=cast.mentee_profile,
        kind=Consent.Kind.SHARE_WITH_CASE_MANAGER,
        given_on=TODAY,
        text_version="2026-3",
        **ELEMENTS,
    )
    old.refresh_from_db()
    assert new.is_current and old.revoked_at is not None
    assert list(cast.mentee_profile.consents.current()) == [new]


# --- The consent form --------------------------------------------------------------------


def test_consent_form_asks_for_every_missing_element_at_once(cast, login):
    url = reverse("accounts:consent_create", args=[cast.mentee_profile.pk])
    data = form_data(information="", purpose="", signature_name="", revocation_acknowledged=None)
    response = login(cast.coordinator).post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"information", "purpose", "signature_name", "revocation_acknowledged"} <= set(errors)
    assert 'value="Riverside Case Management"' in response.text
    assert not cast.mentee_profile.consents.filter(kind=Consent.Kind.RESEARCH).exists()


def test_consent_form_records_a_complete_consent_to_share(cast, login):
    url = reverse("accounts:consent_create", args=[cast.mentee_profile.pk])
    response = login(cast.coordinator).post(url, form_data())
    assert response.status_code == 302
    consent = cast.mentee_profile.consents.get(kind=Consent.Kind.RESEARCH)
    assert consent.signature_name == "Mentee One" and consent.revocation_acknowledged


def test_consent_form_submitted_twice_records_one_consent(cast, login):
    url = reverse("accounts:consent_create", args=[cast.mentee_profile.pk])
    client = login(cast.coordinator)
    client.post(url, form_data())
    response = client.post(url, form_data())
    assert "Revoke it first" in response.context["form"].errors["kind"][0]
    assert cast.mentee_profile.consents.filter(kind=Consent.Kind.RESEARCH).count() == 1


def test_consent_form_is_not_there_for_a_case_manager(cast, login):
    url = reverse("accounts:consent_create", args=[cast.mentee_profile.pk])
    assert login(cast.case_manager).post(url, form_data()).status_code == 404


def test_mentee_page_shows_when_a_consent_ends_and_that_it_expired(cast, login):
    expire(sharing_consent(cast))
    response = login(cast.coordinator).get(
        reverse("accounts:mentee_detail", args=[cast.mentee_profile.pk])
    )
    assert "Expired" in response.text


def test_migration_gives_existing_sharing_consents_the_paper_form_terms(cast):
    from django.apps import apps

    module = importlib.import_module("accounts.migrations.0004_privacy_and_audit")
    legacy = Consent.objects.create(
        mentee=cast.mentee2_profile,
        kind=Consent.Kind.RESEARCH,
        given_on=YESTERDAY,
        recorded_by=cast.coordinator,
    )
    assert legacy.missing_disclosure_elements()
    module.fill_paper_consent_elements(apps, None)
    legacy.refresh_from_db()
    assert legacy.missing_disclosure_elements() == {}
    assert legacy.signed_on == YESTERDAY and legacy.discloser == cast.program.name
