"""The mentee's next session on the easy-read home page (registered in ``apps.py`` into
``accounts.views.home.HOME_PANELS``; shown only in easy-read mode, where "what is next" comes
first). Two queries: the mentee's agreed matches, and their next scheduled session."""

from django.http import HttpRequest
from django.utils import timezone

from accounts.views.home import EASY_ORDER
from matching import selectors
from sessions.models import MentoringSession


def mentee_next_session_panel(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.easy_read or not user.has_role("mentee"):
        return None
    matches = list(selectors.my_matches_as_mentee(user))
    if not matches:
        return None
    session = (
        MentoringSession.objects.visible_to(user)
        .filter(
            match__in=matches,
            status=MentoringSession.Status.SCHEDULED,
            starts_at__gte=timezone.now(),
        )
        .select_related("match__mentor__user")
        .order_by("starts_at", "pk")
        .first()
    )
    return {
        "easy_template": "sessions/partials/home_easy_next_session.html",
        "easy_order": EASY_ORDER["next_session"],
        "session": session,
    }
