"""Who may see which record: the ``visible_to(user)`` queryset methods.

Every view reads people's records through these. A record outside the user's scope simply
is not in the queryset, so the view answers 404 and never confirms that it exists.

Which mentees a mentor may see depends on matches, which live in a higher app; that app
registers a function here (``MENTOR_MENTEE_SCOPES``) instead of this module importing it.
"""

from collections.abc import Callable

from django.apps import apps
from django.db import models
from django.db.models import Q

# Each function takes a user and returns a queryset of mentee-profile ids that the user
# may see as a mentor (matching registers "mentees of my open matches").
MENTOR_MENTEE_SCOPES: list[Callable] = []

# Annotates a mentor-profile queryset with ``places_taken`` (matching registers it).
MENTOR_PLACES_TAKEN: list[Callable] = []

STAFF_ROLES = ("coordinator", "supervisor")


def _model(name: str):
    return apps.get_model("accounts", name)


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(pk__in=user.program_ids_with_role(*_model("Membership").Role.values))

    def staffed_by(self, user):
        """Programs where the user is a coordinator or supervisor."""
        if user.is_superuser:
            return self
        return self.filter(pk__in=user.program_ids_with_role(*STAFF_ROLES))


class MenteeProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        scope = Q(user=user) | Q(program_id__in=user.program_ids_with_role(*STAFF_ROLES))
        if user.has_role("mentor"):
            for mentee_ids in MENTOR_MENTEE_SCOPES:
                scope |= Q(pk__in=mentee_ids(user))
        if user.has_role("case_manager"):
            scope |= Q(pk__in=self.shared_with_case_manager(user))
        return self.filter(scope)

    @staticmethod
    def shared_with_case_manager(user):
        Consent = _model("Consent")
        return (
            Consent.objects.current()
            .filter(kind=Consent.Kind.SHARE_WITH_CASE_MANAGER, recipient=user)
            .values("mentee_id")
        )

    def waiting(self):
        return self.filter(status="waiting")


class MentorProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(user=user) | Q(program_id__in=user.program_ids_with_role(*STAFF_ROLES))
        )

    def active(self):
        return self.filter(status="active")


class GoalQuerySet(models.QuerySet):
    def visible_to(self, user):
        MenteeProfile = _model("MenteeProfile")
        return self.filter(mentee__in=MenteeProfile.objects.visible_to(user).values("pk"))


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread_in_app(self):
        """Delivered in-app notifications the person has not read yet."""
        return self.filter(channel="in_app", state="sent", read_at__isnull=True)


def mentee_access(user, mentee) -> str | None:
    """How much of a visible mentee profile this user may see.

    ``"staff"`` (coordinators, supervisors, admins: everything), ``"self"`` (the mentee),
    ``"mentor"`` (what a mentor needs: goals, needs, languages; no referral or staff notes),
    ``"case_manager"`` (only the progress the mentee consented to share), or None.
    """
    if user.is_superuser or mentee.program_id in user.program_ids_with_role(*STAFF_ROLES):
        return "staff"
    if mentee.user_id == user.pk:
        return "self"
    if user.has_role("mentor"):
        MenteeProfile = _model("MenteeProfile")
        for mentee_ids in MENTOR_MENTEE_SCOPES:
            if MenteeProfile.objects.filter(pk=mentee.pk, pk__in=mentee_ids(user)).exists():
                return "mentor"
    if user.has_role("case_manager"):
        shared = MenteeProfileQuerySet.shared_with_case_manager(user)
        if shared.filter(mentee_id=mentee.pk).exists():
            return "case_manager"
    return None
