"""The demo's second factor: every fixed login that needs one gets an authenticator.

Each secret is drawn at random when the demo is built (django-otp's ``default_key``), stored
on the confirmed device, and written to the credentials file by ``seed_demo --credentials``,
so a script can sign in as a person would; ``manage.py demo_totp <email>`` prints a demo
account's current code for a newcomer without an app.
"""

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.auth.policy import has_authenticator, needs_second_factor
from accounts.auth.services import APP_DEVICE_NAME
from accounts.models import User


def enrol_demo_logins(emails: tuple[str, ...]) -> int:
    """Give each of these accounts that needs a second factor a confirmed authenticator."""
    enrolled = 0
    for user in User.objects.filter(email__in=emails):
        if needs_second_factor(user) and not has_authenticator(user):
            TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
            enrolled += 1
    return enrolled


def totp_secrets(emails: tuple[str, ...]) -> dict[str, str]:
    """Base32 TOTP secrets (as authenticator apps take them) of these accounts, by email."""
    secrets = {}
    for device in TOTPDevice.objects.filter(user__email__in=emails, confirmed=True).select_related(
        "user"
    ):
        secrets[device.user.email] = base64.b32encode(device.bin_key).decode().rstrip("=")
    return secrets
