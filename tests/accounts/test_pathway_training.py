"""Training modules, sessions and hours, role-play ratings, certification, the one
"trained" definition, the mentor's page and the certificate."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.pathway import pdf, selectors, services
from accounts.pathway.models import CompetencyRating, TrainingModule
from accounts.services.errors import DomainError
from tests import factories as f
from tests.accounts.pathway_factories import (
    attend,
    certify,
    complete_required_training,
    days_ago,
)

pytestmark = pytest.mark.django_db


def module(program, name):
    services.set_up_pathway(program=program)
    return TrainingModule.objects.get(program=program, name=name)


def test_setting_up_a_program_gives_it_the_described_modules_once(cast):
    services.set_up_pathway(program=cast.program)
    names = set(cast.program.training_modules.values_list("name", flat=True))
    assert {
        "Communication skills",
        "Empathy",
        "Active listening",
        "Establishing trust",
        "Relapse prevention",
        "Coping strategies",
        "Orientation",
        "Boundaries and confidentiality",
        "Crisis response",
    } == names
    required = cast.program.training_modules.filter(required_before_matching=True)
    assert sum(m.hours for m in required) == Decimal("2")
    services.set_up_pathway(program=cast.program)
    assert cast.program.training_modules.count() == 9


def test_reading_the_settings_of_a_program_not_set_up_writes_nothing(cast):
    settings = selectors.pathway_settings(cast.program)
    assert settings.pk is None and settings.certification_valid_days == 365
    assert not TrainingModule.objects.exists()


def test_staff_set_up_the_pathway_on_the_program_page(login, cast):
    client = login(cast.coordinator)
    page = client.get(reverse("accounts:pathway_program", args=[cast.program.pk]))
    assert "Set up with the default modules" in page.content.decode()
    client.post(reverse("accounts:pathway_set_up", args=[cast.program.pk]))
    assert cast.program.training_modules.count() == 9


def test_a_training_session_credits_every_attendee(cast):
    services.record_training_session(
        actor=cast.coordinator,
        module=module(cast.program, "Empathy"),
        held_on=days_ago(1),
        hours="1.5",
        attendees=[cast.mentor_profile, cast.mentor2_profile],
    )
    record = selectors.training_record(cast.mentor2_profile)
    assert record.total_hours == Decimal("1.5")
    assert [m.module.name for m in record.modules_done] == ["Empathy"]


@pytest.mark.parametrize("hours", ["0", "-1", "12.5"])
def test_training_hours_must_be_positive_and_at_most_twelve(cast, hours):
    with pytest.raises(DomainError, match="hours|12"):
        services.record_training_session(
            actor=cast.coordinator,
            module=module(cast.program, "Empathy"),
            held_on=days_ago(1),
            hours=hours,
            attendees=[cast.mentor_profile],
        )


def test_no_mentor_gets_more_than_twelve_hours_on_one_day(cast):
    empathy = module(cast.program, "Empathy")
    attend(cast.mentor_profile, empathy, held_on=days_ago(1), hours=Decimal("8"))
    with pytest.raises(DomainError, match="more than 12 hours"):
        services.record_training_session(
            actor=cast.coordinator,
            module=module(cast.program, "Crisis response"),
            held_on=days_ago(1),
            hours="5",
            attendees=[cast.mentor_profile],
        )


def test_a_training_session_cannot_be_in_the_future(cast):
    with pytest.raises(DomainError, match="future"):
        services.record_training_session(
            actor=cast.coordinator,
            module=module(cast.program, "Empathy"),
            held_on=timezone.localdate() + datetime.timedelta(days=1),
            hours="1",
            attendees=[cast.mentor_profile],
        )


def test_role_play_ratings_are_kept_per_competency_over_time(cast):
    for when, score in ((days_ago(60), 2), (days_ago(5), 4)):
        services.record_role_play(
            actor=cast.coordinator,
            mentor=cast.mentor_profile,
            assessed_on=when,
            ratings={"relationship_building": (score, "Warm and clear")},
        )
    history = selectors.competency_history(cast.mentor_profile)
    assert [r.score for r in history["relationship_building"]] == [2, 4]


def test_a_rating_outside_one_to_four_is_refused(cast):
    with pytest.raises(DomainError, match="1 to 4"):
        services.record_role_play(
            actor=cast.coordinator,
            mentor=cast.mentor_profile,
            assessed_on=days_ago(1),
            ratings={"cultural_competence": (5, "")},
        )
    assert not CompetencyRating.objects.exists()


def test_certification_needs_the_required_training_first(cast):
    mentor = f.MentorProfileFactory(program=cast.program, status="in_training")
    with pytest.raises(DomainError, match="Orientation"):
        services.issue_certification(actor=cast.coordinator, mentor=mentor)
    complete_required_training(mentor)
    cert = services.issue_certification(actor=cast.coordinator, mentor=mentor)
    assert cert.expires_on == cert.issued_on + datetime.timedelta(days=365)


def test_certifying_twice_on_one_day_keeps_one_certification(cast):
    mentor = f.MentorProfileFactory(program=cast.program, status="in_training", certified=False)
    complete_required_training(mentor)
    services.issue_certification(actor=cast.coordinator, mentor=mentor)
    services.issue_certification(actor=cast.coordinator, mentor=mentor)
    assert mentor.certifications.count() == 1


def test_trained_means_required_modules_done_and_a_current_certification(cast):
    mentor = f.MentorProfileFactory(program=cast.program, certified=False)
    complete_required_training(mentor)
    assert "no current certification" in selectors.untrained_reasons([mentor])[mentor.pk]
    certify(mentor)
    assert selectors.is_trained(mentor)


def test_a_mentor_missing_a_required_module_is_not_trained(cast):
    mentor = f.MentorProfileFactory(program=cast.program)
    services.set_up_pathway(program=cast.program)
    assert "Orientation" in selectors.untrained_reasons([mentor])[mentor.pk]


def test_an_expired_certification_makes_the_mentor_untrained(cast):
    mentor = f.MentorProfileFactory(program=cast.program, certified=False)
    certify(mentor, issued_on=days_ago(400))
    assert not selectors.is_trained(mentor)


# --- Pages ---------------------------------------------------------------------------------


def test_the_mentor_sees_hours_modules_ratings_and_what_is_still_required(login, cast):
    mentor = cast.mentor_profile
    attend(mentor, module(cast.program, "Orientation"))
    services.record_role_play(
        actor=cast.coordinator,
        mentor=mentor,
        assessed_on=days_ago(3),
        ratings={"resource_navigation": (3, "Knows the directory well")},
    )
    page = login(cast.mentor).get(reverse("accounts:pathway_mentor", args=[mentor.pk]))
    body = page.content.decode()
    assert "1.0 hours of training" in body
    assert "Still required before matching:" in body and "Boundaries and confidentiality" in body
    assert "Knows the directory well" in body


def test_staff_record_a_training_session_on_the_page(login, cast):
    empathy = module(cast.program, "Empathy")
    response = login(cast.supervisor).post(
        reverse("accounts:pathway_training_create", args=[cast.program.pk]),
        {
            "module": empathy.pk,
            "held_on": days_ago(1).isoformat(),
            "hours": "1.5",
            "attendees": [cast.mentor_profile.pk],
        },
    )
    assert response.status_code == 302
    assert selectors.training_record(cast.mentor_profile).total_hours == Decimal("1.5")


def test_too_many_hours_on_the_page_are_refused_and_kept(login, cast):
    empathy = module(cast.program, "Empathy")
    response = login(cast.coordinator).post(
        reverse("accounts:pathway_training_create", args=[cast.program.pk]),
        {
            "module": empathy.pk,
            "held_on": days_ago(1).isoformat(),
            "hours": "14",
            "attendees": [cast.mentor_profile.pk],
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "12" in body and 'value="14"' in body


def test_role_play_page_needs_at_least_one_rating(login, cast):
    response = login(cast.coordinator).post(
        reverse("accounts:pathway_role_play", args=[cast.mentor_profile.pk]),
        {"assessed_on": days_ago(1).isoformat(), "scenario": "A hard call"},
    )
    assert response.status_code == 200
    assert "Rate at least one competency." in response.content.decode()


def test_staff_certify_on_the_page(login, cast):
    mentor = f.MentorProfileFactory(program=cast.program, status="in_training")
    complete_required_training(mentor)
    response = login(cast.coordinator).post(
        reverse("accounts:pathway_certify", args=[mentor.pk]),
        {"issued_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert selectors.current_certification(mentor) is not None


def test_certifying_without_training_says_what_is_missing(login, cast):
    mentor = f.MentorProfileFactory(program=cast.program, status="in_training")
    response = login(cast.coordinator).post(
        reverse("accounts:pathway_certify", args=[mentor.pk]),
        {"issued_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "Required training is not complete yet" in response.content.decode()


def test_the_certificate_lists_modules_and_the_right_hours(cast):
    mentor = cast.mentor_profile
    attend(mentor, module(cast.program, "Orientation"), held_on=datetime.date(2026, 3, 2))
    attend(mentor, module(cast.program, "Crisis response"), held_on=datetime.date(2026, 3, 9))
    html = pdf.certificate_html(selectors.training_record(mentor))
    assert "Orientation" in html and "Crisis response" in html
    assert "3.0" in html  # 1 + 2 hours
    assert "Empathy" not in html


def test_the_mentor_downloads_the_certificate_as_a_pdf(login, cast):
    attend(cast.mentor_profile, module(cast.program, "Orientation"))
    response = login(cast.mentor).get(
        reverse("accounts:pathway_certificate", args=[cast.mentor_profile.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_employment_outcomes_are_recorded_with_dates(login, cast):
    response = login(cast.coordinator).post(
        reverse("accounts:pathway_employment", args=[cast.mentor_profile.pk]),
        {
            "kind": "waiver_provider",
            "employer": "Home Supports Inc.",
            "started_on": days_ago(30).isoformat(),
        },
    )
    assert response.status_code == 302
    outcome = cast.mentor_profile.employment_outcomes.get()
    assert (outcome.kind, outcome.started_on) == ("waiver_provider", days_ago(30))


def test_an_employment_end_before_its_start_is_refused(cast):
    with pytest.raises(DomainError, match="before the start"):
        services.record_employment_outcome(
            actor=cast.coordinator,
            mentor=cast.mentor_profile,
            kind="peer_support_job",
            started_on=days_ago(5),
            ended_on=days_ago(10),
        )
