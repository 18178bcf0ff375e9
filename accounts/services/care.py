"""What a mentee agreed to, and the personal goals they work on.

Consents are recorded by the program's staff and revoked by staff or by the mentee
themself; a revocation takes effect on the very next request, because every read of
"who may see this mentee" goes through ``Consent.objects.current()``.

Goals are the mentee's plan in their own words. The mentee, their current mentor and the
program's staff keep them up to date; a case manager with a sharing consent reads them only.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import (
    DISCLOSURE_KINDS,
    Consent,
    Goal,
    GoalProgress,
    GoalStep,
    LifeGoalArea,
    Membership,
    MenteeProfile,
    User,
    validate_not_future,
)
from accounts.scoping import mentee_access
from accounts.services.errors import DomainError
from accounts.services.people import _validation_to_domain, ensure_staff

# The same goal submitted again within this window is taken for a double submit.
DUPLICATE_GOAL_WINDOW = datetime.timedelta(minutes=1)
MAX_GOAL_STEPS = 20
GOAL_EDITOR_ACCESS = frozenset({"staff", "self", "mentor"})


# --- Who may -----------------------------------------------------------------------------


def may_revoke_consent(actor: User, consent: Consent) -> bool:
    """Staff of the mentee's program, or the mentee themself (their right to revoke)."""
    return mentee_access(actor, consent.mentee) in {"staff", "self"}


def may_change_goals(actor: User, mentee: MenteeProfile) -> bool:
    """The mentee, their current mentor and the program's staff; never a case manager."""
    return mentee_access(actor, mentee) in GOAL_EDITOR_ACCESS


def _ensure_may_change_goals(actor: User, mentee: MenteeProfile) -> None:
    if not may_change_goals(actor, mentee):
        raise DomainError(
            _("Only the mentee, their mentor and the program's staff can change these goals.")
        )


# --- Consents ----------------------------------------------------------------------------


@transaction.atomic
def record_consent(
    *,
    actor: User,
    mentee: MenteeProfile,
    kind: str,
    given_on: datetime.date,
    text_version: str,
    recipient: User | None = None,
    discloser: str = "",
    information: str = "",
    recipient_name: str = "",
    purpose: str = "",
    expires_on: datetime.date | None = None,
    expiry_event: str = "",
    revocation_acknowledged: bool = False,
    signature_name: str = "",
    signed_on: datetime.date | None = None,
) -> Consent:
    """Record a consent the mentee gave, under the consent text version they were shown.

    A consent to share progress names the person it is shared with: the mentee's case
    manager unless ``recipient`` says otherwise; that person gets the case-manager role in
    the program (as when the mentee is registered) so that the sharing takes effect. Only one
    current consent of a kind (and recipient) is kept; to record a new version, revoke first.
    An expired consent is closed (``revoked_at`` set) when a new one replaces it.

    A consent to disclose (``DISCLOSURE_KINDS``) must carry every element 42 CFR 2.31
    requires: who may disclose (the program, by default), what information, to whom, the
    purpose, an expiry date or event, the acknowledged right to revoke and the mentee's
    electronic signature (name typed, date signed).
    """
    ensure_staff(actor, mentee.program)
    if kind not in Consent.Kind.values:
        raise DomainError(_("Choose what the mentee agreed to from the list."), field="kind")
    if kind == Consent.Kind.SHARE_WITH_CASE_MANAGER:
        recipient = recipient or mentee.case_manager
        if recipient is None:
            raise DomainError(
                _(
                    "%(name)s has no case manager on their profile. Name the case manager "
                    "before recording consent to share with them."
                )
                % {"name": mentee.user.display_name},
                field="kind",
            )
    elif recipient is not None:
        raise DomainError(_("Only a consent to share names a person to share with."))

    consent = Consent(
        mentee=mentee,
        kind=kind,
        recipient=recipient,
        given_on=given_on,
        text_version=(text_version or "").strip(),
        recorded_by=actor,
    )
    if kind in DISCLOSURE_KINDS:
        _set_disclosure_elements(
            consent,
            discloser=discloser,
            information=information,
            recipient_name=recipient_name,
            purpose=purpose,
            expires_on=expires_on,
            expiry_event=expiry_event,
            revocation_acknowledged=revocation_acknowledged,
            signature_name=signature_name,
            signed_on=signed_on,
        )

    same = Consent.objects.filter(
        mentee=mentee, kind=kind, recipient=recipient, revoked_at__isnull=True
    )
    existing = same.filter(pk__in=Consent.objects.current().values("pk"))
    if existing.exists():
        raise DomainError(_already_current_message(existing.first()), field="kind")
    for lapsed in same.select_for_update():
        lapsed.revoked_at, lapsed.revoked_by = timezone.now(), actor
        lapsed.save(update_fields=["revoked_at", "revoked_by"])

    try:
        consent.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise _validation_to_domain(error) from None
    try:
        with transaction.atomic():
            consent.save()
    except IntegrityError:
        # Two people recorded the same consent at the same moment; the database kept one.
        raise DomainError(
            _already_current_message(
                Consent.objects.current()
                .filter(mentee=mentee, kind=kind, recipient=recipient)
                .first()
            ),
            field="kind",
        ) from None
    if recipient is not None:
        Membership.objects.get_or_create(
            user=recipient, program=mentee.program, role=Membership.Role.CASE_MANAGER
        )
    return consent


