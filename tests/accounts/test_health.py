"""``/healthz``: what a load balancer and an operator see, and nothing more."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from accounts.models import WorkerHeartbeat
from accounts.tasks import record_worker_heartbeat

pytestmark = pytest.mark.django_db


def test_it_answers_ok_with_only_the_health_fields(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "database", "broker", "worker"}
    assert set(body["worker"]) == {"last_heartbeat", "fresh"}
    assert body["status"] == "ok"
    assert body["database"] == "ok"


def test_it_reaches_the_real_broker(client):
    assert client.get("/healthz").json()["broker"] == "ok"


def test_it_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_refuses_post(client):
    assert client.post("/healthz").status_code == 405


def test_without_a_heartbeat_the_worker_is_not_fresh(client):
    assert client.get("/healthz").json()["worker"] == {"last_heartbeat": None, "fresh": False}


def test_the_heartbeat_task_makes_the_worker_fresh(client):
    record_worker_heartbeat()

    worker = client.get("/healthz").json()["worker"]
    assert worker["fresh"] is True
    seen_at = datetime.datetime.fromisoformat(worker["last_heartbeat"])
    assert abs(timezone.now() - seen_at) < datetime.timedelta(seconds=30)


def test_it_reports_the_latest_of_several_workers(client):
    record_worker_heartbeat(worker="old-host")
    WorkerHeartbeat.objects.filter(worker="old-host").update(
        seen_at=timezone.now() - datetime.timedelta(hours=1)
    )
    record_worker_heartbeat(worker="new-host")

    worker = client.get("/healthz").json()["worker"]
    assert worker["fresh"] is True
    assert (
        worker["last_heartbeat"]
        == WorkerHeartbeat.objects.get(worker="new-host").seen_at.isoformat()
    )


def test_a_heartbeat_five_minutes_old_is_stale(client):
    record_worker_heartbeat()
    seen_at = WorkerHeartbeat.objects.get().seen_at

    with time_machine.travel(seen_at + datetime.timedelta(minutes=5), tick=False):
        worker = client.get("/healthz").json()["worker"]

    assert worker == {"last_heartbeat": seen_at.isoformat(), "fresh": False}


def test_it_answers_503_when_the_database_is_unreachable(client):
    """The outage is simulated by making the database probe fail: taking the test's own
    PostgreSQL down is outside the test's control. The view must then report the database,
    skip the heartbeat query and answer 503 so a load balancer stops sending traffic."""
    with mock.patch("accounts.views.health._database_ok", return_value=False):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert set(body) == {"status", "database", "broker", "worker"}
    assert body["status"] == "unavailable"
    assert body["database"] == "unreachable"
    assert body["worker"] == {"last_heartbeat": None, "fresh": False}


def test_an_unreachable_broker_is_reported_but_the_site_stays_up(client):
    """The broker probe is made to fail (stopping the shared Redis is outside the test's
    control); pages do not need the broker, so the answer stays 200."""
    with mock.patch("accounts.views.health._broker_ok", return_value=False):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == "unreachable"
