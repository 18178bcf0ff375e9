"""Mentee and mentor profiles: lists, the referral intake, details and edits, per persona."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    Consent,
    GoalProgress,
    GoalStep,
    Language,
    Membership,
    MenteeProfile,
    MentorProfile,
    User,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)
THREE_YEARS_AGO = TODAY - datetime.timedelta(days=3 * 365)
NON_STAFF = ["mentor", "mentor2", "mentee", "mentee2", "case_manager"]


def url(name: str, *args) -> str:
    return reverse(f"accounts:{name}", args=args)


def assert_login_redirect(response):
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def referral(cast, **overrides) -> dict:
    """A complete, valid referral as the intake form posts it."""
    return {
        "display_name": "Rosa Diaz",
        "email": "rosa@example.org",
        "phone": "555-0100",
        "preferred_language": "es",
        "program": cast.program.pk,
        "status": MenteeProfile.Status.WAITING,
        "referral_source": "Eastside Clinic",
        "referrer_name": "Dr. Lee",
        "referrer_contact": "lee@clinic.example",
        "referral_date": TODAY.isoformat(),
        "case_manager": cast.case_manager.pk,
        "availability": ["mon-evening", "sat-morning"],
        "modalities": ["phone", "video"],
        "location": "Eastside",
        "birth_date": "2004-05-06",
        "recovery_start": "2025-01-15",
        "idd_mh": "on",
        "accessibility_needs": "Step-free access",
        "notes": "Prefers afternoons",
        "consents": [Consent.Kind.PARTICIPATION, Consent.Kind.SHARE_WITH_CASE_MANAGER],
        "consent_given_on": TODAY.isoformat(),
        **overrides,
    }


def mentor_data(cast, **overrides) -> dict:
    return {
        "display_name": "Sam Okafor",
        "email": "sam@example.org",
        "preferred_language": "en",
        "program": cast.program.pk,
        "status": MentorProfile.Status.ACTIVE,
        "capacity": "3",
        "phone": "555-0142",
        "bio": "Ten years in recovery.",
        "availability": ["tue-evening"],
        "modalities": ["in_person"],
        **overrides,
    }


def edit_data(profile, **overrides) -> dict:
    """What the edit form posts back unchanged for this profile, with ``overrides``."""
    user = profile.user
    data = {
        "display_name": user.display_name,
        "email": user.email or "",
        "phone": user.phone,
        "preferred_language": user.preferred_language,
        "status": profile.status,
        "availability": profile.availability,
        "modalities": profile.modalities,
        "location": profile.location,
    }
    if isinstance(profile, MenteeProfile):
        data["referral_date"] = profile.referral_date.isoformat()
        if profile.case_manager_id:
            data["case_manager"] = profile.case_manager_id
    else:
        data["capacity"] = str(profile.capacity)
    return {**data, **overrides}


# --- Anonymous visitors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "needs_pk"),
    [
        ("mentee_list", False),
        ("mentee_create", False),
        ("mentee_detail", True),
        ("mentee_edit", True),
        ("mentor_list", False),
        ("mentor_create", False),
        ("mentor_detail", True),
        ("mentor_edit", True),
    ],
)
def test_anonymous_visitor_is_sent_to_login(cast, client, name, needs_pk):
    profile = cast.mentor_profile if name.startswith("mentor") else cast.mentee_profile
    assert_login_redirect(client.get(url(name, *([profile.pk] if needs_pk else []))))


# --- mentee_list ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "supervisor"])
def test_program_staff_see_their_mentees(cast, login, persona):
    response = login(getattr(cast, persona)).get(url("mentee_list"))
    assert response.status_code == 200
    assert "Mentee One" in response.text and "Mentee Two" in response.text


@pytest.mark.parametrize("persona", NON_STAFF)
def test_people_without_a_staff_role_get_404_for_mentee_list(cast, login, persona):
    assert login(getattr(cast, persona)).get(url("mentee_list")).status_code == 404


def test_outsider_sees_none_of_another_programs_mentees(cast, login):
    f.MenteeProfileFactory(program=cast.other_program, user__display_name="Bea Other")
    response = login(cast.outsider).get(url("mentee_list"))
    assert "Bea Other" in response.text
    assert "Mentee One" not in response.text and "Mentee Two" not in response.text


def test_superuser_sees_mentees_of_every_program(cast, login):
    admin = f.UserFactory(is_superuser=True, is_staff=True)
    f.MenteeProfileFactory(program=cast.other_program, user__display_name="Bea Other")
    response = login(admin).get(url("mentee_list"))
    assert "Bea Other" in response.text and "Mentee One" in response.text


def test_mentor_who_coordinates_elsewhere_lists_only_that_programs_mentees(cast, login):
    f.MembershipFactory(user=cast.mentor, program=cast.other_program, role="coordinator")
    f.MenteeProfileFactory(program=cast.other_program, user__display_name="Bea Other")
    response = login(cast.mentor).get(url("mentee_list"))
    assert "Bea Other" in response.text
    assert "Mentee One" not in response.text  # seen as their mentor, not as staff


@pytest.mark.parametrize("q", ["mentee two", "MENTEE2@example"])
def test_mentee_list_searches_name_and_email(cast, login, q):
    response = login(cast.coordinator).get(url("mentee_list"), {"q": q})
    assert "Mentee Two" in response.text and "Mentee One" not in response.text


def test_mentee_list_filters_by_status_language_life_goal_and_idd_mh(cast, login):
    spanish = f.LanguageFactory(name="Spanish-test", code="es-test")
    housing = f.LifeGoalAreaFactory(name="Housing-test", slug="housing-test")
    target = f.MenteeProfileFactory(
        program=cast.program, user__display_name="Target Person", status="referred", idd_mh=True
    )
    target.languages.add(spanish)
    target.life_goals.add(housing)
    client = login(cast.coordinator)
    for params in [
        {"status": "referred"},
        {"language": spanish.pk},
        {"life_goal": housing.pk},
        {"idd_mh": "yes"},
        {"program": cast.program.pk, "status": "referred", "idd_mh": "yes"},
    ]:
        response = client.get(url("mentee_list"), params)
        assert "Target Person" in response.text, params
        assert "Mentee One" not in response.text, params


def test_mentee_list_sorts_longest_waiting_first(cast, login):
    cast.mentee2_profile.waiting_since = TODAY - datetime.timedelta(days=90)
    cast.mentee2_profile.save()
    response = login(cast.coordinator).get(url("mentee_list"), {"sort": "waiting"})
    names = [m.user.display_name for m in response.context["mentees"]]
    assert names.index(cast.mentee2.display_name) < names.index(cast.mentee.display_name)
    assert "90" in response.text


def test_mentee_list_filter_outside_scope_is_an_error_not_a_leak(cast, login):
    response = login(cast.coordinator).get(url("mentee_list"), {"program": cast.other_program.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert "Mentee One" in response.text  # the bad filter is left out


def test_mentee_list_pages_keep_the_filters(cast, login):
    bulk_mentees(cast.program, 30)
    response = login(cast.coordinator).get(url("mentee_list"), {"status": "waiting"})
    assert len(response.context["mentees"]) == 25
    assert "?status=waiting&amp;page=2" in response.text
    page2 = login(cast.coordinator).get(url("mentee_list"), {"status": "waiting", "page": 2})
    assert len(page2.context["mentees"]) == 7  # 30 + the cast's two


# --- Query counts ---------------------------------------------------------------------------


def bulk_mentees(program, count: int, start: int = 0) -> None:
    """``count`` waiting mentees in ``program``, each speaking one language; no factories."""
    language, _ = Language.objects.get_or_create(
        code="bulk", defaults={"name": "Bulk", "slug": "bulk"}
    )
    users = User.objects.bulk_create(
        User(
            email=f"bulk{start + i}@example.org", display_name=f"Bulk {start + i:04}", password="!"
        )
        for i in range(count)
    )
    profiles = MenteeProfile.objects.bulk_create(
        MenteeProfile(
            user=user,
            program=program,
            status="waiting",
            waiting_since=TODAY - datetime.timedelta(days=i % 60),
            availability=["mon-evening"],
            modalities=["phone"],
        )
        for i, user in enumerate(users)
    )
    Membership.objects.bulk_create(
        Membership(user=user, program=program, role="mentee") for user in users
    )
    MenteeProfile.languages.through.objects.bulk_create(
        MenteeProfile.languages.through(menteeprofile_id=p.pk, language_id=language.pk)
        for p in profiles
    )


def bulk_mentors(program, count: int, start: int = 0) -> None:
    language, _ = Language.objects.get_or_create(
        code="bulk", defaults={"name": "Bulk", "slug": "bulk"}
    )
    users = User.objects.bulk_create(
        User(
            email=f"bulkm{start + i}@example.org",
            display_name=f"Mentor {start + i:04}",
            password="!",
        )
        for i in range(count)
    )
    profiles = MentorProfile.objects.bulk_create(
        MentorProfile(user=user, program=program, capacity=2) for user in users
    )
    Membership.objects.bulk_create(
        Membership(user=user, program=program, role="mentor") for user in users
    )
    MentorProfile.languages.through.objects.bulk_create(
        MentorProfile.languages.through(mentorprofile_id=p.pk, language_id=language.pk)
        for p in profiles
    )


def count_queries(client, path, params=None) -> int:
    client.get(path, params)  # warm up per-process caches (content types, etc.)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("name", "bulk", "params"),
    [
        ("mentee_list", bulk_mentees, {}),
        ("mentee_list", bulk_mentees, {"sort": "waiting", "status": "waiting"}),
        ("mentor_list", bulk_mentors, {}),
        ("mentor_list", bulk_mentors, {"sort": "free", "free_capacity": "yes"}),
    ],
)
def test_list_query_count_does_not_grow_with_rows(login, name, bulk, params):
    program = f.ProgramFactory()
    coordinator = f.MembershipFactory(program=program, role="coordinator").user
    client = login(coordinator)
    counts = []
    done = 0
    for size in (1, 25, 500):
        bulk(program, size - done, start=done)
        done = size
        counts.append(count_queries(client, url(name), params))
    assert counts[0] == counts[1] == counts[2], counts


def test_mentee_detail_query_count_does_not_grow_with_goals_and_consents(cast, login):
    mentee = cast.mentee_profile
    area = f.LifeGoalAreaFactory()
    client = login(cast.coordinator)
    counts = []
    for size in (1, 30):
        while mentee.goals.count() < size:
            goal = f.GoalFactory(mentee=mentee, area=area)
            GoalStep.objects.create(goal=goal, text="A step")
            GoalProgress.objects.create(goal=goal, status="in_progress", recorded_by=cast.mentor)
        while mentee.consents.count() < size:
            f.ConsentFactory(
                mentee=mentee,
                kind=Consent.Kind.RESEARCH,
                recorded_by=cast.coordinator,
                revoked_at=timezone.now(),
            )
        counts.append(count_queries(client, url("mentee_detail", mentee.pk)))
    assert counts[0] == counts[1], counts


# --- mentee_create --------------------------------------------------------------------------


def test_coordinator_registers_a_referral_with_consents(cast, login):
    goal_area = f.LifeGoalAreaFactory(name="Housing-test", slug="housing-test")
    data = referral(cast, life_goals=[goal_area.pk])
    response = login(cast.coordinator).post(url("mentee_create"), data, follow=True)
    mentee = MenteeProfile.objects.get(user__email="rosa@example.org")
    assert response.redirect_chain == [(url("mentee_detail", mentee.pk), 302)]
    assert "Rosa Diaz is registered in Program A." in response.text
    assert (mentee.status, mentee.referrer_name, mentee.case_manager) == (
        "waiting",
        "Dr. Lee",
        cast.case_manager,
    )
    assert mentee.waiting_since == TODAY
    assert mentee.availability == ["mon-evening", "sat-morning"]
    assert list(mentee.life_goals.all()) == [goal_area]
    assert mentee.user.preferred_language == "es" and mentee.user.has_role("mentee")
    assert "already belonged" not in response.text
    assert set(mentee.consents.values_list("kind", "recipient")) == {
        ("participation", None),
        ("share_case_manager", cast.case_manager.pk),
    }


def test_referral_with_only_a_name_is_enough(cast, login):
    data = {"display_name": "Ana", "program": cast.program.pk, "status": "referred"}
    data["referral_date"] = TODAY.isoformat()
    data["preferred_language"] = "en"
    response = login(cast.supervisor).post(url("mentee_create"), data)
    assert response.status_code == 302
    assert MenteeProfile.objects.get(user__display_name="Ana").user.email is None


def test_referral_form_offers_only_staffed_programs_and_their_case_managers(cast, login):
    other_cm = f.MembershipFactory(program=cast.other_program, role="case_manager").user
    response = login(cast.coordinator).get(url("mentee_create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["program"].queryset) == [cast.program]
    assert list(form.fields["case_manager"].queryset) == [cast.case_manager]
    assert other_cm.display_name not in response.text


@pytest.mark.parametrize("persona", NON_STAFF)
def test_people_without_a_staff_role_get_404_for_the_referral_form(cast, login, persona):
    client = login(getattr(cast, persona))
    before = MenteeProfile.objects.count()
    assert client.get(url("mentee_create")).status_code == 404
    assert client.post(url("mentee_create"), referral(cast)).status_code == 404
    assert MenteeProfile.objects.count() == before


def test_outsider_cannot_register_into_another_program(cast, login):
    response = login(cast.outsider).post(url("mentee_create"), referral(cast, case_manager=""))
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["form"].errors["program"])
    assert not User.objects.filter(email="rosa@example.org").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("recovery_start", TOMORROW.isoformat(), "cannot be in the future"),
        ("birth_date", THREE_YEARS_AGO.isoformat(), "at least 14 years old"),
        ("referral_date", TOMORROW.isoformat(), "cannot be in the future"),
        ("consent_given_on", TOMORROW.isoformat(), "cannot be in the future"),
        ("life_goals", ["999999"], "999999 is not one of the available choices"),
        ("languages", ["999999"], "999999 is not one of the available choices"),
        ("location", "x" * 101, "at most 100 characters"),
        ("referrer_contact", "x" * 151, "at most 150 characters"),
        ("availability", ["mon-midnight"], "not one of the available choices"),
        ("status", "matched", "not one of the available choices"),
        ("email", "not-an-email", "valid email address"),
    ],
)
def test_bad_referral_input_is_shown_next_to_the_field_and_nothing_is_saved(
    cast, login, field, value, message
):
    before = (User.objects.count(), MenteeProfile.objects.count(), Consent.objects.count())
    response = login(cast.coordinator).post(url("mentee_create"), referral(cast, **{field: value}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.text
    assert 'value="Rosa Diaz"' in response.text and "Step-free access" in response.text
    assert (User.objects.count(), MenteeProfile.objects.count(), Consent.objects.count()) == before


def test_second_identical_post_shows_already_a_mentee_and_creates_nothing(cast, login):
    client = login(cast.coordinator)
    assert client.post(url("mentee_create"), referral(cast)).status_code == 302
    counts = (User.objects.count(), MenteeProfile.objects.count(), Consent.objects.count())
    response = client.post(url("mentee_create"), referral(cast))
    assert response.status_code == 200
    assert "Rosa Diaz is already a mentee in Program A." in response.context["form"].errors["email"]
    assert 'value="Rosa Diaz"' in response.text
    assert (User.objects.count(), MenteeProfile.objects.count(), Consent.objects.count()) == counts


def test_known_mentee_in_the_same_program_is_refused(cast, login):
    data = referral(cast, email="MENTEE@example.org", display_name="Typed Again")
    response = login(cast.coordinator).post(url("mentee_create"), data)
    assert "already a mentee in Program A" in response.text
    assert 'value="Typed Again"' in response.text
    assert MenteeProfile.objects.filter(user=cast.mentee).count() == 1


def test_sharing_consent_without_a_case_manager_is_refused_next_to_case_manager(cast, login):
    before = (User.objects.count(), MenteeProfile.objects.count(), Consent.objects.count())
    response = login(cast.coordinator).post(url("mentee_create"), referral(cast, case_manager=""))
    assert response.status_code == 200
    assert "Name the case manager" in response.context["form"].errors["case_manager"][0]
    assert 'value="Rosa Diaz"' in response.text
    assert (User.objects.count(), MenteeProfile.objects.count(), Consent.objects.count()) == before


# --- mentee_detail --------------------------------------------------------------------------


def detail(login, user, mentee):
    return login(user).get(url("mentee_detail", mentee.pk))


@pytest.mark.parametrize("persona", ["coordinator", "supervisor"])
def test_staff_see_everything_on_the_mentee_page(cast, login, persona):
    cast.mentee_profile.referrer_contact = "referrer@clinic.example"
    cast.mentee_profile.save()
    response = detail(login, getattr(cast, persona), cast.mentee_profile)
    assert response.status_code == 200
    assert response.context["access"] == "staff"
    for text in ["Staff note MARKER-MENTEE-ONE", "referrer@clinic.example", "Find a room"]:
        assert text in response.text
    assert "Share progress with my case manager" in response.text  # the consents
    assert url("mentee_edit", cast.mentee_profile.pk) in response.text


def test_mentee_sees_own_goals_and_consents_but_no_staff_notes_or_referral(cast, login):
    cast.mentee_profile.referrer_contact = "referrer@clinic.example"
    cast.mentee_profile.save()
    response = detail(login, cast.mentee, cast.mentee_profile)
    assert response.status_code == 200
    assert "Find a room" in response.text
    assert "Share progress with my case manager" in response.text
    assert "Staff note" not in response.text
    assert "referrer@clinic.example" not in response.text
    assert url("mentee_edit", cast.mentee_profile.pk) not in response.text


def test_mentor_sees_what_a_mentor_needs_and_nothing_private(cast, login):
    mentee = cast.mentee_profile
    mentee.accessibility_needs = "Large print please"
    mentee.birth_date = datetime.date(2001, 2, 3)
    mentee.referral_source = "Westside Agency"
    mentee.save()
    response = detail(login, cast.mentor, mentee)
    assert response.status_code == 200
    assert "Large print please" in response.text and "Find a room" in response.text
    for hidden in ["Staff note", "Westside Agency", "2001", "Share progress with my case manager"]:
        assert hidden not in response.text
    assert response.context["consents"] is None


def test_case_manager_sees_name_status_and_goals_only(cast, login):
    mentee = cast.mentee_profile
    mentee.accessibility_needs = "Large print please"
    mentee.location = "Northside"
    mentee.save()
    response = detail(login, cast.case_manager, mentee)
    assert response.status_code == 200
    assert "Mentee One" in response.text and "Find a room" in response.text
    for hidden in ["Large print please", "Northside", "mentee@example.org", "Consents"]:
        assert hidden not in response.text


def test_case_manager_never_sees_staff_notes(cast, login):
    response = detail(login, cast.case_manager, cast.mentee_profile)
    assert "Staff note" not in response.text


def test_case_manager_loses_the_page_when_the_consent_is_revoked(cast, login):
    Consent.objects.filter(mentee=cast.mentee_profile).update(revoked_at=timezone.now())
    assert detail(login, cast.case_manager, cast.mentee_profile).status_code == 404


@pytest.mark.parametrize("persona", ["mentor2", "mentee2", "outsider"])
def test_others_get_404_for_mentee_one(cast, login, persona):
    response = detail(login, getattr(cast, persona), cast.mentee_profile)
    assert response.status_code == 404
    assert "MARKER-MENTEE-ONE" not in response.text


def test_mentor2_gets_404_for_mentors_mentee(cast, login):
    assert detail(login, cast.mentor2, cast.mentee_profile).status_code == 404


def test_case_manager_gets_404_for_a_mentee_who_did_not_consent(cast, login):
    assert detail(login, cast.case_manager, cast.mentee2_profile).status_code == 404


def test_profile_read_is_written_to_audit_log(cast, login):
    detail(login, cast.case_manager, cast.mentee_profile)
    entry = LogEntry.objects.get_for_object(cast.mentee_profile).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == cast.case_manager


def test_refused_read_is_not_written_as_an_access(cast, login):
    detail(login, cast.mentor2, cast.mentee_profile)
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


# --- mentee_edit ----------------------------------------------------------------------------


def test_coordinator_edits_a_mentee_and_waiting_starts_today(cast, login):
    mentee = cast.mentee_profile
    MenteeProfile.objects.filter(pk=mentee.pk).update(status="referred", waiting_since=None)
    mentee.refresh_from_db()
    data = edit_data(mentee, status="waiting", location="Harbour", phone="555-0199")
    response = login(cast.coordinator).post(url("mentee_edit", mentee.pk), data)
    assert response.status_code == 302 and response["Location"] == url("mentee_detail", mentee.pk)
    mentee.refresh_from_db()
    assert (mentee.status, mentee.waiting_since, mentee.location) == ("waiting", TODAY, "Harbour")
    assert mentee.user.phone == "555-0199"


def test_edit_form_shows_the_stored_values(cast, login):
    response = login(cast.supervisor).get(url("mentee_edit", cast.mentee_profile.pk))
    assert response.status_code == 200
    assert 'value="mentee@example.org"' in response.text
    assert "Staff note MARKER-MENTEE-ONE" in response.text


@pytest.mark.parametrize("persona", [*NON_STAFF, "outsider"])
def test_only_program_staff_may_edit_a_mentee(cast, login, persona):
    path = url("mentee_edit", cast.mentee_profile.pk)
    client = login(getattr(cast, persona))
    assert client.get(path).status_code == 404
    assert client.post(path, edit_data(cast.mentee_profile, location="Hacked")).status_code == 404
    cast.mentee_profile.refresh_from_db()
    assert cast.mentee_profile.location == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("recovery_start", TOMORROW.isoformat(), "cannot be in the future"),
        ("birth_date", THREE_YEARS_AGO.isoformat(), "at least 14 years old"),
        ("interests", ["999999"], "999999 is not one of the available choices"),
        ("communication_needs", "x" * 2001, "at most 2000 characters"),
        ("display_name", "", "This field is required"),
    ],
)
def test_bad_edit_input_keeps_what_was_typed_and_saves_nothing(cast, login, field, value, message):
    mentee = cast.mentee_profile
    data = edit_data(mentee, location="Typed Town", **{field: value})
    response = login(cast.coordinator).post(url("mentee_edit", mentee.pk), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'value="Typed Town"' in response.text
    mentee.refresh_from_db()
    assert mentee.location == "" and mentee.user.display_name.startswith("Mentee One")


def test_email_of_another_account_is_refused_next_to_email(cast, login):
    mentee = cast.mentee_profile
    data = edit_data(mentee, email=cast.mentor.email, location="Typed Town")
    response = login(cast.coordinator).post(url("mentee_edit", mentee.pk), data)
    assert "Another account already uses this email" in response.context["form"].errors["email"][0]
    mentee.refresh_from_db()
    assert mentee.location == "" and mentee.user.email == "mentee@example.org"


def test_a_matched_mentees_status_is_left_to_the_match(cast, login):
    mentee = cast.mentee_profile
    MenteeProfile.objects.filter(pk=mentee.pk).update(status="matched")
    mentee.refresh_from_db()
    data = edit_data(mentee, status="referred", location="Harbour")
    assert login(cast.coordinator).post(url("mentee_edit", mentee.pk), data).status_code == 302
    mentee.refresh_from_db()
    assert (mentee.status, mentee.location) == ("matched", "Harbour")


def test_editing_keeps_a_retired_life_goal_the_mentee_has(cast, login):
    retired = f.LifeGoalAreaFactory(name="Old area", slug="old-area", is_active=False)
    cast.mentee_profile.life_goals.add(retired)
    data = edit_data(cast.mentee_profile, life_goals=[retired.pk])
    path = url("mentee_edit", cast.mentee_profile.pk)
    assert login(cast.coordinator).post(path, data).status_code == 302
    assert list(cast.mentee_profile.life_goals.all()) == [retired]


# --- mentor_list ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "supervisor"])
def test_program_staff_see_their_mentors(cast, login, persona):
    response = login(getattr(cast, persona)).get(url("mentor_list"))
    assert response.status_code == 200
    assert "Mentor One" in response.text and "Mentor Two" in response.text
    assert "1 of 2" in response.text  # each holds one of two places


@pytest.mark.parametrize("persona", NON_STAFF)
def test_people_without_a_staff_role_get_404_for_mentor_list(cast, login, persona):
    assert login(getattr(cast, persona)).get(url("mentor_list")).status_code == 404


def test_outsider_sees_none_of_another_programs_mentors(cast, login):
    response = login(cast.outsider).get(url("mentor_list"))
    assert response.status_code == 200
    assert "Mentor One" not in response.text


def test_mentor_list_filters_by_free_capacity(cast, login):
    MentorProfile.objects.filter(pk=cast.mentor_profile.pk).update(capacity=1)
    client = login(cast.coordinator)
    free = client.get(url("mentor_list"), {"free_capacity": "yes"})
    assert "Mentor Two" in free.text and "Mentor One" not in free.text
    full = client.get(url("mentor_list"), {"free_capacity": "no"})
    assert "Mentor One" in full.text and "Mentor Two" not in full.text


def test_mentor_list_searches_and_filters(cast, login):
    spanish = f.LanguageFactory(name="Spanish-test", code="es-test")
    cast.mentor2_profile.languages.add(spanish)
    MentorProfile.objects.filter(pk=cast.mentor_profile.pk).update(status="on_hold")
    client = login(cast.coordinator)
    for params in [{"q": "mentor2@"}, {"language": spanish.pk}, {"status": "active"}]:
        response = client.get(url("mentor_list"), params)
        assert "Mentor Two" in response.text and "Mentor One" not in response.text, params


# --- mentor_create --------------------------------------------------------------------------


def test_coordinator_adds_a_mentor(cast, login):
    response = login(cast.coordinator).post(url("mentor_create"), mentor_data(cast))
    mentor = MentorProfile.objects.get(user__email="sam@example.org")
    assert response["Location"] == url("mentor_detail", mentor.pk)
    assert (mentor.capacity, mentor.bio, mentor.program) == (
        3,
        "Ten years in recovery.",
        cast.program,
    )
    assert mentor.user.has_role("mentor")


def test_a_mentee_can_become_a_mentor_with_one_account(cast, login):
    data = mentor_data(cast, email=cast.mentee2.email, display_name="Typed Name")
    response = login(cast.coordinator).post(url("mentor_create"), data, follow=True)
    assert MentorProfile.objects.get(user=cast.mentee2).program == cast.program
    assert "already belonged to Mentee Two" in response.text  # the typed name was not used
    cast.mentee2.refresh_from_db()
    assert cast.mentee2.display_name.startswith("Mentee Two")


@pytest.mark.parametrize("persona", [*NON_STAFF])
def test_people_without_a_staff_role_get_404_for_the_mentor_form(cast, login, persona):
    client = login(getattr(cast, persona))
    assert client.get(url("mentor_create")).status_code == 404
    assert client.post(url("mentor_create"), mentor_data(cast)).status_code == 404
    assert not MentorProfile.objects.filter(user__email="sam@example.org").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("capacity", "0", "greater than or equal to 1"),
        ("capacity", "11", "less than or equal to 10"),
        ("recovery_start", TOMORROW.isoformat(), "cannot be in the future"),
        ("lived_experience", ["999999"], "999999 is not one of the available choices"),
        ("location", "x" * 101, "at most 100 characters"),
        ("bio", "x" * 2001, "at most 2000 characters"),
        ("program", "OTHER_PROGRAM", "Select a valid choice"),
    ],
)
def test_bad_mentor_input_is_shown_next_to_the_field_and_nothing_is_saved(
    cast, login, field, value, message
):
    if value == "OTHER_PROGRAM":
        value = cast.other_program.pk
    before = (User.objects.count(), MentorProfile.objects.count())
    response = login(cast.coordinator).post(
        url("mentor_create"), mentor_data(cast, **{field: value})
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'value="Sam Okafor"' in response.text and 'value="555-0142"' in response.text
    assert (User.objects.count(), MentorProfile.objects.count()) == before


def test_second_mentor_profile_in_the_same_program_is_refused(cast, login):
    client = login(cast.coordinator)
    assert client.post(url("mentor_create"), mentor_data(cast)).status_code == 302
    response = client.post(url("mentor_create"), mentor_data(cast))
    assert (
        "Sam Okafor is already a mentor in Program A." in response.context["form"].errors["email"]
    )
    assert MentorProfile.objects.filter(user__email="sam@example.org").count() == 1


# --- mentor_detail --------------------------------------------------------------------------


def test_staff_see_the_mentor_page_with_notes_and_an_edit_link(cast, login):
    MentorProfile.objects.filter(pk=cast.mentor_profile.pk).update(notes="Mentor staff note")
    response = login(cast.supervisor).get(url("mentor_detail", cast.mentor_profile.pk))
    assert response.status_code == 200
    assert "Mentor staff note" in response.text
    assert url("mentor_edit", cast.mentor_profile.pk) in response.text
    assert "1 of 2 places taken" in response.text


def test_mentor_sees_own_page_without_staff_notes_or_edit_link(cast, login):
    MentorProfile.objects.filter(pk=cast.mentor_profile.pk).update(notes="Mentor staff note")
    response = login(cast.mentor).get(url("mentor_detail", cast.mentor_profile.pk))
    assert response.status_code == 200
    assert "Mentor One" in response.text
    assert "Mentor staff note" not in response.text
    assert url("mentor_edit", cast.mentor_profile.pk) not in response.text


@pytest.mark.parametrize("persona", ["mentor2", "mentee", "case_manager", "outsider"])
def test_others_get_404_for_a_mentor_page(cast, login, persona):
    path = url("mentor_detail", cast.mentor_profile.pk)
    assert login(getattr(cast, persona)).get(path).status_code == 404


def test_mentor_page_read_is_written_to_audit_log(cast, login):
    login(cast.coordinator).get(url("mentor_detail", cast.mentor_profile.pk))
    entry = LogEntry.objects.get_for_object(cast.mentor_profile).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == cast.coordinator


# --- mentor_edit ----------------------------------------------------------------------------


def test_coordinator_edits_a_mentor(cast, login):
    mentor = cast.mentor_profile
    data = edit_data(mentor, capacity="4", bio="Back in spring")
    response = login(cast.coordinator).post(url("mentor_edit", mentor.pk), data)
    assert response["Location"] == url("mentor_detail", mentor.pk)
    mentor.refresh_from_db()
    assert (mentor.capacity, mentor.bio) == (4, "Back in spring")


@pytest.mark.parametrize("persona", [*NON_STAFF, "outsider"])
def test_only_program_staff_may_edit_a_mentor_not_the_mentor_themself(cast, login, persona):
    path = url("mentor_edit", cast.mentor_profile.pk)
    client = login(getattr(cast, persona))
    assert client.get(path).status_code == 404
    assert client.post(path, edit_data(cast.mentor_profile, capacity="9")).status_code == 404
    cast.mentor_profile.refresh_from_db()
    assert cast.mentor_profile.capacity == 2


@pytest.mark.parametrize(
    ("value", "message"), [("0", "greater than or equal to 1"), ("11", "less than or equal to 10")]
)
def test_mentor_capacity_outside_one_to_ten_is_refused_on_edit(cast, login, value, message):
    mentor = cast.mentor_profile
    data = edit_data(mentor, capacity=value, bio="Typed bio")
    response = login(cast.coordinator).post(url("mentor_edit", mentor.pk), data)
    assert message in response.context["form"].errors["capacity"][0]
    assert "Typed bio" in response.text
    mentor.refresh_from_db()
    assert (mentor.capacity, mentor.bio) == (2, "")


# --- Navigation -----------------------------------------------------------------------------


def test_staff_navigation_links_to_both_lists(cast, login):
    response = login(cast.coordinator).get(reverse("home"))
    assert f'href="{url("mentee_list")}"' in response.text
    assert f'href="{url("mentor_list")}"' in response.text


def test_mentor_navigation_has_no_staff_lists(cast, login):
    response = login(cast.mentor).get(reverse("home"))
    assert f'href="{url("mentee_list")}"' not in response.text
    assert f'href="{url("mentor_list")}"' not in response.text


def test_mentee_list_sorts_by_name_in_both_directions(cast, login):
    client = login(cast.coordinator)

    def names(response):
        return [mentee.user.display_name for mentee in response.context["mentees"]]

    ascending = client.get(url("mentee_list"))
    assert names(ascending) == sorted(names(ascending))
    assert 'aria-sort="ascending"' in ascending.text and "sort=-name" in ascending.text
    descending = client.get(url("mentee_list"), {"sort": "-name"})
    assert names(descending) == list(reversed(names(ascending)))


def test_only_agreed_matches_take_a_mentors_place(cast, login):
    waiting = f.MenteeProfileFactory(program=cast.program)
    f.MatchFactory(
        mentee=waiting, mentor=cast.mentor2_profile, status="proposed", proposed_by=cast.coordinator
    )
    response = login(cast.coordinator).get(url("mentor_detail", cast.mentor2_profile.pk))
    assert "1 of 2 places taken" in response.text


def test_editing_a_mentor_never_changes_their_status(cast, login):
    """The status moves only through the pathway, where the reason is recorded."""
    path = url("mentor_edit", cast.mentor_profile.pk)
    before = cast.mentor_profile.status

    response = login(cast.coordinator).post(
        path, edit_data(cast.mentor_profile, status="inactive", capacity="3")
    )

    assert response.status_code == 302
    cast.mentor_profile.refresh_from_db()
    assert (cast.mentor_profile.status, cast.mentor_profile.capacity) == (before, 3)
