"""Signing in as a person does, through the pages: password, then the second factor."""

import time

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def code_for_key(key: str) -> str:
    return current_code(TOTPDevice(key=key))


def authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def password_step(user, password: str = TEST_PASSWORD, client: Client | None = None):
    """A fresh browser that has given the password; returns (client, response)."""
    client = client or Client()
    response = client.post(reverse("login"), {"username": user.email, "password": password})
    return client, response


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
