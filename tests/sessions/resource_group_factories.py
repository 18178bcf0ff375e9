"""Factories for the resource directory, referrals and group sessions (and the held session a
referral hangs off)."""

import datetime

import factory
from django.utils import timezone

from sessions.models import (
    GroupAttendance,
    GroupSession,
    MentoringSession,
    Referral,
    Resource,
)
from tests import factories as f


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    program = factory.SubFactory(f.ProgramFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    category = Resource.Category.HOUSING
    phone = "(413) 555-0199"


class HeldSessionFactory(factory.django.DjangoModelFactory):
    """A session held a week ago, logged by the match's mentor."""

    class Meta:
        model = MentoringSession

    match = factory.SubFactory(f.MatchFactory)
    status = MentoringSession.Status.HELD
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    modality = "in_person"
    duration_minutes = 60
    created_by = factory.SelfAttribute("match.mentor.user")
    logged_by = factory.SelfAttribute("match.mentor.user")
    logged_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    session = factory.SubFactory(HeldSessionFactory)
    resource = factory.SubFactory(
        ResourceFactory, program=factory.SelfAttribute("..session.match.program")
    )


class GroupSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupSession
        skip_postgeneration_save = True

    program = factory.SubFactory(f.ProgramFactory)
    kind = GroupSession.Kind.SUPPORT_GROUP
    title = factory.Sequence(lambda n: f"Thursday support group {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    duration_minutes = 90
    place = "Community room, 12 Main Street"
    created_by = factory.SubFactory(f.UserFactory)

    @factory.post_generation
    def facilitators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.facilitators.set(extracted)


class GroupAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupAttendance

    group_session = factory.SubFactory(GroupSessionFactory)
    mentee = factory.SubFactory(
        f.MenteeProfileFactory, program=factory.SelfAttribute("..group_session.program")
    )
