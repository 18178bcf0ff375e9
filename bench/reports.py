"""Benchmark of the evaluation reports and the supervisor dashboard on state-wide data.

Run from the project root, against a PostgreSQL server (the budgets are for PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peerpath .venv/bin/python bench/reports.py

The script creates a throwaway database with Django's test-database machinery (named by
``TEST_DATABASE_NAME``, default ``bench_peerpath_reports``), migrates it, fills it with
``manage.py seed_load --scale statewide`` (``BENCH_SCALE`` picks another scale), measures,
prints a table and drops the database again. Seeding takes minutes, so ``--keep`` keeps the
database and a later run with ``--keep`` reuses it as it is (seeding only an empty one);
``TEST_DATABASE_NAME=peerpath_load --keep`` measures a database seeded beforehand. The
database ``DATABASE_URL`` names is never written to.

What it measures (the budgets of the "Performance at state-wide scale" issue):

- the last quarter's report of every program built one after the other, as the worker does
  (``evaluation.services.reports.build_report``: every figure, the stakeholder summary and
  the comparison with the quarter before): total wall time ≤ 60 s, and the process's peak
  resident memory (``ru_maxrss``, seeding excluded when reusing) ≤ 500 MB; also the CPU
  seconds this process and its PostgreSQL backend spent on them (read from /proc when the
  server runs on this machine; parallel query workers not included), which other work on the
  machine does not inflate the way it inflates wall time;
- the supervisor dashboard (the default last 90 days) rendered on the server by the test
  client, for a supervisor of one program of typical size and for an administrator who sees
  every program: the median of 5 renders and the number of queries.
"""

import argparse
import datetime
import os
import resource
import statistics
import sys
import time
from pathlib import Path

# Python puts this script's folder first on the path; the project root takes its place.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret-" + "x" * 40)
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "YmVuY2htYXJrLW9ubHktZmllbGQta2V5LW5vdC1zZWM=")
os.environ.setdefault("PEERPATH_INSECURE_HTTP", "1")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_peerpath_reports")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import Center, Program, User  # noqa: E402
from evaluation.loadgen import SCALES  # noqa: E402
from evaluation.loadgen.bulk import backend_cpu_seconds  # noqa: E402
from evaluation.models import EvaluationReport  # noqa: E402
from evaluation.services import reports  # noqa: E402
from mentorship.celery import app as celery_app  # noqa: E402

REPORT_BUDGET_SECONDS = 60
MEMORY_BUDGET_MB = 500
RENDERS = 5
SCALE = os.environ.get("BENCH_SCALE", "statewide")
ADMIN_EMAIL = "bench-administrator@load.peerpath.example"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def seed() -> float:
    started = time.perf_counter()
    call_command("seed_load", scale=SCALE, stdout=open(os.devnull, "w"))  # noqa: SIM115
    return time.perf_counter() - started


def build_quarterly_reports() -> tuple[float, int, float, float | None]:
    """Every program's report of the last quarter, built in turn; returns (seconds, built,
    CPU seconds of this process, CPU seconds of the database backend)."""
    start, end = reports.quarter_before(timezone.localdate())
    programs = list(Program.objects.order_by("pk"))
    # A re-run on a kept database builds them again from scratch.
    EvaluationReport.objects.filter(
        kind=EvaluationReport.Kind.QUARTERLY, period_start=start, signed_off_at__isnull=True
    ).delete()
    created = EvaluationReport.objects.bulk_create(
        EvaluationReport(
            program=program,
            kind=EvaluationReport.Kind.QUARTERLY,
            period_start=start,
            period_end=end,
            steps_total=len(reports.STEPS),
        )
        for program in programs
    )
    backend_before = backend_cpu_seconds()
    cpu_before = time.process_time()
    started = time.perf_counter()
    for report in created:
        reports.build_report(report_id=report.pk)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    backend_after = backend_cpu_seconds()
    backend = None if backend_before is None else backend_after - backend_before
    ready = EvaluationReport.objects.filter(
        pk__in=[r.pk for r in created], status=EvaluationReport.Status.READY
    ).count()
    return seconds, ready, cpu, backend


