"""Reads about matches that several places need: scopes, the coordinator board, check-in
schedules and the home panels. Every function here runs a fixed number of queries whatever
the number of matches (aggregates and select_related, never a query per row)."""

import datetime

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import MenteeProfile, Program
from matching.eligibility import CAPACITY_STATUSES
from matching.models import Match, MatchingSettings
from matching.services.support import (
    COUNTS_FOR,
    FIRST_MONTH_DAYS,
    Cadence,
    SupportSchedule,
    schedule_for,
)

AGREED_STATUSES = (Match.Status.ACTIVE, Match.Status.PAUSED)


def mentees_of_my_matches(user):
    """Ids of the mentees a mentor currently mentors (active or paused matches)."""
    return Match.objects.filter(mentor__user=user, status__in=AGREED_STATUSES).values("mentee_id")


def with_places_taken(mentors):
    """Annotate mentor profiles with ``places_taken`` by matches that hold a place."""
    taken = (
        Match.objects.filter(mentor=OuterRef("pk"), status__in=CAPACITY_STATUSES)
        .order_by()
        .values("mentor")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return mentors.annotate(places_taken=Coalesce(Subquery(taken), Value(0)))


# --- Scopes -------------------------------------------------------------------------------


def is_match_staff(user, match: Match) -> bool:
    """Coordinators and supervisors of the match's program (and administrators)."""
    return user.is_superuser or match.program_id in user.program_ids_with_role(
        "coordinator", "supervisor"
    )


def staff_matches(user, program: Program | None = None):
    """Matches of the programs the user staffs (not the ones they are in as mentor/mentee)."""
    programs = Program.objects.staffed_by(user)
    if program is not None:
        programs = programs.filter(pk=program.pk)
    return Match.objects.visible_to(user).filter(program__in=programs)


# --- Check-in schedules -------------------------------------------------------------------


def with_support_facts(matches):
    """Annotate what the check-in schedule needs, per party, in the same query:
    ``last_contact_on`` and, for the mentor and the mentee, the number of check-ins in the
    first month and the date of the latest one. Loads the program's settings along."""
    # The first month is days 0-29. "<= day 29" rather than "< day 30": SQLite compares the
    # shifted date as text with a time part, on which "<" would also admit day 30.
    last_first_month_day = F("started_on") + datetime.timedelta(days=FIRST_MONTH_DAYS - 1)
    annotations = {"last_contact_on": Max("support_contacts__contact_date")}
    for party, kinds in COUNTS_FOR.items():
        with_party = Q(support_contacts__with_whom__in=kinds)
        annotations[f"{party}_last_contact"] = Max(
            "support_contacts__contact_date", filter=with_party
        )
        annotations[f"{party}_first_month_contacts"] = Count(
            "support_contacts",
            filter=with_party & Q(support_contacts__contact_date__lte=last_first_month_day),
        )
    return matches.select_related("program__matching_settings").annotate(**annotations)


def cadence_of(program: Program) -> Cadence:
    """The program's cadence (the defaults when it has no settings row yet); no query when
    the settings were loaded with ``select_related("program__matching_settings")``."""
    try:
        settings = program.matching_settings
    except MatchingSettings.DoesNotExist:
        settings = None
    return Cadence.of(settings)


def support_schedule(match: Match, today: datetime.date | None = None) -> SupportSchedule:
    """The check-in schedule of a match annotated by ``with_support_facts``."""
    facts = {
        party: (
            getattr(match, f"{party}_first_month_contacts"),
            getattr(match, f"{party}_last_contact"),
        )
        for party in COUNTS_FOR
    }
    return schedule_for(
        match,
        facts=facts,
        last_contact=match.last_contact_on,
        cadence=cadence_of(match.program),
        today=today,
    )


def attach_schedules(matches, today: datetime.date | None = None) -> list[Match]:
    """Evaluate annotated matches and set ``match.support`` (a SupportSchedule) on each."""
    rows = list(matches)
    for match in rows:
        match.support = support_schedule(match, today)
    return rows


# Higher apps add health signals to the board's match rows (sessions adds the last session
# and the feedback trend): each function takes a Match queryset and returns it annotated.
MATCH_HEALTH_ANNOTATIONS: list = []
# ... and entries to a match's timeline: each takes a match and returns a list of dicts with
# "kind", "day", "at", "item" and "template" (the partial that renders the item).
MATCH_TIMELINE_SOURCES: list = []


def agreed_matches_with_support(matches):
    """Active and paused matches, people loaded, check-in facts and health signals annotated;
    those whose last check-in is oldest (or who never had one) first."""
    matches = with_support_facts(matches.filter(status__in=AGREED_STATUSES))
    for annotate in MATCH_HEALTH_ANNOTATIONS:
        matches = annotate(matches)
    return matches.select_related("mentee__user", "mentor__user", "program").order_by(
        F("last_contact_on").asc(nulls_first=True), "started_on", "pk"
    )


def overdue_matches(matches, today: datetime.date | None = None) -> list[Match]:
    """Active matches with an overdue check-in, most overdue first.

    One query: the per-match aggregates come from the database; the cadence rule (which is
    per program and per party) is applied to those few values per row in Python.
    """
    active = with_support_facts(matches.filter(status=Match.Status.ACTIVE)).select_related(
        "mentee__user", "mentor__user", "program"
    )
    rows = [match for match in attach_schedules(active, today) if match.support.is_overdue]
    rows.sort(key=lambda match: (match.support.next_due, match.pk))
    return rows


# --- The coordinator board ----------------------------------------------------------------


def waiting_mentees(programs):
    """Waiting mentees with no open proposal, longest wait first."""
    open_match = Match.objects.open().filter(mentee=OuterRef("pk"))
    return (
        MenteeProfile.objects.filter(program__in=programs, status=MenteeProfile.Status.WAITING)
        .exclude(Exists(open_match))
        .select_related("user", "program")
        .order_by(F("waiting_since").asc(nulls_last=True), "pk")
    )


def matches_in(matches, status: str):
    """Matches in one state with the people and the proposer loaded, oldest proposal first."""
    return (
        matches.filter(status=status)
        .select_related("mentee__user", "mentor__user", "program", "proposed_by")
        .order_by("proposed_at", "pk")
    )


# --- Home panels ---------------------------------------------------------------------------


def my_open_proposals(user):
    """Proposals this coordinator made that wait for approval or for the introduction."""
    programs = user.program_ids_with_role("coordinator")
    return (
        Match.objects.filter(
            proposed_by=user,
            program_id__in=programs,
            status__in=(Match.Status.PROPOSED, Match.Status.APPROVED),
        )
        .select_related("mentee__user", "mentor__user", "program")
        .order_by("proposed_at", "pk")
    )


def awaiting_my_approval(user):
    """Proposals in the programs this person supervises."""
    programs = user.program_ids_with_role("supervisor")
    return (
        Match.objects.filter(program_id__in=programs, status=Match.Status.PROPOSED)
        .select_related("mentee__user", "mentor__user", "program", "proposed_by")
        .order_by("proposed_at", "pk")
    )


def my_matches_as_mentor(user):
    return (
        Match.objects.filter(mentor__user=user, status__in=AGREED_STATUSES)
        .select_related("mentee__user", "program")
        .order_by("started_on", "pk")
    )


def my_matches_as_mentee(user):
    return (
        Match.objects.filter(mentee__user=user, status__in=AGREED_STATUSES)
        .select_related("mentor__user", "program")
        .order_by("started_on", "pk")
    )
