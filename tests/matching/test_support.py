"""Match support: check-ins and the cadence that makes them due.

Default cadence: check-ins with the mentor and with the mentee due by day 15 and day 30 of
the match, then one every 30 days after the last; overdue once the due day has passed.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from accounts.services import DomainError
from matching import selectors, services
from matching.models import Match, MatchingSettings, SupportContact
from matching.services.support import Cadence, next_contact_due

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 3, 2)


def day(n: int) -> datetime.date:
    return START + datetime.timedelta(days=n)


@pytest.fixture
def started(cast, time_machine):
    """The cast's match, started on START; the clock at noon on START."""
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC), tick=False)
    Match.objects.filter(pk=cast.match.pk).update(started_on=START)
    cast.match.refresh_from_db()
    return cast.match


def on(time_machine, n: int) -> None:
    time_machine.move_to(datetime.datetime.combine(day(n), datetime.time(12), datetime.UTC))


def check_in(cast, n: int, with_whom: str = "both", **kwargs) -> SupportContact:
    kwargs.setdefault("method", "phone")
    kwargs.setdefault("relationship_health", 4)
    return services.log_support_contact(
        actor=cast.coordinator, match=cast.match, contact_date=day(n), with_whom=with_whom, **kwargs
    )


def schedule(match: Match):
    """The match's schedule as the board computes it (annotations, one query)."""
    row = selectors.with_support_facts(Match.objects.filter(pk=match.pk)).get()
    return selectors.support_schedule(row)


# --- The cadence rule ------------------------------------------------------------------


def test_by_default_check_ins_are_due_by_day_15_and_day_30_then_monthly():
    cadence = Cadence()

    def due(count, last):
        return next_contact_due(
            started_on=START, first_month_contacts=count, last_contact=last, cadence=cadence
        )

    assert due(0, None) == day(15)
    assert due(1, day(10)) == day(30)
    assert due(2, day(28)) == day(58)
    assert due(0, day(40)) == day(70)


def test_a_late_first_month_check_in_moves_the_schedule_on():
    cadence = Cadence(first_month=4, interval_days=14)
    assert cadence.first_month_due_days() == [7, 15, 22, 30]
    # One check-in on day 20: the next scheduled day after it, not day 15 in the past.
    assert next_contact_due(
        started_on=START, first_month_contacts=1, last_contact=day(20), cadence=cadence
    ) == day(22)


# --- Overdue, over time ------------------------------------------------------------------


def test_a_new_match_is_due_on_day_15_and_overdue_the_day_after(cast, started, time_machine):
    on(time_machine, 15)
    assert not schedule(started).is_overdue
    assert schedule(started).next_due == day(15)

    on(time_machine, 16)
    assert schedule(started).overdue_with == ["mentor", "mentee"]
    assert schedule(started).days_overdue == 1


def test_the_default_cadence_over_the_first_months(cast, started, time_machine):
    on(time_machine, 14)
    check_in(cast, 14)
    on(time_machine, 30)
    assert not schedule(started).is_overdue
    on(time_machine, 31)
    assert schedule(started).is_overdue

    check_in(cast, 31)
    assert schedule(started).next_due == day(61)
    on(time_machine, 61)
    assert not schedule(started).is_overdue
    on(time_machine, 62)
    assert schedule(started).is_overdue


def test_a_check_in_with_the_mentor_only_leaves_the_mentee_overdue(cast, started, time_machine):
    on(time_machine, 16)
    check_in(cast, 16, "mentor")

    assert schedule(started).overdue_with == ["mentee"]
    assert schedule(started).due["mentor"] == day(30)


def test_the_program_sets_its_own_cadence(cast, started, time_machine):
    MatchingSettings.objects.filter(program=cast.program).update(
        contacts_first_month=1, contact_interval_days=14
    )
    on(time_machine, 29)
    check_in(cast, 29)

    assert schedule(started).next_due == day(43)


def test_a_paused_match_is_not_overdue(cast, started, time_machine):
    on(time_machine, 40)
    services.pause_match(actor=cast.coordinator, match=started, reason="In hospital")

    assert not schedule(started).is_overdue
    assert selectors.overdue_matches(Match.objects.all()) == []


def test_the_board_and_the_match_page_agree(cast, started, time_machine):
    on(time_machine, 50)
    check_in(cast, 3, "mentee")
    check_in(cast, 20, "both")
    check_in(cast, 44, "mentor")
    contacts = list(started.support_contacts.all())

    from_rows = services.support.schedule_for(
        started,
        facts=services.support.facts_from_contacts(started, contacts),
        last_contact=day(44),
        cadence=Cadence(),
    )

    assert from_rows.due == schedule(started).due
    assert from_rows.due == {"mentor": day(74), "mentee": day(50)}


def test_overdue_matches_are_listed_most_overdue_first(cast, started, time_machine):
    Match.objects.filter(pk=cast.match2.pk).update(started_on=day(5))
    on(time_machine, 40)

    overdue = selectors.overdue_matches(Match.objects.all())

    assert [m.pk for m in overdue] == [cast.match.pk, cast.match2.pk]


