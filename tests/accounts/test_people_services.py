import datetime

import pytest

from accounts import services
from accounts.models import Consent, MenteeProfile

pytestmark = pytest.mark.django_db


def test_register_mentee_creates_account_profile_role_and_consents(cast):
    mentee = services.register_mentee(
        actor=cast.coordinator,
        program=cast.program,
        person={"display_name": "Rosa Diaz", "email": "rosa@example.org"},
        profile={"case_manager": cast.case_manager},
        consents=[Consent.Kind.PARTICIPATION, Consent.Kind.SHARE_WITH_CASE_MANAGER],
    )
    assert mentee.status == MenteeProfile.Status.REFERRED
    assert mentee.user.has_role("mentee")
    assert set(mentee.consents.values_list("kind", flat=True)) == {
        "participation",
        "share_case_manager",
    }


def test_second_mentee_profile_in_same_program_is_refused(cast):
    with pytest.raises(services.DomainError, match="already a mentee"):
        services.register_mentee(
            actor=cast.coordinator,
            program=cast.program,
            person={"display_name": "Again", "email": cast.mentee.email},
        )


def test_outsider_cannot_register_in_another_program(cast):
    with pytest.raises(services.DomainError):
        services.register_mentee(
            actor=cast.outsider, program=cast.program, person={"display_name": "X"}
        )


def test_impossible_birth_date_is_refused_and_nothing_is_saved(cast):
    toddler = datetime.date.today() - datetime.timedelta(days=3 * 365)
    with pytest.raises(services.DomainError, match="at least 14"):
        services.register_mentee(
            actor=cast.coordinator,
            program=cast.program,
            person={"display_name": "Too Young", "email": "young@example.org"},
            profile={"birth_date": toddler},
        )
    assert not MenteeProfile.objects.filter(user__email="young@example.org").exists()


def test_mentor_capacity_outside_one_to_ten_is_refused(cast):
    with pytest.raises(services.DomainError, match="less than or equal to 10"):
        services.create_mentor(
            actor=cast.coordinator,
            program=cast.program,
            person={"display_name": "Busy", "email": "busy@example.org"},
            profile={"capacity": 11},
        )
