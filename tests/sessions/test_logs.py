"""Scheduling and logging mentoring sessions: the services' rules, and the pages per persona."""

import datetime
import threading
import time
import zoneinfo

import pytest
from auditlog.models import LogEntry
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Notification
from matching.models import Match
from sessions import services
from sessions.forms.logs import SessionLogForm, UnscheduledLogForm
from sessions.models import MentoringSession, Referral, Resource, SafetyAlert, Topic
from tests import factories as f
from tests.conftest import MARKERS
from tests.sessions.factories import MentoringSessionFactory

pytestmark = pytest.mark.django_db

Status = MentoringSession.Status
NOTES = "PRIVATE-NOTE-TEXT only for the mentor and supervisors"
SUMMARY = "SUMMARY-TEXT we practised the phone call to the housing office"
LIST = reverse("mentoring_sessions:session_list")


def ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def ahead(**delta) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(**delta)


def url(name: str, *args) -> str:
    return reverse(f"mentoring_sessions:{name}", args=args)


def due(cast, **fields) -> MentoringSession:
    """A session of the cast's match that started an hour ago and waits to be logged."""
    fields.setdefault("starts_at", ago(hours=1))
    return MentoringSessionFactory(match=cast.match, scheduled=True, **fields)


def upcoming(cast, **fields) -> MentoringSession:
    return MentoringSessionFactory(match=cast.match, scheduled=True, **fields)


def resource(program, name="Harbor Housing Help") -> Resource:
    return Resource.objects.create(program=program, name=name, category=Resource.Category.HOUSING)


def log(cast, session, **overrides) -> MentoringSession:
    values = {
        "actor": cast.mentor,
        "session": session,
        "status": Status.HELD,
        "duration_minutes": 50,
        "modality": "in_person",
        "support_types": ["emotional"],
        **overrides,
    }
    return services.log_session(**values)


def log_form(**overrides) -> dict:
    return {
        "status": "held",
        "duration_minutes": "45",
        "modality": "phone",
        "support_types": ["emotional", "instrumental"],
        "summary": SUMMARY,
        "private_notes": NOTES,
        "concern": "",
        **overrides,
    }


def add_supervisor(program, email="supervisor2@example.org"):
    return f.MembershipFactory(
        program=program, role=Membership.Role.SUPERVISOR, user__email=email
    ).user


def set_status(match: Match, status: str) -> None:
    fields = {"status": status}
    if status == Match.Status.CLOSED:
        fields.update(close_reason=Match.CloseReason.PLANNED_END, closed_on=timezone.localdate())
    Match.objects.filter(pk=match.pk).update(**fields)
    match.refresh_from_db()


# --- Scheduling ----------------------------------------------------------------------------


def test_mentor_schedules_a_session_of_their_active_match(cast):
    starts = ahead(days=3)
    session = services.schedule_session(
        actor=cast.mentor,
        match=cast.match,
        starts_at=starts,
        expected_minutes=45,
        modality="video",
        place=" https://meet.example.org/abc ",
    )
    assert session.status == Status.SCHEDULED and not session.is_logged
    assert (session.starts_at, session.expected_minutes, session.place) == (
        starts,
        45,
        "https://meet.example.org/abc",
    )
    assert session.created_by == cast.mentor


@pytest.mark.parametrize("persona", ["coordinator", "supervisor"])
def test_program_staff_schedule_sessions_too(cast, persona):
    session = services.schedule_session(
        actor=getattr(cast, persona),
        match=cast.match,
        starts_at=ahead(days=1),
        expected_minutes=60,
        modality="phone",
    )
    assert session.created_by == getattr(cast, persona)


@pytest.mark.parametrize("persona", ["mentor2", "mentee", "case_manager", "outsider"])
def test_others_cannot_schedule(cast, persona):
    with pytest.raises(services.DomainError, match="Only the mentor"):
        services.schedule_session(
            actor=getattr(cast, persona),
            match=cast.match,
            starts_at=ahead(days=1),
            expected_minutes=60,
            modality="phone",
        )


