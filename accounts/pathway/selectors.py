"""Reads about mentors' pathway that several places need.

``untrained_reasons`` is the one definition of "trained" that matching's eligibility rule
uses: every active module of the program marked required-before-matching completed (attended
sessions of it totalling at least its hours) and a current certification. It answers for any
number of mentors in three queries.
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import MentorProfile, Program
from accounts.pathway.models import (
    Application,
    Certification,
    Competency,
    CompetencyRating,
    PathwaySettings,
    TrainingAttendance,
    TrainingModule,
)

# Registered by the sessions app: takes mentor-profile ids and returns
# ``{mentor_id: [dates of supervision meetings, oldest first]}``.
SUPERVISION_DATES: list[Callable[[Iterable[int]], dict[int, list[datetime.date]]]] = []

# Registered by matching: takes program ids and returns the mentee profiles whose match closed
# with goals met (candidates to be invited to become mentors).
INVITATION_CANDIDATES: list[Callable] = []

COMPETENCY_CHOICES = Competency.choices

DEFAULT_MODULES = [
    # (name, what it covers, hours, required before matching); the name and description are
    # stored in the language of the person who sets the pathway up.
    (
        gettext_noop("Orientation"),
        gettext_noop("The program, its people and how mentoring works here."),
        "1",
        True,
    ),
    (
        gettext_noop("Boundaries and confidentiality"),
        gettext_noop("What a mentor shares, keeps and refers on."),
        "1",
        True,
    ),
    (
        gettext_noop("Communication skills"),
        gettext_noop("Speaking plainly and checking understanding."),
        "2",
        False,
    ),
    (
        gettext_noop("Empathy"),
        gettext_noop("Understanding a mentee's experience without judging."),
        "1.5",
        False,
    ),
    (
        gettext_noop("Active listening"),
        gettext_noop("Listening, reflecting and asking open questions."),
        "1.5",
        False,
    ),
    (
        gettext_noop("Establishing trust"),
        gettext_noop("Building a safe, reliable relationship."),
        "1.5",
        False,
    ),
    (
        gettext_noop("Relapse prevention"),
        gettext_noop("Warning signs, triggers and recovery plans."),
        "2",
        False,
    ),
    (
        gettext_noop("Coping strategies"),
        gettext_noop("Teaching practical ways to cope with stress."),
        "1.5",
        False,
    ),
    (
        gettext_noop("Crisis response"),
        gettext_noop("What to do, and whom to call, in a crisis."),
        "2",
        False,
    ),
]


def pathway_settings(program: Program | int) -> PathwaySettings:
    """The program's pathway settings, or the defaults (unsaved) when the program's pathway is
    not set up yet. Reading never writes (``services.set_up_pathway`` does)."""
    program_id = program if isinstance(program, int) else program.pk
    found = PathwaySettings.objects.filter(program_id=program_id).first()
    return found or PathwaySettings(program_id=program_id)


def default_modules(program_id: int) -> list[TrainingModule]:
    return [
        TrainingModule(
            program_id=program_id,
            name=_(name),
            description=_(description),
            hours=Decimal(hours),
            required_before_matching=required,
            sort_order=position * 10,
        )
        for position, (name, description, hours, required) in enumerate(DEFAULT_MODULES)
    ]


def hours_by_module(mentor_ids: Iterable[int]) -> dict[int, dict[int, Decimal]]:
    """``{mentor_id: {module_id: hours attended}}`` in one query."""
    result: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = (
        TrainingAttendance.objects.filter(mentor_id__in=list(mentor_ids))
        .values("mentor_id", "session__module_id")
        .annotate(hours=Sum("session__hours"))
        .order_by()
    )
    for row in rows:
        result[row["mentor_id"]][row["session__module_id"]] = row["hours"]
    return result


def current_certification_exists(mentor_ref="pk", *, today: datetime.date | None = None):
    """An ``Exists`` for annotating a mentor queryset with whether the certification is
    current (lets a caller fold the check into a query it runs anyway)."""
    return Exists(
        Certification.objects.filter(
            mentor_id=OuterRef(mentor_ref), expires_on__gte=today or timezone.localdate()
        )
    )


def untrained_reasons(
    mentors: Iterable,
    *,
    today: datetime.date | None = None,
    certified: set[int] | None = None,
) -> dict[int, str]:
    """For each mentor who is not trained, why, in plain words; trained mentors are absent.

    ``mentors`` are records with ``pk`` and ``program_id``; ``certified``, when the caller
    already knows it (``current_certification_exists``), is the set of those with a current
    certification. At most three queries, one when no program requires a module."""
    mentors = list(mentors)
    if not mentors:
        return {}
    today = today or timezone.localdate()
    ids = [m.pk for m in mentors]
    required = defaultdict(dict)
    for module in TrainingModule.objects.filter(
        program_id__in={m.program_id for m in mentors},
        required_before_matching=True,
        is_active=True,
    ).only("pk", "program_id", "name", "hours"):
        required[module.program_id][module.pk] = module
    attended = hours_by_module(ids) if required else {}
    if certified is None:
        certified = set(
            Certification.objects.filter(mentor_id__in=ids, expires_on__gte=today).values_list(
                "mentor_id", flat=True
            )
        )
    reasons = {}
    for mentor in mentors:
        done = attended.get(mentor.pk, {})
        missing = [
            module.name
            for module in required[mentor.program_id].values()
            if done.get(module.pk, 0) < module.hours
        ]
        parts = []
        if missing:
            parts.append(
                _("required training not completed (%(modules)s)") % {"modules": ", ".join(missing)}
            )
        if mentor.pk not in certified:
            parts.append(_("no current certification"))
        if parts:
            reasons[mentor.pk] = _("The mentor is not trained: %(what)s.") % {
                "what": "; ".join(parts)
            }
    return reasons


def is_trained(mentor: MentorProfile) -> bool:
    return mentor.pk not in untrained_reasons([mentor])


def trained_mentor_ids(mentors: Iterable) -> set[int]:
    mentors = list(mentors)
    untrained = untrained_reasons(mentors)
    return {m.pk for m in mentors} - set(untrained)


def current_certification(mentor: MentorProfile) -> Certification | None:
    return (
        Certification.objects.filter(mentor=mentor, expires_on__gte=timezone.localdate())
        .order_by("-expires_on")
        .first()
    )


@dataclasses.dataclass
class ModuleProgress:
    module: TrainingModule
    hours_attended: Decimal
    last_attended: datetime.date | None

    @property
    def done(self) -> bool:
        return self.hours_attended >= self.module.hours


@dataclasses.dataclass
class SupervisionStatus:
    cadence_days: int
    last_met: datetime.date | None
    due_on: datetime.date | None
    overdue_days: int
    late_count: int

    @property
    def is_overdue(self) -> bool:
        return self.overdue_days > 0


@dataclasses.dataclass
class TrainingRecord:
    """What a mentor's pathway page shows: hours, modules done, ratings over time, what is
    still required, and supervision."""

    mentor: MentorProfile
    settings: PathwaySettings
    modules: list[ModuleProgress]
    sessions: list
    total_hours: Decimal
    certification: Certification | None
    certifications: list
    assessments: list
    untrained_reason: str | None
    supervision: SupervisionStatus

    @property
    def modules_done(self) -> list[ModuleProgress]:
        return [m for m in self.modules if m.done]

    @property
    def still_required(self) -> list[ModuleProgress]:
        return [m for m in self.modules if m.module.required_before_matching and not m.done]

    @property
    def hours_short(self) -> Decimal:
        return max(self.settings.training_hours_before_first_match - self.total_hours, 0)


def training_record(mentor: MentorProfile) -> TrainingRecord:
    settings = pathway_settings(mentor.program_id)
    modules = list(TrainingModule.objects.filter(program_id=mentor.program_id, is_active=True))
    attendance = list(
        TrainingAttendance.objects.filter(mentor=mentor)
        .select_related("session__module", "session__trainer")
        .order_by("session__held_on", "session__pk")
    )
    hours: dict[int, Decimal] = defaultdict(Decimal)
    last: dict[int, datetime.date] = {}
    for row in attendance:
        hours[row.session.module_id] += row.session.hours
        last[row.session.module_id] = row.session.held_on
    assessments = list(
        mentor.role_play_assessments.select_related("trainer").prefetch_related("ratings")
    )
    certifications = list(mentor.certifications.select_related("issued_by"))
    today = timezone.localdate()
    return TrainingRecord(
        mentor=mentor,
        settings=settings,
        modules=[ModuleProgress(m, hours.get(m.pk, Decimal(0)), last.get(m.pk)) for m in modules],
        sessions=[row.session for row in attendance],
        total_hours=sum((row.session.hours for row in attendance), Decimal(0)),
        certification=next((c for c in certifications if c.expires_on >= today), None),
        certifications=certifications,
        assessments=assessments,
        untrained_reason=untrained_reasons([mentor]).get(mentor.pk),
        supervision=supervision_status([mentor], settings=settings)[mentor.pk],
    )


def competency_history(mentor: MentorProfile) -> dict[str, list[CompetencyRating]]:
    """Each competency's ratings, oldest first: how a mentor's skills moved over time."""
    history: dict[str, list] = defaultdict(list)
    for rating in (
        CompetencyRating.objects.filter(assessment__mentor=mentor)
        .select_related("assessment")
        .order_by("assessment__assessed_on", "assessment__pk")
    ):
        history[rating.competency].append(rating)
    return history


def _supervision_dates(mentor_ids: list[int]) -> dict[int, list[datetime.date]]:
    found: dict[int, list[datetime.date]] = {}
    for source in SUPERVISION_DATES:
        for mentor_id, dates in source(mentor_ids).items():
            found.setdefault(mentor_id, []).extend(dates)
    return {k: sorted(v) for k, v in found.items()}


def _active_since(mentor_ids: list[int]) -> dict[int, datetime.date]:
    from accounts.pathway.models import StatusChange

    since = {}
    for mentor_id, changed_at in (
        StatusChange.objects.filter(mentor_id__in=mentor_ids, to_status="active")
        .order_by("changed_at")
        .values_list("mentor_id", "changed_at")
    ):
        since.setdefault(mentor_id, timezone.localtime(changed_at).date())
    return since


def supervision_status(
    mentors: Iterable[MentorProfile],
    *,
    settings: PathwaySettings | None = None,
    today: datetime.date | None = None,
) -> dict[int, SupervisionStatus]:
    """Per mentor: the last supervision meeting, when the next is due under the program's
    cadence, how many days it is overdue, and how many times a meeting came late (a gap longer
    than the cadence between meetings, counted from when the mentor became active)."""
    mentors = list(mentors)
    today = today or timezone.localdate()
    ids = [m.pk for m in mentors]
    cadences = {}
    if settings is not None:
        cadences = {m.program_id: settings.supervision_cadence_days for m in mentors}
    else:
        cadences = dict(
            PathwaySettings.objects.filter(
                program_id__in={m.program_id for m in mentors}
            ).values_list("program_id", "supervision_cadence_days")
        )
    default = PathwaySettings._meta.get_field("supervision_cadence_days").default
    dates = _supervision_dates(ids)
    since = _active_since(ids)
    result = {}
    for mentor in mentors:
        cadence = cadences.get(mentor.program_id, default)
        met = dates.get(mentor.pk, [])
        start = since.get(mentor.pk) or (met[0] if met else None)
        if start is None and mentor.status == MentorProfile.Status.ACTIVE:
            start = timezone.localtime(mentor.created_at).date()
        points = sorted({start, *met} - {None})
        late = sum(1 for a, b in zip(points, points[1:], strict=False) if (b - a).days > cadence)
        last = met[-1] if met else None
        anchor = last or start
        due = anchor + datetime.timedelta(days=cadence) if anchor else None
        overdue = (
            (today - due).days
            if due and due < today and mentor.status == MentorProfile.Status.ACTIVE
            else 0
        )
        result[mentor.pk] = SupervisionStatus(cadence, last, due, max(overdue, 0), late)
        if overdue > 0:
            result[mentor.pk].late_count += 1
    return result


def mentees_who_became_mentors(program_ids) -> int:
    """Mentor profiles in these programs held by people who were mentees in the program
    (invited or not): the program's mentees who became mentors."""
    from accounts.models import MenteeProfile

    return (
        MentorProfile.objects.filter(program_id__in=program_ids)
        .filter(user__in=MenteeProfile.objects.filter(program_id__in=program_ids).values("user"))
        .count()
    )


def applications(program_ids):
    return Application.objects.filter(mentor__program_id__in=program_ids)
