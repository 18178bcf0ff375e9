"""Stamps a new session's start at sign-in, for the session limits (see ``middleware``)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

SEEN_SESSION_KEY = "auth_seen_at"
STARTED_SESSION_KEY = "auth_started_at"


@receiver(user_logged_in, dispatch_uid="accounts.auth.stamp_session_start")
def stamp_session_start(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = timezone.now().timestamp()
    request.session[STARTED_SESSION_KEY] = now
    request.session[SEEN_SESSION_KEY] = now
