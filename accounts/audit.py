"""The audit trail: django-auditlog records every change to the domain models, and
``record_read`` writes an "access" entry when someone opens a sensitive record.

Sign-ins, failed sign-ins, sign-outs, refused requests (``accounts.middleware_privacy``),
exports and disclosures are ``AuditEvent`` rows written by ``record_event``. Both tables are
append-only on PostgreSQL and sealed in batches by ``accounts.audit_chain``."""

import ipaddress

from auditlog.registry import auditlog
from auditlog.signals import accessed
from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

# Every domain model; a change to any of them is written to the audit log with the actor
# taken from the request (auditlog's middleware) or from the calling service.
AUDITED_MODELS = {
    "accounts": [
        "User",
        "Center",
        "Program",
        "Membership",
        "MentorProfile",
        "MenteeProfile",
        "Consent",
        "Goal",
        "GoalStep",
        "GoalProgress",
        "LifeGoalArea",
        "LivedExperience",
        "Interest",
        "Language",
    ],
    "matching": [
        "MatchingSettings",
        "Checklist",
        "ChecklistQuestion",
        "Interview",
        "InterviewAnswer",
        "DoNotMatch",
        "ConflictOfInterest",
        "Match",
        "MatchEvent",
        "CohortRun",
        "DraftProposal",
        "SupportContact",
    ],
    "mentoring_sessions": [
        "Topic",
        "Resource",
        "MentoringSession",
        "Referral",
        "GroupSession",
        "GroupAttendance",
        "SessionFeedback",
        "SafetyAlert",
        "SafetyAlertNote",
        "ContactAttempt",
        "CrisisSettings",
        "SupervisionMeeting",
        "SupervisorNote",
    ],
}
AUDIT_EXCLUDED_FIELDS = {"User": ["password", "last_login"]}
# Free-text notes and answers: the log records that they changed, never what they say.
AUDIT_MASKED_FIELDS = {
    "MentoringSession": ["private_notes", "summary"],
    "SessionFeedback": ["comment"],
    "SupportContact": ["concerns"],
    "Interview": ["notes"],
    "InterviewAnswer": ["value"],
    "SupervisionMeeting": ["topics", "agreed_actions"],
    "SupervisorNote": ["text"],
    "SafetyAlertNote": ["text"],
    "ContactAttempt": ["note"],
}


def register_models() -> None:
    for app_label, names in AUDITED_MODELS.items():
        for name in names:
            model = apps.get_model(app_label, name)
            if not auditlog.contains(model):
                auditlog.register(
                    model,
                    exclude_fields=AUDIT_EXCLUDED_FIELDS.get(name, []),
                    mask_fields=AUDIT_MASKED_FIELDS.get(name, []),
                    m2m_fields=_m2m_names(model),
                )


def _m2m_names(model) -> set[str]:
    return {field.name for field in model._meta.many_to_many}


def record_read(instance) -> None:
    """Write an audit entry saying the current user opened ``instance``."""
    accessed.send(sender=instance.__class__, instance=instance)


def mask_completely(value: str) -> str:
    """Masked fields appear in the audit log as "changed", never with their text."""
    return "[hidden]"


# --- Events that are not changes to a model: sign-ins, refusals, exports ------------------


def _remote_addr(request) -> str | None:
    address = (request.META.get("REMOTE_ADDR") or "") if request is not None else ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def record_event(kind: str, *, request=None, actor=None, **fields):
    """Append one ``AuditEvent``; ``actor`` defaults to the request's signed-in person."""
    from accounts.models import AuditEvent

    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.create(
        kind=kind, actor=actor, remote_addr=_remote_addr(request), **fields
    )


@receiver(user_logged_in, dispatch_uid="audit_login")
def _audit_login(sender, request, user, **kwargs):
    record_event("login", request=request, actor=user, subject_user=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event("logout", request=request, actor=user, subject_user=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    """Record the account name that was tried; never the password (Django has already masked
    it in ``credentials``, and only the user-name field is read here)."""
    from accounts.models import User

    tried = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")
    # The account tried, when there is one, so that a search by person finds the attempts.
    account = User.objects.filter(email__iexact=tried).first() if tried else None
    record_event(
        "login_failed", request=request, actor=None, subject_user=account, username=tried[:254]
    )
