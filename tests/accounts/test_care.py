"""Consents and personal goals: the services' rules, and each view for each persona."""

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts import services
from accounts.models import Consent, Goal, GoalProgress, GoalStep, MenteeProfile
from tests import factories as f

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)
# The 42 CFR 2.31 elements of a consent to share, as the signed form gives them.
PART2 = {
    "information": "Goals and progress",
    "purpose": "Coordination of care",
    "recipient_name": "Riverside Case Management",
    "expiry_event": "When I leave the program",
    "revocation_acknowledged": True,
    "signature_name": "Mentee One",
    "signed_on": timezone.localdate(),
}


def mentee_page(mentee) -> str:
    return f"/people/mentees/{mentee.pk}/"


def mentee_detail_url(mentee) -> str | None:
    try:
        return reverse("accounts:mentee_detail", args=[mentee.pk])
    except NoReverseMatch:
        return None


@pytest.fixture
def area(db):
    return f.LifeGoalAreaFactory(name="Housing test area", slug="housing-test")


@pytest.fixture
def goal(cast, area):
    goal = f.GoalFactory(mentee=cast.mentee_profile, area=area, statement="Find my own flat")
    GoalStep.objects.create(goal=goal, text="Call the housing office", position=0)
    GoalStep.objects.create(goal=goal, text="Visit two flats", position=1)
    return goal


def sharing_consent(cast):
    kind = Consent.Kind.SHARE_WITH_CASE_MANAGER
    return Consent.objects.get(mentee=cast.mentee_profile, kind=kind)


def assert_login_redirect(response):
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- Consent services --------------------------------------------------------------------


def test_staff_records_consent(cast):
    consent = services.record_consent(
        actor=cast.supervisor,
        mentee=cast.mentee_profile,
        kind=Consent.Kind.RESEARCH,
        given_on=timezone.localdate(),
        text_version="2026-2",
        **PART2,
    )
    assert consent.is_current and consent.recorded_by == cast.supervisor
    assert consent.recipient is None


def test_mentor_cannot_record_consent(cast):
    with pytest.raises(services.DomainError, match="coordinators and supervisors"):
        services.record_consent(
            actor=cast.mentor,
            mentee=cast.mentee_profile,
            kind=Consent.Kind.RESEARCH,
            given_on=timezone.localdate(),
            text_version="2026-1",
            **PART2,
        )


def test_sharing_consent_goes_to_the_case_manager_by_default(cast):
    sharing_consent(cast).delete()
    consent = services.record_consent(
        actor=cast.coordinator,
        mentee=cast.mentee_profile,
        kind=Consent.Kind.SHARE_WITH_CASE_MANAGER,
        given_on=timezone.localdate(),
        text_version="2026-1",
        **PART2,
    )
    assert consent.recipient == cast.case_manager


def test_second_current_consent_of_a_kind_is_refused(cast):
    with pytest.raises(services.DomainError, match="Revoke it first") as caught:
        services.record_consent(
            actor=cast.coordinator,
            mentee=cast.mentee_profile,
            kind=Consent.Kind.SHARE_WITH_CASE_MANAGER,
            given_on=timezone.localdate(),
            text_version="2026-2",
            **PART2,
        )
    assert caught.value.field == "kind"


def test_consent_can_be_recorded_again_after_revocation(cast):
    services.revoke_consent(actor=cast.mentee, consent=sharing_consent(cast))
    services.record_consent(
        actor=cast.coordinator,
        mentee=cast.mentee_profile,
        kind=Consent.Kind.SHARE_WITH_CASE_MANAGER,
        given_on=timezone.localdate(),
        text_version="2026-2",
        **PART2,
    )
    assert cast.mentee_profile.consents.current().count() == 1


def test_mentee_revokes_own_consent(cast):
    consent = services.revoke_consent(actor=cast.mentee, consent=sharing_consent(cast))
    assert consent.revoked_at is not None and consent.revoked_by == cast.mentee


