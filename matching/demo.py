"""The demo's matches: every state of the lifecycle with its history, and check-ins.

``manage.py seed_demo`` calls ``build_matches`` through ``accounts.demo.DEMO_STEPS`` once the
people and goals exist. Every match goes through the lifecycle services, so its events, rules
and notifications are the real ones (a pair the matching rules refuse is never proposed), and
its dates are then moved back to when it happened. What the demo holds:

- the planned pairs active (``mentee``↔``mentor`` and ``mentee2``↔``mentor2`` among them), two
  of them paused;
- closed matches with each closing reason for mentees who have left the program, two
  rematches (closed, then an active match linked to the closed one) and a mentee waiting for
  a rematch that has not been proposed yet;
- proposals awaiting approval, approved matches awaiting the introduction meeting, declined
  and withdrawn proposals;
- check-ins for every active and paused match: most on schedule, some overdue (``mentee2``'s
  among them, so the coordinator's home shows it).

Outbox rows the back-filled history queued are cancelled (they describe the past); the
requests for approval of the open proposals stay pending.
"""

import datetime

from django.utils import timezone

from accounts import services as services_accounts
from accounts.demo.plans import MenteePlan, MentorPlan
from accounts.models import Consent, Goal, MenteeProfile, MentorProfile, Notification
from matching import services
from matching.eligibility import exclusion_reasons, load_facts
from matching.models import Match, MatchEvent, SupportContact

CLOSINGS = [
    (
        Match.CloseReason.GOALS_MET,
        "Reached the goals they set together; both felt ready to finish. Ended with a coffee "
        "and a card.",
    ),
    (
        Match.CloseReason.PLANNED_END,
        "The twelve months agreed at the start are over. The mentee will join the Thursday "
        "support group.",
    ),
    (
        Match.CloseReason.MENTEE_WITHDREW,
        "The mentee started full-time work and no longer had time to meet; they know they can "
        "come back.",
    ),
    (
        Match.CloseReason.LOST_CONTACT,
        "No answer to calls, texts or letters for six weeks. The case manager was told.",
    ),
    (
        Match.CloseReason.SAFETY,
        "Ended after a boundary concern was reported and reviewed with the supervisor. Not to "
        "be matched with this mentor again.",
    ),
]
REMATCH_CLOSINGS = [
    (
        Match.CloseReason.REMATCH,
        "They found it hard to connect; both agreed to try someone new. No concerns.",
    ),
    (
        Match.CloseReason.MENTOR_WITHDREW,
        "The mentor moved out of the area for work. The mentee would like a new mentor.",
    ),
]
PAUSES = [
    "The mentee is in hospital for two weeks; they will start again when home.",
    "The mentor is away for a family emergency until the end of the month.",
]
DECLINES = [
    "The mentor starts evening shifts next month; let us look for someone free on weekday "
    "evenings.",
    "Too close to the mentor's own family: they live on the same street.",
]
WITHDRAWALS = [
    "The mentee asked to wait until after their court date.",
    "At the introduction meeting the mentee said they would rather meet someone their own age.",
]
CONCERNS = [
    "Sessions keep getting moved at the last minute; talked about setting a regular day.",
    "The mentee feels the mentor talks more than listens. Will raise it gently with the mentor.",
    "The mentor is worried about the mentee's housing situation; referred to the housing team.",
    "Missed two meetings in a row; the mentee says work hours changed.",
    "The mentee mentioned a slip last week; the mentor handled it well and kept meeting.",
]
METHODS = ["phone"] * 5 + ["in_person"] * 2 + ["video", "text"]


def build_matches(*, writer, mentors: list[MentorPlan], mentees: list[MenteePlan]) -> dict:
    return DemoMatches(writer, mentors, mentees).build()


