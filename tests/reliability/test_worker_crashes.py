"""Workers killed with SIGKILL mid-batch, and two beats by mistake: every message arrives, and
the SMTP server, counting by Message-ID, sees no message twice except in the one documented
window (a kill after the server accepted a message and before its row was marked sent)."""

import random

import pytest

from tests.reliability.conftest import wait_for
from tests.reliability.rows import due_emails, expected_ids, sent_count

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_workers_killed_at_random_points_still_deliver_every_email_once(
    processes, smtp_server, broker
):
    pks = due_emails(150)
    smtp_server.delay = 0.01  # a batch takes long enough to be interrupted
    workers = [processes.worker(), processes.worker()]
    processes.beat()
    rng = random.Random()  # noqa: S311 - random kill points, not security
    kill_points = sorted(rng.sample(range(5, len(pks) - 30), 2))

    for point in kill_points:
        wait_for(
            lambda point=point: len(smtp_server.received) >= point,
            timeout=40,
            what=f"{point} messages to arrive",
        )
        processes.kill(workers.pop(rng.randrange(len(workers))))
        workers.append(processes.worker())

    wait_for(lambda: sent_count(pks) == len(pks), timeout=40, what="every row to be sent")

    counts = smtp_server.counts
    assert set(counts) == expected_ids(pks), "every message arrived"
    repeats = sum(n - 1 for n in counts.values())
    assert repeats <= len(kill_points), "a repeat only where a worker was killed mid-message"


def test_two_beats_and_two_workers_send_each_email_exactly_once(processes, smtp_server, broker):
    pks = due_emails(100)
    processes.worker()
    processes.worker()
    processes.beat()
    processes.beat()

    wait_for(lambda: sent_count(pks) == len(pks), timeout=45, what="every row to be sent")

    counts = smtp_server.counts
    assert set(counts) == expected_ids(pks)
    assert max(counts.values()) == 1