def test_mentor_cannot_revoke_consent(cast):
    with pytest.raises(services.DomainError):
        services.revoke_consent(actor=cast.mentor, consent=sharing_consent(cast))
    assert sharing_consent(cast).is_current


def test_revoking_twice_is_refused(cast):
    consent = sharing_consent(cast)
    services.revoke_consent(actor=cast.coordinator, consent=consent)
    with pytest.raises(services.DomainError, match="already revoked"):
        services.revoke_consent(actor=cast.mentee, consent=consent)
    assert Consent.objects.get(pk=consent.pk).revoked_by == cast.coordinator


# --- Goal services -----------------------------------------------------------------------


def test_mentee_adds_own_goal_with_steps(cast, area):
    goal = services.add_goal(
        actor=cast.mentee,
        mentee=cast.mentee_profile,
        area=area,
        statement="  Get a part-time job  ",
        steps=["Write a CV", "", "Ask at the library"],
    )
    assert goal.statement == "Get a part-time job"
    assert list(goal.steps.values_list("text", flat=True)) == ["Write a CV", "Ask at the library"]


@pytest.mark.parametrize("persona", ["case_manager", "mentor2", "outsider"])
def test_others_cannot_add_goals(cast, area, persona):
    with pytest.raises(services.DomainError):
        services.add_goal(
            actor=getattr(cast, persona), mentee=cast.mentee_profile, area=area, statement="X"
        )
    assert not Goal.objects.filter(statement="X").exists()


def test_same_goal_again_within_a_minute_is_refused_then_allowed(cast, area):
    services.add_goal(actor=cast.mentor, mentee=cast.mentee_profile, area=area, statement="Walk")
    with pytest.raises(services.DomainError, match="a moment ago"):
        services.add_goal(
            actor=cast.mentor, mentee=cast.mentee_profile, area=area, statement="walk"
        )
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        services.add_goal(
            actor=cast.mentor, mentee=cast.mentee_profile, area=area, statement="Walk"
        )
    assert Goal.objects.filter(statement__iexact="walk").count() == 2


def test_update_goal_keeps_done_steps_and_replaces_the_rest(cast, goal):
    goal.steps.filter(text="Call the housing office").update(done=True)
    services.update_goal(
        actor=cast.mentee,
        goal=goal,
        statement="Find a flat near my sister",
        steps=["Ask my sister", "Call the housing office"],
    )
    steps = list(goal.steps.values_list("text", "done"))
    assert steps == [("Ask my sister", False), ("Call the housing office", True)]
    assert Goal.objects.get(pk=goal.pk).statement == "Find a flat near my sister"


def test_progress_writes_history_and_sets_status(cast, goal):
    services.record_goal_progress(
        actor=cast.mentor, goal=goal, status=Goal.Status.IN_PROGRESS, note="Called them"
    )
    goal.refresh_from_db()
    assert goal.status == Goal.Status.IN_PROGRESS
    entry = goal.progress.get()
    assert (entry.note, entry.date, entry.recorded_by) == (
        "Called them",
        timezone.localdate(),
        cast.mentor,
    )


def test_progress_in_the_future_is_refused(cast, goal):
    with pytest.raises(services.DomainError) as caught:
        services.record_goal_progress(
            actor=cast.mentor, goal=goal, status=Goal.Status.ACHIEVED, date=TOMORROW
        )
    assert caught.value.field == "date"
    goal.refresh_from_db()
    assert goal.status == Goal.Status.NOT_STARTED and not goal.progress.exists()


def test_case_manager_cannot_tick_a_step(cast, goal):
    step = goal.steps.first()
    with pytest.raises(services.DomainError):
        services.set_goal_step_done(actor=cast.case_manager, step=step, done=True)
    step.refresh_from_db()
    assert not step.done


# --- consent_create ----------------------------------------------------------------------


