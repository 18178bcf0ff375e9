"""Two submits of the same administration at the same moment save one set of answers.

Each thread has its own connection and transaction; a barrier lets both reach the submit
together. The service locks the administration's row, so the second waits for the first to
commit and then finds the questions answered.
"""

import threading

import pytest
from django.db import connection, transaction

from accounts.services import DomainError
from evaluation.models import Administration, Response
from evaluation.services import measures
from tests.evaluation.factories import AdministrationFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_simultaneous_submits_save_one_set_of_answers(cast):
    administration = AdministrationFactory(match=cast.match, instrument="UCLA3")
    barrier = threading.Barrier(2, timeout=30)
    outcomes = [None, None]

    def run(n, value):
        try:
            with transaction.atomic():
                Administration.objects.get(pk=administration.pk)
                barrier.wait()
                outcomes[n] = measures.submit_administration(
                    administration=administration,
                    answers={1: value, 2: value, 3: value},
                    answered_by=cast.mentee,
                    mode=Administration.Mode.SELF,
                )
        except Exception as error:  # the outcome under test
            outcomes[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, n + 1)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(type(o).__name__ for o in outcomes) == ["Administration", "DomainError"]
    refused = next(o for o in outcomes if isinstance(o, DomainError))
    assert "already have your answers" in refused.message
    assert Response.objects.filter(administration=administration).count() == 3
