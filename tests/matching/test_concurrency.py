"""A mentor never goes above capacity, even when two approvals land at the same moment.

Each thread has its own database connection and its own open transaction; a barrier lets
both reach the approval together. The services lock the mentor's row, so the second waits
for the first to commit and then sees the place taken; the PostgreSQL trigger holds the same
rule for writes that bypass the services.
"""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.services import DomainError
from matching import services
from matching.models import Match
from tests import factories as f

pytestmark = [
    # Real commits, so that each thread sees what the other committed. The rows the data
    # migrations wrote (content types, taxonomies) are restored after the flush; every
    # transactional test of the suite does the same, or the next one finds them missing or
    # duplicated.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def two_proposals(cast):
    """Two proposals for the mentor, who has one free place (capacity 2, one active match)."""
    return [
        services.propose_match(
            actor=cast.coordinator,
            mentee=f.MenteeProfileFactory(program=cast.program),
            mentor=cast.mentor_profile,
        )
        for _ in range(2)
    ]


def race(work, items) -> list:
    """Run ``work(item)`` for each item in its own thread, connection and transaction, all
    started together; return what each returned or raised."""
    barrier = threading.Barrier(len(items), timeout=30)
    outcomes = [None] * len(items)

    def run(n, item):
        try:
            with transaction.atomic():
                # Inside an open transaction (a first query) before the others start.
                Match.objects.get(pk=item.pk)
                barrier.wait()
                outcomes[n] = work(item)
        except Exception as error:  # the outcome under test
            outcomes[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, item)) for n, item in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcomes


def test_two_approvals_at_once_for_the_last_place_one_wins_one_is_told(cast, two_proposals):
    outcomes = race(
        lambda match: services.approve_match(
            actor=cast.supervisor, match=match, expected_status="proposed"
        ),
        two_proposals,
    )

    won = [o for o in outcomes if isinstance(o, Match)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert (len(won), len(refused)) == (1, 1), outcomes
    assert "at capacity" in refused[0].message
    statuses = sorted(
        Match.objects.filter(pk__in=[m.pk for m in two_proposals]).values_list("status", flat=True)
    )
    assert statuses == ["approved", "proposed"]


def test_the_database_refuses_raw_updates_over_capacity_at_the_same_moment(cast, two_proposals):
    outcomes = race(
        lambda match: Match.objects.filter(pk=match.pk).update(status="approved"),
        two_proposals,
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["IntegrityError", "int"], outcomes
    assert sum(isinstance(o, DatabaseError) for o in outcomes) == 1
    assert Match.objects.filter(mentor=cast.mentor_profile, status="approved").count() == 1


def test_the_trigger_refuses_a_raw_update_over_capacity(cast, two_proposals):
    first, second = two_proposals
    Match.objects.filter(pk=first.pk).update(status="approved")

    with pytest.raises(DatabaseError, match="at capacity"), transaction.atomic():
        Match.objects.filter(pk=second.pk).update(status="approved")

    second.refresh_from_db()
    assert second.status == "proposed"
