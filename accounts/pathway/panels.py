"""The pathway's panels on the home page (registered in ``accounts.pathway.hooks`` into
``HOME_PANELS``); each runs a fixed number of queries."""

import datetime

from django.utils import timezone

from accounts.models import MentorProfile
from accounts.pathway import selectors
from accounts.pathway.models import MentorInvitation, WellbeingCheckIn

PANEL_ROWS = 8


def supervisor_panel(request):
    """Mentors whose supervision meeting is overdue under the program's cadence, and mentors
    who asked for a supervisor's contact in a well-being check-in."""
    user = request.user
    programs = user.program_ids_with_role("supervisor")
    if not programs:
        return None
    mentors = list(
        MentorProfile.objects.filter(program_id__in=programs, status="active").select_related(
            "user", "program"
        )
    )
    status = selectors.supervision_status(mentors)
    overdue = sorted(
        ((m, status[m.pk]) for m in mentors if status[m.pk].is_overdue),
        key=lambda pair: -pair[1].overdue_days,
    )
    contact = WellbeingCheckIn.objects.filter(
        mentor__program_id__in=programs,
        wants_contact=True,
        created_at__gte=timezone.now() - datetime.timedelta(days=30),
    ).select_related("mentor__user")[:PANEL_ROWS]
    return {
        "template": "accounts/pathway/home_supervisor.html",
        "overdue": overdue[:PANEL_ROWS],
        "overdue_count": len(overdue),
        "contact": contact,
    }


def mentor_panel(request):
    """My pathway as a mentor (status, what is still required, certification), or my
    invitation to become one."""
    user = request.user
    profiles = list(MentorProfile.objects.filter(user=user).select_related("program"))
    invitations = list(
        MentorInvitation.objects.filter(mentee__user=user, accepted_at__isnull=True).select_related(
            "mentee__program"
        )
    )
    if not profiles and not invitations:
        return None
    untrained = selectors.untrained_reasons(profiles)
    return {
        "template": "accounts/pathway/home_mentor.html",
        "profiles": [(p, untrained.get(p.pk)) for p in profiles],
        "invitations": invitations,
    }
