"""Match support: coordinators' check-ins with the mentor and the mentee of each match, and the
cadence that says when the next one is due.

The cadence follows the mentoring field's standard practice (contact with both the mentor and
the mentee twice in the first month of a match, monthly after that) and is set per program in
``MatchingSettings``: ``contacts_first_month`` check-ins evenly spaced over the first 30 days
(by default due by day 15 and day 30), then one every ``contact_interval_days`` after the last.

The mentor and the mentee each have their own schedule: a check-in "with both together"
counts for both. A party is overdue once the day their next check-in was due has passed.
Only active matches are on the schedule; a paused match waits until it resumes.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import DomainError, queue_notification
from matching.models import Match, MatchingSettings, SupportContact

FIRST_MONTH_DAYS = 30
# Check-ins with this party count for it.
COUNTS_FOR = {
    "mentor": (SupportContact.With.MENTOR, SupportContact.With.BOTH),
    "mentee": (SupportContact.With.MENTEE, SupportContact.With.BOTH),
}
# A relationship rated this low is brought to the supervisors' attention.
LOW_HEALTH = 2


@dataclass(frozen=True)
class Cadence:
    first_month: int = MatchingSettings._meta.get_field("contacts_first_month").default
    interval_days: int = MatchingSettings._meta.get_field("contact_interval_days").default

    @classmethod
    def of(cls, settings: MatchingSettings | None) -> "Cadence":
        if settings is None:
            return cls()
        return cls(settings.contacts_first_month, settings.contact_interval_days)

    def first_month_due_days(self) -> list[int]:
        """Days after the start by which each first-month check-in is due (2 → 15, 30)."""
        return [FIRST_MONTH_DAYS * k // self.first_month for k in range(1, self.first_month + 1)]


def next_contact_due(
    *,
    started_on: datetime.date,
    first_month_contacts: int,
    last_contact: datetime.date | None,
    cadence: Cadence,
) -> datetime.date:
    """When the next check-in with one party is due.

    ``first_month_contacts`` counts that party's check-ins in the first 30 days of the match
    (days 0–29) and ``last_contact`` is the date of their latest one.
    """
    in_first_month = last_contact is None or (last_contact - started_on).days < FIRST_MONTH_DAYS
    if cadence.first_month and in_first_month and first_month_contacts < cadence.first_month:
        done_on = -1 if last_contact is None else (last_contact - started_on).days
        # The next scheduled check-in after the ones done, and after the last one: a late
        # check-in does not leave the match overdue the moment it is logged.
        for day in cadence.first_month_due_days()[first_month_contacts:]:
            if day > done_on:
                return started_on + datetime.timedelta(days=day)
    return (last_contact or started_on) + datetime.timedelta(days=cadence.interval_days)


@dataclass(frozen=True)
class SupportSchedule:
    """Where one match stands with its check-ins."""

    last_contact: datetime.date | None = None
    due: dict[str, datetime.date] = field(default_factory=dict)  # party -> next due date
    today: datetime.date | None = None

    @property
    def next_due(self) -> datetime.date | None:
        return min(self.due.values()) if self.due else None

    @property
    def overdue_with(self) -> list[str]:
        """The parties whose check-in is overdue ("mentor", "mentee")."""
        return [party for party, day in self.due.items() if day < self.today]

    @property
    def is_overdue(self) -> bool:
        return bool(self.overdue_with)

    @property
    def days_overdue(self) -> int:
        return (self.today - self.next_due).days if self.is_overdue else 0


def schedule_for(
    match: Match,
    *,
    facts: dict[str, tuple[int, datetime.date | None]],
    last_contact: datetime.date | None,
    cadence: Cadence,
    today: datetime.date | None = None,
) -> SupportSchedule:
    """The schedule of a match from its check-in facts per party:
    ``{"mentor": (first-month count, last date), "mentee": (...)}``."""
    today = today or timezone.localdate()
    if match.status != Match.Status.ACTIVE or match.started_on is None:
        return SupportSchedule(last_contact=last_contact, today=today)
    due = {
        party: next_contact_due(
            started_on=match.started_on,
            first_month_contacts=count,
            last_contact=last,
            cadence=cadence,
        )
        for party, (count, last) in facts.items()
    }
    return SupportSchedule(last_contact=last_contact, due=due, today=today)


def facts_from_contacts(
    match: Match, contacts: Iterable[SupportContact]
) -> dict[str, tuple[int, datetime.date | None]]:
    """Per-party facts from loaded check-ins (the selectors compute the same in SQL)."""
    facts = {}
    for party, kinds in COUNTS_FOR.items():
        dates = [c.contact_date for c in contacts if c.with_whom in kinds]
        in_first_month = [
            d for d in dates if match.started_on and (d - match.started_on).days < FIRST_MONTH_DAYS
        ]
        facts[party] = (len(in_first_month), max(dates, default=None))
    return facts


@transaction.atomic
def log_support_contact(
    *,
    actor: User,
    match: Match,
    contact_date: datetime.date,
    with_whom: str,
    method: str,
    relationship_health: int,
    concerns: str = "",
    follow_up_needed: bool = False,
) -> SupportContact:
    """Record a coordinator's check-in about an active or paused match. A relationship rated
    2 or lower is brought to the program's supervisors."""
    if not (actor.is_superuser or match.program_id in actor.program_ids_with_role("coordinator")):
        raise DomainError(_("Only a coordinator of the program can log a check-in."))
    match = Match.objects.select_related("mentee__user", "mentor__user").get(pk=match.pk)
    if match.status not in (Match.Status.ACTIVE, Match.Status.PAUSED):
        raise DomainError(
            _("Check-ins are logged for active or paused matches; this one is %(status)s.")
            % {"status": match.get_status_display().lower()}
        )
    if with_whom not in SupportContact.With.values:
        raise DomainError(_("Choose who the check-in was with."), field="with_whom")
    if method not in SupportContact.Method.values:
        raise DomainError(_("Choose how the check-in happened."), field="method")
    if contact_date is None:
        raise DomainError(_("Give the date of the check-in."), field="contact_date")
    if contact_date > timezone.localdate():
        raise DomainError(_("A check-in cannot be in the future."), field="contact_date")
    if match.started_on and contact_date < match.started_on:
        raise DomainError(
            _("A check-in cannot be before the match started (%(date)s).")
            % {"date": match.started_on.isoformat()},
            field="contact_date",
        )
    if relationship_health not in range(1, 6):
        raise DomainError(
            _("Rate how the relationship is going from 1 to 5."), field="relationship_health"
        )
    concerns = concerns.strip()
    if len(concerns) > SupportContact._meta.get_field("concerns").max_length:
        raise DomainError(_("Please keep the concerns shorter."), field="concerns")
    contact = SupportContact.objects.create(
        match=match,
        contact_date=contact_date,
        with_whom=with_whom,
        method=method,
        relationship_health=relationship_health,
        concerns=concerns,
        follow_up_needed=follow_up_needed,
        recorded_by=actor,
    )
    if relationship_health <= LOW_HEALTH:
        supervisors = User.objects.filter(
            memberships__program_id=match.program_id,
            memberships__role="supervisor",
            memberships__is_active=True,
            is_active=True,
        ).distinct()
        for supervisor in supervisors:
            queue_notification(
                recipient=supervisor,
                kind="match_support_concern",
                subject=match,
                key=f"support-concern:{contact.pk}",
            )
    return contact
