"""The role-aware home page: "what needs me today", one panel per role the person holds.

Higher apps (matching, sessions, evaluation) add their own panels by appending a function to
``HOME_PANELS`` in their AppConfig.ready(); each takes the request and returns a dict with a
``template`` and its context, or None when it has nothing for this person.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import render

from accounts.models import Consent, Goal, MenteeProfile, MentorProfile, Program

PANEL_ROWS = 8


HOME_PANELS: list = []


@login_required
def home(request):
    user = request.user
    roles = user.roles
    context = {"roles": roles}
    if user.is_superuser or roles & {"coordinator", "supervisor"}:
        context["staff"] = _staff_panel(user)
    if "mentor" in roles:
        context["mentor"] = _mentor_panel(user)
    if "mentee" in roles:
        context["mentee"] = _mentee_panel(user)
    if "case_manager" in roles:
        context["case_manager"] = _case_manager_panel(user)
    context["panels"] = [panel for panel in (build(request) for build in HOME_PANELS) if panel]
    return render(request, "accounts/home.html", context)


def _staff_panel(user):
    programs = Program.objects.staffed_by(user)
    mentees = MenteeProfile.objects.filter(program__in=programs)
    participation = Consent.objects.current().filter(
        mentee=OuterRef("pk"), kind=Consent.Kind.PARTICIPATION
    )
    waiting = (
        mentees.filter(status=MenteeProfile.Status.WAITING)
        .select_related("user", "program")
        .order_by("waiting_since", "pk")
    )
    return {
        "coordinated": programs.values_list("pk", flat=True)
        if user.is_superuser
        else user.program_ids_with_role("coordinator"),
        "supervised": programs.values_list("pk", flat=True)
        if user.is_superuser
        else user.program_ids_with_role("supervisor"),
        "programs": programs.select_related("center").annotate(
            mentee_count=Count("menteeprofile", distinct=True),
            mentor_count=Count("mentorprofile", distinct=True),
        ),
        "waiting": waiting[:PANEL_ROWS],
        "waiting_count": waiting.count(),
        "no_consent": mentees.exclude(Exists(participation))
        .exclude(status=MenteeProfile.Status.EXITED)
        .select_related("user", "program")[:PANEL_ROWS],
        "referred": mentees.filter(status=MenteeProfile.Status.REFERRED)
        .select_related("user", "program")
        .order_by("-referral_date")[:PANEL_ROWS],
    }


def _mentor_panel(user):
    return {
        "profiles": MentorProfile.objects.filter(user=user).select_related("program"),
        "mentees": MenteeProfile.objects.visible_to(user)
        .exclude(user=user)
        .filter(program_id__in=user.program_ids_with_role("mentor"))
        .select_related("user", "program")
        .prefetch_related("languages")[:PANEL_ROWS],
    }


def _mentee_panel(user):
    profiles = MenteeProfile.objects.filter(user=user).select_related("program")
    goals = (
        Goal.objects.filter(mentee__user=user)
        .exclude(status=Goal.Status.SET_ASIDE)
        .select_related("area")
        .prefetch_related("steps")
    )
    return {"profiles": profiles, "goals": goals}


def _case_manager_panel(user):
    shared = MenteeProfile.objects.filter(
        pk__in=MenteeProfile.objects.shared_with_case_manager(user)
    ).select_related("user", "program")
    return {"mentees": shared[:50]}
