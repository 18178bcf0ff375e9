"""What each scale of generated data holds. The counts are exact: the generator writes
precisely these numbers of centers, programs, mentees, mentors, matches, sessions, feedback
answers and measure administrations (the tests check them)."""

from dataclasses import dataclass

# Load-test only: the password of the benchmark logins when ``--password`` is not given.
DEFAULT_PASSWORD = "peerpath-load-test-only"  # noqa: S105 - public on purpose, load tests only
DEFAULT_SEED = 2026
# The benchmark logins' addresses: one per role, all in the benchmark program.
LOGIN_DOMAIN = "load.peerpath.example"
LOGIN_ROLES = ("coordinator", "supervisor", "mentor", "mentee", "case_manager")


@dataclass(frozen=True)
class Scale:
    name: str
    centers: int
    programs: int
    mentees: int
    mentors: int
    matches: int
    sessions: int
    feedback: int
    administrations: int
    years: int = 5

    def login_email(self, role: str) -> str:
        return f"{role.replace('_', '-')}@{LOGIN_DOMAIN}"


SCALES = {
    "tiny": Scale("tiny", 1, 2, 60, 14, 72, 1_500, 600, 300),
    "small": Scale("small", 2, 6, 1_000, 200, 1_200, 50_000, 20_000, 10_000),
    "statewide": Scale("statewide", 20, 60, 10_000, 2_000, 12_000, 500_000, 200_000, 100_000),
}
