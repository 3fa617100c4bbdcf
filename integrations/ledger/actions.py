"""What finance staff do to ledger records: retry, skip, release a hold, and
resume an integration paused on refused credentials.

Each action locks the row, returns early when it does not apply, and writes
an audit entry in the same transaction. Payload edits are in
payload_changes.py.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from integrations.audit import audit_record
from integrations.models import Alert, Integration, SyncRecord
from portal.exceptions import ApplicationError

from . import queueing

Status = SyncRecord.Status

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
        queueing.enqueue_record_on_commit(record.pk)
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
        queueing.enqueue_record_on_commit(record.pk)
    return True


def integration_resume(*, integration: Integration, actor) -> int:
    """Clear an authentication pause and queue every record that waited."""
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
            queueing.enqueue_record_on_commit(pk)
    return len(waiting)
