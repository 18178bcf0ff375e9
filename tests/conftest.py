"""The shared cast. Every permission test speaks of these people:

- ``coordinator`` and ``supervisor`` run program A;
- ``mentor`` mentors ``mentee``; ``mentor2`` mentors ``mentee2`` (same program);
- ``case_manager`` may see ``mentee``'s progress (a current sharing consent);
- ``outsider`` coordinates program B, in another center.

Each mentee's name, staff notes and first goal carry a marker string, so a test can assert
that one person's data never reaches another person's page.
"""

from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Consent, Membership
from tests import factories as f

MARKERS = {"mentee": "MARKER-MENTEE-ONE", "mentee2": "MARKER-MENTEE-TWO"}


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Production serves hashed static files from collectstatic's manifest; the suite does not
    run collectstatic, so it resolves static files from the app folders."""
    # Password hashing is deliberately slow; the suite checks behaviour, not key stretching.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language():
    """A request by a Spanish-speaking person activates Spanish in the test's thread, as it
    does for the request in a web process; the next test starts in the default language."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def cast(db):
    program = f.ProgramFactory(name="Program A")
    other_program = f.ProgramFactory(name="Program B")

    def member(name: str, role: str, prog=program):
        user = f.UserFactory(
            email=f"{name}@example.org", display_name=name.replace("_", " ").title()
        )
        f.MembershipFactory(user=user, program=prog, role=role)
        return user

    coordinator = member("coordinator", Membership.Role.COORDINATOR)
    supervisor = member("supervisor", Membership.Role.SUPERVISOR)
    outsider = member("outsider", Membership.Role.COORDINATOR, other_program)
    case_manager = member("case_manager", Membership.Role.CASE_MANAGER)

    mentor_profile = f.MentorProfileFactory(
        program=program, user__email="mentor@example.org", user__display_name="Mentor One"
    )
    mentor2_profile = f.MentorProfileFactory(
        program=program, user__email="mentor2@example.org", user__display_name="Mentor Two"
    )
    mentee_profile = f.MenteeProfileFactory(
        program=program,
        user__email="mentee@example.org",
        user__display_name=f"Mentee One {MARKERS['mentee']}",
        notes=f"Staff note {MARKERS['mentee']}",
        case_manager=case_manager,
    )
    mentee2_profile = f.MenteeProfileFactory(
        program=program,
        user__email="mentee2@example.org",
        user__display_name=f"Mentee Two {MARKERS['mentee2']}",
        notes=f"Staff note {MARKERS['mentee2']}",
    )
    goal = f.GoalFactory(mentee=mentee_profile, statement=f"Find a room {MARKERS['mentee']} goal")
    goal2 = f.GoalFactory(mentee=mentee2_profile, statement=f"Get a job {MARKERS['mentee2']} goal")
    match = f.MatchFactory(mentee=mentee_profile, mentor=mentor_profile, proposed_by=coordinator)
    match2 = f.MatchFactory(mentee=mentee2_profile, mentor=mentor2_profile, proposed_by=coordinator)
    f.ConsentFactory(
        mentee=mentee_profile,
        kind=Consent.Kind.SHARE_WITH_CASE_MANAGER,
        recipient=case_manager,
        recorded_by=coordinator,
    )
    return SimpleNamespace(
        program=program,
        other_program=other_program,
        coordinator=coordinator,
        supervisor=supervisor,
        outsider=outsider,
        case_manager=case_manager,
        mentor=mentor_profile.user,
        mentor2=mentor2_profile.user,
        mentee=mentee_profile.user,
        mentee2=mentee2_profile.user,
        mentor_profile=mentor_profile,
        mentor2_profile=mentor2_profile,
        mentee_profile=mentee_profile,
        mentee2_profile=mentee2_profile,
        match=match,
        match2=match2,
        goal=goal,
        goal2=goal2,
    )


def pass_second_factor(client: Client, user) -> None:
    """Mark the client's session as past the second factor, as the verify page does after a
    correct code (django-otp keeps the verified device's id in the session). The person gets
    a confirmed authenticator if they have none; for mentees it is simply never asked for."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class SignedInClient(Client):
    """The suite's test client: ``force_login`` signs a person in *and* past their second
    factor, so tests of other behaviour need not repeat the sign-in steps. The sign-in steps
    themselves are tested with a plain ``django.test.Client`` (tests/accounts/test_auth_*)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        pass_second_factor(self, user)


@pytest.fixture
def client():
    return SignedInClient()


@pytest.fixture
def login(client):
    """``login(user)`` signs the test client in as that person (second factor passed) and
    returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
