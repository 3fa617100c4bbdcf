"""Writes for connections, integrations, webhook intake, alerts and audit."""

import contextlib
import fcntl
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import psycopg
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    router,
    transaction,
)
from django.utils import timezone
from stripe import SignatureVerificationError, WebhookSignature

from portal.crypto import mask
from portal.exceptions import ApplicationError

from .grouping import GroupWriter
from .models import (
    Alert,
    AuditEntry,
    Connection,
    Integration,
    RejectedDelivery,
    WebhookEvent,
    WebhookSecret,
)

if TYPE_CHECKING:
    from .queue import Batcher

logger = logging.getLogger(__name__)

# Headers worth keeping with the raw event (cookies and auth never are), with
# their WSGI names.
_KEPT_HEADERS = {
    "Content-Type": "CONTENT_TYPE",
    "Content-Length": "CONTENT_LENGTH",
    "Stripe-Signature": "HTTP_STRIPE_SIGNATURE",
    "User-Agent": "HTTP_USER_AGENT",
}
_KEPT_HEADER_NAMES = {name.lower() for name in _KEPT_HEADERS}


def intake_headers(meta: dict[str, Any]) -> dict[str, str]:
    """The headers kept with an event, read from a request's META."""
    return {name: meta[key] for name, key in _KEPT_HEADERS.items() if key in meta}


class IntakeRejected(ApplicationError):
    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code


class _NoSecretMatches(IntakeRejected):
    """No known secret verifies the signature: worth re-reading the secrets."""


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    target: Any,
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(actor) if actor is not None else "system",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        before=before,
        after=after,
        reason=reason,
    )


def alert_raise(
    *,
    integration: Integration | None,
    level: str,
    code: str,
    message: str,
    dedupe_key: str = "",
) -> Alert:
    """Raise an alert once: an open alert with the same dedupe key is reused."""
    if dedupe_key:
        existing = Alert.objects.filter(
            dedupe_key=dedupe_key, resolved_at__isnull=True
        ).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                integration=integration,
                level=level,
                code=code,
                message=message,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        return Alert.objects.get(dedupe_key=dedupe_key, resolved_at__isnull=True)
    logger.warning("alert %s: %s", code, message, extra={"alert_id": alert.pk})
    return alert


def connection_set_secrets(
    *, connection: Connection, secrets: dict[str, str], actor: AbstractBaseUser | None
) -> Connection:
    """Replace the given secrets (blank values keep the stored one)."""
    changed = {name: value for name, value in secrets.items() if value}
    if not changed:
        return connection
    with transaction.atomic():
        connection.secrets = {**connection.secrets, **changed}
        connection.save()
        audit_record(
            actor=actor,
            action="connection.secrets_changed",
            target=connection,
            after={name: mask(value) for name, value in changed.items()},
        )
    return connection


def webhook_secret_add(
    *, integration: Integration, secret: str, actor: AbstractBaseUser | None
) -> WebhookSecret:
    secret = secret.strip()
    if not secret.startswith("whsec_"):
        raise ApplicationError("A Stripe signing secret starts with whsec_")
    with transaction.atomic():
        row = WebhookSecret.objects.create(
            integration=integration, secret=secret, hint=mask(secret)
        )
        audit_record(
            actor=actor,
            action="webhook_secret.added",
            target=integration,
            after=row.hint,
        )
    return row


def _secrets_load(integration_pk: int) -> tuple[tuple[str, datetime | None], ...]:
    return tuple(
        (row.secret, row.expires_at)
        for row in WebhookSecret.objects.filter(
            integration_id=integration_pk, is_active=True
        )
    )


def _secrets_usable(
    secrets: tuple[tuple[str, datetime | None], ...],
) -> list[str]:
    now = timezone.now()
    return [
        secret
        for secret, expires_at in secrets
        if expires_at is None or expires_at > now
    ]


