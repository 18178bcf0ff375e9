"""Factories for evaluation's measures.

``AdministrationFactory()`` is a PHQ-9 due today at the baseline of a new active match;
``completed_administration(...)`` answers one through the service, so it is scored as in use.
"""

import factory
from django.utils import timezone

from evaluation import instruments
from evaluation.models import Administration, Timepoint
from evaluation.services import measures
from tests import factories as f


class AdministrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Administration

    match = factory.SubFactory(f.MatchFactory)
    program = factory.SelfAttribute("match.program")
    mentee = factory.SelfAttribute("match.mentee")
    instrument = "PHQ9"
    instrument_version = factory.LazyAttribute(
        lambda o: instruments.INSTRUMENTS[o.instrument].version
    )
    timepoint = Timepoint.BASELINE
    due_on = factory.LazyFunction(timezone.localdate)


def completed_administration(answers: list, **kwargs) -> Administration:
    """A due administration answered by its respondent, signed in."""
    administration = AdministrationFactory(**kwargs)
    user = administration.mentee.user
    if administration.respondent_is_mentor:
        user = administration.match.mentor.user
    return measures.submit_administration(
        administration=administration,
        answers={number: value for number, value in enumerate(answers, 1) if value is not None},
        answered_by=user,
        mode=Administration.Mode.SELF,
    )
