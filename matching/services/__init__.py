"""State changes of the matching workflow, one module per area. Import from here:
``from matching import services``."""

from matching.services.lifecycle import (
    approve_match,
    close_match,
    decline_match,
    pause_match,
    propose_match,
    resume_match,
    start_match,
    withdraw_match,
)

__all__ = [
    "approve_match",
    "close_match",
    "decline_match",
    "pause_match",
    "propose_match",
    "resume_match",
    "start_match",
    "withdraw_match",
]
