"""A mixed load of people using PeerPath at once: a small load generator, standard library
only, run as its own process by the page benchmark.

    python bench/web/mixed.py PLAN.json RESULT.json

The plan (written by ``bench/web/run.py``) names the server, the duration, how many virtual
people of each role, each role's signed-in session cookie and the pages that role opens with
a weight each. Every virtual person is a thread that opens a page (chosen by weight), reads
the whole answer, then waits 1–3 s (uniformly) as a person reading it would, until the time is
up. An error is any answer but 200 (a redirect to sign-in included) or a failed connection.
The result holds the count of requests and errors and the latency percentiles, overall and by
role.
"""

import http.client
import json
import random
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


class Person(threading.Thread):
    def __init__(self, *, n, role, pages, cookie, host, port, deadline, think, seed):
        super().__init__(daemon=True, name=f"{role}-{n}")
        self.role, self.pages, self.cookie = role, pages, cookie
        self.host, self.port, self.deadline, self.think = host, port, deadline, think
        self.random = random.Random(seed)
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def run(self) -> None:
        urls = [page["url"] for page in self.pages]
        weights = [page.get("weight", 1) for page in self.pages]
        time.sleep(self.random.uniform(0, self.think[1]))  # people do not all arrive at once
        while time.monotonic() < self.deadline:
            url = self.random.choices(urls, weights)[0]
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                conn.request("GET", url, headers={"Cookie": self.cookie})
                response = conn.getresponse()
                response.read()
                conn.close()
                status = response.status
            except OSError as error:
                status = None
                self.errors.append(f"{url}: {type(error).__name__}")
            self.latencies.append(time.perf_counter() - started)
            if status is not None and status != 200:
                self.errors.append(f"{url}: {status}")
            time.sleep(self.random.uniform(*self.think))


def main() -> None:
    plan_path, result_path = sys.argv[1], sys.argv[2]
    with open(plan_path, encoding="utf-8") as handle:
        plan = json.load(handle)
    parts = urlsplit(plan["base_url"])
    started = time.monotonic()
    deadline = started + plan["seconds"]
    people = []
    for role, count in plan["users"].items():
        for n in range(count):
            people.append(
                Person(
                    n=n,
                    role=role,
                    pages=plan["pages"][role],
                    cookie=plan["cookies"][role],
                    host=parts.hostname,
                    port=parts.port,
                    deadline=deadline,
                    think=tuple(plan.get("think", (1.0, 3.0))),
                    seed=len(people),
                )
            )
    for person in people:
        person.start()
    for person in people:
        person.join()
    elapsed = time.monotonic() - started
    latencies = [value for person in people for value in person.latencies]
    errors = [error for person in people for error in person.errors]
    by_role = {}
    for role in plan["users"]:
        values = [v for p in people if p.role == role for v in p.latencies]
        by_role[role] = {
            "requests": len(values),
            "errors": sum(len(p.errors) for p in people if p.role == role),
            "p50_ms": percentile(values, 0.50) * 1000,
            "p95_ms": percentile(values, 0.95) * 1000,
        }
    result = {
        "users": len(people),
        "seconds": elapsed,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:10],
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "mean_ms": (statistics.fmean(latencies) * 1000) if latencies else 0.0,
        "max_ms": max(latencies, default=0.0) * 1000,
        "by_role": by_role,
    }
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)


if __name__ == "__main__":
    main()
