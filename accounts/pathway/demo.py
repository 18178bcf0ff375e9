"""The pathway's part of the demo (``accounts.demo.DEMO_STEPS``).

``train_demo_mentors`` runs before the matches are made: every program gets its settings and
training modules; every mentor past screening gets screening records, a status history and
training sessions; active mentors get a current certification (one expires within the
reminder window, so the reminders can be seen) and role-play ratings, so they stay matchable.
One applicant is in screening. ``prepare_invitable_mentee`` runs after the matches: the first
demo mentee whose match closed with goals met gets enough time in recovery to be invited to
become a mentor (the coordinator finds them on the program's pathway page).
"""

import datetime

from django.utils import timezone

from accounts.models import MenteeProfile, MentorProfile
from accounts.pathway import selectors, services
from accounts.pathway.models import (
    Certification,
    Competency,
    CompetencyRating,
    RolePlayAssessment,
    ScreeningStep,
    StatusChange,
    TrainingAttendance,
    TrainingSession,
)

PAST_SCREENING = {"in_training", "active", "on_hold"}
APPLICANT_EMAIL = "alex.moreno@example.org"


def train_demo_mentors(*, writer, mentors, mentees) -> dict:
    today = timezone.localdate()
    rng = writer.rng
    counts = {"training sessions": 0, "certifications": 0}
    for key, program in writer.programs.items():
        coordinator = writer.coordinators[key]
        settings = services.set_up_pathway(program=program)
        plans = [m for m in mentors if m.program == key and m.profile]
        trained = [m.profile for m in plans if m.status in PAST_SCREENING]
        for plan in plans:
            _screening(plan.profile, plan.status, coordinator, today, rng)
        # One session per module, each on its own day, a few months ago.
        for n, module in enumerate(program.training_modules.all()):
            attendees = [
                mentor
                for mentor in trained
                if module.required_before_matching or rng.random() < 0.7
            ]
            if not attendees:
                continue
            session = TrainingSession.objects.create(
                program=program,
                module=module,
                held_on=today - datetime.timedelta(days=120 - 3 * n),
                hours=module.hours,
                trainer=coordinator,
            )
            TrainingAttendance.objects.bulk_create(
                [TrainingAttendance(session=session, mentor=m) for m in attendees]
            )
            counts["training sessions"] += 1
        active = [m for m in trained if m.status == MentorProfile.Status.ACTIVE]
        for n, mentor in enumerate(active):
            issued = today - datetime.timedelta(days=rng.randint(20, 300))
            if n == 0:  # expires within the reminder window
                issued = today - datetime.timedelta(days=settings.certification_valid_days - 20)
            Certification.objects.create(
                mentor=mentor,
                issued_on=issued,
                expires_on=issued + datetime.timedelta(days=settings.certification_valid_days),
                issued_by=coordinator,
            )
            counts["certifications"] += 1
            for months_ago in (4, 1):
                assessment = RolePlayAssessment.objects.create(
                    mentor=mentor,
                    assessed_on=today - datetime.timedelta(days=30 * months_ago),
                    scenario="A mentee misses two sessions and then calls upset.",
                    trainer=coordinator,
                )
                CompetencyRating.objects.bulk_create(
                    [
                        CompetencyRating(
                            assessment=assessment,
                            competency=competency,
                            score=min(4, rng.randint(2, 3) + (1 if months_ago == 1 else 0)),
                        )
                        for competency in Competency.values
                    ]
                )
    if not MentorProfile.objects.filter(
        status="screening", program__in=writer.programs.values()
    ).exists():
        _applicant_in_screening(writer, today)
    counts["applicants in screening"] = MentorProfile.objects.filter(
        status="screening", program__in=writer.programs.values()
    ).count()
    return counts


def _applicant_in_screening(writer, today) -> None:
    """An applicant met at an open day, in screening with the interview and a reference
    done."""
    key, program = next(iter(writer.programs.items()))
    coordinator = writer.coordinators[key]
    mentor = services.enter_applicant(
        actor=coordinator,
        program=program,
        person={"display_name": "Alex Moreno", "email": APPLICANT_EMAIL},
        motivation="Peer support got me through my first year; I would like to give back.",
        recovery_start=today - datetime.timedelta(days=3 * 365),
    )
    services.change_mentor_status(actor=coordinator, mentor=mentor, to_status="screening")
    for kind in ("interview", "reference_1"):
        services.record_screening_step(
            actor=coordinator,
            mentor=mentor,
            kind=kind,
            status="passed",
            completed_on=today - datetime.timedelta(days=3),
        )


def _screening(mentor, status, coordinator, today, rng) -> None:
    """Screening steps and the status history that lead to the mentor's demo status."""
    start = today - datetime.timedelta(days=rng.randint(150, 400))
    kinds = ScreeningStep.Kind.values
    done = kinds if status in PAST_SCREENING else kinds[:2] if status == "screening" else []
    ScreeningStep.objects.bulk_create(
        [
            ScreeningStep(
                mentor=mentor,
                kind=kind,
                status=ScreeningStep.Status.PASSED,
                completed_on=start + datetime.timedelta(days=5 + 3 * n),
                recorded_by=coordinator,
            )
            for n, kind in enumerate(done)
        ]
    )
    path = ["applicant", "screening", "in_training", "active"]
    steps = path[: path.index(status) + 1] if status in path else [*path, status]
    previous = ""
    for n, step in enumerate(steps):
        StatusChange.objects.create(
            mentor=mentor,
            from_status=previous,
            to_status=step,
            reason="Needs a break for family reasons." if step == "on_hold" else "",
            changed_by=coordinator,
            changed_at=timezone.make_aware(
                datetime.datetime.combine(
                    start + datetime.timedelta(days=20 * n), datetime.time(10)
                )
            ),
        )
        previous = step


def prepare_invitable_mentee(*, writer, mentors, mentees) -> dict:
    """A demo mentee whose match closed with goals met gets enough time in recovery to be
    invited to become a mentor (the match and its history are matching's, made through its
    services)."""
    from matching.models import Match

    closed = (
        Match.objects.filter(
            program__in=writer.programs.values(),
            status=Match.Status.CLOSED,
            close_reason=Match.CloseReason.GOALS_MET,
        )
        .exclude(mentee__user__in=MentorProfile.objects.values("user"))
        .select_related("mentee")
        .order_by("pk")
        .first()
    )
    if closed is None:
        return {}
    mentee = closed.mentee
    settings = selectors.pathway_settings(mentee.program_id)
    start = timezone.localdate() - datetime.timedelta(days=settings.min_days_in_recovery + 200)
    if mentee.recovery_start is None or mentee.recovery_start > start:
        MenteeProfile.objects.filter(pk=mentee.pk).update(recovery_start=start)
    return {"mentees who may be invited to mentor": 1}