def test_scheduling_in_the_past_is_refused_at_the_time_field(cast):
    with pytest.raises(services.DomainError, match="in the future") as refused:
        services.schedule_session(
            actor=cast.mentor,
            match=cast.match,
            starts_at=ago(hours=1),
            expected_minutes=60,
            modality="phone",
        )
    assert refused.value.field == "starts_at"


def test_scheduling_for_a_paused_match_says_why(cast):
    set_status(cast.match, Match.Status.PAUSED)
    with pytest.raises(services.DomainError, match="This match is paused"):
        services.schedule_session(
            actor=cast.mentor,
            match=cast.match,
            starts_at=ahead(days=1),
            expected_minutes=60,
            modality="phone",
        )


def test_scheduling_the_same_time_twice_keeps_one_session(cast):
    starts = ahead(days=2)
    args = {"actor": cast.mentor, "match": cast.match, "starts_at": starts, "modality": "phone"}
    services.schedule_session(expected_minutes=60, **args)
    with pytest.raises(services.DomainError, match="already scheduled"):
        services.schedule_session(expected_minutes=60, **args)
    assert cast.match.sessions.count() == 1


def test_rescheduling_moves_the_session(cast):
    session = upcoming(cast)
    new_time = ahead(days=5)
    services.reschedule_session(
        actor=cast.coordinator,
        session=session,
        starts_at=new_time,
        expected_minutes=30,
        modality="video",
        place="https://meet.example.org/x",
    )
    session.refresh_from_db()
    assert (session.starts_at, session.expected_minutes, session.modality) == (
        new_time,
        30,
        "video",
    )


def test_a_logged_session_cannot_be_moved(cast):
    session = MentoringSessionFactory(match=cast.match)
    with pytest.raises(services.AlreadyLogged):
        services.reschedule_session(
            actor=cast.mentor,
            session=session,
            starts_at=ahead(days=1),
            expected_minutes=60,
            modality="phone",
        )


def test_cancelling_before_the_session_keeps_the_reason_for_the_mentee(cast):
    session = upcoming(cast)
    services.cancel_session(actor=cast.mentor, session=session, reason=" I am unwell ")
    session.refresh_from_db()
    assert session.status == Status.CANCELLED
    assert session.summary == "I am unwell"
    assert not session.is_logged


def test_cancelling_needs_a_reason(cast):
    with pytest.raises(services.DomainError) as refused:
        services.cancel_session(actor=cast.mentor, session=upcoming(cast), reason="  ")
    assert refused.value.field == "reason"


def test_a_session_whose_time_has_come_is_logged_not_cancelled(cast):
    with pytest.raises(services.DomainError, match="logs it as cancelled or no-show"):
        services.cancel_session(actor=cast.mentor, session=due(cast), reason="Rain")


# --- Logging: the service ------------------------------------------------------------------


def test_mentor_logs_a_held_session_with_its_details(cast):
    session = due(cast)
    topic = Topic.objects.filter(is_active=True).first()
    housing = resource(cast.program)
    clinic = resource(cast.program, "Northside Clinic")
    logged = log(
        cast,
        session,
        duration_minutes=55,
        modality="phone",
        support_types=["instrumental", "emotional"],
        topics=[topic],
        goals_worked_on=[cast.goal],
        resources_shared=[housing],
        referrals=[clinic, clinic],
        summary=f"  {SUMMARY}  ",
        private_notes=NOTES,
    )
    logged.refresh_from_db()
    assert logged.status == Status.HELD
    assert logged.duration_minutes == 55 and logged.modality == "phone"
    assert logged.support_types == ["emotional", "instrumental"]
    assert list(logged.topics.all()) == [topic]
    assert list(logged.goals_worked_on.all()) == [cast.goal]
    assert list(logged.resources_shared.all()) == [housing]
    assert list(Referral.objects.filter(session=logged).values_list("resource", flat=True)) == [
        clinic.pk
    ]
    assert logged.summary == SUMMARY and logged.private_notes == NOTES
    assert logged.logged_by == cast.mentor and logged.logged_at is not None


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "mentor2", "mentee"])
def test_only_the_matchs_mentor_logs(cast, persona):
    with pytest.raises(services.DomainError, match="Only the mentor"):
        log(cast, due(cast), actor=getattr(cast, persona))


