"""Intake: cached integration and secrets, insert first, one broker, on commit."""

import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from integrations import intake, queue, services
from integrations.models import WebhookEvent, WebhookSecret
from tests.factories import WEBHOOK_SECRET, IntegrationFactory
from tests.integrations.test_intake import event_body, post, sign

pytestmark = pytest.mark.django_db

NEW_SECRET = "whsec_rotated_0123456789"


@pytest.fixture(autouse=True)
def _fresh_intake_cache():
    intake.intake_cache_clear()
    yield
    intake.intake_cache_clear()


@pytest.fixture
def clock(monkeypatch):
    """The intake cache's clock, moved by hand."""

    class Clock:
        now = time.monotonic()

        def advance(self, seconds: float) -> None:
            self.now += seconds

    fake = Clock()
    monkeypatch.setattr(intake, "_clock", lambda: fake.now)
    return fake


@pytest.fixture
def enqueued(monkeypatch):
    calls = []
    monkeypatch.setattr(queue, "event_process_enqueue", calls.append)
    return calls


def deliver(client, integration, event_id, secret=WEBHOOK_SECRET):
    body = event_body(event_id)
    return post(client, integration, body, sign(body, secret))


def tables_read(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]


# Cache ----------------------------------------------------------------------


def test_a_warm_delivery_reads_nothing_and_inserts_once(client, integration, enqueued):
    # given: one delivery has filled the cache
    assert deliver(client, integration, "evt_warm_1").status_code == 200
    # when
    with CaptureQueriesContext(connection) as queries:
        response = deliver(client, integration, "evt_warm_2")
    # then
    assert response.status_code == 200
    assert tables_read(queries) == []
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert "integrations_webhookevent" in inserts[0]


def test_revoked_secret_stops_verifying_within_the_cache_lifetime(
    client, integration, enqueued, clock
):
    assert deliver(client, integration, "evt_before").status_code == 200
    WebhookSecret.objects.filter(integration=integration).update(is_active=False)
    # Still cached: documented, at most INTAKE_CACHE_SECONDS.
    clock.advance(intake.INTAKE_CACHE_SECONDS / 2)
    assert deliver(client, integration, "evt_cached").status_code == 200
    clock.advance(intake.INTAKE_CACHE_SECONDS / 2)
    response = deliver(client, integration, "evt_after")
    assert response.status_code == 400
    assert response.json()["error"]["reason"] == (
        "no active signing secret for this endpoint"
    )
    assert not WebhookEvent.objects.filter(stripe_id="evt_after").exists()


def test_deleted_secret_stops_verifying_after_the_cache_lifetime(
    client, integration, enqueued, clock
):
    new = services.webhook_secret_add(
        integration=integration, secret=NEW_SECRET, actor=None
    )
    assert deliver(client, integration, "evt_1").status_code == 200
    WebhookSecret.objects.filter(integration=integration).exclude(pk=new.pk).delete()
    clock.advance(intake.INTAKE_CACHE_SECONDS)
    assert deliver(client, integration, "evt_old").status_code == 400
    assert deliver(client, integration, "evt_new", NEW_SECRET).status_code == 200


def test_expired_secret_is_refused_at_once_even_when_cached(
    client, integration, enqueued, clock
):
    row = integration.webhook_secrets.get()
    row.expires_at = timezone.now() + timedelta(seconds=60)
    row.save()
    assert deliver(client, integration, "evt_1").status_code == 200
    # The cache's clock stands still; the wall clock passes the expiry.
    with freeze_time(timezone.now() + timedelta(seconds=120)):
        response = deliver(client, integration, "evt_2")
    assert response.status_code == 400
    assert response.json()["error"]["reason"] == (
        "no active signing secret for this endpoint"
    )


def test_a_new_secret_verifies_at_once(client, integration, enqueued, clock):
    assert deliver(client, integration, "evt_1").status_code == 200
    services.webhook_secret_add(integration=integration, secret=NEW_SECRET, actor=None)
    # The cached entry does not know the new secret: a mismatch re-reads it.
    assert deliver(client, integration, "evt_2", NEW_SECRET).status_code == 200
    assert deliver(client, integration, "evt_3", WEBHOOK_SECRET).status_code == 200


