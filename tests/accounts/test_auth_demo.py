"""The demo's second factor: the credentials file carries each staff login's TOTP secret, and
``demo_totp`` prints a demo account's current code, and refuses anything else."""

import base64
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import demo
from accounts.demo.second_factor import enrol_demo_logins, totp_secrets
from accounts.models import Membership
from tests import factories as f
from tests.accounts.auth_helpers import password_step

pytestmark = pytest.mark.django_db
PASSWORD = "demo-test-password-2026"


def demo_code(email: str, credentials, capsys) -> str:
    call_command("demo_totp", email, credentials=str(credentials))
    return capsys.readouterr().out.strip()


def test_demo_staff_logins_get_authenticators_whose_secrets_reach_the_credentials(cast):
    # The cast's addresses stand in for the demo's: staff, mentors and mentees alike.
    emails = tuple(
        getattr(cast, name).email for name in ("coordinator", "mentor", "case_manager", "mentee")
    )

    assert enrol_demo_logins(emails) == 3
    assert enrol_demo_logins(emails) == 0
    secrets = totp_secrets(emails)

    assert set(secrets) == set(emails) - {cast.mentee.email}
    device = TOTPDevice.objects.get(user=cast.coordinator)
    assert secrets[cast.coordinator.email] == base64.b32encode(device.bin_key).decode().rstrip("=")
    # Drawn at random, never the same twice.
    assert len(set(secrets.values())) == 3


def test_the_credentials_file_carries_each_logins_totp_secret(db):
    staff = f.UserFactory(email="coordinator@example.org")
    f.MembershipFactory(user=staff, role=Membership.Role.COORDINATOR)
    enrol_demo_logins(demo.FIXED_EMAILS)

    accounts = {
        a["login"]: a for a in demo.credentials(password=PASSWORD, base_url="x")["accounts"]
    }

    assert (
        accounts["coordinator@example.org"]["totp_secret"]
        == totp_secrets(("coordinator@example.org",))["coordinator@example.org"]
    )
    assert accounts["mentee@example.org"]["totp_secret"] is None


def _demo_account(tmp_path, email="coordinator@example.org"):
    user = f.UserFactory(email=email)
    f.MembershipFactory(user=user, role=Membership.Role.COORDINATOR)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    credentials = tmp_path / "credentials.json"
    credentials.write_text(
        json.dumps({"accounts": [{"login": email, "password": f.TEST_PASSWORD}]})
    )
    return user, credentials


def test_demo_totp_refuses_addresses_outside_the_demo_domain(tmp_path):
    _, credentials = _demo_account(tmp_path, email="someone@clinic.org")

    with pytest.raises(CommandError, match="Only demo accounts"):
        call_command("demo_totp", "someone@clinic.org", credentials=str(credentials))


def test_demo_totp_refuses_without_the_credentials_file(tmp_path):
    _demo_account(tmp_path)

    with pytest.raises(CommandError, match="No demo credentials file"):
        call_command(
            "demo_totp", "coordinator@example.org", credentials=str(tmp_path / "missing.json")
        )


def test_demo_totp_refuses_an_account_whose_password_is_not_the_demos(tmp_path):
    user, credentials = _demo_account(tmp_path)
    user.set_password("a different long password")
    user.save()

    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_totp", "coordinator@example.org", credentials=str(credentials))


def test_demo_totp_refuses_accounts_not_in_the_file(tmp_path):
    _, credentials = _demo_account(tmp_path)
    f.UserFactory(email="other@example.org")

    with pytest.raises(CommandError, match="not listed"):
        call_command("demo_totp", "other@example.org", credentials=str(credentials))


def test_demo_totp_prints_a_code_the_verify_page_accepts(tmp_path, capsys):
    user, credentials = _demo_account(tmp_path)

    code = demo_code(user.email, credentials, capsys)

    client, _ = password_step(user)
    assert client.post(reverse("account:verify"), {"otp_token": code}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