def _set_disclosure_elements(
    consent: Consent,
    *,
    discloser: str,
    information: str,
    recipient_name: str,
    purpose: str,
    expires_on: datetime.date | None,
    expiry_event: str,
    revocation_acknowledged: bool,
    signature_name: str,
    signed_on: datetime.date | None,
) -> None:
    """Check and set the 42 CFR 2.31 elements; each missing one is a readable error."""
    mentee = consent.mentee
    consent.discloser = " ".join((discloser or "").split()) or mentee.program.name
    consent.information = (information or "").strip()
    consent.recipient_name = " ".join((recipient_name or "").split()) or (
        consent.recipient.display_name if consent.recipient else ""
    )
    consent.purpose = " ".join((purpose or "").split())
    consent.expires_on = expires_on
    consent.expiry_event = " ".join((expiry_event or "").split())
    consent.revocation_acknowledged = bool(revocation_acknowledged)
    consent.signature_name = " ".join((signature_name or "").split())
    consent.signed_on = signed_on
    missing = consent.missing_disclosure_elements()
    if missing:
        field, message = next(iter(missing.items()))
        raise DomainError(str(message), field=field)


def _already_current_message(consent: Consent | None) -> str:
    if consent is None:
        return _("This consent is already on record. Revoke it first to record a new version.")
    return _(
        "A current consent “%(kind)s” was already recorded on %(date)s. Revoke it first to "
        "record a new version."
    ) % {"kind": consent.get_kind_display(), "date": formats.date_format(consent.given_on)}


@transaction.atomic
def revoke_consent(*, actor: User, consent: Consent) -> Consent:
    """Revoke a consent from now on. Anything it allowed stops at the next request."""
    if not may_revoke_consent(actor, consent):
        raise DomainError(_("Only the mentee and the program's staff can revoke this consent."))
    # Lock the row so that two revocations at once record one revoker, not two.
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.revoked_at is not None:
        raise DomainError(
            _("This consent was already revoked on %(date)s.")
            % {"date": formats.date_format(timezone.localtime(locked.revoked_at))}
        )
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    consent.revoked_at, consent.revoked_by = locked.revoked_at, actor
    return locked


# --- Personal goals ----------------------------------------------------------------------


def _clean_statement(statement: str | None) -> str:
    return " ".join((statement or "").split())


def _clean_steps(steps) -> list[str]:
    cleaned = [" ".join(str(step).split()) for step in steps or ()]
    cleaned = [step for step in cleaned if step]
    if len(cleaned) > MAX_GOAL_STEPS:
        raise DomainError(
            _("Keep it to %(count)d small steps or fewer.") % {"count": MAX_GOAL_STEPS},
            field="steps",
        )
    limit = GoalStep._meta.get_field("text").max_length
    for number, step in enumerate(cleaned, start=1):
        if len(step) > limit:
            raise DomainError(
                _("Step %(number)d is too long: keep each step under %(limit)d characters.")
                % {"number": number, "limit": limit},
                field="steps",
            )
    return cleaned