def consent_data(**overrides):
    return {
        "kind": Consent.Kind.RESEARCH,
        "given_on": timezone.localdate().isoformat(),
        "text_version": "2026-7",
        **PART2,
        "signed_on": timezone.localdate().isoformat(),
        "revocation_acknowledged": "on",
        **overrides,
    }


def test_coordinator_opens_consent_form(cast, login):
    url = reverse("accounts:consent_create", args=[cast.mentee_profile.pk])
    response = login(cast.coordinator).get(url)
    assert response.status_code == 200
    assert "Case Manager" in response.text  # whom sharing goes to


def test_coordinator_records_consent(cast, login):
    url = reverse("accounts:consent_create", args=[cast.mentee_profile.pk])
    response = login(cast.coordinator).post(url, consent_data())
    assert response.status_code == 302
    assert response["Location"] == mentee_page(cast.mentee_profile)
    consent = cast.mentee_profile.consents.get(kind=Consent.Kind.RESEARCH)
    assert consent.text_version == "2026-7" and consent.recorded_by == cast.coordinator


@pytest.mark.parametrize("persona", ["mentor", "mentee", "case_manager", "outsider", "mentor2"])
def test_consent_form_is_404_for_non_staff(cast, login, persona):
    url = reverse("accounts:consent_create", args=[cast.mentee_profile.pk])
    client = login(getattr(cast, persona))
    assert client.get(url).status_code == 404
    assert client.post(url, consent_data()).status_code == 404
    assert not Consent.objects.filter(kind=Consent.Kind.RESEARCH).exists()


def test_consent_form_needs_login(cast, client):
    url = reverse("accounts:consent_create", args=[cast.mentee_profile.pk])
    assert_login_redirect(client.get(url))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"given_on": TOMORROW.isoformat()}, "cannot be in the future"),
        ({"kind": "telepathy"}, "not one of the available choices"),
    ],
)
def test_bad_consent_input_keeps_what_was_typed(cast, login, data, message):
    url = reverse("accounts:consent_create", args=[cast.mentee_profile.pk])
    response = login(cast.coordinator).post(url, consent_data(**data))
    assert response.status_code == 200
    assert message in response.text
    assert 'value="2026-7"' in response.text
    assert not Consent.objects.filter(text_version="2026-7").exists()


def test_sharing_consent_without_case_manager_shows_error_on_kind(cast, login):
    url = reverse("accounts:consent_create", args=[cast.mentee2_profile.pk])
    data = consent_data(kind=Consent.Kind.SHARE_WITH_CASE_MANAGER)
    response = login(cast.coordinator).post(url, data)
    assert response.status_code == 200
    assert "has no case manager" in response.context["form"].errors["kind"][0]
    assert 'value="2026-7"' in response.text
    assert not cast.mentee2_profile.consents.exists()


def test_duplicate_consent_shows_error_on_kind(cast, login):
    url = reverse("accounts:consent_create", args=[cast.mentee_profile.pk])
    data = consent_data(kind=Consent.Kind.SHARE_WITH_CASE_MANAGER)
    response = login(cast.coordinator).post(url, data)
    assert "Revoke it first" in response.context["form"].errors["kind"][0]
    assert cast.mentee_profile.consents.count() == 1


# --- consent_revoke ----------------------------------------------------------------------


def test_mentee_revokes_sharing_and_case_manager_loses_access_at_once(cast, login, client):
    consent = sharing_consent(cast)
    detail = mentee_detail_url(cast.mentee_profile)
    if detail:
        assert login(cast.case_manager).get(detail).status_code == 200
    url = reverse("accounts:consent_revoke", args=[consent.pk])
    response = login(cast.mentee).post(url)
    assert response.status_code == 302
    assert response["Location"] == mentee_page(cast.mentee_profile)
    consent.refresh_from_db()
    assert consent.revoked_by == cast.mentee
    case_manager = type(cast.case_manager).objects.get(pk=cast.case_manager.pk)
    assert cast.mentee_profile not in MenteeProfile.objects.visible_to(case_manager)
    if detail:
        assert login(cast.case_manager).get(detail).status_code == 404


