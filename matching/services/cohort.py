"""Cohort matching: the best overall assignment of many waiting mentees to many mentors.

A coordinator picks waiting mentees and mentors; ``run_cohort`` finds the assignment with the
greatest total worth that respects every mentor's free places and every hard rule, and stores
it as draft proposals. Drafts hold no place and are not matches. The coordinator keeps or
drops each draft (``decide_draft``), reruns for the rest (``rerun_cohort``), and publishes the
kept drafts (``publish_cohort``), which proposes each through ``propose_match`` and so checks
every rule again at that moment.

The objective
-------------
Each mentor offers one column per free place (capacity − places held by approved, active and
paused matches − pending proposals − drafts kept earlier in the run). Mentee ``i`` placed with
mentor ``j`` is worth::

    score(i, j) + priority(i)
    priority(i) = weight_waiting × months waiting
                + weight_hard_to_match × (1 − eligible share)

where the eligible share is the part of the run's mentors with a free place whom the mentee
may be matched with. Leaving a mentee out is worth 0 (one dummy column per mentee), and a pair
that breaks a hard rule can never be chosen (−∞). ``scipy.optimize.linear_sum_assignment``
maximises the total. Because ``priority(i)`` is the same whichever mentor the mentee gets, it
never changes who gets whom among the mentees placed; it only decides who is placed when there
are not places enough — without it the maximum total score would always leave out the mentees
who fit fewest mentors. Both weights are program settings (0 turns them off).

Rerunning moves the kept drafts into the new run (so the newest run is the whole picture and
the one to publish), frees nothing they use, and never drafts a pair dropped in this run or an
earlier run with the same people again. The run it continues can no longer be changed
(``successor_of``); a published run is closed.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import MenteeProfile, MentorProfile, Program, User
from accounts.services import DomainError
from matching.eligibility import eligible_matrix, load_facts_for_many
from matching.models import CohortRun, DraftProposal, Match, MatchingSettings
from matching.scoring import score_matrix, score_pair
from matching.services.lifecycle import COORDINATING, _ensure_role, propose_match
from matching.suggestions import MenteeRecord, MentorRecord, load_mentees, load_mentors

MAX_WEIGHT = 100
# Placing a mentee with an eligible mentor, even one with nothing in common, beats leaving
# them out by this much; small enough never to outweigh a difference in score.
PLACE_BONUS = 1e-6


class LeftOut:
    """Why a mentee of a run has no draft. ``left_out`` rows store the code and a count,
    so that the page can say it in the reader's language; ``reason`` keeps the words too."""

    NO_ELIGIBLE = "no_eligible"
    TAKEN = "taken"
    NOT_WAITING = "not_waiting"
    OPEN_MATCH = "open_match"
    PUBLISH_FAILED = "publish_failed"


def left_out_reason(entry: dict) -> str:
    """A ``left_out`` entry in words, in the current language."""
    code, count = entry.get("code"), entry.get("eligible", 0)
    if code == LeftOut.NO_ELIGIBLE:
        return _("No eligible mentor with a free place.")
    if code == LeftOut.TAKEN:
        return ngettext(
            "The one eligible mentor was given to a mentee with a higher total score.",
            "All %(count)d eligible mentors were given to mentees with a higher total score.",
            count,
        ) % {"count": count}
    if code == LeftOut.NOT_WAITING:
        return _("No longer waiting for a mentor.")
    if code == LeftOut.OPEN_MATCH:
        return _("Already has an open match or proposal.")
    return entry.get("reason", "")


def _left_out(mentee_id: int, code: str, *, eligible: int = 0, reason: str = "") -> dict:
    entry = {"mentee_id": mentee_id, "code": code, "eligible": eligible}
    entry["reason"] = reason or left_out_reason(entry)
    return entry


# --- The assignment ----------------------------------------------------------------------------


def assign(values, capacities: Sequence[int]) -> dict[int, int]:
    """The assignment of rows (mentees) to columns (mentors) with the greatest total value.

    ``values[i][j]`` is what placing mentee ``i`` with mentor ``j`` is worth; ``-inf``, ``nan``
    or ``None`` means never. ``capacities[j]`` is how many mentees mentor ``j`` may take.
    Returns ``{row: column}`` for the mentees placed; a mentee is left out only when every
    mentor allowed to them is full with mentees whose placement is worth more in total.
    """
    values = np.array(values, dtype=float).reshape(len(values), len(capacities))
    n, m = values.shape
    if not n or not m:
        return {}
    values[~np.isfinite(values)] = -np.inf
    # One column per free place; nobody needs more places of one mentor than there are mentees.
    slot_owner = np.repeat(np.arange(m), np.minimum(np.maximum(capacities, 0), n))
    matrix = np.zeros((n, len(slot_owner) + n))  # the last n columns: "left out", worth 0
    matrix[:, : len(slot_owner)] = values[:, slot_owner] + PLACE_BONUS
    from scipy.optimize import linear_sum_assignment  # heavy import, only for a cohort run

    rows, columns = linear_sum_assignment(matrix, maximize=True)
    placed = {}
    for row, column in zip(rows, columns, strict=True):
        if column < len(slot_owner) and np.isfinite(matrix[row, column]):
            placed[int(row)] = int(slot_owner[column])
    return placed


