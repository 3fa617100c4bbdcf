"""Delivering alerts: one delivery row per alert, channel and reminder, sent
by a django-q2 task per channel.

Exactly once per channel: the unique (alert, channel, reminder) row is made
once, and a send task claims rows with one conditional UPDATE that sets a
lease token, so a task that runs twice, or two at once, finds nothing left
to claim; a sent row is never claimed again. A task that dies between the
channel's answer and writing `sent` leaves the lease to expire and the
message is sent again: a repeated alert is better than a lost one.

Every alert due on one channel goes out in one message (the first
messages.LISTED_ALERTS in full, a count of the rest), so an outage that
raises hundreds of alerts sends each channel one message, not hundreds.
"""

import logging
import uuid
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from integrations.models import Alert
from integrations.queue import task_enqueue

from .channels import DeliveryFailed, Message, channel_send
from .messages import alert_message, level_rank
from .models import AlertChannel, AlertDelivery

logger = logging.getLogger(__name__)

Status = AlertDelivery.Status

LEASE_SECONDS = 120
# Deliveries one message carries at most; the rest go in the next one.
CLAIM_LIMIT = 500
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 3600

DELIVER_TASK = "monitoring.tasks.deliver_alerts"


def _due(now: datetime) -> Q:
    return (
        Q(status=Status.PENDING)
        | Q(status=Status.FAILED, next_attempt_at__lte=now)
        | Q(status=Status.SENDING, lease_expires_at__lt=now)
    )


def _channel_matches(channel: AlertChannel, alert: Alert) -> bool:
    if channel.integration_id and channel.integration_id != alert.integration_id:
        return False
    return level_rank(alert.level) >= level_rank(channel.min_level)


def alert_deliveries_plan(*, now: datetime | None = None) -> int:
    """Create the deliveries now due: each open alert's first notice on every
    channel it matches, and a reminder of each unacknowledged one whose last
    message is ALERT_REMINDER_MINUTES old. Repeat-safe; returns rows created."""
    now = now or timezone.now()
    channels = list(AlertChannel.objects.filter(is_active=True))
    if not channels:
        return 0
    open_alerts = Alert.objects.filter(resolved_at__isnull=True)
    planned = {
        (row["alert_id"], row["channel_id"]): row
        for row in AlertDelivery.objects.filter(alert__in=open_alerts)
        .values("alert_id", "channel_id")
        .annotate(last=Max("reminder"), last_at=Max("created_at"))
    }
    remind_after = settings.ALERT_REMINDER_MINUTES
    new = []
    for alert in open_alerts.only(
        "pk", "integration_id", "level", "acknowledged_at"
    ).order_by("pk"):
        for channel in channels:
            if not _channel_matches(channel, alert):
                continue
            row = planned.get((alert.pk, channel.pk))
            if row is None:
                new.append(AlertDelivery(alert=alert, channel=channel, reminder=0))
            elif (
                alert.acknowledged_at is None
                and remind_after > 0
                and row["last_at"] <= now - timedelta(minutes=remind_after)
            ):
                new.append(
                    AlertDelivery(
                        alert=alert, channel=channel, reminder=row["last"] + 1
                    )
                )
    # A concurrent planner made the same rows: the unique constraint keeps one.
    AlertDelivery.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def alert_deliveries_enqueue(*, now: datetime | None = None) -> list[int]:
    """Queue a send task, on commit, for every channel with deliveries due."""
    now = now or timezone.now()
    channel_ids = sorted(
        set(
            AlertDelivery.objects.filter(_due(now)).values_list("channel_id", flat=True)
        )
    )
    for channel_id in channel_ids:
        transaction.on_commit(partial(task_enqueue, DELIVER_TASK, channel_id))
    return channel_ids


def _backoff(attempts: int) -> timedelta:
    seconds = BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, BACKOFF_MAX_SECONDS))


def alert_channel_deliver(
    *, channel_id: int, now: datetime | None = None
) -> dict[str, int]:
    """Claim this channel's due deliveries, send them as one message, record it."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    candidates = list(
        AlertDelivery.objects.filter(_due(now), channel_id=channel_id)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:CLAIM_LIMIT]
    )
    if not candidates:
        return {"sent": 0, "failed": 0, "skipped": 0}
    AlertDelivery.objects.filter(_due(now), pk__in=candidates).update(
        status=Status.SENDING,
        lease_token=token,
        lease_expires_at=now + timedelta(seconds=LEASE_SECONDS),
        attempts=F("attempts") + 1,
    )
    claimed = list(
        AlertDelivery.objects.filter(lease_token=token, status=Status.SENDING)
        .select_related("alert__integration", "channel")
        .order_by("created_at", "pk")
    )
    if not claimed:
        return {"sent": 0, "failed": 0, "skipped": 0}
    channel = claimed[0].channel
    skipped = [
        d
        for d in claimed
        if not channel.is_active
        or d.alert.resolved_at is not None
        or (d.reminder > 0 and d.alert.acknowledged_at is not None)
    ]
    sending = [d for d in claimed if d not in skipped]
    _finish(skipped, token, status=Status.SKIPPED)
    if not sending:
        return {"sent": 0, "failed": 0, "skipped": len(skipped)}
    message = alert_message(
        [d.alert for d in sending], reminder=all(d.reminder for d in sending)
    )
    error = _send(channel, message)
    if error:
        logger.warning(
            "alert channel %s: delivery failed: %s",
            channel.pk,
            error,
            extra={"channel_id": channel.pk},
        )
        # `attempts` as read back after the claim counts this one.
        gave_up = [
            d for d in sending if d.attempts >= settings.ALERT_DELIVERY_MAX_ATTEMPTS
        ]
        retrying = [d for d in sending if d not in gave_up]
        _finish(gave_up, token, status=Status.GAVE_UP, last_error=error)
        for delivery in retrying:
            _finish(
                [delivery],
                token,
                status=Status.FAILED,
                last_error=error,
                next_attempt_at=now + _backoff(delivery.attempts),
            )
        return {"sent": 0, "failed": len(sending), "skipped": len(skipped)}
    _finish(sending, token, status=Status.SENT, sent_at=now, last_error="")
    return {"sent": len(sending), "failed": 0, "skipped": len(skipped)}


def _send(channel: AlertChannel, message: Message) -> str:
    """Send; the reason it failed, or "" once the channel took it."""
    try:
        channel_send(channel=channel, message=message)
    except DeliveryFailed as exc:
        return exc.message
    except Exception as exc:
        # A sender's own bug or a library's surprise: a failed attempt like
        # any other, retried and given up on, never a row stuck sending.
        logger.exception("alert channel %s: sender failed", channel.pk)
        return f"Unexpected error while sending: {type(exc).__name__}"
    return ""


def _finish(deliveries: list[AlertDelivery], token: str, **fields) -> None:
    if not deliveries:
        return
    # Only while the lease is still ours: a task that took too long must not
    # overwrite what a later claim recorded.
    AlertDelivery.objects.filter(
        pk__in=[d.pk for d in deliveries], lease_token=token, status=Status.SENDING
    ).update(lease_expires_at=None, **fields)
