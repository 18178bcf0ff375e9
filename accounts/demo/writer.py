"""The writer: turns the plans into rows, through ``accounts.services`` for people (so the
intake rules hold) and in bulk for goals, steps and progress entries."""

import datetime
import random

from django.utils import timezone

from accounts import services
from accounts.demo import texts
from accounts.demo.plans import MenteePlan, MentorPlan
from accounts.demo.spec import (
    CASE_MANAGERS,
    CENTER_TIME_ZONE,
    CENTERS,
    FIXED_EMAILS,
    NAME_OF,
    OTHER_LANGUAGES,
    OTHER_STAFF,
    PROGRAMS,
    SUBSTANCES,
)
from accounts.models import (
    Center,
    Consent,
    Goal,
    GoalProgress,
    GoalStep,
    Interest,
    Language,
    LifeGoalArea,
    LivedExperience,
    Membership,
    MenteeProfile,
    Program,
    User,
)


def load_taxonomy() -> dict | None:
    """The taxonomies by slug, or None when the defaults the demo draws from are missing."""
    taxonomy = {
        "life_goals": {t.slug: t for t in LifeGoalArea.objects.all()},
        "lived": {t.slug: t for t in LivedExperience.objects.all()},
        "languages": {t.slug: t for t in Language.objects.all()},
        "interests": {t.slug: t for t in Interest.objects.all()},
    }
    needed = {
        "life_goals": set(texts.GOALS),
        "lived": {s for p in PROGRAMS for s in p.lived_experience} | set(SUBSTANCES) | {"idd"},
        "languages": {"english", "spanish", *OTHER_LANGUAGES},
    }
    if any(slugs - set(taxonomy[kind]) for kind, slugs in needed.items()):
        return None
    if not taxonomy["interests"]:
        return None
    return taxonomy


