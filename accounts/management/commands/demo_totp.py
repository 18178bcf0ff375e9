"""``manage.py demo_totp <email>``: a demo account's current second-factor code.

For a newcomer trying the local demo without an authenticator app. It answers only for an
``@example.org`` account listed in the demo credentials file (``seed_demo --credentials``)
whose password is still the file's: a real account never qualifies, so the second factor is
not weakened anywhere else.
"""

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

DEMO_DOMAIN = "@example.org"


class Command(BaseCommand):
    help = "Print a demo account's current second-factor code (local demo only)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="A demo login, e.g. coordinator@example.org.")
        parser.add_argument(
            "--credentials",
            default=str(settings.VAR_DIR / "demo-credentials.json"),
            metavar="FILE",
            help="The file seed_demo --credentials wrote (default: var/demo-credentials.json).",
        )

    def handle(self, *args, email: str, credentials: str, **options):
        email = email.strip().lower()
        if not email.endswith(DEMO_DOMAIN):
            raise CommandError(f"Only demo accounts ({DEMO_DOMAIN}) have codes printed here.")
        account = self._demo_account(Path(credentials), email)
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None or not user.check_password(account.get("password") or ""):
            raise CommandError(f"{email} is not a demo account in this database.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(f"{email} signs in without a second factor.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        seconds = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        self.stderr.write(
            f"Valid for about {seconds} s, and only once: for another sign-in, wait for the "
            "next code."
        )

    def _demo_account(self, path: Path, email: str) -> dict:
        if not path.is_file():
            raise CommandError(
                f"No demo credentials file at {path}: this command works only on a local demo "
                "seeded with `manage.py seed_demo --credentials`."
            )
        try:
            accounts = json.loads(path.read_text(encoding="utf-8"))["accounts"]
        except (ValueError, KeyError, TypeError):
            raise CommandError(f"{path} is not a demo credentials file.") from None
        for account in accounts:
            if str(account.get("login", "")).lower() == email:
                return account
        raise CommandError(f"{email} is not listed in {path}.")