@dataclass
class _Plan:
    drafts: list[DraftProposal] = field(default_factory=list)
    left_out: list[dict] = field(default_factory=list)


def _plan(
    *,
    settings: MatchingSettings,
    mentees: list[MenteeRecord],
    mentors: list[MentorRecord],
    kept: Sequence[DraftProposal] = (),
    avoid: set[tuple[int, int]] = frozenset(),
) -> _Plan:
    """Drafts and left-out entries for ``mentees`` against ``mentors``."""
    plan = _Plan()
    open_matches = set(
        Match.objects.open()
        .filter(mentee_id__in=[r.pk for r in mentees])
        .values_list("mentee_id", flat=True)
    )
    candidates = []
    for record in mentees:
        if record.status != MenteeProfile.Status.WAITING:
            plan.left_out.append(_left_out(record.pk, LeftOut.NOT_WAITING))
        elif record.pk in open_matches:
            plan.left_out.append(_left_out(record.pk, LeftOut.OPEN_MATCH))
        else:
            candidates.append(record)
    if not candidates:
        return plan
    facts = load_facts_for_many([r.pk for r in candidates], [m.pk for m in mentors])
    # Places promised by pending proposals and by drafts kept earlier are not offered again.
    pending = dict(
        Match.objects.filter(mentor_id__in=[m.pk for m in mentors], status=Match.Status.PROPOSED)
        .values("mentor_id")
        .annotate(count=Count("pk"))
        .values_list("mentor_id", "count")
    )
    for draft in kept:
        pending[draft.mentor_id] = pending.get(draft.mentor_id, 0) + 1
    taken = facts[candidates[0].pk].places_taken  # one dictionary shared by all mentees
    free = np.array(
        [
            max(m.capacity - taken.get(m.pk, 0) - pending.get(m.pk, 0), 0)
            if m.status == MentorProfile.Status.ACTIVE
            else 0
            for m in mentors
        ],
        dtype=int,
    )
    ok = eligible_matrix(candidates, mentors, facts)
    row = {r.pk: i for i, r in enumerate(candidates)}
    column = {m.pk: j for j, m in enumerate(mentors)}
    for mentee_id, mentor_id in avoid:
        if mentee_id in row and mentor_id in column:
            ok[row[mentee_id], column[mentor_id]] = False
    ok &= free[None, :] > 0
    eligible = ok.sum(axis=1)
    with_room = int((free > 0).sum())
    share = eligible / with_room if with_room else np.zeros(len(candidates))
    priority = settings.weight_waiting * np.array(
        [r.months_waiting for r in candidates]
    ) + settings.weight_hard_to_match * (1 - share)
    weights = settings.weights
    scores = score_matrix([r.data for r in candidates], [m.data for m in mentors], weights)
    values = np.where(ok, scores + priority[:, None], -np.inf)
    placed = assign(values, free)
    for i, record in enumerate(candidates):
        j = placed.get(i)
        if j is None:
            code = LeftOut.TAKEN if eligible[i] else LeftOut.NO_ELIGIBLE
            plan.left_out.append(_left_out(record.pk, code, eligible=int(eligible[i])))
            continue
        score, reasons = score_pair(record.data, mentors[j].data, weights)
        plan.drafts.append(
            DraftProposal(
                mentee_id=record.pk,
                mentor_id=mentors[j].pk,
                score=Decimal(f"{score:.2f}"),
                reasons=reasons,
            )
        )
    return plan


def _ids(values: Iterable) -> list[int]:
    try:
        return sorted({int(value) for value in values})
    except (TypeError, ValueError):
        raise DomainError(_("Choose mentees and mentors from the lists.")) from None