def _verify(body: bytes, signature: str, secrets: list[str]) -> dict:
    """Verify the signature with any active secret and return the event dict."""
    if not signature:
        raise IntakeRejected(400, "missing Stripe-Signature header")
    if not secrets:
        raise _NoSecretMatches(400, "no active signing secret for this endpoint")
    try:
        payload = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IntakeRejected(400, "body is not UTF-8") from exc
    tolerance = settings.STRIPE_WEBHOOK_TOLERANCE
    stale = False
    # The SDK's names are imported, not looked up as `stripe.X`: the package
    # resolves those lazily on every access.
    for secret in secrets:
        try:
            WebhookSignature.verify_header(payload, signature, secret, tolerance)
        except SignatureVerificationError as exc:
            stale = stale or "tolerance" in str(exc)
            if "Unable to extract" in str(exc) or "No signatures found with" in str(
                exc
            ):
                raise IntakeRejected(400, "malformed Stripe-Signature header") from exc
            continue
        break
    else:
        if stale:
            raise IntakeRejected(400, "timestamp outside the tolerance window")
        raise _NoSecretMatches(400, "signature does not match any active secret")
    # The SDK accepts timestamps from the future; a signed event dated past the
    # tolerance ahead is as suspect as a stale one.
    timestamp, _ = WebhookSignature._get_timestamp_and_signatures(signature, "v1")
    if timestamp > time.time() + tolerance:
        raise IntakeRejected(400, "timestamp outside the tolerance window")
    try:
        data = json.loads(payload)
    except ValueError as exc:
        raise IntakeRejected(400, "body is not JSON") from exc
    if not _looks_like_event(data):
        raise IntakeRejected(400, "body is not a Stripe event")
    return data


def _looks_like_event(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and data.get("object") == "event"
        and isinstance(data.get("id"), str)
        and 0 < len(data["id"]) <= 255
        and isinstance(data.get("type"), str)
        and 0 < len(data["type"]) <= 100
        and isinstance(data.get("data"), dict)
        and isinstance(data["data"].get("object"), dict)
        and isinstance(data.get("created", 0), int)
        and _storable(data["id"])
        and _storable(data["type"])
        and _storable(str(data["data"]["object"].get("id") or ""))
    )


def _storable(text: str) -> bool:
    # PostgreSQL text columns refuse NUL; nothing Stripe sends contains one.
    return "\x00" not in text


# How long a web process trusts what it read about an integration and its
# signing secrets. Revoking or deleting a secret, or switching an integration
# off, takes effect in every process within this many seconds; an expiry date
# is checked on every delivery; a newly added secret works at once, because a
# signature no cached secret verifies makes the process read the secrets again
# before it refuses the delivery.
INTAKE_CACHE_SECONDS = 5.0

# The clock of the intake cache (a seam for tests).
_clock = time.monotonic


@dataclass(frozen=True)
class _IntakeEntry:
    integration: Integration
    secrets: tuple[tuple[str, datetime | None], ...]
    loaded_at: float


# Integration UUID -> what the intake needs. Only integrations that exist and
# are active are kept, so unknown UUIDs cannot grow it. Threads share it: a
# dict read or write is atomic, and two threads loading the same entry at once
# only cost one extra pair of queries.
_intake_cache: dict[uuid.UUID, _IntakeEntry] = {}


def intake_cache_clear() -> None:
    """Forget every cached integration (this process only)."""
    _intake_cache.clear()


def _intake_key(integration_uuid: str) -> uuid.UUID:
    try:
        return uuid.UUID(integration_uuid)
    except ValueError as exc:
        raise IntakeRejected(404, "unknown or disabled integration") from exc


def _intake_entry(key: uuid.UUID, *, reload: bool = False) -> tuple[_IntakeEntry, bool]:
    """The integration and its secrets, and whether they came from the cache."""
    entry = _intake_cache.get(key)
    now = _clock()
    if (
        entry is not None
        and not reload
        and now - entry.loaded_at < INTAKE_CACHE_SECONDS
    ):
        return entry, True
    integration = Integration.objects.filter(uuid=key, is_active=True).first()
    if integration is None:
        _intake_cache.pop(key, None)
        raise IntakeRejected(404, "unknown or disabled integration")
    entry = _IntakeEntry(
        integration=integration,
        secrets=_secrets_load(integration.pk),
        loaded_at=now,
    )
    _intake_cache[key] = entry
    return entry, False