def test_a_wrong_signature_is_refused_after_one_re_read(client, integration, clock):
    assert deliver(client, integration, "evt_1", "whsec_wrong").status_code == 400
    assert deliver(client, integration, "evt_2", WEBHOOK_SECRET).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = deliver(client, integration, "evt_3", "whsec_wrong")
    assert response.status_code == 400
    assert response.json()["error"]["reason"] == (
        "signature does not match any active secret"
    )
    secret_reads = [q for q in tables_read(queries) if "webhooksecret" in q]
    assert len(secret_reads) == 1


def test_disabled_integration_is_404_after_the_cache_lifetime(
    client, integration, enqueued, clock
):
    assert deliver(client, integration, "evt_1").status_code == 200
    integration.is_active = False
    integration.save()
    clock.advance(intake.INTAKE_CACHE_SECONDS)
    response = deliver(client, integration, "evt_2")
    assert response.status_code == 404
    assert integration.uuid not in intake._endpoints
    # Switched on again: served again (a refusal is not cached).
    integration.is_active = True
    integration.save()
    assert deliver(client, integration, "evt_3").status_code == 200


def test_unknown_integrations_are_not_cached(client, db):
    for n in range(3):
        response = client.post(
            f"/webhooks/stripe/00000000-0000-0000-0000-00000000000{n}/",
            data=event_body(),
            content_type="application/json",
        )
        assert response.status_code == 404
    assert intake._endpoints == {}


# Queries per delivery -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_cached_endpoint_leaves_one_query_per_delivery(
    client, enqueued, django_assert_num_queries
):
    # given: autocommit, as under gunicorn (no savepoint around the INSERT)
    integration = IntegrationFactory()
    # when: the first delivery reads the integration and its secrets
    with django_assert_num_queries(3):
        assert deliver(client, integration, "evt_cold").status_code == 200
    # then: the next ones only insert
    for n in range(3):
        with django_assert_num_queries(1):
            assert deliver(client, integration, f"evt_warm_{n}").status_code == 200
    assert len(enqueued) == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_intake_insert_becomes_a_prepared_statement(client, enqueued):
    # given: the connection the deliveries share
    integration = IntegrationFactory()
    # when: more deliveries than psycopg's prepare_threshold
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    for n in range(threshold + 2):
        assert deliver(client, integration, f"evt_prep_{n}").status_code == 200
    # then: PostgreSQL holds the INSERT parsed and planned for the next ones
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements "
            "WHERE statement LIKE 'INSERT INTO \"integrations_webhookevent\"%'"
        )
        assert cursor.fetchone() == (1,)


# Insert first -----------------------------------------------------------------


def test_duplicate_is_found_by_the_insert(
    client, integration, enqueued, django_capture_on_commit_callbacks
):
    body = event_body("evt_dup")
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, integration, body)
        with CaptureQueriesContext(connection) as queries:
            second = post(client, integration, body)
    assert first.json()["duplicate"] is False
    assert second.status_code == 200
    assert second.json() == {"received": True, "duplicate": True, "event": "evt_dup"}
    assert WebhookEvent.objects.filter(stripe_id="evt_dup").count() == 1
    assert len(enqueued) == 1
    # The insert came first; the stored row is read only after it was refused.
    sql = [q["sql"] for q in queries]
    insert_at = next(i for i, q in enumerate(sql) if q.startswith("INSERT"))
    assert not any("integrations_webhookevent" in q for q in sql[:insert_at])


def test_duplicate_inside_a_callers_transaction_leaves_it_usable(integration):
    data = {
        "id": "evt_nested",
        "object": "event",
        "type": "charge.succeeded",
        "created": int(time.time()),
        "data": {"object": {"id": "ch_1", "object": "charge"}},
    }
    first, created = intake.webhook_event_store(
        integration=integration, data=data, body="{}", source="sweep"
    )
    assert created
    with transaction.atomic():
        again, created_again = intake.webhook_event_store(
            integration=integration, data=data, body="{}", source="sweep"
        )
        # PostgreSQL refuses every statement after an error outside a savepoint.
        assert WebhookEvent.objects.filter(integration=integration).count() == 1
    assert (again.pk, created_again) == (first.pk, False)


# Broker -------------------------------------------------------------------------


class FakeBroker:
    list_key = "fake"

    def __init__(self) -> None:
        self.packs: list[str] = []

    def enqueue(self, pack: str) -> int:
        self.packs.append(pack)
        return len(self.packs)


