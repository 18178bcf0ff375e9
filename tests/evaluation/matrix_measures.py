"""Permission-matrix entries for the outcome-measure routes.

The public one-time link (``evaluation:measure_link``) is in ``EXEMPT``; its rules are tested
in ``test_measures_answering.py``. Each URL is built on a fresh administration of the cast's
``match`` (mentor ↔ mentee).
"""

from django.urls import reverse

from evaluation.models import Administration
from evaluation.services import measures
from tests.evaluation.factories import AdministrationFactory
from tests.matrix import PERSONAS, Route


def only(**allowed: int) -> dict[str, int]:
    """Everyone signed in gets 404 except the personas named."""
    return {persona: allowed.get(persona, 404) for persona in PERSONAS if persona != "anonymous"}


def due(c, instrument="PHQ9") -> Administration:
    return AdministrationFactory(match=c.match, instrument=instrument)


def answered(c) -> Administration:
    # Several routes share it: one UCLA-3 per match and time point (a database constraint).
    done = Administration.objects.filter(match=c.match, instrument="UCLA3", status="completed")
    if done.exists():
        return done.get()
    return measures.submit_administration(
        administration=due(c, "UCLA3"),
        answers={1: 1, 2: 2, 3: 1},
        answered_by=c.mentee,
        mode=Administration.Mode.SELF,
    )


ROUTES: dict[str, Route] = {
    "evaluation:measure_detail": Route(
        lambda c: reverse("evaluation:measure_detail", args=[answered(c).pk]),
        only(coordinator=200, supervisor=200, mentee=200),
        owner_marker="mentee",
    ),
    "evaluation:measure_answer": Route(
        lambda c: reverse("evaluation:measure_answer", args=[due(c).pk]),
        only(mentee=200),
    ),
    "evaluation:measure_in_person": Route(
        lambda c: reverse("evaluation:measure_in_person", args=[due(c).pk]),
        only(coordinator=200),
        owner_marker="mentee",
    ),
    "evaluation:measure_done": Route(
        lambda c: reverse("evaluation:measure_done", args=[answered(c).pk]),
        only(mentee=200),
    ),
    "evaluation:measure_new": Route(
        lambda c: reverse("evaluation:measure_new", args=[c.mentee_profile.pk]),
        only(coordinator=200),
        owner_marker="mentee",
    ),
    "evaluation:measure_schedule": Route(
        lambda c: reverse("evaluation:measure_schedule", args=[c.program.pk]),
        only(coordinator=200),
    ),
}
