"""Writing what became of a run: success, retry with backoff, needs_attention,
unknown_outcome, or a hold.

Each outcome is written only while the worker still holds the record's lease,
together with its SyncAttempt; a lost lease writes nothing.
"""

import logging
import random
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from integrations.audit import alert_raise
from integrations.connectors import errors
from integrations.connectors.records import ErpDocument
from integrations.models import Integration, SyncAttempt, SyncRecord

from . import queueing, sql

logger = logging.getLogger(__name__)

Status = SyncRecord.Status


def backoff_seconds(attempt: int, *, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter: base·2^(n−1), capped, then 50–100 %."""
    base = settings.SYNC_BACKOFF_BASE_SECONDS
    ceiling = settings.SYNC_BACKOFF_MAX_SECONDS
    delay = min(ceiling, base * 2 ** max(0, attempt - 1))
    return delay * (rng or random).uniform(0.5, 1.0)


def _owned(record: SyncRecord, worker: str) -> QuerySet[SyncRecord]:
    """The record, only while `worker` still holds its lease."""
    return SyncRecord.objects.filter(
        pk=record.pk, status=Status.RUNNING, lease_owner=worker
    )


def record_succeeded(
    record: SyncRecord,
    worker: str,
    document: ErpDocument,
    *,
    started: datetime,
    duration_ms: int,
    request: dict | None,
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
        "duration_ms": duration_ms,
        "succeeded": True,
        "request": request,
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
    """
    connection = connections[router.db_for_write(SyncRecord)]
    if connection.vendor == "postgresql":
        return sql.success_write_returning_dependents(
            record=record,
            worker=worker,
            outcome=outcome,
            attempt=attempt,
            connection=connection,
        )
    with transaction.atomic():
        if not _owned(record, worker).update(**outcome):
            return None
        SyncAttempt.objects.create(record=record, **attempt)
    return _pending_dependents(record.pk)


def _pending_dependents(record_id: int) -> list[int]:
    """The pending records that wait on `record_id`, oldest first."""
    return list(
        SyncRecord.objects.filter(depends_on=record_id, status=Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def record_failed(
    record: SyncRecord,
    worker: str,
    exc: errors.ConnectorError,
    *,
    started: datetime,
    duration_ms: int,
    request: dict | None,
) -> None:
    """Schedule a retry, pause the integration on refused credentials, or give
    the record to finance staff (needs_attention) with an alert."""
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
        SyncAttempt.objects.create(
            record=record,
            number=record.attempts,
            started_at=started,
            duration_ms=duration_ms,
            request=request,
            worker=worker,
            error_class=exc.code,
            error_message=exc.describe(),
            response=exc.extra or None,
        )
        integration = record.integration
        if fields["status"] == Status.RETRYING and not isinstance(
            exc, errors.AuthenticationError
        ):
            delay = (fields["next_attempt_at"] - now).total_seconds()
            transaction.on_commit(
                lambda: queueing.enqueue_record_after(record.pk, delay)
            )
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


def record_unknown_outcome(
    record: SyncRecord,
    worker: str,
    exc: errors.UnknownOutcomeError,
    *,
    started: datetime,
    duration_ms: int,
    request: dict | None,
) -> None:
    """A write whose reply was lost, of an operation the ERP cannot be asked
    about: keep what was sent, raise an alert, and wait for a person.

    Nothing retries it (the sweep and the retry action pass this state by):
    sending it again could post a second document. Its dependents wait.
    """
    now = timezone.now()
    message = (
        f"{exc.describe().rstrip('.')}. The ERP cannot be asked for this "
        "document by its Stripe reference: look it up in the ERP, then confirm "
        "it posted (with its ERP reference) or post it again."
    )
    fields: dict[str, Any] = {
        "status": Status.UNKNOWN_OUTCOME,
        "lease_owner": "",
        "lease_expires_at": None,
        "next_attempt_at": None,
        "error_class": exc.code,
        "error_message": message,
        "payload": record.payload,
        "mapping_version": record.mapping_version,
        "updated_at": now,
    }
    with transaction.atomic():
        if not _owned(record, worker).update(**fields):
            logger.warning(
                "ledger record %s lost its lease before an unknown outcome", record.pk
            )
            return
        SyncAttempt.objects.create(
            record=record,
            number=record.attempts,
            started_at=started,
            duration_ms=duration_ms,
            request=request,
            worker=worker,
            error_class=exc.code,
            error_message=exc.describe(),
            response=exc.extra or None,
        )
        alert_raise(
            integration=record.integration,
            level="critical",
            code="unknown_outcome",
            message=f"{record}: the ERP may or may not have posted it. {message}",
            dedupe_key=f"record:{record.pk}",
        )
    logger.warning(
        "ledger record %s: outcome unknown",
        record.pk,
        extra={"status": Status.UNKNOWN_OUTCOME, "attempt": record.attempts},
    )


def record_held(record: SyncRecord, worker: str, reason: str) -> SyncRecord:
    """Hold the record for review (an anomaly) instead of posting it."""
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
