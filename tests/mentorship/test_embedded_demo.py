"""README command 1 runs on embedded defaults: a SQLite file and no servers. The suite runs on
PostgreSQL, so this builds the whole demo — every app's demo step, the reports included — on a
SQLite file of its own, as ``bin/run`` does, and reads the pages each role opens first."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PAGES = """
import json
from django.test import Client
from django.urls import reverse
from accounts.models import User
from evaluation.models import EvaluationReport
from tests.conftest import pass_second_factor

answers = {}
for email, names in {
    "supervisor@example.org": ["home", "evaluation:dashboard", "evaluation:report_list"],
    "coordinator@example.org": ["home", "evaluation:caseload", "matching:board"],
    "mentor@example.org": ["home", "evaluation:my_mentees"],
    "mentee@example.org": ["home"],
    "casemanager@example.org": ["home"],
}.items():
    client = Client()
    user = User.objects.get(email=email)
    client.force_login(user)
    pass_second_factor(client, user)
    for name in names:
        answers[f"{email} {name}"] = client.get(reverse(name)).status_code
    if email.startswith("supervisor"):
        report = EvaluationReport.objects.filter(
            program__memberships__user=user, program__memberships__role="supervisor"
        ).first()
        answers["report ready"] = report.status
        for name in ("evaluation:report_detail", "evaluation:report_pdf"):
            answers[name] = client.get(reverse(name, args=[report.pk])).status_code
print(json.dumps(answers))
"""


def test_the_demo_builds_and_serves_each_role_on_sqlite(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "PEERPATH_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "ALLOWED_HOSTS": "testserver",
        # Static files from the app folders, as in the rest of the suite (bin/run collects
        # them first); the database is what this test is about.
        "DEBUG": "1",
    }

    def manage(*args, stdin=None):
        return subprocess.run(  # noqa: S603 - the test's own fixed arguments
            [sys.executable, "manage.py", *args],
            env=env,
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )

    for step in (("migrate", "--noinput", "-v0"), ("seed_demo", "--password", "x" * 16)):
        result = manage(*step)
        assert result.returncode == 0, result.stderr[-3000:]

    result = manage("shell", "-c", PAGES)
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers.pop("report ready") == "ready"
    assert set(answers.values()) == {200}, answers
