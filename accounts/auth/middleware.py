"""Session limits and the second factor, enforced on the server for every request."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.auth.policy import session_limits
from accounts.auth.signals import SEEN_SESSION_KEY, STARTED_SESSION_KEY
from accounts.auth.views import second_factor_step

# Last activity is rewritten at most once a minute (a session write per request would cost a
# query each); the idle limit is therefore exact to within a minute.
SEEN_GRANULARITY = 60


def _redirect(request, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        # htmx would swap the target page into a fragment; make it load the whole page.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SessionTimeoutMiddleware:
    """Ends a session after its idle limit or its absolute limit (per role, from settings).

    The stamps live in the session itself, so any web process enforces them. Pages learn how
    many seconds are left from ``request.session_seconds_left`` (see the context processor)
    and warn before the end; the keep-alive endpoint counts as activity.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = timezone.now().timestamp()
            idle, absolute = session_limits(user)
            session = request.session
            started = session.get(STARTED_SESSION_KEY)
            seen = session.get(SEEN_SESSION_KEY)
            if started is None or seen is None:
                started = started if started is not None else now
                seen = now
                session[STARTED_SESSION_KEY] = started
                session[SEEN_SESSION_KEY] = seen
            if now - started > absolute or now - seen > idle:
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were signed out to keep your records safe. Sign in again to carry "
                        "on; anything you were typing in a form is kept on this device."
                    ),
                )
                return _redirect(request, redirect_to_login(request.get_full_path()).url)
            if now - seen >= SEEN_GRANULARITY:
                session[SEEN_SESSION_KEY] = now
            request.session_seconds_left = int(min(idle, absolute - (now - started)))
        return self.get_response(request)


class SecondFactorMiddleware:
    """Until a person who needs a second factor has passed it, every page sends them to it.

    Exempt: views marked ``second_factor_exempt`` (the sign-in steps, public pages) and the
    view names in ``settings.SECOND_FACTOR_EXEMPT_VIEWS``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or getattr(view_func, "second_factor_exempt", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in settings.SECOND_FACTOR_EXEMPT_VIEWS:
            return None
        step = second_factor_step(user, request.get_full_path())
        if step is None:
            return None
        return _redirect(request, step)
