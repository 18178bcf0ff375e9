"""Supervision meetings for the mentor pathway's cadence (registered in ``apps.py`` into
``accounts.pathway.selectors.SUPERVISION_DATES``): the pathway compares them with the
program's cadence to flag overdue meetings."""

import datetime
from collections.abc import Iterable

from sessions.models import SupervisionMeeting


def supervision_dates(mentor_ids: Iterable[int]) -> dict[int, list[datetime.date]]:
    dates: dict[int, list[datetime.date]] = {}
    for mentor_id, met_on in (
        SupervisionMeeting.objects.filter(mentor_id__in=list(mentor_ids))
        .order_by("met_on")
        .values_list("mentor_id", "met_on")
    ):
        dates.setdefault(mentor_id, []).append(met_on)
    return dates
