"""The coordinator's whole matching journey, through the pages a person uses: interview a
referred mentee, read the suggestions and their reasons, propose; the supervisor approves;
the coordinator starts the match; the mentor sees it on their home."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Language, LifeGoalArea, MenteeProfile
from matching.models import Match
from tests import factories as f
from tests.conftest import SignedInClient
from tests.matching.test_interviews import valid_post

pytestmark = pytest.mark.django_db


def as_person(user) -> SignedInClient:
    """Each person in their own browser: messages meant for one never reach another."""
    client = SignedInClient()
    client.force_login(user)
    return client


def test_interview_suggest_propose_approve_start_reaches_the_mentors_home(cast):
    spanish = Language.objects.get(slug="spanish")
    housing = LifeGoalArea.objects.get(slug="housing")
    cast.mentor_profile.languages.set([spanish])
    cast.mentor_profile.life_goals.set([housing])
    mentee = f.MenteeProfileFactory(
        program=cast.program,
        status=MenteeProfile.Status.REFERRED,
        waiting_since=None,
        user__display_name="Rosa Referred",
    )

    coordinator = as_person(cast.coordinator)
    response = coordinator.post(
        reverse("matching:interview_mentee", args=[mentee.pk]), valid_post(cast, mentee)
    )
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.status == MenteeProfile.Status.WAITING

    page = coordinator.get(reverse("matching:suggestions", args=[mentee.pk])).text
    assert "Mentor One" in page
    assert "Both speak Spanish" in page
    assert "Both working on housing" in page

    response = coordinator.post(
        reverse("matching:propose", args=[mentee.pk]), {"mentor": cast.mentor_profile.pk}
    )
    match = Match.objects.get(mentee=mentee)
    assert response["Location"] == match.get_absolute_url()
    assert match.status == Match.Status.PROPOSED
    assert "Rosa Referred" not in as_person(cast.mentor).get(reverse("home")).text

    as_person(cast.supervisor).post(
        reverse("matching:match_approve", args=[match.pk]), {"expected_status": "proposed"}
    )
    coordinator.post(
        reverse("matching:match_start", args=[match.pk]),
        {
            "expected_status": "approved",
            "introduced_on": timezone.localdate().isoformat(),
            "both_agreed": "on",
        },
    )
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE
    assert [e.to_status for e in match.events.all()] == ["proposed", "approved", "active"]
    assert "Rosa Referred" in as_person(cast.mentor).get(reverse("home")).text