def webhook_event_receive(
    *, integration_uuid: str, body: bytes, signature: str, headers: dict[str, str]
) -> tuple[WebhookEvent, bool]:
    """Verify and store one delivery; enqueue its processing on commit.

    Returns the stored event and whether it is new. A duplicate returns the
    row already stored and enqueues nothing.
    """
    key = _intake_key(integration_uuid)
    entry, cached = _intake_entry(key)
    try:
        data = _verify(body, signature, _secrets_usable(entry.secrets))
    except _NoSecretMatches:
        if not cached:
            raise
        # Perhaps a secret added since the entry was read: read again, and
        # refuse unless the secrets changed.
        fresh, _ = _intake_entry(key, reload=True)
        if fresh.secrets == entry.secrets:
            raise
        entry = fresh
        data = _verify(body, signature, _secrets_usable(entry.secrets))
    return webhook_event_store(
        integration=entry.integration,
        data=data,
        body=body.decode("utf-8"),
        headers={k: v for k, v in headers.items() if k.lower() in _KEPT_HEADER_NAMES},
        source="webhook",
    )


def webhook_event_store(
    *,
    integration: Integration,
    data: dict,
    body: str,
    headers: dict[str, str] | None = None,
    source: str,
) -> tuple[WebhookEvent, bool]:
    """Store an event once per integration; shared by webhooks, sweep and backfill.

    Insert first and let the unique constraint find a duplicate: one statement
    for a new event instead of a look-up and an insert. Processing is enqueued
    once the row is committed (see _event_insert).
    """
    created_ts = data.get("created")
    obj = data["data"]["object"]
    event = WebhookEvent(
        integration=integration,
        stripe_id=data["id"],
        type=data["type"],
        api_version=str(data.get("api_version") or "")[:40],
        livemode=bool(data.get("livemode")),
        stripe_created=(
            datetime.fromtimestamp(created_ts, tz=UTC) if created_ts else None
        ),
        object_id=str(obj.get("id") or "")[:255],
        body=body,
        headers=headers or {},
        source=source,
    )
    try:
        created = _event_insert(event)
    except IntegrityError:
        created = False
    if not created:
        # Stored before: a redelivery, or a concurrent delivery won the insert.
        return WebhookEvent.objects.get(
            integration=integration, stripe_id=data["id"]
        ), False
    return event, True


def _event_insert(event: WebhookEvent) -> bool:
    """Insert the event and enqueue its processing for when it is committed.

    Returns False (or raises IntegrityError) when the event was stored before.
    """
    from .queue import enqueue_joins_transaction

    using = router.db_for_write(WebhookEvent)
    if (
        event.source == "webhook"
        and settings.INTAKE_BATCH_SECONDS > 0
        and not transaction.get_connection(using).in_atomic_block
    ):
        # Committed when the shared statement returns; a batch task picks it
        # up within INTAKE_BATCH_SECONDS (the sweep, if this process dies).
        if not _writer.submit(event):
            return False
        _intake_batcher().add(event.pk)
        return True
    with _sqlite_writers_queue(using):
        if enqueue_joins_transaction(using):
            # One transaction for the event and its queue row: the cluster
            # sees both at commit, and SQLite takes its write lock once.
            with transaction.atomic(using=using):
                event.save(force_insert=True, using=using)
                _enqueue_event(event.pk)
        elif transaction.get_connection(using).in_atomic_block:
            # A savepoint, so that the caller's transaction survives a
            # duplicate (PostgreSQL refuses every statement after an error).
            with transaction.atomic(using=using):
                event.save(force_insert=True, using=using)
                transaction.on_commit(lambda: _enqueue_event(event.pk), using=using)
        else:
            # One statement needs no transaction of its own: in autocommit the
            # insert is committed when it returns, and on_commit runs at once.
            event.save(force_insert=True, using=using)
            transaction.on_commit(lambda: _enqueue_event(event.pk), using=using)
    return True