def test_revocation_is_in_the_audit_log_with_the_actor(cast, login):
    consent = sharing_consent(cast)
    login(cast.coordinator).post(reverse("accounts:consent_revoke", args=[consent.pk]))
    entry = LogEntry.objects.get_for_object(consent).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == cast.coordinator
    assert "revoked_at" in entry.changes_dict


@pytest.mark.parametrize("persona", ["mentor", "case_manager", "mentor2", "outsider", "mentee2"])
def test_others_get_404_on_revoke(cast, login, persona):
    consent = sharing_consent(cast)
    url = reverse("accounts:consent_revoke", args=[consent.pk])
    assert login(getattr(cast, persona)).post(url).status_code == 404
    consent.refresh_from_db()
    assert consent.is_current


def test_revoke_needs_login_and_post(cast, client, login):
    url = reverse("accounts:consent_revoke", args=[sharing_consent(cast).pk])
    assert_login_redirect(client.post(url))
    assert login(cast.coordinator).get(url).status_code == 405
    assert sharing_consent(cast).is_current


def test_revoking_a_revoked_consent_says_so(cast, login):
    consent = sharing_consent(cast)
    url = reverse("accounts:consent_revoke", args=[consent.pk])
    client = login(cast.coordinator)
    client.post(url)
    response = client.post(url, follow=True)
    assert "already revoked" in response.text
    consent.refresh_from_db()
    assert consent.revoked_by == cast.coordinator


# --- goal_create -------------------------------------------------------------------------


def goal_data(area, /, **overrides):
    return {
        "area": str(area.pk),
        "statement": "Cook a meal for my family",
        "steps": "Choose a recipe\n\n  Buy the food  \n",
        **overrides,
    }


@pytest.mark.parametrize("persona", ["coordinator", "mentor", "mentee"])
def test_staff_mentor_and_mentee_add_a_goal(cast, login, area, persona):
    url = reverse("accounts:goal_create", args=[cast.mentee_profile.pk])
    client = login(getattr(cast, persona))
    assert client.get(url).status_code == 200
    response = client.post(url, goal_data(area))
    assert response.status_code == 302
    assert response["Location"] == mentee_page(cast.mentee_profile)
    goal = cast.mentee_profile.goals.get(statement="Cook a meal for my family")
    assert list(goal.steps.values_list("text", flat=True)) == ["Choose a recipe", "Buy the food"]


@pytest.mark.parametrize("persona", ["case_manager", "mentor2", "outsider", "mentee2"])
def test_others_get_404_on_goal_create(cast, login, area, persona):
    url = reverse("accounts:goal_create", args=[cast.mentee_profile.pk])
    client = login(getattr(cast, persona))
    assert client.get(url).status_code == 404
    assert client.post(url, goal_data(area)).status_code == 404
    assert not Goal.objects.filter(area=area).exists()


def test_goal_create_needs_login(cast, client):
    assert_login_redirect(
        client.get(reverse("accounts:goal_create", args=[cast.mentee_profile.pk]))
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("statement", "x" * 301, "at most 300 characters"),
        ("area", "999999", "Select a valid choice"),
    ],
)
def test_bad_goal_input_keeps_what_was_typed(cast, login, area, field, value, message):
    url = reverse("accounts:goal_create", args=[cast.mentee_profile.pk])
    response = login(cast.mentor).post(url, goal_data(area, **{field: value}))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert "Buy the food" in response.text
    assert not Goal.objects.filter(area=area).exists()


def test_too_long_step_is_shown_next_to_steps(cast, login, area):
    url = reverse("accounts:goal_create", args=[cast.mentee_profile.pk])
    response = login(cast.mentor).post(url, goal_data(area, steps="ok\n" + "y" * 201))
    assert "Step 2 is too long" in response.context["form"].errors["steps"][0]
    assert not Goal.objects.filter(area=area).exists()


