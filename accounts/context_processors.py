"""Template context shared by every page."""

from accounts.models import Notification


def unread_notifications(request) -> dict:
    """The number of unread, delivered in-app notifications for the navbar bell (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = Notification.objects.visible_to(user).unread_in_app().count()
    return {"unread_notification_count": count}
