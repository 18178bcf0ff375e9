"""Group sessions: planning, who sees what, details kept by facilitators, attendance."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import DomainError
from sessions import services
from sessions.models import GroupAttendance, GroupSession
from tests import factories as f
from tests.conftest import MARKERS
from tests.sessions.resource_group_factories import (
    GroupAttendanceFactory,
    GroupSessionFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("mentoring_sessions:group_list")
NEW = reverse("mentoring_sessions:group_new")


def url(name, group):
    return reverse(f"mentoring_sessions:{name}", args=[group.pk])


def when(days: int) -> str:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.strftime("%Y-%m-%dT18:00")


def group_form(cast, **overrides):
    return {
        "program": cast.program.pk,
        "kind": GroupSession.Kind.SUPPORT_GROUP,
        "title": "Thursday evening recovery circle",
        "starts_at": when(3),
        "duration_minutes": "90",
        "place": "Community room, 12 Main Street",
        "facilitators": [cast.mentor_profile.pk],
        "notes": "Bring a friend if you like.",
        **overrides,
    }


@pytest.fixture
def group(cast):
    """Yesterday's group, facilitated by ``mentor``, with ``mentee`` on the list."""
    group = GroupSessionFactory(
        program=cast.program,
        title="Peer support circle",
        created_by=cast.coordinator,
        facilitators=[cast.mentor_profile],
    )
    GroupAttendanceFactory(group_session=group, mentee=cast.mentee_profile)
    return group


# --- Planning ----------------------------------------------------------------------------------


def test_a_coordinator_plans_a_group_with_its_facilitators(cast, login):
    response = login(cast.coordinator).post(
        NEW, group_form(cast, facilitators=[cast.mentor_profile.pk, cast.mentor2_profile.pk])
    )

    group = GroupSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("group_detail", group)
    assert group.program == cast.program
    assert group.created_by == cast.coordinator
    assert group.duration_minutes == 90
    assert set(group.facilitators.all()) == {cast.mentor_profile, cast.mentor2_profile}


@pytest.mark.parametrize("minutes", ["4", "481", "0"])
def test_a_length_outside_5_to_480_minutes_is_refused_at_its_field(cast, login, minutes):
    response = login(cast.coordinator).post(NEW, group_form(cast, duration_minutes=minutes))

    assert response.status_code == 200
    assert response.context["form"].errors["duration_minutes"]
    body = response.content.decode()
    assert "Thursday evening recovery circle" in body and f'value="{minutes}"' in body
    assert not GroupSession.objects.exists()


def test_the_service_refuses_a_length_outside_5_to_480_minutes(cast):
    with pytest.raises(DomainError) as refused:
        services.create_group_session(
            actor=cast.coordinator,
            program=cast.program,
            fields={
                "kind": "workshop",
                "title": "Long day",
                "starts_at": timezone.now(),
                "duration_minutes": 600,
            },
            facilitators=[cast.mentor_profile],
        )
    assert refused.value.field == "duration_minutes"
    assert not GroupSession.objects.exists()


def test_a_group_needs_a_facilitator_of_its_program(cast, login):
    stranger = f.MentorProfileFactory(program=cast.other_program)

    response = login(cast.coordinator).post(NEW, group_form(cast, facilitators=[]))
    assert response.context["form"].errors["facilitators"]
    with pytest.raises(DomainError) as refused:
        services.create_group_session(
            actor=cast.coordinator,
            program=cast.program,
            fields={"kind": "workshop", "title": "CV clinic", "starts_at": timezone.now()},
            facilitators=[stranger],
        )
    assert refused.value.field == "facilitators"
    assert not GroupSession.objects.exists()


def test_a_mentor_cannot_plan_a_group(cast):
    with pytest.raises(DomainError):
        services.create_group_session(
            actor=cast.mentor,
            program=cast.program,
            fields={"kind": "workshop", "title": "CV clinic", "starts_at": timezone.now()},
            facilitators=[cast.mentor_profile],
        )


# --- Editing -----------------------------------------------------------------------------------


def test_a_facilitator_changes_the_details_but_not_who_facilitates(cast, login, group):
    data = group_form(cast, title="Peer support circle (moved)", place="Library, room 2")
    data["facilitators"] = [cast.mentor2_profile.pk]
    del data["program"]

    response = login(cast.mentor).post(url("group_edit", group), data)

    assert response.status_code == 302
    group.refresh_from_db()
    assert group.title == "Peer support circle (moved)"
    assert group.place == "Library, room 2"
    assert list(group.facilitators.all()) == [cast.mentor_profile]
    with pytest.raises(DomainError):
        services.update_group_session(
            actor=cast.mentor, group=group, fields={}, facilitators=[cast.mentor2_profile]
        )


