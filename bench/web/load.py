"""Latency and throughput of one page under a concurrent load from ``wrk``, a separate
process (Debian's ``wrk`` package; ``bin/bench`` installs it when missing)."""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk.lua")


@dataclass
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    not_200: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.not_200 + self.socket_errors


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit(
            "wrk is not installed: run bin/bench (it installs it) or apt-get install wrk"
        )
    return found


def run_wrk(
    url: str, *, cookie: str | None, connections: int, seconds: int, threads: int = 2
) -> Load:
    command = [
        wrk_path(),
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        "--script",
        str(SCRIPT),
    ]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    command.append(url)
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    for line in result.stdout.splitlines():
        if line.startswith("WRK-JSON "):
            data = json.loads(line.removeprefix("WRK-JSON "))
            return Load(
                requests=data["requests"],
                seconds=data["duration_us"] / 1e6,
                p50_ms=data["p50_us"] / 1000,
                p95_ms=data["p95_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
                max_ms=data["max_us"] / 1000,
                not_200=data["not_200"],
                socket_errors=data["socket_errors"],
            )
    raise SystemExit(f"wrk gave no result for {url}:\n{result.stdout}\n{result.stderr}")
