"""``manage.py seed_load``: fill an empty PostgreSQL database with a generated state-wide
program for load tests and benchmarks (``evaluation.loadgen``).

    manage.py seed_load --scale statewide --credentials var/load-credentials.json

Scales: ``tiny`` (seconds, for tests), ``small`` (a tenth of state-wide) and ``statewide``
(20 centers, 60 programs, 10,000 mentees, 2,000 mentors, 12,000 matches, 500,000 sessions,
200,000 feedback answers, 100,000 measure administrations over five years). The same
``--seed`` on the same day gives the same data. It refuses a database that already holds
people or centers unless ``--force``, and refuses SQLite.

The benchmark logins (one per role) get ``--password``; its default is public and for load
tests only. Never run this against a database people use.
"""

import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evaluation import loadgen
from evaluation.loadgen.bulk import backend_cpu_seconds


class Command(BaseCommand):
    help = "Generate a large state-wide program in an empty PostgreSQL database (load tests only)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(loadgen.SCALES), default="small")
        parser.add_argument(
            "--seed", type=int, default=loadgen.DEFAULT_SEED, help="Random seed (default 2026)."
        )
        parser.add_argument(
            "--password",
            default=loadgen.DEFAULT_PASSWORD,
            help=(
                "Password of the benchmark logins. Default: the public load-test-only password "
                f"{loadgen.DEFAULT_PASSWORD!r}."
            ),
        )
        parser.add_argument(
            "--credentials",
            metavar="FILE",
            help="Write the benchmark logins (with their TOTP secrets) to FILE as JSON.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the generated program even though the database already holds data.",
        )

    def handle(self, *args, scale, seed, password, credentials, force, **options):
        chosen = loadgen.SCALES[scale]
        try:
            loadgen.check_database(scale=chosen, force=force)
        except loadgen.LoadError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Generating the {scale} scale (seed {seed})...")
        started = time.monotonic()
        cpu_before, backend_before = time.process_time(), backend_cpu_seconds()
        try:
            result = loadgen.generate(
                scale=chosen, seed=seed, password=password, progress=self.stdout.write
            )
        except loadgen.LoadError as error:
            raise CommandError(str(error)) from None
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Load data created in {elapsed:.1f} s."))
        # Wall time depends on what else runs on the machine; the CPU time says the work.
        backend = backend_cpu_seconds()
        used = f"  CPU: this process {time.process_time() - cpu_before:.1f} s"
        if backend is not None and backend_before is not None:
            used += f", its PostgreSQL backend {backend - backend_before:.1f} s"
        self.stdout.write(used + ".")
        self.stdout.write("  " + ", ".join(f"{n} {name}" for name, n in result.counts.items()))
        self.stdout.write(f"  Benchmark program: {result.program.name} (id {result.program.pk}).")
        for role, user in result.logins.items():
            self.stdout.write(f"  {role.replace('_', ' ')}: {user.email}")
        if credentials:
            self._write(credentials, result, password)

    def _write(self, path: str, result, password: str) -> None:
        data = loadgen.credentials(result=result, password=password, base_url=settings.SITE_URL)
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Passwords and TOTP secrets inside: readable by the owner only.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        self.stdout.write(f"Benchmark logins written to {target}.")
