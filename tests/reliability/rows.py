"""Due outbox rows for the reliability tests, written in bulk (one user each)."""

from django.utils import timezone

from accounts.models import Notification, User


def due_emails(count: int, *, kind: str = "supervisor_note") -> list[int]:
    """``count`` people with an email address, each with one due email row; their ids."""
    users = User.objects.bulk_create(
        User(email=f"person{i}@example.org", display_name=f"Person {i}") for i in range(count)
    )
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            channel=Notification.Channel.EMAIL,
            key=f"reliability:{user.pk}",
            due_at=now,
        )
        for user in users
    )
    return [row.pk for row in rows]


def expected_ids(pks: list[int]) -> set[str]:
    return {f"<notification-{pk}@peerpath.example.org>" for pk in pks}


def sent_count(pks: list[int]) -> int:
    return Notification.objects.filter(pk__in=pks, state=Notification.State.SENT).count()