def test_staff_change_the_facilitators(cast, login, group):
    data = group_form(cast, facilitators=[cast.mentor2_profile.pk])
    del data["program"]

    login(cast.supervisor).post(url("group_edit", group), data)

    assert list(group.facilitators.all()) == [cast.mentor2_profile]


def test_a_mentor_who_does_not_facilitate_cannot_edit(cast, group):
    with pytest.raises(DomainError):
        services.update_group_session(actor=cast.mentor2, group=group, fields={"title": "X"})
    group.refresh_from_db()
    assert group.title == "Peer support circle"


# --- Who sees what -----------------------------------------------------------------------------


def test_a_mentee_sees_the_group_but_not_who_else_comes(cast, login, group):
    GroupAttendanceFactory(group_session=group, mentee=cast.mentee2_profile)

    response = login(cast.mentee).get(url("group_detail", group))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Peer support circle" in body
    assert "Community room, 12 Main Street" in body
    assert cast.mentor_profile.user.display_name in body  # the facilitator
    assert "You are on the list for this group." in body
    assert MARKERS["mentee2"] not in body
    assert response.context["attendees"] is None


def test_a_mentor_who_does_not_facilitate_sees_the_group_without_its_list(cast, login, group):
    response = login(cast.mentor2).get(url("group_detail", group))

    assert response.status_code == 200
    assert MARKERS["mentee"] not in response.content.decode()


def test_the_facilitator_and_staff_see_the_list(cast, login, group):
    for person in (cast.mentor, cast.coordinator):
        body = login(person).get(url("group_detail", group)).content.decode()
        assert MARKERS["mentee"] in body


def test_a_mentee_lists_only_the_groups_they_are_on(cast, login, group):
    GroupSessionFactory(program=cast.program, title="Another group", starts_at=timezone.now())

    response = login(cast.mentee).get(LIST, {"when": "all"})

    assert [g.title for g in response.context["groups"]] == ["Peer support circle"]


def test_the_list_shows_upcoming_groups_first_and_past_ones_on_request(cast, login, group):
    soon = GroupSessionFactory(
        program=cast.program, title="Next week", starts_at=timezone.now() + datetime.timedelta(7)
    )
    client = login(cast.coordinator)

    assert list(client.get(LIST).context["groups"]) == [soon]
    assert list(client.get(LIST, {"when": "past"}).context["groups"]) == [group]


# --- Attendance --------------------------------------------------------------------------------


def test_the_facilitator_marks_who_came(cast, login, group):
    row = group.attendance.get()

    response = login(cast.mentor).post(
        url("group_attendance", group), {f"status_{row.pk}": "attended"}
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == GroupAttendance.Status.ATTENDED


def test_staff_add_mentees_of_the_program_and_take_people_off(cast, login, group):
    row = group.attendance.get()

    login(cast.coordinator).post(
        url("group_attendance", group),
        {
            f"status_{row.pk}": "expected",
            f"remove_{row.pk}": "on",
            "add": [cast.mentee2_profile.pk],
        },
    )

    assert list(group.attendance.values_list("mentee", "status")) == [
        (cast.mentee2_profile.pk, "expected")
    ]


def test_a_mentee_of_another_program_is_refused_at_the_field(cast, login, group):
    stranger = f.MenteeProfileFactory(program=cast.other_program)
    row = group.attendance.get()

    response = login(cast.coordinator).post(
        url("group_attendance", group), {f"status_{row.pk}": "absent", "add": [stranger.pk]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["add"]
    assert 'value="absent" checked' in response.content.decode()  # what was typed stays
    row.refresh_from_db()
    assert row.status == GroupAttendance.Status.EXPECTED
    assert group.attendance.count() == 1
    with pytest.raises(DomainError) as refused:
        services.update_group_attendance(actor=cast.coordinator, group=group, add=[stranger])
    assert refused.value.field == "add"


def test_a_facilitator_adds_their_own_mentees_only(cast, login, group):
    GroupAttendance.objects.all().delete()

    response = login(cast.mentor).get(url("group_attendance", group))

    assert list(response.context["form"].fields["add"].queryset) == [cast.mentee_profile]
    with pytest.raises(DomainError):
        services.update_group_attendance(actor=cast.mentor, group=group, add=[cast.mentee2_profile])
    assert not group.attendance.exists()


def test_who_came_is_marked_only_once_the_group_has_started(cast, login, group):
    group.starts_at = timezone.now() + datetime.timedelta(days=2)
    group.save()
    row = group.attendance.get()

    response = login(cast.mentor).get(url("group_attendance", group))
    assert f"status_{row.pk}" not in response.context["form"].fields
    with pytest.raises(DomainError):
        services.update_group_attendance(
            actor=cast.mentor, group=group, statuses={row.pk: "attended"}
        )
    row.refresh_from_db()
    assert row.status == GroupAttendance.Status.EXPECTED
