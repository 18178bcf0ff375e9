"""Evaluation's models: outcome measures (`measures`) and periodic reports (`reports`)."""

from evaluation.models.measures import (
    Administration,
    MeasureLink,
    MeasureSchedule,
    Response,
    Timepoint,
)
from evaluation.models.reports import (
    EvaluationReport,
    ReportComment,
    StakeholderInvitation,
    StakeholderLink,
    StakeholderMeetingNote,
    StakeholderResponse,
)

__all__ = [
    "Administration",
    "EvaluationReport",
    "MeasureLink",
    "MeasureSchedule",
    "ReportComment",
    "Response",
    "StakeholderInvitation",
    "StakeholderLink",
    "StakeholderMeetingNote",
    "StakeholderResponse",
    "Timepoint",
]
