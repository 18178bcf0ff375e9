"""Matches: the coordinator board, the list, a match's page and its lifecycle actions.

Who may see what:
- the board and the list are for the coordinators and supervisors of a program (and
  administrators); anyone else gets 404;
- a match is read through ``Match.objects.visible_to``: its program's staff see everything
  (the timeline of events and check-ins, concerns, closing notes, the actions they may take);
  the mentor and the mentee of an active, paused or closed match see a reduced page (who,
  since when, the status), never check-in concerns or staff notes. Opening it is audited;
- actions are POST only and carry the state the person saw (``expected_status``). Someone
  without the role for an action gets 404, as for a record they cannot see; staff whose
  action a rule refuses (the match changed meanwhile, the mentor is full...) get the message
  and nothing changes.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import record_read
from accounts.models import Program
from accounts.scoping import STAFF_ROLES
from accounts.services import DomainError
from matching import selectors, services
from matching.forms.lifecycle import ACTION_FORMS, CloseForm, MatchFilterForm
from matching.models import Match
from matching.services import lifecycle
from matching.services.support import facts_from_contacts, schedule_for

PAGE_SIZE = 25
BOARD_ROWS = 25

ACTION_LABELS = {
    "approve": gettext_lazy("Approve the match"),
    "decline": gettext_lazy("Decline the match"),
    "withdraw": gettext_lazy("Withdraw the proposal"),
    "start": gettext_lazy("Start the match"),
    "pause": gettext_lazy("Pause the match"),
    "resume": gettext_lazy("Resume the match"),
    "close": gettext_lazy("Close the match"),
    "rematch": gettext_lazy("Find a new mentor"),
}
# Actions whose form has fields to fill in: shown folded until opened.
FOLDED_ACTIONS = {"decline", "withdraw", "start", "pause"}
# What a timeline entry says about a move to each state.
EVENT_LABELS = {
    "proposed": gettext_lazy("Proposed"),
    "approved": gettext_lazy("Approved"),
    "active": gettext_lazy("Started"),
    "paused": gettext_lazy("Paused"),
    "closed": gettext_lazy("Closed"),
    "declined": gettext_lazy("Declined"),
    "withdrawn": gettext_lazy("Withdrawn"),
}


def _ensure_staff(user) -> None:
    if not (user.is_superuser or user.has_role(*STAFF_ROLES)):
        raise Http404


def _visible(user):
    return Match.objects.visible_to(user).select_related(
        "mentee__user", "mentor__user", "program", "proposed_by", "rematch_of"
    )


def _match_for(request: HttpRequest, pk: int, action: str) -> Match:
    """The match, if the person may see it and holds a role that may take ``action``."""
    match = get_object_or_404(_visible(request.user), pk=pk)
    if not lifecycle.may(request.user, match, action):
        raise Http404
    return match


def suggestions_url(mentee) -> str:
    """The mentee's suggestions page (the suggestions views name it ``matching:suggestions``)."""
    for args, query in (([mentee.pk], ""), ([], f"?mentee={mentee.pk}")):
        try:
            return reverse("matching:suggestions", args=args) + query
        except NoReverseMatch:
            continue
    return mentee.get_absolute_url()


# --- Board and list ------------------------------------------------------------------------