def signed_in_client(user: User) -> Client:
    """The user's browser past the password and the second factor."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def render_times(client: Client, url: str) -> tuple[list[float], int]:
    assert client.get(url).status_code == 200  # warm up: templates, caches
    times = []
    for _ in range(RENDERS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return times, len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--keep", action="store_true", help="Keep the database, and reuse it when it is seeded."
    )
    keep = parser.parse_args().keep
    # Reports tell their supervisors by outbox rows handed to a worker: no broker here.
    celery_app.conf.broker_url = "memory://"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keep)
    try:
        seeded = Center.objects.exists()
        seed_seconds = None if seeded else seed()
        rss_before = peak_rss_mb()
        report_seconds, built, report_cpu, backend_cpu = build_quarterly_reports()
        rss_after = peak_rss_mb()

        login = SCALES[SCALE].login_email("supervisor")
        supervisor = User.objects.get(email=login)
        one_times, one_queries = render_times(
            signed_in_client(supervisor), reverse("evaluation:dashboard")
        )
        admin, _ = User.objects.get_or_create(
            email=ADMIN_EMAIL,
            defaults={
                "display_name": "Bench Administrator",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        all_times, all_queries = render_times(
            signed_in_client(admin), reverse("evaluation:dashboard")
        )
        programs = Program.objects.count()

        rows = [
            ("database", f"{connection.vendor} {connection.settings_dict['NAME']}", ""),
            (
                "load average when done (1 min) / CPUs",
                f"{os.getloadavg()[0]:.1f} / {os.cpu_count()}",
                "",
            ),
            (
                "seed_load --scale " + SCALE,
                "reused" if seed_seconds is None else f"{seed_seconds:.0f} s",
                "≤ 600 s",
            ),
            (f"quarterly reports built (of {programs} programs)", f"{built}", f"{programs}"),
            (
                f"quarterly reports of all {programs} programs, total",
                f"{report_seconds:.1f} s",
                f"≤ {REPORT_BUDGET_SECONDS} s",
            ),
            ("  per report (mean)", f"{report_seconds / max(1, built) * 1000:.0f} ms", ""),
            ("  CPU of this process", f"{report_cpu:.1f} s", ""),
            (
                "  CPU of its PostgreSQL backend",
                "n/a" if backend_cpu is None else f"{backend_cpu:.1f} s",
                "",
            ),
            ("peak RSS of this process, before the reports", f"{rss_before:.0f} MB", ""),
            ("peak RSS of this process, after the reports", f"{rss_after:.0f} MB", "≤ 500 MB"),
            (
                "supervisor dashboard, 1 program: median of 5",
                f"{statistics.median(one_times) * 1000:.0f} ms",
                "",
            ),
            ("supervisor dashboard, 1 program: queries", f"{one_queries}", ""),
            (
                f"dashboard, all {programs} programs: median of 5",
                f"{statistics.median(all_times) * 1000:.0f} ms",
                "",
            ),
            (f"dashboard, all {programs} programs: queries", f"{all_queries}", ""),
            ("period of the quarterly reports", "{} – {}".format(*_quarter()), ""),
        ]
        width = max(len(label) for label, *_ in rows)
        print(f"{'measure':<{width}}  {'result':>24}  budget")
        print(f"{'-' * width}  {'-' * 24}  ------")
        for label, value, budget in rows:
            print(f"{label:<{width}}  {value:>24}  {budget}")
    finally:
        if keep:
            connection.close()
        else:
            connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=False)


def _quarter() -> tuple[datetime.date, datetime.date]:
    return reports.quarter_before(timezone.localdate())


if __name__ == "__main__":
    main()
