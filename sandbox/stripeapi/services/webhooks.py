"""Webhook endpoints and the durable, signed, retried delivery of events.

Signing follows https://docs.stripe.com/webhooks#verify-manually:
`Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
"""

import hashlib
import hmac
import json
import logging
import random
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import urllib3
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sandbox.faults import faults_get

from ..errors import StripeApiError, no_such
from ..models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from ..params import metadata_apply
from .core import new_id, now_ts, request_endpoints_forget

logger = logging.getLogger(__name__)

SEND_TIMEOUT_SECONDS = 10.0
# A claimed delivery is retried after this long if its deliverer died mid-send.
CLAIM_SECONDS = 60

# (url, body, headers, timeout) -> HTTP status; raises on a transport failure.
Send = Callable[[str, bytes, dict[str, str], float], int]


# Keep-alive connections shared by the deliverer's threads (urllib3's pool is
# thread-safe). urllib3 rather than requests: a send is a plain POST, and
# requests' session machinery costs more CPU than the send itself.
_http = urllib3.PoolManager(maxsize=16, block=False)


def http_send(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST one delivery. A redirect is not followed: Stripe takes any answer
    outside 2xx, 3xx included, as not received (https://docs.stripe.com/webhooks,
    "return a 2xx status code")."""
    response = _http.request(
        "POST",
        url,
        body=body,
        headers=headers,
        timeout=timeout,
        redirect=False,
        retries=False,
    )
    return response.status


def webhook_endpoint_create(
    *,
    url: str,
    enabled_events: list[str],
    api_version: str | None,
    description: str | None,
    metadata: dict[str, str] | None,
) -> WebhookEndpoint:
    request_endpoints_forget()
    return WebhookEndpoint.objects.create(
        stripe_id=new_id("we"),
        url=url,
        secret=new_id("whsec", 32),
        enabled_events=enabled_events,
        api_version=api_version or "",
        description=description or "",
        metadata={k: v for k, v in (metadata or {}).items() if v != ""},
        created=now_ts(),
    )


def webhook_endpoint_get(*, endpoint_id: str) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(stripe_id=endpoint_id).first()
    if endpoint is None:
        raise no_such("webhook_endpoint", endpoint_id)
    return endpoint


def webhook_endpoint_update(
    *,
    endpoint_id: str,
    url: str | None,
    enabled_events: list[str] | None,
    disabled: bool | None,
    description: str | None,
    metadata: dict[str, str] | None,
) -> WebhookEndpoint:
    with transaction.atomic():
        endpoint = webhook_endpoint_get(endpoint_id=endpoint_id)
        if url is not None:
            endpoint.url = url
        if enabled_events is not None:
            endpoint.enabled_events = enabled_events
        if disabled is not None:
            endpoint.status = (
                WebhookEndpoint.Status.DISABLED
                if disabled
                else WebhookEndpoint.Status.ENABLED
            )
        if description is not None:
            endpoint.description = description
        endpoint.metadata = metadata_apply(endpoint.metadata, metadata)
        endpoint.save()
    request_endpoints_forget()
    return endpoint


def webhook_endpoint_delete(*, endpoint_id: str) -> dict[str, Any]:
    endpoint = webhook_endpoint_get(endpoint_id=endpoint_id)
    endpoint.delete()
    request_endpoints_forget()
    return {"id": endpoint_id, "object": "webhook_endpoint", "deleted": True}


def webhook_signature(*, secret: str, payload: bytes, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _pending_webhooks(*, delivery: WebhookDelivery) -> int:
    """The deliveries of `delivery`'s event not yet succeeded (its own
    included): Stripe's `pending_webhooks` at send time."""
    # An event's deliveries are created with it, one per endpoint its body
    # counts in `pending_webhooks`: when that is one, the one is this delivery.
    if delivery.event.data.get("pending_webhooks") == 1:
        return 0 if delivery.status == WebhookDelivery.Status.SUCCEEDED else 1
    return (
        WebhookDelivery.objects.filter(event_id=delivery.event_id)
        .exclude(status=WebhookDelivery.Status.SUCCEEDED)
        .count()
    )


def _attempts_made(*, delivery: WebhookDelivery) -> int:
    """A delivery's attempts so far (duplicates included)."""
    # `_deliver` stores a delivery's new count before its attempt, and sends
    # a duplicate only after a counted attempt: none counted, none recorded.
    if delivery.attempt_count == 0:
        return 0
    return WebhookAttempt.objects.filter(delivery_id=delivery.pk).count()


def webhook_payload(*, delivery: WebhookDelivery, pending_webhooks: int) -> bytes:
    """The event as this endpoint sees it: its pinned version, pending count now."""
    # A shallow copy: only top-level keys change, and `data` was read for this
    # send alone.
    body = dict(delivery.event.data)
    if delivery.endpoint.api_version:
        body["api_version"] = delivery.endpoint.api_version
    body["pending_webhooks"] = pending_webhooks
    return json.dumps(body, indent=2).encode()


def _claim_due(*, now: datetime, limit: int) -> list[int]:
    """Lease due deliveries by pushing their next attempt past the claim window.

    The conditional update lets several deliverer processes share one queue:
    only the one whose update matched the old time sends.
    """
    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "id")
        .values_list("id", "next_attempt_at")[:limit]
    )
    lease_until = now + timedelta(seconds=CLAIM_SECONDS)
    claimed = []
    for delivery_id, next_attempt_at in due:
        won = WebhookDelivery.objects.filter(
            id=delivery_id,
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at=next_attempt_at,
        ).update(next_attempt_at=lease_until)
        if won:
            claimed.append(delivery_id)
    return claimed


