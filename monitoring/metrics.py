"""Prometheus metrics, computed from the database at scrape time.

gunicorn runs several web processes and django-q2 its own processes, on one
machine or many, so counters kept in a process would each tell part of the
story. Every figure here is read from the shared database when /metrics is
scraped: counts and ages with a few grouped queries, ERP call latency from
the histogram rows the scheduled roll-up keeps (monitoring/rollup.py), so
any process answers the same.
"""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, Min, Q
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from integrations.models import (
    Alert,
    Integration,
    RejectedDelivery,
    SyncRecord,
    WebhookEvent,
)
from integrations.queue import broker

from .models import AlertDelivery, ErpCallLatency, IntegrationHealth
from .rollup import BUCKETS_SECONDS

PREFIX = "ledgerbridge"


def _age(now: datetime, at: datetime | None) -> float:
    return max((now - at).total_seconds(), 0.0) if at else 0.0


class LedgerCollector(Collector):
    def __init__(self, now: datetime | None = None) -> None:
        self.now = now

    def collect(self) -> Iterator[Metric]:
        now = self.now or timezone.now()
        names = dict(Integration.objects.values_list("pk", "name"))
        yield from self._events(names)
        yield from self._records(names, now)
        yield from self._erp_calls(names, now)
        yield from self._queue()
        yield from self._alerts()

    def _events(self, names: dict[int, str]) -> Iterator[Metric]:
        received = CounterMetricFamily(
            f"{PREFIX}_webhook_events_received",
            "Stripe events stored (webhook, sweep or backfill), by type.",
            labels=["integration", "type"],
        )
        by_status = GaugeMetricFamily(
            f"{PREFIX}_webhook_events",
            "Stored Stripe events by type and status (received = not yet "
            "processed; processed, ignored, failed).",
            labels=["integration", "type", "status"],
        )
        totals: dict[tuple[str, str], int] = {}
        for row in (
            WebhookEvent.objects.values("integration_id", "type", "status")
            .annotate(count=Count("pk"))
            .order_by()
        ):
            integration = names.get(row["integration_id"], str(row["integration_id"]))
            key = (integration, row["type"])
            totals[key] = totals.get(key, 0) + row["count"]
            by_status.add_metric(
                [integration, row["type"], row["status"]], row["count"]
            )
        for (integration, event_type), count in sorted(totals.items()):
            received.add_metric([integration, event_type], count)
        yield received
        yield by_status
        rejected = GaugeMetricFamily(
            f"{PREFIX}_webhook_deliveries_rejected",
            "Webhook deliveries refused at intake in the rejected-delivery log "
            "(capped, rate-limited; bodies are not kept, so no event type), by "
            "HTTP status.",
            labels=["status_code"],
        )
        for row in (
            RejectedDelivery.objects.values("status_code")
            .annotate(count=Count("pk"))
            .order_by("status_code")
        ):
            rejected.add_metric([str(row["status_code"])], row["count"])
        yield rejected

    def _records(self, names: dict[int, str], now: datetime) -> Iterator[Metric]:
        records = GaugeMetricFamily(
            f"{PREFIX}_ledger_records",
            "Ledger records (one ERP operation each) by status.",
            labels=["integration", "status"],
        )
        for row in (
            SyncRecord.objects.values("integration_id", "status")
            .annotate(count=Count("pk"))
            .order_by("integration_id", "status")
        ):
            integration = names.get(row["integration_id"], str(row["integration_id"]))
            records.add_metric([integration, row["status"]], row["count"])
        yield records
        oldest = GaugeMetricFamily(
            f"{PREFIX}_oldest_pending_age_seconds",
            "Age of the oldest work waiting: an event not yet processed, a "
            "ledger record pending or retrying (0 when none).",
            labels=["kind"],
        )
        event_at = WebhookEvent.objects.filter(
            status=WebhookEvent.Status.RECEIVED
        ).aggregate(oldest=Min("received_at"))["oldest"]
        record_at = SyncRecord.objects.filter(
            status__in=(SyncRecord.Status.PENDING, SyncRecord.Status.RETRYING)
        ).aggregate(oldest=Min("created_at"))["oldest"]
        oldest.add_metric(["event"], _age(now, event_at))
        oldest.add_metric(["record"], _age(now, record_at))
        yield oldest

    def _erp_calls(self, names: dict[int, str], now: datetime) -> Iterator[Metric]:
        histogram = HistogramMetricFamily(
            f"{PREFIX}_erp_call_duration_seconds",
            "Duration of each try of a ledger record against the ERP, by "
            "operation and outcome (succeeded or the error class); rolled up "
            "from the attempt log once a minute.",
            labels=["operation", "outcome"],
        )
        for row in ErpCallLatency.objects.order_by("operation", "outcome"):
            cumulative, buckets = 0, []
            counts = list(row.buckets) or [0] * (len(BUCKETS_SECONDS) + 1)
            for bound, count in zip(
                [*map(str, BUCKETS_SECONDS), "+Inf"], counts, strict=True
            ):
                cumulative += count
                buckets.append((bound, cumulative))
            histogram.add_metric(
                [row.operation, row.outcome], buckets, sum_value=row.sum_ms / 1000
            )
        yield histogram
        last = GaugeMetricFamily(
            f"{PREFIX}_erp_last_success_age_seconds",
            "Seconds since the start of the integration's last successful ERP "
            "call (absent: none yet).",
            labels=["integration"],
        )
        for health in IntegrationHealth.objects.exclude(last_erp_success_at=None):
            integration = names.get(health.integration_id, str(health.integration_id))
            last.add_metric([integration], _age(now, health.last_erp_success_at))
        yield last

    def _queue(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            f"{PREFIX}_queue_up", "Whether the task queue's broker answered."
        )
        depth = GaugeMetricFamily(
            f"{PREFIX}_queue_depth", "Tasks waiting in the django-q2 queue."
        )
        try:
            size = broker().queue_size()
        except Exception:  # any broker raises its own errors
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        depth.add_metric([], size or 0)
        yield up
        yield depth

    def _alerts(self) -> Iterator[Metric]:
        alerts = GaugeMetricFamily(
            f"{PREFIX}_alerts_open",
            "Open alerts by level and whether someone acknowledged them.",
            labels=["level", "acknowledged"],
        )
        for row in (
            Alert.objects.filter(resolved_at__isnull=True)
            .annotate(
                acknowledged=ExpressionWrapper(
                    Q(acknowledged_at__isnull=False), output_field=BooleanField()
                )
            )
            .values("level", "acknowledged")
            .annotate(count=Count("pk"))
            .order_by()
        ):
            acknowledged = "true" if row["acknowledged"] else "false"
            alerts.add_metric([row["level"], acknowledged], row["count"])
        yield alerts
        deliveries = GaugeMetricFamily(
            f"{PREFIX}_alert_deliveries",
            "Alert deliveries by status (failed: to be retried).",
            labels=["status"],
        )
        for row in (
            AlertDelivery.objects.values("status")
            .annotate(count=Count("pk"))
            .order_by("status")
        ):
            deliveries.add_metric([row["status"]], row["count"])
        yield deliveries


def metrics_text(*, now: datetime | None = None) -> bytes:
    """The Prometheus text exposition of every metric above."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(LedgerCollector(now=now))
    return generate_latest(registry)
