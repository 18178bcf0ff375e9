"""Journey 1: the coordinator registers a referred mentee, interviews them with the matching
checklist, proposes the best suggested mentor; the supervisor approves; the coordinator starts
the match. Both sign in with their password and authenticator code, and click their way on
from the home page.

On the way each form (the referral, the interview, the start of the match) is sent empty and
with nonsense: the errors appear next to the fields, are announced and linked from the error
summary, and what was typed stays.
"""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import MenteeProfile
from matching.models import Interview, Match
from tests import factories as f
from tests.accounts.auth_helpers import authenticator
from tests.browser.announced import assert_error_announced, assert_group_error_announced
from tests.browser.conftest import sign_in_with_authenticator
from tests.factories import TEST_PASSWORD

DESKTOP = {"width": 1280, "height": 900}
NAME = "Rosa Delgado"
# A long journey on a shared machine: a page may take longer than the suite's default 10 s.
SLOW_PAGE_MS = 30_000


def group(page, legend: str):
    """The radios or checkboxes of one question (a required one's legend ends with "*"); the
    innermost group when a section of the form bears the same name."""
    return page.get_by_role("group", name=re.compile(rf"^{re.escape(legend)}\*?$")).last


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def iso(day: datetime.date) -> str:
    return day.isoformat()


