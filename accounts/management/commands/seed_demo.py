"""``manage.py seed_demo``: fill an empty database with a realistic demo program.

Two centers, three programs, about 40 mentors and 120 mentees with goals, consents and active
matches, plus one login per role. Running it again adds nothing. The default password is
public and the logins are well known: for a local demo only, never on a real deployment.
"""

import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import demo
from accounts.models import User


class Command(BaseCommand):
    help = (
        "Fill an empty database with a demo program and demo logins (local demos only; "
        f"the default password, {demo.DEFAULT_PASSWORD!r}, is public)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=None,
            help=(
                "Password of the demo logins. Default: the local-demo-only password "
                f"{demo.DEFAULT_PASSWORD!r}."
            ),
        )
        parser.add_argument(
            "--credentials",
            metavar="FILE",
            help="Also write the demo logins to FILE as JSON (readable by its owner only).",
        )

    def handle(self, *args, password=None, credentials=None, **options):
        if password is None:
            password = demo.DEFAULT_PASSWORD
            if not settings.DEBUG:
                self.stderr.write(
                    self.style.WARNING(
                        "DEBUG is off and the demo logins get the public default password. "
                        "Never seed demo data into a real deployment."
                    )
                )
        try:
            present = demo.demo_present()
        except demo.DemoError as error:
            raise CommandError(str(error)) from None
        if present:
            self.stdout.write("Demo data already present; nothing was added.")
            if credentials:
                self._write_existing_credentials(credentials, password)
            return

        started = time.monotonic()
        try:
            summary = demo.build_demo(password=password)
        except demo.DemoError as error:
            raise CommandError(str(error)) from None
        elapsed = time.monotonic() - started

        counts = ", ".join(f"{value} {name}" for name, value in summary.counts.items())
        statuses = ", ".join(f"{value} {name}" for name, value in summary.mentee_statuses.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data created in {elapsed:.1f} s."))
        self.stdout.write(f"  {counts}.")
        self.stdout.write(f"  Mentees by status: {statuses}.")
        if credentials:
            self._write(credentials, password)
        self._print_logins(password)

    def _write_existing_credentials(self, path: str, password: str) -> None:
        # The file would be useless (and misleading) if the password were not the demo's.
        coordinator = User.objects.filter(email="coordinator@example.org").first()
        if coordinator is None or not coordinator.check_password(password):
            raise CommandError(
                "The demo is already here but its logins do not use this password; "
                "credentials were not written."
            )
        self._write(path, password)

    def _write(self, path: str, password: str) -> None:
        data = demo.credentials(password=password, base_url=settings.SITE_URL)
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Passwords inside: readable by the owner only, even if the file already existed.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        self.stdout.write(f"Demo logins written to {target}.")

    def _print_logins(self, password: str) -> None:
        rows = [("Role", "Login", "Password", "Name")]
        rows += [
            (login.role.replace("_", " "), login.email, password, login.name)
            for login in demo.FIXED_LOGINS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write(f"Open {settings.SITE_URL} and sign in as:")
        for n, row in enumerate(rows):
            line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            self.stdout.write(f"  {line}".rstrip())
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        self.stdout.write("These logins and this password are for a local demo only.")