def test_a_session_cannot_be_logged_as_held_before_it_starts(cast):
    with pytest.raises(services.DomainError, match="before it starts") as refused:
        log(cast, upcoming(cast))
    assert refused.value.field == "status"
    assert not MentoringSession.objects.filter(logged_at__isnull=False).exists()


def test_a_session_called_off_in_advance_can_be_logged_as_cancelled(cast):
    logged = log(cast, upcoming(cast), status=Status.CANCELLED, summary="Moved to next week")
    assert logged.status == Status.CANCELLED and logged.duration_minutes is None


@pytest.mark.parametrize("minutes", [None, 4, 481])
def test_a_held_session_lasts_5_to_480_minutes(cast, minutes):
    with pytest.raises(services.DomainError) as refused:
        log(cast, due(cast), duration_minutes=minutes)
    assert refused.value.field == "duration_minutes"


@pytest.mark.parametrize("minutes", [5, 480])
def test_the_duration_limits_themselves_are_fine(cast, minutes):
    assert log(cast, due(cast), duration_minutes=minutes).duration_minutes == minutes


def test_a_held_session_names_the_support_given(cast):
    with pytest.raises(services.DomainError) as refused:
        log(cast, due(cast), support_types=[])
    assert refused.value.field == "support_types"


def test_goals_must_be_the_mentees_own(cast):
    with pytest.raises(services.DomainError) as refused:
        log(cast, due(cast), goals_worked_on=[cast.goal2])
    assert refused.value.field == "goals_worked_on"


def test_resources_must_be_the_programs(cast):
    elsewhere = resource(cast.other_program)
    with pytest.raises(services.DomainError) as refused:
        log(cast, due(cast), referrals=[elsewhere])
    assert refused.value.field == "referrals"


@pytest.mark.parametrize(
    ("status", "reason"),
    [(Match.Status.PAUSED, "This match is paused"), (Match.Status.CLOSED, "was closed on")],
)
def test_logging_for_a_match_that_is_not_active_says_why(cast, status, reason):
    session = due(cast)
    set_status(cast.match, status)
    with pytest.raises(services.DomainError, match=reason):
        log(cast, session)
    session.refresh_from_db()
    assert not session.is_logged


def test_a_session_is_logged_once(cast):
    session = due(cast)
    log(cast, session)
    with pytest.raises(services.AlreadyLogged, match="already logged"):
        log(cast, session, summary="again")
    session.refresh_from_db()
    assert session.summary == ""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_logs_sent_at_the_same_moment_make_one(cast):
    session = due(cast)
    outcomes = []

    def send():
        try:
            log(cast, MentoringSession.objects.get(pk=session.pk), concern="talk")
            outcomes.append("logged")
        except services.AlreadyLogged:
            outcomes.append("already logged")
        finally:
            connection.close()

    senders = [threading.Thread(target=send) for _ in range(2)]
    with transaction.atomic():
        # Hold the row so that both requests have read it before either can log it.
        MentoringSession.objects.select_for_update().get(pk=session.pk)
        for sender in senders:
            sender.start()
        time.sleep(0.5)
    for sender in senders:
        sender.join(timeout=10)
    assert sorted(outcomes) == ["already logged", "logged"]
    assert Notification.objects.filter(kind="session_concern_talk").count() == 1
    assert Notification.objects.filter(kind="feedback_invitation").count() == 2  # email + app


