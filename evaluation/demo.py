"""The demo's outcome measures: answered baselines and follow-ups for the demo's matches.

``manage.py seed_demo`` calls ``build_measures`` through ``accounts.demo.DEMO_STEPS`` after
the matches exist. The lifecycle services already created each match's administrations
(through the hooks on start and close) with their reminders, which the matching step cancels
as history. This step:

- puts each closed match's closure measures on its real closing date and cancels the
  follow-ups that fell after it;
- answers about 85% of everything due more than a week ago (a few days after the due date;
  the rest is missed), and leaves the last week's measures due; the answers are drawn so that
  most mentees improve a little from one time point to the next;
- makes sure ``mentee@example.org`` has a PHQ-9 due now (an ad-hoc one if the schedule has
  none due in the last two weeks).

Answers are drawn from their own ``random.Random`` and scored by ``evaluation.instruments``;
PHQ-9 item 9 is always 0 and nobody says "I need help now", so the demo raises no alerts.
"""

import datetime
import random

from django.utils import timezone

from accounts.demo.spec import SEED
from accounts.models import MenteeProfile
from evaluation import instruments
from evaluation.models import Administration, Response, Timepoint
from matching.models import Match

FIXED_MENTEE = "mentee@example.org"
ANSWERED_SHARE = 0.85
GRACE_DAYS = 7


def build_measures(*, writer, mentors, mentees) -> dict:
    return DemoMeasures(writer).build()


class DemoMeasures:
    def __init__(self, writer):
        self.w = writer
        self.rng = random.Random(f"{SEED}-measures")
        self.today = timezone.localdate()
        self.programs = list(writer.programs.values())

    def build(self) -> dict:
        self._fix_closures()
        completed, missed = self._answer()
        self._fixed_mentee_phq9()
        return {"measures answered": completed, "measures missed": missed}

    def _fix_closures(self) -> None:
        for match in Match.objects.filter(
            program__in=self.programs, status=Match.Status.CLOSED, closed_on__isnull=False
        ):
            Administration.objects.filter(match=match, timepoint=Timepoint.CLOSURE).update(
                due_on=match.closed_on
            )
            Administration.objects.filter(
                match=match, status=Administration.Status.DUE, due_on__gt=match.closed_on
            ).exclude(timepoint=Timepoint.CLOSURE).update(status=Administration.Status.CANCELLED)

    def _answer(self) -> tuple[int, int]:
        cutoff = self.today - datetime.timedelta(days=GRACE_DAYS)
        rows = list(
            Administration.objects.filter(
                program__in=self.programs, status=Administration.Status.DUE, due_on__lte=cutoff
            )
            .select_related("mentee__user", "match__mentor")
            .order_by("mentee_id", "due_on", "pk")
        )
        # Each mentee starts somewhere and mostly gets a little better at each time point.
        severity: dict[int, float] = {}
        step_of: dict[tuple[int, datetime.date], float] = {}
        answered, missed, responses = [], [], []
        for row in rows:
            if self.rng.random() > ANSWERED_SHARE:
                row.status = Administration.Status.MISSED
                missed.append(row)
                continue
            base = severity.setdefault(row.mentee_id, self.rng.uniform(0.25, 0.75))
            key = (row.mentee_id, row.due_on)
            if key not in step_of:
                steps = len({d for (m, d) in step_of if m == row.mentee_id})
                step_of[key] = max(0.05, base - steps * self.rng.uniform(0.02, 0.09))
            values = self._values(row.definition, step_of[key])
            result = instruments.score(row.instrument, values)
            done_on = min(row.due_on + datetime.timedelta(days=self.rng.randint(0, 5)), cutoff)
            row.status = Administration.Status.COMPLETED
            row.completed_at = self.w.at(done_on, hour=self.rng.randint(10, 19))
            row.total = result.total
            row.reported_score = result.reported
            row.band = result.band
            row.flags = list(result.flags)
            row.mode = self.rng.choice(
                [Administration.Mode.SELF, Administration.Mode.LINK, Administration.Mode.IN_PERSON]
            )
            row.helped = self.rng.random() < 0.2
            row.answered_by_id = (
                row.match.mentor.user_id if row.respondent_is_mentor else row.mentee.user_id
            )
            answered.append(row)
            for item, value in zip(row.definition.items, values, strict=True):
                responses.append(Response(administration=row, item=item.number, value=value))
        Administration.objects.bulk_update(
            answered,
            [
                "status",
                "completed_at",
                "total",
                "reported_score",
                "band",
                "flags",
                "mode",
                "helped",
                "answered_by",
            ],
            batch_size=500,
        )
        Administration.objects.bulk_update(missed, ["status"], batch_size=500)
        Response.objects.bulk_create(responses, batch_size=2000)
        return len(answered), len(missed)

    def _values(self, definition: instruments.Instrument, level: float) -> list:
        """Answers for one questionnaire; ``level`` near 0 is doing well, near 1 struggling."""
        code = definition.code
        if code == "CHECKIN":
            return [
                min(30, int(30 * level * level * self.rng.random())),
                self.rng.choice([3, 3, 3, 2, 0]),
                None,
                None,
                self.rng.choice([1, 1, 1, 2, 3]),
                self.rng.choice([1, 2, 3]),
                1,
                0,
            ]
        values = []
        for item in definition.items:
            options = sorted(option.value for option in definition.options_for(item))
            low, high = options[0], options[-1]
            if code == "PHQ9" and item.number == definition.risk_item:
                values.append(0)
                continue
            bad = min(1.0, max(0.0, self.rng.gauss(level, 0.18)))
            share = (1 - bad) if definition.higher_is_better else bad
            if code in ("REL_MENTEE", "REL_MENTOR"):
                share = min(1.0, max(0.0, self.rng.gauss(0.8, 0.15)))
            values.append(low + round((high - low) * share))
        return values

    def _fixed_mentee_phq9(self) -> None:
        mentee = (
            MenteeProfile.objects.filter(user__email=FIXED_MENTEE, program__in=self.programs)
            .order_by("pk")
            .first()
        )
        if mentee is None:
            return
        recent = self.today - datetime.timedelta(days=14)
        if Administration.objects.filter(
            mentee=mentee,
            instrument="PHQ9",
            status=Administration.Status.DUE,
            due_on__gte=recent,
            due_on__lte=self.today,
        ).exists():
            return
        Administration.objects.create(
            program_id=mentee.program_id,
            mentee=mentee,
            match=None,
            instrument="PHQ9",
            instrument_version=instruments.PHQ9.version,
            timepoint=Timepoint.ADHOC,
            due_on=self.today,
        )
