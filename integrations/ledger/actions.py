"""What finance staff do to ledger records: retry, skip, release a hold,
settle an unknown outcome (confirm posted, or post again), and resume an
integration paused on refused credentials.

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

SETTLE_PERMISSION = "integrations.settle_syncrecord"

# The longest ERP reference a person may type (SyncRecord.erp_reference).
ERP_REFERENCE_MAX_LENGTH = SyncRecord._meta.get_field("erp_reference").max_length


def _snapshot(record: SyncRecord) -> dict[str, Any]:
    return {
        "status": record.status,
        "attempts": record.attempts,
        "error": record.error_message,
        "payload": record.payload,
    }


def _alert_resolve(record: SyncRecord) -> None:
    Alert.objects.filter(
        dedupe_key=f"record:{record.pk}", resolved_at__isnull=True
    ).update(resolved_at=timezone.now())


def erp_reference_cleaned(erp_reference: str) -> str:
    """The ERP reference a person typed, trimmed; ApplicationError saying what
    to fix if it cannot be one."""
    value = (erp_reference or "").strip()
    if not value:
        raise ApplicationError(
            "Enter the document's reference as the ERP shows it "
            "(order, receipt, memo or journal number)."
        )
    if len(value) > ERP_REFERENCE_MAX_LENGTH:
        raise ApplicationError(
            f"The ERP reference is {len(value)} characters long; "
            f"at most {ERP_REFERENCE_MAX_LENGTH} fit."
        )
    if any(not ch.isprintable() for ch in value):
        raise ApplicationError(
            "The ERP reference holds a line break or another control character; "
            "copy only the reference."
        )
    return value


def sync_record_confirm_posted(
    *, record: SyncRecord, actor, erp_reference: str, reason: str = ""
) -> bool:
    """Settle an unknown outcome as posted: a person found the document in the
    ERP. The record succeeds with that reference and its dependents run.

    False if the record is not in unknown_outcome (already settled, or never
    was). ApplicationError if the reference is not one, or is already the
    document of another record of the same operation.
    """
    erp_reference = erp_reference_cleaned(erp_reference)
    with transaction.atomic():
        record = SyncRecord.objects.select_for_update().get(pk=record.pk)
        if record.status != Status.UNKNOWN_OUTCOME:
            return False
        if record.operation != SyncRecord.Operation.UPSERT_CUSTOMER:
            # Customers are shared by many records; any other document is one
            # record's alone, so a reference already taken is a typing slip.
            taken = (
                SyncRecord.objects.filter(
                    integration_id=record.integration_id,
                    operation=record.operation,
                    status=Status.SUCCEEDED,
                    erp_reference=erp_reference,
                )
                .exclude(pk=record.pk)
                .first()
            )
            if taken is not None:
                raise ApplicationError(
                    f"ERP reference {erp_reference} is already the document of "
                    f"ledger record #{taken.pk} ({taken.stripe_id}); check the "
                    "number in the ERP.",
                    {"record_id": taken.pk},
                )
        before = _snapshot(record)
        now = timezone.now()
        record.status = Status.SUCCEEDED
        record.erp_reference = erp_reference
        record.next_attempt_at = None
        record.succeeded_at = now
        record.save(
            update_fields=[
                "status",
                "erp_reference",
                "next_attempt_at",
                "succeeded_at",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="sync_record.confirm_posted",
            target=record,
            before=before,
            after={**_snapshot(record), "erp_reference": erp_reference},
            reason=reason,
        )
        _alert_resolve(record)
        for pk in (
            SyncRecord.objects.filter(
                depends_on=record, status__in=(Status.PENDING, Status.RETRYING)
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        ):
            queueing.enqueue_record_on_commit(pk)
    return True


def sync_record_post_again(*, record: SyncRecord, actor, reason: str = "") -> bool:
    """Settle an unknown outcome as not posted: a person found no document in
    the ERP, so the record is queued to post it again with a fresh attempt
    budget. False if the record is not in unknown_outcome.
    """
    return _requeue(
        record,
        from_statuses=(Status.UNKNOWN_OUTCOME,),
        action="sync_record.post_again",
        actor=actor,
        reason=reason,
    )


def sync_record_retry(*, record: SyncRecord, actor, reason: str = "") -> bool:
    """Queue a record again with a fresh attempt budget. False if not retryable."""
    return _requeue(
        record,
        from_statuses=RETRYABLE_BY_HAND,
        action="sync_record.retry",
        actor=actor,
        reason=reason,
    )


def _requeue(
    record: SyncRecord, *, from_statuses, action: str, actor, reason: str
) -> bool:
    """Back to pending with a fresh attempt budget, audited, queued on commit;
    an alert raised for the record is resolved. False (and nothing changed)
    unless the record is in one of `from_statuses`."""
    with transaction.atomic():
        record = SyncRecord.objects.select_for_update().get(pk=record.pk)
        if record.status not in from_statuses:
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
            action=action,
            target=record,
            before=before,
            after=_snapshot(record),
            reason=reason,
        )
        _alert_resolve(record)
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
