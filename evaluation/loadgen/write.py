"""Writes a ``Planner``'s program: people and matches with ``bulk_create`` (in large batches,
with their history back-dated), sessions, feedback, measures and their answers with COPY.

Row-level rules hold as the services would leave them: one open match per mentee, no mentor
above capacity (the ``matching/0003`` trigger checks each match as it is inserted), a closed
match has a reason, a held session a duration, a completed measure its scores (drawn answers
scored by ``evaluation.instruments``), a consent to disclose the elements of 42 CFR 2.31.
Nothing is written through the audit log: bulk writes send no signals.
"""

import datetime
import random
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection

from accounts.demo import texts as people_texts
from accounts.models import (
    AVAILABILITY_SLOTS,
    STANDARD_DISCLOSURE_TERMS,
    STANDARD_EXPIRY_EVENT,
    Center,
    Certification,
    Consent,
    Goal,
    GoalStep,
    Interest,
    Language,
    LifeGoalArea,
    LivedExperience,
    Membership,
    MenteeProfile,
    MentorProfile,
    Program,
    User,
)
from evaluation import instruments
from evaluation.loadgen.bulk import copy_m2m, copy_rows, reserve_ids
from evaluation.loadgen.plan import Planner
from evaluation.models import Administration, MeasureSchedule, Response
from matching.models import Match, MatchEvent, MatchingSettings, SupportContact
from sessions.demo import texts as session_texts
from sessions.models import MentoringSession, SafetyAlert, SessionFeedback, Topic

BATCH = 5000
PEOPLE_DOMAIN = "people.load.peerpath.example"
SLOTS = list(AVAILABILITY_SLOTS)
NEIGHBOURHOODS = [name for names in people_texts.NEIGHBOURHOODS.values() for name in names]
FOLLOW_UPS = (("day30", 30), ("day90", 90), ("day180", 180))
CLOSE_LABELS = dict(Match.CloseReason.choices)
SESSION_FIELDS = (
    "id", "match", "status", "starts_at", "expected_minutes", "modality", "place",
    "duration_minutes", "support_types", "summary", "private_notes", "concern", "logged_at",
    "logged_by", "reviewed_at", "reviewed_by", "created_by", "created_at", "updated_at",
)  # fmt: skip
FEEDBACK_FIELDS = (
    "session", "rating", "felt_listened_to", "learned_something", "more_hopeful",
    "wants_contact", "feels_safe", "comment", "helped", "answered_by", "via_link",
    "submitted_at",
)  # fmt: skip
ADMINISTRATION_FIELDS = (
    "id", "program", "match", "mentee", "instrument", "instrument_version", "timepoint",
    "due_on", "status", "completed_at", "total", "reported_score", "band", "flags",
    "answered_by", "mode", "helped", "draft", "created_at",
)  # fmt: skip


