"""``/ping``: the benchmark's baseline — a fixed text, public, no query."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_answers_a_fixed_text_to_anyone(client):
    response = client.get(reverse("ping"))

    assert response.status_code == 200
    assert response.text == "pong\n"
    assert response["Content-Type"].startswith("text/plain")


def test_it_runs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(reverse("ping"))


def test_it_goes_through_the_middleware_stack(client):
    response = client.get(reverse("ping"))

    assert "no-store" in response["Cache-Control"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_it_answers_before_the_second_factor(client, cast):
    client.force_login(cast.coordinator)

    response = client.get(reverse("ping"))

    assert response.status_code == 200
    assert response.text == "pong\n"


def test_it_refuses_post(client):
    assert client.post(reverse("ping")).status_code == 405
