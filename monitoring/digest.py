"""The daily finance digest: open alerts, records needing attention, payouts
not yet proven; one email a day to the email channels that ask for it."""

import logging
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, Min
from django.utils import timezone

from integrations.models import Alert, Integration, SyncRecord
from portal.money import money_format
from reconciliation.models import Payout

from .channels import DeliveryFailed
from .messages import alert_line
from .models import AlertChannel, DigestRun

logger = logging.getLogger(__name__)

LISTED_ALERTS = 20
LISTED_PAYOUTS = 10

Status = SyncRecord.Status


def digest_recipients() -> list[str]:
    addresses = set()
    for channel in AlertChannel.objects.filter(
        is_active=True, kind=AlertChannel.Kind.EMAIL, daily_digest=True
    ):
        addresses.update(channel.recipient_list())
    return sorted(addresses)


def _alerts_section(lines: list[str]) -> None:
    open_alerts = Alert.objects.filter(resolved_at__isnull=True).select_related(
        "integration"
    )
    counts = dict(
        open_alerts.values_list("level").annotate(count=Count("pk")).order_by()
    )
    total = sum(counts.values())
    lines.append(f"Open alerts: {total}")
    for level in ("critical", "warning", "info"):
        if counts.get(level):
            lines.append(f"  {level}: {counts[level]}")
    for alert in open_alerts.order_by("-created_at")[:LISTED_ALERTS]:
        state = "acknowledged" if alert.acknowledged_at else "not acknowledged"
        lines.append(f"  - {alert_line(alert)} ({state})")
    if total > LISTED_ALERTS:
        lines.append(f"  … and {total - LISTED_ALERTS} more in the portal.")
    lines.append("")


def _records_section(lines: list[str], names: dict[int, str]) -> None:
    waiting = defaultdict(list)
    for row in (
        SyncRecord.objects.filter(
            status__in=(Status.NEEDS_ATTENTION, Status.UNKNOWN_OUTCOME, Status.HELD)
        )
        .values("integration_id", "status", "error_class")
        .annotate(count=Count("pk"))
        .order_by("integration_id", "status", "error_class")
    ):
        label = SyncRecord.Status(row["status"]).label.lower()
        if row["error_class"] and row["status"] == Status.NEEDS_ATTENTION:
            label += f" ({row['error_class']})"
        waiting[row["integration_id"]].append(f"{label}: {row['count']}")
    lines.append("Ledger records waiting for a person:")
    if not waiting:
        lines.append("  none")
    for pk, items in sorted(waiting.items()):
        lines.append(f"  {names.get(pk, pk)}: " + ", ".join(items))
    lines.append("")


def _payouts_section(lines: list[str], names: dict[int, str]) -> None:
    unproven = (
        Payout.objects.exclude(proof_status=Payout.Proof.RECONCILED)
        .exclude(stripe_status__in=("failed", "canceled"))
        .order_by("arrival_date", "pk")
    )
    summary = unproven.aggregate(count=Count("pk"), oldest=Min("arrival_date"))
    lines.append(f"Payouts not yet proven: {summary['count']}")
    for payout in unproven[:LISTED_PAYOUTS]:
        arrival = f"{payout.arrival_date:%Y-%m-%d}" if payout.arrival_date else "?"
        difference = (
            f", difference {money_format(payout.difference, payout.currency)}"
            if payout.difference
            else ""
        )
        lines.append(
            f"  - {names.get(payout.integration_id, payout.integration_id)}: "
            f"{payout.stripe_id} {money_format(payout.amount, payout.currency)}, "
            f"arrival {arrival}, {payout.get_proof_status_display().lower()}"
            f"{difference}"
        )
    if summary["count"] > LISTED_PAYOUTS:
        lines.append(f"  … and {summary['count'] - LISTED_PAYOUTS} more.")
    lines.append("")


def digest_text(*, now: datetime) -> str:
    names = dict(Integration.objects.values_list("pk", "name"))
    lines = [f"LedgerBridge daily digest, {timezone.localtime(now):%Y-%m-%d}", ""]
    _alerts_section(lines)
    _records_section(lines, names)
    _payouts_section(lines, names)
    return "\n".join(lines)


def finance_digest_send(*, now: datetime | None = None) -> DigestRun | None:
    """Send today's digest once, at the first run after ALERT_DIGEST_HOUR.

    The day's row is written before the email goes; if the email fails the
    row is removed again, so the next run tries again.
    """
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.ALERT_DIGEST_HOUR:
        return None
    recipients = digest_recipients()
    if not recipients:
        return None
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(day=local.date(), recipients=len(recipients))
    except IntegrityError:
        return None
    email = EmailMessage(
        subject=f"LedgerBridge daily digest {local:%Y-%m-%d}",
        body=digest_text(now=now),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    try:
        email.send(fail_silently=False)
    except (OSError, ValueError) as exc:
        DigestRun.objects.filter(pk=run.pk).delete()
        logger.warning("daily digest not sent: %s", type(exc).__name__)
        raise DeliveryFailed(
            f"The daily digest was not sent ({type(exc).__name__}); the next "
            "run tries again."
        ) from exc
    return run