def _send_once(
    *,
    delivery: WebhookDelivery,
    send: Send,
    now: datetime,
    duplicate: bool,
    pending_webhooks: int,
    number: int,
) -> WebhookAttempt:
    """Send the delivery once; its attempt, not yet saved."""
    payload = webhook_payload(delivery=delivery, pending_webhooks=pending_webhooks)
    # Sign with the wall clock: the receiver checks the timestamp against its
    # own clock, whatever `now` the scheduler was given.
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        "Stripe-Signature": webhook_signature(
            secret=delivery.endpoint.secret, payload=payload, timestamp=int(time.time())
        ),
    }
    started = time.monotonic()
    status_code: int | None = None
    error = ""
    try:
        status_code = send(
            delivery.endpoint.url, payload, headers, SEND_TIMEOUT_SECONDS
        )
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except Exception as exc:  # noqa: BLE001 - any transport failure is a retry
        error = f"{type(exc).__name__}: {exc}"[:2000]
    return WebhookAttempt(
        delivery=delivery,
        number=number,
        started_at=now,
        duration_ms=int((time.monotonic() - started) * 1000),
        status_code=status_code,
        error=error,
        duplicate=duplicate,
    )


_DELIVERY_FIELDS = [
    "attempt_count",
    "last_status_code",
    "last_error",
    "status",
    "delivered_at",
    "next_attempt_at",
]


def _deliver(
    *, delivery_id: int, send: Send, now: datetime, duplicate_rate: float
) -> None:
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").get(
        id=delivery_id
    )
    attempt = _send_once(
        delivery=delivery,
        send=send,
        now=now,
        duplicate=False,
        pending_webhooks=_pending_webhooks(delivery=delivery),
        number=_attempts_made(delivery=delivery) + 1,
    )
    delivery.attempt_count += 1
    delivery.last_status_code = attempt.status_code
    delivery.last_error = attempt.error
    if not attempt.error:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    else:
        schedule = settings.SANDBOX_WEBHOOK_RETRY_SCHEDULE
        retry_index = delivery.attempt_count - 1
        if retry_index < len(schedule):
            delivery.next_attempt_at = now + timedelta(seconds=schedule[retry_index])
        else:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
        logger.info(
            "webhook delivery failed",
            extra={
                "delivery_id": delivery.pk,
                "event": delivery.event.stripe_id,
                "attempt": delivery.attempt_count,
                "error": attempt.error,
            },
        )
    # The new count first, then the attempt: `_attempts_made` relies on it.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        **{name: getattr(delivery, name) for name in _DELIVERY_FIELDS}
    )
    attempt.save()
    if not attempt.error and duplicate_rate and random.random() < duplicate_rate:
        # Stripe delivers at least once; a receiver must shrug off a repeat.
        # Its pending count is taken again: this delivery has just succeeded.
        _send_once(
            delivery=delivery,
            send=send,
            now=now,
            duplicate=True,
            pending_webhooks=_pending_webhooks(delivery=delivery),
            number=_attempts_made(delivery=delivery) + 1,
        ).save()


def _deliver_in_thread(**kwargs: Any) -> None:
    """One delivery in a pass's own thread, which ends with the pass."""
    try:
        _deliver(**kwargs)
    finally:
        connection.close()


def _deliver_in_pool(**kwargs: Any) -> None:
    """One delivery in a long-lived pool thread: its connection is kept for
    the next delivery, unless the database failed under it."""
    try:
        _deliver(**kwargs)
    except DatabaseError:
        connection.close()
        raise


def webhook_deliveries_run_due(
    *,
    now: datetime | None = None,
    send: Send | None = None,
    limit: int = 100,
    workers: int = 1,
    pool: Executor | None = None,
) -> int:
    """Send the deliveries that are due; return how many were attempted.

    Failures are retried after SANDBOX_WEBHOOK_RETRY_SCHEDULE[n] seconds and
    given up after the last one. The Stripe faults' `extra` switches add
    chaos: webhook_pause, webhook_shuffle, webhook_duplicate_rate (and
    webhook_delay_ms, applied when an event is created).

    A long-running deliverer passes its own `pool` of `workers` threads, so
    each thread keeps its database connection and its keep-alive HTTP
    connections from one pass to the next; without one, a pass of several
    deliveries starts threads of its own.
    """
    extra = faults_get("stripe").extra
    if extra.get("webhook_pause"):
        return 0
    now = now or timezone.now()
    send = send or http_send
    claimed = _claim_due(now=now, limit=limit)
    if extra.get("webhook_shuffle"):
        random.shuffle(claimed)
    duplicate_rate = float(extra.get("webhook_duplicate_rate") or 0.0)
    jobs = [
        {"delivery_id": pk, "send": send, "now": now, "duplicate_rate": duplicate_rate}
        for pk in claimed
    ]
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            _deliver(**job)
    elif pool is not None:
        for future in [pool.submit(_deliver_in_pool, **job) for job in jobs]:
            future.result()
    else:
        with ThreadPoolExecutor(max_workers=workers) as own_pool:
            futures = [own_pool.submit(_deliver_in_thread, **job) for job in jobs]
            for future in futures:
                future.result()
    return len(jobs)


def webhook_delivery_retry_now(*, delivery_id: int) -> WebhookDelivery:
    """Make a delivery due again (also revives one that gave up)."""
    delivery = WebhookDelivery.objects.filter(id=delivery_id).first()
    if delivery is None:
        raise StripeApiError(f"No such delivery: {delivery_id}", status=404)
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at"])
    return delivery
