"""Group sessions: support groups, workshops and community events, with their facilitating
mentors and attendance.

The program's coordinators and supervisors plan a group session and choose its facilitators
among the program's mentors; staff and the facilitators keep its details and attendance (who
is expected, who came). Only mentees of the group's program can be on its list.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import MenteeProfile, MentorProfile, Program, User
from accounts.services.errors import DomainError
from accounts.services.people import ensure_staff
from sessions.models import GroupAttendance, GroupSession
from sessions.selectors import is_program_staff, may_manage_group
from sessions.services.resources import validation_to_domain

GROUP_FIELDS = ("kind", "title", "topic", "starts_at", "duration_minutes", "place", "notes")
MARKED = (GroupAttendance.Status.ATTENDED, GroupAttendance.Status.ABSENT)


def attendance_open(group: GroupSession) -> bool:
    """Who came can be marked once the group session has started."""
    return group.starts_at <= timezone.now()


def _ensure_may_manage(actor: User, group: GroupSession) -> None:
    if not may_manage_group(actor, group):
        raise DomainError(
            _("Only the program's staff and the group's facilitators can change this group.")
        )


def _check_facilitators(
    program: Program, facilitators: list[MentorProfile], keep: Iterable[int] = ()
) -> None:
    if not facilitators:
        raise DomainError(_("Choose at least one facilitating mentor."), field="facilitators")
    keep = set(keep)
    for mentor in facilitators:
        if mentor.program_id != program.pk:
            raise DomainError(
                _("%(name)s is not a mentor in %(program)s.")
                % {"name": mentor.user.display_name, "program": program.name},
                field="facilitators",
            )
        if mentor.status != MentorProfile.Status.ACTIVE and mentor.pk not in keep:
            raise DomainError(
                _("%(name)s is not an active mentor just now.")
                % {"name": mentor.user.display_name},
                field="facilitators",
            )


def _apply_group(group: GroupSession, fields: dict) -> None:
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise DomainError(f"Unknown group session fields: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(group, name, value.strip() if isinstance(value, str) else value)
    try:
        group.full_clean(exclude=["program", "created_by"])
    except ValidationError as error:
        raise validation_to_domain(error) from None
    group.save()


@transaction.atomic
def create_group_session(
    *,
    actor: User,
    program: Program,
    fields: dict,
    facilitators: Iterable[MentorProfile],
) -> GroupSession:
    """Plan a group session in the program (coordinators and supervisors)."""
    ensure_staff(actor, program)
    facilitators = list(facilitators)
    _check_facilitators(program, facilitators)
    group = GroupSession(program=program, created_by=actor)
    _apply_group(group, fields)
    group.facilitators.set(facilitators)
    return group


@transaction.atomic
def update_group_session(
    *,
    actor: User,
    group: GroupSession,
    fields: dict,
    facilitators: Iterable[MentorProfile] | None = None,
) -> GroupSession:
    """Change a group session's details. Staff and its facilitators may; only staff choose
    who facilitates."""
    _ensure_may_manage(actor, group)
    if facilitators is not None:
        if not is_program_staff(actor, group.program_id):
            raise DomainError(
                _("Only the program's staff can choose the facilitators."), field="facilitators"
            )
        facilitators = list(facilitators)
        current = set(group.facilitators.values_list("pk", flat=True))
        _check_facilitators(group.program, facilitators, keep=current)
    _apply_group(group, fields)
    if facilitators is not None:
        group.facilitators.set(facilitators)
    return group


@transaction.atomic
def update_group_attendance(
    *,
    actor: User,
    group: GroupSession,
    statuses: dict[int, str] | None = None,
    remove: Iterable[int] = (),
    add: Iterable[MenteeProfile] = (),
) -> dict[str, int]:
    """Mark who came, take people off the list and add mentees of the program, at once.
    Staff add any of the program's mentees; a facilitating mentor their own.

    ``statuses`` maps attendance ids to a ``GroupAttendance.Status``; attended and absent can
    be marked once the group has started. Added mentees are expected. Returns the counts of
    marked, removed and added people.
    """
    _ensure_may_manage(actor, group)
    rows = {row.pk: row for row in GroupAttendance.objects.filter(group_session=group)}
    statuses = statuses or {}
    remove = set(remove)
    unknown = (set(statuses) | remove) - set(rows)
    if unknown:
        raise DomainError(_("Some of these people are not on this group's list."))
    if any(status in MARKED for status in statuses.values()) and not attendance_open(group):
        raise DomainError(
            _("Who came can be marked once the group session has started."), field="statuses"
        )
    if any(status not in GroupAttendance.Status.values for status in statuses.values()):
        raise DomainError(_("Choose attended, absent or expected."), field="statuses")

    add = list(add)
    on_list = {row.mentee_id for row in rows.values()}
    reachable = None
    if add and not is_program_staff(actor, group.program_id):
        # A facilitating mentor adds their own mentees only.
        reachable = set(
            MenteeProfile.objects.visible_to(actor)
            .filter(pk__in=[m.pk for m in add])
            .values_list("pk", flat=True)
        )
    for mentee in add:
        if reachable is not None and mentee.pk not in reachable and mentee.pk not in on_list:
            raise DomainError(
                _("Facilitators add their own mentees; ask the program's staff to add others."),
                field="add",
            )
        if mentee.program_id != group.program_id:
            raise DomainError(
                _("%(name)s is not a mentee in %(program)s.")
                % {"name": mentee.user.display_name, "program": group.program.name},
                field="add",
            )
        if mentee.status == MenteeProfile.Status.EXITED:
            raise DomainError(
                _("%(name)s has left the program.") % {"name": mentee.user.display_name},
                field="add",
            )

    changed = []
    for pk, status in statuses.items():
        row = rows[pk]
        if pk not in remove and row.status != status:
            row.status = status
            changed.append(row)
    for row in changed:
        row.save(update_fields=["status"])  # one by one, so that each is in the audit log
    for pk in remove:
        rows[pk].delete()
    added = 0
    for mentee in add:
        if mentee.pk not in on_list:
            GroupAttendance.objects.create(group_session=group, mentee=mentee)
            on_list.add(mentee.pk)
            added += 1
    return {"marked": len(changed), "removed": len(remove), "added": added}
