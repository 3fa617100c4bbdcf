"""Reversing a succeeded ledger record: plan the record that posts the ERP's
reversing document (integrations/workflows/reversals.py says which), once.

Exactly once, however often it is asked: the original's row is locked, a
reversal already made is returned as it is, and the database refuses a second
one twice over (the reversal's idempotency key, derived from the original's,
is unique; so is `SyncRecord.reverses`). The reversal then runs like any
ledger record: its connector looks its reference up before it creates, so a
retried task or a lost reply adopts the document instead of making another.
Nothing is deleted: the original keeps its document and shows its reversal.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.audit import audit_record
from integrations.models import SyncRecord
from integrations.operations import history_columns
from integrations.workflows.reversals import (
    ReversalRefused,
    reversal_planned,
    reversal_refusal,
)
from portal.exceptions import ApplicationError

from . import queueing

Status = SyncRecord.Status

REVERSE_PERMISSION = "integrations.reverse_syncrecord"

# Dependents in these states may still reach the ERP on top of the original.
_STILL_OPEN = (
    Status.PENDING,
    Status.RUNNING,
    Status.RETRYING,
    Status.HELD,
    Status.NEEDS_ATTENTION,
    Status.UNKNOWN_OUTCOME,
)


def sync_record_reversal_refusal(*, record: SyncRecord) -> str:
    """Why `record` cannot be reversed now, or "" when it can (for the
    admin's button and the API; the service checks again under a lock)."""
    if SyncRecord.objects.filter(reverses=record).exists():
        return f"Record #{record.pk} is already reversed."
    return _refusal(record)


def sync_record_reverse(
    *, record: SyncRecord, actor, reason: str
) -> tuple[SyncRecord, bool]:
    """Plan the reversal of a succeeded record; (the reversal, created here).

    A record already reversed returns its reversal and False, whatever state
    that reversal is in (a failed one is retried like any ledger record).
    ReversalRefused (an ApplicationError) says why a record cannot be.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Say why the record is reversed.")
    now = timezone.now()
    with transaction.atomic():
        original = (
            SyncRecord.objects.select_for_update()
            .select_related("integration")
            .get(pk=record.pk)
        )
        existing = SyncRecord.objects.filter(reverses=original).first()
        if existing is not None:
            return existing, False
        refusal = _refusal(original)
        if refusal:
            raise ReversalRefused(refusal, {"record_id": original.pk})
        planned = reversal_planned(record=original, created=int(now.timestamp()))
        reversal = SyncRecord(
            integration=original.integration,
            operation=planned.operation,
            idempotency_key=f"{original.integration_id}:{planned.key}",
            stripe_id=planned.stripe_id,
            source=planned.source,
            reverses=original,
            requested_by=actor if actor is not None and actor.pk else None,
            requested_by_label=str(actor) if actor is not None else "system",
            # A person asked for it and confirmed: the anomaly checks (a
            # credit note the size of an invoice) must not hold it.
            hold_released=True,
            **history_columns(planned.source, customer=""),
        )
        try:
            with transaction.atomic():
                reversal.save(force_insert=True)
        except IntegrityError:
            # Another request reversed it between our read and our insert
            # (possible only where the row lock is not one, e.g. SQLite).
            existing = SyncRecord.objects.filter(reverses=original).first()
            if existing is None:
                raise
            return existing, False
        reversal.depends_on.add(original)
        audit_record(
            actor=actor,
            action="sync_record.reverse",
            target=original,
            before={"status": original.status, "reversal": None},
            after={
                "status": original.status,
                "reversal": reversal.pk,
                "reversal_operation": reversal.operation,
                "reversal_reference": reversal.stripe_id,
            },
            reason=reason,
        )
        audit_record(
            actor=actor,
            action="sync_record.reversal_planned",
            target=reversal,
            before=None,
            after={
                "status": reversal.status,
                "reverses": original.pk,
                "operation": reversal.operation,
                "amount": reversal.amount,
                "currency": reversal.currency,
            },
            reason=reason,
        )
        queueing.enqueue_record_on_commit(reversal.pk)
    return reversal, True


def _refusal(record: SyncRecord) -> str:
    if record.status != Status.SUCCEEDED:
        hint = (
            " Settle its unknown outcome first."
            if record.status == Status.UNKNOWN_OUTCOME
            else " Only a posted document can be reversed; skip the record "
            "instead if it should not post."
        )
        return (
            f"Record #{record.pk} is {record.get_status_display().lower()}, "
            f"not succeeded.{hint}"
        )
    refusal = reversal_refusal(record)
    if refusal:
        return refusal
    return _dependents_refusal(record)


def _dependents_refusal(record: SyncRecord) -> str:
    """A document posted on top of this one (a payment of the invoice, a
    credit note against it) must be reversed first, or the ERP would be left
    with a payment of an invoice that is no longer owed."""
    for dependent in record.dependents.exclude(reverses=record).order_by("pk"):
        label = f"#{dependent.pk} ({dependent.get_operation_display().lower()})"
        if dependent.status in _STILL_OPEN:
            return (
                f"Record {label} waits on this one and is "
                f"{dependent.get_status_display().lower()}: settle or skip it "
                "first."
            )
        if dependent.status != Status.SUCCEEDED:
            continue
        reversal = SyncRecord.objects.filter(reverses=dependent).first()
        if reversal is None or reversal.status != Status.SUCCEEDED:
            return f"Record {label} was posted on top of this one: reverse it first" + (
                f" (its reversal #{reversal.pk} is "
                f"{reversal.get_status_display().lower()})."
                if reversal is not None
                else "."
            )
    return ""