@pytest.fixture
def program_people(cast):
    """Two mentors with a free place each, whose languages and life goals are on record; the
    coordinator and the supervisor use an authenticator app."""
    # The default terms, made again if an earlier transactional test flushed them away.
    english = f.LanguageFactory(code="en", name="English", slug="english")
    spanish = f.LanguageFactory(code="es", name="Spanish", slug="spanish")
    education = f.LifeGoalAreaFactory(slug="education", name="Education")
    housing = f.LifeGoalAreaFactory(slug="housing", name="Housing")
    cast.mentor_profile.languages.set([english, spanish])
    cast.mentor_profile.life_goals.set([education])
    cast.mentor2_profile.languages.set([english])
    cast.mentor2_profile.life_goals.set([housing])
    authenticator(cast.coordinator)
    authenticator(cast.supervisor)
    return cast


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinator_registers_interviews_and_matches_a_referral(program_people, new_page, shot):
    cast = program_people
    today = timezone.localdate()
    next_year = today + datetime.timedelta(days=365)
    coordinator = new_page(viewport=DESKTOP)
    coordinator.set_default_timeout(SLOW_PAGE_MS)
    sign_in_with_authenticator(coordinator, cast.coordinator.email, TEST_PASSWORD)
    shot(coordinator, "coordinator-home")

    # --- The referral ----------------------------------------------------------------------
    coordinator.get_by_role("link", name="Register a referral").click()
    name = coordinator.locator("#id_display_name")
    referrer = coordinator.locator("#id_referrer_name")
    birth_date = coordinator.locator("#id_birth_date")
    referrer.fill("Dr. Amal Haddad")
    submit(coordinator, "Register the referral")
    assert_error_announced(coordinator, name, "This field is required.")
    assert referrer.input_value() == "Dr. Amal Haddad"
    shot(coordinator, "referral-empty")

    name.fill(NAME)
    coordinator.get_by_label("Status").select_option(label="Referred")
    birth_date.fill(iso(next_year))
    submit(coordinator, "Register the referral")
    assert_error_announced(coordinator, birth_date, "A birth date cannot be in the future.")
    assert (name.input_value(), birth_date.input_value()) == (NAME, iso(next_year))
    assert referrer.input_value() == "Dr. Amal Haddad"
    assert coordinator.get_by_label("Status").input_value() == "referred"
    assert not MenteeProfile.objects.filter(user__display_name=NAME).exists()
    shot(coordinator, "referral-nonsense")

    birth_date.fill(iso(today.replace(year=today.year - 22)))
    submit(coordinator, "Register the referral")
    assert coordinator.get_by_text(f"{NAME} is registered in Program A.").is_visible()
    mentee = MenteeProfile.objects.get(user__display_name=NAME)
    assert (mentee.status, mentee.referrer_name) == ("referred", "Dr. Amal Haddad")
    shot(coordinator, "referral-registered")

    # --- The interview ---------------------------------------------------------------------
    coordinator.get_by_role("link", name=f"Interview {NAME}").click()
    held_on = coordinator.locator("#id_held_on")
    notes = coordinator.get_by_label("Interview notes")
    languages = group(coordinator, "Which languages do you speak?")
    outcome = group(coordinator, "Outcome")
    held_on.fill("")
    notes.fill("Rosa wants to go back to college and prefers Spanish.")
    submit(coordinator, "Record the interview")
    assert_error_announced(coordinator, held_on, "This field is required.")
    assert_group_error_announced(coordinator, languages, "This field is required.")
    assert_group_error_announced(coordinator, outcome, "This field is required.")
    assert notes.input_value() == "Rosa wants to go back to college and prefers Spanish."
    shot(coordinator, "interview-empty")

    held_on.fill(iso(next_year))
    answers = {
        "Which areas of life would you like to work on?": ["Education"],
        "Which languages do you speak?": ["Spanish", "English"],
        "When in the week are you usually free?": [re.compile("^Tue evening")],
        "How would you like to meet?": ["Phone"],
        "Any safety concerns to note?": ["No"],
        "Outcome": ["Ready to match"],
    }
    for question, choices in answers.items():
        for choice in choices:
            group(coordinator, question).get_by_label(choice).check()
    submit(coordinator, "Record the interview")
    assert_error_announced(coordinator, held_on, "This date cannot be in the future.")
    assert held_on.input_value() == iso(next_year)
    assert languages.get_by_label("Spanish").is_checked()
    assert outcome.get_by_label("Ready to match").is_checked()
    assert notes.input_value() == "Rosa wants to go back to college and prefers Spanish."
    assert not Interview.objects.filter(mentee=mentee).exists()
    shot(coordinator, "interview-nonsense")

    held_on.fill(iso(today))
    submit(coordinator, "Record the interview")
    assert coordinator.get_by_text("The interview is recorded.").is_visible()
    mentee.refresh_from_db()
    assert mentee.status == MenteeProfile.Status.WAITING
    assert set(mentee.languages.values_list("slug", flat=True)) == {"english", "spanish"}
    shot(coordinator, "interview-recorded")

    # --- Suggestions and the proposal ------------------------------------------------------
    coordinator.get_by_role("link", name=NAME).first.click()
    coordinator.get_by_role("link", name=re.compile("^Suggested mentors")).click()
    rows = coordinator.locator("table tbody tr")
    assert rows.first.get_by_role("rowheader").inner_text() == "Mentor One"
    assert "Spanish" in rows.first.inner_text()
    shot(coordinator, "suggestions")
    with coordinator.expect_navigation():
        rows.first.get_by_role("button", name="Propose Mentor One").click()
    assert coordinator.get_by_text(f"Mentor One is proposed as {NAME}'s mentor.").is_visible()
    match = Match.objects.get(mentee=mentee)
    assert (match.mentor, match.status) == (cast.mentor_profile, Match.Status.PROPOSED)
    shot(coordinator, "proposed")

    # --- The supervisor approves -----------------------------------------------------------
    supervisor = new_page(viewport=DESKTOP)
    supervisor.set_default_timeout(SLOW_PAGE_MS)
    sign_in_with_authenticator(supervisor, cast.supervisor.email, TEST_PASSWORD)
    waiting = supervisor.get_by_role("region", name=re.compile("waiting for your approval"))
    shot(supervisor, "supervisor-home")
    waiting.get_by_role("link", name=f"{NAME} with Mentor One").click()
    submit(supervisor, "Approve the match")
    assert supervisor.get_by_text(f"The match of {NAME} with Mentor One is approved.").is_visible()
    match.refresh_from_db()
    assert match.status == Match.Status.APPROVED
    shot(supervisor, "approved")

    # --- The coordinator starts the match --------------------------------------------------
    coordinator.get_by_role("link", name="PeerPath").first.click()
    proposals = coordinator.get_by_role("region", name="Matches to look after")
    assert "awaiting the introduction" in proposals.inner_text()
    proposals.get_by_role("link", name=f"{NAME} with Mentor One").click()
    coordinator.get_by_text("Start the match", exact=True).first.click()  # opens the fold
    introduced_on = coordinator.locator("#id_start_introduced_on")
    agreed = coordinator.locator("#id_start_both_agreed")
    start_note = coordinator.locator("#id_start_note")
    introduced_on.fill("")
    start_note.fill("Met at the center; Rosa chose Tuesday evenings.")
    submit(coordinator, "Start the match")
    assert_error_announced(coordinator, introduced_on, "This field is required.")
    assert start_note.input_value() == "Met at the center; Rosa chose Tuesday evenings."
    shot(coordinator, "start-empty")

    introduced_on.fill(iso(next_year))
    agreed.check()
    submit(coordinator, "Start the match")
    assert_error_announced(
        coordinator, introduced_on, "The introduction meeting cannot be in the future."
    )
    assert introduced_on.input_value() == iso(next_year)
    assert agreed.is_checked()
    assert start_note.input_value() == "Met at the center; Rosa chose Tuesday evenings."
    shot(coordinator, "start-nonsense")

    # Nonsense too: a start nobody agreed to.
    introduced_on.fill(iso(today))
    agreed.uncheck()
    submit(coordinator, "Start the match")
    assert_error_announced(
        coordinator, agreed, "A match starts only when both the mentee and the mentor agreed."
    )
    assert introduced_on.input_value() == iso(today)
    assert Match.objects.get(pk=match.pk).status == Match.Status.APPROVED
    shot(coordinator, "start-not-agreed")

    agreed.check()
    submit(coordinator, "Start the match")
    assert coordinator.get_by_text(f"The match of {NAME} with Mentor One is active.").is_visible()
    shot(coordinator, "started")

    match.refresh_from_db()
    mentee.refresh_from_db()
    assert (match.status, match.started_on) == (Match.Status.ACTIVE, today)
    assert mentee.status == MenteeProfile.Status.MATCHED
    assert list(match.events.values_list("actor__email", flat=True)) == [
        cast.coordinator.email,
        cast.supervisor.email,
        cast.coordinator.email,
    ]
