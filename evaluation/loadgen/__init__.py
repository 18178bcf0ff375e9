"""Large generated data for load tests and benchmarks (``manage.py seed_load``).

``generate(scale=SCALES["statewide"], seed=..., password=...)`` writes a state-wide program's
five years on PostgreSQL: centers, programs, staff, mentors and mentees with their goals and
consents, matches in every state with their events and check-ins, sessions, feedback, safety
alerts, and measure administrations with their answers. ``plan`` draws it in memory from the
seed; ``write`` writes it in bulk (``bulk_create`` in large batches, COPY for the big tables).

It also makes one benchmark login per role (``spec.LOGIN_ROLES``) in one program of typical
size, with a known password and, for the roles that need one, a confirmed authenticator whose
secret ``credentials()`` returns, so that a benchmark signs in as a person would. The password
and the secrets are for load tests only: never seed a database people use.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.demo.second_factor import enrol_demo_logins, totp_secrets
from accounts.models import (
    Center,
    Certification,
    Consent,
    Goal,
    MenteeProfile,
    MentorProfile,
    Program,
    User,
)
from evaluation.loadgen.bulk import back_dated
from evaluation.loadgen.plan import Planner
from evaluation.loadgen.spec import DEFAULT_PASSWORD, DEFAULT_SEED, SCALES, Scale
from evaluation.loadgen.write import Writer, analyze
from matching.models import Match, MatchEvent

# The models whose automatic timestamps the writer sets to when things happened.
BACK_DATED = (
    Program,
    MentorProfile,
    MenteeProfile,
    Certification,
    Goal,
    Consent,
    Match,
    MatchEvent,
)

__all__ = [
    "DEFAULT_PASSWORD",
    "DEFAULT_SEED",
    "SCALES",
    "LoadError",
    "LoadResult",
    "Scale",
    "check_database",
    "credentials",
    "generate",
]


class LoadError(Exception):
    """The data cannot be generated in this database; the message says why."""


@dataclass
class LoadResult:
    counts: dict[str, int]
    logins: dict[str, User]
    program: Program


def check_database(*, scale: Scale, force: bool) -> None:
    """Refuse SQLite, a database that already holds people or programs (unless ``force``),
    and one where the benchmark logins exist already (even with ``force``)."""
    if connection.vendor != "postgresql":
        raise LoadError(
            "seed_load writes with PostgreSQL's COPY and checks the PostgreSQL triggers: point "
            "DATABASE_URL at a PostgreSQL database (SQLite is not supported)."
        )
    emails = [scale.login_email(role) for role in ("coordinator", "supervisor")]
    if User.objects.filter(email__in=emails).exists():
        raise LoadError(
            "This database already holds generated load-test data (the benchmark logins "
            "exist): seed a fresh database."
        )
    if not force and (User.objects.exists() or Center.objects.exists()):
        raise LoadError(
            "This database already holds data (people or centers). seed_load is for an empty "
            "load-test database; add --force to add the generated program beside what is there."
        )


def generate(*, scale: Scale, seed: int, password: str, progress=None) -> LoadResult:
    """Plan and write the whole program in one transaction, then refresh the planner's
    statistics. ``progress(message)`` hears about each step and its time."""
    progress = progress or (lambda message: None)
    planner = Planner(scale=scale, seed=seed, today=timezone.localdate()).plan()
    progress(f"  planned {len(planner.matches)} matches")
    with transaction.atomic(), back_dated(*BACK_DATED):
        writer = Writer(planner, seed=seed, progress=progress)
        counts = writer.write()
        logins, program = _benchmark_logins(writer, scale=scale, password=password)
        counts["authenticators"] = enrol_demo_logins(tuple(u.email for u in logins.values()))
    started = datetime.datetime.now()
    analyze()
    progress(f"  analyze: {(datetime.datetime.now() - started).total_seconds():.1f} s")
    return LoadResult(counts=counts, logins=logins, program=program)


def _benchmark_logins(writer: Writer, *, scale: Scale, password: str):
    """Give the benchmark program's coordinator, supervisor and a case manager, its busiest
    mentor and that mentor's mentee with the most sessions the well-known logins."""
    index = writer.plan.benchmark_program
    program = writer.programs[index]
    mentor_row = (
        MentorProfile.objects.filter(program=program, status="active")
        .annotate(
            running=Count("matches", filter=Q(matches__status="active")),
        )
        .order_by("-running", "pk")
        .first()
    )
    match = (
        Match.objects.filter(mentor=mentor_row, status="active")
        .annotate(held=Count("sessions", filter=Q(sessions__status="held")))
        .order_by("-held", "pk")
        .first()
    )
    if match is None:
        raise LoadError("The benchmark program has no active match: use a larger scale.")
    mentee_row = MenteeProfile.objects.get(pk=match.mentee_id)
    case_manager = writer.staff[(index, "case_manager")][0]
    if mentee_row.case_manager_id != case_manager.pk:
        MenteeProfile.objects.filter(pk=mentee_row.pk).update(case_manager=case_manager)
        mentee_row.case_manager = case_manager
        Consent.objects.filter(
            mentee=mentee_row, kind=Consent.Kind.SHARE_WITH_CASE_MANAGER, revoked_at__isnull=True
        ).delete()
    if not Consent.objects.filter(
        mentee=mentee_row, kind=Consent.Kind.SHARE_WITH_CASE_MANAGER, revoked_at__isnull=True
    ).exists():
        consent = writer.consent(
            mentee_row,
            Consent.Kind.SHARE_WITH_CASE_MANAGER,
            mentee_row.referral_date,
            writer.coordinator(index),
        )
        consent.save()
    users = {
        "coordinator": writer.coordinator(index),
        "supervisor": writer.supervisor(index),
        "mentor": mentor_row.user,
        "mentee": mentee_row.user,
        "case_manager": case_manager,
    }
    hashed = make_password(password)
    for role, user in users.items():
        user.email = scale.login_email(role)
        User.objects.filter(pk=user.pk).update(email=user.email, password=hashed)
    return users, program


def credentials(*, result: LoadResult, password: str, base_url: str = "") -> dict:
    """The benchmark logins as ``seed_load --credentials`` writes them: one object per
    account, with the base32 TOTP secret (``totp_secret``) of those that need a second factor."""
    secrets = totp_secrets(tuple(user.email for user in result.logins.values()))
    return {
        "base_url": base_url,
        "program": {"id": result.program.pk, "name": result.program.name},
        "accounts": [
            {
                "role": role,
                "login": user.email,
                "password": password,
                "name": user.display_name,
                "user_id": user.pk,
                "totp_secret": secrets.get(user.email),
            }
            for role, user in result.logins.items()
        ],
    }