def test_double_submit_creates_one_goal(cast, login, area):
    url = reverse("accounts:goal_create", args=[cast.mentee_profile.pk])
    client = login(cast.mentee)
    assert client.post(url, goal_data(area)).status_code == 302
    response = client.post(url, goal_data(area))
    assert response.status_code == 200
    assert "saved a moment ago" in response.text
    assert Goal.objects.filter(area=area).count() == 1
    assert GoalStep.objects.filter(goal__area=area).count() == 2


# --- goal_edit ---------------------------------------------------------------------------


def test_mentor_edits_goal_and_steps(cast, login, goal, area):
    url = reverse("accounts:goal_edit", args=[goal.pk])
    client = login(cast.mentor)
    response = client.get(url)
    assert "Call the housing office\nVisit two flats" in response.text
    response = client.post(
        url, {"area": area.pk, "statement": "Find a flat", "steps": "Visit two flats"}
    )
    assert response["Location"] == mentee_page(cast.mentee_profile)
    goal.refresh_from_db()
    assert goal.statement == "Find a flat"
    assert list(goal.steps.values_list("text", flat=True)) == ["Visit two flats"]


@pytest.mark.parametrize("persona", ["case_manager", "mentor2", "outsider", "mentee2"])
def test_others_get_404_on_goal_edit(cast, login, goal, area, persona):
    url = reverse("accounts:goal_edit", args=[goal.pk])
    client = login(getattr(cast, persona))
    assert client.get(url).status_code == 404
    assert client.post(url, {"area": area.pk, "statement": "Hacked"}).status_code == 404
    goal.refresh_from_db()
    assert goal.statement == "Find my own flat"


def test_goal_edit_needs_login(cast, client, goal):
    assert_login_redirect(client.get(reverse("accounts:goal_edit", args=[goal.pk])))


def test_goal_edit_with_empty_statement_saves_nothing(cast, login, goal, area):
    url = reverse("accounts:goal_edit", args=[goal.pk])
    response = login(cast.mentee).post(
        url, {"area": area.pk, "statement": "", "steps": "A new step"}
    )
    assert "statement" in response.context["form"].errors
    assert "A new step" in response.text
    assert goal.steps.count() == 2


# --- goal_progress -----------------------------------------------------------------------


def progress_data(**overrides):
    return {
        "status": Goal.Status.IN_PROGRESS,
        "date": timezone.localdate().isoformat(),
        "note": "Saw a flat on Elm Street",
        **overrides,
    }


def test_mentee_records_progress(cast, login, goal):
    url = reverse("accounts:goal_progress", args=[goal.pk])
    response = login(cast.mentee).post(url, progress_data())
    assert response["Location"] == mentee_page(cast.mentee_profile)
    goal.refresh_from_db()
    assert goal.status == Goal.Status.IN_PROGRESS
    assert goal.progress.get().note == "Saw a flat on Elm Street"


@pytest.mark.parametrize("persona", ["case_manager", "mentor2", "outsider", "mentee2"])
def test_others_get_404_on_goal_progress(cast, login, goal, persona):
    url = reverse("accounts:goal_progress", args=[goal.pk])
    assert login(getattr(cast, persona)).post(url, progress_data()).status_code == 404
    assert not GoalProgress.objects.exists()


