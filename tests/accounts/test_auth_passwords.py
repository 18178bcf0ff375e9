"""Password rules: at least 12 characters, long passphrases welcome, common passwords
refused, no rules about digits, capitals or symbols."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def refused(password: str, user=None) -> bool:
    try:
        validate_password(password, user)
    except ValidationError:
        return True
    return False


def test_eleven_characters_are_too_few_and_twelve_are_enough():
    assert refused("plum harbor")
    assert not refused("plum harbors")


@pytest.mark.parametrize("length", [64, 128])
def test_long_passphrases_are_accepted(length):
    assert not refused(("river stone lamp " * 10)[:length])


def test_absurdly_long_passwords_are_refused():
    assert refused("x7" * 200)


def test_common_passwords_are_refused():
    assert refused("qwerty123456")


def test_there_are_no_composition_rules():
    assert not refused("purple elephants dance slowly")
    assert not refused("1029384756102938")


def test_changing_a_password_through_the_page_follows_the_rules(login, cast):
    client = login(cast.mentee)
    url = reverse("account:password_change")
    short = {"old_password": f.TEST_PASSWORD, "new_password1": "short", "new_password2": "short"}

    response = client.post(url, short)

    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    passphrase = "a long walk by the quiet river at dusk " * 3
    response = client.post(
        url,
        {"old_password": f.TEST_PASSWORD, "new_password1": passphrase, "new_password2": passphrase},
    )
    assert response["Location"] == reverse("accounts:my_settings")
    cast.mentee.refresh_from_db()
    assert cast.mentee.check_password(passphrase)
