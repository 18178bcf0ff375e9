"""``manage.py seed_load --scale tiny``: exact counts, the database's rules hold, and the
benchmark logins sign in (password and authenticator code) and open their first pages."""

import base64
import json

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from accounts.models import Center, Consent, MenteeProfile, MentorProfile, Program
from evaluation.loadgen import SCALES
from evaluation.models import Administration
from matching.models import Match
from sessions.models import MentoringSession, SessionFeedback
from tests import factories as f

pytestmark = pytest.mark.django_db
TINY = SCALES["tiny"]
PASSWORD = "load-test-password-2026"


@pytest.fixture
def credentials(tmp_path):
    path = tmp_path / "logins.json"
    call_command("seed_load", scale="tiny", password=PASSWORD, credentials=str(path))
    return {account["role"]: account for account in json.loads(path.read_text())["accounts"]}


def signed_in(account) -> Client:
    client = Client()
    response = client.post(
        reverse("login"), {"username": account["login"], "password": account["password"]}
    )
    assert response.status_code == 302
    if account["totp_secret"]:
        secret = account["totp_secret"]
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        code = f"{TOTP(key).token():06d}"
        assert client.post(reverse("account:verify"), {"otp_token": code}).status_code == 302
    return client


def test_it_writes_exactly_the_counts_of_the_scale(credentials):
    assert Center.objects.count() == TINY.centers
    assert Program.objects.count() == TINY.programs
    assert MenteeProfile.objects.count() == TINY.mentees
    assert MentorProfile.objects.count() == TINY.mentors
    assert Match.objects.count() == TINY.matches
    assert MentoringSession.objects.count() == TINY.sessions
    assert SessionFeedback.objects.count() == TINY.feedback
    assert Administration.objects.count() == TINY.administrations


def test_the_generated_data_keeps_the_rules_of_the_domain(credentials):
    over_capacity = MentorProfile.objects.annotate(
        taken=Count("matches", filter=Q(matches__status__in=("approved", "active", "paused")))
    ).filter(taken__gt=F("capacity"))
    assert not over_capacity.exists()
    open_per_mentee = Match.objects.open().values("mentee").annotate(n=Count("pk")).filter(n__gt=1)
    assert not open_per_mentee.exists()
    assert not Match.objects.filter(status="closed", close_reason="").exists()
    assert not Match.objects.filter(status="closed", closed_on__lt=F("started_on")).exists()
    assert not MentoringSession.objects.filter(status="held", duration_minutes=None).exists()
    assert Match.objects.filter(status="closed").exclude(events__to_status="closed").count() == 0
    completed = Administration.objects.filter(status="completed")
    assert completed.exists()
    assert not completed.filter(responses__isnull=True).exists()
    assert Consent.objects.filter(kind="research").exists()
    notes = MentoringSession.objects.exclude(private_notes="").first()
    assert notes.private_notes  # decrypts with the configured key


def test_it_refuses_a_database_that_already_holds_data():
    f.UserFactory()

    with pytest.raises(CommandError, match="already holds data"):
        call_command("seed_load", scale="tiny")


def test_the_benchmark_logins_sign_in_and_open_their_pages(credentials):
    supervisor = signed_in(credentials["supervisor"])
    assert supervisor.get(reverse("evaluation:dashboard")).status_code == 200
    coordinator = signed_in(credentials["coordinator"])
    assert coordinator.get(reverse("home")).status_code == 200
    for role in ("mentor", "mentee", "case_manager"):
        assert signed_in(credentials[role]).get(reverse("home")).status_code == 200


def test_the_benchmark_mentor_has_active_mentees_and_the_mentee_sessions(credentials):
    mentor = MentorProfile.objects.get(user__email=credentials["mentor"]["login"])
    mentee = MenteeProfile.objects.get(user__email=credentials["mentee"]["login"])

    assert mentor.matches.filter(status="active", mentee=mentee).exists()
    assert MentoringSession.objects.filter(match__mentee=mentee, status="held").exists()
    assert mentee.case_manager.email == credentials["case_manager"]["login"]
