"""Reads about matches that several places need."""

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from matching.eligibility import CAPACITY_STATUSES
from matching.models import Match


def mentees_of_my_matches(user):
    """Ids of the mentees a mentor currently mentors (active or paused matches)."""
    return Match.objects.filter(mentor__user=user, status__in=("active", "paused")).values(
        "mentee_id"
    )


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
