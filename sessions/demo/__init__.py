"""The demo's sessions: six months of one-to-one sessions, group sessions, feedback, and the
resource directory with its referrals.

``manage.py seed_demo`` calls ``build_sessions`` through ``accounts.demo.DEMO_STEPS`` after
the matches exist (matching registers its step first). What the demo holds:

- for each program, a directory of twelve services (housing, work, clinics, treatment, crisis
  lines, benefits, peer groups...), some of them Spanish-speaking;
- for every active, paused and closed match, its sessions of the last six months (since the
  match started, until it was paused or closed), weekly or every other week: about 80% held,
  10% cancelled, 10% no-show. Held sessions carry the support given, topics, the mentee's
  goals worked on, a summary, sometimes private notes, resources shared and referrals (most
  older ones followed up, so the directory shows which services work); a few ask to talk with
  a supervisor and two raised an urgent safety concern (with its alert). Most older logs are
  reviewed by a supervisor;
- upcoming sessions for the next two weeks of every active match; ``mentor``↔``mentee`` have
  one tomorrow and one from yesterday still waiting to be logged, and a few other mentors are
  behind with their logs too;
- the mentee's feedback on about 60% of held sessions, mostly positive, some asking to be
  contacted;
- per program, a support group every other week with its facilitating mentors and attendance
  (``mentor`` facilitates, ``mentee`` attends), a monthly workshop and a community event.

Everything is drawn from its own ``random.Random`` before it is written in bulk: the rows
describe the past, so no notification is queued for them. The directories are in
``directory``, the words of the sessions and the group-session plans in ``texts``.
"""

import datetime
import random
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from accounts.demo.plans import MenteePlan, MentorPlan
from accounts.demo.spec import CENTER_TIME_ZONE, SEED
from accounts.models import Goal, MenteeProfile, MentorProfile
from matching.models import Match, MatchEvent
from sessions.demo.directory import RESOURCES
from sessions.demo.texts import (
    AREA_TOPICS,
    CANCELLED,
    COMMUNITY_EVENTS,
    DAY_INDEX,
    FEEDBACK_COMMENTS,
    FEEDBACK_COMMENTS_ES,
    FEEDBACK_COMMENTS_LOW,
    GROUP_TOPICS,
    NEXT_STEPS,
    NO_SHOW,
    OUTCOMES_CONNECTED,
    OUTCOMES_NOT_CONNECTED,
    PART_HOURS,
    PLACES,
    PRIVATE_NOTES,
    SUMMARIES,
    SUPPORT_GROUPS,
    TALK_NOTES,
    TOPIC_CATEGORIES,
    URGENT,
    WORKSHOPS,
)
from sessions.models import (
    CrisisSettings,
    GroupAttendance,
    GroupSession,
    MentoringSession,
    Referral,
    Resource,
    SafetyAlert,
    SessionFeedback,
    SupportType,
    Topic,
)

HISTORY_DAYS = 182
UPCOMING_DAYS = 14
ZONE = zoneinfo.ZoneInfo(CENTER_TIME_ZONE)
FIXED_MENTEE = "mentee@example.org"
FIXED_MENTOR = "mentor@example.org"


def build_sessions(*, writer, mentors: list[MentorPlan], mentees: list[MenteePlan]) -> dict:
    return DemoSessions(writer).build()


@dataclass
class MatchFacts:
    match: Match
    program: str
    mentor_user_id: int
    mentee_user_id: int
    name: str  # the mentee's first name, as mentors write it
    spanish: bool
    slots: list[str]
    modalities: list[str]
    goals: list[tuple[int, str]]  # (goal id, area slug)
    history_end: datetime.date | None  # the last day of the history, or None for none
    upcoming: bool
    fixed: bool
    prefers_spanish: bool = False
    # The pair's usual meeting time and rhythm (7 or 14 days), drawn with the history.
    weekday: int = 0
    hour: int = 17
    minute: int = 0
    step: int = 7


