"""The production stack the page benchmark runs: its databases, Redis, gunicorn and a Celery
worker, each started the way docs/deploy.md runs them, and stopped again.

Settings are production's (``DEBUG`` off, hashed static files, every security header), with
one exception for plain-HTTP loopback: ``PEERPATH_INSECURE_HTTP=1`` turns off the HTTPS
redirect and the Secure cookie flag only.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "bench"
PYTHON = Path(sys.executable)
BIN = PYTHON.parent
SEED_LOAD = ROOT / "evaluation" / "management" / "commands" / "seed_load.py"
# The demo data stands in for a scale when ``seed_load`` is not there.
DEMO = "demo"
MARKER_PREFIX = "peerpath-bench scale="


def server_url() -> str:
    """The PostgreSQL server (``DATABASE_URL`` without the database name)."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/peerpath")
    return url.rsplit("/", 1)[0]


def database_url(name: str) -> str:
    return f"{server_url()}/{name}"


def database_name(scale: str) -> str:
    return f"peerpath_bench_{scale}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def field_key() -> str:
    """The notes' encryption key of the benchmark databases, generated once: a reused
    database keeps readable notes across runs."""
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / "field_encryption_key"
    if not path.exists():
        from cryptography.fernet import Fernet

        path.write_text(Fernet.generate_key().decode() + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def app_env(db_name: str, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TEST_DATABASE_NAME", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DATABASE_URL": database_url(db_name),
            "DEBUG": "0",
            "PEERPATH_INSECURE_HTTP": "1",
            "SECRET_KEY": env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": field_key(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "EMAIL_URL": f"file://{VAR / 'mail'}",
            "PEERPATH_VAR_DIR": str(VAR / "var"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


def manage(db_name: str, *args: str, log: Path | None = None, **extra: str) -> None:
    command = [str(PYTHON), "manage.py", *args]
    print(f"  $ manage.py {' '.join(args)}", flush=True)
    with log.open("ab") if log else open(os.devnull, "wb") as out:
        result = subprocess.run(  # noqa: S603 - fixed arguments
            command, cwd=ROOT, env=app_env(db_name, **extra), stdout=out, stderr=subprocess.STDOUT
        )
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:] if log else ""
        raise SystemExit(f"manage.py {args[0]} failed (exit {result.returncode})\n{tail}")


def _admin():
    return psycopg.connect(f"{server_url()}/postgres", autocommit=True)


def marker_of(db_name: str) -> str | None:
    """What the database's comment says it was seeded with, or None (absent or unmarked)."""
    with _admin() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [db_name],
        ).fetchone()
    if row is None:
        return None
    return row[0] or ""


def postgres_version() -> str:
    with _admin() as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def seeder(scale: str) -> str:
    if scale == DEMO:
        return DEMO
    if not SEED_LOAD.exists():
        raise SystemExit(
            f"manage.py seed_load is not in this tree ({SEED_LOAD.relative_to(ROOT)}): "
            f"run with --scale {DEMO} to measure the demo data instead."
        )
    return "seed_load"


def prepare_database(scale: str, *, reseed: bool) -> tuple[str, Path]:
    """The database of this scale, seeded, migrated, with its credentials file. Reused when
    its marker says the same scale and its credentials file is there, unless ``reseed``."""
    name = database_name(scale)
    credentials = VAR / f"{name}.credentials.json"
    log = VAR / f"{name}.seed.log"
    VAR.mkdir(parents=True, exist_ok=True)
    marker = marker_of(name)
    wanted = f"{MARKER_PREFIX}{scale}"
    if not reseed and marker and marker.startswith(wanted + " ") and credentials.exists():
        print(f"Reusing {name} ({marker}).", flush=True)
        manage(name, "migrate", "--noinput", "-v0", log=log)
        return name, credentials
    how = seeder(scale)
    print(f"Creating and seeding {name} (scale {scale}, {how}).", flush=True)
    started = time.monotonic()
    with _admin() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    log.write_bytes(b"")
    credentials.unlink(missing_ok=True)
    manage(name, "migrate", "--noinput", "-v0", log=log)
    if how == DEMO:
        manage(name, "seed_demo", "--credentials", str(credentials), log=log)
    else:
        manage(name, "seed_load", "--scale", scale, "--credentials", str(credentials), log=log)
    if not credentials.exists():
        raise SystemExit(f"the seed wrote no credentials file at {credentials}")
    stamp = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime())
    with _admin() as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(f"{wanted} seeded={stamp}")
            )
        )
    print(f"  seeded in {time.monotonic() - started:.0f} s", flush=True)
    return name, credentials


def collect_static(db_name: str) -> None:
    """Production serves hashed static files from collectstatic's manifest (WhiteNoise)."""
    manage(db_name, "collectstatic", "--noinput", "-v0")


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return response.status == 200
    except OSError:
        return False


@dataclass
class Stack:
    """Redis (its own server on a free port), a Celery worker and gunicorn."""

    db_name: str
    workers: int
    port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    processes: list[tuple[str, subprocess.Popen]] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return app_env(
            self.db_name,
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            SITE_URL=self.base_url,
        )

    def _spawn(self, label: str, command: list[str], log: Path) -> None:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            command,
            cwd=ROOT,
            env=self.env(),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append((label, process))

    def start(self) -> None:
        VAR.mkdir(parents=True, exist_ok=True)
        (VAR / "var").mkdir(exist_ok=True)
        redis = shutil.which("redis-server")
        if redis is None:
            raise SystemExit("redis-server is not installed (apt-get install redis-server)")
        self._spawn(
            "redis",
            [redis, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            VAR / "redis.log",
        )
        self._spawn(
            "celery worker",
            [str(BIN / "celery"), "-A", "mentorship", "worker", "--loglevel=INFO"]
            + ["--concurrency=2", f"--hostname=bench-{self.port}@%h"],
            VAR / "worker.log",
        )
        self._spawn(
            "gunicorn",
            [str(BIN / "gunicorn"), "mentorship.wsgi", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", str(self.workers), "--access-logfile", str(VAR / "access.log")],
            VAR / "web.log",
        )
        wait_for(lambda: _answers(f"{self.base_url}/ping"), 60, "gunicorn to answer /ping")
        for label, process in self.processes:
            if process.poll() is not None:
                raise SystemExit(f"{label} stopped at start; see {VAR}")

    def stop(self) -> None:
        for _label, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _label, process in reversed(self.processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.processes.clear()
