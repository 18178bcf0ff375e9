"""The role-aware home page: "what needs me today", one panel per role the person holds.

Higher apps (matching, sessions, evaluation) add their own panels by appending a function to
``HOME_PANELS`` in their AppConfig.ready(); each takes the request and returns a dict with a
``template`` and its context, or None when it has nothing for this person.

Easy-read home: a mentee who chose easy-read pages gets, first, a column of short blocks
("what is next" first: the next session, sessions to give feedback on, questions to answer,
then goals and the mentor), each with a picture, plain sentences, a read-aloud button and big
buttons. A panel takes part by adding ``easy_template`` and ``easy_order`` (the place in that
column, see ``EASY_ORDER``) to its dict; a panel may give only those two (it then shows in
easy-read mode only). Panels without ``easy_template`` keep their ordinary place below.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import render

from accounts.models import Consent, Goal, MenteeProfile, MentorProfile, Program

PANEL_ROWS = 8

# The place of each block on the easy-read home, "what is next" first.
EASY_ORDER = {"next_session": 10, "feedback": 20, "questions": 30, "goals": 40, "mentor": 50}


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
    panels = [panel for panel in (build(request) for build in HOME_PANELS) if panel]
    if "mentee" in roles and user.easy_read:
        context["easy_read_home"] = _easy_read_blocks(context.pop("mentee"), panels)
        panels = [panel for panel in panels if not panel.get("easy_template")]
    context["panels"] = [panel for panel in panels if panel.get("template")]
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


def _easy_read_blocks(mentee: dict, panels: list[dict]) -> list[dict]:
    """The easy-read home's blocks in reading order: the panels that have an easy-read form,
    and the mentee's goals and details."""
    easy_goals = []
    for goal in mentee["goals"]:
        steps = goal.steps.all()
        easy_goals.append(
            {"goal": goal, "done": sum(step.done for step in steps), "total": len(steps)}
        )
    goals = {
        "easy_template": "accounts/partials/home_easy_goals.html",
        "easy_order": EASY_ORDER["goals"],
        "easy_goals": easy_goals,
        **mentee,
    }
    blocks = [panel for panel in panels if panel.get("easy_template")] + [goals]
    return sorted(blocks, key=lambda block: block["easy_order"])


def _case_manager_panel(user):
    shared = MenteeProfile.objects.filter(
        pk__in=MenteeProfile.objects.shared_with_case_manager(user)
    ).select_related("user", "program")
    return {"mentees": shared[:50]}