def _save_run(
    *, actor: User, program: Program, mentee_ids, mentor_ids, plan: _Plan, kept=()
) -> CohortRun:
    total = sum((d.score for d in [*kept, *plan.drafts]), Decimal("0"))
    run = CohortRun.objects.create(
        program=program,
        created_by=actor,
        mentee_ids=list(mentee_ids),
        mentor_ids=list(mentor_ids),
        left_out=plan.left_out,
        total_score=total,
    )
    for draft in plan.drafts:
        draft.run = run
    # Drafts are written in one statement (a run of 500 mentees stays fast); the run itself,
    # each decision and each published match are recorded in the audit log.
    DraftProposal.objects.bulk_create(plan.drafts)
    for draft in kept:
        draft.run = run
        draft.save(update_fields=["run"])
    return run


# --- Services ----------------------------------------------------------------------------------


@transaction.atomic
def run_cohort(
    *, actor: User, program: Program, mentee_ids: Iterable, mentor_ids: Iterable
) -> CohortRun:
    """Draft the best overall assignment of these waiting mentees to these mentors."""
    _ensure_role(actor, program.pk, COORDINATING, _("run cohort matching"))
    mentee_ids, mentor_ids = _ids(mentee_ids), _ids(mentor_ids)
    if not mentee_ids or not mentor_ids:
        raise DomainError(_("Choose at least one waiting mentee and one mentor."))
    mentees = load_mentees(program_id=program.pk, mentee_ids=mentee_ids)
    mentors = load_mentors(program_id=program.pk, mentor_ids=mentor_ids)
    if len(mentees) != len(mentee_ids) or len(mentors) != len(mentor_ids):
        raise DomainError(_("Some of the chosen people are not in this program."))
    plan = _plan(
        settings=MatchingSettings.for_program(program),
        mentees=mentees,
        mentors=mentors,
    )
    return _save_run(
        actor=actor, program=program, mentee_ids=mentee_ids, mentor_ids=mentor_ids, plan=plan
    )


def successor_of(run: CohortRun) -> CohortRun | None:
    """The newer run that continues this one, if there is one: a newer run for the same
    mentees and mentors, while this run has no kept draft left (a rerun moves them all).
    A run whose kept drafts are still in it stays open even when the same people were run
    again, so that no decision is stranded."""
    if run.drafts.filter(decision=DraftProposal.Decision.KEEP).exists():
        return None
    for newer in CohortRun.objects.filter(program_id=run.program_id, pk__gt=run.pk).order_by("pk"):
        if sorted(newer.mentee_ids) == sorted(run.mentee_ids) and sorted(
            newer.mentor_ids
        ) == sorted(run.mentor_ids):
            return newer
    return None


def _ensure_open(run: CohortRun) -> None:
    if run.published_at:
        raise DomainError(_("This run is already published; start a new run for the rest."))
    if successor := successor_of(run):
        raise DomainError(
            _("Run %(newer)s continues this run; please work there.") % {"newer": successor.pk}
        )


def _locked_run(run: CohortRun) -> CohortRun:
    return CohortRun.objects.select_for_update().select_related("program").get(pk=run.pk)


@transaction.atomic
def decide_draft(*, actor: User, draft: DraftProposal, decision: str) -> DraftProposal:
    """Keep or drop one draft (either can be changed until the run is published)."""
    run = _locked_run(draft.run)
    _ensure_role(actor, run.program_id, COORDINATING, _("review cohort drafts"))
    if decision not in (DraftProposal.Decision.KEEP, DraftProposal.Decision.DROP):
        raise DomainError(_("Choose keep or drop."), field="decision")
    _ensure_open(run)
    draft = DraftProposal.objects.select_for_update().get(pk=draft.pk)
    draft.decision = decision
    draft.save(update_fields=["decision"])
    return draft


@transaction.atomic
def rerun_cohort(*, actor: User, run: CohortRun) -> CohortRun:
    """A new run for the mentees without a kept draft, with the places the kept drafts leave.
    The kept drafts move to the new run."""
    run = _locked_run(run)
    _ensure_role(actor, run.program_id, COORDINATING, _("run cohort matching"))
    _ensure_open(run)
    drafts = list(run.drafts.all())
    kept = [d for d in drafts if d.decision == DraftProposal.Decision.KEEP]
    kept_mentees = {d.mentee_id for d in kept}
    rest = [pk for pk in run.mentee_ids if pk not in kept_mentees]
    if not rest:
        raise DomainError(_("Every mentee of this run has a kept draft: there is no one to rerun."))
    avoid = set(
        DraftProposal.objects.filter(
            run__in=[earlier.pk for earlier in _same_people(run)],
            decision=DraftProposal.Decision.DROP,
            mentee_id__in=rest,
        ).values_list("mentee_id", "mentor_id")
    )
    plan = _plan(
        settings=MatchingSettings.for_program(run.program),
        mentees=load_mentees(program_id=run.program_id, mentee_ids=rest),
        mentors=load_mentors(program_id=run.program_id, mentor_ids=run.mentor_ids),
        kept=kept,
        avoid=avoid,
    )
    return _save_run(
        actor=actor,
        program=run.program,
        mentee_ids=run.mentee_ids,
        mentor_ids=run.mentor_ids,
        plan=plan,
        kept=kept,
    )


