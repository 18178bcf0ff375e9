import socket

from celery import shared_task
from django.utils import timezone

from accounts import delivery
from accounts.models import WorkerHeartbeat


@shared_task(ignore_result=True)
def record_worker_heartbeat(worker: str | None = None) -> None:
    """Beat queues this every 30 s; whichever worker runs it records that it is alive."""
    WorkerHeartbeat.objects.update_or_create(
        worker=worker or socket.gethostname(), defaults={"seen_at": timezone.now()}
    )


@shared_task(ignore_result=True)
def deliver_notification(notification_id: int) -> None:
    """Send one outbox row. Only its id travels through the broker, never its content; retries
    are scheduled through the row's ``due_at``, not by Celery."""
    delivery.deliver(notification_id)


@shared_task(ignore_result=True)
def sweep_notifications() -> int:
    """Beat queues this every minute: rows left in SENDING by a dead worker go back to
    PENDING, then every due row is handed to a worker. A row handed out twice is sent once,
    because ``deliver`` claims it with a conditional update."""
    delivery.requeue_stale()
    ids = delivery.due_ids()
    for notification_id in ids:
        deliver_notification.delay(notification_id)
    return len(ids)
