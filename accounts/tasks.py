"""Background work of the accounts app: the worker heartbeat and the outbox delivery.

Only row ids travel through the broker, never a message's content. A task handed out twice,
or by two beats, sends nothing twice: delivery claims each row with a conditional update.
"""

import logging
import socket

from celery import shared_task
from django.utils import timezone

from accounts import delivery
from accounts.models import WorkerHeartbeat
from accounts.pathway.tasks import remind_expiring_certifications  # noqa: F401

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def record_worker_heartbeat(worker: str | None = None) -> None:
    """Beat queues this every 30 s; whichever worker runs it records that it is alive."""
    WorkerHeartbeat.objects.update_or_create(
        worker=worker or socket.gethostname(), defaults={"seen_at": timezone.now()}
    )


@shared_task(ignore_result=True)
def deliver_notification(notification_id: int) -> None:
    """Send one outbox row. Retries are scheduled through the row's ``due_at``, not by
    Celery."""
    delivery.deliver(notification_id)


@shared_task(ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> None:
    """Send a batch of outbox rows over one mail connection, each marked sent on its own."""
    delivery.deliver_many(notification_ids)


def hand_out(notification_ids: list[int]) -> bool:
    """Queue delivery of these rows now, in batches. A broker that is down is logged, not
    raised: the rows stay due in the database and the next sweep delivers them."""
    try:
        for start in range(0, len(notification_ids), delivery.TASK_BATCH):
            batch = notification_ids[start : start + delivery.TASK_BATCH]
            deliver_notifications.apply_async(args=[batch], retry=False)
    except Exception as exc:  # noqa: BLE001 - the outbox row is the source of truth
        logger.warning("broker unavailable, the sweep will deliver later (%s)", type(exc).__name__)
        return False
    return True


@shared_task(ignore_result=True)
def sweep_notifications() -> int:
    """Beat queues this every minute: rows left in SENDING by a dead worker go back to
    PENDING, then every due row is handed to a worker, in batches."""
    delivery.requeue_stale()
    ids = delivery.due_ids()
    hand_out(ids)
    return len(ids)


@shared_task(ignore_result=True)
def seal_audit_trail() -> int:
    """Beat queues this every five minutes: each audit stream's settled new rows are sealed
    by a hash chained to the previous seal. A second run at the same time seals nothing."""
    from accounts import audit_chain

    return len(audit_chain.seal_all())
