"""The resource directory and referral follow-ups.

A program keeps its own curated directory of services (housing, employment, clinics,
treatment, crisis lines, benefits, peer groups...). Its coordinators and supervisors keep the
entries; everyone with a role in the program reads them. Mentors share entries in sessions and
refer mentees to them (the session log creates the ``Referral`` rows); later the mentor or the
staff record whether the mentee connected and how it went, which is what the effectiveness
figures (``sessions.selectors.with_effectiveness``) are made of.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Language, Program, User
from accounts.services.errors import DomainError
from accounts.services.people import ensure_staff
from sessions.models import Referral, Resource
from sessions.selectors import may_follow_up

RESOURCE_FIELDS = (
    "name",
    "category",
    "description",
    "phone",
    "email",
    "website",
    "address",
    "hours",
    "is_active",
)


def validation_to_domain(error: ValidationError) -> DomainError:
    """The first message of a model validation error, at its field."""
    if hasattr(error, "error_dict"):
        field, messages = next(iter(error.message_dict.items()))
        return DomainError(" ".join(messages), field=None if field == "__all__" else field)
    return DomainError(" ".join(error.messages))


def _apply_resource(resource: Resource, fields: dict, languages: Iterable[Language] | None):
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise DomainError(f"Unknown resource fields: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(resource, name, value.strip() if isinstance(value, str) else value)
    same_name = Resource.objects.filter(program=resource.program, name__iexact=resource.name)
    if resource.pk:
        same_name = same_name.exclude(pk=resource.pk)
    if resource.name and same_name.exists():
        raise DomainError(
            _("The directory already has an entry called “%(name)s”.") % {"name": resource.name},
            field="name",
        )
    try:
        resource.full_clean(exclude=["languages"], validate_constraints=False)
    except ValidationError as error:
        raise validation_to_domain(error) from None
    try:
        with transaction.atomic():
            resource.save()
    except IntegrityError:
        # Two people saved the same name at once.
        raise DomainError(
            _("The directory already has an entry called “%(name)s”.") % {"name": resource.name},
            field="name",
        ) from None
    if languages is not None:
        resource.languages.set(languages)


@transaction.atomic
def create_resource(
    *,
    actor: User,
    program: Program,
    fields: dict,
    languages: Iterable[Language] = (),
) -> Resource:
    """Add a service to the program's directory (coordinators and supervisors)."""
    ensure_staff(actor, program)
    resource = Resource(program=program)
    _apply_resource(resource, fields, list(languages))
    return resource


@transaction.atomic
def update_resource(
    *,
    actor: User,
    resource: Resource,
    fields: dict,
    languages: Iterable[Language] | None = None,
) -> Resource:
    """Change a directory entry; ``is_active=False`` takes it off the list (its referrals and
    the sessions that shared it keep pointing at it)."""
    ensure_staff(actor, resource.program)
    _apply_resource(resource, fields, None if languages is None else list(languages))
    return resource


@transaction.atomic
def record_referral_follow_up(
    *,
    actor: User,
    referral: Referral,
    follow_up: str,
    helpfulness: int | None = None,
    outcome_notes: str = "",
    followed_up_on: datetime.date | None = None,
) -> Referral:
    """Record whether the mentee connected with the service and how it went.

    The mentor of the session's match or the program's staff may do it, as often as the
    story changes (the latest answer stands). How it went (1–5) is rated only for a mentee who
    connected; the date is not in the future nor before the session.
    """
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("session__match__mentor", "resource")
        .get(pk=referral.pk)
    )
    if not may_follow_up(actor, referral):
        raise DomainError(
            _("Only the mentor who made the referral or the program's staff can follow it up.")
        )
    answered = (Referral.FollowUp.CONNECTED, Referral.FollowUp.NOT_CONNECTED)
    if follow_up not in answered:
        raise DomainError(_("Say whether the mentee connected."), field="follow_up")
    if helpfulness is not None and follow_up != Referral.FollowUp.CONNECTED:
        raise DomainError(
            _("Rate how it went only when the mentee connected with the service."),
            field="helpfulness",
        )
    followed_up_on = followed_up_on or timezone.localdate()
    if followed_up_on > timezone.localdate():
        raise DomainError(_("This date cannot be in the future."), field="followed_up_on")
    session_day = timezone.localtime(referral.session.starts_at).date()
    if followed_up_on < session_day:
        raise DomainError(
            _("The follow-up cannot be before the session where the referral was made (%(day)s).")
            % {"day": session_day.isoformat()},
            field="followed_up_on",
        )
    referral.follow_up = follow_up
    referral.helpfulness = helpfulness
    referral.outcome_notes = (outcome_notes or "").strip()
    referral.followed_up_on = followed_up_on
    try:
        referral.full_clean(exclude=["session", "resource"], validate_constraints=False)
    except ValidationError as error:
        raise validation_to_domain(error) from None
    referral.save(update_fields=["follow_up", "helpfulness", "outcome_notes", "followed_up_on"])
    return referral
