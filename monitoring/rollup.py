"""Rolling the ledger's attempt log up into ERP call latency histograms and
each integration's last successful ERP call.

Every try of a ledger record is already stored with its duration
(`SyncAttempt`, written by the one place that calls the ERP,
integrations.ledger.running); the roll-up adds the new ones to a few counter
rows on each scheduled run, so /metrics and /readyz read a handful of rows
instead of the whole log, and every web and worker process reports the same
figures (per-process counters would not add up across gunicorn workers and
django-q2 processes on several machines).

Each run counts the attempts up to the highest id the previous run saw and
remembers the highest id now: an attempt whose transaction was still open
at the previous run is committed by now, so none is skipped; the figures
trail by one run.
"""

from django.db import transaction
from django.db.models import Count, Max, Q, Sum

from integrations.models import SyncAttempt

from .models import ErpCallLatency, IntegrationHealth, RollupState

# Upper bounds of the histogram buckets, in seconds (+Inf is implied).
BUCKETS_SECONDS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)

SUCCEEDED = "succeeded"


def _bucket_counts() -> dict:
    """One COUNT per bucket, non-cumulative: (previous bound, bound]."""
    counts = {}
    lower = None
    for index, bound in enumerate(BUCKETS_SECONDS):
        upper_ms = int(bound * 1000)
        condition = Q(duration_ms__lte=upper_ms)
        if lower is not None:
            condition &= Q(duration_ms__gt=lower)
        counts[f"b{index}"] = Count("pk", filter=condition)
        lower = upper_ms
    counts[f"b{len(BUCKETS_SECONDS)}"] = Count("pk", filter=Q(duration_ms__gt=lower))
    return counts


def erp_calls_rollup() -> int:
    """Add the attempts logged since the last roll-up; returns how many."""
    with transaction.atomic():
        state, _ = RollupState.objects.select_for_update().get_or_create(pk=1)
        newest = SyncAttempt.objects.aggregate(newest=Max("pk"))["newest"] or 0
        start, end = state.last_attempt_id, state.seen_attempt_id
        window = SyncAttempt.objects.filter(pk__gt=start, pk__lte=end)
        added = 0
        rows = (
            window.values("record__operation", "succeeded", "error_class")
            .annotate(
                count=Count("pk"), total_ms=Sum("duration_ms"), **_bucket_counts()
            )
            .order_by()
        )
        for row in rows:
            outcome = SUCCEEDED if row["succeeded"] else row["error_class"] or "failed"
            latency, _ = ErpCallLatency.objects.get_or_create(
                operation=row["record__operation"], outcome=outcome
            )
            buckets = list(latency.buckets) or [0] * (len(BUCKETS_SECONDS) + 1)
            for index in range(len(BUCKETS_SECONDS) + 1):
                buckets[index] += row[f"b{index}"]
            latency.buckets = buckets
            latency.count += row["count"]
            latency.sum_ms += row["total_ms"] or 0
            latency.save(update_fields=["buckets", "count", "sum_ms"])
            added += row["count"]
        for row in (
            window.filter(succeeded=True)
            .values("record__integration_id")
            .annotate(last=Max("started_at"))
            .order_by()
        ):
            started = row["last"]
            health, _ = IntegrationHealth.objects.get_or_create(
                integration_id=row["record__integration_id"]
            )
            if (
                health.last_erp_success_at is None
                or started > health.last_erp_success_at
            ):
                health.last_erp_success_at = started
                health.save(update_fields=["last_erp_success_at"])
        state.last_attempt_id = max(end, start)
        state.seen_attempt_id = max(newest, state.last_attempt_id)
        state.save(update_fields=["last_attempt_id", "seen_attempt_id", "updated_at"])
    return added
