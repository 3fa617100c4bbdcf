"""Offering ledger records to the task queue: now, on commit, or after a backoff.

Every enqueue of a ledger record goes through `enqueue_record`, so a test that
wants the queue run inline replaces that one name; a test replaces `Timer` to
fire a backoff's timer without waiting for it.
"""

import logging
from threading import Timer

from django.conf import settings
from django.db import connections, transaction

from integrations.queue import task_enqueue

logger = logging.getLogger(__name__)


def enqueue_record(record_pk: int) -> None:
    task_enqueue("integrations.tasks.run_sync_record", record_pk)


def enqueue_record_on_commit(record_pk: int) -> None:
    transaction.on_commit(lambda: enqueue_record(record_pk))


def enqueue_record_after(record_pk: int, delay: float) -> Timer | None:
    """Offer a retrying record again when its backoff ends.

    django-q2 schedules resolve to minutes, so the sweep alone would hold a
    two-second backoff for up to a minute and a half, and release every due
    record in the same instant. A timer in the worker that failed the record
    offers it on time instead. The record's state is in the database: if this
    process dies first, the next sweep offers it all the same.
    """
    if delay > settings.SYNC_RETRY_TIMER_MAX_SECONDS:
        return None
    # A hair late rather than early: the claim refuses a record not yet due.
    timer = Timer(max(0.0, delay) + 0.05, _timer_enqueue, (record_pk,))
    timer.daemon = True
    timer.start()
    return timer


def _timer_enqueue(record_pk: int) -> None:
    try:
        enqueue_record(record_pk)
    except Exception:
        logger.warning(
            "could not re-enqueue ledger record %s; the sweep will",
            record_pk,
            exc_info=True,
        )
    finally:
        # This thread's own database connection (ORM broker) ends with it.
        connections.close_all()
