"""Real processes for the reliability tests: an SMTP server counting by Message-ID, a Redis
server of the test's own (never the machine's), Celery workers and beats started with
``celery -A mentorship`` and gunicorn web processes, all against the test database.

Rows must be committed for another process to see them, so these tests are transactional
(``serialized_rollback`` restores the data other tests rely on).
"""

import collections
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from mentorship.celery import app as celery_app

ROOT = Path(settings.BASE_DIR)
CELERY = str(Path(sys.executable).with_name("celery"))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], *, timeout: float, what: str):
    """Poll ``condition`` until it is truthy; fail naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


class CountingHandler:
    """Accepts mail and counts it by Message-ID; ``reply`` and ``delay`` make it refuse or
    stall, as a real server that is unwell would."""

    def __init__(self):
        self.received: list[str] = []
        self.reply = "250 OK"
        self.delay = 0.0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        if not self.reply.startswith("250"):
            return self.reply
        found = MESSAGE_ID.search(envelope.original_content or envelope.content)
        with self._lock:
            self.received.append(found.group(1).decode() if found else "")
        return self.reply

    @property
    def counts(self) -> collections.Counter:
        with self._lock:
            return collections.Counter(self.received)


@pytest.fixture
def smtp_server(settings):
    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 1},
        }
    }
    settings.SITE_URL = "https://peerpath.example.org"
    yield handler
    controller.stop()


class RedisServer:
    """A throwaway ``redis-server`` on a free port, without persistence."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        wait_for(lambda: not self._answers(), timeout=10, what="redis-server to stop")


@pytest.fixture
def redis_server():
    server = RedisServer(free_port())
    server.start()
    yield server
    server.stop()


def use_broker(url: str) -> None:
    """Point this process's Celery app (what ``on_commit`` publishes through) at ``url``."""
    if celery_app._pool is not None:  # noqa: SLF001 - drop connections to the old broker
        celery_app._pool.force_close_all()  # noqa: SLF001
        celery_app._pool = None  # noqa: SLF001
    celery_app.amqp._producer_pool = None  # noqa: SLF001
    celery_app.conf.broker_url = url


@pytest.fixture
def broker(redis_server):
    previous = celery_app.conf.broker_url
    use_broker(redis_server.url)
    yield redis_server
    use_broker(previous)


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Processes:
    """Celery workers, beats and web processes of the test, each in its own process group."""

    def __init__(self, tmp_path: Path, redis_url: str, smtp_port: int):
        self.tmp_path = tmp_path
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}?timeout=2",
            "SITE_URL": "https://peerpath.example.org",
            "NOTIFICATION_SWEEP_SECONDS": "1",
            "NOTIFICATION_STALE_SECONDS": "6",
            "PEERPATH_VAR_DIR": str(tmp_path),
            "CONN_MAX_AGE": "0",
        }
        self.env.pop("TEST_DATABASE_NAME", None)
        self.running: list[subprocess.Popen] = []
        self.count = 0

    def _start(self, *command: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        self.count += 1
        log = (self.tmp_path / f"process-{self.count}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            list(command),
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running.append(process)
        return process

    def worker(self) -> subprocess.Popen:
        return self._start(
            CELERY,
            "-A",
            "mentorship",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=worker{self.count + 1}@%h",
            "--loglevel=WARNING",
        )

    def beat(self) -> subprocess.Popen:
        n = self.count + 1
        return self._start(
            CELERY,
            "-A",
            "mentorship",
            "beat",
            f"--schedule={self.tmp_path / f'beat-{n}'}",
            f"--pidfile={self.tmp_path / f'beat-{n}.pid'}",
            "--loglevel=WARNING",
        )

    def web(self, port: int) -> subprocess.Popen:
        """A gunicorn web process on ``port``: production settings (DEBUG off) on plain HTTP,
        static files resolved as in the rest of the suite (``web_settings``)."""
        return self._start(
            GUNICORN,
            "mentorship.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--log-level=warning",
            env={
                "DJANGO_SETTINGS_MODULE": "tests.reliability.web_settings",
                "DEBUG": "0",
                "PEERPATH_INSECURE_HTTP": "1",
                "ALLOWED_HOSTS": "127.0.0.1",
            },
        )

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL: no cleanup, no acknowledgement, whatever it was doing."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        self.running.remove(process)

    def stop_all(self) -> None:
        for process in list(self.running):
            self.kill(process)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.tmp_path.glob("*.log"))


@pytest.fixture
def processes(tmp_path, redis_server, smtp_server):
    procs = Processes(tmp_path, redis_server.url, smtp_server.port)
    yield procs
    procs.stop_all()
