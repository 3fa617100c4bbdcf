"""Reads for the dashboard: one aggregate query per figure family.

Every function here answers for all integrations at once, grouped in SQL by
integration (and currency, day or state), so the dashboard costs the same
number of queries for one integration or fifty and never loops over rows in
Python. Windows are passed in as start datetimes; each is a filtered
aggregate inside the same query.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Abs, Coalesce, TruncDate, Upper
from django.utils import timezone

from integrations.models import Integration, SyncAttempt, SyncRecord, WebhookEvent
from reconciliation.models import Payout

Status = SyncRecord.Status
Operation = SyncRecord.Operation

# Operations that move money through the Stripe clearing bank code, and the
# sign of their effect on it: payments in, credit notes out, dispute
# adjustments signed by the workflow (withdrawn negative, reinstated positive).
MONEY_OPERATIONS = (
    Operation.POST_PAYMENT,
    Operation.POST_CREDIT_NOTE,
    Operation.POST_ADJUSTMENT,
)
WAITING_STATUSES = (
    Status.PENDING,
    Status.RUNNING,
    Status.RETRYING,
    Status.NEEDS_ATTENTION,
    Status.HELD,
    Status.UNKNOWN_OUTCOME,
)
# Upper bounds of the latency histogram (Prometheus-style buckets); the
# percentile shown is the first bucket that holds it.
LATENCY_BUCKETS = (
    timedelta(seconds=1),
    timedelta(seconds=2),
    timedelta(seconds=5),
    timedelta(seconds=10),
    timedelta(seconds=30),
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=6),
    timedelta(days=1),
)


def integrations_list() -> QuerySet[Integration]:
    return Integration.objects.select_related("erp_connection").order_by("name")


def _signed_amount() -> Case:
    return Case(
        When(operation=Operation.POST_CREDIT_NOTE, then=-F("amount")),
        default=F("amount"),
        output_field=BigIntegerField(),
    )


def money_posted(*, windows: Mapping[str, datetime]) -> list[dict]:
    """Per integration, currency and money operation: the amounts (minor
    units) that reached the ERP in each window, by time of success."""
    earliest = min(windows.values())
    return list(
        SyncRecord.objects.filter(
            status=Status.SUCCEEDED,
            succeeded_at__gte=earliest,
            operation__in=MONEY_OPERATIONS,
            amount__isnull=False,
        )
        .annotate(code=Upper("currency"))
        .values("integration_id", "code", "operation")
        .annotate(
            **{
                key: Sum("amount", filter=Q(succeeded_at__gte=start))
                for key, start in windows.items()
            },
            **{
                f"{key}_count": Count("id", filter=Q(succeeded_at__gte=start))
                for key, start in windows.items()
            },
        )
        .order_by("integration_id", "code", "operation")
    )


def events_counted(*, windows: Mapping[str, datetime]) -> list[dict]:
    """Per integration: events received, processed and failed in each window
    (by time received)."""
    earliest = min(windows.values())
    aggregates = {}
    for key, start in windows.items():
        in_window = Q(received_at__gte=start)
        aggregates[f"{key}_received"] = Count("id", filter=in_window)
        aggregates[f"{key}_processed"] = Count(
            "id", filter=in_window & Q(status=WebhookEvent.Status.PROCESSED)
        )
        aggregates[f"{key}_failed"] = Count(
            "id", filter=in_window & Q(status=WebhookEvent.Status.FAILED)
        )
    return list(
        WebhookEvent.objects.filter(received_at__gte=earliest)
        .values("integration_id")
        .annotate(**aggregates)
        .order_by("integration_id")
    )


def _latency() -> ExpressionWrapper:
    """Stripe's event creation (else our receipt) → the ERP document's success."""
    return ExpressionWrapper(
        F("succeeded_at") - Coalesce("event__stripe_created", "event__received_at"),
        output_field=DurationField(),
    )


def _bucket_counts(prefix: str, window: Q) -> dict:
    counts = {f"{prefix}_total": Count("id", filter=window)}
    for index, bound in enumerate(LATENCY_BUCKETS):
        counts[f"{prefix}_le{index}"] = Count(
            "id", filter=window & Q(latency__lte=bound)
        )
    return counts


def latency_histograms(*, windows: Mapping[str, datetime]) -> list[dict]:
    """Per integration and window: how many ERP documents from Stripe events
    succeeded at or under each bucket bound, and in all."""
    earliest = min(windows.values())
    aggregates = {}
    for key, start in windows.items():
        aggregates.update(_bucket_counts(key, Q(succeeded_at__gte=start)))
    return list(
        SyncRecord.objects.filter(
            status=Status.SUCCEEDED,
            succeeded_at__gte=earliest,
            event__isnull=False,
        )
        .annotate(latency=_latency())
        .values("integration_id")
        .annotate(**aggregates)
        .order_by("integration_id")
    )


def latency_by_day(*, start: datetime) -> list[dict]:
    """Per integration and local day since start: the latency histogram."""
    return list(
        SyncRecord.objects.filter(
            status=Status.SUCCEEDED, succeeded_at__gte=start, event__isnull=False
        )
        .annotate(
            latency=_latency(),
            day=TruncDate("succeeded_at", tzinfo=timezone.get_current_timezone()),
        )
        .values("integration_id", "day")
        .annotate(**_bucket_counts("day", Q()))
        .order_by("integration_id", "day")
    )


def percentile_bucket(counts: Mapping[str, int], prefix: str, share: float) -> int:
    """Index of the first bucket holding the `share` percentile; len(buckets)
    when it lies beyond the last bound; -1 when nothing was counted."""
    total = counts.get(f"{prefix}_total") or 0
    if not total:
        return -1
    for index in range(len(LATENCY_BUCKETS)):
        if counts[f"{prefix}_le{index}"] >= share * total:
            return index
    return len(LATENCY_BUCKETS)


def records_waiting() -> list[dict]:
    """Per integration, state and error class: records not done, and the
    oldest of them."""
    return list(
        SyncRecord.objects.filter(status__in=WAITING_STATUSES)
        .values("integration_id", "status", "error_class")
        .annotate(count=Count("id"), oldest=Min("created_at"))
        .order_by("integration_id", "status", "error_class")
    )


def events_unprocessed() -> list[dict]:
    """Per integration: events received and not yet processed, and the oldest."""
    return list(
        WebhookEvent.objects.filter(status=WebhookEvent.Status.RECEIVED)
        .values("integration_id")
        .annotate(count=Count("id"), oldest=Min("received_at"))
        .order_by("integration_id")
    )


def payouts_counted(*, windows: Mapping[str, datetime]) -> list[dict]:
    """Per integration and currency, by Stripe's creation time in each window:
    payouts paid (amount), proven, unreconciled and not proven yet, and the
    absolute sum of the open ones' differences (minor units)."""
    earliest = min(windows.values())
    off_by = Abs(F("difference") + F("unexplained"))
    aggregates = {}
    for key, start in windows.items():
        in_window = Q(created__gte=start)
        open_ = in_window & ~Q(proof_status=Payout.Proof.RECONCILED)
        aggregates[f"{key}_amount"] = Sum("amount", filter=in_window)
        aggregates[f"{key}_count"] = Count("id", filter=in_window)
        for status in Payout.Proof.values:
            aggregates[f"{key}_{status}"] = Count(
                "id", filter=in_window & Q(proof_status=status)
            )
        aggregates[f"{key}_open_difference"] = Sum(off_by, filter=open_)
    return list(
        Payout.objects.filter(created__gte=earliest)
        .annotate(code=Upper("currency"))
        .values("integration_id", "code")
        .annotate(**aggregates)
        .order_by("integration_id", "code")
    )


