"""The second factor: who must pass it, the enrolment with a QR code, single-use app codes and
single-use recovery codes. Every test signs in through the pages with a plain browser."""

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.auth import services
from accounts.auth.policy import needs_second_factor
from tests import factories as f
from tests.accounts.auth_helpers import (
    authenticator,
    code_for_key,
    current_code,
    password_step,
    signed_in,
)
from tests.conftest import MARKERS
from tests.matrix import EXEMPT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona", ["coordinator", "supervisor", "outsider", "case_manager", "mentor", "mentor2"]
)
def test_every_role_that_sees_other_peoples_records_needs_a_second_factor(cast, persona):
    assert needs_second_factor(getattr(cast, persona))


def test_administrators_need_a_second_factor_and_mentees_do_not(cast):
    assert needs_second_factor(f.UserFactory(is_staff=True, is_superuser=True))
    assert not needs_second_factor(cast.mentee)


def test_staff_without_a_second_factor_are_sent_to_enrol_and_cannot_open_records(cast):
    client, response = password_step(cast.coordinator)
    assert response["Location"].startswith(reverse("account:enrol"))

    detail = reverse("accounts:mentee_detail", args=[cast.mentee_profile.pk])
    response = client.get(detail)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:enrol"))
    assert MARKERS["mentee"] not in response.content.decode()
    # A POST to an action is turned away the same way.
    response = client.post(reverse("accounts:notification_read_all"))
    assert response["Location"].startswith(reverse("account:enrol"))


def test_staff_with_an_app_pass_the_verify_step_before_any_record(cast):
    device = authenticator(cast.coordinator)
    detail = reverse("accounts:mentee_detail", args=[cast.mentee_profile.pk])
    client = Client()
    response = client.post(
        f"{reverse('login')}?next={detail}",
        {"username": cast.coordinator.email, "password": f.TEST_PASSWORD, "next": detail},
    )
    assert response["Location"].startswith(reverse("account:verify"))
    assert client.get(detail)["Location"].startswith(reverse("account:verify"))

    page = client.get(response["Location"])
    assert 'name="otp_token"' in page.content.decode()
    with time_machine.travel(timezone.now(), tick=False):
        response = client.post(
            reverse("account:verify"), {"otp_token": current_code(device), "next": detail}
        )

    assert response.status_code == 302
    assert response["Location"] == detail
    assert MARKERS["mentee"] in client.get(detail).content.decode()


def test_a_wrong_code_keeps_the_person_at_the_verify_step(cast):
    authenticator(cast.coordinator)
    client, _ = password_step(cast.coordinator)

    response = client.post(reverse("account:verify"), {"otp_token": "000000x"})

    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    assert 'value="000000x"' in response.content.decode()
    assert client.get(reverse("home"))["Location"].startswith(reverse("account:verify"))


def test_an_app_code_works_only_once(cast):
    device = authenticator(cast.supervisor)
    first, _ = password_step(cast.supervisor)
    second, _ = password_step(cast.supervisor)
    with time_machine.travel(timezone.now(), tick=False):
        code = current_code(device)
        assert first.post(reverse("account:verify"), {"otp_token": code}).status_code == 302

        replay = second.post(reverse("account:verify"), {"otp_token": code})

    assert replay.status_code == 200
    assert "That code did not work" in replay.content.decode()
    assert second.get(reverse("home"))["Location"].startswith(reverse("account:verify"))
    assert first.get(reverse("home")).status_code == 200


def test_a_recovery_code_works_only_once(cast):
    authenticator(cast.mentor)
    codes = services.replace_recovery_codes(user=cast.mentor)
    first, _ = password_step(cast.mentor)
    second, _ = password_step(cast.mentor)

    response = first.post(reverse("account:verify"), {"otp_token": codes[0].upper()})
    assert response.status_code == 302
    assert first.get(reverse("home")).status_code == 200

    replay = second.post(reverse("account:verify"), {"otp_token": codes[0]})
    assert replay.status_code == 200
    assert StaticToken.objects.filter(device__user=cast.mentor).count() == 9


def test_enrolment_draws_the_qr_code_on_the_server_and_shows_the_secret(cast):
    client, _ = password_step(cast.case_manager)

    response = client.get(reverse("account:enrol"))

    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<svg[^>]*class=\"qr-code\"", body)
    assert "style=" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]
    key = client.session["auth_pending_totp_key"]
    assert services.secret_text(key) in body
    assert not TOTPDevice.objects.filter(user=cast.case_manager).exists()
    # A reload keeps the same secret, so a code from the scanned QR still works.
    assert services.secret_text(key) in client.get(reverse("account:enrol")).content.decode()


def test_enrolment_confirms_with_a_code_and_shows_recovery_codes_once(cast):
    client, _ = password_step(cast.case_manager)
    client.get(reverse("account:enrol"))
    key = client.session["auth_pending_totp_key"]

    wrong = client.post(reverse("account:enrol"), {"otp_token": "123"})
    assert wrong.status_code == 200
    assert "did not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.case_manager).exists()

    response = client.post(reverse("account:enrol"), {"otp_token": code_for_key(key)})
    assert response["Location"] == reverse("account:recovery_codes")
    codes_page = client.get(reverse("account:recovery_codes")).content.decode()
    assert codes_page.count('<li class="col">') == 10
    assert client.get(reverse("account:recovery_codes")).status_code == 302
    assert TOTPDevice.objects.filter(user=cast.case_manager, confirmed=True).count() == 1
    assert StaticToken.objects.filter(device__user=cast.case_manager).count() == 10
    assert client.get(reverse("home")).status_code == 200

    # Pressing "Confirm" again (a double submit) adds no second app.
    again = client.post(reverse("account:enrol"), {"otp_token": code_for_key(key)})
    assert again.status_code == 200
    assert TOTPDevice.objects.filter(user=cast.case_manager).count() == 1


def test_replacing_an_app_needs_the_current_second_factor_first(cast):
    authenticator(cast.coordinator)
    client, _ = password_step(cast.coordinator)

    response = client.get(reverse("account:enrol"))

    assert response["Location"].startswith(reverse("account:verify"))


def test_mentees_sign_in_without_a_second_factor(cast):
    client, response = password_step(cast.mentee)

    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("account:enrol"))["Location"] == reverse("home")


def test_public_pages_stay_open_before_the_second_factor(cast):
    client, _ = password_step(cast.coordinator)

    assert client.get(reverse("healthz")).status_code in {200, 503}
    assert client.post(reverse("logout")).status_code == 302
    assert not signed_in(client)


def test_every_public_page_opens_before_the_second_factor(settings):
    public = set(EXEMPT) - {"admin", "login"}  # the admin needs it; sign-in is decorated

    assert public <= set(settings.SECOND_FACTOR_EXEMPT_VIEWS)
