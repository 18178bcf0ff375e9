"""Matching's rules for the notifications outbox (registered in ``MatchingConfig.ready``)."""

from accounts.models import Notification
from matching.models import Match


def awaiting_approval_still_relevant(notification: Notification) -> bool:
    """ "Please approve this match" means nothing once the match is decided or withdrawn."""
    match = notification.subject
    return match is not None and match.status == Match.Status.PROPOSED