@pytest.fixture
def brokers(monkeypatch):
    """Brokers built by integrations.queue; django-q2's own factory forbidden."""
    from django_q.conf import Conf

    built: list[FakeBroker] = []

    def build():
        built.append(FakeBroker())
        return built[-1]

    def forbidden(*args, **kwargs):
        raise AssertionError("async_task built a broker of its own")

    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(queue, "get_broker", build)
    monkeypatch.setattr("django_q.tasks.get_broker", forbidden)
    queue.broker_reset()
    yield built
    queue.broker_reset()


def test_every_enqueue_in_a_process_shares_one_broker(brokers):
    queue.event_process_enqueue(1)
    queue.event_process_enqueue(2)
    assert len(brokers) == 1
    assert len(brokers[0].packs) == 2


def test_a_forked_process_builds_its_own_broker(brokers, monkeypatch):
    queue.event_process_enqueue(1)
    monkeypatch.setattr(queue.os, "getpid", lambda: -1)
    queue.event_process_enqueue(2)
    assert [len(b.packs) for b in brokers] == [1, 1]


def test_threads_share_the_broker(brokers):
    import threading

    threads = [
        threading.Thread(target=queue.event_process_enqueue, args=(n,))
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(brokers) == 1
    assert len(brokers[0].packs) == 8


def test_the_intake_enqueues_through_the_shared_broker(
    client, integration, brokers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, integration, "evt_q1").status_code == 200
        assert deliver(client, integration, "evt_q2").status_code == 200
    assert len(brokers) == 1
    assert len(brokers[0].packs) == 2


# Where the enqueue happens ------------------------------------------------------------


def _event(event_id: str) -> dict:
    return {
        "id": event_id,
        "object": "event",
        "type": "charge.succeeded",
        "created": int(time.time()),
        "data": {"object": {"id": "ch_1", "object": "charge"}},
    }


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_event_is_committed_before_it_is_enqueued(
    monkeypatch,
):
    from tests.factories import IntegrationFactory

    integration = IntegrationFactory()
    seen = []

    def enqueue(pk):
        # Committed: visible, and no transaction left open.
        seen.append((pk, transaction.get_autocommit()))
        assert WebhookEvent.objects.filter(pk=pk).exists()

    monkeypatch.setattr(queue, "event_process_enqueue", enqueue)
    event, created = intake.webhook_event_store(
        integration=integration, data=_event("evt_ac"), body="{}", source="webhook"
    )
    again, created_again = intake.webhook_event_store(
        integration=integration, data=_event("evt_ac"), body="{}", source="webhook"
    )
    assert (created, created_again) == (True, False)
    assert again.pk == event.pk
    assert seen == [(event.pk, True)]


@pytest.fixture
def orm_queue(monkeypatch, settings):
    from django_q.conf import Conf
    from django_q.models import OrmQ

    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(Conf, "ORM", "default")
    monkeypatch.setattr(Conf, "REDIS", None)
    queue.broker_reset()
    yield OrmQ.objects
    queue.broker_reset()


def test_the_queue_row_is_written_when_the_event_commits(
    integration, orm_queue, django_capture_on_commit_callbacks
):
    from django_q.signing import SignedPackage

    with django_capture_on_commit_callbacks() as callbacks:
        event, _ = intake.webhook_event_store(
            integration=integration, data=_event("evt_orm"), body="{}", source="sweep"
        )
        # Not before the commit.
        assert not orm_queue.exists()
    for callback in callbacks:
        callback()
    task = SignedPackage.loads(orm_queue.get().payload)
    assert (task["func"], task["args"]) == (
        "integrations.tasks.process_event",
        (event.pk,),
    )


def test_a_rolled_back_event_leaves_no_queue_row(
    integration, orm_queue, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        intake.webhook_event_store(
            integration=integration, data=_event("evt_rb"), body="{}", source="sweep"
        )
        raise RuntimeError("the caller fails after storing")
    assert not WebhookEvent.objects.filter(stripe_id="evt_rb").exists()
    assert not orm_queue.exists()


def test_a_duplicate_adds_no_queue_row(
    integration, orm_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            intake.webhook_event_store(
                integration=integration, data=_event("evt_d"), body="{}", source="sweep"
            )
    assert orm_queue.count() == 1
