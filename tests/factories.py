"""factory_boy factories for the domain; tests build what they need, nothing more."""

import datetime

import factory
from django.utils import timezone

from accounts.models import (
    DISCLOSURE_KINDS,
    Center,
    Consent,
    Goal,
    Language,
    LifeGoalArea,
    LivedExperience,
    Membership,
    MenteeProfile,
    MentorProfile,
    Program,
    User,
    standard_disclosure_terms,
)
from matching.models import Match

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Center

    name = factory.Sequence(lambda n: f"Center {n}")
    city = "Springfield"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    center = factory.SubFactory(CenterFactory)
    name = factory.Sequence(lambda n: f"Program {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    role = Membership.Role.COORDINATOR


class LifeGoalAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeGoalArea
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Life goal {n}")
    slug = factory.Sequence(lambda n: f"life-goal-{n}")


class LivedExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LivedExperience
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Experience {n}")
    slug = factory.Sequence(lambda n: f"experience-{n}")


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Language {n}")
    slug = factory.Sequence(lambda n: f"language-{n}")
    code = factory.Sequence(lambda n: f"l{n}")


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    capacity = 2
    availability = ["tue-evening", "thu-evening"]
    modalities = ["in_person", "phone"]

    @factory.post_generation
    def membership(obj, create, extracted, **kwargs):
        if create:
            Membership.objects.get_or_create(user=obj.user, program=obj.program, role="mentor")

    @factory.post_generation
    def certified(obj, create, extracted, **kwargs):
        """Mentors are trained (a current certification; a program whose pathway was never
        set up requires no module) unless built with ``certified=False``."""
        if create and extracted is not False:
            from accounts.pathway.models import Certification

            today = timezone.localdate()
            Certification.objects.create(
                mentor=obj,
                issued_on=today - datetime.timedelta(days=30),
                expires_on=today + datetime.timedelta(days=335),
                issued_by=obj.user,
            )


class MenteeProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenteeProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    status = MenteeProfile.Status.WAITING
    waiting_since = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    availability = ["tue-evening"]
    modalities = ["phone"]

    @factory.post_generation
    def membership(obj, create, extracted, **kwargs):
        if create:
            Membership.objects.get_or_create(user=obj.user, program=obj.program, role="mentee")


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    mentee = factory.SubFactory(MenteeProfileFactory)
    kind = Consent.Kind.PARTICIPATION
    given_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        consent = model_class(*args, **kwargs)
        if consent.kind in DISCLOSURE_KINDS:
            standard_disclosure_terms(consent)
        consent.save()
        return consent


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    mentee = factory.SubFactory(MenteeProfileFactory)
    area = factory.SubFactory(LifeGoalAreaFactory)
    statement = factory.Sequence(lambda n: f"Goal number {n}")


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    program = factory.SelfAttribute("mentee.program")
    mentee = factory.SubFactory(MenteeProfileFactory)
    mentor = factory.SubFactory(MentorProfileFactory, program=factory.SelfAttribute("..program"))
    status = Match.Status.ACTIVE
    proposed_by = factory.SubFactory(UserFactory)
    started_on = factory.LazyFunction(timezone.localdate)
