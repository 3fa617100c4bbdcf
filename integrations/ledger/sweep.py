"""The sweep: what a schedule does so that nothing stays stuck.

Rescues records whose worker died (expired leases), re-offers due retries and
records left pending, and re-offers webhook events never processed.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from integrations.audit import alert_raise
from integrations.erps.registry import erp_package
from integrations.models import SyncRecord, WebhookEvent
from integrations.operations import REPEATABLE_OPERATIONS
from integrations.queue import event_process_enqueue

from . import queueing

Status = SyncRecord.Status


def sync_records_sweep(*, now=None, stale_after: int = 60) -> dict[str, int]:
    """Rescue expired leases, re-enqueue due retries and anything left pending."""
    now = now or timezone.now()
    expired = SyncRecord.objects.filter(
        status=Status.RUNNING, lease_expires_at__lt=now
    ).select_related("integration__erp_connection")
    # A worker that died mid-call may have posted. Where the ERP can be asked
    # by Stripe reference, the retry looks it up first; where it cannot, a
    # person settles it, as for a reply lost in transit.
    askable, unaskable = [], []
    for record in expired:
        kind = record.integration.erp_connection.kind
        can_ask = (
            erp_package(kind).can_look_up(record.operation)
            or record.operation in REPEATABLE_OPERATIONS
        )
        (askable if can_ask else unaskable).append(record)
    rescued = SyncRecord.objects.filter(
        pk__in=[r.pk for r in askable], status=Status.RUNNING, lease_expires_at__lt=now
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
    for record in unaskable:
        rescued += _unknown_outcome_after_lease(record, now)
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
        queueing.enqueue_record(pk)
    stale_events = list(
        WebhookEvent.objects.filter(
            status=WebhookEvent.Status.RECEIVED,
            received_at__lt=now - timedelta(seconds=stale_after),
        ).values_list("pk", flat=True)[:5000]
    )
    for pk in stale_events:
        event_process_enqueue(pk)
    return {"rescued": rescued, "enqueued": len(due_ids), "events": len(stale_events)}


def _unknown_outcome_after_lease(record: SyncRecord, now) -> int:
    message = (
        "The worker running this record stopped before finishing, and the ERP "
        "cannot be asked for this document by its Stripe reference: look it up "
        "in the ERP, then confirm it posted (with its ERP reference) or post it "
        "again."
    )
    with transaction.atomic():
        moved = SyncRecord.objects.filter(
            pk=record.pk, status=Status.RUNNING, lease_expires_at__lt=now
        ).update(
            status=Status.UNKNOWN_OUTCOME,
            next_attempt_at=None,
            lease_owner="",
            lease_expires_at=None,
            error_class="lease_expired",
            error_message=message,
            updated_at=now,
        )
        if moved:
            alert_raise(
                integration=record.integration,
                level="critical",
                code="unknown_outcome",
                message=f"{record}: the ERP may or may not have posted it. {message}",
                dedupe_key=f"record:{record.pk}",
            )
    return moved
