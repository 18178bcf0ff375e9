"""A realistic demo program for trying PeerPath locally (``manage.py seed_demo``).

Two centers, three programs, about 40 mentors and 120 mentees with varied life goals, lived
experience, languages, availability and needs; personal goals in the mentees' own words with
small steps and a dated history; and one fixed login per role (``FIXED_LOGINS``).

``spec`` says what the program holds, ``planner`` draws every person, planned pairing and goal
from ``random.Random(2026)`` before anything is written (so two runs on the same day build the
same program; dates are relative to today), and ``writer`` creates the rows: people through
``accounts.services`` so the intake rules hold, goals and their history in bulk.

Higher apps add their part (matches and their history, sessions...) through ``DEMO_STEPS``:
each step is appended in the app's ``AppConfig.ready()`` and called, in order, once the people
and goals exist, as ``step(writer=..., mentors=..., mentees=...)`` with the plans (whose
``profile`` is the created row); it may return counts for the summary.

The demo password is public: this data is for local demos only.
"""

from collections.abc import Callable
from dataclasses import dataclass

from auditlog.context import set_actor
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.demo.planner import Planner
from accounts.demo.plans import MenteePlan, MentorPlan
from accounts.demo.second_factor import enrol_demo_logins, totp_secrets
from accounts.demo.spec import (
    CENTERS,
    DEFAULT_PASSWORD,
    FIXED_EMAILS,
    FIXED_LOGINS,
    PROGRAMS,
    SEED,
    DemoLogin,
)
from accounts.demo.writer import Writer, load_taxonomy
from accounts.models import Center, MenteeProfile, User

# The demo's steps from apps above accounts (see the module docstring).
DEMO_STEPS: list[Callable[..., dict[str, int] | None]] = []

__all__ = [
    "DEFAULT_PASSWORD",
    "DEMO_STEPS",
    "FIXED_LOGINS",
    "DemoError",
    "DemoLogin",
    "DemoSummary",
    "build_demo",
    "credentials",
    "demo_present",
]


class DemoError(Exception):
    """The demo cannot be built in this database; the message says why."""


@dataclass
class DemoSummary:
    counts: dict[str, int]
    mentee_statuses: dict[str, int]


def demo_present() -> bool:
    """True when the demo's centers exist: the demo was built here already.

    Raises ``DemoError`` when a fixed login's email is taken but the demo is missing, since
    building next to those accounts would hand them new roles and a public password.
    """
    if Center.objects.filter(name__in=[name for name, _city, _phone in CENTERS.values()]).exists():
        return True
    taken = sorted(User.objects.filter(email__in=FIXED_EMAILS).values_list("email", flat=True))
    if taken:
        raise DemoError(
            f"These demo login addresses already belong to accounts here: {', '.join(taken)}. "
            "Seed the demo into an empty database."
        )
    return False


def credentials(*, password: str, base_url: str) -> dict:
    """The demo logins as ``seed_demo --credentials`` writes them: one object per account,
    with the base32 TOTP secret (``totp_secret``) of those that need a second factor."""
    secrets = totp_secrets(FIXED_EMAILS)
    return {
        "base_url": base_url,
        "accounts": [
            {
                "role": login.role,
                "login": login.email,
                "password": password,
                "name": login.name,
                "totp_secret": secrets.get(login.email),
            }
            for login in FIXED_LOGINS
        ],
    }


@transaction.atomic
def build_demo(*, password: str, seed: int = SEED) -> DemoSummary:
    """Create the whole demo program in one transaction (call when ``demo_present()`` is
    False). Changes are written to the audit log with the demo administrator as the actor."""
    taxonomy = load_taxonomy()
    if taxonomy is None:
        raise DemoError("The default taxonomies are missing: run `manage.py migrate` first.")
    writer = Writer(seed=seed, taxonomy=taxonomy, password_hash=make_password(password))
    admin = writer.create_admin()
    with set_actor(admin):
        writer.create_centers_and_staff()
        mentors, mentees = Planner(
            seed=seed, today=timezone.localdate(), interest_slugs=sorted(taxonomy["interests"])
        ).plan()
        writer.write(mentors, mentees)
        more = {}
        for step in DEMO_STEPS:
            more.update(step(writer=writer, mentors=mentors, mentees=mentees) or {})
        more["authenticators"] = enrol_demo_logins(FIXED_EMAILS)
    summary = _summary(mentors, mentees)
    summary.counts.update(more)
    return summary


def _summary(mentors: list[MentorPlan], mentees: list[MenteePlan]) -> DemoSummary:
    goals = [goal for plan in mentees for goal in plan.goals]
    # As written: the steps may move mentees on (matched, back to waiting, exited).
    statuses = {status: 0 for status in MenteeProfile.Status.values}
    for status, count in (
        MenteeProfile.objects.filter(pk__in=[plan.profile.pk for plan in mentees])
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
    ):
        statuses[status] = count
    return DemoSummary(
        counts={
            "centers": len(CENTERS),
            "programs": len(PROGRAMS),
            "mentors": len(mentors),
            "active mentors": sum(1 for m in mentors if m.status == "active"),
            "mentees": len(mentees),
            "goals": len(goals),
            "goal steps": sum(len(goal.steps) for goal in goals),
            "progress entries": sum(len(goal.history) for goal in goals),
            "consents": sum(len(plan.consents) for plan in mentees),
        },
        mentee_statuses=statuses,
    )
