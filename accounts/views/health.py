"""``/healthz``: is the database reachable, is the broker, when did a worker last run.

Public by design (load balancers and uptime checks call it without logging in), so it says
only ok/unreachable and a heartbeat time: nothing about versions, hosts or configuration.
"""

import datetime

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import WorkerHeartbeat

# A worker records a heartbeat every 30 s (beat schedule); past this it counts as stale.
HEARTBEAT_STALE_AFTER = datetime.timedelta(minutes=2)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok() -> bool:
    from mentorship.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=1)
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request):
    database = _database_ok()
    worker = {"last_heartbeat": None, "fresh": False}
    if database:
        last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True)
        seen_at = last.first()
        if seen_at:
            worker = {
                "last_heartbeat": seen_at.isoformat(),
                "fresh": timezone.now() - seen_at < HEARTBEAT_STALE_AFTER,
            }
    body = {
        "status": "ok" if database else "unavailable",
        "database": "ok" if database else "unreachable",
        "broker": "ok" if _broker_ok() else "unreachable",
        "worker": worker,
    }
    return JsonResponse(body, status=200 if database else 503)