def _check_goal(goal: Goal) -> None:
    try:
        goal.full_clean(exclude=["mentee"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise _validation_to_domain(error) from None


def _check_area(area: LifeGoalArea, current: LifeGoalArea | None = None) -> None:
    if not isinstance(area, LifeGoalArea):
        raise DomainError(_("Choose a life-goal area from the list."), field="area")
    if not area.is_active and area != current:
        raise DomainError(
            _("“%(area)s” is no longer used. Choose another life-goal area.") % {"area": area},
            field="area",
        )


@transaction.atomic
def add_goal(
    *,
    actor: User,
    mentee: MenteeProfile,
    area: LifeGoalArea,
    statement: str,
    steps: list[str] = (),
) -> Goal:
    """Add a personal goal in the mentee's own words, with its first small steps.

    The same goal (area and wording) added again within a minute is refused: that is a
    double submit, and the goal is already saved.
    """
    _ensure_may_change_goals(actor, mentee)
    statement = _clean_statement(statement)
    _check_area(area)
    goal = Goal(mentee=mentee, area=area, statement=statement)
    _check_goal(goal)
    steps = _clean_steps(steps)
    # One goal added at a time per mentee, so that two quick submits see each other.
    list(MenteeProfile.objects.select_for_update().filter(pk=mentee.pk).values_list("pk"))
    recent = Goal.objects.filter(
        mentee=mentee,
        area=area,
        statement__iexact=statement,
        created_at__gte=timezone.now() - DUPLICATE_GOAL_WINDOW,
    )
    if recent.exists():
        raise DomainError(
            _("This goal was saved a moment ago; it is already on the list of goals.")
        )
    goal.save()
    GoalStep.objects.bulk_create(
        GoalStep(goal=goal, text=text, position=position) for position, text in enumerate(steps)
    )
    return goal


@transaction.atomic
def update_goal(
    *,
    actor: User,
    goal: Goal,
    area: LifeGoalArea | None = None,
    statement: str | None = None,
    steps: list[str] | None = None,
) -> Goal:
    """Change a goal's area, wording or steps; ``None`` leaves that part as it is.

    ``steps`` is the whole new list in order: a step whose text is unchanged keeps its
    "done" mark, a new line becomes a new step, a line no longer there is removed.
    """
    _ensure_may_change_goals(actor, goal.mentee)
    if area is not None:
        _check_area(area, current=goal.area)
        goal.area = area
    if statement is not None:
        goal.statement = _clean_statement(statement)
    _check_goal(goal)
    goal.save()
    if steps is not None:
        _replace_steps(goal, _clean_steps(steps))
    return goal


def _replace_steps(goal: Goal, texts: list[str]) -> None:
    existing: dict[str, list[GoalStep]] = {}
    for step in goal.steps.order_by("position", "pk"):
        existing.setdefault(step.text, []).append(step)
    kept = []
    for position, text in enumerate(texts):
        matches = existing.get(text)
        if matches:
            step = matches.pop(0)
            if step.position != position:
                step.position = position
                step.save(update_fields=["position"])
        else:
            step = GoalStep.objects.create(goal=goal, text=text, position=position)
        kept.append(step.pk)
    # Deleted one by one (not a queryset delete) so that the audit log records each removal.
    for step in goal.steps.exclude(pk__in=kept):
        step.delete()


@transaction.atomic
def record_goal_progress(
    *,
    actor: User,
    goal: Goal,
    status: str,
    note: str = "",
    date: datetime.date | None = None,
) -> GoalProgress:
    """Add a dated entry to the goal's history and set the goal's status to it."""
    _ensure_may_change_goals(actor, goal.mentee)
    if status not in Goal.Status.values:
        raise DomainError(_("Choose how the goal is going from the list."), field="status")
    date = date or timezone.localdate()
    try:
        validate_not_future(date)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="date") from None
    entry = GoalProgress(
        goal=goal, date=date, status=status, note=(note or "").strip(), recorded_by=actor
    )
    try:
        entry.full_clean()
    except ValidationError as error:
        raise _validation_to_domain(error) from None
    entry.save()
    goal.status = status
    goal.save(update_fields=["status", "updated_at"])
    return entry


@transaction.atomic
def set_goal_step_done(*, actor: User, step: GoalStep, done: bool) -> GoalStep:
    """Tick a small step off (or back on). Setting the state it already has changes nothing."""
    _ensure_may_change_goals(actor, step.goal.mentee)
    if step.done != bool(done):
        step.done = bool(done)
        step.save(update_fields=["done"])
    return step
