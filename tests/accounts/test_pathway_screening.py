"""Screening steps and the status pipeline, through the services and the mentor's page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import MentorProfile
from accounts.pathway import services
from accounts.pathway.models import PathwaySettings, ScreeningStep, StatusChange
from accounts.services.errors import DomainError
from tests.accounts.pathway_factories import applicant, days_ago, pass_screening

pytestmark = pytest.mark.django_db


def url(name, mentor):
    return reverse(f"accounts:pathway_{name}", args=[mentor.pk])


def test_a_screening_step_records_status_date_and_who(cast):
    mentor = applicant(cast.program)
    step = services.record_screening_step(
        actor=cast.coordinator,
        mentor=mentor,
        kind="reference_1",
        status="passed",
        completed_on=days_ago(2),
    )
    assert (step.status, step.completed_on, step.recorded_by) == (
        "passed",
        days_ago(2),
        cast.coordinator,
    )


def test_recording_a_step_again_corrects_it_instead_of_adding_one(cast):
    mentor = applicant(cast.program)
    for status in ("not_passed", "passed"):
        services.record_screening_step(
            actor=cast.coordinator,
            mentor=mentor,
            kind="interview",
            status=status,
            completed_on=days_ago(1),
        )
    assert list(mentor.screening_steps.values_list("status", flat=True)) == ["passed"]


def test_a_completed_step_cannot_be_dated_in_the_future(cast):
    mentor = applicant(cast.program)
    with pytest.raises(DomainError, match="future"):
        services.record_screening_step(
            actor=cast.coordinator,
            mentor=mentor,
            kind="agreement",
            status="passed",
            completed_on=timezone.localdate() + datetime.timedelta(days=1),
        )


def test_a_done_step_needs_a_date(cast):
    with pytest.raises(DomainError, match="date"):
        services.record_screening_step(
            actor=cast.coordinator,
            mentor=applicant(cast.program),
            kind="agreement",
            status="passed",
        )


def test_the_background_check_keeps_no_notes(cast):
    step = services.record_screening_step(
        actor=cast.coordinator,
        mentor=applicant(cast.program),
        kind="background_check",
        status="passed",
        completed_on=days_ago(1),
        note="details of the report",
    )
    assert step.note == ""


def test_staff_of_another_program_cannot_record_steps(cast):
    with pytest.raises(DomainError):
        services.record_screening_step(
            actor=cast.outsider,
            mentor=applicant(cast.program),
            kind="interview",
            status="passed",
            completed_on=days_ago(1),
        )


def test_the_status_moves_along_the_pipeline_with_a_history(cast):
    mentor = applicant(cast.program)
    services.change_mentor_status(actor=cast.coordinator, mentor=mentor, to_status="screening")
    pass_screening(mentor, cast.coordinator)
    for status in ("in_training", "active"):
        mentor = services.change_mentor_status(
            actor=cast.coordinator, mentor=mentor, to_status=status
        )
    services.change_mentor_status(
        actor=cast.supervisor, mentor=mentor, to_status="on_hold", reason="Moving house"
    )
    history = list(
        StatusChange.objects.filter(mentor=mentor)
        .order_by("changed_at", "pk")
        .values_list("to_status", "reason")
    )
    assert history == [
        ("screening", ""),
        ("in_training", ""),
        ("active", ""),
        ("on_hold", "Moving house"),
    ]


def test_training_and_activation_need_every_screening_step_passed(cast):
    mentor = applicant(cast.program)
    services.change_mentor_status(actor=cast.coordinator, mentor=mentor, to_status="screening")
    with pytest.raises(DomainError, match="screening step"):
        services.change_mentor_status(
            actor=cast.coordinator, mentor=mentor, to_status="in_training"
        )


def test_on_hold_and_inactive_need_a_reason(cast):
    with pytest.raises(DomainError, match="reason"):
        services.change_mentor_status(
            actor=cast.coordinator, mentor=cast.mentor_profile, to_status="inactive"
        )


def test_a_status_cannot_skip_the_pipeline(cast):
    with pytest.raises(DomainError, match="cannot move"):
        services.change_mentor_status(
            actor=cast.coordinator, mentor=applicant(cast.program), to_status="active"
        )


# --- Pages ---------------------------------------------------------------------------------


def test_staff_record_a_step_on_the_mentor_page(login, cast):
    mentor = applicant(cast.program)
    response = login(cast.coordinator).post(
        url("screening", mentor),
        {"kind": "interview", "status": "passed", "completed_on": days_ago(1).isoformat()},
    )
    assert response.status_code == 302
    page = login(cast.coordinator).get(url("mentor", mentor)).content.decode()
    assert "Coordinator" in page and "Done" in page


def test_a_future_date_on_the_page_is_shown_next_to_the_field_and_kept(login, cast):
    mentor = applicant(cast.program)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = login(cast.coordinator).post(
        url("screening", mentor), {"kind": "interview", "status": "passed", "completed_on": future}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "cannot be in the future" in body and f'value="{future}"' in body
    assert not ScreeningStep.objects.filter(mentor=mentor).exists()


def test_a_refused_status_change_says_why_and_changes_nothing(login, cast):
    response = login(cast.coordinator).post(
        url("status", cast.mentor_profile), {"to_status": "inactive", "reason": ""}
    )
    assert response.status_code == 400
    assert "Please give the reason." in response.content.decode()
    cast.mentor_profile.refresh_from_db()
    assert cast.mentor_profile.status == MentorProfile.Status.ACTIVE


def test_a_mentor_cannot_record_their_own_screening(login, cast):
    response = login(cast.mentor).post(
        url("screening", cast.mentor_profile),
        {"kind": "interview", "status": "passed", "completed_on": days_ago(1).isoformat()},
    )
    assert response.status_code == 404


def test_the_interview_step_links_to_the_matching_checklist(login, cast):
    page = login(cast.coordinator).get(url("mentor", applicant(cast.program))).content.decode()
    assert "/interview/" in page


# --- The program's own screening steps ---------------------------------------------------


def settings_url(cast):
    return reverse("accounts:pathway_settings", args=[cast.program.pk])


def only_interview_and_agreement(cast):
    return services.update_pathway_settings(
        actor=cast.supervisor, program=cast.program, screening_steps=["interview", "agreement"]
    )


def test_a_program_screens_with_all_six_steps_by_default(cast):
    settings = services.set_up_pathway(program=cast.program)
    assert settings.screening_steps == ScreeningStep.Kind.values


def test_screening_is_complete_once_the_programs_own_steps_are_passed(cast):
    only_interview_and_agreement(cast)
    mentor = applicant(cast.program)
    for kind in ("interview", "agreement"):
        services.record_screening_step(
            actor=cast.coordinator,
            mentor=mentor,
            kind=kind,
            status="passed",
            completed_on=days_ago(1),
        )
    assert services.screening_complete(mentor)


def test_a_step_the_program_does_not_use_cannot_be_recorded(cast):
    only_interview_and_agreement(cast)
    with pytest.raises(DomainError, match="this program's screening steps"):
        services.record_screening_step(
            actor=cast.coordinator,
            mentor=applicant(cast.program),
            kind="background_check",
            status="passed",
            completed_on=days_ago(1),
        )


def test_a_coordinator_cannot_change_the_pathway_settings(cast):
    with pytest.raises(DomainError, match="supervisors"):
        services.update_pathway_settings(
            actor=cast.coordinator, program=cast.program, screening_steps=["interview"]
        )


def test_the_mentor_page_lists_only_the_programs_steps(cast, login):
    only_interview_and_agreement(cast)
    page = login(cast.coordinator).get(url("mentor", applicant(cast.program)))
    assert [value for value, _label, _step in page.context["steps"]] == ["interview", "agreement"]
    assert "Background check" not in page.content.decode()


def test_a_supervisor_chooses_the_screening_steps_on_the_settings_page(cast, login):
    client = login(cast.supervisor)
    form = client.get(settings_url(cast)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["screening_steps"] = ["agreement", "interview", "reference_1"]
    response = client.post(settings_url(cast), data)
    assert response.status_code == 302
    settings = PathwaySettings.objects.get(program=cast.program)
    assert settings.screening_steps == [
        "interview",
        "reference_1",
        "agreement",
    ]


def test_the_settings_page_refuses_no_steps_and_keeps_what_was_typed(cast, login):
    client = login(cast.supervisor)
    response = client.post(
        settings_url(cast),
        {"training_hours_before_first_match": "3.5", "certification_valid_days": "10"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Choose at least one screening step." in errors["screening_steps"]
    assert "certification_valid_days" in errors
    assert 'value="3.5"' in response.content.decode()
    assert not PathwaySettings.objects.filter(program=cast.program).exists()


def test_the_settings_page_is_not_found_for_a_coordinator(cast, login):
    assert login(cast.coordinator).get(settings_url(cast)).status_code == 404