def _same_people(run: CohortRun) -> list[CohortRun]:
    """This run and the earlier runs of its program for the same mentees and mentors."""
    mentees, mentors = sorted(run.mentee_ids), sorted(run.mentor_ids)
    return [
        earlier
        for earlier in CohortRun.objects.filter(program_id=run.program_id, pk__lte=run.pk).only(
            "pk", "mentee_ids", "mentor_ids"
        )
        if sorted(earlier.mentee_ids) == mentees and sorted(earlier.mentor_ids) == mentors
    ]


@dataclass
class Publication:
    proposed: list[Match] = field(default_factory=list)
    failed: list[tuple[DraftProposal, str]] = field(default_factory=list)
    already_published: bool = False


@transaction.atomic
def publish_cohort(*, actor: User, run: CohortRun) -> Publication:
    """Propose every kept draft. Each proposal checks every rule again; a draft that breaks
    one is not proposed, and its mentee joins the left-out list with the rule it broke.
    Publishing twice proposes nothing new."""
    run = _locked_run(run)
    _ensure_role(actor, run.program_id, COORDINATING, _("publish cohort drafts"))
    result = Publication()
    if run.published_at:
        result.already_published = True
        return result
    if successor := successor_of(run):
        raise DomainError(
            _("Run %(newer)s continues this run; please publish that one.")
            % {"newer": successor.pk}
        )
    kept = list(
        run.drafts.filter(decision=DraftProposal.Decision.KEEP, match__isnull=True).select_related(
            "mentee__user", "mentee__program", "mentor__user"
        )
    )
    if not kept:
        # Publishing closes the run: with nothing kept it would only close it by mistake.
        raise DomainError(_("Keep at least one draft before publishing."))
    for draft in kept:
        try:
            match = propose_match(
                actor=actor,
                mentee=draft.mentee,
                mentor=draft.mentor,
                score=draft.score,
                reasons=draft.reasons,
                note=_("Proposed by cohort run %(run)s.") % {"run": run.pk},
            )
        except DomainError as error:
            result.failed.append((draft, error.message))
            run.left_out.append(
                _left_out(draft.mentee_id, LeftOut.PUBLISH_FAILED, reason=error.message)
            )
            continue
        draft.match = match
        draft.save(update_fields=["match"])
        result.proposed.append(match)
    run.published_at = timezone.now()
    run.save(update_fields=["published_at", "left_out"])
    return result


# --- Weights -----------------------------------------------------------------------------------


@transaction.atomic
def update_matching_weights(
    *,
    actor: User,
    program: Program,
    weights: dict[str, int],
    requires_approval: bool,
    cadence: dict[str, int] | None = None,
) -> MatchingSettings:
    """Supervisors set how much each criterion counts in their program's suggestions and
    cohort runs, whether each match needs a supervisor's approval, and (``cadence``) how often
    coordinators check in and after how many days without a session they are told."""
    _ensure_role(actor, program.pk, ("supervisor",), _("change the matching weights"))
    allowed = {*MatchingSettings.WEIGHT_FIELDS, "weight_waiting", "weight_hard_to_match"}
    unknown = set(weights) - allowed
    if unknown:
        raise DomainError(_("Unknown weights: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    for name, value in weights.items():
        if not isinstance(value, int) or not 0 <= value <= MAX_WEIGHT:
            raise DomainError(
                _("Each weight is a whole number from 0 to %(max)d.") % {"max": MAX_WEIGHT},
                field=name,
            )
    settings = MatchingSettings.objects.select_for_update().get(
        pk=MatchingSettings.for_program(program).pk
    )
    for name, value in weights.items():
        setattr(settings, name, value)
    settings.requires_approval = requires_approval
    for name, value in (cadence or {}).items():
        if name not in MatchingSettings.CADENCE_FIELDS:
            raise DomainError(_("Unknown setting: %(name)s.") % {"name": name})
        setattr(settings, name, value)
        try:
            settings.clean_fields(exclude=[f.name for f in settings._meta.fields if f.name != name])
        except ValidationError as error:
            raise DomainError(" ".join(error.message_dict[name]), field=name) from None
    settings.save()
    return settings