# --- Logging a check-in --------------------------------------------------------------------


def test_a_coordinator_logs_a_check_in(cast, started, time_machine):
    on(time_machine, 10)
    contact = check_in(cast, 9, "mentee", concerns="  Missed a meeting ", follow_up_needed=True)

    assert (contact.recorded_by, contact.concerns, contact.follow_up_needed) == (
        cast.coordinator,
        "Missed a meeting",
        True,
    )


@pytest.mark.parametrize("persona", ["supervisor", "mentor", "outsider"])
def test_only_the_programs_coordinators_log_check_ins(cast, started, persona):
    with pytest.raises(DomainError, match="Only a coordinator"):
        services.log_support_contact(
            actor=getattr(cast, persona),
            match=started,
            contact_date=START,
            with_whom="both",
            method="phone",
            relationship_health=4,
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contact_date": day(1)}, "contact_date"),
        ({"contact_date": day(-1)}, "contact_date"),
        ({"relationship_health": 6}, "relationship_health"),
        ({"with_whom": "family"}, "with_whom"),
        ({"method": "pigeon"}, "method"),
    ],
    ids=["future", "before-start", "health", "with-whom", "method"],
)
def test_bad_check_ins_are_refused_with_the_field(cast, started, changes, field):
    data = {
        "contact_date": START,
        "with_whom": "both",
        "method": "phone",
        "relationship_health": 4,
        **changes,
    }
    with pytest.raises(DomainError) as refused:
        services.log_support_contact(actor=cast.coordinator, match=started, **data)
    assert refused.value.field == field
    assert not SupportContact.objects.exists()


def test_a_closed_match_takes_no_check_ins(cast, started):
    services.close_match(actor=cast.coordinator, match=started, reason="goals_met", notes="Done")
    with pytest.raises(DomainError, match="active or paused"):
        check_in(cast, 0)


def test_a_struggling_relationship_is_brought_to_the_supervisors(cast, started):
    contact = check_in(cast, 0, relationship_health=2, concerns="Arguing")

    rows = Notification.objects.filter(kind="match_support_concern")
    assert set(rows.values_list("recipient__email", flat=True)) == {"supervisor@example.org"}
    assert rows.first().subject == started
    assert contact.relationship_health == 2


def test_a_good_check_in_tells_nobody(cast, started):
    check_in(cast, 0, relationship_health=4)
    assert not Notification.objects.filter(kind="match_support_concern").exists()


# --- The pages -----------------------------------------------------------------------------


def new_url(match: Match) -> str:
    return reverse("matching:support_contact_new", args=[match.pk])


def test_the_check_in_form_saves_and_returns_to_the_match(cast, login):
    response = login(cast.coordinator).post(
        new_url(cast.match),
        {
            "contact_date": timezone.localdate().isoformat(),
            "with_whom": "mentor",
            "method": "video",
            "relationship_health": "5",
            "concerns": "",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == cast.match.get_absolute_url()
    assert cast.match.support_contacts.get().method == "video"


def test_a_bad_check_in_keeps_what_was_typed(cast, login):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(cast.coordinator).post(
        new_url(cast.match),
        {
            "contact_date": tomorrow.isoformat(),
            "with_whom": "mentor",
            "method": "video",
            "relationship_health": "2",
            "concerns": "TYPED-CONCERN",
        },
    )

    assert response.status_code == 200
    assert "cannot be in the future" in response.text
    assert "TYPED-CONCERN" in response.text
    assert not SupportContact.objects.exists()


def test_a_supervisor_cannot_open_the_check_in_form(cast, login):
    assert login(cast.supervisor).get(new_url(cast.match)).status_code == 404


def test_an_overdue_check_in_shows_on_the_match_and_the_coordinators_home(
    cast, started, login, time_machine
):
    on(time_machine, 20)
    client = login(cast.coordinator)

    page = client.get(started.get_absolute_url()).text
    home = client.get(reverse("home")).text

    assert "Overdue" in page
    # The other cast match started today (after START): not due yet.
    assert "Check-ins overdue (1)" in home
    assert started.get_absolute_url() in home


@pytest.mark.parametrize(
    "days", [[29], [30], [29, 30], [0, 29, 31]], ids=["day29", "day30", "both", "three"]
)
def test_the_first_month_ends_after_day_29_in_sql_as_in_python(cast, started, time_machine, days):
    on(time_machine, 45)
    for n in days:
        check_in(cast, n, "mentor")
    contacts = list(started.support_contacts.all())

    in_python = services.support.facts_from_contacts(started, contacts)["mentor"]
    row = selectors.with_support_facts(Match.objects.filter(pk=started.pk)).get()

    assert (row.mentor_first_month_contacts, row.mentor_last_contact) == in_python
    assert in_python[0] == sum(1 for n in days if n < 30)
