"""State changes of sessions, feedback, safety alerts and supervision, one module per area.
Import from here: ``from sessions import services``."""

from accounts.services import DomainError
from sessions.services.feedback import (
    feedback_link_url,
    find_feedback_link,
    invite_feedback,
    issue_feedback_link,
    may_give_feedback,
    submit_feedback,
)
from sessions.services.groups import (
    create_group_session,
    update_group_attendance,
    update_group_session,
)
from sessions.services.logs import (
    AlreadyLogged,
    cancel_session,
    log_session,
    log_unscheduled_session,
    may_log,
    may_schedule,
    reschedule_session,
    schedule_session,
)
from sessions.services.resources import (
    create_resource,
    record_referral_follow_up,
    update_resource,
)
from sessions.services.safety import (
    acknowledge_alert,
    add_alert_note,
    escalate_alert,
    escalate_overdue_alerts,
    program_supervisors,
    raise_safety_alert,
    record_contact_attempt,
    resolve_alert,
    save_crisis_settings,
)
from sessions.services.supervision import (
    mark_log_reviewed,
    mark_note_read,
    record_supervision_meeting,
    supervises,
    write_supervisor_note,
)

__all__ = [
    "create_group_session",
    "create_resource",
    "record_referral_follow_up",
    "update_group_attendance",
    "update_group_session",
    "update_resource",
    "DomainError",
    "AlreadyLogged",
    "cancel_session",
    "log_session",
    "log_unscheduled_session",
    "may_log",
    "may_schedule",
    "reschedule_session",
    "schedule_session",
    "acknowledge_alert",
    "add_alert_note",
    "escalate_alert",
    "escalate_overdue_alerts",
    "record_contact_attempt",
    "save_crisis_settings",
    "feedback_link_url",
    "find_feedback_link",
    "invite_feedback",
    "issue_feedback_link",
    "mark_log_reviewed",
    "mark_note_read",
    "may_give_feedback",
    "program_supervisors",
    "raise_safety_alert",
    "record_supervision_meeting",
    "resolve_alert",
    "submit_feedback",
    "supervises",
    "write_supervisor_note",
]
