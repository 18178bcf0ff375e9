"""Sessions: a new key at sign-in, idle and absolute limits per role (enforced on the server,
warned about on the page), and a password change or a deactivation ends other sessions."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.auth_helpers import password_step, signed_in
from tests.conftest import SignedInClient

pytestmark = pytest.mark.django_db
HOME = "/"


def signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_signing_in_issues_a_new_session_key(cast):
    client = Client()
    session = client.session
    session["language_override"] = True
    session.save()
    before = client.session.session_key

    password_step(cast.mentee, client=client)

    assert signed_in(client)
    assert client.session.session_key != before


def test_staff_are_signed_out_after_fifteen_idle_minutes(login, cast):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = login(cast.coordinator)
        assert client.get(HOME).status_code == 200
        traveller.shift(datetime.timedelta(minutes=14))
        assert client.get(HOME).status_code == 200
        traveller.shift(datetime.timedelta(minutes=15, seconds=1))

        response = client.get(reverse("accounts:mentee_list"))

    assert signed_out(response)
    assert "next=" in response["Location"]
    assert not signed_in(client)


def test_mentees_may_stay_idle_longer_but_not_past_an_hour(login, cast):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = login(cast.mentee)
        client.get(HOME)
        traveller.shift(datetime.timedelta(minutes=45))
        assert client.get(HOME).status_code == 200
        traveller.shift(datetime.timedelta(minutes=61))

        assert signed_out(client.get(HOME))


def test_a_busy_session_still_ends_at_its_absolute_limit(login, cast, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT_STAFF = 60 * 60
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = login(cast.mentor)
        for _ in range(6):
            assert client.get(HOME).status_code == 200
            traveller.shift(datetime.timedelta(minutes=10))
        traveller.shift(datetime.timedelta(seconds=1))

        assert signed_out(client.get(HOME))


def test_the_default_absolute_limit_for_staff_is_twelve_hours(settings):
    assert settings.SESSION_ABSOLUTE_TIMEOUT_STAFF == 12 * 60 * 60
    assert settings.SESSION_IDLE_TIMEOUT_STAFF == 15 * 60
    assert settings.SESSION_IDLE_TIMEOUT_MENTEE == 60 * 60


def test_pages_carry_the_seconds_left_for_the_warning(login, cast):
    with time_machine.travel(timezone.now(), tick=False):
        body = login(cast.coordinator).get(HOME).content.decode()

    assert 'data-session-seconds="900"' in body
    assert 'data-session-warning="120"' in body
    assert "js/session-timeout.js" in body
    assert 'id="session-timeout-warning"' in body
    assert "<script>" not in body


def test_stay_signed_in_counts_as_activity(login, cast):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = login(cast.supervisor)
        client.get(HOME)
        traveller.shift(datetime.timedelta(minutes=14))

        response = client.post(reverse("account:keep_alive"))
        assert response.json() == {"seconds_left": 900}
        traveller.shift(datetime.timedelta(minutes=14))
        assert client.get(HOME).status_code == 200


def test_keep_alive_refuses_get(login, cast):
    assert login(cast.mentee).get(reverse("account:keep_alive")).status_code == 405


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(cast):
    here, elsewhere = SignedInClient(), SignedInClient()
    here.force_login(cast.coordinator)
    elsewhere.force_login(cast.coordinator)
    assert elsewhere.get(HOME).status_code == 200
    passphrase = "seven quiet lanterns over the bay"

    response = here.post(
        reverse("account:password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": passphrase,
            "new_password2": passphrase,
        },
    )

    assert response["Location"] == reverse("accounts:my_settings")
    assert here.get(HOME).status_code == 200
    assert signed_out(elsewhere.get(HOME))


def test_deactivating_an_account_ends_its_sessions(login, cast):
    client = login(cast.mentor)
    assert client.get(HOME).status_code == 200

    cast.mentor.is_active = False
    cast.mentor.save(update_fields=["is_active"])

    assert signed_out(client.get(HOME))


def test_long_forms_keep_a_draft_in_the_browser(login, cast):
    body = (
        login(cast.coordinator)
        .get(reverse("matching:interview_mentee", args=[cast.mentee_profile.pk]))
        .content.decode()
    )

    assert '<form method="post" novalidate class="col-xl-8" data-draft>' in body
    assert "js/form-draft.js" in body
