"""The notifications outbox: rows written in the caller's transaction, delivered later."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import Notification, User


def queue_notification(
    *,
    recipient: User,
    kind: str,
    key: str,
    subject=None,
    due_at: datetime.datetime | None = None,
    channels: list[str] | None = None,
) -> list[Notification]:
    """Write outbox rows, one per channel, inside the caller's transaction.

    ``key`` names the reminder (e.g. ``"session-24h:812"``); with the recipient and channel it
    makes the row unique, so calling this twice for the same reason queues nothing new.
    A person with no email address gets the in-app notification only.

    Rows due now are handed to a worker once the transaction commits, so they go out within
    seconds; if the broker is down that is only logged, and the sweep delivers them later.
    """
    channels = channels or [Notification.Channel.EMAIL, Notification.Channel.IN_APP]
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    rows = []
    for channel in channels:
        if channel == Notification.Channel.EMAIL and not recipient.email:
            continue
        row, _created = Notification.objects.get_or_create(
            key=f"{key}:{recipient.pk}:{channel}",
            defaults={
                "recipient": recipient,
                "kind": kind,
                "channel": channel,
                "subject_type": subject_type,
                "subject_id": subject.pk if subject is not None else None,
                "due_at": due_at or timezone.now(),
            },
        )
        rows.append(row)
    now = timezone.now()
    due_now = [
        row.pk for row in rows if row.state == Notification.State.PENDING and row.due_at <= now
    ]
    if due_now:
        transaction.on_commit(lambda: _hand_out(due_now))
    return rows


def _hand_out(ids: list[int]) -> None:
    from accounts.tasks import hand_out  # tasks import delivery, which imports the models

    hand_out(ids)
