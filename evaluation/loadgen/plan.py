"""The plan of a generated state-wide program, drawn in memory before anything is written.

Everything comes from one ``random.Random(seed)``, and dates are relative to ``today``: two
runs with the same seed on the same day plan the same program. The plan holds indexes, not
database rows; ``evaluation.loadgen.write`` turns it into rows.

How the history is drawn:

- referrals rise steadily over the years (the program grew); programs differ in size (a
  weight drawn per program, which also sizes their mentors); 15% of mentees were never
  matched (recent referrals mostly: referred or waiting, some on hold or exited);
- each matched mentee has a chain of one to three matches (the longest chains go to the
  earliest referrals, who had the time); all but the last one ended (closed with a reason,
  or declined or withdrawn as proposals); the last one is where the mentee stands today:
  proposed or approved when recent, active or paused while running, closed once its drawn
  length has passed;
- a match that holds a place (approved, active, paused) goes to an active mentor with a free
  place, so no mentor is ever above capacity (the database trigger of ``matching/0003``
  would refuse it anyway); when no place is free the match is planned as it would have gone:
  an approval waits as a proposal, a running match closes.
"""

import datetime
import random
from dataclasses import dataclass, field

from evaluation.loadgen.spec import Scale

UNMATCHED_SHARE = 0.15
CLOSE_REASONS = (
    # (reason, weight, shortest, longest length in days)
    ("goals_met", 25, 180, 540),
    ("planned_end", 30, 300, 400),
    ("mentee_withdrew", 15, 20, 200),
    ("mentor_withdrew", 8, 30, 300),
    ("lost_contact", 15, 20, 180),
    ("safety", 2, 10, 120),
    ("rematch", 5, 20, 150),
)
REMATCH_REASONS = ("rematch", "mentor_withdrew")
PROGRAM_KINDS = (
    # (name, serves IDD-MH, measures given)
    ("Young adults IDD-MH", True, ("WHO5", "UCLA3", "REL_MENTEE")),
    ("Substance-use recovery", False, ("BARC10", "PHQ9", "REL_MENTEE")),
    ("Peer recovery support", False, ("PHQ9", "GAD7", "REL_MENTOR")),
    ("Reentry mentoring", False, ("BARC10", "CHECKIN", "REL_MENTEE")),
    ("Youth transition", True, ("WHO5", "GAD7", "REL_MENTOR")),
)
TOWNS = (
    "Ashford", "Brookside", "Cedar Falls", "Dover", "Easton", "Fairview", "Glenwood",
    "Harbor City", "Ironton", "Jasper", "Kingsport", "Lakeview", "Millbrook", "Northfield",
    "Oakdale", "Pine Ridge", "Quincy", "Riverton", "Springdale", "Troy",
)  # fmt: skip


@dataclass
class ProgramPlan:
    index: int
    center: int
    name: str
    serves_idd_mh: bool
    instruments: tuple[str, ...]
    weight: float
    mentees: list[int] = field(default_factory=list)
    mentors: list[int] = field(default_factory=list)


@dataclass
class MenteePlan:
    index: int
    program: int
    referral_date: datetime.date
    birth_date: datetime.date
    idd_mh: bool
    gender: str
    spanish: bool
    has_case_manager: bool
    status: str = "waiting"
    waiting_since: datetime.date | None = None
    matches: list[int] = field(default_factory=list)


@dataclass
class MentorPlan:
    index: int
    program: int
    joined: datetime.date
    capacity: int
    status: str
    gender: str
    spanish: bool
    idd_mh_experience: bool
    places_taken: int = 0


