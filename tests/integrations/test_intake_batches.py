"""Intake batches: stored events handed to the workers by a thread, in batches."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from integrations import queue, services, tasks
from integrations.models import WebhookEvent
from tests.factories import IntegrationFactory
from tests.integrations.test_intake import event_body, post

pytestmark = pytest.mark.django_db


def wait_for(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


# The batcher ----------------------------------------------------------------


def test_the_first_item_goes_at_once_and_the_next_wait_for_the_window():
    flushed = []
    batcher = queue.Batcher(flushed.append, window=0.3, limit=100)
    batcher.add(0)
    wait_for(lambda: flushed)
    started = time.monotonic()
    for n in range(1, 5):
        batcher.add(n)
    wait_for(lambda: len(flushed) == 2)
    assert flushed == [[0], [1, 2, 3, 4]]
    assert time.monotonic() - started > 0.2


def test_a_full_batch_is_flushed_without_waiting_for_the_window():
    flushed = []
    batcher = queue.Batcher(flushed.append, window=30, limit=3)
    batcher.add(0)
    wait_for(lambda: flushed == [[0]])
    for n in range(1, 8):
        batcher.add(n)
    wait_for(lambda: len(flushed) == 3)
    assert flushed == [[0], [1, 2, 3], [4, 5, 6]]
    batcher.drain()
    assert flushed[-1] == [7]


def test_items_from_many_threads_are_each_flushed_once():
    flushed = []
    lock = threading.Lock()

    def flush(batch):
        with lock:
            flushed.extend(batch)

    batcher = queue.Batcher(flush, window=0.01, limit=7)
    threads = [
        threading.Thread(target=lambda t=t: [batcher.add((t, n)) for n in range(50)])
        for t in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wait_for(lambda: len(flushed) == 400)
    assert sorted(flushed) == sorted((t, n) for t in range(8) for n in range(50))


def test_a_failed_flush_is_logged_and_the_thread_goes_on(caplog):
    flushed = []

    def flush(batch):
        if batch == ["bad"]:
            raise RuntimeError("broker down")
        flushed.append(batch)

    batcher = queue.Batcher(flush, window=0, limit=10)
    batcher.add("bad")
    wait_for(lambda: "could not hand over 1 batched items" in caplog.text)
    batcher.add("good")
    wait_for(lambda: flushed == [["good"]])


def test_a_forked_process_starts_its_own_thread(monkeypatch):
    flushed = []
    batcher = queue.Batcher(flushed.append, window=0, limit=10)
    batcher.add(1)
    wait_for(lambda: flushed == [[1]])
    first = batcher._thread
    monkeypatch.setattr(queue.os, "getpid", lambda: -1)
    batcher.add(2)
    wait_for(lambda: flushed == [[1], [2]])
    assert batcher._thread is not first and batcher._thread.is_alive()


# The intake with batches ----------------------------------------------------
# Outside a transaction, as in production: inside one (a plain django_db test)
# the intake keeps enqueue-on-commit.


@pytest.fixture
def batched(settings, monkeypatch):
    """Batches on; what the batcher hands over is recorded, not enqueued."""
    settings.INTAKE_BATCH_SECONDS = 0.01
    settings.INTAKE_BATCH_LIMIT = 50
    handed = []
    monkeypatch.setattr(services, "_enqueue_events", handed.extend)
    monkeypatch.setattr(
        services, "_enqueue_event", lambda pk: pytest.fail("enqueued one by one")
    )
    monkeypatch.setattr(services, "_batcher", None)
    services.intake_cache_clear()
    yield handed
    services.intake_cache_clear()


@pytest.mark.django_db(transaction=True)
def test_webhooks_are_stored_at_once_and_handed_over_in_batches(
    client, integration, batched
):
    for n in range(5):
        assert post(client, integration, event_body(f"evt_{n}")).status_code == 200
    stored = list(WebhookEvent.objects.order_by("pk").values_list("pk", flat=True))
    assert len(stored) == 5
    wait_for(lambda: len(batched) == 5)
    assert batched == stored


@pytest.mark.django_db(transaction=True)
def test_a_redelivery_is_not_handed_over_again(client, integration, batched):
    body = event_body("evt_twice")
    assert post(client, integration, body).json()["duplicate"] is False
    assert post(client, integration, body).json()["duplicate"] is True
    wait_for(lambda: batched)
    time.sleep(0.05)
    assert batched == [WebhookEvent.objects.get().pk]


@pytest.mark.django_db(transaction=True)
def test_the_statement_stores_what_the_orm_would(client, integration, batched):
    body = event_body("evt_fields", livemode=True)
    post(client, integration, body, HTTP_USER_AGENT="Stripe/1.0", HTTP_COOKIE="a=b")
    event = WebhookEvent.objects.get()
    assert (event.stripe_id, event.type, event.object_id, event.source) == (
        "evt_fields",
        "charge.succeeded",
        "ch_1",
        "webhook",
    )
    assert event.livemode is True
    assert event.api_version == "2025-03-31.basil"
    assert event.stripe_created is not None and event.received_at is not None
    assert event.status == WebhookEvent.Status.RECEIVED
    assert event.body == body
    assert set(event.headers) == {
        "Content-Type",
        "Content-Length",
        "Stripe-Signature",
        "User-Agent",
    }


def test_events_stored_inside_a_transaction_are_not_batched(
    integration, batched, django_capture_on_commit_callbacks, monkeypatch
):
    """A backfill or a test inside a transaction keeps enqueue-on-commit."""
    enqueued = []
    monkeypatch.setattr(services, "_enqueue_event", enqueued.append)
    data = {
        "id": "evt_backfill",
        "object": "event",
        "type": "charge.succeeded",
        "data": {"object": {"id": "ch_9", "object": "charge"}},
    }
    with django_capture_on_commit_callbacks(execute=True):
        event, created = services.webhook_event_store(
            integration=integration, data=data, body="{}", source="backfill"
        )
    assert created and enqueued == [event.pk] and batched == []


def test_a_batch_task_processes_each_event(integration, monkeypatch):
    seen = []
    monkeypatch.setattr(
        services, "webhook_event_process", lambda event_id: seen.append(event_id)
    )
    tasks.process_events([3, 1, 2])
    assert seen == [3, 1, 2]


def test_a_batch_past_half_the_timeout_requeues_the_rest(settings, monkeypatch):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": 2}
    seen, requeued = [], []

    def slow(event_id):
        seen.append(event_id)
        time.sleep(0.6)

    monkeypatch.setattr(services, "webhook_event_process", slow)
    monkeypatch.setattr(services, "_enqueue_events", requeued.append)
    assert services.webhook_events_process(event_ids=[1, 2, 3, 4]) == 2
    assert seen == [1, 2]
    assert requeued == [[3, 4]]


# The connection -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_intake_skips_the_per_request_health_check(
    client, integration, batched, monkeypatch
):
    post(client, integration, event_body("evt_warm"))
    checks = []
    real = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or real())
    connection.health_check_done = False
    connection.health_check_enabled = True
    try:
        assert post(client, integration, event_body("evt_next")).status_code == 200
    finally:
        connection.health_check_enabled = connection.settings_dict["CONN_HEALTH_CHECKS"]
    assert checks == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_since_its_last_use_is_replaced(settings, monkeypatch):
    """The database restarted between two deliveries: the second still lands."""
    import psycopg

    settings.INTAKE_BATCH_SECONDS = 0.01
    handed = []
    monkeypatch.setattr(services, "_enqueue_events", handed.extend)
    monkeypatch.setattr(services, "_batcher", None)
    services.intake_cache_clear()
    integration = IntegrationFactory()
    result = {}

    def deliveries():
        from django.db import connection as thread_connection

        client = Client()
        try:
            result["first"] = post(client, integration, event_body("evt_a"))
            backend = thread_connection.connection.info.backend_pid
            info = thread_connection.connection.info
            with psycopg.connect(
                host=info.host,
                port=info.port,
                user=info.user,
                dbname=info.dbname,
                autocommit=True,
            ) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [backend])
            result["second"] = post(client, integration, event_body("evt_b"))
            result["backend"] = (backend, thread_connection.connection.info.backend_pid)
        finally:
            thread_connection.close()

    thread = threading.Thread(target=deliveries)
    thread.start()
    thread.join()
    assert result["first"].status_code == 200
    assert result["second"].status_code == 200
    assert result["backend"][0] != result["backend"][1]
    assert set(WebhookEvent.objects.values_list("stripe_id", flat=True)) == {
        "evt_a",
        "evt_b",
    }
    wait_for(lambda: len(handed) == 2)
    services.intake_cache_clear()


def test_a_drain_waits_for_the_flush_in_progress():
    """At exit, a batch the thread is handing over is not cut off."""
    started, release = threading.Event(), threading.Event()
    flushed = []

    def slow_flush(batch):
        started.set()
        release.wait(5)
        flushed.append(batch)

    batcher = queue.Batcher(slow_flush, window=0, limit=10)
    batcher.add(1)
    assert started.wait(5)
    batcher.add(2)
    drained = threading.Thread(target=batcher.drain)
    drained.start()
    time.sleep(0.05)
    assert drained.is_alive(), "drain returned while a flush was in progress"
    release.set()
    drained.join(5)
    assert sorted(x for batch in flushed for x in batch) == [1, 2]


# Group commit ---------------------------------------------------------------


def deliver_concurrently(integration, bodies: list[str]) -> list:
    """POST each body from its own thread (and database connection) at once."""
    from django.db import connection as thread_connection

    start = threading.Barrier(len(bodies))
    responses: list = [None] * len(bodies)

    def deliver(n: int) -> None:
        try:
            start.wait(5)
            # A client that re-raised a view's error would re-raise every
            # thread's: the test client listens for them on a global signal.
            client = Client(raise_request_exception=False)
            responses[n] = post(client, integration, bodies[n])
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return responses


# SQLite's shared in-memory test database refuses concurrent writers outright.
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_share_statements_and_each_is_stored_once(
    integration, batched, monkeypatch
):
    statements = []
    real = services._events_insert_statement

    def counted(events):
        statements.append(len(events))
        return real(events)

    monkeypatch.setattr(services, "_events_insert_statement", counted)
    bodies = [event_body(f"evt_{n}") for n in range(12)]
    # Event 3 three times and event 7 twice, concurrently with the rest.
    bodies += [bodies[3], bodies[3], bodies[7]]

    responses = deliver_concurrently(integration, bodies)

    assert [r.status_code for r in responses] == [200] * len(bodies)
    stored = dict(WebhookEvent.objects.values_list("stripe_id", "pk"))
    assert sorted(stored) == sorted(f"evt_{n}" for n in range(12))
    new = [r.json()["event"] for r in responses if not r.json()["duplicate"]]
    assert sorted(new) == sorted(stored), "each event answered as new exactly once"
    assert sum(statements) == len(bodies)
    wait_for(lambda: len(batched) == 12)
    assert sorted(batched) == sorted(stored.values())


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_refused_row_fails_only_its_own_delivery(integration, batched, monkeypatch):
    """One row the database refuses does not cost the rows beside it."""
    from django.db import DataError

    real = services._events_insert_statement

    def refusing(events):
        if any(event.stripe_id == "evt_bad" for event in events):
            raise DataError("value refused")
        return real(events)

    monkeypatch.setattr(services, "_events_insert_statement", refusing)
    bodies = [event_body(f"evt_{n}") for n in range(6)] + [event_body("evt_bad")]

    responses = deliver_concurrently(integration, bodies)

    assert [r.status_code for r in responses] == [200] * 6 + [500]
    assert WebhookEvent.objects.count() == 6
