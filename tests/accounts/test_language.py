"""The interface language: each person's preferred language, and the switch at the foot of every
page, which wins for the rest of the visit (also when chosen before signing in)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import LifeGoalArea
from tests.accounts.auth_helpers import password_step

pytestmark = pytest.mark.django_db
SWITCH = reverse("set_language")


def page_language(response) -> str:
    return re.search(r'<html lang="([\w-]+)"', response.content.decode()).group(1)


def prefers(user, language: str):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return user


@pytest.mark.parametrize(
    "name", ["home", "accounts:mentee_list", "accounts:mentor_list", "accounts:my_settings"]
)
def test_a_person_who_prefers_spanish_reads_the_pages_in_spanish(cast, login, name):
    client = login(prefers(cast.coordinator, "es"))

    response = client.get(reverse(name))

    body = response.content.decode()
    assert page_language(response) == "es"
    assert "Cerrar sesión" in body and "Sign out" not in body
    assert "%(" not in body


def test_weekly_availability_is_written_in_the_page_language(cast, login):
    client = login(prefers(cast.coordinator, "es"))

    body = client.get(cast.mentor_profile.get_absolute_url()).content.decode()

    assert "Mar noche (17–21)" in body and "Tue evening" not in body


def test_the_switch_changes_the_language_for_the_rest_of_the_visit(cast, login):
    client = login(prefers(cast.coordinator, "es"))

    response = client.post(SWITCH, {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert page_language(client.get("/")) == "en"
    assert page_language(client.get(reverse("accounts:mentee_list"))) == "en"


def test_saving_my_settings_brings_back_the_preferred_language(cast, login):
    client = login(prefers(cast.mentee, "es"))
    client.post(SWITCH, {"language": "en", "next": "/"})

    client.post(
        reverse("accounts:my_settings"),
        {
            "display_name": cast.mentee.display_name,
            "email": cast.mentee.email,
            "preferred_language": "es",
            "time_zone": cast.mentee.time_zone,
            "notify_in_app": "on",
        },
    )

    assert page_language(client.get("/")) == "es"


def test_a_language_chosen_before_signing_in_is_kept_after(cast):
    client = Client()
    client.post(SWITCH, {"language": "es", "next": reverse("login")})
    assert page_language(client.get(reverse("login"))) == "es"

    password_step(cast.mentee, client=client)

    assert page_language(client.get("/")) == "es"


@pytest.mark.parametrize("language", ["xx", "fr", ""])
def test_a_language_the_product_does_not_offer_changes_nothing(cast, login, language):
    client = login(prefers(cast.coordinator, "es"))

    response = client.post(SWITCH, {"language": language, "next": "/"})

    assert response.status_code == 302
    assert "language_override" not in client.session
    assert page_language(client.get("/")) == "es"


def test_the_switch_names_each_language_in_that_language(client):
    body = client.get(reverse("login")).content.decode()

    assert '<option value="en" lang="en"' in body and ">English</option>" in body
    assert ">Español</option>" in body


def test_a_default_term_reads_in_the_page_language_and_a_typed_one_as_typed(cast, login):
    cast.goal.area = LifeGoalArea.objects.get(name="Housing")  # a default term
    cast.goal.save()
    client = login(prefers(cast.mentee, "es"))

    assert "Vivienda" in client.get(reverse("home")).content.decode()

    cast.goal.area.name = "Vivienda en el barrio Norte"
    cast.goal.area.save()
    assert "Vivienda en el barrio Norte" in client.get(reverse("home")).content.decode()
