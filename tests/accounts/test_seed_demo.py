"""``manage.py seed_demo``: a realistic demo program with working logins, built once.

Building the demo takes seconds, so the tests of the built program share one build per class
(inside a transaction that is rolled back afterwards); each test still runs in its own
savepoint, so nothing one test changes reaches another.
"""

import datetime
import json

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import RequestFactory, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import demo
from accounts.demo.planner import Planner
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
    MentorProfile,
    Notification,
    Program,
    User,
)
from matching import selectors
from matching.models import Match, MatchEvent, SupportContact
from sessions.models import MentoringSession
from tests import factories as f

PASSWORD = "demo-test-password-2026"
# The shared build runs outside any one test's settings, so it names its (fast) hasher and
# every test of the build uses the same one.
HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
COUNTED = [
    Center,
    Program,
    User,
    Membership,
    MentorProfile,
    MenteeProfile,
    Consent,
    Goal,
    GoalStep,
    GoalProgress,
    Match,
    MatchEvent,
    SupportContact,
    Notification,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def open_mentee_ids(mentor_email: str) -> set[int]:
    return set(
        Match.objects.open()
        .filter(mentor__user__email=mentor_email)
        .values_list("mentee_id", flat=True)
    )


def mentor_of(mentee_email: str) -> MentorProfile:
    return Match.objects.open().get(mentee__user__email=mentee_email).mentor


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, built once for the class and rolled back after it."""
    credentials = tmp_path_factory.mktemp("demo") / "credentials.json"
    with (
        override_settings(PASSWORD_HASHERS=HASHERS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("seed_demo", password=PASSWORD, credentials=str(credentials))
        yield credentials
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=False)
@pytest.mark.usefixtures("seeded")
class TestTheBuiltDemo:
    @pytest.fixture(autouse=True)
    def _same_hashers_as_the_build(self, settings):
        settings.PASSWORD_HASHERS = HASHERS

    def test_it_has_two_centers_and_three_programs(self):
        assert set(Center.objects.values_list("name", flat=True)) == {
            "New Horizons — Riverside",
            "New Horizons — Eastside",
        }
        assert Program.objects.count() == 3
        assert Program.objects.get(name="Young adults IDD-MH").serves_idd_mh

    def test_it_has_about_forty_mentors_and_a_hundred_and_twenty_mentees(self):
        assert 35 <= MentorProfile.objects.count() <= 45
        assert 110 <= MenteeProfile.objects.count() <= 130

    def test_every_fixed_login_authenticates_with_the_given_password(self):
        request = RequestFactory().post("/login/")
        for login in demo.FIXED_LOGINS:
            user = authenticate(request=request, username=login.email, password=PASSWORD)
            assert user is not None, login.email
            assert user.display_name == login.name

    def test_no_other_account_has_a_usable_password(self):
        others = User.objects.exclude(email__in=[login.email for login in demo.FIXED_LOGINS])
        assert others.exists()
        assert not any(user.has_usable_password() for user in others)

    def test_the_admin_is_a_superuser_and_staff(self):
        admin = User.objects.get(email="admin@example.org")
        assert admin.is_superuser and admin.is_staff

    def test_fixed_staff_hold_their_roles(self):
        coordinator = User.objects.get(email="coordinator@example.org")
        supervisor = User.objects.get(email="supervisor@example.org")
        assert set(
            Program.objects.filter(
                pk__in=coordinator.program_ids_with_role("coordinator")
            ).values_list("name", flat=True)
        ) == {"Substance-use recovery", "Young adults IDD-MH"}
        assert set(
            Program.objects.filter(
                pk__in=supervisor.program_ids_with_role("supervisor")
            ).values_list("name", flat=True)
        ) == {"Substance-use recovery"}

    def test_mentor_and_mentor2_have_different_mentees(self):
        mine, theirs = open_mentee_ids("mentor@example.org"), open_mentee_ids("mentor2@example.org")
        assert mine and theirs
        assert not mine & theirs

    def test_mentee_is_matched_with_mentor_and_mentee2_with_mentor2(self):
        assert mentor_of("mentee@example.org").user.email == "mentor@example.org"
        assert mentor_of("mentee2@example.org").user.email == "mentor2@example.org"

    def test_the_case_manager_may_see_mentee_through_a_current_consent(self):
        case_manager = User.objects.get(email="casemanager@example.org")
        mentee = MenteeProfile.objects.get(user__email="mentee@example.org")
        assert mentee.case_manager == case_manager
        assert MenteeProfile.objects.visible_to(case_manager).filter(pk=mentee.pk).exists()
        assert not (
            MenteeProfile.objects.visible_to(case_manager)
            .filter(user__email="mentee2@example.org")
            .exists()
        )

    def test_mentee_has_goals_with_steps_and_a_dated_history(self):
        goals = Goal.objects.filter(mentee__user__email="mentee@example.org")
        assert goals.count() >= 2
        for goal in goals:
            assert goal.steps.exists()
            assert goal.progress.exists()
            assert not goal.progress.filter(date__gt=timezone.localdate()).exists()

    def test_no_mentor_is_above_capacity(self):
        over = MentorProfile.objects.annotate(
            open_matches=Count("matches", filter=Q(matches__status__in=Match.OPEN_STATUSES))
        ).filter(open_matches__gt=F("capacity"))
        assert not over.exists()

    def test_matches_are_in_every_state_within_one_program(self):
        matches = Match.objects.all()
        assert matches.count() >= 30
        assert set(matches.values_list("status", flat=True)) == set(Match.Status.values)
        assert not matches.filter(started_on__gt=timezone.localdate()).exists()
        assert not matches.filter(proposed_at__gt=timezone.now()).exists()
        assert not matches.exclude(mentor__program=F("program")).exists()
        assert not matches.exclude(mentee__program=F("program")).exists()
        assert not matches.exclude(mentor__status="active").exists()
        assert (
            not matches.filter(status__in=["active", "paused"])
            .exclude(mentee__status="matched")
            .exists()
        )
        assert (
            not matches.filter(status__in=["proposed", "approved"])
            .exclude(mentee__status="waiting")
            .exists()
        )

    def test_every_match_has_its_history_through_the_services(self):
        proposals = MatchEvent.objects.filter(from_status="", to_status="proposed")
        assert proposals.count() == Match.objects.count()
        started = Match.objects.exclude(started_on=None)
        assert MatchEvent.objects.filter(from_status="approved", to_status="active").count() == (
            started.count()
        )
        assert not MatchEvent.objects.filter(at__gt=timezone.now()).exists()
        for match in Match.objects.filter(status="closed"):
            assert match.closed_on >= match.started_on
            assert match.events.filter(to_status="closed").exists()

    def test_closed_matches_have_various_reasons_and_rematches_link_to_them(self):
        reasons = set(Match.objects.filter(status="closed").values_list("close_reason", flat=True))
        assert {"goals_met", "planned_end", "lost_contact", "safety", "rematch"} <= reasons
        rematches = Match.objects.exclude(rematch_of=None)
        assert rematches.filter(status="active").exists()
        for match in rematches:
            assert match.rematch_of.status == "closed"
            assert match.rematch_of.mentee_id == match.mentee_id
            assert match.rematch_of.closed_on < timezone.localdate(match.proposed_at)

    def test_some_matches_are_overdue_for_a_check_in_and_mentee2s_is(self):
        overdue = selectors.overdue_matches(Match.objects.all())
        active = Match.objects.filter(status="active").count()
        assert 3 <= len(overdue) < active / 2
        assert "mentee2@example.org" in {m.mentee.user.email for m in overdue}
        assert "mentee@example.org" not in {m.mentee.user.email for m in overdue}
        assert SupportContact.objects.filter(contact_date__gt=timezone.localdate()).count() == 0

    def test_the_demo_mentor_has_a_proposal_awaiting_the_supervisor(self):
        proposal = Match.objects.get(mentor__user__email="mentor@example.org", status="proposed")
        supervisor = User.objects.get(email="supervisor@example.org")
        assert proposal.program_id in supervisor.program_ids_with_role("supervisor")
        assert Notification.objects.filter(
            recipient=supervisor, kind="match_awaiting_approval", subject_id=proposal.pk
        ).exclude(state="cancelled")

    def test_the_back_filled_history_sends_nothing(self):
        """Only what is current goes out: open approval requests, last month's report being
        ready, and the reminders of the next days' sessions, all due now or later."""
        pending = Notification.objects.exclude(state="cancelled")
        assert set(pending.values_list("kind", flat=True)) == {
            "match_awaiting_approval",
            "report_ready",
            "session_reminder",
            "session_not_logged",
        }
        reminders = pending.filter(kind__startswith="session_")
        assert not reminders.filter(due_at__lt=timezone.now() - datetime.timedelta(hours=1))

    def test_tomorrows_demo_session_has_its_reminders(self):
        tomorrow = MentoringSession.objects.filter(
            match__mentor__user__email="mentor@example.org",
            match__mentee__user__email="mentee@example.org",
            status="scheduled",
            starts_at__gt=timezone.now(),
        ).earliest("starts_at")
        kinds = Notification.objects.filter(subject_id=tomorrow.pk, state="pending")
        recipients = set(
            kinds.filter(kind="session_reminder").values_list("recipient__email", flat=True)
        )
        assert recipients == {"mentor@example.org", "mentee@example.org"}

    def test_every_matched_mentee_has_an_active_or_paused_match(self):
        matched = MenteeProfile.objects.filter(status="matched")
        assert matched.exists()
        assert not matched.exclude(matches__status__in=["active", "paused"]).exists()

    def test_waiting_mentees_have_waited_up_to_ninety_days(self):
        today = timezone.localdate()
        waits = [
            (today - since).days
            for since in MenteeProfile.objects.filter(status="waiting").values_list(
                "waiting_since", flat=True
            )
        ]
        assert waits and min(waits) >= 0 and max(waits) <= 90
        assert max(waits) - min(waits) >= 30  # spread out, not all from today

    def test_about_a_quarter_of_mentees_speak_spanish(self):
        spanish = MenteeProfile.objects.filter(languages__slug="spanish").count()
        assert 0.15 <= spanish / MenteeProfile.objects.count() <= 0.35

    def test_idd_mh_mentees_are_in_the_idd_mh_program(self):
        idd_mh = MenteeProfile.objects.filter(idd_mh=True)
        assert idd_mh.exists()
        assert not idd_mh.exclude(program__serves_idd_mh=True).exists()

    def test_running_it_twice_creates_nothing(self, capsys):
        before = counts()

        call_command("seed_demo", password=PASSWORD)

        assert counts() == before
        assert "Demo data already present" in capsys.readouterr().out

    def test_credentials_file_lists_every_fixed_login(self, seeded):
        data = json.loads(seeded.read_text())

        assert data["base_url"] == "http://127.0.0.1:8000"
        assert {account["login"] for account in data["accounts"]} == set(demo.FIXED_EMAILS)
        assert all(account["password"] == PASSWORD for account in data["accounts"])
        assert {"admin", "coordinator", "supervisor", "mentor", "mentee", "case_manager"} == {
            account["role"] for account in data["accounts"]
        }
        assert seeded.stat().st_mode & 0o077 == 0

    def test_credentials_carry_a_totp_secret_for_every_login_that_needs_one(self, seeded):
        accounts = json.loads(seeded.read_text())["accounts"]

        for account in accounts:
            has_app = TOTPDevice.objects.filter(
                user__email=account["login"], confirmed=True
            ).exists()
            assert has_app == (account["role"] != "mentee"), account["login"]
            assert bool(account["totp_secret"]) == has_app, account["login"]

    def test_a_second_run_rewrites_credentials_only_for_the_right_password(self, tmp_path):
        call_command("seed_demo", password=PASSWORD, credentials=str(tmp_path / "again.json"))
        assert (tmp_path / "again.json").exists()

        with pytest.raises(CommandError, match="do not use this password"):
            call_command("seed_demo", password="another", credentials=str(tmp_path / "no.json"))
        assert not (tmp_path / "no.json").exists()


@pytest.mark.django_db
def test_it_refuses_to_adopt_an_existing_account_with_a_demo_address():
    f.UserFactory(email="admin@example.org")

    with pytest.raises(CommandError, match="admin@example.org"):
        call_command("seed_demo", password=PASSWORD)

    assert not Center.objects.exists()


def test_planning_is_deterministic():
    def plan():
        mentors, mentees = Planner(
            seed=demo.spec.SEED,
            today=timezone.localdate(),
            interest_slugs=[f"interest-{n}" for n in range(10)],
        ).plan()
        return [(p.name, p.status, p.email) for p in mentors + mentees], [
            (m.name, m.mentor.name if m.mentor else None, [g.statement for g in m.goals])
            for m in mentees
        ]

    assert plan() == plan()


@pytest.mark.django_db
def test_the_migration_seeds_the_default_taxonomies():
    assert LifeGoalArea.objects.filter(slug__in=["housing", "coping-skills"]).count() == 2
    assert LivedExperience.objects.filter(slug__in=["opioid-use-recovery", "idd"]).count() == 2
    assert set(Language.objects.values_list("code", flat=True)) >= {"en", "es", "ht", "sgn-ase"}
    assert Interest.objects.filter(slug="music").exists()