# Deliveries written by one shared statement at most; a web process rarely has
# this many threads storing at once.
INTAKE_GROUP_LIMIT = 64

# (vendor, table, rows) -> the INSERT statement and its fields, built once per
# process.
_insert_statements: dict[tuple[str, str, int], tuple[str, list]] = {}


def _events_insert_statement(events: Sequence[WebhookEvent]) -> list[bool]:
    """Insert events in autocommit, in one statement; whether each is new.

    The same fields, conversions and database errors as the ORM's insert, but
    one round trip and one commit for every delivery that waited on the same
    write (GroupWriter), and the SQL is built once per process instead of
    compiled for every delivery (0.4 M of 2.8 M instructions per delivery on
    PostgreSQL when profiled). `ON CONFLICT DO NOTHING` answers a redelivery,
    or the same event twice in one batch, without an error that would fail
    the other rows.

    Django's connection health check is skipped: its `SELECT 1` round trip
    per request cost about a quarter of the intake's CPU in-process. A
    connection that died since its last use (a database restart) fails the
    insert instead; it is then replaced and the insert tried once more. If the
    first try had in fact committed, the second inserts nothing and the
    deliveries are answered as duplicates, as redeliveries would be.
    """
    using = router.db_for_write(WebhookEvent)
    connection = transaction.get_connection(using)
    if not connection.features.can_return_columns_from_insert:
        return [_event_insert_orm(event, using) for event in events]
    sql, fields = _insert_statement(connection, len(events))
    params = [
        f.get_db_prep_save(f.pre_save(event, add=True), connection)
        for event in events
        for f in fields
    ]
    connection.health_check_done = True
    with _sqlite_writers_queue(using):
        try:
            rows = _insert_returning(connection, sql, params)
        except (OperationalError, InterfaceError):
            if connection.connection is None or connection.is_usable():
                raise
            logger.warning("database connection lost since its last use; reconnecting")
            connection.close()
            rows = _insert_returning(connection, sql, params)
    inserted = {(integration, stripe_id): pk for pk, integration, stripe_id in rows}
    created = []
    for event in events:
        pk = inserted.pop((event.integration_id, event.stripe_id), None)
        if pk is not None:
            event.pk = pk
            event._state.adding = False
            event._state.db = using
        created.append(pk is not None)
    return created


# The process's group writer of webhook events. `write` looks the statement
# function up at each call, so that tests can replace it.
_writer: GroupWriter[WebhookEvent, bool] = GroupWriter(
    lambda events: _events_insert_statement(events), limit=INTAKE_GROUP_LIMIT
)


def _event_insert_orm(event: WebhookEvent, using: str) -> bool:
    try:
        with transaction.atomic(using=using):
            event.save(force_insert=True, using=using)
    except IntegrityError:
        return False
    return True


