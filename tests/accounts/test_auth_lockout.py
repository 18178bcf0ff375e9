"""Repeated failed sign-ins lock the account for that address (django-axes, database
handler), and every refusal reads the same, whether the account exists or not."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.auth.forms import SIGN_IN_REFUSED
from tests import factories as f
from tests.accounts.auth_helpers import password_step, signed_in

pytestmark = pytest.mark.django_db


def refusal(response) -> tuple[int, str]:
    body = response.content.decode()
    alert = body[body.index('<div class="alert alert-danger"') :]
    return response.status_code, alert[: alert.index("</div>")]


def fail(client: Client, email: str, times: int):
    for _ in range(times):
        response = client.post(
            reverse("login"), {"username": email, "password": "not the password at all"}
        )
    return response


def test_lockout_is_five_failures_for_thirty_minutes_in_the_database():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert datetime.timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


def test_five_failures_lock_the_account_even_against_the_right_password():
    user = f.UserFactory()
    client = Client()
    fail(client, user.email, 5)

    _, response = password_step(user, client=client)

    assert not signed_in(client)
    assert str(SIGN_IN_REFUSED) in response.content.decode()
    # Counted in the database; a try during the lockout counts too (and restarts the wait).
    assert AccessAttempt.objects.get(username=user.email).failures_since_start == 6


def test_unknown_account_wrong_password_and_locked_out_answer_alike():
    user = f.UserFactory()
    unknown = fail(Client(), "nobody-here@example.org", 1)
    wrong = fail(Client(), user.email, 1)
    locked_client = Client()
    fail(locked_client, user.email, 5)
    _, locked = password_step(user, client=locked_client)

    assert refusal(unknown) == refusal(wrong) == refusal(locked)
    assert unknown.status_code == 200
    assert str(SIGN_IN_REFUSED) in unknown.content.decode()


def test_the_lock_lifts_after_the_cool_off():
    user = f.UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = Client()
        fail(client, user.email, 5)
        traveller.shift(datetime.timedelta(minutes=29))
        password_step(user, client=client)
        assert not signed_in(client)

        traveller.shift(datetime.timedelta(minutes=31))
        password_step(user, client=client)

    assert signed_in(client)


def test_other_accounts_are_not_locked_by_someone_elses_failures():
    user, other = f.UserFactory(), f.UserFactory()
    client = Client()
    fail(client, user.email, 5)

    password_step(other, client=client)

    assert signed_in(client)