def test_goal_progress_needs_login_and_post(cast, client, login, goal):
    url = reverse("accounts:goal_progress", args=[goal.pk])
    assert_login_redirect(client.post(url, progress_data()))
    assert login(cast.mentee).get(url).status_code == 405


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", TOMORROW.isoformat(), "cannot be in the future"),
        ("status", "finished-ish", "not one of the available choices"),
    ],
)
def test_bad_progress_input_keeps_the_note(cast, login, goal, field, value, message):
    url = reverse("accounts:goal_progress", args=[goal.pk])
    response = login(cast.mentor).post(url, progress_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert "Saw a flat on Elm Street" in response.text
    goal.refresh_from_db()
    assert goal.status == Goal.Status.NOT_STARTED and not goal.progress.exists()


# --- goal_step_toggle --------------------------------------------------------------------


def test_mentor_ticks_a_step_and_a_repeat_keeps_it_done(cast, login, goal):
    step = goal.steps.first()
    url = reverse("accounts:goal_step_toggle", args=[step.pk])
    client = login(cast.mentor)
    response = client.post(url, {"done": "1"})
    assert response["Location"] == mentee_page(cast.mentee_profile)
    client.post(url, {"done": "1"})
    step.refresh_from_db()
    assert step.done
    client.post(url, {"done": "0"})
    step.refresh_from_db()
    assert not step.done


@pytest.mark.parametrize("persona", ["case_manager", "mentor2", "outsider", "mentee2"])
def test_others_get_404_on_step_toggle(cast, login, goal, persona):
    step = goal.steps.first()
    url = reverse("accounts:goal_step_toggle", args=[step.pk])
    assert login(getattr(cast, persona)).post(url, {"done": "1"}).status_code == 404
    step.refresh_from_db()
    assert not step.done


def test_step_toggle_needs_login_and_post(cast, client, login, goal):
    url = reverse("accounts:goal_step_toggle", args=[goal.steps.first().pk])
    assert_login_redirect(client.post(url, {"done": "1"}))
    assert login(cast.mentee).get(url).status_code == 405


# --- The partials on the mentee's page ---------------------------------------------------


def render_partials(cast, user, access, goals):
    request = RequestFactory().get("/")
    request.user = user
    context = {
        "mentee": cast.mentee_profile,
        "access": access,
        "consents": list(cast.mentee_profile.consents.all()),
        "goals": goals,
    }
    return render_to_string(
        "accounts/partials/mentee_consents.html", context, request=request
    ) + render_to_string("accounts/partials/mentee_goals.html", context, request=request)


def test_case_manager_sees_goals_without_any_action(cast, goal):
    html = render_partials(cast, cast.case_manager, "case_manager", [goal])
    assert "Find my own flat" in html and "Call the housing office" in html
    assert "<form" not in html
    assert reverse("accounts:goal_create", args=[cast.mentee_profile.pk]) not in html
    assert "Share progress with my case manager" not in html  # consents are not shown


def test_mentor_sees_goal_actions_but_not_consents(cast, goal):
    html = render_partials(cast, cast.mentor, "mentor", [goal])
    assert reverse("accounts:goal_progress", args=[goal.pk]) in html
    assert reverse("accounts:goal_edit", args=[goal.pk]) in html
    assert reverse("accounts:consent_revoke", args=[sharing_consent(cast).pk]) not in html


def test_mentee_may_revoke_but_not_record_consents(cast, goal):
    html = render_partials(cast, cast.mentee, "self", [goal])
    assert reverse("accounts:consent_revoke", args=[sharing_consent(cast).pk]) in html
    assert reverse("accounts:consent_create", args=[cast.mentee_profile.pk]) not in html


def test_staff_see_record_and_revoke(cast, goal):
    html = render_partials(cast, cast.coordinator, "staff", [goal])
    assert reverse("accounts:consent_create", args=[cast.mentee_profile.pk]) in html
    assert reverse("accounts:consent_revoke", args=[sharing_consent(cast).pk]) in html
    assert 'value="in_progress"' in html  # the progress form offers the statuses


@pytest.mark.parametrize(("persona", "may_change"), [("mentor", True), ("case_manager", False)])
def test_mentee_page_offers_goal_actions_only_to_those_allowed(cast, login, persona, may_change):
    detail = mentee_detail_url(cast.mentee_profile)
    if detail is None:
        return
    response = login(getattr(cast, persona)).get(detail)
    assert response.status_code == 200
    assert cast.goal.statement in response.text
    progress_url = reverse("accounts:goal_progress", args=[cast.goal.pk])
    assert (progress_url in response.text) is may_change
