"""State changes of evaluation, one module per area. Import from here:
``from evaluation import services``."""

from accounts.services import DomainError
from evaluation.services.measures import (
    create_administration,
    find_measure_link,
    issue_measure_link,
    mark_missed_administrations,
    may_administer,
    may_answer,
    measure_link_url,
    save_draft_answer,
    schedule_closure_measures,
    schedule_match_measures,
    submit_administration,
)

__all__ = [
    "DomainError",
    "create_administration",
    "find_measure_link",
    "issue_measure_link",
    "mark_missed_administrations",
    "may_administer",
    "may_answer",
    "measure_link_url",
    "save_draft_answer",
    "schedule_closure_measures",
    "schedule_match_measures",
    "submit_administration",
]
