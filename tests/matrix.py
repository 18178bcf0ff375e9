"""The permission matrix's vocabulary: personas, expected answers, and a Route.

Each area of the product lists its routes in a ``tests/**/matrix_*.py`` module as
``ROUTES: dict[str, Route]``; ``tests/test_permission_matrix.py`` gathers them all.
"""

from collections.abc import Callable
from dataclasses import dataclass

PERSONAS = [
    "anonymous",
    "coordinator",
    "supervisor",
    "outsider",
    "case_manager",
    "mentor",
    "mentor2",
    "mentee",
    "mentee2",
]
STAFF = {"coordinator": 200, "supervisor": 200}
NOT_STAFF = {"case_manager": 404, "mentor": 404, "mentor2": 404, "mentee": 404, "mentee2": 404}

EXEMPT = {
    "admin": "Django's admin site, guarded by its own is_staff and model permissions",
    "login": "public: the sign-in form",
    "logout": "POST-only sign-out; acts on one's own session only",
    "set_language": "public: stores the chosen language in a cookie, reveals nothing",
    "healthz": "public by design; answers only ok/unreachable and a heartbeat time",
    "ping": "public by design: a fixed text and no query, the benchmark's baseline "
    "(tests/mentorship/test_ping.py)",
    "mentoring_sessions:feedback_link": "public one-time link: the token opens one session's "
    "feedback form and nothing else (tests/sessions/test_feedback.py)",
    "accounts:pathway_apply": "public mentor application form: no login; honeypot, minimum "
    "fill time and a per-address limit (tests/accounts/test_pathway_application.py)",
    "accounts:pathway_apply_thanks": "public thank-you page after applying; shows nothing",
    "evaluation:measure_link": "public one-time link: the token opens one administration's "
    "questions and nothing else (tests/evaluation/test_measures_answering.py)",
    "evaluation:stakeholder_link": "public one-time link: the token opens one stakeholder "
    "invitation's form and nothing else (tests/evaluation/test_stakeholders.py)",
}


@dataclass
class Route:
    url: Callable
    expect: dict[str, int]
    method: str = "get"
    data: Callable | None = None
    # Whose planted marker must appear for allowed personas and be absent for others.
    owner_marker: str | None = None
    # A list legitimately shows staff several people's records.
    lists_many: bool = False


def everyone(status: int) -> dict[str, int]:
    return {persona: status for persona in PERSONAS if persona != "anonymous"}