@login_required
def board(request: HttpRequest) -> HttpResponse:
    user = request.user
    _ensure_staff(user)
    programs = Program.objects.staffed_by(user).order_by("name")
    filters = MatchFilterForm(request.GET, programs=programs)
    chosen = filters.cleaned_data.get("program") if filters.is_valid() else None
    matches = selectors.staff_matches(user, program=chosen)
    scope = programs.filter(pk=chosen.pk) if chosen else programs

    waiting = selectors.waiting_mentees(scope)
    proposed = selectors.matches_in(matches, Match.Status.PROPOSED)
    approved = selectors.matches_in(matches, Match.Status.APPROVED)
    page = Paginator(selectors.agreed_matches_with_support(matches), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    overdue = selectors.overdue_matches(matches)
    waiting_rows = list(waiting[:BOARD_ROWS])
    for mentee in waiting_rows:
        mentee.suggestions_url = suggestions_url(mentee)
    return render(
        request,
        "matching/board.html",
        {
            "filters": filters,
            "waiting": waiting_rows,
            "waiting_count": waiting.count(),
            "proposed": proposed[:BOARD_ROWS],
            "proposed_count": proposed.count(),
            "approved": approved[:BOARD_ROWS],
            "approved_count": approved.count(),
            "page_obj": page,
            "agreed": selectors.attach_schedules(page.object_list),
            "overdue": overdue[:BOARD_ROWS],
            "overdue_count": len(overdue),
        },
    )


@login_required
def match_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _ensure_staff(user)
    programs = Program.objects.staffed_by(user).order_by("name")
    filters = MatchFilterForm(request.GET, programs=programs)
    matches = (
        filters.apply(selectors.staff_matches(user))
        .select_related("mentee__user", "mentor__user", "program")
        .order_by("-proposed_at", "-pk")
    )
    page = Paginator(matches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/match_list.html",
        {"filters": filters, "page_obj": page, "matches": page.object_list},
    )


# --- One match -----------------------------------------------------------------------------


def _event_label(event) -> str:
    if event.from_status == event.to_status == Match.Status.CLOSED:
        return _("Rematch started")
    if event.from_status == Match.Status.PAUSED and event.to_status == Match.Status.ACTIVE:
        return _("Resumed")
    if not event.from_status and event.to_status == Match.Status.ACTIVE:
        return _("Recorded as active")
    return str(EVENT_LABELS.get(event.to_status, event.to_status))


def _timeline(match: Match, events, contacts) -> list[dict]:
    """Events, check-ins and what other apps add (sessions) in the order they happened."""
    items = [
        {
            "kind": "event",
            "day": timezone.localdate(e.at),
            "at": e.at,
            "item": e,
            "label": _event_label(e),
        }
        for e in events
    ]
    items += [
        {"kind": "contact", "day": c.contact_date, "at": c.created_at, "item": c} for c in contacts
    ]
    for source in selectors.MATCH_TIMELINE_SOURCES:
        items += source(match)
    return sorted(items, key=lambda entry: (entry["day"], entry["at"]))


def _render_detail(request: HttpRequest, match: Match, bound: dict | None = None) -> HttpResponse:
    user = request.user
    if not selectors.is_match_staff(user, match):
        return render(request, "matching/match_detail_participant.html", {"match": match})
    events = list(match.events.select_related("actor"))
    contacts = list(match.support_contacts.select_related("recorded_by"))
    schedule = schedule_for(
        match,
        facts=facts_from_contacts(match, contacts),
        last_contact=max((c.contact_date for c in contacts), default=None),
        cadence=selectors.cadence_of(match.program),
    )
    bound = bound or {}
    actions = lifecycle.available_actions(user, match)
    if "rematch" in actions and not lifecycle.rematch_possible(match):
        actions.remove("rematch")
    forms = [
        {
            "name": action,
            "label": ACTION_LABELS[action],
            "url": reverse(f"matching:match_{action}", args=[match.pk]),
            "form": bound.get(action) or ACTION_FORMS[action](match=match),
            "folded": action in FOLDED_ACTIONS,
            "open": action in bound,
        }
        for action in actions
        if action != "close"
    ]
    return render(
        request,
        "matching/match_detail.html",
        {
            "match": match,
            "timeline": _timeline(match, events, contacts),
            "schedule": schedule,
            "actions": actions,
            "forms": forms,
            "may_log_contact": match.status in selectors.AGREED_STATUSES
            and lifecycle.may(user, match, "log_check_in"),
            "goals_achieved": list(match.goals_achieved.all())
            if match.status == Match.Status.CLOSED
            else [],
            "rematches": list(match.rematches.select_related("mentor__user")),
        },
    )


@login_required
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(_visible(request.user), pk=pk)
    record_read(match)
    return _render_detail(request, match)


# --- Actions -------------------------------------------------------------------------------


def _perform(action: str, user, match: Match, data: dict) -> Match:
    common = {"actor": user, "match": match, "expected_status": data["expected_status"]}
    if action == "approve":
        return services.approve_match(**common, note=data["note"])
    if action == "decline":
        return services.decline_match(**common, reason=data["reason"])
    if action == "withdraw":
        return services.withdraw_match(**common, reason=data["reason"])
    if action == "start":
        return services.start_match(
            **common,
            introduced_on=data["introduced_on"],
            both_agreed=data["both_agreed"],
            note=data["note"],
        )
    if action == "pause":
        return services.pause_match(**common, reason=data["reason"])
    if action == "resume":
        return services.resume_match(**common, note=data["note"])
    if action == "close":
        return services.close_match(
            **common,
            reason=data["reason"],
            notes=data["notes"],
            goals_achieved=data["goals_achieved"],
            rematch=data["rematch"],
        )
    if action == "rematch":
        return services.start_rematch(**common)
    raise ValueError(action)


def _done_message(action: str, match: Match) -> str:
    names = {"mentee": match.mentee.user.display_name, "mentor": match.mentor.user.display_name}
    texts = {
        "approve": _(
            "The match of %(mentee)s with %(mentor)s is approved. The coordinator can now "
            "arrange the introduction meeting."
        ),
        "decline": _("The proposal is declined; %(mentee)s stays on the waiting list."),
        "withdraw": _("The proposal is withdrawn; %(mentee)s stays on the waiting list."),
        "start": _("The match of %(mentee)s with %(mentor)s is active. Both are told."),
        "pause": _("The match is paused. Both are told."),
        "resume": _("The match is active again. Both are told."),
        "close": _("The match is closed. Both are invited to the closure survey."),
        "rematch": _("%(mentee)s is waiting for a new mentor: choose one from the suggestions."),
    }
    return texts[action] % names


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    match = _match_for(request, pk, action)
    form = ACTION_FORMS[action](request.POST, match=match)
    if form.is_valid():
        try:
            match = _perform(action, request.user, match, form.cleaned_data)
        except DomainError as error:
            if error.field not in form.fields:
                messages.error(request, error.message)
                return redirect(match)
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _done_message(action, match))
            if action == "rematch":
                return redirect(suggestions_url(match.mentee))
            return redirect(match)
    if action == "close":
        return _close_page(request, match, form)
    return _render_detail(request, match, bound={action: form})


