"""Reads for the dashboard: one aggregate query per figure family.

Every function here answers for all integrations at once, grouped in SQL by
integration (and currency, day, latency bucket or state), so the dashboard
costs the same number of queries for one integration or fifty, and Python
only reshapes the grouped rows (at most integrations × days × buckets), never
the ledger's. Windows are passed in as start datetimes; each is a filtered
aggregate inside the same query.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Abs, Coalesce, Upper
from django.db.models.lookups import GreaterThanOrEqual
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


class SecondsBetween(Func):
    """Seconds from `start` to `end` (two datetime columns), computed by the
    database's own date functions: Django's duration arithmetic on SQLite
    calls back into Python for every row, which a month of ledger makes slow.
    """

    arity = 2
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL: https://www.postgresql.org/docs/current/functions-datetime.html
        template = "EXTRACT(EPOCH FROM (%(end)s - %(start)s))"
        return self._as_seconds(compiler, connection, template)

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite: https://www.sqlite.org/lang_datefunc.html (julianday in days)
        template = "((julianday(%(end)s) - julianday(%(start)s)) * 86400.0)"
        return self._as_seconds(compiler, connection, template)

    def _as_seconds(self, compiler, connection, template: str):
        end_sql, end_params = compiler.compile(self.source_expressions[0])
        start_sql, start_params = compiler.compile(self.source_expressions[1])
        return (
            template % {"end": end_sql, "start": start_sql},
            (*end_params, *start_params),
        )


def _latency_bucket() -> Case:
    """Index of the first bucket bound the record's latency is within (Stripe's
    event creation, else our receipt → the ERP document's success), or
    len(LATENCY_BUCKETS) past the last one."""
    seconds = SecondsBetween(
        "succeeded_at", Coalesce("event__stripe_created", "event__received_at")
    )
    return Case(
        *(
            When(
                GreaterThanOrEqual(Value(bound.total_seconds()), seconds),
                then=Value(index),
            )
            for index, bound in enumerate(LATENCY_BUCKETS)
        ),
        default=Value(len(LATENCY_BUCKETS)),
        output_field=IntegerField(),
    )


def _succeeded_from_events(since: datetime) -> QuerySet[SyncRecord]:
    return SyncRecord.objects.filter(
        status=Status.SUCCEEDED, succeeded_at__gte=since, event__isnull=False
    ).annotate(bucket=_latency_bucket())


def latency_histograms(
    *, windows: Mapping[str, datetime]
) -> dict[int, dict[str, list[int]]]:
    """Per integration and window: how many ERP documents from Stripe events
    succeeded in each latency bucket (one list slot per bucket, and one past
    the last bound)."""
    rows = (
        _succeeded_from_events(min(windows.values()))
        .values("integration_id", "bucket")
        .annotate(
            **{
                key: Count("id", filter=Q(succeeded_at__gte=start))
                for key, start in windows.items()
            }
        )
        .order_by("integration_id", "bucket")
    )
    result: dict[int, dict[str, list[int]]] = {}
    for row in rows:
        histograms = result.setdefault(
            row["integration_id"],
            {key: [0] * (len(LATENCY_BUCKETS) + 1) for key in windows},
        )
        for key in windows:
            histograms[key][row["bucket"]] += row[key]
    return result


def latency_by_day(
    *, days: Sequence[tuple[datetime, datetime]]
) -> dict[int, list[list[int]]]:
    """Per integration and day (from, to): the latency histogram."""
    rows = (
        _succeeded_from_events(days[0][0])
        .annotate(day=_day_index("succeeded_at", days))
        .values("integration_id", "day", "bucket")
        .annotate(count=Count("id"))
        .order_by("integration_id", "day", "bucket")
    )
    result: dict[int, list[list[int]]] = {}
    for row in rows:
        if row["day"] >= len(days):
            continue
        per_day = result.setdefault(
            row["integration_id"],
            [[0] * (len(LATENCY_BUCKETS) + 1) for _ in days],
        )
        per_day[row["day"]][row["bucket"]] += row["count"]
    return result


def percentile_bucket(histogram: Sequence[int], share: float) -> int:
    """Index of the first bucket holding the `share` percentile (len(buckets)
    when it lies past the last bound); -1 when nothing was counted."""
    total = sum(histogram)
    if not total:
        return -1
    running = 0
    for index, count in enumerate(histogram):
        running += count
        if running >= share * total:
            return index
    return len(histogram) - 1


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


def _day_index(field: str, days: Sequence[tuple[datetime, datetime]]) -> Case:
    """Which of `days` (from, to) the row's `field` falls on: one CASE per row,
    stopping at the first day it is before the end of; len(days) past them."""
    return Case(
        *(
            When(**{f"{field}__lt": ends}, then=Value(n))
            for n, (_, ends) in enumerate(days)
        ),
        default=Value(len(days)),
        output_field=IntegerField(),
    )


def events_by_day(*, days: Sequence[tuple[datetime, datetime]]) -> dict[int, dict]:
    """Per integration: events received and failed on each day (from, to), as
    {"received": [count per day], "failed": [...]}."""
    rows = (
        WebhookEvent.objects.filter(received_at__gte=days[0][0])
        .annotate(day=_day_index("received_at", days))
        .values("integration_id", "day")
        .annotate(
            received=Count("id"),
            failed=Count("id", filter=Q(status=WebhookEvent.Status.FAILED)),
        )
        .order_by("integration_id", "day")
    )
    result: dict[int, dict] = {}
    for row in rows:
        if row["day"] >= len(days):
            continue
        counts = result.setdefault(
            row["integration_id"],
            {"received": [0] * len(days), "failed": [0] * len(days)},
        )
        counts["received"][row["day"]] = row["received"]
        counts["failed"][row["day"]] = row["failed"]
    return result


def failed_attempts_by_day(
    *, days: Sequence[tuple[datetime, datetime]]
) -> dict[int, list[int]]:
    """Per integration: ERP calls that failed on each day (from, to)."""
    rows = (
        SyncAttempt.objects.filter(started_at__gte=days[0][0], succeeded=False)
        .annotate(day=_day_index("started_at", days))
        .values("record__integration_id", "day")
        .annotate(failed=Count("id"))
        .order_by("record__integration_id", "day")
    )
    result: dict[int, list[int]] = {}
    for row in rows:
        if row["day"] < len(days):
            per_day = result.setdefault(row["record__integration_id"], [0] * len(days))
            per_day[row["day"]] = row["failed"]
    return result


def days_since(start: datetime, now: datetime) -> list[tuple[date, datetime, datetime]]:
    """Each local day from start's to now's: (day, from, to), the first from
    `start` itself, each boundary a local midnight (right across DST)."""
    first = timezone.localtime(start).date()
    last = timezone.localtime(now).date()
    days = []
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        begins = timezone.make_aware(datetime.combine(day, time.min))
        ends = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
        days.append((day, max(begins, start), ends))
    return days
