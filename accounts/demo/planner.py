"""The planner: draws the demo's people, matches and goals from one seeded random
generator, in a fixed order, without touching the database."""

import datetime
import random
import unicodedata

from accounts.demo import texts
from accounts.demo.plans import GoalPlan, MenteePlan, MentorPlan, StepPlan
from accounts.demo.spec import (
    CASE_MANAGERS,
    GOAL_STATUS_WEIGHTS,
    MENTEE_STATUS_WEIGHTS,
    MENTOR_STATUS_WEIGHTS,
    NAME_GROUP,
    NAME_OF,
    OTHER_LANGUAGES,
    PROGRAMS,
    SUBSTANCES,
    ProgramSpec,
)
from accounts.models import AVAILABILITY_SLOTS, Consent, Modality


class Planner:
    def __init__(self, *, seed: int, today: datetime.date, interest_slugs: list[str]):
        self.rng = random.Random(seed)
        self.today = today
        self.interest_slugs = interest_slugs
        self.used_names = set(NAME_OF.values())
        self.used_emails = set(NAME_OF)
        self.caseloads = {email: 0 for _name, email, _agency, _programs in CASE_MANAGERS}

    def plan(self) -> tuple[list[MentorPlan], list[MenteePlan]]:
        mentors = self._plan_mentors()
        mentees = self._plan_mentees()
        self._plan_matches(mentors, mentees)
        for mentee in mentees:
            mentee.goals = self._plan_goals(mentee)
        return mentors, mentees

    # --- Random helpers ---

    def _weighted(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _weighted_sample(self, weights: dict[str, int], k: int) -> list[str]:
        pool = dict(weights)
        chosen = []
        while pool and len(chosen) < k:
            pick = self._weighted(pool)
            chosen.append(pick)
            del pool[pick]
        return chosen

    def _days_ago(self, low: int, high: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(low, high))

    def _born(self, low: int, high: int) -> datetime.date:
        age = self.rng.randint(low, high)
        birthday = datetime.date(self.today.year - age, self.today.month, 1)
        # Always at least ``age`` full years old: a birthday somewhere in the past year.
        return birthday - datetime.timedelta(days=self.rng.randint(1, 330))

    def _phone(self) -> str:
        area = self.rng.choice(["413", "617", "508", "774"])
        return f"({area}) 555-01{self.rng.randint(0, 99):02d}"

    def _identity(self, *, mentor: bool) -> dict:
        """Name, email, gender and languages of one generated person."""
        roll = self.rng.random()
        if roll < 0.25:
            group, languages = "es", ["spanish"]
            if self.rng.random() < (0.9 if mentor else 0.65):
                languages.append("english")
        elif roll < 0.31:
            other = self.rng.choice(OTHER_LANGUAGES)
            group, languages = NAME_GROUP[other], [other]
            if mentor or other == "asl" or self.rng.random() < 0.7:
                languages.append("english")
        else:
            group, languages = "en", ["english"]
        gender = self._weighted({"woman": 45, "man": 45, "non_binary": 6, "": 4})
        name_gender = gender or self.rng.choice(["woman", "man"])
        if (group, name_gender) not in texts.FIRST_NAMES:
            name_gender = self.rng.choice(["woman", "man"])
        while True:
            first = self.rng.choice(texts.FIRST_NAMES[(group, name_gender)])
            last = self.rng.choice(texts.LAST_NAMES[group])
            if f"{first} {last}" not in self.used_names:
                break
        name = f"{first} {last}"
        self.used_names.add(name)
        return {
            "name": name,
            "email": self._email(first, last),
            "gender": gender,
            "languages": languages,
            "preferred_language": (
                "es"
                if languages[0] == "spanish"
                and ("english" not in languages or self.rng.random() < 0.5)
                else "en"
            ),
        }

    def _email(self, first: str, last: str) -> str:
        def ascii_part(text: str) -> str:
            text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
            return "".join(ch for ch in text.lower() if ch.isalnum() or ch == "-")

        base = f"{ascii_part(first)}.{ascii_part(last)}"
        email, n = f"{base}@example.org", 1
        while email in self.used_emails:
            n += 1
            email = f"{base}{n}@example.org"
        self.used_emails.add(email)
        return email

    def _availability(self, low: int, high: int) -> list[str]:
        chosen = set(self.rng.sample(list(AVAILABILITY_SLOTS), self.rng.randint(low, high)))
        return [slot for slot in AVAILABILITY_SLOTS if slot in chosen]

    def _modalities(self, *, in_person: bool = False) -> list[str]:
        chosen = set(self.rng.sample(Modality.values, self.rng.randint(1, 3)))
        if in_person:
            chosen.add(Modality.IN_PERSON)
        return [m for m in Modality.values if m in chosen]

    def _lived_experience(self, spec: ProgramSpec, *, idd: bool) -> list[str]:
        lived = []
        if spec.key == "su":
            lived.append(self.rng.choice(SUBSTANCES))
            if self.rng.random() < 0.3:
                lived.append(self.rng.choice([s for s in SUBSTANCES if s != lived[0]]))
        if idd:
            lived.append("idd")
        extra = self.rng.randint(0 if spec.key == "su" else 1, 2)
        lived += self._weighted_sample(spec.lived_experience, extra)
        return lived

    def _common(self, spec: ProgramSpec, *, mentor: bool) -> dict:
        return {
            "program": spec.key,
            "phone": self._phone() if self.rng.random() < 0.85 else "",
            "life_goals": self._weighted_sample(spec.life_goals, self.rng.randint(2, 4)),
            "interests": self.rng.sample(self.interest_slugs, self.rng.randint(1, 4)),
            "availability": self._availability(3, 8) if mentor else self._availability(2, 6),
            "location": self.rng.choice(texts.NEIGHBOURHOODS[spec.center]),
        }

    # --- Mentors ---

    def _plan_mentors(self) -> list[MentorPlan]:
        plans = [
            self._fixed_mentor(email) for email in ("mentor@example.org", "mentor2@example.org")
        ]
        for spec in PROGRAMS:
            count = spec.mentors - sum(1 for p in plans if p.program == spec.key)
            plans += [self._plan_mentor(spec) for _ in range(count)]
        return plans

    def _plan_mentor(self, spec: ProgramSpec) -> MentorPlan:
        identity = self._identity(mentor=True)
        idd_experience = spec.serves_idd_mh or self.rng.random() < 0.15
        lived = self._lived_experience(spec, idd=spec.serves_idd_mh and self.rng.random() < 0.4)
        recovery_start = None
        if spec.key != "idd" or self.rng.random() < 0.4:
            recovery_start = self._days_ago(2 * 365, 20 * 365)
        bio = " ".join(
            [
                self.rng.choice(texts.MENTOR_BIO_OPENINGS[spec.key]).format(
                    year=recovery_start.year if recovery_start else ""
                ),
                self.rng.choice(texts.MENTOR_BIO_MIDDLES),
                self.rng.choice(texts.MENTOR_BIO_ENDINGS),
            ]
        )
        if "spanish" in identity["languages"]:
            bio += " Hablo español."
        return MentorPlan(
            **self._common(spec, mentor=True),
            **identity,
            lived_experience=lived,
            modalities=self._modalities(in_person=spec.serves_idd_mh),
            recovery_start=recovery_start,
            status=self._weighted(MENTOR_STATUS_WEIGHTS),
            capacity=self.rng.choices([1, 2, 3, 4], weights=[20, 40, 28, 12])[0],
            idd_mh_experience=idd_experience,
            bio=bio,
        )

    def _fixed_mentor(self, email: str) -> MentorPlan:
        if email == "mentor@example.org":
            return MentorPlan(
                program="su",
                name=NAME_OF[email],
                email=email,
                phone="(413) 555-0111",
                gender="man",
                life_goals=["substance-use-recovery", "housing", "employment"],
                lived_experience=["opioid-use-recovery", "homelessness", "justice-involvement"],
                interests=["sports", "cooking", "music"],
                availability=["mon-evening", "tue-evening", "thu-evening", "sat-morning"],
                modalities=["in_person", "phone"],
                location="Mill Creek",
                recovery_start=self.today.replace(year=self.today.year - 9, day=1),
                status="active",
                capacity=3,
                bio=(
                    "Nine years in recovery from opioids. I slept in my car for a winter and "
                    "I know the housing office inside out. Coffee is on me."
                ),
            )
        return MentorPlan(
            program="su",
            name=NAME_OF[email],
            email=email,
            phone="(413) 555-0112",
            preferred_language="en",
            languages=["english", "spanish"],
            gender="woman",
            life_goals=["substance-use-recovery", "education", "mental-wellness"],
            lived_experience=["alcohol-use-recovery", "depression", "parenting-in-recovery"],
            interests=["reading", "art-crafts", "faith-spirituality"],
            availability=["tue-morning", "wed-afternoon", "fri-afternoon"],
            modalities=["in_person", "video", "phone"],
            location="Riverside",
            recovery_start=self.today.replace(year=self.today.year - 6, day=1),
            status="active",
            capacity=2,
            bio=(
                "Six years sober, mom of two, back at school at forty. I will not judge you. "
                "Hablo español."
            ),
        )

    # --- Mentees ---

    def _plan_mentees(self) -> list[MenteePlan]:
        plans = [
            self._fixed_mentee(email) for email in ("mentee@example.org", "mentee2@example.org")
        ]
        for spec in PROGRAMS:
            count = spec.mentees - sum(1 for p in plans if p.program == spec.key)
            plans += [self._plan_mentee(spec) for _ in range(count)]
        return plans

    def _plan_mentee(self, spec: ProgramSpec) -> MenteePlan:
        identity = self._identity(mentor=False)
        idd = spec.serves_idd_mh and self.rng.random() < 0.9
        if self.rng.random() < (0.5 if idd else 0.2):
            identity["email"] = None  # signs in with one-time links, not a password
        plan = MenteePlan(
            **self._common(spec, mentor=False),
            **identity,
            lived_experience=self._lived_experience(spec, idd=idd),
            modalities=self._modalities(in_person=idd),
            status=self._weighted(MENTEE_STATUS_WEIGHTS),
            birth_date=self._born(18, 26) if spec.serves_idd_mh else self._born(19, 64),
            idd_mh=idd,
            easy_read=idd and self.rng.random() < 0.75,
        )
        if spec.key == "su" or self.rng.random() < 0.5:
            plan.recovery_start = self._days_ago(20, 900)
        if idd and self.rng.random() < 0.8:
            plan.communication_needs = self.rng.choice(texts.COMMUNICATION_NEEDS_IDD)
        elif "asl" in plan.languages:
            plan.communication_needs = "Deaf; uses ASL. Book an interpreter for meetings."
        elif "english" not in plan.languages and plan.languages[0] != "spanish":
            plan.communication_needs = "Prefers an interpreter for paperwork and appointments."
        elif self.rng.random() < 0.15:
            plan.communication_needs = self.rng.choice(texts.COMMUNICATION_NEEDS)
        if self.rng.random() < (0.2 if idd else 0.08):
            plan.accessibility_needs = self.rng.choice(texts.ACCESSIBILITY_NEEDS)
        if not idd:
            plan.notes = self.rng.choice(texts.MENTEE_STAFF_NOTES)
        if self.rng.random() < 0.25:
            plan.preferred_mentor_gender = plan.gender or self.rng.choice(["woman", "man"])
            plan.gender_preference_required = self.rng.random() < 0.35
        self._plan_referral(plan, spec)
        return plan

    def _plan_referral(self, plan: MenteePlan, spec: ProgramSpec) -> None:
        agencies = {c[1]: c[2] for c in CASE_MANAGERS if spec.key in c[3]}
        share = {"su": 0.45, "idd": 0.6, "mh": 0.4}[spec.key]
        if self.rng.random() < share:
            # Caseloads stay roughly even between a program's partner case managers.
            plan.case_manager = min(
                agencies, key=lambda email: (self.caseloads[email], self.rng.random())
            )
            self.caseloads[plan.case_manager] += 1
            plan.referral_source = agencies[plan.case_manager]
            plan.referrer_name = NAME_OF[plan.case_manager]
            plan.referrer_contact = plan.case_manager
        else:
            plan.referral_source = self.rng.choice(texts.REFERRAL_SOURCES[spec.key])
            if plan.referral_source not in ("Self-referral", "Family member"):
                plan.referrer_name = self.rng.choice(texts.CLINICIANS)
                plan.referrer_contact = self._phone()
        # Dates: matched mentees get theirs once their match is planned.
        if plan.status == "referred":
            plan.referral_date = self._days_ago(0, 14)
        elif plan.status == "waiting":
            plan.waiting_since = self._days_ago(0, 90)
            plan.referral_date = plan.waiting_since - datetime.timedelta(self.rng.randint(0, 21))
        elif plan.status == "on_hold":
            plan.referral_date = self._days_ago(60, 300)
        else:
            plan.referral_date = self._days_ago(120, 500)
        self._plan_consents(plan)

    def _plan_consents(self, plan: MenteePlan) -> None:
        kinds = Consent.Kind
        plan.consents = []
        if plan.status != "referred" or self.rng.random() < 0.5:
            plan.consents.append(kinds.PARTICIPATION)
            if plan.case_manager and self.rng.random() < 0.7:
                plan.consents.append(kinds.SHARE_WITH_CASE_MANAGER)
            if self.rng.random() < 0.35:
                plan.consents.append(kinds.RESEARCH)
            if plan.email and self.rng.random() < 0.8:
                plan.consents.append(kinds.CONTACT_EMAIL)
            if plan.phone and self.rng.random() < 0.6:
                plan.consents.append(kinds.CONTACT_SMS)
            if plan.phone and self.rng.random() < 0.3:
                plan.consents.append(kinds.CONTACT_PHONE)
        plan.consent_given_on = min(
            self.today, plan.referral_date + datetime.timedelta(self.rng.randint(0, 10))
        )

    def _fixed_mentee(self, email: str) -> MenteePlan:
        kinds = Consent.Kind
        if email == "mentee@example.org":
            plan = MenteePlan(
                program="su",
                name=NAME_OF[email],
                email=email,
                phone="(413) 555-0121",
                gender="man",
                life_goals=["housing", "substance-use-recovery", "employment", "transportation"],
                lived_experience=["opioid-use-recovery", "homelessness"],
                interests=["sports", "music", "gaming"],
                availability=["mon-evening", "thu-evening", "sat-morning"],
                modalities=["in_person", "phone"],
                location="Northgate",
                recovery_start=self.today - datetime.timedelta(days=140),
                notes="Staying with a cousin for now; housing is the most urgent goal.",
                status="matched",
                birth_date=self._born(29, 29),
                preferred_mentor_gender="man",
                case_manager="casemanager@example.org",
                referral_source="Riverside Community Mental Health",
                referrer_name=NAME_OF["casemanager@example.org"],
                referrer_contact="casemanager@example.org",
                consents=[
                    kinds.PARTICIPATION,
                    kinds.SHARE_WITH_CASE_MANAGER,
                    kinds.RESEARCH,
                    kinds.CONTACT_EMAIL,
                    kinds.CONTACT_SMS,
                ],
                started_on=self.today - datetime.timedelta(days=75),
            )
        else:
            plan = MenteePlan(
                program="su",
                name=NAME_OF[email],
                email=email,
                phone="(413) 555-0122",
                gender="woman",
                life_goals=["education", "mental-wellness", "substance-use-recovery"],
                lived_experience=["alcohol-use-recovery", "anxiety", "parenting-in-recovery"],
                interests=["reading", "cooking"],
                availability=["tue-morning", "wed-afternoon"],
                modalities=["in_person", "video"],
                location="Riverside",
                recovery_start=self.today - datetime.timedelta(days=300),
                communication_needs="Prefers texts to calls.",
                status="matched",
                birth_date=self._born(34, 34),
                preferred_mentor_gender="woman",
                gender_preference_required=True,
                referral_source="Self-referral",
                consents=[kinds.PARTICIPATION, kinds.CONTACT_SMS],
                started_on=self.today - datetime.timedelta(days=40),
            )
        plan.referral_date = plan.started_on - datetime.timedelta(days=21)
        plan.consent_given_on = plan.referral_date + datetime.timedelta(days=3)
        return plan

    # --- Matches ---

    def _plan_matches(self, mentors: list[MentorPlan], mentees: list[MenteePlan]) -> None:
        by_email = {m.email: m for m in mentors}
        for mentor_email, mentee in zip(
            ("mentor@example.org", "mentor2@example.org"), mentees[:2], strict=True
        ):
            mentee.mentor = by_email[mentor_email]
            mentee.mentor.mentees.append(mentee)
        for mentee in mentees[2:]:
            if mentee.status != "matched":
                continue
            candidates = [
                m
                for m in mentors
                if m.program == mentee.program and m.room > 0 and self._suits(m, mentee)
            ]
            if not candidates:
                # Nobody free who fits (often: no Spanish-speaking mentor left): they wait.
                mentee.status = "waiting"
                mentee.waiting_since = self._days_ago(0, 90)
                mentee.referral_date = mentee.waiting_since - datetime.timedelta(
                    self.rng.randint(0, 21)
                )
                self._plan_consents(mentee)
                continue
            mentor = max(candidates, key=lambda m: self._fit(m, mentee))
            mentee.mentor = mentor
            mentor.mentees.append(mentee)
            mentee.started_on = self._days_ago(7, 330)
            mentee.referral_date = mentee.started_on - datetime.timedelta(self.rng.randint(10, 60))
            self._plan_consents(mentee)

    @staticmethod
    def _suits(mentor: MentorPlan, mentee: MenteePlan) -> bool:
        if not set(mentor.languages) & set(mentee.languages):
            return False
        if mentee.gender_preference_required and mentor.gender != mentee.preferred_mentor_gender:
            return False
        return not mentee.idd_mh or mentor.idd_mh_experience

    def _fit(self, mentor: MentorPlan, mentee: MenteePlan) -> float:
        languages = set(mentor.languages) & set(mentee.languages) - {"english"}
        return (
            3 * len(languages)
            + 2 * len(set(mentor.lived_experience) & set(mentee.lived_experience))
            + len(set(mentor.life_goals) & set(mentee.life_goals))
            + (1 if set(mentor.availability) & set(mentee.availability) else 0)
            + (1 if mentee.preferred_mentor_gender == mentor.gender else 0)
            + self.rng.random()
        )

    # --- Goals ---

    def _plan_goals(self, mentee: MenteePlan) -> list[GoalPlan]:
        if mentee.email == "mentee@example.org":
            return self._fixed_goals_one(mentee)
        if mentee.email == "mentee2@example.org":
            return self._fixed_goals_two(mentee)
        count = {"referred": (0, 1), "matched": (1, 3), "exited": (1, 2)}.get(mentee.status, (1, 2))
        areas = mentee.life_goals[: self.rng.randint(*count)]
        start = mentee.started_on or min(
            self.today, mentee.referral_date + datetime.timedelta(self.rng.randint(0, 14))
        )
        goals = []
        for area in areas:
            english, spanish, steps_en, steps_es = self.rng.choice(texts.GOALS[area])
            in_spanish = mentee.preferred_language == "es"
            status = self._weighted(GOAL_STATUS_WEIGHTS[mentee.status])
            steps = steps_es if in_spanish else steps_en
            done = {
                "achieved": len(steps),
                "in_progress": self.rng.randint(1, len(steps) - 1),
                "set_aside": self.rng.randint(0, 1),
            }.get(status, 0)
            goals.append(
                GoalPlan(
                    area=area,
                    statement=spanish if in_spanish else english,
                    status=status,
                    steps=[StepPlan(text, i < done) for i, text in enumerate(steps)],
                    history=self._history(start, status, by_mentor=mentee.mentor is not None),
                )
            )
        return goals

    def _history(self, start: datetime.date, status: str, *, by_mentor: bool) -> list:
        notes = texts.PROGRESS_NOTES
        history = [(start, "not_started", self.rng.choice(notes["not_started"]), False)]
        if status == "not_started":
            return history
        day = start
        for _ in range(self.rng.randint(1, 3)):
            day = min(self.today, day + datetime.timedelta(self.rng.randint(5, 30)))
            history.append((day, "in_progress", self.rng.choice(notes["in_progress"]), by_mentor))
        if status in ("achieved", "set_aside"):
            day = min(self.today, day + datetime.timedelta(self.rng.randint(5, 30)))
            history.append((day, status, self.rng.choice(notes[status]), by_mentor))
        return history

    def _goal(self, area: str, variant: int, status: str, done: int, history) -> GoalPlan:
        statement, _es, steps, _steps_es = texts.GOALS[area][variant]
        return GoalPlan(
            area=area,
            statement=statement,
            status=status,
            steps=[StepPlan(text, i < done) for i, text in enumerate(steps)],
            history=history,
        )

    def _fixed_goals_one(self, mentee: MenteePlan) -> list[GoalPlan]:
        start = mentee.started_on

        def on(days: int) -> datetime.date:
            return start + datetime.timedelta(days=days)

        intake = "Goal set at the intake interview."
        return [
            self._goal(
                "housing",
                0,
                "in_progress",
                2,
                [
                    (on(0), "not_started", intake, False),
                    (
                        on(9),
                        "in_progress",
                        "Wrote the monthly budget together: $650 at most.",
                        True,
                    ),
                    (on(30), "in_progress", "Housing voucher application handed in.", True),
                    (on(58), "in_progress", "Saw a room on Maple St; too far from the bus.", True),
                ],
            ),
            self._goal(
                "substance-use-recovery",
                0,
                "in_progress",
                2,
                [
                    (on(0), "not_started", intake, False),
                    (on(6), "in_progress", "Found two meetings near Northgate.", True),
                    (on(41), "in_progress", "Has a sponsor now. 100 days clean this week!", True),
                ],
            ),
            self._goal(
                "transportation",
                1,
                "achieved",
                3,
                [
                    (on(0), "not_started", intake, False),
                    (on(12), "in_progress", "Doctor signed the form.", True),
                    (on(20), "achieved", "Got the reduced-fare pass. Done!", True),
                ],
            ),
            self._goal("employment", 1, "not_started", 0, [(on(35), "not_started", intake, True)]),
        ]

    def _fixed_goals_two(self, mentee: MenteePlan) -> list[GoalPlan]:
        start = mentee.started_on

        def on(days: int) -> datetime.date:
            return start + datetime.timedelta(days=days)

        return [
            self._goal(
                "education",
                0,
                "in_progress",
                1,
                [
                    (on(0), "not_started", "Goal set at the intake interview.", False),
                    (on(10), "in_progress", "Signed up for the Tuesday GED class.", True),
                    (on(31), "in_progress", "Math is hard; we found a free tutor.", True),
                ],
            ),
            self._goal(
                "mental-wellness",
                0,
                "in_progress",
                2,
                [
                    (on(0), "not_started", "Goal set at the intake interview.", False),
                    (on(14), "in_progress", "Bedtime at 11 most nights this week.", True),
                ],
            ),
        ]
