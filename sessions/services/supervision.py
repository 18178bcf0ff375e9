"""Supervision: supervisors review mentors' session logs, record supervision meetings and
write notes for a mentor; the mentor reads what is addressed to them.

Only the supervisors of the mentor's program (and administrators) review, record and write;
only the mentor a note is addressed to marks it read.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import MentorProfile, User
from accounts.services import DomainError, queue_notification
from sessions.models import MentoringSession, SupervisionMeeting, SupervisorNote


def supervises(user: User, program_id: int) -> bool:
    """Whether the user is a supervisor of the program (or an administrator)."""
    return user.is_authenticated and (
        user.is_superuser or program_id in user.program_ids_with_role("supervisor")
    )


def _ensure_supervisor(actor: User, program_id: int, doing) -> None:
    if not supervises(actor, program_id):
        raise DomainError(_("Only a supervisor of the program can %(doing)s.") % {"doing": doing})


@transaction.atomic
def mark_log_reviewed(*, actor: User, session: MentoringSession) -> MentoringSession:
    """Record that a supervisor has read this session log. Marking it again keeps the first
    review (who and when)."""
    _ensure_supervisor(actor, session.match.program_id, _("review session logs"))
    session = MentoringSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if session.logged_at is None:
        raise DomainError(_("This session has not been logged yet, so there is nothing to review."))
    if session.reviewed_at is None:
        session.reviewed_at = timezone.now()
        session.reviewed_by = actor
        session.save(update_fields=["reviewed_at", "reviewed_by", "updated_at"])
    return session


@transaction.atomic
def record_supervision_meeting(
    *,
    actor: User,
    mentor: MentorProfile,
    met_on: datetime.date,
    topics: str,
    agreed_actions: str = "",
    next_on: datetime.date | None = None,
) -> SupervisionMeeting:
    """A supervision meeting with a mentor: when, what was discussed, what was agreed and
    when the next one is. The mentor sees it on their supervision page."""
    _ensure_supervisor(actor, mentor.program_id, _("record supervision meetings"))
    if met_on > timezone.localdate():
        raise DomainError(_("The meeting date cannot be in the future."), field="met_on")
    if next_on is not None and next_on <= met_on:
        raise DomainError(_("The next meeting must come after this one."), field="next_on")
    topics = (topics or "").strip()
    if not topics:
        raise DomainError(_("Write what you talked about."), field="topics")
    return SupervisionMeeting.objects.create(
        program_id=mentor.program_id,
        mentor=mentor,
        supervisor=actor,
        met_on=met_on,
        topics=topics,
        agreed_actions=(agreed_actions or "").strip(),
        next_on=next_on,
    )


@transaction.atomic
def write_supervisor_note(
    *,
    actor: User,
    mentor: MentorProfile,
    text: str,
    session: MentoringSession | None = None,
) -> SupervisorNote:
    """A note for the mentor, optionally about one of their session logs. The mentor is told
    that a note waits (the notification never carries its text)."""
    _ensure_supervisor(actor, mentor.program_id, _("write notes for mentors"))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the note."), field="text")
    if session is not None and (
        session.match.mentor_id != mentor.pk or session.match.program_id != mentor.program_id
    ):
        raise DomainError(_("Choose one of this mentor's sessions."), field="session")
    note = SupervisorNote.objects.create(mentor=mentor, author=actor, session=session, text=text)
    queue_notification(
        recipient=mentor.user,
        kind="supervisor_note",
        subject=note,
        key=f"supervisor-note:{note.pk}",
    )
    return note


@transaction.atomic
def mark_note_read(*, actor: User, note: SupervisorNote) -> SupervisorNote:
    """The mentor the note is addressed to has read it (the first reading counts)."""
    if note.mentor.user_id != actor.pk:
        raise DomainError(_("Only the mentor this note is for can mark it read."))
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return note
