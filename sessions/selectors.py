"""Reads about sessions that several places need: who may see which resource, referral and
group session, and the effectiveness figures of the resource directory.

Every function returns a queryset scoped to the person asking; a record outside it simply is
not there, so a view answers 404 and never confirms that it exists.
"""

from django.db.models import Avg, Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Cast, NullIf

from accounts.models import Membership
from accounts.scoping import STAFF_ROLES
from sessions.models import GroupAttendance, GroupSession, Referral, Resource

ALL_ROLES = tuple(Membership.Role.values)


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def staff_program_ids(user) -> set[int] | None:
    """Programs the user coordinates or supervises; None for administrators (all of them)."""
    if user.is_superuser:
        return None
    return user.program_ids_with_role(*STAFF_ROLES)


def is_program_staff(user, program_id: int) -> bool:
    return user.is_superuser or program_id in user.program_ids_with_role(*STAFF_ROLES)


# --- Resources and referrals --------------------------------------------------------------


def resources_visible_to(user) -> QuerySet[Resource]:
    """The directory entries of every program the user holds any role in.

    Entries taken off the list (``is_active`` False) stay visible to the program's staff, who
    may list them again, and are hidden from everyone else.
    """
    if not _active(user):
        return Resource.objects.none()
    if user.is_superuser:
        return Resource.objects.all()
    return Resource.objects.filter(
        Q(program_id__in=user.program_ids_with_role(*STAFF_ROLES))
        | Q(program_id__in=user.program_ids_with_role(*ALL_ROLES), is_active=True)
    )


def resources_staffed_by(user) -> QuerySet[Resource]:
    """Entries the user may change: those of the programs they coordinate or supervise."""
    if not _active(user):
        return Resource.objects.none()
    if user.is_superuser:
        return Resource.objects.all()
    return Resource.objects.filter(program_id__in=user.program_ids_with_role(*STAFF_ROLES))


def referrals_visible_to(user) -> QuerySet[Referral]:
    """Staff see the referrals of their programs; a mentor those made in their own matches'
    sessions. Mentees and case managers see referrals on the session pages, not here."""
    if not _active(user):
        return Referral.objects.none()
    if user.is_superuser:
        return Referral.objects.all()
    return Referral.objects.filter(
        Q(session__match__program_id__in=user.program_ids_with_role(*STAFF_ROLES))
        | Q(session__match__mentor__user=user)
    )


def may_follow_up(user, referral: Referral) -> bool:
    """The mentor of the session's match, or the program's staff."""
    match = referral.session.match
    return is_program_staff(user, match.program_id) or match.mentor.user_id == user.pk


def with_effectiveness(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    """Annotate each resource with what its referrals show, aggregated in the database:

    ``referral_count`` (all), ``followed_up_count`` (connected or not), ``connected_count``,
    ``pending_count``, ``connected_share`` (connected / followed up, 0–1; None before any
    follow-up: a pending referral says nothing yet) and ``avg_helpfulness`` (1–5, over the
    connected referrals that were rated).
    """
    connected = Q(referrals__follow_up=Referral.FollowUp.CONNECTED)
    followed = Q(
        referrals__follow_up__in=[Referral.FollowUp.CONNECTED, Referral.FollowUp.NOT_CONNECTED]
    )
    return resources.annotate(
        referral_count=Count("referrals"),
        connected_count=Count("referrals", filter=connected),
        followed_up_count=Count("referrals", filter=followed),
        pending_count=Count("referrals", filter=Q(referrals__follow_up="pending")),
        avg_helpfulness=Avg("referrals__helpfulness", filter=connected),
    ).annotate(
        connected_share=Cast(F("connected_count"), FloatField())
        / NullIf(Cast(F("followed_up_count"), FloatField()), 0.0)
    )


def effectiveness_of(resource: Resource) -> dict:
    """The same figures for one resource, as one aggregate query."""
    return with_effectiveness(Resource.objects.filter(pk=resource.pk)).values(
        "referral_count",
        "connected_count",
        "followed_up_count",
        "pending_count",
        "connected_share",
        "avg_helpfulness",
    )[0]


# --- Group sessions -----------------------------------------------------------------------


def groups_visible_to(user) -> QuerySet[GroupSession]:
    """Staff and mentors see their programs' group sessions; a mentee those whose attendee
    list they are on."""
    if not _active(user):
        return GroupSession.objects.none()
    if user.is_superuser:
        return GroupSession.objects.all()
    attending = GroupAttendance.objects.filter(mentee__user=user).values("group_session_id")
    return GroupSession.objects.filter(
        Q(program_id__in=user.program_ids_with_role(*STAFF_ROLES, "mentor")) | Q(pk__in=attending)
    )


def may_see_groups(user) -> bool:
    """The group list exists for staff, mentors and mentees; to anyone else it does not."""
    return user.is_superuser or user.has_role(*STAFF_ROLES, "mentor", "mentee")


def may_manage_group(user, group: GroupSession) -> bool:
    """Staff of the group's program, or one of its facilitating mentors."""
    if is_program_staff(user, group.program_id):
        return True
    return group.facilitators.filter(user=user).exists()


def managed_group_ids(user, group_ids: list[int]) -> set[int]:
    """Of ``group_ids``, those whose attendee list this user may see and change (one query)."""
    if user.is_superuser:
        return set(group_ids)
    return set(
        GroupSession.objects.filter(pk__in=group_ids)
        .filter(
            Q(program_id__in=user.program_ids_with_role(*STAFF_ROLES)) | Q(facilitators__user=user)
        )
        .values_list("pk", flat=True)
    )