def test_a_no_show_records_no_duration_or_support(cast):
    logged = log(cast, due(cast), status=Status.NO_SHOW, goals_worked_on=[cast.goal])
    assert logged.duration_minutes is None and logged.support_types == []
    assert not logged.goals_worked_on.exists()
    assert not Notification.objects.filter(kind="feedback_invitation").exists()


def test_a_held_session_invites_the_mentees_feedback(cast):
    session = log(cast, due(cast))
    invitations = Notification.objects.filter(
        kind="feedback_invitation", recipient=cast.mentee, subject_id=session.pk
    )
    assert {row.channel for row in invitations} == {"email", "in_app"}


def test_an_urgent_concern_alerts_every_supervisor_of_the_program(cast):
    second = add_supervisor(cast.program)
    f.MembershipFactory(program=cast.other_program, role=Membership.Role.SUPERVISOR)
    session = log(cast, due(cast), concern="urgent", private_notes=NOTES)

    alert = SafetyAlert.objects.get()
    assert (alert.mentee, alert.program, alert.session) == (
        cast.mentee_profile,
        cast.program,
        session,
    )
    assert alert.source == "session_concern" and alert.status == "open"
    assert alert.raised_by == cast.mentor and alert.raised_at is not None
    rows = Notification.objects.filter(kind="safety_alert")
    assert sorted((row.recipient.email, row.channel) for row in rows) == sorted(
        (user.email, channel)
        for user in (cast.supervisor, second)
        for channel in ("email", "in_app")
    )


def test_talk_with_my_supervisor_asks_the_supervisors_in_the_app(cast):
    second = add_supervisor(cast.program)
    session = log(cast, due(cast), concern="talk")
    rows = Notification.objects.filter(kind="session_concern_talk")
    assert {row.recipient for row in rows} == {cast.supervisor, second}
    assert {row.channel for row in rows} == {"in_app"}
    assert {row.subject_id for row in rows} == {session.pk}
    assert not SafetyAlert.objects.exists()


def test_a_meeting_that_was_not_scheduled_is_created_and_logged(cast):
    met = ago(hours=3).replace(second=0, microsecond=0)
    logged = services.log_unscheduled_session(
        actor=cast.mentor,
        match=cast.match,
        starts_at=met,
        status=Status.HELD,
        duration_minutes=40,
        modality="in_person",
        support_types=["informational"],
        place="Café on Main",
    )
    assert logged.is_logged and logged.status == Status.HELD
    assert (logged.starts_at, logged.expected_minutes, logged.place) == (met, 40, "Café on Main")
    assert logged.created_by == cast.mentor


def test_an_unscheduled_meeting_sent_twice_is_logged_once(cast):
    args = {
        "actor": cast.mentor,
        "match": cast.match,
        "starts_at": ago(hours=3).replace(second=0, microsecond=0),
        "duration_minutes": 40,
        "modality": "phone",
        "support_types": ["emotional"],
    }
    services.log_unscheduled_session(**args)
    with pytest.raises(services.AlreadyLogged):
        services.log_unscheduled_session(**args)
    assert cast.match.sessions.count() == 1


def test_a_meeting_still_to_come_is_scheduled_not_logged(cast):
    with pytest.raises(services.DomainError, match="Schedule the session") as refused:
        services.log_unscheduled_session(
            actor=cast.mentor,
            match=cast.match,
            starts_at=ahead(hours=2),
            duration_minutes=40,
            modality="phone",
            support_types=["emotional"],
        )
    assert refused.value.field == "starts_at"
    assert not cast.match.sessions.exists()


def test_an_invalid_unscheduled_log_leaves_no_session_behind(cast):
    with pytest.raises(services.DomainError):
        services.log_unscheduled_session(
            actor=cast.mentor,
            match=cast.match,
            starts_at=ago(hours=3),
            duration_minutes=481,
            modality="phone",
            support_types=["emotional"],
        )
    assert not cast.match.sessions.exists()


# --- The log form --------------------------------------------------------------------------