@login_required
@require_POST
def match_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "approve")


@login_required
@require_POST
def match_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "decline")


@login_required
@require_POST
def match_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "withdraw")


@login_required
@require_POST
def match_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "start")


@login_required
@require_POST
def match_pause(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "pause")


@login_required
@require_POST
def match_resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "resume")


@login_required
@require_POST
def match_rematch(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "rematch")


def _close_page(request: HttpRequest, match: Match, form: CloseForm | None) -> HttpResponse:
    return render(
        request,
        "matching/match_close.html",
        {
            "match": match,
            "form": form,
            "closable": match.status in lifecycle.ACTION_FROM["close"],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def match_close(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        return _act(request, pk, "close")
    match = _match_for(request, pk, "close")
    return _close_page(request, match, CloseForm(match=match))


urlpatterns = [
    path("board/", board, name="board"),
    path("matches/", match_list, name="match_list"),
    path("matches/<int:pk>/", match_detail, name="match_detail"),
    path("matches/<int:pk>/approve/", match_approve, name="match_approve"),
    path("matches/<int:pk>/decline/", match_decline, name="match_decline"),
    path("matches/<int:pk>/withdraw/", match_withdraw, name="match_withdraw"),
    path("matches/<int:pk>/start/", match_start, name="match_start"),
    path("matches/<int:pk>/pause/", match_pause, name="match_pause"),
    path("matches/<int:pk>/resume/", match_resume, name="match_resume"),
    path("matches/<int:pk>/close/", match_close, name="match_close"),
    path("matches/<int:pk>/rematch/", match_rematch, name="match_rematch"),
]