class Writer:
    def __init__(self, *, seed: int, taxonomy: dict, password_hash: str):
        self.rng = random.Random(seed)
        self.taxonomy = taxonomy
        self.password_hash = password_hash
        self.users: dict[str, User] = {}  # fixed logins, staff and case managers by email
        self.programs: dict[str, Program] = {}
        self.coordinators: dict[str, User] = {}  # the first coordinator of each program
        self.supervisors: dict[str, User] = {}  # the first supervisor of each program

    def create_admin(self) -> User:
        return self._user("admin@example.org", is_staff=True, is_superuser=True)

    def create_centers_and_staff(self) -> None:
        """Centers, programs and staff memberships come first: the services check them."""
        self._centers_and_programs()
        self._staff()

    def write(self, mentors: list[MentorPlan], mentees: list[MenteePlan]) -> None:
        self._create_mentors(mentors)
        self._create_mentees(mentees)
        self._create_goals(mentees)
        self._finish_accounts(mentees)

    def _user(self, email: str, **fields) -> User:
        user = User.objects.create_user(email=email, display_name=NAME_OF.get(email), **fields)
        self.users[email] = user
        return user

    def _centers_and_programs(self) -> None:
        centers = {
            key: Center.objects.create(
                name=name, city=city, phone=phone, time_zone=CENTER_TIME_ZONE
            )
            for key, (name, city, phone) in CENTERS.items()
        }
        for spec in PROGRAMS:
            self.programs[spec.key] = Program.objects.create(
                center=centers[spec.center],
                name=spec.name,
                description=spec.description,
                serves_idd_mh=spec.serves_idd_mh,
            )

    def _staff(self) -> None:
        roles = Membership.Role
        memberships = [
            ("coordinator@example.org", "su", roles.COORDINATOR),
            ("coordinator@example.org", "idd", roles.COORDINATOR),
            ("supervisor@example.org", "su", roles.SUPERVISOR),
        ]
        memberships += [(email, program, role) for _name, email, program, role in OTHER_STAFF]
        for email, program, role in memberships:
            user = self.users.get(email) or self._user(email)
            Membership.objects.create(user=user, program=self.programs[program], role=role)
            if role == roles.COORDINATOR:
                self.coordinators.setdefault(program, user)
            if role == roles.SUPERVISOR:
                self.supervisors.setdefault(program, user)
        for _name, email, _agency, _programs in CASE_MANAGERS:
            self._user(email)

    def _create_mentors(self, mentors: list[MentorPlan]) -> None:
        for plan in mentors:
            program = self.programs[plan.program]
            plan.profile = services.create_mentor(
                actor=self.coordinators[plan.program],
                program=program,
                person=plan.person(),
                profile={
                    **plan.shared_profile(self.taxonomy),
                    "capacity": plan.capacity,
                    "idd_mh_experience": plan.idd_mh_experience,
                    "bio": plan.bio,
                },
            )
            if plan.email in FIXED_EMAILS:
                self.users[plan.email] = plan.profile.user

    def _create_mentees(self, mentees: list[MenteePlan]) -> None:
        waiting = []
        for plan in mentees:
            plan.profile = services.register_mentee(
                actor=self.coordinators[plan.program],
                program=self.programs[plan.program],
                person=plan.person(),
                profile={
                    **plan.shared_profile(self.taxonomy),
                    "birth_date": plan.birth_date,
                    "idd_mh": plan.idd_mh,
                    "preferred_mentor_gender": plan.preferred_mentor_gender,
                    "gender_preference_required": plan.gender_preference_required,
                    "case_manager": self.users[plan.case_manager] if plan.case_manager else None,
                    "referral_source": plan.referral_source,
                    "referrer_name": plan.referrer_name,
                    "referrer_contact": plan.referrer_contact,
                    "referral_date": plan.referral_date,
                },
                consents=plan.consents,
                consent_given_on=plan.consent_given_on,
            )
            if plan.email in FIXED_EMAILS:
                self.users[plan.email] = plan.profile.user
            if plan.waiting_since:
                plan.profile.waiting_since = plan.waiting_since
                waiting.append(plan.profile)
        # The service dates a new wait from today; the demo spreads waits over 0-90 days.
        MenteeProfile.objects.bulk_update(waiting, ["waiting_since"])
        self._revoke_one_sharing_consent(mentees)

    def _revoke_one_sharing_consent(self, mentees: list[MenteePlan]) -> None:
        """One of the demo case manager's other mentees withdrew the sharing consent, so the
        case manager's view shows that revocation takes effect."""
        week_ago = timezone.localdate() - datetime.timedelta(days=7)
        for plan in mentees[2:]:
            if (
                plan.case_manager == "casemanager@example.org"
                and Consent.Kind.SHARE_WITH_CASE_MANAGER in plan.consents
                and plan.consent_given_on < week_ago
            ):
                consent = plan.profile.consents.get(kind=Consent.Kind.SHARE_WITH_CASE_MANAGER)
                consent.revoked_at = timezone.now() - datetime.timedelta(days=3)
                consent.revoked_by = self.coordinators[plan.program]
                consent.save(update_fields=["revoked_at", "revoked_by"])
                return

    def at(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        """A moment on ``day`` around ``hour`` (never in the future), for back-dated rows."""
        moment = datetime.datetime.combine(day, datetime.time(hour, self.rng.randint(0, 59)))
        return min(timezone.make_aware(moment), timezone.now())

    def _create_goals(self, mentees: list[MenteePlan]) -> None:
        areas = self.taxonomy["life_goals"]
        rows = [(plan, goal) for plan in mentees for goal in plan.goals]
        goals = Goal.objects.bulk_create(
            Goal(mentee=plan.profile, area=areas[g.area], statement=g.statement, status=g.status)
            for plan, g in rows
        )
        steps, progress = [], []
        for (plan, goal_plan), goal in zip(rows, goals, strict=True):
            goal.created_at = self.at(goal_plan.history[0][0], hour=9)
            goal.updated_at = self.at(goal_plan.history[-1][0], hour=16)
            steps += [
                GoalStep(goal=goal, text=step.text, done=step.done, position=i)
                for i, step in enumerate(goal_plan.steps)
            ]
            mentor = plan.mentor.profile.user if plan.mentor else None
            for day, status, note, by_mentor in goal_plan.history:
                progress.append(
                    GoalProgress(
                        goal=goal,
                        date=day,
                        status=status,
                        note=note,
                        recorded_by=mentor
                        if by_mentor and mentor
                        else self.coordinators[plan.program],
                    )
                )
        Goal.objects.bulk_update(goals, ["created_at", "updated_at"])
        GoalStep.objects.bulk_create(steps)
        progress = GoalProgress.objects.bulk_create(progress)
        for entry in progress:
            entry.recorded_at = self.at(entry.date, hour=17)
        GoalProgress.objects.bulk_update(progress, ["recorded_at"], batch_size=500)

    def _finish_accounts(self, mentees: list[MenteePlan]) -> None:
        """Fixed logins get the demo password (one hash, computed once, because hashing is
        deliberately slow); mentees who asked for easy-read pages get them."""
        User.objects.filter(email__in=FIXED_EMAILS).update(password=self.password_hash)
        easy = [plan.profile.user_id for plan in mentees if plan.easy_read]
        User.objects.filter(pk__in=easy).update(easy_read=True)
