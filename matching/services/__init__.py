"""State changes of the matching workflow, one module per area. Import from here:
``from matching import services``."""

from matching.services.cohort import (
    decide_draft,
    publish_cohort,
    rerun_cohort,
    run_cohort,
    update_matching_weights,
)
from matching.services.interviews import (
    current_checklist,
    record_interview,
    save_checklist,
)
from matching.services.lifecycle import (
    approve_match,
    close_match,
    decline_match,
    pause_match,
    propose_match,
    resume_match,
    start_match,
    start_rematch,
    withdraw_match,
)
from matching.services.support import log_support_contact

__all__ = [
    "current_checklist",
    "record_interview",
    "save_checklist",
    "approve_match",
    "close_match",
    "decide_draft",
    "decline_match",
    "pause_match",
    "propose_match",
    "publish_cohort",
    "rerun_cohort",
    "resume_match",
    "run_cohort",
    "start_match",
    "start_rematch",
    "update_matching_weights",
    "withdraw_match",
    "log_support_contact",
]
