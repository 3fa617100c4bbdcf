"""Reads behind the API: the integrations side (payouts are in reconciliation.py)."""

from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from integrations.models import (
    Alert,
    AuditEntry,
    Integration,
    PayloadChange,
    SyncRecord,
    WebhookEvent,
)

Status = SyncRecord.Status


def _window(
    queryset: QuerySet, field: str, after: datetime | None, before: datetime | None
) -> QuerySet:
    if after is not None:
        queryset = queryset.filter(**{f"{field}__gte": after})
    if before is not None:
        queryset = queryset.filter(**{f"{field}__lt": before})
    return queryset


def integrations_with_health() -> QuerySet[Integration]:
    """Integrations with the counts a health view needs, one query."""
    return Integration.objects.select_related("erp_connection").annotate(
        needs_attention=Count(
            "sync_records",
            filter=Q(sync_records__status=Status.NEEDS_ATTENTION),
            distinct=True,
        ),
        retrying=Count(
            "sync_records",
            filter=Q(sync_records__status=Status.RETRYING),
            distinct=True,
        ),
        held=Count(
            "sync_records", filter=Q(sync_records__status=Status.HELD), distinct=True
        ),
        unknown_outcome=Count(
            "sync_records",
            filter=Q(sync_records__status=Status.UNKNOWN_OUTCOME),
            distinct=True,
        ),
        open_alerts=Count(
            "alerts", filter=Q(alerts__resolved_at__isnull=True), distinct=True
        ),
        last_event_at=Max("events__received_at"),
    )


def webhook_events_list(*, filters: dict[str, Any]) -> QuerySet[WebhookEvent]:
    queryset = WebhookEvent.objects.all()
    for name in ("integration", "status", "type", "stripe_id", "object_id"):
        if filters.get(name) not in (None, ""):
            queryset = queryset.filter(**{name: filters[name]})
    return _window(
        queryset,
        "received_at",
        filters.get("received_after"),
        filters.get("received_before"),
    )


def sync_records_list(*, filters: dict[str, Any]) -> QuerySet[SyncRecord]:
    # The ERP kind names the table a record's error is explained from.
    queryset = SyncRecord.objects.select_related(
        "integration__erp_connection", "reversal"
    )
    for name in (
        "integration",
        "status",
        "operation",
        "stripe_id",
        "erp_reference",
        "event",
    ):
        if filters.get(name) not in (None, ""):
            queryset = queryset.filter(**{name: filters[name]})
    reversal = filters.get("reversal")
    if reversal == "reversed":
        queryset = queryset.filter(reversal__isnull=False)
    elif reversal == "reversal":
        queryset = queryset.filter(reverses__isnull=False)
    elif reversal == "neither":
        queryset = queryset.filter(reversal__isnull=True, reverses__isnull=True)
    return _window(
        queryset,
        "created_at",
        filters.get("created_after"),
        filters.get("created_before"),
    )


def sync_record_audit(*, record: SyncRecord) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        target_type=SyncRecord._meta.label_lower, target_id=str(record.pk)
    ).order_by("created_at", "id")


def payload_changes_list(*, filters: dict[str, Any]) -> QuerySet[PayloadChange]:
    queryset = PayloadChange.objects.all()
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("record") is not None:
        queryset = queryset.filter(record=filters["record"])
    return queryset


def alerts_list(*, filters: dict[str, Any]) -> QuerySet[Alert]:
    queryset = Alert.objects.all()
    for name in ("integration", "level", "code"):
        if filters.get(name) not in (None, ""):
            queryset = queryset.filter(**{name: filters[name]})
    if filters.get("open") is not None:
        queryset = queryset.filter(resolved_at__isnull=filters["open"])
    return queryset
