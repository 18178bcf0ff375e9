"""How long the session has left, for the timeout warning (``static/js/session-timeout.js``)."""

from django.conf import settings


def session_timeout(request) -> dict:
    seconds = getattr(request, "session_seconds_left", None)
    if seconds is None:
        return {}
    return {
        "session_seconds_left": seconds,
        "session_warning_seconds": settings.SESSION_TIMEOUT_WARNING,
    }