class DemoSessions:
    def __init__(self, writer):
        self.w = writer
        self.rng = random.Random(f"{SEED}-sessions")
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.start = self.today - datetime.timedelta(days=HISTORY_DAYS)
        self.program_key = {program.pk: key for key, program in writer.programs.items()}
        self.topics = {topic.slug: topic for topic in Topic.objects.all()}
        self.sessions: list[MentoringSession] = []
        self.facts_of: list[MatchFacts] = []  # parallel to self.sessions
        self.topic_rows, self.goal_rows, self.shared_rows = [], [], []
        self.referred: list[tuple[int, Resource]] = []  # (session index, resource)
        self.urgent: list[int] = []

    # --- Helpers ---

    def at(self, day: datetime.date, hour: int, minute: int | None = None) -> datetime.datetime:
        minute = self.rng.choice([0, 0, 15, 30, 30, 45]) if minute is None else minute
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZONE)

    def past(self, moment: datetime.datetime) -> datetime.datetime:
        return min(moment, self.now - datetime.timedelta(minutes=5))

    # --- The steps ---

    def build(self) -> dict:
        self.resources = self._create_resources()
        facts = self._match_facts()
        for fact in facts:
            self._plan_history(fact)
        self._pick_urgent()
        for fact in facts:
            self._plan_upcoming(fact)
        self._write_sessions()
        referrals = self._write_referrals()
        feedback = self._write_feedback()
        self._write_alerts()
        groups = self._create_groups()
        held = sum(1 for s in self.sessions if s.status == MentoringSession.Status.HELD)
        return {
            "resources": sum(len(r) for r in self.resources.values()),
            "sessions": len(self.sessions),
            "held sessions": held,
            "referrals": referrals,
            "session feedback": feedback,
            "group sessions": groups,
        }

    def _create_resources(self) -> dict[str, list[Resource]]:
        languages = self.w.taxonomy["languages"]
        rows, specs = [], []
        for key, program in self.w.programs.items():
            for spec in RESOURCES[key]:
                rows.append(
                    Resource(
                        program=program,
                        name=spec.name,
                        category=spec.category,
                        description=spec.description,
                        phone=spec.phone,
                        email=f"info@{spec.web}.example.org" if spec.web else "",
                        website=f"https://{spec.web}.example.org" if spec.web else "",
                        address=spec.address,
                        hours=spec.hours,
                    )
                )
                specs.append(spec)
        rows = Resource.objects.bulk_create(rows)
        Resource.objects.filter(pk__in=[r.pk for r in rows]).update(
            created_at=self.at(self.start - datetime.timedelta(days=60), 9)
        )
        Through = Resource.languages.through
        Through.objects.bulk_create(
            Through(resource_id=row.pk, language_id=languages[slug].pk)
            for row, spec in zip(rows, specs, strict=True)
            for slug in spec.languages
        )
        by_program = defaultdict(list)
        for row, spec in zip(rows, specs, strict=True):
            row.spanish = "spanish" in spec.languages
            # How well the service works for mentees in this demo (drives the follow-ups).
            row.quality = self.rng.uniform(0.35, 0.9)
            by_program[self.program_key[row.program_id]].append(row)
        return by_program

    def _match_facts(self) -> list[MatchFacts]:
        matches = list(
            Match.objects.filter(
                program__in=self.w.programs.values(),
                status__in=[Match.Status.ACTIVE, Match.Status.PAUSED, Match.Status.CLOSED],
                started_on__isnull=False,
            )
            .select_related("mentor__user", "mentee__user")
            .order_by("pk")
        )
        mentee_ids = [m.mentee_id for m in matches]
        paused_on = dict(
            MatchEvent.objects.filter(match__in=matches, to_status=Match.Status.PAUSED)
            .order_by("match_id", "at")
            .values_list("match_id", "at")
        )
        goals = defaultdict(list)
        for goal_id, mentee_id, area, status in Goal.objects.filter(
            mentee_id__in=mentee_ids
        ).values_list("pk", "mentee_id", "area__slug", "status"):
            if status != Goal.Status.NOT_STARTED:
                goals[mentee_id].append((goal_id, area))
        spanish = set(
            MenteeProfile.languages.through.objects.filter(
                menteeprofile_id__in=mentee_ids, language__slug="spanish"
            ).values_list("menteeprofile_id", flat=True)
        )
        facts = []
        for match in matches:
            mentor, mentee = match.mentor, match.mentee
            if match.status == Match.Status.CLOSED:
                end = match.closed_on - datetime.timedelta(days=1) if match.closed_on else None
            elif match.status == Match.Status.PAUSED and match.pk in paused_on:
                end = timezone.localtime(paused_on[match.pk]).date() - datetime.timedelta(days=1)
            else:
                end = self.today - datetime.timedelta(days=1)
            fixed = mentee.user.email == FIXED_MENTEE and mentor.user.email == FIXED_MENTOR
            facts.append(
                MatchFacts(
                    match=match,
                    program=self.program_key[match.program_id],
                    mentor_user_id=mentor.user_id,
                    mentee_user_id=mentee.user_id,
                    name=mentee.user.display_name.split(" ")[0],
                    spanish=mentee.pk in spanish,
                    prefers_spanish=mentee.user.preferred_language == "es",
                    slots=sorted(set(mentor.availability) & set(mentee.availability))
                    or sorted(mentor.availability)
                    or ["tue-afternoon"],
                    modalities=sorted(set(mentor.modalities) & set(mentee.modalities))
                    or ["in_person"],
                    goals=goals[mentee.pk],
                    history_end=end,
                    upcoming=match.status == Match.Status.ACTIVE,
                    fixed=fixed,
                )
            )
        return facts

    def _standing_time(self, fact: MatchFacts) -> tuple[int, int, int]:
        """The pair's usual weekday and hour, from the availability they share."""
        slot = self.rng.choice(fact.slots)
        day, part = slot.split("-")
        low, high = PART_HOURS[part]
        return DAY_INDEX[day], self.rng.randint(low, high), self.rng.choice([0, 0, 30])

    def _dates(
        self, first: datetime.date, last: datetime.date, weekday: int, step: int, *, moves=True
    ):
        day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7)
        while day <= last:
            # Now and then a past meeting moved a day.
            jitter = self.rng.choice([0] * 8 + [-1, 1]) if moves else 0
            moved = day + datetime.timedelta(days=jitter)
            if first <= moved <= last:
                yield moved
            day += datetime.timedelta(days=step)

    def _plan_history(self, fact: MatchFacts) -> None:
        match = fact.match
        fact.weekday, fact.hour, fact.minute = self._standing_time(fact)
        fact.step = 7 if fact.fixed or self.rng.random() < 0.6 else 14
        if fact.history_end is None:
            return
        first = max(match.started_on + datetime.timedelta(days=3), self.start)
        last = fact.history_end
        if fact.fixed:
            last = min(last, self.today - datetime.timedelta(days=2))
        behind = fact.upcoming and not fact.fixed and self.rng.random() < 0.08
        dates = list(self._dates(first, last, fact.weekday, fact.step))
        for n, day in enumerate(dates):
            starts_at = self.at(day, fact.hour, fact.minute)
            if behind and n == len(dates) - 1 and (self.today - day).days <= 7:
                # This mentor has not logged their last session yet.
                self._add(fact, MentoringSession.Status.SCHEDULED, starts_at)
                continue
            status = self.rng.choices(
                [MentoringSession.Status.HELD, "cancelled", "no_show"], weights=[80, 10, 10]
            )[0]
            self._add(fact, status, starts_at)

    def _plan_upcoming(self, fact: MatchFacts) -> None:
        if not fact.upcoming:
            return
        if fact.fixed:
            yesterday = self.today - datetime.timedelta(days=1)
            tomorrow = self.today + datetime.timedelta(days=1)
            self._add(fact, MentoringSession.Status.SCHEDULED, self.at(yesterday, 17, 30))
            self._add(fact, MentoringSession.Status.SCHEDULED, self.at(tomorrow, 17, 30))
            return
        first = self.today + datetime.timedelta(days=1)
        last = self.today + datetime.timedelta(days=UPCOMING_DAYS)
        for day in self._dates(first, last, fact.weekday, fact.step, moves=False):
            self._add(fact, MentoringSession.Status.SCHEDULED, self.at(day, fact.hour, fact.minute))

    def _add(self, fact: MatchFacts, status: str, starts_at: datetime.datetime) -> None:
        rng = self.rng
        match = fact.match
        modality = rng.choice(fact.modalities)
        session = MentoringSession(
            match=match,
            status=status,
            starts_at=starts_at,
            expected_minutes=45 if fact.program == "idd" else 60,
            modality=modality,
            place=rng.choice(PLACES[modality]),
            created_by_id=fact.mentor_user_id,
        )
        index = len(self.sessions)
        self.sessions.append(session)
        self.facts_of.append(fact)
        session.created_back = starts_at - datetime.timedelta(days=rng.randint(2, 10))
        if status == MentoringSession.Status.SCHEDULED:
            return
        name = fact.name
        session.logged_by_id = fact.mentor_user_id
        if status == MentoringSession.Status.HELD:
            session.duration_minutes = rng.choice(
                [30, 45, 45, 60] if fact.program == "idd" else [45, 60, 60, 60, 75, 90, 120]
            )
            ends = starts_at + datetime.timedelta(minutes=session.duration_minutes)
            if ends > self.now:
                session.duration_minutes = 30
                ends = starts_at + datetime.timedelta(minutes=30)
            topics = self._held_details(session, fact, index)
            lines = [rng.choice(SUMMARIES[slug]) for slug in topics[:2]]
            if rng.random() < 0.4:
                lines.append(rng.choice(NEXT_STEPS))
            session.summary = " ".join(lines).format(name=name)
            if rng.random() < 0.12:
                session.private_notes = rng.choice(PRIVATE_NOTES)
            if not fact.fixed and rng.random() < 0.015:
                session.concern = MentoringSession.Concern.TALK
                session.private_notes = rng.choice(TALK_NOTES).format(name=name)
        else:
            ends = starts_at
            texts = CANCELLED if status == MentoringSession.Status.CANCELLED else NO_SHOW
            session.summary = rng.choice(texts).format(name=name)
        session.logged_at = self.past(ends + datetime.timedelta(hours=rng.randint(1, 30)))
        if (self.today - starts_at.date()).days > 10 and rng.random() < 0.75:
            session.reviewed_at = self.past(session.logged_at + datetime.timedelta(days=3))
            session.reviewed_by_id = self.w.supervisors[fact.program].pk

    def _held_details(self, session: MentoringSession, fact: MatchFacts, index: int) -> list:
        rng = self.rng
        kinds = [
            kind
            for kind, odds in (
                (SupportType.EMOTIONAL, 0.85),
                (SupportType.INFORMATIONAL, 0.55),
                (SupportType.INSTRUMENTAL, 0.3),
            )
            if rng.random() < odds
        ] or [SupportType.EMOTIONAL]
        session.support_types = [str(kind) for kind in kinds]
        goals = rng.sample(fact.goals, k=min(len(fact.goals), rng.choice([0, 1, 1, 2])))
        topics = [rng.choice(AREA_TOPICS[area]) for _goal, area in goals]
        if not topics or rng.random() < 0.3:
            topics.append(rng.choice(["coping-skills", "resource-navigation", "health"]))
        topics = list(dict.fromkeys(slug for slug in topics if slug in self.topics))
        self.topic_rows += [(index, self.topics[slug].pk) for slug in topics]
        self.goal_rows += [(index, goal_id) for goal_id, _area in goals]
        practical = {SupportType.INFORMATIONAL, SupportType.INSTRUMENTAL} & set(kinds)
        if practical and rng.random() < 0.4:
            shared = self._pick_resources(fact, topics, rng.choice([1, 1, 2]))
            self.shared_rows += [(index, resource.pk) for resource in shared]
            for resource in shared:
                if rng.random() < 0.55:
                    self.referred.append((index, resource))
        return topics

    def _pick_resources(self, fact: MatchFacts, topics: list[str], count: int) -> list[Resource]:
        directory = self.resources[fact.program]
        categories = {c for slug in topics for c in TOPIC_CATEGORIES.get(slug, [])}
        fitting = [r for r in directory if r.category in categories] or directory
        if fact.spanish:
            fitting = [r for r in fitting if r.spanish] or fitting
        return self.rng.sample(fitting, k=min(count, len(fitting)))

    def _pick_urgent(self) -> None:
        """Two held sessions, in two programs, raised an urgent safety concern: one about six
        weeks ago (resolved since), one last week (being worked)."""
        for days, program in ((42, "su"), (6, "mh")):
            candidates = [
                i
                for i, (session, fact) in enumerate(zip(self.sessions, self.facts_of, strict=True))
                if session.status == MentoringSession.Status.HELD
                and fact.program == program
                and not fact.fixed
                and days - 5 <= (self.today - session.starts_at.date()).days <= days + 5
            ]
            if not candidates:
                continue
            index = self.rng.choice(candidates)
            session, fact = self.sessions[index], self.facts_of[index]
            session.concern = MentoringSession.Concern.URGENT
            session.summary, notes = (text.format(name=fact.name) for text in URGENT)
            session.private_notes = notes
            session.support_types = [SupportType.EMOTIONAL.value, SupportType.INFORMATIONAL.value]
            session.reviewed_at = session.logged_at
            session.reviewed_by_id = self.w.supervisors[fact.program].pk
            self.urgent.append(index)

    # --- Writing ---

    def _queue_reminders_of_the_next_days(self) -> None:
        """Sessions of the next three days get their reminders as if just scheduled, so the
        running demo sends them (tomorrow's ``mentor``↔``mentee`` session among them)."""
        from sessions.services.logs import queue_session_reminders

        soon = timezone.now() + datetime.timedelta(days=3)
        for session in self.sessions:
            if (
                session.status == MentoringSession.Status.SCHEDULED
                and timezone.now() < session.starts_at < soon
            ):
                queue_session_reminders(session)

    def _write_sessions(self) -> None:
        self.sessions = MentoringSession.objects.bulk_create(self.sessions, batch_size=500)
        for session in self.sessions:
            session.created_at = session.created_back
            session.updated_at = session.logged_at or session.created_back
        MentoringSession.objects.bulk_update(
            self.sessions, ["created_at", "updated_at"], batch_size=500
        )
        self._queue_reminders_of_the_next_days()
        pk = [session.pk for session in self.sessions]
        for field, rows, column in (
            (MentoringSession.topics, self.topic_rows, "topic_id"),
            (MentoringSession.goals_worked_on, self.goal_rows, "goal_id"),
            (MentoringSession.resources_shared, self.shared_rows, "resource_id"),
        ):
            Through = field.through
            unique = dict.fromkeys(rows)
            Through.objects.bulk_create(
                (Through(mentoringsession_id=pk[i], **{column: other}) for i, other in unique),
                batch_size=1000,
            )

    def _write_referrals(self) -> int:
        rng = self.rng
        rows, seen = [], set()
        for index, resource in self.referred:
            session = self.sessions[index]
            if (session.pk, resource.pk) in seen:
                continue
            seen.add((session.pk, resource.pk))
            referral = Referral(session=session, resource=resource)
            day = timezone.localtime(session.starts_at).date()
            age = (self.today - day).days
            if age > 14 and rng.random() < 0.88:
                connected = rng.random() < resource.quality
                referral.follow_up = (
                    Referral.FollowUp.CONNECTED if connected else Referral.FollowUp.NOT_CONNECTED
                )
                referral.followed_up_on = min(
                    day + datetime.timedelta(days=rng.randint(5, 21)), self.today
                )
                if connected:
                    best = 5 if resource.quality > 0.7 else 4 if resource.quality > 0.5 else 3
                    referral.helpfulness = max(1, min(5, best + rng.choice([-1, 0, 0, 1])))
                    referral.outcome_notes = rng.choice(OUTCOMES_CONNECTED)
                else:
                    referral.outcome_notes = rng.choice(OUTCOMES_NOT_CONNECTED)
            rows.append(referral)
        rows = Referral.objects.bulk_create(rows, batch_size=500)
        for referral in rows:
            referral.created_at = referral.session.logged_at
        Referral.objects.bulk_update(rows, ["created_at"], batch_size=500)
        return len(rows)

    def _write_feedback(self) -> int:
        rng = self.rng
        rows, when = [], []
        fixed_held = [
            i
            for i, (s, fact) in enumerate(zip(self.sessions, self.facts_of, strict=True))
            if fact.fixed and s.status == MentoringSession.Status.HELD
        ]
        # The demo mentee's latest held session still waits for their feedback.
        waiting = fixed_held[-1] if fixed_held else None
        for index, (session, fact) in enumerate(zip(self.sessions, self.facts_of, strict=True)):
            if session.status != MentoringSession.Status.HELD or index == waiting:
                continue
            if rng.random() >= (0.85 if fact.fixed else 0.6):
                continue
            rating = rng.choices([5, 4, 3, 2, 1], weights=[45, 33, 14, 6, 2])[0]
            good = ["yes"] * 8 + ["not_sure"] * 2
            low = ["yes", "not_sure", "not_sure", "no"]
            answers = good if rating >= 4 else low
            comment = ""
            if rng.random() < 0.25:
                pool = FEEDBACK_COMMENTS if rating >= 3 else FEEDBACK_COMMENTS_LOW
                comment = rng.choice(FEEDBACK_COMMENTS_ES if fact.prefers_spanish else pool)
            rows.append(
                SessionFeedback(
                    session=session,
                    rating=rating,
                    felt_listened_to=rng.choice(answers),
                    learned_something=rng.choice(answers),
                    more_hopeful=rng.choice(answers),
                    wants_contact=rng.random() < (0.25 if rating <= 2 else 0.04),
                    comment=comment,
                    answered_by_id=fact.mentee_user_id,
                    via_link=rng.random() < 0.5,
                )
            )
            when.append(self.past(session.logged_at + datetime.timedelta(hours=rng.randint(2, 60))))
        rows = SessionFeedback.objects.bulk_create(rows, batch_size=500)
        for row, moment in zip(rows, when, strict=True):
            row.submitted_at = moment
        SessionFeedback.objects.bulk_update(rows, ["submitted_at"], batch_size=500)
        return len(rows)

    def _write_alerts(self) -> None:
        # Each program's on-call line (555-01xx numbers are reserved for fiction).
        for n, program in enumerate(self.w.programs.values()):
            CrisisSettings.objects.get_or_create(
                program=program, defaults={"on_call_phone": f"555-01{n:02d}"}
            )
        for n, index in enumerate(self.urgent):
            session, fact = self.sessions[index], self.facts_of[index]
            resolved = n == 0
            taken_on = session.logged_at + datetime.timedelta(minutes=12)
            SafetyAlert.objects.create(
                program_id=session.match.program_id,
                mentee_id=session.match.mentee_id,
                source=SafetyAlert.Source.SESSION_CONCERN,
                session=session,
                raised_by_id=fact.mentor_user_id,
                raised_at=session.logged_at,
                acknowledged_at=taken_on,
                status=SafetyAlert.Status.RESOLVED if resolved else SafetyAlert.Status.IN_PROGRESS,
                outcome=SafetyAlert.Outcome.SAFE_PLAN if resolved else "",
                resolved_at=taken_on + datetime.timedelta(hours=3) if resolved else None,
            )

    # --- Group sessions ---

    def _create_groups(self) -> int:
        rng = self.rng
        mentors = defaultdict(list)
        programs = list(self.w.programs.values())
        for mentor in (
            MentorProfile.objects.filter(program__in=programs, status=MentorProfile.Status.ACTIVE)
            .select_related("user")
            .order_by("pk")
        ):
            mentors[self.program_key[mentor.program_id]].append(mentor)
        pools = defaultdict(list)
        for mentee in (
            MenteeProfile.objects.filter(
                program__in=programs,
                status__in=[MenteeProfile.Status.MATCHED, MenteeProfile.Status.WAITING],
            )
            .select_related("user")
            .order_by("pk")
        ):
            pools[self.program_key[mentee.program_id]].append(mentee)
        groups, facilitators, invited = [], [], []
        for key, program in self.w.programs.items():
            coordinator = self.w.coordinators[key]
            lead = [m for m in mentors[key] if m.user.email == FIXED_MENTOR]
            others = [m for m in mentors[key] if m not in lead]
            regulars = [m for m in pools[key] if m.user.email == FIXED_MENTEE]
            regulars += rng.sample(
                [m for m in pools[key] if m not in regulars], k=min(8, len(pools[key]))
            )
            title, weekday, hour, minute, place = SUPPORT_GROUPS[key]
            first = self.start + datetime.timedelta(days=(weekday - self.start.weekday()) % 7)
            day, n = first, 0
            plan = []
            while day <= self.today + datetime.timedelta(days=UPCOMING_DAYS):
                plan.append(
                    ("support_group", title, day, hour, minute, 90, place, GROUP_TOPICS[n % 6])
                )
                day += datetime.timedelta(days=14)
                n += 1
            for month, (name, topic) in enumerate(WORKSHOPS[key]):
                day = self.start + datetime.timedelta(days=20 + 30 * month)
                plan.append(("workshop", name, day, 14, 0, 120, place, topic))
            name, where = COMMUNITY_EVENTS[key]
            plan.append(
                ("community", name, self.today - datetime.timedelta(days=75), 12, 0, 180, where,
                 "community-and-recreation")
            )  # fmt: skip
            for kind, name, day, hour, minute, length, where, topic in plan:
                starts_at = self.at(day, hour, minute)
                group = GroupSession(
                    program=program,
                    kind=kind,
                    title=name,
                    topic=self.topics.get(topic),
                    starts_at=starts_at,
                    duration_minutes=length,
                    place=where,
                    notes="Snacks and coffee provided." if kind == "support_group" else "",
                    created_by=coordinator,
                )
                group.created_back = min(starts_at - datetime.timedelta(days=21), self.now)
                groups.append(group)
                pair = (lead if kind == "support_group" else []) + rng.sample(
                    others, k=min(2 - (1 if lead and kind == "support_group" else 0), len(others))
                )
                facilitators.append(pair)
                size = rng.randint(5, 9) if kind == "support_group" else rng.randint(4, 12)
                people = list(dict.fromkeys(regulars[: min(3, len(regulars))] + rng.sample(
                    pools[key], k=min(size, len(pools[key])))))  # fmt: skip
                invited.append((people, starts_at + datetime.timedelta(minutes=length)))
        groups = GroupSession.objects.bulk_create(groups)
        for group in groups:
            group.created_at = group.created_back
        GroupSession.objects.bulk_update(groups, ["created_at"])
        Through = GroupSession.facilitators.through
        Through.objects.bulk_create(
            Through(groupsession_id=group.pk, mentorprofile_id=mentor.pk)
            for group, pair in zip(groups, facilitators, strict=True)
            for mentor in pair
        )
        rows = []
        for group, (people, ends) in zip(groups, invited, strict=True):
            for mentee in people:
                if ends > self.now:
                    status = GroupAttendance.Status.EXPECTED
                else:
                    came = rng.random() < 0.78
                    status = GroupAttendance.Status.ATTENDED if came else "absent"
                rows.append(GroupAttendance(group_session=group, mentee=mentee, status=status))
        GroupAttendance.objects.bulk_create(rows, batch_size=1000)
        return len(groups)
