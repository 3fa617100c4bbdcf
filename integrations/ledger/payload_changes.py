"""Hand edits of a record's ERP payload, with four eyes on protected fields.

An edit of a failed, skipped or held record that leaves the schema's
protected fields (money, the ERP customer, the Stripe reference) alone is
applied at once; one that changes them waits as a PayloadChange until a
second person approves it.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from integrations.audit import audit_record
from integrations.models import PayloadChange, SyncRecord
from integrations.operations import OPERATION_ENTITY
from mapping.services import payload_protected_changes, payload_validate
from portal.exceptions import ApplicationError

from . import queueing
from .actions import RETRYABLE_BY_HAND

Status = SyncRecord.Status

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
    queueing.enqueue_record_on_commit(record.pk)


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
