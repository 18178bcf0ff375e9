"""The coordinator board and the matching panels of the home page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from matching import services
from matching.models import Match, SupportContact
from tests import factories as f

pytestmark = pytest.mark.django_db

BOARD = reverse("matching:board")
HOME = reverse("home")


def propose(cast, mentee=None, mentor=None) -> Match:
    return services.propose_match(
        actor=cast.coordinator,
        mentee=mentee or f.MenteeProfileFactory(program=cast.program),
        mentor=mentor or f.MentorProfileFactory(program=cast.program),
    )


def fill(cast, n: int) -> None:
    """``n`` of everything the board lists: waiting mentees, proposals, approved matches, and
    active matches with check-ins (some overdue)."""
    long_ago = timezone.localdate() - datetime.timedelta(days=60)
    for i in range(n):
        f.MenteeProfileFactory(program=cast.program)
        propose(cast)
        services.approve_match(actor=cast.supervisor, match=propose(cast))
        match = f.MatchFactory(
            mentee=f.MenteeProfileFactory(program=cast.program, status="matched"),
            started_on=long_ago,
            proposed_by=cast.coordinator,
        )
        SupportContact.objects.create(
            match=match,
            contact_date=long_ago + datetime.timedelta(days=i % 40),
            with_whom="both",
            method="phone",
            relationship_health=4,
            recorded_by=cast.coordinator,
        )


def queries(client, url: str) -> int:
    # A first request records the person's activity (written once a minute), so the count
    # below is the page's own, however long building the data took.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# --- The board -------------------------------------------------------------------------


def test_the_board_shows_every_stage(cast, login):
    waiting = f.MenteeProfileFactory(program=cast.program, user__display_name="Wanda Waiting")
    proposed = propose(
        cast, mentee=f.MenteeProfileFactory(program=cast.program, user__display_name="Pat Proposed")
    )
    approved = services.approve_match(
        actor=cast.supervisor,
        match=propose(
            cast,
            mentee=f.MenteeProfileFactory(program=cast.program, user__display_name="Abe Approved"),
        ),
    )
    Match.objects.filter(pk=cast.match.pk).update(
        started_on=timezone.localdate() - datetime.timedelta(days=20)
    )

    page = login(cast.coordinator).get(BOARD).text

    assert "Wanda Waiting" in page and f"{waiting.days_waiting}</td>" in page
    assert "Pat Proposed" in page and proposed.get_absolute_url() in page
    assert "Abe Approved" in page and approved.get_absolute_url() in page
    assert cast.match.get_absolute_url() in page
    assert "Overdue" in page  # the cast's match is 20 days old with no check-in
    assert "Check-ins overdue (1)" in page


def test_a_mentee_with_an_open_proposal_is_not_listed_as_waiting(cast, login):
    mentee = f.MenteeProfileFactory(program=cast.program, user__display_name="Pat Proposed")
    propose(cast, mentee=mentee)

    page = login(cast.coordinator).get(BOARD).text

    assert "Waiting for a mentor (0)" in page


def test_the_board_filters_by_program(cast, login):
    other = f.ProgramFactory(name="Program C")
    f.MembershipFactory(user=cast.coordinator, program=other, role="coordinator")
    f.MenteeProfileFactory(program=other, user__display_name="Carla Elsewhere")

    client = login(cast.coordinator)
    assert "Carla Elsewhere" in client.get(BOARD).text
    assert "Carla Elsewhere" not in client.get(BOARD, {"program": cast.program.pk}).text


def test_another_programs_coordinator_sees_none_of_it(cast, login):
    page = login(cast.outsider).get(BOARD).text
    assert cast.match.get_absolute_url() not in page


def test_the_board_runs_the_same_number_of_queries_for_1_and_30_matches(cast, login):
    client = login(cast.coordinator)
    fill(cast, 1)
    few = queries(client, BOARD)

    fill(cast, 29)
    many = queries(client, BOARD)

    assert Match.objects.filter(status="active").count() > 30
    assert many == few


def test_the_match_list_runs_the_same_number_of_queries_for_1_and_30_matches(cast, login):
    client = login(cast.coordinator)
    fill(cast, 1)
    few = queries(client, reverse("matching:match_list"))

    fill(cast, 29)

    assert queries(client, reverse("matching:match_list")) == few


# --- Home panels -----------------------------------------------------------------------


def test_the_coordinators_home_panel_runs_the_same_number_of_queries(cast, login):
    client = login(cast.coordinator)
    fill(cast, 1)
    few = queries(client, HOME)

    fill(cast, 29)

    assert queries(client, HOME) == few


def test_the_supervisor_sees_the_proposals_awaiting_approval(cast, login):
    match = propose(cast)

    page = login(cast.supervisor).get(HOME).text

    assert "Matches waiting for your approval (1)" in page
    assert match.get_absolute_url() in page


def test_the_coordinator_sees_their_proposals_until_started(cast, login):
    match = propose(cast)
    client = login(cast.coordinator)

    assert match.get_absolute_url() in client.get(HOME).text
    services.approve_match(actor=cast.supervisor, match=match)
    assert "awaiting the introduction" in client.get(HOME).text
    services.start_match(
        actor=cast.coordinator,
        match=match,
        introduced_on=timezone.localdate(),
        both_agreed=True,
    )
    assert "My proposals not started yet (0)" in client.get(HOME).text


def test_the_mentor_sees_their_matches_with_the_start_date(cast, login):
    page = login(cast.mentor).get(HOME).text

    assert "My matches" in page
    assert cast.match.get_absolute_url() in page
    assert cast.match2.get_absolute_url() not in page


def test_the_mentee_sees_their_mentors_name_and_start_date(cast, login):
    started = timezone.localdate() - datetime.timedelta(days=9)
    Match.objects.filter(pk=cast.match.pk).update(started_on=started)

    page = login(cast.mentee).get(HOME).text

    assert "My mentor" in page
    assert "Mentor One" in page
    assert "Mentor Two" not in page
    assert f"Together since {date_format(started, 'DATE_FORMAT')}." in page


def test_approved_then_started_the_match_appears_on_the_mentors_home(cast, login, client):
    mentee = f.MenteeProfileFactory(program=cast.program, user__display_name="Nina New")
    match = propose(cast, mentee=mentee, mentor=cast.mentor_profile)
    assert "Nina New" not in login(cast.mentor).get(HOME).text

    login(cast.supervisor).post(
        reverse("matching:match_approve", args=[match.pk]), {"expected_status": "proposed"}
    )
    login(cast.coordinator).post(
        reverse("matching:match_start", args=[match.pk]),
        {
            "expected_status": "approved",
            "introduced_on": timezone.localdate().isoformat(),
            "both_agreed": "on",
        },
    )

    match.refresh_from_db()
    assert match.status == "active"
    page = login(cast.mentor).get(HOME).text
    assert "Nina New" in page
    assert match.get_absolute_url() in page
