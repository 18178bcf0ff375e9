"""Benchmark of suggestions and cohort matching on a large generated program.

Run from the project root, against a PostgreSQL server (the budgets are for PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peerpath .venv/bin/python bench/matching.py

The script creates a throwaway database with Django's test-database machinery (named by
``TEST_DATABASE_NAME``, default ``bench_peerpath_matching``), migrates it, generates the data,
measures, prints a table and drops the database again. The database ``DATABASE_URL`` names is
never written to.

What it measures (the budgets of the "Matching" issue):

- ``suggestions_for`` for one waiting mentee over 2,000 mentors: the median of 20 runs
  (≤ 100 ms), and its query count with 200 and with 2,000 mentors (must be equal);
- ``run_cohort`` for 500 waiting mentees × 500 mentors with capacities 1–3, end to end
  (loading, rules, scores, the assignment, writing the drafts): ≤ 2 s.
"""

import datetime
import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path

# Python puts this script's folder first on the path, where this file would hide the
# ``matching`` app it measures: the project root takes its place.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret-" + "x" * 40)
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "YmVuY2htYXJrLW9ubHktZmllbGQta2V5LW5vdC1zZWM=")
os.environ.setdefault("PEERPATH_INSECURE_HTTP", "1")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_peerpath_matching")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import (  # noqa: E402
    AVAILABILITY_SLOTS,
    Center,
    Certification,
    Interest,
    Language,
    LifeGoalArea,
    LivedExperience,
    Membership,
    MenteeProfile,
    MentorProfile,
    Program,
    User,
)
from matching.models import DoNotMatch, Match, MatchingSettings  # noqa: E402
from matching.services import run_cohort  # noqa: E402
from matching.suggestions import suggestions_for  # noqa: E402

UNUSABLE_PASSWORD = make_password(None)  # nobody signs in as a generated person
SERIAL = itertools.count()
SUGGESTION_RUNS = 20
COHORT_RUNS = 3
rng = random.Random(2026)
SLOTS = list(AVAILABILITY_SLOTS)
PLACES = ["Eastside", "Westside", "Downtown", "Riverside", "North End", ""]
TAXONOMIES = {
    "life_goals": LifeGoalArea,
    "lived_experience": LivedExperience,
    "interests": Interest,
}


class Terms:
    def __init__(self):
        self.ids = {
            name: list(model.objects.values_list("pk", flat=True))
            for name, model in TAXONOMIES.items()
        }
        self.english = Language.objects.get(code="en").pk
        self.others = list(Language.objects.exclude(code="en").values_list("pk", flat=True))

    def languages(self, *, mentee: bool) -> list[int]:
        if mentee and rng.random() < 0.15:
            return [self.others[0]]  # speaks Spanish only
        chosen = [self.english]
        if rng.random() < 0.25:
            chosen.append(rng.choice(self.others[:3]))
        return chosen


def _users(prefix: str, count: int) -> list[User]:
    users = [
        User(
            email=f"{prefix}-{next(SERIAL)}@bench.example",
            display_name=f"{prefix.title()} {n:04d}",
            password=UNUSABLE_PASSWORD,
        )
        for n in range(count)
    ]
    return User.objects.bulk_create(users)


def _profile_fields() -> dict:
    return {
        "availability": rng.sample(SLOTS, rng.randint(1, 6)),
        "modalities": rng.sample(["in_person", "phone", "video"], rng.randint(1, 3)),
        "location": rng.choice(PLACES),
        "gender": rng.choice(["woman", "man", "non_binary", ""]),
    }


def _set_terms(model, profiles, terms: Terms, *, mentee: bool) -> None:
    for name, ids in terms.ids.items():
        relation = model._meta.get_field(name)
        through = relation.remote_field.through
        source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        rows = [
            through(**{f"{source}_id": profile.pk, f"{target}_id": term})
            for profile in profiles
            for term in rng.sample(ids, rng.randint(1, 4))
        ]
        through.objects.bulk_create(rows)
    relation = model._meta.get_field("languages")
    through = relation.remote_field.through
    source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
    through.objects.bulk_create(
        [
            through(**{f"{source}_id": profile.pk, f"{target}_id": term})
            for profile in profiles
            for term in terms.languages(mentee=mentee)
        ]
    )


def make_mentors(program: Program, count: int, terms: Terms) -> list[MentorProfile]:
    mentors = MentorProfile.objects.bulk_create(
        [
            MentorProfile(
                user=user,
                program=program,
                capacity=rng.randint(1, 3),
                status="active" if rng.random() < 0.9 else "on_hold",
                idd_mh_experience=rng.random() < 0.3,
                **_profile_fields(),
            )
            for user in _users(f"mentor-p{program.pk}", count)
        ]
    )
    _set_terms(MentorProfile, mentors, terms, mentee=False)
    # Trained, as the eligibility rule requires (the program's pathway is not set up, so a
    # current certification is all it asks).
    today = timezone.localdate()
    Certification.objects.bulk_create(
        Certification(
            mentor=m,
            issued_on=today - datetime.timedelta(days=30),
            expires_on=today + datetime.timedelta(days=335),
            issued_by_id=m.user_id,
        )
        for m in mentors
    )
    return mentors