def test_the_log_form_asks_at_most_five_required_inputs(cast):
    # support_types is required for a held session (checked in clean()); count it as required.
    scheduled = SessionLogForm(match=cast.match)
    unscheduled = UnscheduledLogForm(match=cast.match)
    for form in (scheduled, unscheduled):
        required = {name for name, field in form.fields.items() if field.required}
        assert len(required | {"support_types"}) <= 5, required


def test_the_log_form_is_prefilled_from_the_schedule(cast, login):
    session = due(cast, modality="video", expected_minutes=75)
    response = login(cast.mentor).get(url("session_log", session.pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["duration_minutes"].value() == 75
    assert form["modality"].value() == "video"
    assert form["status"].value() == "held"
    body = response.content.decode()
    assert 'value="75"' in body
    assert cast.goal.statement in body and cast.goal2.statement not in body


def test_mentor_logs_on_the_phone_and_the_urgent_concern_reaches_the_supervisors(cast, login):
    session = due(cast)
    client = login(cast.mentor)
    client.defaults["HTTP_USER_AGENT"] = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile"
    assert client.get(url("session_log", session.pk)).status_code == 200

    response = client.post(
        url("session_log", session.pk), log_form(concern="urgent", goals_worked_on=[cast.goal.pk])
    )

    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "sent to the program&#x27;s supervisors" in page
    session.refresh_from_db()
    assert session.is_logged and session.concern == "urgent"
    alert = SafetyAlert.objects.get(session=session)
    assert alert.status == SafetyAlert.Status.OPEN and alert.source == "session_concern"
    assert set(
        Notification.objects.filter(kind="safety_alert", recipient=cast.supervisor).values_list(
            "channel", flat=True
        )
    ) == {"email", "in_app"}
    for outsider in (cast.mentor2, cast.mentee2, cast.case_manager):
        client.force_login(outsider)
        assert client.get(url("session_detail", session.pk)).status_code == 404


def test_a_held_session_cannot_be_logged_before_it_starts_in_the_form(cast, login):
    session = upcoming(cast)
    response = login(cast.mentor).post(url("session_log", session.pk), log_form())
    assert response.status_code == 200
    assert "before it starts" in response.content.decode()
    assert "before it starts" in " ".join(response.context["form"].errors["status"])
    session.refresh_from_db()
    assert not session.is_logged


@pytest.mark.parametrize("minutes", ["4", "481"])
def test_a_duration_out_of_range_is_refused_at_the_field_keeping_what_was_typed(
    cast, login, minutes
):
    session = due(cast)
    response = login(cast.mentor).post(
        url("session_log", session.pk), log_form(duration_minutes=minutes)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["duration_minutes"]
    body = response.content.decode()
    assert f'value="{minutes}"' in body
    assert SUMMARY in body and NOTES in body
    assert 'value="instrumental" checked' in body
    session.refresh_from_db()
    assert not session.is_logged


def test_a_held_session_without_support_types_is_refused_at_the_field(cast, login):
    response = login(cast.mentor).post(url("session_log", due(cast).pk), log_form(support_types=[]))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["support_types"]


@pytest.mark.parametrize(
    ("status", "reason"),
    [(Match.Status.PAUSED, "This match is paused"), (Match.Status.CLOSED, "was closed on")],
)
def test_the_log_form_on_a_match_that_is_not_active_says_why(cast, login, status, reason):
    session = due(cast)
    set_status(cast.match, status)
    client = login(cast.mentor)
    assert reason in client.get(url("session_log", session.pk)).content.decode()
    response = client.post(url("session_log", session.pk), log_form())
    assert response.status_code == 200
    assert reason in response.content.decode()
    session.refresh_from_db()
    assert not session.is_logged


def test_sending_the_log_form_twice_logs_once(cast, login):
    session = due(cast)
    client = login(cast.mentor)
    first = client.post(url("session_log", session.pk), log_form(concern="talk"))
    second = client.post(url("session_log", session.pk), log_form(concern="talk"), follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[-1][0] == session.get_absolute_url()
    assert "already logged" in second.content.decode()
    assert MentoringSession.objects.filter(logged_at__isnull=False).count() == 1
    assert Notification.objects.filter(kind="session_concern_talk").count() == 1


def test_logging_a_held_session_queues_the_feedback_invitation(cast, login):
    session = due(cast)
    login(cast.mentor).post(url("session_log", session.pk), log_form())
    assert Notification.objects.filter(
        kind="feedback_invitation", recipient=cast.mentee, subject_id=session.pk
    ).exists()


def test_a_meeting_that_was_not_scheduled_is_logged_from_its_form(cast, login):
    zone = zoneinfo.ZoneInfo(cast.program.center.time_zone)
    met = timezone.localtime(ago(days=1), zone).replace(hour=15, minute=30, second=0, microsecond=0)
    response = login(cast.mentor).post(
        url("session_log_new", cast.match.pk),
        log_form(starts_at=met.strftime("%Y-%m-%dT%H:%M"), place="Library"),
    )
    assert response.status_code == 302
    session = cast.match.sessions.get()
    assert session.starts_at == met and session.is_logged and session.place == "Library"


# --- Scheduling pages ----------------------------------------------------------------------


def test_times_are_read_in_the_centers_time_zone(cast, login):
    center = cast.program.center
    center.time_zone = "America/Los_Angeles"
    center.save()
    response = login(cast.mentor).post(
        url("session_schedule", cast.match.pk),
        {"starts_at": "2031-05-01T10:00", "expected_minutes": "60", "modality": "phone"},
    )
    assert response.status_code == 302
    session = cast.match.sessions.get()
    assert session.starts_at == datetime.datetime(2031, 5, 1, 17, 0, tzinfo=datetime.UTC)
    page = login(cast.mentor).get(session.get_absolute_url()).content.decode()
    assert "10 a.m." in page and "PDT" in page


def test_scheduling_in_the_past_is_shown_at_the_time_field(cast, login):
    response = login(cast.coordinator).post(
        url("session_schedule", cast.match.pk),
        {"starts_at": "2020-01-01T10:00", "expected_minutes": "60", "modality": "phone"},
    )
    assert response.status_code == 200
    assert "in the future" in " ".join(response.context["form"].errors["starts_at"])


def test_a_logged_session_is_not_offered_for_changes(cast, login):
    session = MentoringSessionFactory(match=cast.match)
    response = login(cast.mentor).get(url("session_edit", session.pk), follow=True)
    assert response.redirect_chain[-1][0] == session.get_absolute_url()
    assert "already logged" in response.content.decode()


def test_moving_a_session_from_its_page(cast, login):
    session = upcoming(cast)
    response = login(cast.supervisor).post(
        url("session_edit", session.pk),
        {"starts_at": "2031-06-02T09:15", "expected_minutes": "30", "modality": "video"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.expected_minutes == 30 and session.modality == "video"


def test_cancelling_without_a_reason_shows_the_error_on_the_session_page(cast, login):
    session = upcoming(cast)
    response = login(cast.mentor).post(url("session_cancel", session.pk), {"reason": ""})
    assert response.status_code == 200
    assert response.context["cancel_form"].errors["reason"]
    session.refresh_from_db()
    assert session.status == Status.SCHEDULED


def test_cancel_is_post_only(cast, login):
    assert login(cast.mentor).get(url("session_cancel", upcoming(cast).pk)).status_code == 405


# --- Who sees what -------------------------------------------------------------------------


def logged_session(cast) -> MentoringSession:
    return log(
        cast,
        due(cast),
        summary=SUMMARY,
        private_notes=NOTES,
        goals_worked_on=[cast.goal],
        concern="talk",
    )


def test_the_mentee_sees_the_summary_and_goals_but_never_private_notes(cast, login):
    session = logged_session(cast)
    response = login(cast.mentee).get(session.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert SUMMARY in body and cast.goal.statement in body and session.place in body
    assert NOTES not in body
    assert "Talk with my supervisor" not in body


def test_the_mentor_who_wrote_them_sees_the_private_notes(cast, login):
    session = logged_session(cast)
    assert NOTES in login(cast.mentor).get(session.get_absolute_url()).content.decode()


def test_supervisors_see_private_notes_and_coordinators_do_not(cast, login):
    session = logged_session(cast)
    client = login(cast.supervisor)
    assert NOTES in client.get(session.get_absolute_url()).content.decode()
    client.force_login(cast.coordinator)
    body = client.get(session.get_absolute_url()).content.decode()
    assert SUMMARY in body and "Talk with my supervisor" in body
    assert NOTES not in body


@pytest.mark.parametrize("persona", ["mentor2", "mentee2", "case_manager", "outsider"])
def test_others_get_404_for_every_page_of_the_session(cast, login, persona):
    session = logged_session(cast)
    waiting = due(cast, starts_at=ago(hours=5))
    client = login(getattr(cast, persona))
    for address in (
        session.get_absolute_url(),
        url("session_log", waiting.pk),
        url("session_edit", waiting.pk),
        url("session_schedule", cast.match.pk),
        url("session_log_new", cast.match.pk),
    ):
        response = client.get(address)
        assert response.status_code == 404, address
        assert MARKERS["mentee"] not in response.content.decode()
    assert client.post(url("session_cancel", upcoming(cast).pk), {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("persona", ["mentor2", "mentee2"])
def test_the_list_shows_only_ones_own_sessions(cast, login, persona):
    logged_session(cast)
    MentoringSessionFactory(match=cast.match2)
    body = login(getattr(cast, persona)).get(LIST).content.decode()
    assert MARKERS["mentee"] not in body and "Mentor One" not in body
    assert "1 session" in body


def test_the_case_manager_has_no_session_list(cast, login):
    logged_session(cast)
    assert login(cast.case_manager).get(LIST).status_code == 404


def test_staff_list_their_programs_sessions_by_filter(cast, login):
    logged_session(cast)
    waiting = due(cast, starts_at=ago(days=2))
    coming = upcoming(cast)
    client = login(cast.coordinator)
    assert list(client.get(LIST, {"show": "to_log"}).context["sessions"]) == [waiting]
    assert list(client.get(LIST, {"show": "upcoming"}).context["sessions"]) == [coming]
    assert len(client.get(LIST, {"show": "past"}).context["sessions"]) == 1
    assert len(client.get(LIST).context["sessions"]) == 3
    client.force_login(cast.outsider)
    assert list(client.get(LIST).context["sessions"]) == []


def test_opening_a_session_is_audited(cast, login):
    session = logged_session(cast)
    login(cast.supervisor).get(session.get_absolute_url())
    entry = LogEntry.objects.get_for_object(session).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == cast.supervisor


# --- The mentor's home ---------------------------------------------------------------------


def test_the_mentors_home_shows_upcoming_sessions_and_those_to_log(cast, login):
    waiting = due(cast, place="WAITING-PLACE")
    soon = upcoming(cast)
    MentoringSessionFactory(match=cast.match, scheduled=True, starts_at=ahead(days=30))
    response = login(cast.mentor).get(reverse("home"))
    panel = next(
        p
        for p in response.context["panels"]
        if p["template"] == "sessions/partials/home_mentor_sessions.html"
    )
    assert panel["to_log"] == [waiting] and panel["upcoming"] == [soon]
    body = response.content.decode()
    assert url("session_log", waiting.pk) in body and soon.get_absolute_url() in body
    assert url("session_schedule", cast.match.pk) in body
    assert url("session_log_new", cast.match.pk) in body


def test_staff_get_no_session_panel(cast, login):
    response = login(cast.supervisor).get(reverse("home"))
    templates = {p["template"] for p in response.context["panels"]}
    assert "sessions/partials/home_mentor_sessions.html" not in templates
