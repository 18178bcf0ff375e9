import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_bootstrap_and_htmx_are_served_by_the_app_itself():
    assert finders.find("vendor/bootstrap/css/bootstrap.min.css")
    assert finders.find("django_htmx/htmx-2.min.js")


def test_login_page_has_no_third_party_assets(client):
    body = client.get(reverse("login")).text
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in body
    assert "cdn" not in body.lower()
    assert "<script>" not in body and "style=" not in body


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
