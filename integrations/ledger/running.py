"""Claiming and running ledger records.

A record is claimed with a conditional UPDATE that also sets a lease, so two
workers never run it at once; a record whose worker died is rescued by the
sweep when its lease expires. The ERP call happens outside any database
transaction; outcomes.py writes the outcome only while the lease is still
ours. A success runs the records it unblocked in the same worker. A write
whose reply was lost is retried only where the ERP package can look its
reference up; otherwise it waits in unknown_outcome for a person.
"""

import logging
import os
import socket
import time
from collections import deque
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.utils import timezone

from integrations.connectors import errors, stripe_api
from integrations.erps.registry import connector_for, erp_package
from integrations.models import Integration, SyncRecord
from integrations.operations import REPEATABLE_OPERATIONS, source_resolved
from integrations.periods import PeriodClosedError
from integrations.workflows import EXECUTORS
from mapping import anomalies
from mapping.services import ActiveSets
from portal.exceptions import ApplicationError
from portal.logging import mask_secrets

from . import outcomes, queueing, sql
from .cache import integration_for_run, integration_loaded_for_run
from .context import RunContext, default_executor

logger = logging.getLogger(__name__)

Status = SyncRecord.Status

# The clock of run durations and of the run's deadline (a seam for tests).
_clock = time.monotonic

# Operations checked for anomalies before they post.
HOLDABLE_OPERATIONS = frozenset(
    {"create_sales_order", "post_payment", "post_credit_note", "create_invoice"}
)

# Records this process has just planned: pk -> (the row as the planner wrote
# it, the records it depends on).
PlannedRecords = dict[int, tuple[SyncRecord, list[SyncRecord]]]


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def sync_record_claim(
    *,
    record_id: int,
    worker: str,
    unchanged_since: Any = None,
    unsent: bool = False,
) -> bool:
    """Take the lease if the record is due; exactly one concurrent caller wins.

    With `unchanged_since` (the updated_at the caller read), the claim also
    fails if anyone wrote the record since, so the caller's copy stays true.
    The integration's pause is checked in the same statement, so a pause
    another worker set a moment ago stops this claim too.

    Every claim sets erp_send_started before anything is sent. With `unsent`
    (the caller read it unset) the claim also fails if it is set, so a claim
    that succeeds proves this is the record's first attempt: nothing of the
    record can be in the ERP yet.
    """
    now = timezone.now()
    # One UPDATE whose conditions are all on the record's own row (the pause
    # is an EXISTS, not a join), so the database re-checks them on the row it
    # locks and a second worker's claim finds the status already changed.
    return sql.record_claim(
        record_id=record_id,
        worker=worker,
        now=now,
        lease_expires_at=now + timedelta(seconds=settings.SYNC_LEASE_SECONDS),
        unchanged_since=unchanged_since,
        unsent=unsent,
        connection=connections[router.db_for_write(SyncRecord)],
    )


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


def sync_records_run(
    record_ids: list[int],
    *,
    worker: str | None = None,
    planned: PlannedRecords | None = None,
    integration: Integration | None = None,
) -> int:
    """Run records here, in order, with the records each success unblocks.

    One event's customer, sales order and payment so take one worker and no
    trips through the queue. Past SYNC_INLINE_RECORDS, or half the task
    timeout (a slow ERP), the rest are enqueued, so django-q2 never kills the
    task mid-call. Returns how many were attempted here.

    `planned`: rows the caller has just written (the planner), which are run
    without being read again; see _record_run. `integration`: their
    integration as the caller read it in this task, used when it was read with
    what a run needs (cache.RUN_RELATED), so the run need not look again.
    """
    worker = worker or worker_id()
    deadline = _clock() + settings.Q_CLUSTER.get("timeout", 120) / 2
    known = _KnownRows(planned or {}, integration)
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
        if attempted >= settings.SYNC_INLINE_RECORDS or _clock() > deadline:
            settled.add(pk)
            queueing.enqueue_record(pk)
            continue
        attempted += 1
        record, unblocked = _record_run(pk, worker, known)
        if record is None or record.status != Status.PENDING:
            settled.add(pk)
        queue.extend(unblocked)
    return attempted