def _insert_statement(connection: Any, rows: int) -> tuple[str, list]:
    opts = WebhookEvent._meta
    key = (connection.vendor, opts.db_table, rows)
    statement = _insert_statements.get(key)
    if statement is None:
        fields = [f for f in opts.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        # Identifiers from the model's own metadata, quoted; values are bound.
        columns = ", ".join(quote(f.column) for f in fields)
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        returning = ", ".join(
            quote(opts.get_field(name).column)
            for name in ("id", "integration", "stripe_id")
        )
        sql = (
            f"INSERT INTO {quote(opts.db_table)} ({columns}) "  # noqa: S608
            f"VALUES {', '.join([row] * rows)} "
            f"ON CONFLICT DO NOTHING RETURNING {returning}"
        )
        statement = (sql, fields)
        _insert_statements[key] = statement
    return statement


def _insert_returning(connection: Any, sql: str, params: list) -> list[tuple]:
    if connection.vendor == "postgresql":
        # Bind the values on the server: Django's client-side binding quotes
        # every ~3 KB body into the SQL text, which the client then sends and
        # PostgreSQL parses again (157 -> 112 us of client CPU per insert when
        # measured). Not prepared unless the database's OPTIONS say so, which
        # keeps transaction-pooling proxies working.
        connection.ensure_connection()
        with (
            connection.wrap_database_errors,
            psycopg.Cursor(connection.connection) as cursor,
        ):
            cursor.execute(sql, params)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@contextlib.contextmanager
def _sqlite_writers_queue(using: str) -> Iterator[None]:
    """Let the intake's writes into a SQLite file in one at a time.

    SQLite admits one writer; the others wait in sqlite3's busy handler, which
    sleeps 1, 2, 5 ... up to 100 ms between tries, so under load the lock sat
    free while writers slept: with 5 gunicorn workers x 4 threads the intake
    answered 25-40% fewer deliveries per second, and p99 at 8 concurrent
    deliveries was 130-230 ms instead of 30-45 ms. An OS file lock queues the
    writers of every process instead and wakes the next as soon as it is
    released. Only outside a transaction: inside one, this connection may
    already hold SQLite's lock that the holder of the file lock waits for.
    """
    connection = transaction.get_connection(using)
    if (
        connection.vendor != "sqlite"
        or connection.in_atomic_block
        or connection.is_in_memory_db()
    ):
        yield
        return
    with _file_lock(f"{connection.settings_dict['NAME']}-writers.lock"):
        yield


# Lock file path -> the lock this process's threads queue on before it.
_thread_locks: dict[str, threading.Lock] = {}


@contextlib.contextmanager
def _file_lock(path: str) -> Iterator[None]:
    # The threads of a process queue on a thread lock first, which wakes one
    # waiter at a time; only its holder waits on the file lock, where a
    # release wakes every waiting descriptor.
    thread_lock = _thread_locks.get(path) or _thread_locks.setdefault(
        path, threading.Lock()
    )
    with thread_lock:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


def _enqueue_event(event_pk: int) -> None:
    from .queue import task_enqueue

    task_enqueue("integrations.tasks.process_event", event_pk)


def _enqueue_events(event_pks: list[int]) -> None:
    """One task for several stored events (the intake's batches)."""
    from .queue import enqueue_joins_transaction, task_enqueue

    using = router.db_for_write(WebhookEvent)
    with _sqlite_writers_queue(using):
        if enqueue_joins_transaction(using):
            with transaction.atomic(using=using):
                task_enqueue("integrations.tasks.process_events", event_pks)
        else:
            task_enqueue("integrations.tasks.process_events", event_pks)


_batcher_lock = threading.Lock()
_batcher: "Batcher | None" = None


def _intake_batcher() -> "Batcher":
    """The process's batcher of stored webhook events (built on first use)."""
    global _batcher
    if _batcher is not None:
        return _batcher
    with _batcher_lock:
        if _batcher is None:
            from .queue import Batcher

            _batcher = Batcher(
                _enqueue_events,
                window=settings.INTAKE_BATCH_SECONDS,
                limit=settings.INTAKE_BATCH_LIMIT,
            )
        return _batcher


def rejected_delivery_record(
    *,
    integration_uuid: str,
    status_code: int,
    reason: str,
    remote_addr: str | None,
    body_bytes: int,
) -> None:
    """Keep a capped log of refused deliveries, without their bodies."""
    RejectedDelivery.objects.create(
        # The path segment is attacker-controlled: keep printable text only.
        integration_uuid="".join(ch for ch in integration_uuid if ch.isprintable())[
            :64
        ],
        status_code=status_code,
        reason=reason[:255],
        remote_addr=remote_addr or None,
        body_bytes=min(body_bytes, 2**31 - 1),
    )
    cap = settings.WEBHOOK_REJECTED_LOG_CAP
    beyond_cap = list(
        RejectedDelivery.objects.order_by("-id").values_list("id", flat=True)[
            cap : cap + 1
        ]
    )
    if beyond_cap:
        RejectedDelivery.objects.filter(id__lte=beyond_cap[0]).delete()


def webhook_events_process(*, event_ids: list[int]) -> int:
    """Process a batch of stored events in turn; returns how many ran here.

    Past half the task timeout the rest go back to the queue as a new batch,
    so django-q2 never kills the task in the middle of an event.
    """
    deadline = time.monotonic() + settings.Q_CLUSTER.get("timeout", 120) / 2
    for done, event_id in enumerate(event_ids):
        if done and time.monotonic() > deadline:
            _enqueue_events(event_ids[done:])
            return done
        webhook_event_process(event_id=event_id)
    return len(event_ids)


def webhook_event_process(*, event_id: int) -> WebhookEvent | None:
    """Route a stored event to its workflow and plan its ledger records."""
    from . import ledger
    from .connectors.errors import ConnectorError
    from .workflows import EVENT_FLOWS, WORKFLOWS, WorkflowContext

    event = (
        WebhookEvent.objects.select_related("integration").filter(pk=event_id).first()
    )
    if event is None or event.status in (
        WebhookEvent.Status.PROCESSED,
        WebhookEvent.Status.IGNORED,
    ):
        return event
    integration = event.integration
    planner = WORKFLOWS.get(event.type)
    flow = EVENT_FLOWS.get(event.type, "")
    if planner is None:
        return _event_finish(
            event, WebhookEvent.Status.IGNORED, f"no workflow handles {event.type}"
        )
    if flow and not integration.flow_enabled(flow):
        return _event_finish(
            event, WebhookEvent.Status.IGNORED, f"the {flow} flow is switched off"
        )
    context = WorkflowContext(
        integration=integration, event=event, stripe=ledger.stripe_api_for(integration)
    )
    try:
        plan = planner(context, json.loads(event.body))
        if plan.ignored_reason:
            return _event_finish(
                event, WebhookEvent.Status.IGNORED, plan.ignored_reason
            )
        with transaction.atomic():
            ledger.sync_records_plan(integration=integration, event=event, plan=plan)
            return _event_finish(event, WebhookEvent.Status.PROCESSED, "")
    except ConnectorError as exc:
        if exc.retryable:
            # Leave it received: the sweeper offers it again shortly.
            WebhookEvent.objects.filter(pk=event.pk).update(error=exc.describe())
            logger.warning("event %s waits: %s", event.stripe_id, exc.code)
            return event
        return _event_finish(event, WebhookEvent.Status.FAILED, exc.describe())
    except ApplicationError as exc:
        return _event_finish(event, WebhookEvent.Status.FAILED, exc.message)
    except Exception as exc:
        logger.exception("event %s could not be planned", event.stripe_id)
        return _event_finish(
            event, WebhookEvent.Status.FAILED, f"{exc.__class__.__name__}: {exc}"
        )


def _event_finish(event: WebhookEvent, status: str, error: str) -> WebhookEvent:
    event.status = status
    event.error = error
    event.processed_at = timezone.now()
    event.save(update_fields=["status", "error", "processed_at"])
    return event


def webhook_event_reprocess(
    *, event: WebhookEvent, actor: AbstractBaseUser | None
) -> bool:
    """Run a failed or ignored event through its workflow again."""
    if event.status == WebhookEvent.Status.PROCESSED:
        return False
    with transaction.atomic():
        before = {"status": event.status, "error": event.error}
        WebhookEvent.objects.filter(pk=event.pk).update(
            status=WebhookEvent.Status.RECEIVED, error=""
        )
        audit_record(
            actor=actor, action="webhook_event.reprocess", target=event, before=before
        )
        transaction.on_commit(lambda: _enqueue_event(event.pk))
    return True
