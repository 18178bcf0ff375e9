"""Registering mentees and mentors and keeping their matching data.

A person has one account whatever roles they hold: registering someone whose email is
already known reuses that account (a mentee who later becomes a mentor keeps one history).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    DISCLOSURE_KINDS,
    Consent,
    Membership,
    MenteeProfile,
    MentorProfile,
    Program,
    User,
    standard_disclosure_terms,
)
from accounts.services.errors import DomainError

PERSON_FIELDS = ("display_name", "email", "phone", "preferred_language")
M2M_FIELDS = ("life_goals", "lived_experience", "languages", "interests")
SHARED_PROFILE_FIELDS = (
    "availability",
    "modalities",
    "location",
    "gender",
    "recovery_start",
    "accessibility_needs",
    "communication_needs",
    "notes",
)
MENTEE_FIELDS = SHARED_PROFILE_FIELDS + (
    "status",
    "birth_date",
    "idd_mh",
    "preferred_mentor_gender",
    "gender_preference_required",
    "case_manager",
    "referral_source",
    "referrer_name",
    "referrer_contact",
    "referral_date",
)
MENTOR_FIELDS = SHARED_PROFILE_FIELDS + ("status", "capacity", "idd_mh_experience", "bio")


def ensure_staff(actor: User, program: Program) -> None:
    """Coordinators and supervisors of the program (and administrators) manage its people."""
    if actor.is_superuser:
        return
    if program.pk not in actor.program_ids_with_role("coordinator", "supervisor"):
        raise DomainError(_("Only the program's coordinators and supervisors can do this."))


def _validation_to_domain(error: ValidationError) -> DomainError:
    if hasattr(error, "error_dict"):
        field, messages = next(iter(error.message_dict.items()))
        return DomainError(" ".join(messages), field=None if field == "__all__" else field)
    return DomainError(" ".join(error.messages))


def _person(*, person: dict) -> User:
    """The account for this person: the existing one for a known email, else a new one."""
    unknown = set(person) - set(PERSON_FIELDS)
    if unknown:
        raise DomainError(f"Unknown person fields: {', '.join(sorted(unknown))}.")
    if not (person.get("display_name") or "").strip():
        raise DomainError(_("Please give the person's name."), field="display_name")
    email = (person.get("email") or "").strip() or None
    if email:
        existing = User.objects.filter(email__iexact=email).first()
        if existing:
            return existing
    user = User(
        email=User.objects.normalize_email(email) if email else None,
        display_name=person["display_name"].strip(),
        phone=person.get("phone") or "",
        preferred_language=person.get("preferred_language") or User.Language.ENGLISH,
    )
    user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise _validation_to_domain(error) from None
    user.save()
    return user


def _apply_profile(profile, fields: dict, allowed: Iterable[str]) -> None:
    allowed = set(allowed) | set(M2M_FIELDS)
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(f"Unknown profile fields: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        if name not in M2M_FIELDS:
            setattr(profile, name, value)
    try:
        profile.full_clean(exclude=["user", "program"], validate_unique=False)
    except ValidationError as error:
        raise _validation_to_domain(error) from None
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise DomainError(
            _("This person already has a profile of this kind in this program.")
        ) from None
    for name in M2M_FIELDS:
        if name in fields:
            getattr(profile, name).set(fields[name] or [])


@transaction.atomic
def register_mentee(
    *,
    actor: User,
    program: Program,
    person: dict,
    profile: dict | None = None,
    consents: Iterable[str] = (),
    consent_given_on=None,
    consent_text_version: str = "2026-1",
) -> MenteeProfile:
    """Register a referred mentee: their account, profile, role and the consents given.

    Consent kinds are ``Consent.Kind`` values; sharing with the case manager needs the
    profile's ``case_manager``.
    """
    ensure_staff(actor, program)
    profile = dict(profile or {})
    user = _person(person=person)
    if MenteeProfile.objects.filter(user=user, program=program).exists():
        raise DomainError(
            _("%(name)s is already a mentee in %(program)s.")
            % {"name": user.display_name, "program": program.name},
            field="email",
        )
    mentee = MenteeProfile(user=user, program=program)
    profile.setdefault("status", MenteeProfile.Status.REFERRED)
    _apply_profile(mentee, profile, MENTEE_FIELDS)
    if mentee.status == MenteeProfile.Status.WAITING and not mentee.waiting_since:
        mentee.waiting_since = timezone.localdate()
        mentee.save(update_fields=["waiting_since"])
    Membership.objects.get_or_create(user=user, program=program, role=Membership.Role.MENTEE)
    if mentee.case_manager_id:
        Membership.objects.get_or_create(
            user=mentee.case_manager, program=program, role=Membership.Role.CASE_MANAGER
        )
    for kind in consents:
        if kind not in Consent.Kind.values:
            raise DomainError(f"Unknown consent kind: {kind}.")
        recipient = None
        if kind == Consent.Kind.SHARE_WITH_CASE_MANAGER:
            recipient = mentee.case_manager
            if recipient is None:
                raise DomainError(
                    _("Name the case manager before recording consent to share with them."),
                    field="case_manager",
                )
        consent = Consent(
            mentee=mentee,
            kind=kind,
            recipient=recipient,
            text_version=consent_text_version,
            given_on=consent_given_on or timezone.localdate(),
            recorded_by=actor,
        )
        if kind in DISCLOSURE_KINDS:
            # Consents ticked at intake were signed on the program's paper form.
            standard_disclosure_terms(consent)
        consent.save()
    return mentee


@transaction.atomic
def update_mentee_profile(*, actor: User, mentee: MenteeProfile, fields: dict) -> MenteeProfile:
    ensure_staff(actor, mentee.program)
    person = {key: fields.pop(key) for key in PERSON_FIELDS if key in fields}
    was_waiting = mentee.status == MenteeProfile.Status.WAITING
    _apply_profile(mentee, fields, MENTEE_FIELDS)
    if mentee.status == MenteeProfile.Status.WAITING and not was_waiting:
        mentee.waiting_since = timezone.localdate()
        mentee.save(update_fields=["waiting_since"])
    if person:
        _update_person(mentee.user, person)
    return mentee


@transaction.atomic
def create_mentor(
    *, actor: User, program: Program, person: dict, profile: dict | None = None
) -> MentorProfile:
    ensure_staff(actor, program)
    user = _person(person=person)
    if MentorProfile.objects.filter(user=user, program=program).exists():
        raise DomainError(
            _("%(name)s is already a mentor in %(program)s.")
            % {"name": user.display_name, "program": program.name},
            field="email",
        )
    mentor = MentorProfile(user=user, program=program)
    _apply_profile(mentor, dict(profile or {}), MENTOR_FIELDS)
    Membership.objects.get_or_create(user=user, program=program, role=Membership.Role.MENTOR)
    return mentor


@transaction.atomic
def update_mentor_profile(*, actor: User, mentor: MentorProfile, fields: dict) -> MentorProfile:
    ensure_staff(actor, mentor.program)
    person = {key: fields.pop(key) for key in PERSON_FIELDS if key in fields}
    # The status changes only through the pathway (change_mentor_status), with a reason.
    fields.pop("status", None)
    _apply_profile(mentor, fields, MENTOR_FIELDS)
    if person:
        _update_person(mentor.user, person)
    return mentor


def _update_person(user: User, person: dict) -> None:
    email = (person.get("email") or "").strip() or None
    if email and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise DomainError(_("Another account already uses this email address."), field="email")
    for name, value in person.items():
        setattr(user, name, email if name == "email" else value)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise _validation_to_domain(error) from None
    user.save(update_fields=list(person))


@transaction.atomic
def update_my_settings(*, user: User, **fields) -> User:
    allowed = {
        "display_name",
        "email",
        "phone",
        "preferred_language",
        "time_zone",
        "easy_read",
        "notify_by_email",
        "notify_in_app",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(f"These settings cannot be changed here: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(user, name, value)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise _validation_to_domain(error) from None
    user.save(update_fields=list(fields))
    return user