@dataclass
class MatchPlan:
    index: int
    program: int
    mentee: int
    mentor: int = -1
    status: str = "proposed"
    proposed: datetime.date | None = None
    approved: datetime.date | None = None
    started: datetime.date | None = None
    paused: datetime.date | None = None
    ended: datetime.date | None = None  # closed, declined or withdrawn on
    close_reason: str = ""
    rematch_of: int | None = None
    score: float = 0.0

    @property
    def holds_place(self) -> bool:
        return self.status in ("approved", "active", "paused")

    def running_days(self, today: datetime.date) -> int:
        """Days the match ran (0 when it never started)."""
        if self.started is None:
            return 0
        end = self.ended if self.status == "closed" else today
        return max(0, (end - self.started).days)


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, in whole numbers that add up exactly."""
    whole = sum(weights)
    if not weights or whole <= 0:
        return [0] * len(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class Planner:
    def __init__(self, *, scale: Scale, seed: int, today: datetime.date):
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = today
        self.first_day = today - datetime.timedelta(days=365 * scale.years)
        self.programs: list[ProgramPlan] = []
        self.mentees: list[MenteePlan] = []
        self.mentors: list[MentorPlan] = []
        self.matches: list[MatchPlan] = []

    def day(self, low: datetime.date, high: datetime.date) -> datetime.date:
        span = (high - low).days
        return low + datetime.timedelta(days=self.rng.randint(0, max(0, span)))

    def plan(self) -> "Planner":
        self._programs()
        self._people()
        self._matches()
        return self

    @property
    def benchmark_program(self) -> int:
        """A program of typical size (the median weight): the benchmark logins work there."""
        ordered = sorted(self.programs, key=lambda p: (p.weight, p.index))
        return ordered[len(ordered) // 2].index

    # --- Programs and people ---

    def _programs(self) -> None:
        for index in range(self.scale.programs):
            # A center's programs are of different kinds (names are unique in a center).
            kind = (index // self.scale.centers + index) % len(PROGRAM_KINDS)
            name, idd, instruments = PROGRAM_KINDS[kind]
            self.programs.append(
                ProgramPlan(
                    index=index,
                    center=index % self.scale.centers,
                    name=name,
                    serves_idd_mh=idd,
                    instruments=instruments,
                    weight=self.rng.uniform(0.5, 1.5),
                )
            )

    def _people(self) -> None:
        rng = self.rng
        weights = [p.weight for p in self.programs]
        span = (self.today - datetime.timedelta(days=3) - self.first_day).days
        mentee_counts = largest_remainder(self.scale.mentees, weights)
        for program, count in zip(self.programs, mentee_counts, strict=True):
            for _ in range(count):
                idd = program.serves_idd_mh and rng.random() < 0.7
                age = rng.randint(18, 25) if idd else rng.randint(18, 64)
                plan = MenteePlan(
                    index=len(self.mentees),
                    program=program.index,
                    # The program grew: referrals per month rise steadily over the years.
                    referral_date=self.first_day
                    + datetime.timedelta(days=int(span * rng.random() ** 0.5)),
                    birth_date=self.today
                    - datetime.timedelta(days=365 * age + rng.randint(0, 364)),
                    idd_mh=idd,
                    gender=rng.choices(["woman", "man", "non_binary", ""], [46, 46, 5, 3])[0],
                    spanish=rng.random() < 0.18,
                    has_case_manager=rng.random() < 0.45,
                )
                program.mentees.append(plan.index)
                self.mentees.append(plan)
        mentor_counts = largest_remainder(self.scale.mentors, weights)
        for program, count in zip(self.programs, mentor_counts, strict=True):
            for _ in range(count):
                status = rng.choices(
                    ["active", "on_hold", "inactive", "in_training"], [82, 6, 8, 4]
                )[0]
                plan = MentorPlan(
                    index=len(self.mentors),
                    program=program.index,
                    # Most mentors joined early; some joined along the way.
                    joined=self.first_day + datetime.timedelta(days=int(span * rng.random() ** 2)),
                    capacity=rng.choices([1, 2, 3, 4], [15, 35, 35, 15])[0],
                    status=status,
                    gender=rng.choice(["woman", "man", "woman", "man", "non_binary"]),
                    spanish=rng.random() < 0.2,
                    idd_mh_experience=program.serves_idd_mh or rng.random() < 0.2,
                )
                program.mentors.append(plan.index)
                self.mentors.append(plan)

    # --- Matches ---

    def _chain_lengths(self) -> dict[int, int]:
        """How many matches each mentee had (0 for the never-matched), adding up exactly."""
        rng = self.rng
        by_referral = sorted(self.mentees, key=lambda m: (m.referral_date, m.index))
        total = len(by_referral)
        matched_count = min(total, self.scale.matches, round(total * (1 - UNMATCHED_SHARE)))
        # The never-matched are mostly recent referrals, a few older ones left or are on hold.
        recent = by_referral[int(total * 0.85) :]
        unmatched = set()
        want = total - matched_count
        for plan in rng.sample(recent, min(len(recent), int(want * 0.35))):
            unmatched.add(plan.index)
        rest = [m.index for m in by_referral if m.index not in unmatched]
        for index in rng.sample(rest, want - len(unmatched)):
            unmatched.add(index)
        lengths = {m.index: (0 if m.index in unmatched else 1) for m in self.mentees}
        extra = self.scale.matches - matched_count
        # Longer chains for the earliest referrals, who had time for a rematch or two.
        early = [m.index for m in by_referral[: int(total * 0.7)] if m.index not in unmatched]
        early = early or [m.index for m in by_referral if m.index not in unmatched]
        while extra > 0:
            index = rng.choice(early)
            if lengths[index] < 3:
                lengths[index] += 1
                extra -= 1
        return lengths

    def _matches(self) -> None:
        lengths = self._chain_lengths()
        # Mentors by program, oldest first, for choosing one who was there at the time.
        for mentee in sorted(self.mentees, key=lambda m: (m.referral_date, m.index)):
            self._chain(mentee, lengths[mentee.index])

    def _close_reason(self) -> tuple[str, int]:
        reasons = self.rng.choices(CLOSE_REASONS, [r[1] for r in CLOSE_REASONS])[0]
        return reasons[0], self.rng.randint(reasons[2], reasons[3])

    def _new_match(self, mentee: MenteePlan, proposed: datetime.date) -> MatchPlan:
        match = MatchPlan(
            index=len(self.matches),
            program=mentee.program,
            mentee=mentee.index,
            proposed=proposed,
            score=round(self.rng.uniform(45, 95), 2),
        )
        self.matches.append(match)
        mentee.matches.append(match.index)
        return match

    def _chain(self, mentee: MenteePlan, length: int) -> None:
        rng, today = self.rng, self.today
        if length == 0:
            self._never_matched(mentee)
            return
        day = min(mentee.referral_date + datetime.timedelta(days=rng.randint(7, 60)), today)
        previous = None
        for position in range(length):
            last = position == length - 1
            match = self._new_match(mentee, day)
            if previous is not None and previous.close_reason in REMATCH_REASONS:
                match.rematch_of = previous.index
            if last:
                self._last(mentee, match)
            else:
                remaining = length - position - 1
                self._ended(match, room=(today - day).days / (remaining + 1))
                gap = rng.randint(7, 45) if match.status == "closed" else rng.randint(3, 30)
                day = min(match.ended + datetime.timedelta(days=gap), today)
            previous = match

    def _ended(self, match: MatchPlan, *, room: float) -> None:
        """A match before the mentee's last one: declined, withdrawn or closed, within
        ``room`` days so that the next ones still fit before today."""
        rng = self.rng
        draw = rng.random()
        if draw < 0.08 or room < 30:
            match.status = "declined" if draw < 0.05 or room < 30 else "withdrawn"
            match.ended = match.proposed + datetime.timedelta(
                days=rng.randint(1, min(10, int(room) or 1))
            )
            match.ended = min(match.ended, self.today)
            self._assign_mentor(match, needs_place=False)
            return
        match.approved = match.proposed + datetime.timedelta(days=rng.randint(1, 5))
        match.started = match.approved + datetime.timedelta(days=rng.randint(2, 10))
        reason, length = self._close_reason()
        length = max(10, min(length, int(room) - 30))
        match.status, match.close_reason = "closed", reason
        match.ended = min(match.started + datetime.timedelta(days=length), self.today)
        self._assign_mentor(match, needs_place=False)

    def _last(self, mentee: MenteePlan, match: MatchPlan) -> None:
        rng, today = self.rng, self.today
        elapsed = (today - match.proposed).days
        draw = rng.random()
        if draw < 0.03 and elapsed > 5:
            match.status = "declined" if draw < 0.02 else "withdrawn"
            match.ended = match.proposed + datetime.timedelta(days=rng.randint(1, min(5, elapsed)))
            self._assign_mentor(match, needs_place=False)
            mentee.status, mentee.waiting_since = "waiting", match.ended
            return
        approved = match.proposed + datetime.timedelta(days=rng.randint(1, 5))
        started = approved + datetime.timedelta(days=rng.randint(2, 10))
        if approved > today or (elapsed < 10 and rng.random() < 0.5):
            match.status = "proposed"
        elif started > today:
            match.status, match.approved = "approved", approved
        else:
            reason, length = self._close_reason()
            match.approved, match.started = approved, started
            ends = started + datetime.timedelta(days=length)
            if ends < today:
                match.status, match.close_reason, match.ended = "closed", reason, ends
            else:
                match.status = "paused" if rng.random() < 0.08 else "active"
                if match.status == "paused":
                    match.paused = self.day(started, today)
        if not self._assign_mentor(match, needs_place=match.holds_place):
            # No free place: the approval waits as a proposal, a running match ended.
            if match.status == "approved":
                match.status, match.approved = "proposed", None
            else:
                match.status, match.paused = "closed", None
                match.close_reason = rng.choice(["planned_end", "mentor_withdrew", "lost_contact"])
                match.ended = self.day(match.started, today)
            self._assign_mentor(match, needs_place=False)
        if match.status in ("proposed", "approved"):
            before = self.matches[mentee.matches[-2]].ended if len(mentee.matches) > 1 else None
            mentee.status, mentee.waiting_since = "waiting", before or mentee.referral_date
        elif match.status in ("active", "paused"):
            mentee.status = "matched"
        elif match.close_reason in REMATCH_REASONS:
            mentee.status, mentee.waiting_since = "waiting", match.ended
        else:
            mentee.status = "exited"

    def _assign_mentor(self, match: MatchPlan, *, needs_place: bool) -> bool:
        program = self.programs[match.program]
        candidates = [self.mentors[i] for i in program.mentors]
        if needs_place:
            candidates = [
                m for m in candidates if m.status == "active" and m.places_taken < m.capacity
            ]
        else:
            there = [m for m in candidates if m.joined <= match.proposed]
            candidates = there or candidates
        if not candidates:
            return False
        mentor = self.rng.choice(candidates)
        match.mentor = mentor.index
        if needs_place:
            mentor.places_taken += 1
        return True

    def _never_matched(self, mentee: MenteePlan) -> None:
        rng = self.rng
        waited = (self.today - mentee.referral_date).days
        if waited < 30:
            mentee.status = rng.choice(["referred", "waiting"])
        else:
            mentee.status = rng.choices(["waiting", "on_hold", "exited"], [60, 10, 30])[0]
        if mentee.status == "waiting":
            mentee.waiting_since = min(
                mentee.referral_date + datetime.timedelta(days=rng.randint(0, 14)), self.today
            )
