import socket

from celery import shared_task
from django.utils import timezone

from accounts.models import WorkerHeartbeat


@shared_task(ignore_result=True)
def record_worker_heartbeat(worker: str | None = None) -> None:
    """Beat queues this every 30 s; whichever worker runs it records that it is alive."""
    WorkerHeartbeat.objects.update_or_create(
        worker=worker or socket.gethostname(), defaults={"seen_at": timezone.now()}
    )