class Writer:
    def __init__(self, plan: Planner, *, seed: int, progress=None):
        self.plan = plan
        self.rng = random.Random(f"{seed}-rows")
        self.today = plan.today
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        # "Now" is the start of today, so that the same seed on the same day writes the same
        # rows whatever the hour (later today's sessions are still to come).
        self.now = datetime.datetime.combine(self.today, datetime.time.min, tzinfo=self.zone)
        self.progress = progress or (lambda message: None)
        self.counts: dict[str, int] = {}
        self.unusable = make_password(None)

    # --- helpers ---

    def at(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        moment = datetime.datetime(
            day.year, day.month, day.day, hour, self.rng.randint(0, 59), tzinfo=self.zone
        )
        return min(moment, self.now)

    def _bulk(self, model, rows: list) -> list:
        return model.objects.bulk_create(rows, batch_size=BATCH)

    def write(self) -> dict[str, int]:
        steps = (
            ("programs and staff", self._programs_and_staff),
            ("mentors and mentees", self._people),
            ("goals and consents", self._goals_and_consents),
            ("matches, events and check-ins", self._matches),
            ("sessions", self._sessions),
            ("feedback and safety alerts", self._feedback),
            ("measures", self._measures),
        )
        for label, step in steps:
            started = datetime.datetime.now()
            step()
            seconds = (datetime.datetime.now() - started).total_seconds()
            self.progress(f"  {label}: {seconds:.1f} s")
        return self.counts

    # --- programs, staff ---

    def _programs_and_staff(self) -> None:
        plan = self.plan
        centers = self._bulk(
            Center,
            [
                Center(
                    name=f"{self._town(i)} Peer Recovery Center",
                    city=self._town(i),
                    phone=f"555-01{i % 100:02d}",
                    time_zone=settings.TIME_ZONE,
                )
                for i in range(plan.scale.centers)
            ],
        )
        created = self.at(plan.first_day, 9)
        self.programs = self._bulk(
            Program,
            [
                Program(
                    center=centers[p.center],
                    name=p.name,
                    serves_idd_mh=p.serves_idd_mh,
                    description=f"{p.name} at {centers[p.center].city}.",
                    created_at=created,
                )
                for p in plan.programs
            ],
        )
        self._bulk(MatchingSettings, [MatchingSettings(program=p) for p in self.programs])
        self._bulk(
            MeasureSchedule,
            [
                MeasureSchedule(program=row, instruments=list(p.instruments))
                for row, p in zip(self.programs, plan.programs, strict=True)
            ],
        )
        # Per program: a coordinator, a supervisor and three case managers of local agencies.
        roles = (("coordinator", 1), ("supervisor", 1), ("case_manager", 3))
        staff = []
        for p in plan.programs:
            for role, count in roles:
                for n in range(count):
                    staff.append((p.index, role, n))
        users = self._bulk(
            User,
            [
                User(
                    email=f"{role.replace('_', '-')}-{program:03d}-{n}@{PEOPLE_DOMAIN}",
                    display_name=self._name(self.rng.choice(["woman", "man"]), False),
                    password=self.unusable,
                    date_joined=created,
                )
                for program, role, n in staff
            ],
        )
        self.staff: dict[tuple[int, str], list[User]] = defaultdict(list)
        memberships = []
        for (program, role, _n), user in zip(staff, users, strict=True):
            self.staff[(program, role)].append(user)
            memberships.append(Membership(user=user, program=self.programs[program], role=role))
        self._bulk(Membership, memberships)
        self.counts.update(centers=len(centers), programs=len(self.programs), staff=len(users))

    def _town(self, index: int) -> str:
        from evaluation.loadgen.plan import TOWNS

        town = TOWNS[index % len(TOWNS)]
        return town if index < len(TOWNS) else f"{town} {index // len(TOWNS) + 1}"

    def coordinator(self, program: int) -> User:
        return self.staff[(program, "coordinator")][0]

    def supervisor(self, program: int) -> User:
        return self.staff[(program, "supervisor")][0]

    def _name(self, gender: str, spanish: bool) -> str:
        group = "es" if spanish else "en"
        gender = gender if gender in ("woman", "man", "non_binary") else "woman"
        first = self.rng.choice(people_texts.FIRST_NAMES[(group, gender)])
        return f"{first} {self.rng.choice(people_texts.LAST_NAMES[group])}"

    # --- people ---

    def _people(self) -> None:
        plan, rng = self.plan, self.rng
        self.taxonomy = {
            "life_goals": list(LifeGoalArea.objects.values_list("pk", "slug")),
            "lived": list(LivedExperience.objects.values_list("pk", flat=True)),
            "interests": list(Interest.objects.values_list("pk", flat=True)),
        }
        languages = dict(Language.objects.values_list("code", "pk"))
        english, spanish = languages.get("en"), languages.get("es")
        people = [("mentor", m) for m in plan.mentors] + [("mentee", m) for m in plan.mentees]
        users = self._bulk(
            User,
            [
                User(
                    email=f"{kind}-{p.index:05d}@{PEOPLE_DOMAIN}",
                    display_name=self._name(p.gender, p.spanish),
                    preferred_language="es" if p.spanish and rng.random() < 0.6 else "en",
                    password=self.unusable,
                    date_joined=self.at(p.joined if kind == "mentor" else p.referral_date),
                    easy_read=kind == "mentee" and p.idd_mh and rng.random() < 0.6,
                )
                for kind, p in people
            ],
        )
        mentor_users, mentee_users = users[: len(plan.mentors)], users[len(plan.mentors) :]
        self._bulk(
            Membership,
            [
                Membership(user=user, program=self.programs[p.program], role=kind)
                for (kind, p), user in zip(people, users, strict=True)
            ],
        )

        def shared(joined: datetime.date) -> dict:
            return {
                "availability": rng.sample(SLOTS, rng.randint(2, 6)),
                "modalities": rng.sample(["in_person", "phone", "video"], rng.randint(1, 3)),
                "location": rng.choice(NEIGHBOURHOODS),
                "created_at": self.at(joined, 9),
                "updated_at": self.at(joined, 11),
            }

        self.mentor_rows = self._bulk(
            MentorProfile,
            [
                MentorProfile(
                    user=user,
                    program=self.programs[p.program],
                    status=p.status,
                    capacity=p.capacity,
                    idd_mh_experience=p.idd_mh_experience,
                    gender=p.gender,
                    bio="Peer mentor in recovery; glad to walk alongside someone new.",
                    **shared(p.joined),
                )
                for p, user in zip(plan.mentors, mentor_users, strict=True)
            ],
        )
        self.mentee_rows = self._bulk(
            MenteeProfile,
            [
                MenteeProfile(
                    user=user,
                    program=self.programs[p.program],
                    status=p.status,
                    birth_date=p.birth_date,
                    idd_mh=p.idd_mh,
                    gender=p.gender,
                    case_manager=rng.choice(self.staff[(p.program, "case_manager")])
                    if p.has_case_manager
                    else None,
                    referral_source=rng.choice(["Community clinic", "Hospital", "Court", "Self"]),
                    referral_date=p.referral_date,
                    waiting_since=p.waiting_since,
                    **shared(p.referral_date),
                )
                for p, user in zip(plan.mentees, mentee_users, strict=True)
            ],
        )
        for model, rows, plans in (
            (MentorProfile, self.mentor_rows, plan.mentors),
            (MenteeProfile, self.mentee_rows, plan.mentees),
        ):
            copy_m2m(
                model,
                "life_goals",
                ((r.pk, t) for r in rows for t, _ in rng.sample(self.taxonomy["life_goals"], 2)),
            )
            copy_m2m(
                model,
                "lived_experience",
                ((r.pk, t) for r in rows for t in rng.sample(self.taxonomy["lived"], 2)),
            )
            copy_m2m(
                model,
                "interests",
                ((r.pk, t) for r in rows for t in rng.sample(self.taxonomy["interests"], 2)),
            )
            pairs = [(r.pk, english) for r in rows if english]
            pairs += [(r.pk, spanish) for r, p in zip(rows, plans, strict=True) if p.spanish]
            copy_m2m(model, "languages", pairs)
        # Active mentors hold a current certification; the others one that ran out.
        certifications = []
        for p, row in zip(plan.mentors, self.mentor_rows, strict=True):
            if p.status in ("active", "on_hold"):
                issued = self.today - datetime.timedelta(days=rng.randint(10, 300))
            else:
                issued = max(p.joined, self.today - datetime.timedelta(days=rng.randint(400, 900)))
            certifications.append(
                Certification(
                    mentor=row,
                    issued_on=issued,
                    expires_on=issued + datetime.timedelta(days=365),
                    issued_by=self.supervisor(p.program),
                    created_at=self.at(issued),
                )
            )
        self._bulk(Certification, certifications)
        self.counts.update(mentors=len(self.mentor_rows), mentees=len(self.mentee_rows))

    # --- goals and consents ---

    def _goals_and_consents(self) -> None:
        plan, rng = self.plan, self.rng
        areas = {slug: pk for pk, slug in self.taxonomy["life_goals"]}
        choices = [(slug, g) for slug, goals in people_texts.GOALS.items() for g in goals]
        goals, steps_of = [], []
        for p, row in zip(plan.mentees, self.mentee_rows, strict=True):
            for slug, (english, spanish, steps, steps_es) in rng.sample(choices, rng.randint(1, 3)):
                status = {
                    "exited": rng.choice(["achieved", "achieved", "set_aside", "in_progress"]),
                    "matched": rng.choice(["in_progress", "in_progress", "achieved"]),
                }.get(p.status, "not_started")
                created = self.at(p.referral_date + datetime.timedelta(days=rng.randint(0, 20)))
                goals.append(
                    Goal(
                        mentee=row,
                        area_id=areas.get(slug) or self.taxonomy["life_goals"][0][0],
                        statement=spanish if p.spanish else english,
                        status=status,
                        created_at=min(created, self.now),
                        updated_at=min(created + datetime.timedelta(days=30), self.now),
                    )
                )
                steps_of.append((steps_es if p.spanish else steps, status))
        goals = self._bulk(Goal, goals)
        self.goals_of: dict[int, list[int]] = defaultdict(list)
        for goal in goals:
            self.goals_of[goal.mentee_id].append(goal.pk)
        self._bulk(
            GoalStep,
            [
                GoalStep(
                    goal=goal, text=text[:200], done=status == "achieved" or i == 0, position=i
                )
                for goal, (texts, status) in zip(goals, steps_of, strict=True)
                for i, text in enumerate(texts[:3])
            ],
        )
        consents = []
        for p, row in zip(plan.mentees, self.mentee_rows, strict=True):
            recorder = self.coordinator(p.program)
            kinds = [Consent.Kind.PARTICIPATION]
            if rng.random() < 0.6:
                kinds.append(Consent.Kind.CONTACT_EMAIL)
            if rng.random() < 0.4:
                kinds.append(Consent.Kind.CONTACT_SMS)
            if rng.random() < 0.3:
                kinds.append(Consent.Kind.RESEARCH)
            if rng.random() < 0.35:
                kinds.append(Consent.Kind.SHARE_WITH_MENTOR)
            if row.case_manager_id and rng.random() < 0.8:
                kinds.append(Consent.Kind.SHARE_WITH_CASE_MANAGER)
            for kind in kinds:
                consents.append(self.consent(row, kind, p.referral_date, recorder))
        self._bulk(Consent, consents)
        self.counts.update(goals=len(goals), consents=len(consents))

    def consent(self, mentee: MenteeProfile, kind: str, given_on, recorder: User) -> Consent:
        consent = Consent(
            mentee=mentee,
            kind=kind,
            given_on=given_on,
            recorded_by=recorder,
            recorded_at=self.at(given_on, 12),
        )
        if kind in STANDARD_DISCLOSURE_TERMS:
            information, purpose = STANDARD_DISCLOSURE_TERMS[kind]
            consent.discloser = mentee.program.name
            consent.information = str(information)
            consent.purpose = str(purpose)
            if kind == Consent.Kind.SHARE_WITH_CASE_MANAGER:
                consent.recipient_id = mentee.case_manager_id
                consent.recipient_name = "Case manager"
            else:
                consent.recipient_name = mentee.program.name
            consent.expiry_event = str(STANDARD_EXPIRY_EVENT)
            consent.revocation_acknowledged = True
            consent.signature_name = "Signed on the paper form"
            consent.signed_on = given_on
        return consent

    # --- matches ---

    def _matches(self) -> None:
        plan, rng = self.plan, self.rng
        rows = []
        for m in plan.matches:
            rows.append(
                Match(
                    program=self.programs[m.program],
                    mentee=self.mentee_rows[m.mentee],
                    mentor=self.mentor_rows[m.mentor],
                    status=m.status,
                    score=round(m.score, 2),
                    reasons=["Shared life goals", "Shared lived experience"][: rng.randint(1, 2)],
                    proposed_by=self.coordinator(m.program),
                    proposed_at=self.at(m.proposed, 9),
                    introduced_on=m.started,
                    started_on=m.started,
                    closed_on=m.ended if m.status == "closed" else None,
                    close_reason=m.close_reason if m.status == "closed" else "",
                    close_notes=f"{CLOSE_LABELS[m.close_reason]}." if m.status == "closed" else "",
                    updated_at=self.at(m.ended or m.paused or m.started or m.proposed, 16),
                )
            )
        # Closed and ended matches first, places holders last: the capacity trigger counts
        # the places each new row would take.
        order = sorted(range(len(rows)), key=lambda i: plan.matches[i].holds_place)
        written = self._bulk(Match, [rows[i] for i in order])
        self.match_rows = [None] * len(rows)
        for i, row in zip(order, written, strict=True):
            self.match_rows[i] = row
        relinked = []
        for m in plan.matches:
            if m.rematch_of is not None:
                row = self.match_rows[m.index]
                row.rematch_of_id = self.match_rows[m.rematch_of].pk
                relinked.append(row)
        Match.objects.bulk_update(relinked, ["rematch_of"], batch_size=BATCH)
        self._events()
        self._contacts()
        self.counts["matches"] = len(written)

    def _events(self) -> None:
        plan = self.plan
        events = []
        for m in plan.matches:
            row = self.match_rows[m.index]
            coordinator, supervisor = self.coordinator(m.program), self.supervisor(m.program)

            def event(actor, before, after, day, hour, note="", row=row):
                events.append(
                    MatchEvent(
                        match=row,
                        actor=actor,
                        from_status=before,
                        to_status=after,
                        note=note,
                        at=self.at(day, hour),
                    )
                )

            event(coordinator, "", "proposed", m.proposed, 9)
            events[-1].at = row.proposed_at
            if m.status in ("declined", "withdrawn"):
                actor = supervisor if m.status == "declined" else coordinator
                event(actor, "proposed", m.status, m.ended, 11, "Not the right pair for now.")
                continue
            if m.approved:
                event(supervisor, "proposed", "approved", m.approved, 10)
            if m.started:
                event(coordinator, "approved", "active", m.started, 11)
            if m.paused:
                event(coordinator, "active", "paused", m.paused, 12, "Taking a short break.")
            if m.status == "closed":
                event(coordinator, "active", "closed", m.ended, 13, CLOSE_LABELS[m.close_reason])
                if m.close_reason in ("rematch", "mentor_withdrew"):
                    event(coordinator, "closed", "closed", m.ended, 14, "A rematch was started.")
        self._bulk(MatchEvent, events)
        self.counts["match events"] = len(events)

    def _contacts(self) -> None:
        rng = self.rng
        fields = (
            "match", "contact_date", "with_whom", "method", "relationship_health", "concerns",
            "follow_up_needed", "recorded_by", "created_at",
        )  # fmt: skip
        concerns = [
            "Sessions keep getting moved at the last minute; talked about a regular day.",
            "Missed two meetings in a row; the mentee says work hours changed.",
        ]

        def rows():
            for m in self.plan.matches:
                if not m.started:
                    continue
                end = m.ended if m.status == "closed" else self.today
                day = m.started + datetime.timedelta(days=rng.randint(7, 16))
                recorder = self.coordinator(m.program).pk
                while day <= end:
                    health = rng.choices([1, 2, 3, 4, 5], [2, 5, 18, 40, 35])[0]
                    yield (
                        self.match_rows[m.index].pk,
                        day,
                        rng.choice(["mentor", "mentee", "both"]),
                        rng.choice(["phone", "phone", "in_person", "video", "text"]),
                        health,
                        rng.choice(concerns) if health <= 2 else "",
                        health <= 2,
                        recorder,
                        self.at(day, 15),
                    )
                    day += datetime.timedelta(days=rng.randint(24, 50))

        self.counts["check-ins"] = copy_rows(SupportContact, fields, rows())

    # --- sessions ---

    def _sessions(self) -> None:
        from evaluation.loadgen.plan import largest_remainder

        plan, rng, today = self.plan, self.rng, self.today
        started = [m for m in plan.matches if m.started]
        counts = largest_remainder(
            plan.scale.sessions, [m.running_days(today) + 7 for m in started]
        )
        topics = dict(Topic.objects.values_list("slug", "pk"))
        topic_slugs = [slug for slug in session_texts.SUMMARIES if slug in topics] or list(topics)
        ids = iter(reserve_ids(MentoringSession, plan.scale.sessions))
        self.held: list[tuple[int, int, datetime.datetime]] = []  # (session, match, starts_at)
        self.urgent: list[tuple[int, int, datetime.datetime]] = []
        topic_pairs, goal_pairs = [], []
        names = {}
        urgent_left = max(1, round(plan.scale.sessions * 0.0004))
        summaries = {slug: session_texts.SUMMARIES[slug] for slug in topic_slugs}
        private = session_texts.PRIVATE_NOTES

        def rows():
            nonlocal urgent_left
            for m, count in zip(started, counts, strict=True):
                if not count:
                    continue
                row = self.match_rows[m.index]
                mentor_user = self.mentor_rows[m.mentor].user_id
                mentee_id = self.mentee_rows[m.mentee].pk
                first = names.setdefault(m.mentee, f"mentee {m.mentee}")
                end = m.ended if m.status == "closed" else today
                span = max(0, (end - m.started).days)
                days = sorted(rng.randint(0, span) for _ in range(count))
                upcoming = m.status == "active" and rng.random() < 0.7
                goals = self.goals_of.get(mentee_id, [])
                for n, offset in enumerate(days):
                    day = m.started + datetime.timedelta(days=offset)
                    if upcoming and n == count - 1:
                        day = today + datetime.timedelta(days=rng.randint(1, 10))
                    starts = datetime.datetime(
                        day.year, day.month, day.day, rng.randint(9, 19), rng.choice((0, 30)),
                        tzinfo=self.zone,
                    )  # fmt: skip
                    session_id = next(ids)
                    modality = rng.choices(["in_person", "phone", "video"], [50, 30, 20])[0]
                    created = min(starts - datetime.timedelta(days=rng.randint(1, 7)), self.now)
                    if starts > self.now:
                        status = "scheduled"
                    else:
                        status = rng.choices(
                            ["held", "no_show", "cancelled", "scheduled"], [86, 6, 6, 2]
                        )[0]
                        if status == "scheduled" and (today - day).days > 21:
                            status = "held"
                    duration = support = summary = notes = concern = None
                    logged_at = logged_by = reviewed_at = reviewed_by = None
                    if status == "held":
                        duration = max(15, min(180, int(rng.gauss(60, 20))))
                        support = [
                            kind
                            for kind, share in (
                                ("emotional", 0.8),
                                ("informational", 0.55),
                                ("instrumental", 0.35),
                            )
                            if rng.random() < share
                        ] or ["emotional"]
                        slug = rng.choice(topic_slugs)
                        summary = rng.choice(summaries[slug]).replace("{name}", first)
                        notes = rng.choice(private) if rng.random() < 0.08 else ""
                        concern = ""
                        if urgent_left and rng.random() < 0.0008:
                            concern, urgent_left = "urgent", urgent_left - 1
                        elif rng.random() < 0.04:
                            concern = "talk"
                        logged_at = min(
                            starts + datetime.timedelta(hours=rng.randint(1, 30)), self.now
                        )
                        logged_by = mentor_user
                        if concern or rng.random() < 0.3:
                            reviewed_at = min(logged_at + datetime.timedelta(days=2), self.now)
                            reviewed_by = self.supervisor(m.program).pk
                        self.held.append((session_id, m.index, starts))
                        if concern == "urgent":
                            self.urgent.append((session_id, m.index, logged_at))
                        topic_pairs.append((session_id, topics[slug]))
                        if rng.random() < 0.4:
                            other = rng.choice(topic_slugs)
                            if other != slug:
                                topic_pairs.append((session_id, topics[other]))
                        if goals and rng.random() < 0.3:
                            goal_pairs.append((session_id, rng.choice(goals)))
                    elif status in ("no_show", "cancelled"):
                        logged_at = min(starts + datetime.timedelta(hours=2), self.now)
                        logged_by = mentor_user
                    yield (
                        session_id, row.pk, status, starts, 60, modality,
                        "Library" if modality == "in_person" else "", duration,
                        support if support is not None else [], summary or "", notes or "",
                        concern or "", logged_at, logged_by, reviewed_at, reviewed_by,
                        mentor_user, created, logged_at or created,
                    )  # fmt: skip

        # The last sessions of urgent concerns must not run out: the first draw leaves some.
        self.counts["sessions"] = copy_rows(MentoringSession, SESSION_FIELDS, rows())
        self.counts["session topics"] = copy_m2m(MentoringSession, "topics", topic_pairs)
        self.counts["session goals"] = copy_m2m(MentoringSession, "goals_worked_on", goal_pairs)

    # --- feedback, safety alerts ---

    def _feedback(self) -> None:
        plan, rng = self.plan, self.rng
        chosen = sorted(rng.sample(range(len(self.held)), plan.scale.feedback))
        unsafe_left = max(1, round(plan.scale.feedback * 0.0005))
        alerts = []
        comments = session_texts.FEEDBACK_COMMENTS

        def rows():
            nonlocal unsafe_left
            for i in chosen:
                session_id, match_index, starts = self.held[i]
                m = plan.matches[match_index]
                mentee = plan.mentees[m.mentee]
                rating = rng.choices([1, 2, 3, 4, 5], [2, 4, 14, 38, 42])[0]
                good = "yes" if rating >= 4 else "not_sure"
                feels = ""
                if unsafe_left and rng.random() < 0.002:
                    feels, unsafe_left = "not_safe", unsafe_left - 1
                elif rng.random() < 0.5:
                    feels = "safe"
                submitted = min(starts + datetime.timedelta(hours=rng.randint(2, 48)), self.now)
                if feels == "not_safe":
                    alerts.append(("feedback", match_index, session_id, submitted))
                yield (
                    session_id, rating, good if rng.random() < 0.9 else "no",
                    rng.choice(["yes", "yes", "not_sure", "no"]), good,
                    rng.random() < 0.03, feels,
                    rng.choice(comments) if rng.random() < 0.1 else "",
                    mentee.idd_mh and rng.random() < 0.5,
                    self.mentee_rows[m.mentee].user_id, rng.random() < 0.4, submitted,
                )  # fmt: skip

        self.counts["feedback"] = copy_rows(SessionFeedback, FEEDBACK_FIELDS, rows())
        alerts += [("session_concern", m, s, at) for s, m, at in self.urgent]
        rows = []
        for source, match_index, session_id, raised in alerts:
            m = plan.matches[match_index]
            supervisor = self.supervisor(m.program)
            recent = (self.now - raised).days < 7
            rows.append(
                SafetyAlert(
                    program=self.programs[m.program],
                    mentee=self.mentee_rows[m.mentee],
                    source=source,
                    session_id=session_id,
                    raised_by_id=self.mentor_rows[m.mentor].user_id
                    if source == "session_concern"
                    else self.mentee_rows[m.mentee].user_id,
                    raised_at=raised,
                    status="acknowledged" if recent else "resolved",
                    acknowledged_at=raised + datetime.timedelta(minutes=rng.randint(5, 25)),
                    acknowledged_by=supervisor,
                    resolved_at=None if recent else raised + datetime.timedelta(days=1),
                    resolved_by=None if recent else supervisor,
                    outcome="" if recent else rng.choice(["safe_plan", "connected", "no_risk"]),
                )
            )
        self._bulk(SafetyAlert, rows)
        self.counts["safety alerts"] = len(rows)

    # --- measures ---

    def _measures(self) -> None:
        plan, rng, today = self.plan, self.rng, self.today
        slots = []  # (match index, instrument, timepoint, due_on)
        for m in plan.matches:
            if not m.started:
                continue
            end = m.ended if m.status == "closed" else today
            for code in plan.programs[m.program].instruments:
                definition = instruments.INSTRUMENTS[code]
                if definition.at_baseline:
                    slots.append((m.index, code, "baseline", m.started))
                for timepoint, days in FOLLOW_UPS:
                    due = m.started + datetime.timedelta(days=days)
                    if due <= end:
                        slots.append((m.index, code, timepoint, due))
                if m.status == "closed":
                    slots.append((m.index, code, "closure", m.ended))
        target = plan.scale.administrations
        if len(slots) > target:
            slots = [slots[i] for i in sorted(rng.sample(range(len(slots)), target))]
        adhoc = target - len(slots)
        ids = iter(reserve_ids(Administration, target))
        severity: dict[int, float] = {}
        responses = []

        def rows():
            for match_index, code, timepoint, due in slots:
                yield self._administration(
                    next(ids), match_index, code, timepoint, due, severity, responses
                )
            mentees = [m for m in plan.mentees if m.status == "matched"] or plan.mentees
            for _ in range(adhoc):
                mentee = rng.choice(mentees)
                due = today - datetime.timedelta(days=rng.randint(0, 365))
                yield self._administration(
                    next(ids), None, "PHQ9", "adhoc", due, severity, responses, mentee=mentee
                )

        self.counts["administrations"] = copy_rows(Administration, ADMINISTRATION_FIELDS, rows())
        self.counts["responses"] = copy_rows(
            Response, ("administration", "item", "value"), responses
        )

    def _administration(
        self, pk, match_index, code, timepoint, due, severity, responses, mentee=None
    ):
        rng, today = self.rng, self.today
        m = self.plan.matches[match_index] if match_index is not None else None
        mentee_plan = self.plan.mentees[m.mentee] if m else mentee
        mentee_row = self.mentee_rows[mentee_plan.index]
        definition = instruments.INSTRUMENTS[code]
        overdue = (today - due).days
        if overdue > 30:
            status = "completed" if rng.random() < 0.82 else "missed"
        elif overdue >= 0:
            status = "completed" if rng.random() < 0.5 else "due"
        else:
            status = "due"
        completed_at = total = reported = None
        band, flags, answered_by, mode, helped = "", [], None, "", False
        if status == "completed":
            level = severity.setdefault(mentee_plan.index, rng.uniform(0.3, 0.75))
            # A little better at each time point.
            severity[mentee_plan.index] = max(0.05, level - rng.uniform(0.0, 0.06))
            values = self._values(definition, level)
            result = instruments.score(code, values)
            done = min(due + datetime.timedelta(days=rng.randint(0, 10)), today)
            completed_at = self.at(done, rng.randint(10, 19))
            total, reported, band, flags = (
                result.total,
                result.reported,
                result.band,
                list(result.flags),
            )
            answered_by = (
                self.mentor_rows[m.mentor].user_id
                if definition.respondent == "mentor"
                else mentee_row.user_id
            )
            mode = rng.choice(["self", "link", "in_person"])
            helped = mentee_plan.idd_mh and rng.random() < 0.5
            for item, value in zip(definition.items, values, strict=True):
                responses.append((pk, item.number, value))
        program = self.programs[mentee_plan.program].pk
        created = self.at(min(due, today), 8)
        return (
            pk, program, self.match_rows[m.index].pk if m else None, mentee_row.pk, code,
            definition.version, timepoint, due, status, completed_at, total, reported, band,
            flags, answered_by, mode, helped, {}, created,
        )  # fmt: skip

    def _values(self, definition, level: float) -> list:
        """Answers for one questionnaire; ``level`` near 0 is doing well, near 1 struggling.
        Nobody answers PHQ-9 item 9 above 0 or says they need help now: alerts come from
        sessions and feedback."""
        rng, code = self.rng, definition.code
        if code == "CHECKIN":
            return [
                min(30, int(30 * level * level * rng.random())),
                rng.choice([3, 3, 3, 2, 0]),
                None,
                None,
                rng.choice([1, 1, 1, 2, 3]),
                rng.choice([1, 2, 3]),
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
            bad = min(1.0, max(0.0, rng.gauss(level, 0.18)))
            share = (1 - bad) if definition.higher_is_better else bad
            if code in ("REL_MENTEE", "REL_MENTOR"):
                share = min(1.0, max(0.0, rng.gauss(0.8, 0.15)))
            value = low + round((high - low) * share)
            values.append(min(options, key=lambda option: abs(option - value)))
        return values


def analyze() -> None:
    """Fresh planner statistics after a bulk load (autovacuum would take a while)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