def payout_differences(*, start: datetime, limit: int) -> list[dict]:
    """The latest payouts since start (at most `limit`), oldest first, with
    their signed difference (payout − lines, plus the unexplained part)."""
    rows = list(
        Payout.objects.filter(created__gte=start)
        .annotate(code=Upper("currency"), off_by=F("difference") + F("unexplained"))
        .values(
            "pk",
            "integration_id",
            "stripe_id",
            "code",
            "created",
            "off_by",
            "proof_status",
        )
        .order_by("-created", "-pk")[:limit]
    )
    rows.reverse()
    return rows


def clearing_compared() -> list[dict]:
    """Per integration and currency, over the whole ledger: the money Stripe
    activity put through clearing (every money record not skipped) against
    what the ERP has booked there (those that succeeded), in minor units."""
    signed = _signed_amount()
    return list(
        SyncRecord.objects.filter(operation__in=MONEY_OPERATIONS, amount__isnull=False)
        .exclude(status=Status.SKIPPED)
        .annotate(code=Upper("currency"))
        .values("integration_id", "code")
        .annotate(
            stripe=Coalesce(Sum(signed), Value(0), output_field=BigIntegerField()),
            erp=Coalesce(
                Sum(signed, filter=Q(status=Status.SUCCEEDED)),
                Value(0),
                output_field=BigIntegerField(),
            ),
            waiting=Count("id", filter=~Q(status=Status.SUCCEEDED)),
        )
        .order_by("integration_id", "code")
    )


def events_by_day(*, start: datetime) -> list[dict]:
    """Per integration and local day: events received and failed."""
    return list(
        WebhookEvent.objects.filter(received_at__gte=start)
        .annotate(day=TruncDate("received_at", tzinfo=timezone.get_current_timezone()))
        .values("integration_id", "day")
        .annotate(
            received=Count("id"),
            failed=Count("id", filter=Q(status=WebhookEvent.Status.FAILED)),
        )
        .order_by("integration_id", "day")
    )


def failed_attempts_by_day(*, start: datetime) -> list[dict]:
    """Per integration and local day: ERP calls that failed."""
    return list(
        SyncAttempt.objects.filter(started_at__gte=start, succeeded=False)
        .annotate(day=TruncDate("started_at", tzinfo=timezone.get_current_timezone()))
        .values("record__integration_id", "day")
        .annotate(failed=Count("id"))
        .order_by("record__integration_id", "day")
    )


def days_since(start: datetime, now: datetime) -> Sequence[date]:
    first = timezone.localtime(start).date()
    last = timezone.localtime(now).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
