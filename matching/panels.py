"""The matching app's panels on the role-aware home page (registered in ``apps.py`` into
``accounts.views.home.HOME_PANELS``). Each takes the request and returns the panel's template
and context, or None when the person has nothing here; each runs a fixed number of queries."""

from accounts.views.home import EASY_ORDER
from matching import selectors
from matching.models import Match

PANEL_ROWS = 8


def coordinator_panel(request):
    """Check-ins overdue in my programs, and the proposals I made that are not started yet."""
    user = request.user
    programs = user.program_ids_with_role("coordinator")
    if not programs:
        return None
    overdue = selectors.overdue_matches(Match.objects.filter(program_id__in=programs))
    proposals = selectors.my_open_proposals(user)
    return {
        "template": "matching/partials/home_coordinator.html",
        "overdue": overdue[:PANEL_ROWS],
        "overdue_count": len(overdue),
        "proposals": proposals[:PANEL_ROWS],
        "proposal_count": proposals.count(),
    }


def supervisor_panel(request):
    """Proposals in my programs that wait for my approval."""
    user = request.user
    if not user.has_role("supervisor"):
        return None
    waiting = selectors.awaiting_my_approval(user)
    return {
        "template": "matching/partials/home_supervisor.html",
        "proposals": waiting[:PANEL_ROWS],
        "proposal_count": waiting.count(),
    }


def mentor_panel(request):
    """My matches as a mentor: the mentee, since when, and the way to the match."""
    user = request.user
    if not user.has_role("mentor"):
        return None
    return {
        "template": "matching/partials/home_mentor.html",
        "matches": list(selectors.my_matches_as_mentor(user)),
    }


def mentee_panel(request):
    """My mentor's name and since when we meet."""
    user = request.user
    if not user.has_role("mentee"):
        return None
    return {
        "template": "matching/partials/home_mentee.html",
        "easy_template": "matching/partials/home_easy_mentor.html",
        "easy_order": EASY_ORDER["mentor"],
        "matches": list(selectors.my_matches_as_mentee(user)),
    }


PANELS = [coordinator_panel, supervisor_panel, mentor_panel, mentee_panel]