class _KnownRows:
    """What one run of several records already knows, so it need not read it.

    A record planned by this process is claimed from the planner's row: the
    claim only succeeds if nobody wrote the row since (updated_at), so the copy
    is still true, and its dependencies are ready when each one succeeded.
    Succeeded is final (no action leaves it, and its ERP reference is never
    changed), so a dependency seen succeeded here needs no second look.
    Anything else is read from the database as usual.
    """

    def __init__(
        self, planned: PlannedRecords, integration: Integration | None = None
    ) -> None:
        self.planned = planned
        self.succeeded: dict[int, SyncRecord] = {}
        # Read by the caller in this task with everything a run needs: as
        # fresh as the stamp query would make it.
        self._integration = (
            integration
            if integration is not None and integration_loaded_for_run(integration)
            else None
        )
        self._active_sets: ActiveSets | None = None

    def planned_ready(
        self, record_id: int
    ) -> tuple[SyncRecord, list[SyncRecord]] | None:
        """The planned record and its dependencies, if ready to claim."""
        planned = self.planned.pop(record_id, None)
        if planned is None:
            return None
        record, dependencies = planned
        dependencies = [self.succeeded.get(d.pk, d) for d in dependencies]
        if record.status not in (Status.PENDING, Status.RETRYING) or any(
            d.status != Status.SUCCEEDED for d in dependencies
        ):
            return None
        record.integration = self.integration(record.integration_id)
        return record, dependencies

    def integration(self, pk: int) -> Integration:
        """The integration with what a run needs, looked at once per run."""
        if self._integration is None or self._integration.pk != pk:
            self._integration = integration_for_run(pk)
        return self._integration

    def active_sets(self, integration_id: int) -> ActiveSets:
        """The run's reading of the integration's active mapping sets."""
        if self._active_sets is None or (
            self._active_sets.integration_id != integration_id
        ):
            self._active_sets = ActiveSets(integration_id)
        return self._active_sets


def _record_run(
    record_id: int, worker: str, known: _KnownRows | None = None
) -> tuple[SyncRecord | None, list[int]]:
    """Run one record; return it and the pending records its success unblocked."""
    planned = known.planned_ready(record_id) if known else None
    if planned is not None and sync_record_claim(
        record_id=record_id,
        worker=worker,
        unchanged_since=planned[0].updated_at,
        unsent=not planned[0].erp_send_started,
    ):
        record, dependencies = planned
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
            record_id=record_id,
            worker=worker,
            unchanged_since=record.updated_at,
            unsent=not record.erp_send_started,
        ):
            return record, []
    # The claim succeeded on the copy's value of the marker: unset means no
    # earlier attempt can have sent anything.
    never_sent = not record.erp_send_started
    # What the claim wrote, without reading the row back.
    record.status, record.lease_owner = Status.RUNNING, worker
    record.erp_send_started = True
    record.attempts += 1
    integration = record.integration
    started = timezone.now()
    clock = _clock()
    ctx: RunContext | None = None

    def attempt_log() -> dict[str, Any]:
        """What the attempt row records of this try, as it ends."""
        return {
            "started": started,
            "duration_ms": int((_clock() - clock) * 1000),
            "request": ctx.built_payload if ctx else None,
        }

    try:
        ctx = RunContext(
            record=record,
            integration=integration,
            connector=connector_for(integration.erp_connection),
            source=source_resolved(record, dependencies),
            stripe=stripe_api.stripe_api_for(integration),
            active_sets=known.active_sets(integration.pk) if known else None,
            never_sent=never_sent,
        )
        hold = _anomaly_reason(record, ctx.source, dependencies)
        if hold:
            return outcomes.record_held(record, worker, hold), []
        document = EXECUTORS.get(record.operation, default_executor)(ctx)
    except errors.UnknownOutcomeError as exc:
        if erp_package(integration.erp_connection.kind).can_look_up(record.operation):
            # The retry's lookup adopts what the ERP committed, if it did.
            retry = errors.TransientError(
                f"{exc.describe().rstrip('.')}. It is retried: the ERP is asked "
                "for the document by its Stripe reference first.",
                exc.extra,
            )
            outcomes.record_failed(record, worker, retry, **attempt_log())
        elif record.operation in REPEATABLE_OPERATIONS:
            retry = errors.TransientError(
                f"{exc.describe().rstrip('.')}. It is retried: sending it again "
                "writes the same values.",
                exc.extra,
            )
            outcomes.record_failed(record, worker, retry, **attempt_log())
        else:
            outcomes.record_unknown_outcome(record, worker, exc, **attempt_log())
    except errors.ConnectorError as exc:
        outcomes.record_failed(record, worker, exc, **attempt_log())
    except (PeriodClosedError, errors.HeldForReviewError) as exc:
        # A closed period, or a document the ERP cannot take (a journal in a
        # currency its ledger does not keep), is a decision for finance staff,
        # not an ERP attempt.
        return outcomes.record_held(record, worker, exc.message), []
    except ApplicationError as exc:
        failure = errors.ValidationError(exc.message, exc.extra)
        outcomes.record_failed(record, worker, failure, **attempt_log())
    except Exception as exc:
        logger.exception("ledger record %s failed unexpectedly", record.pk)
        # Shown to finance staff: masked like the logs.
        failure = errors.ConnectorError(
            mask_secrets(f"Unexpected error: {exc.__class__.__name__}: {exc}")
        )
        outcomes.record_failed(record, worker, failure, **attempt_log())
    else:
        unblocked = outcomes.record_succeeded(record, worker, document, **attempt_log())
        if known is not None and record.status == Status.SUCCEEDED:
            known.succeeded[record.pk] = record
        return record, unblocked
    record.refresh_from_db()
    return record, []


def _anomaly_reason(
    record: SyncRecord, source: dict, dependencies: list[SyncRecord]
) -> str:
    if record.hold_released or record.operation not in HOLDABLE_OPERATIONS:
        return ""
    return anomalies.anomaly_check(
        record=record, source=source, dependencies=dependencies
    )
