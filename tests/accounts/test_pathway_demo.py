"""The demo's mentor pathway: trained mentors who stay matchable, an applicant in screening,
an expiring certification, and a mentee who may be invited to become a mentor. The demo is
built once for the class and rolled back after it."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from accounts.models import MenteeProfile, MentorProfile
from accounts.pathway import selectors, services
from accounts.pathway.models import Certification

HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    credentials = tmp_path_factory.mktemp("demo") / "credentials.json"
    with (
        override_settings(PASSWORD_HASHERS=HASHERS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("seed_demo", password="demo-pathway-2026", credentials=str(credentials))
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=False)
@pytest.mark.usefixtures("seeded")
class TestTheDemoPathway:
    def test_every_active_demo_mentor_is_trained(self):
        active = list(MentorProfile.objects.filter(status="active"))
        assert active
        assert selectors.untrained_reasons(active) == {}

    def test_an_applicant_is_in_screening_with_steps_done(self):
        screening = MentorProfile.objects.filter(status="screening")
        assert screening.exists()
        assert screening.first().screening_steps.filter(status="passed").exists()

    def test_a_certification_expires_within_the_reminder_window(self):
        assert services.remind_expiring_certifications() >= 1
        assert Certification.objects.exists()

    def test_a_demo_mentee_can_be_invited_to_become_a_mentor(self):
        program_ids = list(MenteeProfile.objects.values_list("program_id", flat=True).distinct())
        candidates = [
            mentee for source in selectors.INVITATION_CANDIDATES for mentee in source(program_ids)
        ]
        assert any(services.invitation_blockers(mentee) == [] for mentee in candidates)
