"""Permission-matrix entries for safety alerts and the programs' crisis settings.

An alert is for the supervisors of its program (and, once escalated, of its center); the
crisis settings are for the program's supervisors. Everyone else signed in gets 404.
"""

from django.urls import reverse
from django.utils import timezone

from sessions import services
from sessions.models import SafetyAlert
from tests.matrix import PERSONAS, Route
from tests.sessions.factories import MentoringSessionFactory


def only(**allowed: int) -> dict[str, int]:
    return {persona: allowed.get(persona, 404) for persona in PERSONAS if persona != "anonymous"}


def alert(c) -> SafetyAlert:
    return services.raise_safety_alert(
        mentee=c.mentee_profile,
        source=SafetyAlert.Source.SESSION_CONCERN,
        session=MentoringSessionFactory(match=c.match),
        raised_by=c.mentor,
    )


def alert_url(name: str):
    return lambda c: reverse(f"mentoring_sessions:{name}", args=[alert(c).pk])


ROUTES: dict[str, Route] = {
    "mentoring_sessions:alert_list": Route(
        lambda c: alert(c) and reverse("mentoring_sessions:alert_list"),
        only(supervisor=200),
        owner_marker="mentee",
        lists_many=True,
    ),
    "mentoring_sessions:alert_detail": Route(
        alert_url("alert_detail"), only(supervisor=200), owner_marker="mentee"
    ),
    "mentoring_sessions:alert_acknowledge": Route(
        alert_url("alert_acknowledge"), only(supervisor=302), method="post"
    ),
    "mentoring_sessions:alert_note_add": Route(
        alert_url("alert_note_add"),
        only(supervisor=302),
        method="post",
        data=lambda c: {"text": "Called the mentee; safety plan reviewed."},
    ),
    "mentoring_sessions:alert_contact_add": Route(
        alert_url("alert_contact_add"),
        only(supervisor=302),
        method="post",
        data=lambda c: {
            "attempted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "method": "phone",
            "result": "reached",
        },
    ),
    "mentoring_sessions:alert_resolve": Route(
        alert_url("alert_resolve"),
        only(supervisor=302),
        method="post",
        data=lambda c: {"outcome": "safe_plan"},
    ),
    "mentoring_sessions:crisis_settings": Route(
        lambda c: reverse("mentoring_sessions:crisis_settings", args=[c.program.pk]),
        only(supervisor=200),
    ),
}
