"""Alert rules: thresholds per integration, checked on a schedule with a few
aggregate queries, each breach raised through `integrations.audit.alert_raise`
(once, deduplicated while open; a person acknowledges and resolves it).

Raised elsewhere, where the fact is known: rejected ERP credentials and
records needing attention one by one (the ledger), a failed missed-event
sweep (reconciliation.sweep), a Stripe API-version mismatch (event
processing). A rule whose condition still holds after a person resolved its
alert raises it again at the next check.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from integrations.audit import alert_raise
from integrations.models import Alert, Integration, RejectedDelivery, SyncRecord
from reconciliation.models import Payout

from .models import AlertThresholds

Status = SyncRecord.Status

LATENCY_WINDOW = timedelta(hours=1)
REJECTED_WINDOW = timedelta(hours=1)
# Fewer documents than this in the window say nothing about a percentile.
LATENCY_MIN_SAMPLES = 20


@dataclass(frozen=True)
class Breach:
    integration: Integration
    rule: str
    level: str
    message: str


def thresholds_for(integration: Integration) -> AlertThresholds:
    """The integration's thresholds, or the defaults when it has none."""
    try:
        return integration.alert_thresholds
    except AlertThresholds.DoesNotExist:
        return AlertThresholds(integration=integration)


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _backlog_breaches(integrations: list[Integration], now: datetime) -> list[Breach]:
    needs_attention = {
        row["integration_id"]: row
        for row in SyncRecord.objects.filter(status=Status.NEEDS_ATTENTION)
        .values("integration_id")
        .annotate(count=Count("pk"), oldest=Min("updated_at"))
        .order_by()
    }
    retrying = {
        row["integration_id"]: row["oldest"]
        for row in SyncRecord.objects.filter(status=Status.RETRYING)
        .values("integration_id")
        .annotate(oldest=Min("created_at"))
        .order_by()
    }
    found = []
    for integration in integrations:
        limits = thresholds_for(integration)
        row = needs_attention.get(integration.pk)
        if (
            row
            and limits.needs_attention_count
            and (row["count"] >= limits.needs_attention_count)
        ):
            found.append(
                Breach(
                    integration,
                    "needs_attention_count",
                    "warning",
                    f"{row['count']} ledger records need attention (alert at "
                    f"{limits.needs_attention_count}).",
                )
            )
        if (
            row
            and limits.needs_attention_minutes
            and (
                row["oldest"] <= now - timedelta(minutes=limits.needs_attention_minutes)
            )
        ):
            found.append(
                Breach(
                    integration,
                    "needs_attention_age",
                    "warning",
                    f"A ledger record has needed attention for "
                    f"{_minutes(now - row['oldest'])} minutes (alert at "
                    f"{limits.needs_attention_minutes}).",
                )
            )
        oldest_retry = retrying.get(integration.pk)
        if (
            oldest_retry
            and limits.retry_backlog_minutes
            and oldest_retry <= now - timedelta(minutes=limits.retry_backlog_minutes)
        ):
            found.append(
                Breach(
                    integration,
                    "retry_backlog_age",
                    "critical",
                    f"A ledger record has been retrying for "
                    f"{_minutes(now - oldest_retry)} minutes (alert at "
                    f"{limits.retry_backlog_minutes}): is the ERP reachable?",
                )
            )
    return found


def _latency_breaches(integrations: list[Integration], now: datetime) -> list[Breach]:
    """p95 above the threshold ⇔ more than 5% of the window's documents took
    longer: one count per integration, no percentile computed in SQL."""
    found = []
    for integration in integrations:
        limit = thresholds_for(integration).latency_p95_seconds
        if not limit:
            continue
        started = Coalesce("event__stripe_created", "event__received_at")
        counts = SyncRecord.objects.filter(
            integration=integration,
            status=Status.SUCCEEDED,
            succeeded_at__gte=now - LATENCY_WINDOW,
            event__isnull=False,
        ).aggregate(
            total=Count("pk"),
            slow=Count(
                "pk", filter=Q(succeeded_at__gt=started + timedelta(seconds=limit))
            ),
        )
        total, slow = counts["total"], counts["slow"]
        if total >= LATENCY_MIN_SAMPLES and slow * 20 > total:
            found.append(
                Breach(
                    integration,
                    "latency_p95",
                    "warning",
                    f"{slow} of {total} ERP documents in the last hour took more "
                    f"than {limit} s from the Stripe event: the 95th percentile "
                    "is above the threshold.",
                )
            )
    return found


def _payout_breaches(integrations: list[Integration], now: datetime) -> list[Breach]:
    found = []
    for integration in integrations:
        days = thresholds_for(integration).payout_unproven_days
        if not days:
            continue
        unproven = (
            Payout.objects.filter(
                integration=integration,
                arrival_date__lte=now - timedelta(days=days),
            )
            .exclude(proof_status=Payout.Proof.RECONCILED)
            .exclude(stripe_status__in=("failed", "canceled"))
            .aggregate(count=Count("pk"), oldest=Min("arrival_date"))
        )
        if unproven["count"]:
            found.append(
                Breach(
                    integration,
                    "payout_unproven",
                    "warning",
                    f"{unproven['count']} payouts that arrived more than {days} "
                    f"days ago are not reconciled (oldest arrived "
                    f"{unproven['oldest']:%Y-%m-%d}).",
                )
            )
    return found


def _rejected_breaches(integrations: list[Integration], now: datetime) -> list[Breach]:
    counts = {
        row["integration_uuid"]: row["count"]
        for row in RejectedDelivery.objects.filter(
            received_at__gte=now - REJECTED_WINDOW
        )
        .values("integration_uuid")
        .annotate(count=Count("pk"))
        .order_by()
    }
    found = []
    for integration in integrations:
        limit = thresholds_for(integration).rejected_deliveries_per_hour
        count = counts.get(str(integration.uuid), 0)
        if limit and count >= limit:
            found.append(
                Breach(
                    integration,
                    "webhook_rejected",
                    "critical",
                    f"{count} webhook deliveries to this integration's endpoint "
                    "were refused in the last hour (bad signature, stale "
                    "timestamp or malformed body): check the signing secret.",
                )
            )
    return found


RULES = (_backlog_breaches, _latency_breaches, _payout_breaches, _rejected_breaches)


def alert_rules_evaluate(*, now: datetime | None = None) -> list[Alert]:
    """Check every rule for every active integration; raise what breaches."""
    now = now or timezone.now()
    integrations = list(
        Integration.objects.filter(is_active=True).select_related("alert_thresholds")
    )
    raised = []
    for rule in RULES:
        for breach in rule(integrations, now):
            raised.append(
                alert_raise(
                    integration=breach.integration,
                    level=breach.level,
                    code=breach.rule,
                    message=f"{breach.integration}: {breach.message}",
                    dedupe_key=f"rule:{breach.rule}:{breach.integration.pk}",
                )
            )
    return raised
