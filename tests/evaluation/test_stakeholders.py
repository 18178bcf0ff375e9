import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, Notification
from evaluation.models import StakeholderInvitation, StakeholderMeetingNote, StakeholderResponse
from evaluation.services import stakeholders

ANSWERS = {"progress": 4, "working_together": 5, "kept_informed": "on", "comment": "Going well."}


@pytest.fixture
def invitation(cast):
    [pk] = stakeholders.invite_stakeholders(today=datetime.date(2026, 11, 2))
    return StakeholderInvitation.objects.get(pk=pk)


def test_only_consented_stakeholders_are_invited_once_a_quarter(cast, invitation):
    assert (invitation.mentee, invitation.recipient) == (cast.mentee_profile, cast.case_manager)
    assert invitation.period == "2026-Q4"
    assert stakeholders.invite_stakeholders(today=datetime.date(2026, 12, 1)) == []
    assert Notification.objects.filter(
        recipient=cast.case_manager, kind="stakeholder_invitation"
    ).exists()


def test_case_manager_answers_signed_in(cast, login, invitation):
    url = reverse("evaluation:stakeholder_respond", args=[invitation.pk])
    response = login(cast.case_manager).post(url, ANSWERS)
    assert response.status_code == 302
    answer = StakeholderResponse.objects.get()
    assert (answer.progress, answer.working_together, answer.kept_informed) == (4, 5, True)
    assert answer.answered_by == cast.case_manager and not answer.via_link


def test_answering_twice_is_404_the_second_time(cast, login, invitation):
    url = reverse("evaluation:stakeholder_respond", args=[invitation.pk])
    client = login(cast.case_manager)
    client.post(url, ANSWERS)
    assert client.post(url, ANSWERS).status_code == 404
    assert StakeholderResponse.objects.count() == 1


def test_missing_answer_is_refused_and_nothing_stored(cast, login, invitation):
    url = reverse("evaluation:stakeholder_respond", args=[invitation.pk])
    response = login(cast.case_manager).post(url, {"working_together": 9, "comment": "Kept"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "progress" in form.errors and "working_together" in form.errors
    assert "Kept" in response.content.decode()
    assert not StakeholderResponse.objects.exists()


def test_revoked_consent_closes_the_invitation(cast, login, invitation):
    Consent.objects.filter(kind=Consent.Kind.SHARE_WITH_CASE_MANAGER).update(
        revoked_at=timezone.now()
    )
    url = reverse("evaluation:stakeholder_respond", args=[invitation.pk])
    assert login(cast.case_manager).get(url).status_code == 404


def test_one_time_link_works_once(cast, client, invitation):
    token = stakeholders.issue_stakeholder_link(invitation=invitation)
    url = reverse("evaluation:stakeholder_link", args=[token])
    assert client.get(url).status_code == 200
    assert "Thank you" in client.post(url, ANSWERS).content.decode()
    assert StakeholderResponse.objects.get().via_link
    assert "no longer works" in client.get(url).content.decode()


def test_unknown_link_is_404(db, client):
    assert client.get(reverse("evaluation:stakeholder_link", args=["nope"])).status_code == 404


def test_coordinator_sees_the_answers_on_the_mentee_page(cast, login, invitation):
    stakeholders.submit_stakeholder_response(
        invitation=invitation,
        answered_by=cast.case_manager,
        via_link=False,
        progress=5,
        working_together=3,
        comment="Much more confident.",
    )
    page = login(cast.coordinator).get(cast.mentee_profile.get_absolute_url())
    assert "Much more confident." in page.content.decode()


def test_case_manager_does_not_see_other_answers_on_the_mentee_page(cast, login, invitation):
    stakeholders.submit_stakeholder_response(
        invitation=invitation,
        answered_by=cast.case_manager,
        via_link=False,
        progress=5,
        working_together=3,
        comment="Much more confident.",
    )
    page = login(cast.case_manager).get(cast.mentee_profile.get_absolute_url())
    assert "Much more confident." not in page.content.decode()


def test_case_manager_home_lists_the_open_invitation(cast, login, invitation):
    body = login(cast.case_manager).get(reverse("home")).content.decode()
    assert reverse("evaluation:stakeholder_respond", args=[invitation.pk]) in body


# --- Meeting notes --------------------------------------------------------------------------


def test_coordinator_records_a_meeting_note(cast, login):
    url = reverse("evaluation:meeting_note_new", args=[cast.program.pk])
    data = {
        "met_on": timezone.localdate().isoformat(),
        "attendee_roles": ["clinician", "transition_specialist"],
        "summary": "Transition team wants earlier referrals.",
        "follow_up_actions": "Meet the school in March.",
    }
    response = login(cast.coordinator).post(url, data)
    assert response.status_code == 302
    note = StakeholderMeetingNote.objects.get()
    assert note.attendee_roles == ["clinician", "transition_specialist"]
    listing = login(cast.coordinator).get(
        reverse("evaluation:meeting_notes", args=[cast.program.pk])
    )
    assert "Meet the school in March." in listing.content.decode()


def test_meeting_in_the_future_is_refused_and_kept(cast, login):
    url = reverse("evaluation:meeting_note_new", args=[cast.program.pk])
    data = {
        "met_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
        "attendee_roles": ["clinician"],
        "summary": "Typed summary",
    }
    response = login(cast.coordinator).post(url, data)
    assert response.status_code == 200
    assert "Typed summary" in response.content.decode()
    assert not StakeholderMeetingNote.objects.exists()


def test_supervisor_reads_but_cannot_record_meeting_notes(cast, login):
    client = login(cast.supervisor)
    assert (
        client.get(reverse("evaluation:meeting_notes", args=[cast.program.pk])).status_code == 200
    )
    new = reverse("evaluation:meeting_note_new", args=[cast.program.pk])
    assert client.get(new).status_code == 404
