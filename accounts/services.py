"""State changes about people, programs and what they agreed to.

Each function is keyword-only, runs in one transaction, checks who may do it and raises
``DomainError`` with a message a person can read. Views, tasks, imports, the admin and the
demo data all go through these.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import Notification, User


class DomainError(Exception):
    """A rule of the program was broken; the message says which, in plain words."""


# --- Outbox -------------------------------------------------------------------------------


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
    return rows


# --- A person's own settings -------------------------------------------------------------


@transaction.atomic
def update_my_settings(*, user: User, **fields) -> User:
    allowed = {"display_name", "email", "phone", "preferred_language", "time_zone", "easy_read"}
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(f"These settings cannot be changed here: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(fields))
    return user
