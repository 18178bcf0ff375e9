"""Helpers for the mentor-pathway tests: a trained mentor, a training session, screening."""

import datetime

from django.utils import timezone

from accounts.pathway import services
from accounts.pathway.models import (
    Certification,
    ScreeningStep,
    TrainingAttendance,
    TrainingSession,
)
from tests import factories as f


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def attend(mentor, module, *, held_on=None, hours=None, trainer=None):
    session = TrainingSession.objects.create(
        program=mentor.program,
        module=module,
        held_on=held_on or days_ago(10),
        hours=hours if hours is not None else module.hours,
        trainer=trainer or mentor.user,
    )
    TrainingAttendance.objects.create(session=session, mentor=mentor)
    return session


def complete_required_training(mentor) -> None:
    services.set_up_pathway(program=mentor.program)
    for n, module in enumerate(
        mentor.program.training_modules.filter(required_before_matching=True)
    ):
        attend(mentor, module, held_on=days_ago(20 + n))


def certify(mentor, *, issued_on=None, days=365):
    issued_on = issued_on or days_ago(10)
    return Certification.objects.create(
        mentor=mentor,
        issued_on=issued_on,
        expires_on=issued_on + datetime.timedelta(days=days),
        issued_by=mentor.user,
    )


def pass_screening(mentor, by) -> None:
    for kind in ScreeningStep.Kind.values:
        ScreeningStep.objects.create(
            mentor=mentor, kind=kind, status="passed", completed_on=days_ago(5), recorded_by=by
        )


def applicant(program, **kwargs):
    return f.MentorProfileFactory(program=program, status="applicant", **kwargs)
