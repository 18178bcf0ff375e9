"""Factories for mentoring sessions, shared by the sessions tests.

``MentoringSessionFactory()`` is a session held yesterday and logged by the match's mentor
(what feedback, supervision and referrals hang off). ``MentoringSessionFactory(scheduled=True)``
is a session scheduled two days ahead and not logged yet.
"""

import datetime

import factory
from django.utils import timezone

from accounts.models import Modality
from sessions.models import MentoringSession
from tests import factories as f


class MentoringSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringSession

    class Params:
        scheduled = factory.Trait(
            status=MentoringSession.Status.SCHEDULED,
            starts_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2)),
            duration_minutes=None,
            support_types=[],
            summary="",
            private_notes="",
            logged_at=None,
            logged_by=None,
        )

    match = factory.SubFactory(f.MatchFactory)
    status = MentoringSession.Status.HELD
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    expected_minutes = 60
    modality = Modality.IN_PERSON
    place = "Community center, room 2"
    duration_minutes = 60
    support_types = factory.LazyFunction(lambda: ["emotional"])
    summary = "We talked about next steps."
    private_notes = "The mentor's private note."
    logged_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    logged_by = factory.SelfAttribute("match.mentor.user")
    created_by = factory.SelfAttribute("match.mentor.user")