def make_mentees(program: Program, count: int, terms: Terms) -> list[MenteeProfile]:
    today = timezone.localdate()
    mentees = MenteeProfile.objects.bulk_create(
        [
            MenteeProfile(
                user=user,
                program=program,
                status="waiting",
                waiting_since=today - datetime.timedelta(days=rng.randint(0, 400)),
                idd_mh=rng.random() < 0.2,
                preferred_mentor_gender=rng.choice(["", "", "", "woman", "man"]),
                gender_preference_required=rng.random() < 0.3,
                **_profile_fields(),
            )
            for user in _users(f"mentee-p{program.pk}", count)
        ]
    )
    _set_terms(MenteeProfile, mentees, terms, mentee=True)
    return mentees


def occupy_some_places(program, mentors, coordinator, terms) -> None:
    """A tenth of the mentors already mentor someone; a few pairs are on do-not-match lists."""
    busy = rng.sample(mentors, len(mentors) // 10)
    matched = make_mentees(program, len(busy), terms)
    MenteeProfile.objects.filter(pk__in=[m.pk for m in matched]).update(status="matched")
    Match.objects.bulk_create(
        [
            Match(
                program=program,
                mentee=mentee,
                mentor=mentor,
                status="active",
                proposed_by=coordinator,
                started_on=timezone.localdate(),
            )
            for mentee, mentor in zip(matched, busy, strict=True)
        ]
    )


def program_with(center, name, *, mentors: int, mentees: int, terms: Terms):
    program = Program.objects.create(center=center, name=name)
    MatchingSettings.for_program(program)
    coordinator = User.objects.create(
        email=f"coordinator-{program.pk}@bench.example", display_name="Bench Coordinator"
    )
    Membership.objects.create(user=coordinator, program=program, role="coordinator")
    mentor_list = make_mentors(program, mentors, terms)
    mentee_list = make_mentees(program, mentees, terms)
    occupy_some_places(program, mentor_list, coordinator, terms)
    DoNotMatch.objects.bulk_create(
        [
            DoNotMatch(
                mentee=rng.choice(mentee_list),
                mentor=mentor,
                requested_by="staff",
                recorded_by=coordinator,
            )
            for mentor in rng.sample(mentor_list, len(mentor_list) // 50)
        ],
        ignore_conflicts=True,
    )
    return program, coordinator, mentor_list, mentee_list


def queries_of(mentee) -> int:
    with CaptureQueriesContext(connection) as captured:
        suggestions_for(mentee)
    return len(captured)


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> None:
    vendor = connection.vendor
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        terms = Terms()
        center = Center.objects.create(name="Bench Center")
        small, *_rest, small_mentees = program_with(
            center, "Bench 200", mentors=200, mentees=1, terms=terms
        )
        large, *_rest, large_mentees = program_with(
            center, "Bench 2000", mentors=2000, mentees=1, terms=terms
        )
        cohort, coordinator, cohort_mentors, cohort_mentees = program_with(
            center, "Bench cohort", mentors=500, mentees=500, terms=terms
        )

        mentee = large_mentees[0]
        suggestions_for(mentee)  # warm up: connection, caches
        times = [timed(lambda: suggestions_for(mentee)) for _ in range(SUGGESTION_RUNS)]
        found = suggestions_for(mentee)
        queries_small, queries_large = queries_of(small_mentees[0]), queries_of(mentee)

        waiting = [m.pk for m in cohort_mentees]
        mentor_ids = [m.pk for m in cohort_mentors]
        runs, cohort_times = [], []
        for _ in range(COHORT_RUNS):
            started = time.perf_counter()
            runs.append(
                run_cohort(
                    actor=coordinator, program=cohort, mentee_ids=waiting, mentor_ids=mentor_ids
                )
            )
            cohort_times.append(time.perf_counter() - started)
        last = runs[-1]
        free_places = sum(m.capacity for m in cohort_mentors if m.status == "active") - (
            Match.objects.filter(program=cohort, status="active").count()
        )

        rows = [
            ("database", vendor, ""),
            # Other work on the machine slows every figure: read them with this in mind.
            (
                "load average when done (1 min) / CPUs",
                f"{os.getloadavg()[0]:.1f} / {os.cpu_count()}",
                "",
            ),
            (
                "suggestions_for, 2,000 mentors: median of 20",
                f"{statistics.median(times) * 1000:.1f} ms",
                "≤ 100 ms",
            ),
            ("suggestions_for, 2,000 mentors: slowest of 20", f"{max(times) * 1000:.1f} ms", ""),
            ("suggestions shown (the page's limit)", f"{len(found)}", ""),
            ("queries with 200 mentors", f"{queries_small}", "equal"),
            ("queries with 2,000 mentors", f"{queries_large}", "equal"),
            (
                "run_cohort 500 × 500, end to end: median of 3",
                f"{statistics.median(cohort_times):.2f} s",
                "≤ 2 s",
            ),
            ("run_cohort 500 × 500: slowest of 3", f"{max(cohort_times):.2f} s", ""),
            (
                "cohort: free places (approx.) / drafts / left out",
                f"{free_places} / {last.drafts.count()} / {len(last.left_out)}",
                "",
            ),
            ("cohort: total score of the drafts", f"{last.total_score}", ""),
        ]
        width = max(len(label) for label, *_ in rows)
        print(f"{'measure':<{width}}  {'result':>14}  budget")
        print(f"{'-' * width}  {'-' * 14}  ------")
        for label, value, budget in rows:
            print(f"{label:<{width}}  {value:>14}  {budget}")
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=False)


if __name__ == "__main__":
    main()
