"""The sync ledger: plan, claim, run and retry ERP operations exactly once.

A record is claimed with a conditional UPDATE that also sets a lease, so two
workers never run it at once; a record whose worker died is rescued by the
sweeper when its lease expires. The ERP call happens outside any database
transaction; the outcome is written only while the lease is still ours.
"""

import logging
import os
import random
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F, Q
from django.utils import timezone

from mapping.services import payload_protected_changes, payload_validate
from portal.exceptions import ApplicationError
from portal.logging import mask_secrets

from .audit import alert_raise, audit_record
from .connectors import errors
from .connectors.base import ErpConnector, ErpDocument, connector_for
from .models import (
    Connection,
    Integration,
    PayloadChange,
    SyncAttempt,
    SyncRecord,
    WebhookEvent,
)
from .queue import event_process_enqueue, task_enqueue
from .workflows import EXECUTORS, OPERATION_ENTITY, Plan, PlannedRecord

logger = logging.getLogger(__name__)

Status = SyncRecord.Status

# Operations checked for anomalies before they post.
HOLDABLE_OPERATIONS = frozenset(
    {"create_sales_order", "post_payment", "post_credit_note", "create_invoice"}
)

# What a succeeded dependency contributes to the source of its dependents.
DEPENDENCY_OUTPUTS = {
    "upsert_customer": "customer_code",
    "create_sales_order": "order_number",
    "create_invoice": "invoice_number",
}


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def backoff_seconds(attempt: int, *, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter: base·2^(n−1), capped, then 50–100 %."""
    base = settings.SYNC_BACKOFF_BASE_SECONDS
    ceiling = settings.SYNC_BACKOFF_MAX_SECONDS
    delay = min(ceiling, base * 2 ** max(0, attempt - 1))
    return delay * (rng or random).uniform(0.5, 1.0)


@dataclass
class RunContext:
    record: SyncRecord
    integration: Integration
    connector: ErpConnector
    source: dict[str, Any]
    stripe: Callable[[], Any]
    built_payload: dict | None = field(default=None, init=False)

    def payload(self, entity: str, source: dict | None = None) -> dict:
        """The payload to send: the one finance staff edited, else mapped now."""
        if self.record.payload_edited and self.record.payload is not None:
            self.built_payload = self.record.payload
            return self.record.payload
        from mapping.services import payload_build

        payload, version = payload_build(
            integration=self.integration,
            entity=entity,
            source=self.source if source is None else source,
        )
        self.built_payload = payload
        self.record.payload = payload
        self.record.mapping_version = version
        return payload


def default_executor(ctx: RunContext) -> ErpDocument:
    operation = ctx.record.operation
    payload = ctx.payload(OPERATION_ENTITY[operation])
    return getattr(ctx.connector, operation)(payload, reference=ctx.record.stripe_id)


def stripe_api_for(integration: Integration) -> Callable[[], Any]:
    def build() -> Any:
        from .connectors.stripe_api import StripeApi

        return StripeApi(integration.stripe_connection)

    return build


# Planning -------------------------------------------------------------------


def sync_records_plan(
    *, integration: Integration, event: WebhookEvent | None, plan: Plan
) -> list[SyncRecord]:
    """Create the plan's records once; replays find them and create nothing.

    One query finds what exists, one insert adds the rest, one more links
    the dependencies.
    """
    prefix = f"{integration.pk}:"
    planned_by_key = {planned.key: planned for planned in plan.records}
    # Inside a caller's transaction (the event's), part of it: no savepoint;
    # a failure here fails the caller's transaction as a whole.
    with transaction.atomic(savepoint=False):
        by_key = _existing(integration, plan)
        new = [
            _record_for(integration, event, planned, planned_by_key)
            for planned in plan.records
            if planned.key not in by_key
        ]
        created = _records_insert(new)
        if len(created) < len(new):
            # Another worker planned some of them meanwhile: use its rows.
            by_key = _existing(integration, plan)
        by_key.update(
            {record.idempotency_key.removeprefix(prefix): record for record in created}
        )
        in_hand = {
            record.pk: (
                record,
                _resolve_keys(
                    integration,
                    planned_by_key[
                        record.idempotency_key.removeprefix(prefix)
                    ].depends_on,
                    by_key,
                ),
            )
            for record in created
        }
        Link = SyncRecord.depends_on.through
        Link.objects.bulk_create(
            [
                Link(from_syncrecord_id=pk, to_syncrecord_id=dependency.pk)
                for pk, (_, dependencies) in in_hand.items()
                for dependency in dependencies
            ]
        )
        if created:
            pks = [record.pk for record in created]
            # robust: a failure here must not undo the planning that committed;
            # whatever did not run is offered again by the sweep. The rows just
            # written go along, so the run need not read them back.
            transaction.on_commit(
                lambda: sync_records_run(pks, in_hand=in_hand), robust=True
            )
    return [by_key[planned.key] for planned in plan.records]


def _records_insert(records: list[SyncRecord]) -> list[SyncRecord]:
    """Insert in one statement; return the records created here, in order.

    If a concurrent planner (a duplicate delivery processed at the same
    moment) inserted some first, the ones already there are left to it.
    """
    if not records:
        return []
    connection = connections[router.db_for_write(SyncRecord)]
    opts = SyncRecord._meta
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    if (
        connection.features.can_return_rows_from_bulk_insert
        and connection.features.supports_update_conflicts_with_target
        and len(fields) * len(records) <= 900
    ):
        return _records_insert_skipping_conflicts(records, fields, connection)
    try:
        with transaction.atomic():
            return SyncRecord.objects.bulk_create(records)
    except IntegrityError:
        pass
    created = []
    for record in records:
        try:
            with transaction.atomic():
                record.save(force_insert=True)
        except IntegrityError:
            continue
        created.append(record)
    return created


def _records_insert_skipping_conflicts(
    records: list[SyncRecord], fields: list, connection: Any
) -> list[SyncRecord]:
    """The insert, written out: one statement, no savepoint.

    The same fields and conversions as the ORM's bulk_create, which,
    profiled, spent more CPU compiling this insert (26 columns a row) than
    anything else in planning. ON CONFLICT on the idempotency key skips a
    record a concurrent planner inserted (waiting for its transaction, as
    the unique index always makes an insert do) instead of failing the
    statement, so no savepoint is needed to recover from it; RETURNING names
    the records inserted here.
    """
    opts = SyncRecord._meta
    name = connection.ops.quote_name
    row = f"({', '.join(['%s'] * len(fields))})"
    key = name(opts.get_field("idempotency_key").column)
    sql = (
        f"INSERT INTO {name(opts.db_table)} "  # noqa: S608
        f"({', '.join(name(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * len(records))} "
        f"ON CONFLICT ({key}) DO NOTHING RETURNING {name(opts.pk.column)}, {key}"
    )
    params = [
        f.get_db_prep_save(f.pre_save(record, add=True), connection)
        for record in records
        for f in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        inserted = {key: pk for pk, key in cursor.fetchall()}
    created = []
    for record in records:
        pk = inserted.get(record.idempotency_key)
        if pk is not None:
            record.pk = pk
            record._state.adding = False
            record._state.db = connection.alias
            created.append(record)
    return created


def _existing(integration: Integration, plan: Plan) -> dict[str, SyncRecord]:
    prefix = f"{integration.pk}:"
    keys = [prefix + planned.key for planned in plan.records]
    return {
        record.idempotency_key.removeprefix(prefix): record
        for record in SyncRecord.objects.filter(idempotency_key__in=keys).order_by()
    }


def _record_for(
    integration: Integration,
    event: WebhookEvent | None,
    planned: PlannedRecord,
    in_plan: dict[str, PlannedRecord],
) -> SyncRecord:
    return SyncRecord(
        idempotency_key=f"{integration.pk}:{planned.key}",
        integration=integration,
        event=event,
        operation=planned.operation,
        stripe_id=planned.stripe_id,
        source=planned.source,
        **history_columns(
            planned.source,
            customer=_planned_customer(integration, planned, in_plan),
        ),
    )


def history_columns(source: dict[str, Any], *, customer: str) -> dict[str, Any]:
    """customer_key, amount and currency of a record, for the anomaly checks.

    The customer is the Stripe customer of the upsert_customer record it
    depends on, else the ERP customer code its source names.
    """
    code = str(source.get("customer_code") or "")
    amount = source.get("amount")
    customer_key = ""
    if customer or code:
        customer_key = f"stripe:{customer}" if customer else f"erp:{code}"
    return {
        "customer_key": customer_key,
        "amount": amount
        if isinstance(amount, int) and not isinstance(amount, bool)
        else None,
        "currency": str(source.get("currency") or "")[:3],
    }


def _planned_customer(
    integration: Integration, planned: PlannedRecord, in_plan: dict[str, PlannedRecord]
) -> str:
    """The Stripe customer id of the upsert_customer record `planned` waits on."""
    outside = []
    for key in planned.depends_on:
        dependency = in_plan.get(key)
        if dependency is None:
            outside.append(f"{integration.pk}:{key}")
        elif dependency.operation == "upsert_customer":
            return dependency.stripe_id
    if not outside:
        return ""
    found = SyncRecord.objects.filter(
        idempotency_key__in=outside, operation="upsert_customer"
    ).values_list("stripe_id", flat=True)
    return next(iter(found), "")


def _resolve_keys(
    integration: Integration, keys: tuple[str, ...], by_key: dict[str, SyncRecord]
) -> list[SyncRecord]:
    found = [by_key[key] for key in keys if key in by_key]
    missing = [f"{integration.pk}:{key}" for key in keys if key not in by_key]
    if missing:
        found += SyncRecord.objects.filter(idempotency_key__in=missing)
    if len(found) != len(keys):
        raise ApplicationError(
            "A planned record depends on a record that was never planned",
            {"keys": list(keys)},
        )
    return found


def _enqueue_on_commit(record_pk: int) -> None:
    transaction.on_commit(lambda: enqueue_record(record_pk))


def enqueue_record(record_pk: int) -> None:
    task_enqueue("integrations.tasks.run_sync_record", record_pk)


def enqueue_record_after(record_pk: int, delay: float) -> threading.Timer | None:
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
    timer = threading.Timer(max(0.0, delay) + 0.05, _timer_enqueue, (record_pk,))
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


# Running --------------------------------------------------------------------


def sync_record_claim(
    *, record_id: int, worker: str, unchanged_since: Any = None
) -> bool:
    """Take the lease if the record is due; exactly one concurrent caller wins.

    With `unchanged_since` (the updated_at the caller read), the claim also
    fails if anyone wrote the record since, so the caller's copy stays true.
    The integration's pause is checked in the same statement, so a pause
    another worker set a moment ago stops this claim too.
    """
    now = timezone.now()
    using = router.db_for_write(SyncRecord)
    connection = connections[using]
    adapt = connection.ops.adapt_datetimefield_value
    params = [
        Status.RUNNING,
        worker,
        adapt(now + timedelta(seconds=settings.SYNC_LEASE_SECONDS)),
        adapt(now),
        record_id,
        Status.PENDING,
        Status.RETRYING,
        adapt(now),
    ]
    if unchanged_since is not None:
        params.append(adapt(unchanged_since))
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(connection, unchanged_since is not None), params)
        return cursor.rowcount == 1


def _claim_sql(connection: Any, unchanged: bool) -> str:
    """The claim, written out: it runs for every record, and the ORM spent more
    CPU compiling it (the pause check makes it a join) than the database spent
    running it. Names come from the models; every value is a parameter."""
    name = connection.ops.quote_name
    record = name(SyncRecord._meta.db_table)
    integration = name(Integration._meta.db_table)
    sql = (
        f"UPDATE {record} SET status = %s, lease_owner = %s, "  # noqa: S608
        "lease_expires_at = %s, attempts = attempts + 1, updated_at = %s "
        "WHERE id = %s AND status IN (%s, %s) "
        "AND (next_attempt_at IS NULL OR next_attempt_at <= %s) "
        f"AND EXISTS (SELECT 1 FROM {integration} "
        f"WHERE {integration}.id = {record}.integration_id "
        f"AND {integration}.queue_paused_reason = '')"
    )
    return sql + " AND updated_at = %s" if unchanged else sql


def sync_record_run(*, record_id: int, worker: str | None = None) -> SyncRecord | None:
    """Run one record if it is due, its dependencies succeeded and it is free;
    then, in the same worker, the records its success unblocked."""
    worker = worker or worker_id()
    record, unblocked = _record_run(record_id, worker)
    if unblocked:
        sync_records_run(unblocked, worker=worker)
        if record is not None:
            record.refresh_from_db()
    return record


# Records a process has in hand: pk -> (the row as this process last wrote or
# read it, the records it depends on).
PlannedRecords = dict[int, tuple[SyncRecord, list[SyncRecord]]]


def sync_records_run(
    record_ids: list[int],
    *,
    worker: str | None = None,
    in_hand: PlannedRecords | None = None,
) -> int:
    """Run records here, in order, with the records each success unblocks.

    One event's customer, sales order and payment so take one worker and no
    trips through the queue. Past SYNC_INLINE_RECORDS, or half the task
    timeout (a slow ERP), the rest are enqueued, so django-q2 never kills the
    task mid-call. Returns how many were attempted here.

    `in_hand`: rows the caller has just written (the planner), which are run
    without being read again; see _record_run.
    """
    worker = worker or worker_id()
    deadline = time.monotonic() + settings.Q_CLUSTER.get("timeout", 120) / 2
    chain = _RunState(in_hand or {})
    queue = deque(record_ids)
    # A record found waiting on a dependency comes back when that dependency
    # succeeds (it is among what the success unblocked): only a record that
    # ran, or that someone else has, is never looked at twice.
    settled: set[int] = set()
    attempted = 0
    while queue:
        pk = queue.popleft()
        if pk in settled:
            continue
        if attempted >= settings.SYNC_INLINE_RECORDS or time.monotonic() > deadline:
            settled.add(pk)
            enqueue_record(pk)
            continue
        attempted += 1
        record, unblocked = _record_run(pk, worker, chain)
        if record is None or record.status != Status.PENDING:
            settled.add(pk)
        queue.extend(unblocked)
    return attempted


class _RunState:
    """What one run of records keeps between them.

    A record planned by this process is claimed from the row in hand: the
    claim only succeeds if nobody wrote the row since (updated_at), so the copy
    is still true, and its dependencies are ready when each one succeeded.
    Succeeded is final (no action leaves it, and its ERP reference is never
    changed), so a dependency seen succeeded here needs no second look.
    Anything else is read from the database as usual.
    """

    def __init__(self, in_hand: PlannedRecords) -> None:
        self.in_hand = in_hand
        self.succeeded: dict[int, SyncRecord] = {}
        self._integration: Integration | None = None

    def take(self, record_id: int) -> tuple[SyncRecord, list[SyncRecord]] | None:
        """The record and its dependencies, if in hand and ready to claim."""
        held = self.in_hand.pop(record_id, None)
        if held is None:
            return None
        record, dependencies = held
        dependencies = [self.succeeded.get(d.pk, d) for d in dependencies]
        if record.status not in (Status.PENDING, Status.RETRYING) or any(
            d.status != Status.SUCCEEDED for d in dependencies
        ):
            return None
        record.integration = self.integration(record.integration_id)
        return record, dependencies

    def integration(self, pk: int) -> Integration:
        """The integration with what a run needs, looked at once per chain."""
        if self._integration is None or self._integration.pk != pk:
            self._integration = integration_for_run(pk)
        return self._integration


# Integration pk -> (its stamp, the integration with its connections and
# anomaly policy), per process.
_integrations: dict[int, tuple[tuple, Integration]] = {}


def integration_for_run(pk: int) -> Integration:
    """The integration with its connections and anomaly policy, for a run.

    Kept per process while the four rows are unchanged: one small query reads
    their updated_at (every save sets it) and the rows are read again only
    when one moved. The queue pause is set without a save and is not part of
    the stamp: the claim checks it itself. Treat the result as read-only.
    """
    stamp = _integration_stamp(pk)
    cached = _integrations.get(pk)
    if cached is not None and stamp is not None and cached[0] == stamp:
        return cached[1]
    integration = Integration.objects.select_related(
        "erp_connection", "stripe_connection", "anomaly_policy"
    ).get(pk=pk)
    if stamp is not None:
        _integrations[pk] = (stamp, integration)
    return integration


def _integration_stamp(pk: int) -> tuple | None:
    connection = connections[router.db_for_read(Integration)]
    name = connection.ops.quote_name
    policies = Integration._meta.get_field("anomaly_policy").related_model
    sql = (
        "SELECT i.created_at, i.updated_at, e.updated_at, s.updated_at, "  # noqa: S608
        f"p.id, p.updated_at FROM {name(Integration._meta.db_table)} i "
        f"JOIN {name(Connection._meta.db_table)} e ON e.id = i.erp_connection_id "
        f"JOIN {name(Connection._meta.db_table)} s ON s.id = i.stripe_connection_id "
        f"LEFT JOIN {name(policies._meta.db_table)} p ON p.integration_id = i.id "
        "WHERE i.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return tuple(row) if row else None


def _record_run(
    record_id: int, worker: str, chain: _RunState | None = None
) -> tuple[SyncRecord | None, list[int]]:
    """Run one record; return it and the pending records its success unblocked."""
    held = chain.take(record_id) if chain else None
    if held is not None and sync_record_claim(
        record_id=record_id, worker=worker, unchanged_since=held[0].updated_at
    ):
        record, dependencies = held
    else:
        record = (
            SyncRecord.objects.select_related(
                "integration__erp_connection",
                "integration__stripe_connection",
                "integration__anomaly_policy",
            )
            .filter(pk=record_id)
            .order_by()
            .first()
        )
        if record is None or record.status not in (Status.PENDING, Status.RETRYING):
            return record, []
        if record.integration.queue_paused_reason:
            return record, []
        dependencies = list(record.depends_on.order_by())
        if any(d.status != Status.SUCCEEDED for d in dependencies):
            return record, []
        if not sync_record_claim(
            record_id=record_id, worker=worker, unchanged_since=record.updated_at
        ):
            return record, []
    # What the claim wrote, without reading the row back.
    record.status, record.lease_owner = Status.RUNNING, worker
    record.attempts += 1
    integration = record.integration
    started = timezone.now()
    clock = time.monotonic()
    ctx: RunContext | None = None
    try:
        ctx = RunContext(
            record=record,
            integration=integration,
            connector=connector_for(integration.erp_connection),
            source=_resolved_source(record, dependencies),
            stripe=stripe_api_for(integration),
        )
        hold = _anomaly_reason(record, ctx.source, dependencies)
        if hold:
            return _finish_held(record, worker, hold), []
        document = EXECUTORS.get(record.operation, default_executor)(ctx)
    except errors.ConnectorError as exc:
        _finish_failed(record, worker, exc, started, clock, ctx)
    except ApplicationError as exc:
        _finish_failed(
            record,
            worker,
            errors.ValidationError(exc.message, exc.extra),
            started,
            clock,
            ctx,
        )
    except Exception as exc:
        logger.exception("ledger record %s failed unexpectedly", record.pk)
        # Shown to finance staff: masked like the logs.
        failure = errors.ConnectorError(
            mask_secrets(f"Unexpected error: {exc.__class__.__name__}: {exc}")
        )
        _finish_failed(record, worker, failure, started, clock, ctx)
    else:
        unblocked = _finish_succeeded(record, worker, document, started, clock, ctx)
        if chain is not None and record.status == Status.SUCCEEDED:
            chain.succeeded[record.pk] = record
        return record, unblocked
    record.refresh_from_db()
    return record, []


def _resolved_source(
    record: SyncRecord, dependencies: list[SyncRecord]
) -> dict[str, Any]:
    source = dict(record.source)
    for dependency in dependencies:
        key = DEPENDENCY_OUTPUTS.get(dependency.operation)
        if key and not source.get(key):
            source[key] = dependency.erp_reference
    source["options"] = record.integration.options
    return source


def _anomaly_reason(
    record: SyncRecord, source: dict, dependencies: list[SyncRecord]
) -> str:
    if record.hold_released or record.operation not in HOLDABLE_OPERATIONS:
        return ""
    from mapping.anomalies import anomaly_check

    return anomaly_check(record=record, source=source, dependencies=dependencies)


def _owned(record: SyncRecord, worker: str):
    return SyncRecord.objects.filter(
        pk=record.pk, status=Status.RUNNING, lease_owner=worker
    )


def _attempt(
    record: SyncRecord,
    worker: str,
    started,
    clock: float,
    ctx: RunContext | None,
    **fields: Any,
) -> SyncAttempt:
    return SyncAttempt.objects.create(
        record=record,
        number=record.attempts,
        started_at=started,
        duration_ms=int((time.monotonic() - clock) * 1000),
        request=ctx.built_payload if ctx else None,
        worker=worker,
        **fields,
    )


def _finish_succeeded(
    record, worker, document: ErpDocument, started, clock, ctx
) -> list[int]:
    """Record the success; return the pending records that waited on it."""
    now = timezone.now()
    outcome = {
        "status": Status.SUCCEEDED,
        "erp_reference": document.number,
        "response": document.raw,
        "payload": record.payload,
        "mapping_version": record.mapping_version,
        "lease_owner": "",
        "lease_expires_at": None,
        "next_attempt_at": None,
        "error_class": "",
        "error_message": "",
        "succeeded_at": now,
        "updated_at": now,
    }
    attempt = {
        "number": record.attempts,
        "started_at": started,
        "duration_ms": int((time.monotonic() - clock) * 1000),
        "succeeded": True,
        "request": ctx.built_payload if ctx else None,
        "response": document.raw,
        "error_class": "",
        "error_message": "",
        "worker": worker,
    }
    unblocked = _success_write(record, worker, outcome, attempt)
    if unblocked is None:
        logger.warning("ledger record %s lost its lease before success", record.pk)
        record.refresh_from_db()
        return []
    for name, value in outcome.items():
        setattr(record, name, value)
    logger.info(
        "ledger record %s succeeded",
        record.pk,
        extra={"erp_reference": document.number, "adopted": document.adopted},
    )
    return unblocked


def _success_write(
    record: SyncRecord, worker: str, outcome: dict[str, Any], attempt: dict[str, Any]
) -> list[int] | None:
    """Write the outcome, if the lease is still ours, and its attempt, at once;
    return the pending records that wait on it, or None if the lease was lost.

    On PostgreSQL one statement does it all (an UPDATE ... RETURNING feeding
    the INSERT, whose RETURNING finds the dependents), so it needs no
    transaction of its own: 1 round trip instead of BEGIN, UPDATE, INSERT,
    COMMIT and a SELECT, and no ORM compiling either. Elsewhere the ORM
    writes them in one transaction and the dependents are read after it.
    """
    connection = connections[router.db_for_write(SyncRecord)]
    if connection.vendor != "postgresql":
        with transaction.atomic():
            if not _owned(record, worker).update(**outcome):
                return None
            SyncAttempt.objects.create(record=record, **attempt)
        return _pending_dependents(record.pk)
    name = connection.ops.quote_name
    records = name(SyncRecord._meta.db_table)
    links = name(SyncRecord.depends_on.through._meta.db_table)
    sets, set_params = _update_assignments(SyncRecord, outcome, connection)
    columns, values, value_params = _insert_select_values(
        SyncAttempt, attempt, connection
    )
    # The lone NULL row says the outcome was written; the others are the
    # pending dependents (as they were when the statement started).
    sql = (
        f"WITH done AS (UPDATE {records} "  # noqa: S608
        f"SET {sets} WHERE id = %s AND status = %s AND lease_owner = %s "
        "RETURNING id), "
        f"logged AS (INSERT INTO {name(SyncAttempt._meta.db_table)} "
        f"(record_id, {columns}) SELECT id, {values} FROM done RETURNING record_id) "
        "SELECT NULL FROM logged UNION ALL "
        f"SELECT l.from_syncrecord_id FROM logged JOIN {links} l "
        "ON l.to_syncrecord_id = logged.record_id "
        f"JOIN {records} r ON r.id = l.from_syncrecord_id WHERE r.status = %s"
    )
    params = [
        *set_params,
        record.pk,
        Status.RUNNING,
        worker,
        *value_params,
        Status.PENDING,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return None
    return sorted(pk for (pk,) in rows if pk is not None)


def _update_assignments(model: Any, values: dict[str, Any], connection: Any):
    """`col = %s, ...` and its parameters, prepared as the ORM's UPDATE does."""
    name = connection.ops.quote_name
    sets, params = [], []
    for field_name, value in values.items():
        field = model._meta.get_field(field_name)
        sets.append(f"{name(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection=connection))
    return ", ".join(sets), params


def _insert_select_values(model: Any, values: dict[str, Any], connection: Any):
    """Columns, typed placeholders and parameters for an INSERT ... SELECT.

    Typed, because PostgreSQL reads an untyped literal in a SELECT list as
    text, which a jsonb or timestamp column refuses.
    """
    name = connection.ops.quote_name
    columns, placeholders, params = [], [], []
    for field_name, value in values.items():
        field = model._meta.get_field(field_name)
        columns.append(name(field.column))
        placeholders.append(f"CAST(%s AS {field.cast_db_type(connection)})")
        params.append(field.get_db_prep_save(value, connection=connection))
    return ", ".join(columns), ", ".join(placeholders), params


def _pending_dependents(record_id: int) -> list[int]:
    """The pending records that wait on `record_id`, oldest first."""
    connection = connections[router.db_for_read(SyncRecord)]
    name = connection.ops.quote_name
    links = name(SyncRecord.depends_on.through._meta.db_table)
    records = name(SyncRecord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT l.from_syncrecord_id FROM {links} l "  # noqa: S608
            f"JOIN {records} r ON r.id = l.from_syncrecord_id "
            "WHERE l.to_syncrecord_id = %s AND r.status = %s "
            "ORDER BY l.from_syncrecord_id",
            [record_id, Status.PENDING],
        )
        return [row[0] for row in cursor.fetchall()]


def _finish_failed(
    record, worker, exc: errors.ConnectorError, started, clock, ctx
) -> None:
    now = timezone.now()
    fields: dict[str, Any] = {
        "lease_owner": "",
        "lease_expires_at": None,
        "error_class": exc.code,
        "error_message": exc.describe(),
        "payload": record.payload,
        "mapping_version": record.mapping_version,
        "updated_at": now,
    }
    if isinstance(exc, errors.AuthenticationError):
        # Retrying with credentials the ERP refuses can lock the account: stop
        # this integration's queue until someone fixes them.
        fields.update(status=Status.RETRYING, next_attempt_at=now)
    elif exc.retryable and record.attempts < settings.SYNC_MAX_ATTEMPTS:
        delay = backoff_seconds(record.attempts)
        if isinstance(exc, errors.RateLimitedError) and exc.retry_after:
            delay = max(delay, exc.retry_after)
        fields.update(
            status=Status.RETRYING, next_attempt_at=now + timedelta(seconds=delay)
        )
    else:
        if exc.retryable:
            fields["error_message"] = (
                f"Gave up after {record.attempts} attempts: {fields['error_message']}"
            )
        fields.update(status=Status.NEEDS_ATTENTION, next_attempt_at=None)
    with transaction.atomic():
        if not _owned(record, worker).update(**fields):
            logger.warning("ledger record %s lost its lease before failure", record.pk)
            return
        _attempt(
            record,
            worker,
            started,
            clock,
            ctx,
            error_class=exc.code,
            error_message=exc.describe(),
            response=exc.extra or None,
        )
        integration = record.integration
        if fields["status"] == Status.RETRYING and not isinstance(
            exc, errors.AuthenticationError
        ):
            delay = (fields["next_attempt_at"] - now).total_seconds()
            transaction.on_commit(lambda: enqueue_record_after(record.pk, delay))
        if isinstance(exc, errors.AuthenticationError):
            Integration.objects.filter(pk=integration.pk).update(
                queue_paused_reason=f"ERP rejected the credentials: {exc.message}"
            )
            alert_raise(
                integration=integration,
                level="critical",
                code="erp_authentication",
                message=f"{integration}: the ERP rejected the credentials "
                f"({exc.message}). Records wait until they are fixed and the "
                "integration is resumed.",
                dedupe_key=f"auth:{integration.pk}",
            )
        elif fields["status"] == Status.NEEDS_ATTENTION:
            alert_raise(
                integration=integration,
                level="warning",
                code="needs_attention",
                message=f"{record}: {fields['error_message']}",
                dedupe_key=f"record:{record.pk}",
            )
    logger.warning(
        "ledger record %s failed: %s",
        record.pk,
        exc.code,
        extra={"status": fields["status"], "attempt": record.attempts},
    )


def _finish_held(record: SyncRecord, worker: str, reason: str) -> SyncRecord:
    now = timezone.now()
    _owned(record, worker).update(
        status=Status.HELD,
        hold_reason=reason,
        lease_owner="",
        lease_expires_at=None,
        # A hold is a decision, not an attempt at the ERP.
        attempts=F("attempts") - 1,
        updated_at=now,
    )
    record.refresh_from_db()
    return record


# Sweeping -------------------------------------------------------------------


def sync_records_sweep(*, now=None, stale_after: int = 60) -> dict[str, int]:
    """Rescue expired leases, re-enqueue due retries and anything left pending."""
    now = now or timezone.now()
    rescued_ids = list(
        SyncRecord.objects.filter(
            status=Status.RUNNING, lease_expires_at__lt=now
        ).values_list("pk", flat=True)
    )
    rescued = SyncRecord.objects.filter(
        pk__in=rescued_ids, status=Status.RUNNING, lease_expires_at__lt=now
    ).update(
        status=Status.RETRYING,
        next_attempt_at=now,
        lease_owner="",
        lease_expires_at=None,
        error_class="lease_expired",
        error_message="The worker running this record stopped before finishing; "
        "it will be retried (the ERP is checked for the document first).",
        updated_at=now,
    )
    due = (
        SyncRecord.objects.filter(
            Q(status=Status.RETRYING, next_attempt_at__lte=now)
            | Q(
                status=Status.PENDING,
                updated_at__lt=now - timedelta(seconds=stale_after),
            ),
            integration__queue_paused_reason="",
        )
        .exclude(depends_on__in=SyncRecord.objects.exclude(status=Status.SUCCEEDED))
        .values_list("pk", flat=True)
    )
    due_ids = list(due[:5000])
    for pk in due_ids:
        enqueue_record(pk)
    stale_events = list(
        WebhookEvent.objects.filter(
            status=WebhookEvent.Status.RECEIVED,
            received_at__lt=now - timedelta(seconds=stale_after),
        ).values_list("pk", flat=True)[:5000]
    )
    for pk in stale_events:
        event_process_enqueue(pk)
    return {"rescued": rescued, "enqueued": len(due_ids), "events": len(stale_events)}


# Finance staff actions ------------------------------------------------------

RETRYABLE_BY_HAND = (Status.NEEDS_ATTENTION, Status.RETRYING, Status.SKIPPED)


def _snapshot(record: SyncRecord) -> dict[str, Any]:
    return {
        "status": record.status,
        "attempts": record.attempts,
        "error": record.error_message,
        "payload": record.payload,
    }


def sync_record_retry(*, record: SyncRecord, actor, reason: str = "") -> bool:
    """Queue a record again with a fresh attempt budget. False if not retryable."""
    with transaction.atomic():
        record = SyncRecord.objects.select_for_update().get(pk=record.pk)
        if record.status not in RETRYABLE_BY_HAND:
            return False
        before = _snapshot(record)
        record.status = Status.PENDING
        record.attempts = 0
        record.next_attempt_at = None
        record.save(
            update_fields=["status", "attempts", "next_attempt_at", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="sync_record.retry",
            target=record,
            before=before,
            after=_snapshot(record),
            reason=reason,
        )
        _enqueue_on_commit(record.pk)
    return True


def sync_record_skip(*, record: SyncRecord, actor, reason: str) -> bool:
    """Give up on a record on purpose; the reason is kept in the audit trail."""
    if not reason.strip():
        raise ApplicationError("Say why the record is skipped")
    with transaction.atomic():
        record = SyncRecord.objects.select_for_update().get(pk=record.pk)
        if record.status in (Status.SUCCEEDED, Status.SKIPPED, Status.RUNNING):
            return False
        before = _snapshot(record)
        record.status = Status.SKIPPED
        record.next_attempt_at = None
        record.save(update_fields=["status", "next_attempt_at", "updated_at"])
        audit_record(
            actor=actor,
            action="sync_record.skip",
            target=record,
            before=before,
            after=_snapshot(record),
            reason=reason,
        )
    return True


# Granted to the staff who may apply another person's edit of money, the ERP
# customer or the Stripe reference (roles.FINANCE_EXTRA).
APPROVE_PAYLOAD_PERMISSION = "integrations.approve_payload_syncrecord"

EDITABLE_BY_HAND = RETRYABLE_BY_HAND + (Status.HELD,)


def _payload_checked(record: SyncRecord, payload: Any) -> None:
    if not isinstance(payload, dict):
        raise ApplicationError("The payload must be a JSON object")
    entity = OPERATION_ENTITY.get(record.operation)
    if entity:
        payload_validate(integration=record.integration, entity=entity, payload=payload)


def _editable(record: SyncRecord) -> None:
    if record.status not in EDITABLE_BY_HAND:
        raise ApplicationError(
            f"Only failed, skipped or held records can be edited, not {record.status}"
        )


def _protected_changes(record: SyncRecord, payload: dict) -> list[str]:
    entity = OPERATION_ENTITY.get(record.operation)
    if not entity:
        # No schema says which fields are safe: every edit needs approval.
        return ["payload"]
    return payload_protected_changes(
        integration=record.integration,
        entity=entity,
        before=record.payload,
        after=payload,
    )


def _payload_apply(record: SyncRecord, payload: dict) -> None:
    """Put the payload on the locked record and queue it with a fresh budget."""
    record.payload = payload
    record.payload_edited = True
    record.status = Status.PENDING
    record.attempts = 0
    record.next_attempt_at = None
    record.save(
        update_fields=[
            "payload",
            "payload_edited",
            "status",
            "attempts",
            "next_attempt_at",
            "updated_at",
        ]
    )
    _enqueue_on_commit(record.pk)


def _payload_change_decide(
    change: PayloadChange, *, actor, status: str, reason: str
) -> None:
    decider = _person(actor)
    change.status = status
    change.decided_by = decider["user"]
    change.decided_by_label = decider["label"]
    change.decided_at = timezone.now()
    change.decision_reason = reason
    change.save()


def _person(actor) -> dict[str, Any]:
    if actor is None:
        return {"user": None, "label": "system"}
    return {"user": actor if actor.pk else None, "label": str(actor)}


def sync_record_edit_payload(
    *, record: SyncRecord, actor, payload: Any, reason: str = ""
) -> PayloadChange | None:
    """Replace the ERP payload of a failed record and queue it again.

    An edit that changes money, the ERP customer or the Stripe reference (the
    schema's protected fields) is not applied: it is kept as a pending
    PayloadChange, returned, for a second person to approve. None means the
    edit was applied.
    """
    _payload_checked(record, payload)
    with transaction.atomic():
        record = SyncRecord.objects.select_for_update().get(pk=record.pk)
        _editable(record)
        if record.payload_changes.filter(status=PayloadChange.Status.PENDING).exists():
            raise ApplicationError(
                "A change of this payload waits for approval: "
                "approve or reject it first"
            )
        before = record.payload
        protected = _protected_changes(record, payload)
        if protected:
            proposer = _person(actor)
            change = PayloadChange.objects.create(
                record=record,
                base_payload=before,
                payload=payload,
                protected_fields=protected,
                reason=reason,
                proposed_by=proposer["user"],
                proposed_by_label=proposer["label"],
            )
            audit_record(
                actor=actor,
                action="sync_record.payload_change_proposed",
                target=record,
                before={"payload": before},
                after={
                    "payload": payload,
                    "payload_change": change.pk,
                    "protected_fields": protected,
                    "status": change.status,
                },
                reason=reason,
            )
            return change
        _payload_apply(record, payload)
        audit_record(
            actor=actor,
            action="sync_record.edit_payload",
            target=record,
            before=before,
            after=payload,
            reason=reason,
        )
    return None


def sync_record_payload_change_approve(
    *, change: PayloadChange, actor, reason: str = ""
) -> PayloadChange:
    """Apply a pending change of protected fields and queue the record again.

    Four eyes: the person who proposed the change cannot approve it.
    """
    if actor is None or not actor.has_perm(APPROVE_PAYLOAD_PERMISSION):
        raise ApplicationError("You are not allowed to approve payload changes")
    with transaction.atomic():
        record = SyncRecord.objects.select_for_update().get(pk=change.record_id)
        change = PayloadChange.objects.select_for_update().get(pk=change.pk)
        if change.status == PayloadChange.Status.APPROVED:
            return change
        if change.status != PayloadChange.Status.PENDING:
            raise ApplicationError(
                f"This change was {change.status}; propose the edit again"
            )
        if change.proposed_by_id is not None and change.proposed_by_id == actor.pk:
            raise ApplicationError(
                "You proposed this change: another person must approve it"
            )
        _editable(record)
        if record.payload != change.base_payload:
            raise ApplicationError(
                "The payload changed since this was proposed: "
                "reject it and propose the edit again"
            )
        _payload_checked(record, change.payload)
        _payload_change_decide(
            change, actor=actor, status=PayloadChange.Status.APPROVED, reason=reason
        )
        _payload_apply(record, change.payload)
        audit_record(
            actor=actor,
            action="sync_record.payload_change_approved",
            target=record,
            before={
                "payload": change.base_payload,
                "payload_change": change.pk,
                "status": PayloadChange.Status.PENDING,
            },
            after={
                "payload": change.payload,
                "payload_change": change.pk,
                "protected_fields": change.protected_fields,
                "status": change.status,
                "proposed_by": change.proposed_by_label,
            },
            reason=reason,
        )
    return change


def sync_record_payload_change_reject(
    *, change: PayloadChange, actor, reason: str = ""
) -> PayloadChange:
    """Discard a pending change; its proposer may also withdraw it."""
    may_reject = actor is not None and (
        actor.has_perm(APPROVE_PAYLOAD_PERMISSION)
        or (change.proposed_by_id is not None and change.proposed_by_id == actor.pk)
    )
    if not may_reject:
        raise ApplicationError("You are not allowed to reject payload changes")
    with transaction.atomic():
        change = (
            PayloadChange.objects.select_for_update()
            .select_related("record")
            .get(pk=change.pk)
        )
        if change.status == PayloadChange.Status.REJECTED:
            return change
        if change.status != PayloadChange.Status.PENDING:
            raise ApplicationError(f"This change was {change.status} already")
        _payload_change_decide(
            change, actor=actor, status=PayloadChange.Status.REJECTED, reason=reason
        )
        audit_record(
            actor=actor,
            action="sync_record.payload_change_rejected",
            target=change.record,
            before={
                "payload": change.payload,
                "payload_change": change.pk,
                "status": PayloadChange.Status.PENDING,
            },
            after={"payload_change": change.pk, "status": change.status},
            reason=reason,
        )
    return change


def sync_record_release(*, record: SyncRecord, actor, reason: str = "") -> bool:
    """Let a held record post despite its anomaly."""
    with transaction.atomic():
        record = SyncRecord.objects.select_for_update().get(pk=record.pk)
        if record.status != Status.HELD:
            return False
        record.status = Status.PENDING
        record.hold_released = True
        record.save(update_fields=["status", "hold_released", "updated_at"])
        audit_record(
            actor=actor,
            action="sync_record.release",
            target=record,
            before={"status": Status.HELD, "hold_reason": record.hold_reason},
            after={"status": Status.PENDING},
            reason=reason,
        )
        _enqueue_on_commit(record.pk)
    return True


def integration_resume(*, integration: Integration, actor) -> int:
    """Clear an authentication pause and queue every record that waited."""
    from .models import Alert

    with transaction.atomic():
        integration = Integration.objects.select_for_update().get(pk=integration.pk)
        if not integration.queue_paused_reason:
            return 0
        before = integration.queue_paused_reason
        integration.queue_paused_reason = ""
        integration.save(update_fields=["queue_paused_reason", "updated_at"])
        Alert.objects.filter(
            dedupe_key=f"auth:{integration.pk}", resolved_at__isnull=True
        ).update(resolved_at=timezone.now())
        waiting = list(
            SyncRecord.objects.filter(
                integration=integration, status__in=[Status.RETRYING, Status.PENDING]
            ).values_list("pk", flat=True)
        )
        SyncRecord.objects.filter(pk__in=waiting, status=Status.RETRYING).update(
            next_attempt_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="integration.resume",
            target=integration,
            before={"paused": before},
            after={"paused": ""},
        )
        for pk in waiting:
            _enqueue_on_commit(pk)
    return len(waiting)
