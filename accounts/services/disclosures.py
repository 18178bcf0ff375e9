"""Disclosures under 42 CFR Part 2: nothing leaves the program without a current consent.

A disclosure is any release of a mentee's identifiable information to someone outside the
program's own staff: a case manager reading the mentee's progress, an export or report with
identifiable records. Every such path calls ``disclose`` (or ``ensure_consent_covers`` and then
``record_disclosure``), which

- finds the current consent (``Consent.objects.current()``: not revoked, not expired) of the
  right kind for that recipient, or refuses with a ``DomainError``; a revocation therefore
  blocks the very next request;
- writes a ``Disclosure`` row (the accounting of disclosures) and an audit event;
- leaves it to the caller to attach ``REDISCLOSURE_NOTICE`` to what is disclosed: the template
  include ``accounts/_redisclosure_notice.html`` on pages, the plain-text constant in files.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditEvent, Consent, Disclosure, MenteeProfile, User
from accounts.services.errors import DomainError

# 42 CFR 2.32(a)(1), "Statement 1", as amended by the final rule of 16 February 2024
# (89 FR 12472). Every disclosure made with the patient's written consent must carry it.
# The wording is the regulation's own and stays in English in every language of the interface.
REDISCLOSURE_NOTICE = (
    "This record which has been disclosed to you is protected by Federal confidentiality "
    "rules (42 CFR part 2). These rules prohibit you from using or disclosing this record, "
    "or testimony that describes the information contained in this record, in any civil, "
    "criminal, administrative, or legislative proceedings by any Federal, State, or local "
    "authority, against the patient, unless authorized by the consent of the patient, except "
    "as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with "
    "42 CFR 2.64 or 2.65. In addition, the Federal rules prohibit you from making any other "
    "use or disclosure of this record unless at least one of the following applies: "
    "(i) Further use or disclosure is expressly permitted by the written consent of the "
    "individual whose information is being disclosed in this record or as otherwise "
    "permitted by 42 CFR part 2. (ii) You are a covered entity or business associate and "
    "have received the record for treatment, payment, or health care operations, or "
    "(iii) You have received the record from a covered entity or business associate as "
    "permitted by 45 CFR part 164, subparts A and E. A general authorization for the release "
    "of medical or other information is NOT sufficient to meet the required elements of "
    "written consent to further use or redisclose the record (see 42 CFR 2.31)."
)
REDISCLOSURE_HEADING = gettext_lazy("Prohibition on redisclosure (42 CFR 2.32)")

# The accounting of disclosures covers the last three years (42 CFR 2.24).
ACCOUNTING_PERIOD = datetime.timedelta(days=3 * 365)


def covering_consent(*, mentee: MenteeProfile, kind: str, recipient: User | None) -> Consent:
    """The current consent of ``kind`` that lets ``recipient`` receive the mentee's records.

    A consent naming a person (``Consent.recipient``) covers that person only; a consent
    naming an organisation (no login) covers exports to it, with ``recipient=None``.
    """
    consents = Consent.objects.current().filter(mentee=mentee, kind=kind)
    if recipient is not None:
        consents = consents.filter(recipient=recipient)
    consent = consents.order_by("-given_on", "-pk").first()
    if consent is None:
        raise DomainError(
            _(
                "%(name)s has no current consent to share this. Nothing was shared; a new "
                "consent has to be recorded first."
            )
            % {"name": mentee.user.display_name}
        )
    return consent


@transaction.atomic
def record_disclosure(
    *,
    consent: Consent,
    information: str,
    disclosed_by: User | None,
    recipient: User | None = None,
    recipient_name: str = "",
    purpose: str = "",
) -> Disclosure:
    """Record that ``information`` was released under ``consent``.

    The consent is read again inside the transaction, so a consent revoked a moment ago
    refuses here too. Recipient and purpose default to the consent's.
    """
    if not Consent.objects.current().filter(pk=consent.pk).exists():
        raise DomainError(_("This consent has been revoked or has expired. Nothing was shared."))
    recipient = recipient or consent.recipient
    disclosure = Disclosure.objects.create(
        consent=consent,
        mentee_id=consent.mentee_id,
        recipient=recipient,
        recipient_name=(
            recipient_name
            or consent.recipient_name
            or (recipient.display_name if recipient else "")
        )[:200],
        information=information[:300],
        purpose=(purpose or consent.purpose or consent.get_kind_display())[:300],
        disclosed_by=disclosed_by,
    )
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.DISCLOSURE,
        actor=disclosed_by,
        subject_user_id=consent.mentee.user_id,
        program_id=consent.mentee.program_id,
        object_type="accounts.disclosure",
        object_id=str(disclosure.pk),
        detail=disclosure.information,
    )
    return disclosure


def disclose(
    *,
    mentee: MenteeProfile,
    kind: str,
    information: str,
    disclosed_by: User | None,
    recipient: User | None = None,
) -> Disclosure:
    """Check that a current consent covers the release, and record it; refuses otherwise."""
    consent = covering_consent(mentee=mentee, kind=kind, recipient=recipient)
    return record_disclosure(
        consent=consent, information=information, disclosed_by=disclosed_by, recipient=recipient
    )


def record_export(
    *,
    actor: User,
    what: str,
    program_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Write an audit event for a file or report leaving the application."""
    return AuditEvent.objects.create(
        kind=AuditEvent.Kind.EXPORT,
        actor=actor,
        program_id=program_id,
        object_type=object_type,
        object_id=str(object_id),
        detail=what[:500],
    )


def accounting_of_disclosures(mentee: MenteeProfile):
    """The mentee's disclosures of the last three years, newest first."""
    since = timezone.now() - ACCOUNTING_PERIOD
    return mentee.disclosures.filter(disclosed_at__gte=since).select_related(
        "recipient", "disclosed_by"
    )
