"""State changes about people, programs and what they agreed to, one module per area.

Each function is keyword-only, runs in one transaction, checks who may do it and raises
``DomainError`` with a message a person can read. Views, tasks, imports, the admin and the
demo data all go through these. Import them from here: ``from accounts import services``.
"""

from accounts.services.care import (
    add_goal,
    may_change_goals,
    may_revoke_consent,
    record_consent,
    record_goal_progress,
    revoke_consent,
    set_goal_step_done,
    update_goal,
)
from accounts.services.disclosures import (
    REDISCLOSURE_NOTICE,
    accounting_of_disclosures,
    covering_consent,
    disclose,
    record_disclosure,
    record_export,
)
from accounts.services.errors import DomainError
from accounts.services.outbox import queue_notification
from accounts.services.people import (
    create_mentor,
    register_mentee,
    update_mentee_profile,
    update_mentor_profile,
    update_my_settings,
)

__all__ = [
    "DomainError",
    "REDISCLOSURE_NOTICE",
    "accounting_of_disclosures",
    "covering_consent",
    "disclose",
    "record_disclosure",
    "record_export",
    "add_goal",
    "may_change_goals",
    "may_revoke_consent",
    "record_consent",
    "record_goal_progress",
    "revoke_consent",
    "set_goal_step_done",
    "update_goal",
    "create_mentor",
    "queue_notification",
    "register_mentee",
    "update_mentee_profile",
    "update_mentor_profile",
    "update_my_settings",
]
