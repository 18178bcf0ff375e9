"""Feedback loops with stakeholders: quarterly invitations to the case managers and provider
staff a mentee agreed to share progress with, their answers, and coordinators' notes of
program-level stakeholder meetings.

A stakeholder stays read-only on every record; answering an invitation addressed to them is
the one thing they write. The one-time link works like the session-feedback link: only the
SHA-256 of its token is stored, it is used up on submit (not on open) and expires.
"""

import datetime
import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.delivery import site_url
from accounts.models import Consent, MenteeProfile, Program, User
from accounts.services import DomainError, queue_notification
from evaluation.models import (
    StakeholderInvitation,
    StakeholderLink,
    StakeholderMeetingNote,
    StakeholderResponse,
)

LINK_DAYS = 14
ANSWER_FIELDS = ("progress", "working_together", "kept_informed", "wants_contact", "comment")


def quarter_of(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _consented_pairs():
    """(mentee, recipient) of every current sharing consent of a mentee still in a program."""
    return (
        Consent.objects.current()
        .filter(kind=Consent.Kind.SHARE_WITH_CASE_MANAGER, recipient__is_active=True)
        .exclude(mentee__status=MenteeProfile.Status.EXITED)
        .select_related("mentee", "recipient")
        .order_by("pk")
    )


def invite_stakeholders(*, today: datetime.date | None = None) -> list[int]:
    """This quarter's invitation per consented (mentee, stakeholder) pair, created once (the
    unique constraint); each new one queues an in-app message and an email with a link."""
    today = today or timezone.localdate()
    period = quarter_of(today)
    created_ids = []
    for consent in _consented_pairs():
        with transaction.atomic():
            invitation, created = StakeholderInvitation.objects.get_or_create(
                mentee=consent.mentee,
                recipient=consent.recipient,
                period=period,
                defaults={"program_id": consent.mentee.program_id},
            )
            if created:
                queue_notification(
                    recipient=consent.recipient,
                    kind="stakeholder_invitation",
                    key=f"stakeholder-invite:{invitation.pk}",
                    subject=invitation,
                )
                created_ids.append(invitation.pk)
    return created_ids


def has_current_consent(invitation: StakeholderInvitation) -> bool:
    return (
        Consent.objects.current()
        .filter(
            mentee_id=invitation.mentee_id,
            kind=Consent.Kind.SHARE_WITH_CASE_MANAGER,
            recipient_id=invitation.recipient_id,
        )
        .exists()
    )


def open_invitations_for(user: User):
    """Unanswered invitations addressed to this person whose consent still stands."""
    current = Consent.objects.current().filter(
        kind=Consent.Kind.SHARE_WITH_CASE_MANAGER, recipient=user
    )
    return StakeholderInvitation.objects.filter(
        recipient=user, answered_at__isnull=True, mentee__in=current.values("mentee_id")
    )


# --- One-time links -----------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_stakeholder_link(*, invitation: StakeholderInvitation, days: int = LINK_DAYS) -> str:
    token = secrets.token_urlsafe(32)
    StakeholderLink.objects.create(
        invitation=invitation,
        token_hash=token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token


def stakeholder_link_url(token: str) -> str:
    return site_url(reverse("evaluation:stakeholder_link", args=[token]))


def find_stakeholder_link(token: str) -> StakeholderLink | None:
    return (
        StakeholderLink.objects.select_related("invitation__mentee__user", "invitation__program")
        .filter(token_hash=token_hash(token))
        .first()
    )


# --- Answering ----------------------------------------------------------------------------


def submit_stakeholder_response(
    *,
    invitation: StakeholderInvitation,
    answered_by: User,
    via_link: bool,
    link: StakeholderLink | None = None,
    progress: int,
    working_together: int,
    kept_informed: bool = False,
    wants_contact: bool = False,
    comment: str = "",
) -> StakeholderResponse:
    """Store the answers once. Refused when the invitation is not this person's, was
    answered already, or the mentee has withdrawn the consent to share."""
    if invitation.recipient_id != answered_by.pk:
        raise DomainError(_("This invitation is addressed to someone else."))
    for name, value in (("progress", progress), ("working_together", working_together)):
        if value not in range(1, 6):
            raise DomainError(_("Choose an answer from 1 to 5."), field=name)
    try:
        with transaction.atomic():
            locked = StakeholderInvitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.answered_at is not None:
                raise DomainError(_("These questions were answered already. Thank you."))
            if not has_current_consent(locked):
                raise DomainError(_("This invitation is no longer open."))
            if link is not None:
                used = StakeholderLink.objects.filter(
                    pk=link.pk, used_at__isnull=True, expires_at__gt=timezone.now()
                ).update(used_at=timezone.now())
                if not used:
                    raise DomainError(_("This link was used already or has expired."))
            response = StakeholderResponse.objects.create(
                invitation=locked,
                progress=progress,
                working_together=working_together,
                kept_informed=kept_informed,
                wants_contact=wants_contact,
                comment=(comment or "").strip(),
                answered_by=answered_by,
                via_link=via_link,
            )
            locked.answered_at = timezone.now()
            locked.save(update_fields=["answered_at"])
    except IntegrityError:
        raise DomainError(_("These questions were answered already. Thank you.")) from None
    return response


# --- Meeting notes ------------------------------------------------------------------------


@transaction.atomic
def record_meeting_note(
    *,
    actor: User,
    program: Program,
    met_on: datetime.date,
    attendee_roles: list[str],
    summary: str,
    follow_up_actions: str = "",
) -> StakeholderMeetingNote:
    if not (actor.is_superuser or program.pk in actor.program_ids_with_role("coordinator")):
        raise DomainError(_("Only the program's coordinators record stakeholder meetings."))
    if met_on > timezone.localdate():
        raise DomainError(_("The meeting date cannot be in the future."), field="met_on")
    roles = [role for role in attendee_roles if role in StakeholderMeetingNote.Role.values]
    if not roles or len(roles) != len(attendee_roles):
        raise DomainError(_("Choose who took part from the list."), field="attendee_roles")
    if not (summary or "").strip():
        raise DomainError(_("Write what you heard."), field="summary")
    return StakeholderMeetingNote.objects.create(
        program=program,
        met_on=met_on,
        attendee_roles=roles,
        summary=summary.strip(),
        follow_up_actions=(follow_up_actions or "").strip(),
        recorded_by=actor,
    )
