"""The demo's outcome measures: answered baselines and follow-ups for the demo's matches,
and a PHQ-9 due for ``mentee@example.org``.

The demo is built once for the module (inside a transaction rolled back afterwards); each
test runs in its own savepoint.
"""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from evaluation import instruments
from evaluation.models import Administration, Response
from matching.models import Match
from sessions.models import SafetyAlert

HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with (
        override_settings(PASSWORD_HASHERS=HASHERS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("seed_demo", password="demo-test-password-2026")
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def test_active_matches_have_answered_baselines_and_follow_ups():
    completed = Administration.objects.completed()
    active = Match.objects.filter(status=Match.Status.ACTIVE)
    with_baseline = active.filter(
        administrations__timepoint="baseline", administrations__status="completed"
    ).distinct()
    assert with_baseline.count() >= active.count() // 2
    assert completed.filter(timepoint="day90", match__status="active").exists()
    assert completed.filter(timepoint="day30").exists()


def test_every_answered_measure_is_scored_as_the_instrument_says():
    for administration in Administration.objects.completed().filter(instrument="PHQ9")[:50]:
        values = list(
            Response.objects.filter(administration=administration)
            .order_by("item")
            .values_list("value", flat=True)
        )
        result = instruments.score("PHQ9", values)
        assert (administration.total, administration.band) == (result.total, result.band)


def test_the_demo_mentee_has_a_phq9_due_on_their_home(client):
    mentee = User.objects.get(email="mentee@example.org")
    due = Administration.objects.answerable_by(mentee).filter(
        instrument="PHQ9", due_on__lte=timezone.localdate()
    )
    assert due.exists()

    client.force_login(mentee)
    body = client.get(reverse("home")).content.decode()
    assert reverse("evaluation:measure_answer", args=[due.first().pk]) in body


def test_the_demo_measures_raise_no_safety_alert():
    assert not SafetyAlert.objects.filter(source__in=["measure", "check_in"]).exists()