class DemoMatches:
    def __init__(self, writer, mentors: list[MentorPlan], mentees: list[MenteePlan]):
        self.w = writer
        self.rng = writer.rng
        self.today = timezone.localdate()
        self.mentors = [m for m in mentors if m.status == "active" and m.profile]
        self.mentees = mentees
        self.profiles = {
            p.pk: p
            for p in MentorProfile.objects.filter(
                pk__in=[m.profile.pk for m in self.mentors]
            ).prefetch_related("languages")
        }
        # Open matches per mentor, kept within capacity (proposals included).
        self.open = {m.profile.pk: 0 for m in self.mentors}
        self.used: set[int] = set()  # mentee plans already given a story (by id())
        self.first_row = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()

    # --- Helpers ---

    def _days(self, low: int, high: int) -> datetime.timedelta:
        return datetime.timedelta(days=self.rng.randint(low, high))

    def _eligible(self, mentee: MenteePlan, *, avoid=(), need_room=True) -> list[MentorPlan]:
        """Mentors the matching rules allow for this mentee now, best overlap first."""
        profile = MenteeProfile.objects.prefetch_related("languages").get(pk=mentee.profile.pk)
        facts = load_facts(profile)
        found = []
        for plan in self.mentors:
            row = self.profiles[plan.profile.pk]
            if plan.program != mentee.program or any(plan is other for other in avoid):
                continue
            if need_room and self.open[row.pk] >= row.capacity:
                continue
            if mentee.idd_mh and not plan.idd_mh_experience:
                continue
            if not exclusion_reasons(profile, row, facts):
                found.append(plan)
        return sorted(found, key=lambda plan: -self._overlap(plan, mentee))

    @staticmethod
    def _overlap(mentor: MentorPlan, mentee: MenteePlan) -> int:
        return (
            3 * len(set(mentor.languages) & set(mentee.languages) - {"english"})
            + 2 * len(set(mentor.lived_experience) & set(mentee.lived_experience))
            + len(set(mentor.life_goals) & set(mentee.life_goals))
        )

    def _reasons(self, mentor: MentorPlan, mentee: MenteePlan) -> list[str]:
        names = {
            kind: {slug: term.name for slug, term in self.w.taxonomy[kind].items()}
            for kind in ("life_goals", "lived", "languages")
        }
        reasons = []
        goals = sorted(set(mentor.life_goals) & set(mentee.life_goals))
        if goals:
            reasons.append(
                "Shared life goals: " + ", ".join(names["life_goals"][g].lower() for g in goals)
            )
        lived = sorted(set(mentor.lived_experience) & set(mentee.lived_experience))
        if lived:
            reasons.append(
                "Shared lived experience: " + ", ".join(names["lived"][s].lower() for s in lived)
            )
        languages = sorted(set(mentor.languages) & set(mentee.languages) - {"english"})
        if languages:
            reasons.append("Both speak " + ", ".join(names["languages"][s] for s in languages))
        return reasons

    def _story(
        self,
        mentee: MenteePlan,
        mentor: MentorPlan,
        *,
        proposed: datetime.date,
        approved: datetime.date | None = None,
        started: datetime.date | None = None,
        end: tuple | None = None,
    ) -> Match:
        """One match through the services, from its proposal to ``end``, then back-dated.

        ``end``: ("decline" | "withdraw" | "pause", day, reason) or
        ("close", day, reason, notes, rematch)."""
        coordinator = self.w.coordinators[mentee.program]
        supervisor = self.w.supervisors[mentee.program]
        MenteeProfile.objects.filter(pk=mentee.profile.pk).update(
            status=MenteeProfile.Status.WAITING
        )
        match = services.propose_match(
            actor=coordinator,
            mentee=mentee.profile,
            mentor=mentor.profile,
            reasons=self._reasons(mentor, mentee),
        )
        # The introduction cannot predate the proposal: move the proposal back first.
        Match.objects.filter(pk=match.pk).update(proposed_at=self.w.at(proposed, 9))
        days = [proposed]
        if approved:
            services.approve_match(actor=supervisor, match=match)
            days.append(approved)
        if started:
            services.start_match(
                actor=coordinator, match=match, introduced_on=started, both_agreed=True
            )
            days.append(started)
        if end:
            kind, day = end[0], end[1]
            days.append(day)
            if kind == "decline":
                services.decline_match(actor=supervisor, match=match, reason=end[2])
            elif kind == "withdraw":
                services.withdraw_match(actor=coordinator, match=match, reason=end[2])
            elif kind == "pause":
                services.pause_match(actor=coordinator, match=match, reason=end[2])
            else:
                reason, notes, rematch = end[2], end[3], end[4]
                # A rematch's goals carry on with the next mentor.
                achieved = (
                    []
                    if rematch
                    else Goal.objects.filter(mentee=mentee.profile, status=Goal.Status.ACHIEVED)
                )
                services.close_match(
                    actor=coordinator,
                    match=match,
                    reason=reason,
                    notes=notes,
                    goals_achieved=achieved,
                    rematch=rematch,
                )
                Match.objects.filter(pk=match.pk).update(closed_on=day)
                if rematch or reason == Match.CloseReason.REMATCH:
                    days.append(day)  # the "rematch started" entry
                    MenteeProfile.objects.filter(pk=mentee.profile.pk).update(waiting_since=day)
        events = list(match.events.order_by("pk"))
        for hour, (event, day) in enumerate(zip(events, days, strict=True), start=10):
            event.at = self.w.at(day, hour=hour)
        MatchEvent.objects.bulk_update(events, ["at"])
        match.refresh_from_db()
        if match.is_open:
            self.open[mentor.profile.pk] += 1
        self.used.add(id(mentee))
        return match

    # --- The stories ---

    def build(self) -> dict:
        self._closed_histories()
        rematched = self._rematch_predecessors()
        pending = self._pending_rematch()
        agreed = self._planned_pairs()
        self._pauses(agreed)
        self._pipeline(avoid={id(pending)} if pending else set())
        self._check_ins(agreed)
        self._cancel_backfilled_notifications()
        counts = {
            f"{label.lower()} matches": Match.objects.filter(status=status).count()
            for status, label in Match.Status.choices
        }
        counts["rematches"] = len(rematched)
        counts["check-ins"] = SupportContact.objects.count()
        return counts

    def _closed_histories(self) -> None:
        """Mentees who left the program, each after a match closed for one of the reasons."""
        exited = [m for m in self.mentees if m.status == "exited"]
        for n, mentee in enumerate(exited):
            candidates = self._eligible(mentee)
            if not candidates:
                continue
            reason, notes = CLOSINGS[n % len(CLOSINGS)]
            proposed = mentee.referral_date + self._days(5, 20)
            approved = proposed + self._days(1, 3)
            started = approved + self._days(3, 10)
            closed = min(started + self._days(60, 200), self.today - self._days(5, 40))
            if closed < started + datetime.timedelta(days=21):
                continue
            self._story(
                mentee,
                candidates[0],
                proposed=proposed,
                approved=approved,
                started=started,
                end=("close", closed, reason, notes, False),
            )

    def _rematch_predecessors(self) -> list[MenteePlan]:
        """Two matched mentees whose first match closed and who were rematched (their active
        match, made later, links to the closed one)."""
        chosen = []
        for mentee in self.mentees[2:]:
            if len(chosen) == len(REMATCH_CLOSINGS):
                break
            if not mentee.mentor or any(m.program == mentee.program for m in chosen):
                continue
            if (mentee.started_on - mentee.referral_date).days < 36:
                continue
            candidates = self._eligible(mentee, avoid=[mentee.mentor])
            if not candidates:
                continue
            reason, notes = REMATCH_CLOSINGS[len(chosen)]
            proposed = mentee.referral_date + datetime.timedelta(days=5)
            self._story(
                mentee,
                candidates[-1],
                proposed=proposed,
                approved=proposed + datetime.timedelta(days=2),
                started=proposed + datetime.timedelta(days=6),
                end=("close", mentee.started_on - datetime.timedelta(days=8), reason, notes, True),
            )
            chosen.append(mentee)
        return chosen

    def _pending_rematch(self) -> MenteePlan | None:
        """A waiting mentee whose mentor withdrew: back on the list, no new proposal yet."""
        waiting = [m for m in self.mentees if m.status == "waiting" and m.waiting_since]
        waiting.sort(key=lambda m: (m.waiting_since, m.name))
        for mentee in waiting[len(waiting) // 2 :]:
            candidates = self._eligible(mentee)
            if not candidates:
                continue
            closed = mentee.waiting_since
            started = closed - self._days(40, 80)
            proposed = started - datetime.timedelta(days=6)
            if mentee.referral_date > proposed - datetime.timedelta(days=3):
                # Referred before this first match, of course.
                referral = proposed - datetime.timedelta(days=14)
                MenteeProfile.objects.filter(pk=mentee.profile.pk).update(referral_date=referral)
                Consent.objects.filter(
                    mentee=mentee.profile, given_on__gt=referral + datetime.timedelta(days=4)
                ).update(given_on=referral + datetime.timedelta(days=4))
            reason, notes = REMATCH_CLOSINGS[1]
            self._story(
                mentee,
                candidates[0],
                proposed=proposed,
                approved=proposed + datetime.timedelta(days=2),
                started=started,
                end=("close", closed, reason, notes, True),
            )
            return mentee
        return None

    def _planned_pairs(self) -> list[Match]:
        """The planner's pairs, active since their planned start."""
        agreed = []
        for mentee in self.mentees:
            if not mentee.mentor:
                continue
            started = mentee.started_on
            proposed = started - self._days(4, 7)
            agreed.append(
                self._story(
                    mentee,
                    mentee.mentor,
                    proposed=proposed,
                    approved=proposed + datetime.timedelta(days=1),
                    started=started,
                )
            )
        return agreed

    def _pauses(self, agreed: list[Match]) -> None:
        fixed = {m.profile.pk for m in self.mentees[:2]}
        month_ago = self.today - datetime.timedelta(days=30)
        candidates = [m for m in agreed if m.mentee_id not in fixed and m.started_on < month_ago]
        coordinators = self.w.coordinators
        for match, reason in zip(candidates[3::7], PAUSES, strict=False):
            program = next(key for key, p in self.w.programs.items() if p.pk == match.program_id)
            services.pause_match(actor=coordinators[program], match=match, reason=reason)
            event = match.events.order_by("-pk").first()
            event.at = self.w.at(self.today - self._days(3, 12), hour=14)
            event.save(update_fields=["at"])
            match.status = Match.Status.PAUSED

    def _pipeline(self, *, avoid: set[int]) -> None:
        """Proposals in every state for waiting mentees, within the mentors' capacity."""
        waiting = [
            m
            for m in self.mentees
            if m.status == "waiting" and m.waiting_since and id(m) not in avoid | self.used
        ]

        def next_pair(program=None):
            for mentee in waiting:
                if id(mentee) in self.used or (program and mentee.program != program):
                    continue
                candidates = self._eligible(mentee)
                if candidates:
                    return mentee, candidates[0]
            return None, None

        def recent(mentee, low, high):
            return max(mentee.waiting_since, self.today - self._days(low, high))

        # Awaiting approval: the demo mentor gets one, so that supervisor approves →
        # coordinator starts → the match shows on the mentor's home can be followed with the
        # demo logins; then one in each of the other programs.
        self._propose_to_demo_mentor(waiting)
        for program in ("idd", "mh"):
            mentee, mentor = next_pair(program)
            if mentee:
                self._story(mentee, mentor, proposed=recent(mentee, 0, 5))
        # Approved, awaiting the introduction meeting.
        for program in ("su", "mh"):
            mentee, mentor = next_pair(program)
            if mentee:
                proposed = recent(mentee, 6, 12)
                approved = min(self.today, proposed + self._days(1, 3))
                self._story(mentee, mentor, proposed=proposed, approved=approved)
        # Declined, and the next proposal for the same mentee awaiting approval.
        for n, reason in enumerate(DECLINES):
            mentee, mentor = next_pair()
            if not mentee:
                break
            proposed = recent(mentee, 10, 20)
            declined = min(self.today, proposed + self._days(1, 3))
            self._story(mentee, mentor, proposed=proposed, end=("decline", declined, reason))
            if n == 0:
                others = self._eligible(mentee, avoid=[mentor])
                if others:
                    self._story(mentee, others[0], proposed=min(self.today, declined))
        # Withdrawn: one while proposed, one after approval.
        for n, reason in enumerate(WITHDRAWALS):
            mentee, mentor = next_pair()
            if not mentee:
                break
            proposed = recent(mentee, 14, 25)
            approved = min(self.today, proposed + self._days(1, 2)) if n else None
            withdrawn = min(self.today, (approved or proposed) + self._days(2, 5))
            self._story(
                mentee,
                mentor,
                proposed=proposed,
                approved=approved,
                end=("withdraw", withdrawn, reason),
            )

    def _propose_to_demo_mentor(self, waiting: list[MenteePlan]) -> None:
        demo_mentor = next(m for m in self.mentors if m.email == "mentor@example.org")
        row = self.profiles[demo_mentor.profile.pk]
        if self.open[row.pk] >= row.capacity:
            # The demo mentor agreed to take one more mentee.
            row = services_accounts.update_mentor_profile(
                actor=self.w.coordinators[demo_mentor.program],
                mentor=row,
                fields={"capacity": row.capacity + 1},
            )
        for mentee in waiting:
            if mentee.program != demo_mentor.program or id(mentee) in self.used:
                continue
            if any(c is demo_mentor for c in self._eligible(mentee)):
                proposed = max(mentee.waiting_since, self.today - self._days(0, 3))
                self._story(mentee, demo_mentor, proposed=proposed)
                return

    # --- Check-ins ---

    def _check_ins(self, agreed: list[Match]) -> None:
        """Check-ins on the program's cadence (two in the first month, monthly after); some
        matches fell behind, so they show as overdue."""
        fixed = {m.profile.pk: m.email for m in self.mentees[:2]}
        rows = []
        for match in agreed:
            age = (self.today - match.started_on).days
            if fixed.get(match.mentee_id) == "mentee@example.org":
                plan = [(12, "both"), (27, "mentor"), (28, "mentee"), (57, "both")]
            elif fixed.get(match.mentee_id) == "mentee2@example.org":
                plan = [(13, "both")]  # the day-30 check-in was missed: overdue
            else:
                plan = self._contact_days(age)
                if plan and self.rng.random() < 0.25:
                    # Fell behind: nothing for the last five to eight weeks.
                    cutoff = age - self.rng.randint(35, 56)
                    plan = [(day, whom) for day, whom in plan if day <= cutoff]
            if match.status == Match.Status.PAUSED:
                plan = [(day, whom) for day, whom in plan if day <= age - 14]
            coordinator = next(
                user
                for key, user in self.w.coordinators.items()
                if self.w.programs[key].pk == match.program_id
            )
            for day, whom in plan:
                if day > age:
                    continue
                health = self.rng.choices([5, 4, 3, 2], weights=[40, 40, 15, 5])[0]
                rows.append(
                    services.log_support_contact(
                        actor=coordinator,
                        match=match,
                        contact_date=match.started_on + datetime.timedelta(days=day),
                        with_whom=whom,
                        method=self.rng.choice(METHODS),
                        relationship_health=health,
                        concerns=self.rng.choice(CONCERNS) if health <= 3 else "",
                        follow_up_needed=health <= 2 or (health == 3 and self.rng.random() < 0.5),
                    )
                )
        for row in rows:
            row.created_at = self.w.at(row.contact_date, hour=15)
        SupportContact.objects.bulk_update(rows, ["created_at"], batch_size=500)

    def _contact_days(self, age: int) -> list[tuple[int, str]]:
        """Check-in days on schedule: around day 14 and day 28, then about monthly. Half the
        time the coordinator calls the mentor and the mentee separately."""
        days = [self.rng.randint(9, 15), self.rng.randint(24, 29)]
        while days[-1] + 24 <= age:
            days.append(days[-1] + self.rng.randint(24, 31))
        plan = []
        for day in days:
            if self.rng.random() < 0.5:
                plan.append((day, "both"))
            else:
                plan += [(day, "mentor"), (day + self.rng.randint(0, 2), "mentee")]
        return [(day, whom) for day, whom in plan if day <= age]

    def _cancel_backfilled_notifications(self) -> None:
        """The history's notifications describe the past: never deliver them. Requests to
        approve the proposals still open are current and stay pending."""
        rows = Notification.objects.all()
        if self.first_row:
            rows = rows.filter(pk__gt=self.first_row)
        proposed = Match.objects.filter(status=Match.Status.PROPOSED).values_list("pk", flat=True)
        rows.exclude(kind="match_awaiting_approval", subject_id__in=list(proposed)).update(
            state=Notification.State.CANCELLED
        )
