"""The audit trail: django-auditlog records every change to the domain models, and
``record_read`` writes an "access" entry when someone opens a sensitive record."""

from auditlog.registry import auditlog
from auditlog.signals import accessed
from django.apps import apps

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
