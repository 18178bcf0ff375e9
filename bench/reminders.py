"""Benchmark of reminder delivery: 10,000 due outbox rows sent by two Celery worker processes
to a local SMTP server, through PostgreSQL and Redis.

Run from the project root, with PostgreSQL running and ``redis-server`` installed:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peerpath .venv/bin/python bench/reminders.py

The script creates a throwaway database with Django's test-database machinery (named by
``TEST_DATABASE_NAME``, default ``bench_peerpath_reminders``), starts its own ``redis-server``
on a free port (the machine's Redis is not touched), an aiosmtpd server in this process that
counts messages by Message-ID, and two ``celery -A mentorship worker`` processes. Once both
workers are ready it writes ``BENCH_REMINDERS`` (default 10,000) due email rows, runs one
outbox sweep and waits until every row is sent. It prints the elapsed seconds (from the sweep
to the last row marked sent), the messages received, the distinct Message-IDs, the losses and
the repeats, then stops everything and drops the database. Budget: ≤ 60 s, no loss, no repeat.

Each worker runs ``--pool=threads`` with ``BENCH_THREADS`` threads (default 4): a thread
waiting on the mail server or the database lets another one work. ``BENCH_LOG_DIR`` keeps the
workers' logs in that folder. It also prints the CPU seconds the workers and this process (the
SMTP server) used, and the load average, since other work on the machine slows it down.
"""

import collections
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# Python puts this script's folder first on the path; the project root takes its place.
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


REDIS_PORT = free_port()
SMTP_PORT = free_port()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret-" + "x" * 40)
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "YmVuY2htYXJrLW9ubHktZmllbGQta2V5LW5vdC1zZWM=")
os.environ.setdefault("PEERPATH_INSECURE_HTTP", "1")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_peerpath_reminders")
os.environ["REDIS_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/0"
os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{SMTP_PORT}?timeout=10"
os.environ["SITE_URL"] = "https://peerpath.example.org"

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

from aiosmtpd.controller import Controller  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Notification, User  # noqa: E402
from accounts.tasks import sweep_notifications  # noqa: E402

COUNT = int(os.environ.get("BENCH_REMINDERS", "10000"))
WORKERS = 2
# Threads per worker process: a thread waiting on the mail server or the database lets
# another one work.
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
BUDGET_SECONDS = 60
TIMEOUT_SECONDS = 300
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)


class Counter:
    """aiosmtpd handler: accepts every message and records its Message-ID."""

    def __init__(self):
        self.received: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        found = MESSAGE_ID.search(envelope.original_content or envelope.content)
        with self.lock:
            self.received.append(found.group(1).decode() if found else "")
        return "250 OK"


def wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def start_redis() -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [shutil.which("redis-server") or "redis-server", "--port", str(REDIS_PORT)]
        + ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def answers() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    wait(answers, 10, "redis-server")
    return process


def start_workers(folder: Path) -> list[tuple[subprocess.Popen, Path]]:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}",
        "PEERPATH_VAR_DIR": str(folder),
    }
    env.pop("TEST_DATABASE_NAME", None)
    workers = []
    for n in range(1, WORKERS + 1):
        log = folder / f"worker{n}.log"
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [str(Path(sys.executable).with_name("celery")), "-A", "mentorship", "worker"]
            + ["--pool=threads", f"--concurrency={THREADS}"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"]
            + [f"--hostname=bench{n}@%h", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        workers.append((process, log))
    return workers


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def due_rows(count: int) -> set[str]:
    users = User.objects.bulk_create(
        (User(email=f"bench{i}@example.org", display_name=f"Bench {i}") for i in range(count)),
        batch_size=2000,
    )
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        (
            Notification(
                recipient=user,
                kind="supervisor_note",
                channel=Notification.Channel.EMAIL,
                key=f"bench:{user.pk}",
                due_at=now,
            )
            for user in users
        ),
        batch_size=2000,
    )
    return {f"<notification-{row.pk}@peerpath.example.org>" for row in rows}


def main() -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every connection
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    handler = Counter()
    ok = finished = False
    smtp = Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    smtp.start()
    redis = start_redis()
    workers = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            folder = os.environ.get("BENCH_LOG_DIR", folder)
            workers = start_workers(Path(folder))
            wait(
                lambda: all(" ready." in log.read_text(errors="replace") for _, log in workers),
                120,
                "both workers to be ready",
            )
            expected = due_rows(COUNT)
            sent = Notification.objects.filter(state=Notification.State.SENT)

            started = time.monotonic()
            cpu_before = [cpu_seconds(process.pid) for process, _log in workers]
            own_before = time.process_time()
            sweep_notifications.run()
            wait(lambda: sent.count() == COUNT, TIMEOUT_SECONDS, "every row to be sent")
            elapsed = time.monotonic() - started
            finished = True
            worker_cpu = sum(cpu_seconds(p.pid) for p, _log in workers) - sum(cpu_before)
            server_cpu = time.process_time() - own_before

            with handler.lock:
                counts = collections.Counter(handler.received)
            losses = len(expected - set(counts))
            repeats = sum(n - 1 for n in counts.values())
            print(f"reminders due            {COUNT}")
            print(f"worker processes         {WORKERS} ({THREADS} threads each)")
            print(f"elapsed                  {elapsed:.1f} s (budget {BUDGET_SECONDS} s)")
            print(f"messages received        {sum(counts.values())}")
            print(f"distinct Message-IDs     {len(counts)}")
            print(f"losses                   {losses}")
            print(f"repeats                  {repeats}")
            print(f"throughput               {COUNT / elapsed:.0f} messages/s")
            print(f"CPU, both workers        {worker_cpu:.1f} s")
            print(f"CPU, SMTP server + sweep {server_cpu:.1f} s")
            print(f"load average (1 min)     {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            ok = elapsed <= BUDGET_SECONDS and losses == 0 and repeats == 0
            print("within budget" if ok else "OVER BUDGET OR INCORRECT")
    finally:
        if not finished:  # what the workers said, to see why
            for _process, log in workers:
                if log.exists():
                    print(log.read_text(errors="replace")[-3000:])
        for process, _log in workers:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        redis.terminate()
        redis.wait(timeout=10)
        smtp.stop()
        connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=False)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
