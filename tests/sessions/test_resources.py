"""The resource directory, its effectiveness figures, and following referrals up."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import DomainError
from sessions import selectors, services
from sessions.models import Referral, Resource
from tests import factories as f
from tests.conftest import MARKERS
from tests.sessions.resource_group_factories import (
    HeldSessionFactory,
    ReferralFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("mentoring_sessions:resource_list")
NEW = reverse("mentoring_sessions:resource_new")
REFERRALS = reverse("mentoring_sessions:referral_list")


def detail(resource):
    return reverse("mentoring_sessions:resource_detail", args=[resource.pk])


def edit(resource):
    return reverse("mentoring_sessions:resource_edit", args=[resource.pk])


def follow_up(referral):
    return reverse("mentoring_sessions:referral_follow_up", args=[referral.pk])


def resource_form(program, **overrides):
    return {
        "program": program.pk,
        "name": "Harbor Housing Help",
        "category": Resource.Category.HOUSING,
        "description": "Help with applications for supported housing.",
        "phone": "(413) 555-0110",
        "email": "intake@harbor.example.org",
        "website": "https://harbor.example.org",
        "address": "14 Dock Street",
        "hours": "Mon–Fri 9–5",
        "is_active": "on",
        **overrides,
    }


def referral_in(cast, *, days_ago=7, **fields):
    session = HeldSessionFactory(
        match=cast.match, starts_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return ReferralFactory(session=session, **fields)


# --- The directory -----------------------------------------------------------------------------


def test_a_mentee_reads_their_programs_directory_and_not_another_programs(cast, login):
    ResourceFactory(program=cast.program, name="Riverside Food Pantry")
    ResourceFactory(program=cast.other_program, name="Faraway Clinic")

    body = login(cast.mentee).get(LIST).content.decode()

    assert "Riverside Food Pantry" in body
    assert "Faraway Clinic" not in body


def test_a_case_manager_of_the_program_reads_the_directory(cast, login):
    resource = ResourceFactory(program=cast.program, name="Open Door Clinic")

    response = login(cast.case_manager).get(detail(resource))

    assert response.status_code == 200
    assert "Open Door Clinic" in response.content.decode()


def test_entries_off_the_list_are_hidden_from_mentors_and_shown_to_staff(cast, login):
    hidden = ResourceFactory(program=cast.program, name="Closed Shelter", is_active=False)

    assert "Closed Shelter" not in login(cast.mentor).get(LIST).content.decode()
    assert login(cast.mentor).get(detail(hidden)).status_code == 404
    assert "Closed Shelter" in login(cast.coordinator).get(LIST).content.decode()


def test_it_searches_by_name_and_filters_by_category_and_language(cast, login):
    spanish = f.LanguageFactory(name="Spanish", slug="spanish", code="es")
    ResourceFactory(program=cast.program, name="Casa Esperanza", category="housing").languages.add(
        spanish
    )
    ResourceFactory(program=cast.program, name="Esperanza Jobs", category="employment")
    ResourceFactory(program=cast.program, name="Harbor Housing", category="housing")
    client = login(cast.mentor)

    def names(**query):
        return [r.name for r in client.get(LIST, query).context["resources"]]

    assert names(q="esperanza") == ["Esperanza Jobs", "Casa Esperanza"]
    assert names(category="housing") == ["Casa Esperanza", "Harbor Housing"]
    assert names(language=spanish.pk) == ["Casa Esperanza"]
    assert names(q="esperanza", category="housing") == ["Casa Esperanza"]


def test_the_directory_is_paginated(cast, login):
    for n in range(30):
        ResourceFactory(program=cast.program, name=f"Service {n:02d}")
    client = login(cast.mentee)

    first, second = client.get(LIST), client.get(LIST, {"page": 2})

    assert len(first.context["resources"]) == 25
    assert len(second.context["resources"]) == 5


def test_the_staff_list_runs_the_same_queries_for_more_entries(
    cast, login, django_assert_max_num_queries
):
    client = login(cast.coordinator)
    for n in range(3):
        referral_in(cast, resource=ResourceFactory(program=cast.program, name=f"A {n}"))
    client.get(LIST)
    for n in range(20):
        referral_in(cast, resource=ResourceFactory(program=cast.program, name=f"B {n}"))

    with django_assert_max_num_queries(12):
        response = client.get(LIST)

    assert len(response.context["resources"]) == 23


# --- Effectiveness -----------------------------------------------------------------------------


@pytest.fixture
def followed_resource(cast):
    """Four referrals: two connected (rated 5 and 3), one did not connect, one pending."""
    resource = ResourceFactory(program=cast.program, name="Bridge Employment")
    referral_in(cast, days_ago=30, resource=resource, follow_up="connected", helpfulness=5)
    referral_in(cast, days_ago=20, resource=resource, follow_up="connected", helpfulness=3)
    referral_in(cast, days_ago=10, resource=resource, follow_up="not_connected")
    referral_in(cast, days_ago=2, resource=resource)
    return resource


def test_effectiveness_is_counted_in_the_database(followed_resource):
    figures = selectors.effectiveness_of(followed_resource)

    assert figures["referral_count"] == 4
    assert figures["followed_up_count"] == 3
    assert figures["connected_count"] == 2
    assert figures["pending_count"] == 1
    assert figures["connected_share"] == pytest.approx(2 / 3)
    assert figures["avg_helpfulness"] == pytest.approx(4.0)


def test_a_resource_without_follow_ups_has_no_share_yet(cast):
    resource = ResourceFactory(program=cast.program)
    referral_in(cast, resource=resource)

    figures = selectors.effectiveness_of(resource)

    assert figures["referral_count"] == 1
    assert figures["connected_share"] is None
    assert figures["avg_helpfulness"] is None


def test_staff_see_the_effectiveness_on_the_entry(cast, login, followed_resource):
    body = login(cast.supervisor).get(detail(followed_resource)).content.decode()

    assert "Does it work?" in body
    assert "67" in body  # per cent connected
    assert "2 of 3 followed up" in body
    assert "4.0" in body


def test_mentors_and_mentees_do_not_see_the_effectiveness(cast, login, followed_resource):
    for person in (cast.mentor, cast.mentee):
        response = login(person).get(detail(followed_resource))
        assert response.status_code == 200
        assert "Does it work?" not in response.content.decode()
        assert response.context["effectiveness"] is None


# --- Adding and changing entries ---------------------------------------------------------------


def test_a_coordinator_adds_an_entry_with_its_languages(cast, login):
    spanish = f.LanguageFactory(name="Spanish", slug="spanish", code="es")

    response = login(cast.coordinator).post(
        NEW, resource_form(cast.program, languages=[spanish.pk])
    )

    resource = Resource.objects.get(name="Harbor Housing Help")
    assert response.status_code == 302
    assert response["Location"] == detail(resource)
    assert resource.program == cast.program
    assert list(resource.languages.all()) == [spanish]


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-email"), ("website", "harbor dot org"), ("website", "javascript:alert(1)")],
)
def test_an_invalid_email_or_web_address_is_refused_at_its_field(cast, login, field, value):
    response = login(cast.coordinator).post(NEW, resource_form(cast.program, **{field: value}))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    body = response.content.decode()
    assert "Harbor Housing Help" in body and "14 Dock Street" in body  # what was typed stays
    assert not Resource.objects.exists()


def test_a_second_entry_with_the_same_name_is_refused_at_the_name(cast, login):
    ResourceFactory(program=cast.program, name="Harbor Housing Help")

    response = login(cast.coordinator).post(
        NEW, resource_form(cast.program, name="harbor housing help")
    )

    assert response.context["form"].errors["name"]
    assert Resource.objects.count() == 1


def test_the_same_name_may_be_used_in_another_program(cast):
    ResourceFactory(program=cast.other_program, name="Harbor Housing Help")

    services.create_resource(
        actor=cast.coordinator,
        program=cast.program,
        fields={"name": "Harbor Housing Help", "category": "housing"},
    )

    assert Resource.objects.filter(name="Harbor Housing Help").count() == 2


def test_a_coordinator_cannot_add_to_another_program(cast, login):
    response = login(cast.coordinator).post(NEW, resource_form(cast.other_program))

    assert response.context["form"].errors["program"]
    assert not Resource.objects.exists()
    with pytest.raises(DomainError):
        services.create_resource(
            actor=cast.mentor, program=cast.program, fields={"name": "X", "category": "other"}
        )


def test_staff_take_an_entry_off_the_list(cast, login):
    resource = ResourceFactory(program=cast.program, name="Old Clinic")
    data = resource_form(cast.program, name="Old Clinic")
    del data["is_active"], data["program"]

    response = login(cast.supervisor).post(edit(resource), data)

    assert response.status_code == 302
    resource.refresh_from_db()
    assert not resource.is_active
    assert resource.email == "intake@harbor.example.org"


# --- Referrals ---------------------------------------------------------------------------------


def test_a_mentor_sees_the_referrals_of_their_own_sessions_only(cast, login):
    mine = referral_in(cast)
    theirs = ReferralFactory(session=HeldSessionFactory(match=cast.match2))

    response = login(cast.mentor).get(REFERRALS)

    assert list(response.context["referrals"]) == [mine]
    assert MARKERS["mentee2"] not in response.content.decode()
    assert login(cast.mentor2).get(REFERRALS).context["referrals"][0] == theirs
    assert login(cast.mentor2).get(follow_up(mine)).status_code == 404


def test_staff_see_every_referral_of_their_programs(cast, login):
    referral_in(cast)
    ReferralFactory(session=HeldSessionFactory(match=cast.match2))

    assert len(login(cast.coordinator).get(REFERRALS).context["referrals"]) == 2
    assert len(login(cast.outsider).get(REFERRALS).context["referrals"]) == 0


def test_the_list_filters_pending_follow_ups(cast, login):
    pending = referral_in(cast)
    referral_in(cast, follow_up="connected", helpfulness=4)

    response = login(cast.mentor).get(REFERRALS, {"follow_up": "pending"})

    assert list(response.context["referrals"]) == [pending]


def test_the_mentor_records_a_follow_up(cast, login):
    referral = referral_in(cast)
    today = timezone.localdate()

    response = login(cast.mentor).post(
        follow_up(referral),
        {
            "follow_up": "connected",
            "helpfulness": "4",
            "outcome_notes": "Got an appointment for next week.",
            "followed_up_on": today.isoformat(),
        },
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.follow_up == "connected"
    assert referral.helpfulness == 4
    assert referral.followed_up_on == today
    assert referral.outcome_notes == "Got an appointment for next week."


def _post_follow_up(client, referral, **overrides):
    data = {
        "follow_up": "connected",
        "helpfulness": "4",
        "outcome_notes": "Typed notes stay here",
        "followed_up_on": timezone.localdate().isoformat(),
        **overrides,
    }
    return client.post(follow_up(referral), data)


@pytest.mark.parametrize("helpfulness", ["0", "6", "-1", "many"])
def test_helpfulness_outside_one_to_five_is_refused_at_its_field(cast, login, helpfulness):
    referral = referral_in(cast)

    response = _post_follow_up(login(cast.mentor), referral, helpfulness=helpfulness)

    assert response.status_code == 200
    assert response.context["form"].errors["helpfulness"]
    assert "Typed notes stay here" in response.content.decode()
    referral.refresh_from_db()
    assert referral.follow_up == Referral.FollowUp.PENDING
    assert referral.helpfulness is None


def test_a_follow_up_date_in_the_future_is_refused_at_its_field(cast, login):
    referral = referral_in(cast)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = _post_follow_up(login(cast.mentor), referral, followed_up_on=tomorrow.isoformat())

    assert response.context["form"].errors["followed_up_on"]
    body = response.content.decode()
    assert "Typed notes stay here" in body and tomorrow.isoformat() in body
    referral.refresh_from_db()
    assert referral.follow_up == Referral.FollowUp.PENDING


def test_a_follow_up_before_the_session_is_refused_at_the_date(cast, login):
    referral = referral_in(cast, days_ago=3)
    before = timezone.localdate() - datetime.timedelta(days=10)

    response = _post_follow_up(login(cast.mentor), referral, followed_up_on=before.isoformat())

    assert response.context["form"].errors["followed_up_on"]
    referral.refresh_from_db()
    assert referral.follow_up == Referral.FollowUp.PENDING


def test_how_it_went_is_rated_only_when_the_mentee_connected(cast, login):
    referral = referral_in(cast)

    response = _post_follow_up(login(cast.mentor), referral, follow_up="not_connected")

    assert response.context["form"].errors["helpfulness"]
    referral.refresh_from_db()
    assert referral.follow_up == Referral.FollowUp.PENDING


def test_the_service_refuses_another_mentor(cast):
    referral = referral_in(cast)

    with pytest.raises(DomainError):
        services.record_referral_follow_up(
            actor=cast.mentor2, referral=referral, follow_up="connected"
        )
    referral.refresh_from_db()
    assert referral.follow_up == Referral.FollowUp.PENDING
