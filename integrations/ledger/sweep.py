"""The sweep: what a schedule does so that nothing stays stuck.

Rescues records whose worker died (expired leases), re-offers due retries and
records left pending, and re-offers webhook events never processed.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from integrations.models import SyncRecord, WebhookEvent
from integrations.queue import event_process_enqueue

from . import queueing

Status = SyncRecord.Status


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
