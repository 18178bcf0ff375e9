"""Enrolling and checking the second factor.

An authenticator app is a django-otp ``TOTPDevice``. Enrolment draws a secret (kept in the
person's session until confirmed, so showing the page writes nothing); the first correct code
saves the device (replacing any older app) and issues a fresh set of single-use recovery
codes (a ``StaticDevice``). Codes are single use: a TOTP code is refused
once its time step has been accepted, and a recovery code is deleted when used.
"""

import base64
import secrets
import time

import segno
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from accounts.models import User
from accounts.services.errors import DomainError

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def new_authenticator_key() -> str:
    """A fresh random TOTP secret (hex, as django-otp stores it) for an enrolment."""
    return default_key()


def _unsaved_device(user: User, key: str) -> TOTPDevice:
    return TOTPDevice(user=user, name=APP_DEVICE_NAME, key=key, confirmed=True)


def secret_text(key: str) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(*, user: User, key: str) -> str:
    """The enrolment QR code as inline SVG markup, drawn here (no script, no outside service)."""
    return segno.make(_unsaved_device(user, key).config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="qr-code", title=_("QR code")
    )


@transaction.atomic
def confirm_authenticator(*, user: User, key: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Save the authenticator whose secret is ``key`` once ``token`` from the app matches;
    returns the device and a new set of recovery codes.

    Any authenticator the person had before stops working, and so do old recovery codes.
    The accepted code's time step is recorded, so that code cannot be used again.
    """
    device = _unsaved_device(user, key)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    token = "".join(token.split())
    if not (token.isdigit() and totp.verify(int(token), device.tolerance)):
        raise DomainError(
            _("That code did not match. Check the time on your phone and try again."),
            field="otp_token",
        )
    device.last_t = totp.t()
    device.drift = totp.drift
    TOTPDevice.objects.filter(user=user).delete()
    device.save()
    return device, replace_recovery_codes(user=user)


@transaction.atomic
def replace_recovery_codes(*, user: User) -> list[str]:
    """A fresh set of single-use recovery codes; older codes stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _recovery_code() -> str:
    # Ten lowercase base32 characters (50 bits), shown as two groups of five.
    return base64.b32encode(secrets.token_bytes(10)).decode().lower()[:10]


def verify_second_factor(*, user: User, token: str):
    """The confirmed device that accepts ``token`` (an app code or a recovery code), or None.

    Each device throttles its own failures (django-otp), so guessing slows down quickly.
    """
    token = "".join(token.split()).replace("-", "").lower()
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                return device
    return None
