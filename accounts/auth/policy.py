"""Who needs a second factor, and how long their sessions may last."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership

# Roles that can see other people's records.
SECOND_FACTOR_ROLES = (
    Membership.Role.COORDINATOR,
    Membership.Role.SUPERVISOR,
    Membership.Role.MENTOR,
    Membership.Role.CASE_MANAGER,
)


def needs_second_factor(user) -> bool:
    """True for everyone who can see someone else's records; mentees-only never."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.has_role(*SECOND_FACTOR_ROLES)


def has_authenticator(user) -> bool:
    """True when the person has finished enrolling an authenticator app."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def session_limits(user) -> tuple[int, int]:
    """(idle, absolute) session limits in seconds for this person."""
    if needs_second_factor(user):
        return settings.SESSION_IDLE_TIMEOUT_STAFF, settings.SESSION_ABSOLUTE_TIMEOUT_STAFF
    return settings.SESSION_IDLE_TIMEOUT_MENTEE, settings.SESSION_ABSOLUTE_TIMEOUT_MENTEE
