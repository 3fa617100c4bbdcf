"""Stripe webhook intake: verify, store once, enqueue on commit.

No Stripe or ERP call happens here; the work runs in django-q2 workers. The
view (integrations.views) finds the endpoint before it reads a body, reads the
body within a deadline, and hands it here.
"""

import json
import logging
import re
import threading
import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from stripe import SignatureVerificationError, WebhookSignature

from portal.exceptions import ApplicationError

from . import queue
from .models import Integration, RejectedDelivery, WebhookEvent, WebhookSecret

logger = logging.getLogger(__name__)

# Headers worth keeping with the raw event (cookies and auth never are), with
# their WSGI names.
_KEPT_HEADERS = {
    "Content-Type": "CONTENT_TYPE",
    "Content-Length": "CONTENT_LENGTH",
    "Stripe-Signature": "HTTP_STRIPE_SIGNATURE",
    "User-Agent": "HTTP_USER_AGENT",
}

# Stripe's events nest a few levels (an event, its object, expanded objects,
# lists of line items); anything far deeper is not an event.
MAX_JSON_DEPTH = 64

# Unix seconds Python's datetime can represent (up to 9999-12-31).
_LAST_TIMESTAMP = 253402300799


class IntakeRejected(ApplicationError):
    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code


class _NoSecretMatches(IntakeRejected):
    """No known secret verifies the signature: worth re-reading the secrets."""


def intake_headers(meta: dict[str, Any]) -> dict[str, str]:
    """The headers kept with an event, read from a request's META."""
    return {name: meta[key] for name, key in _KEPT_HEADERS.items() if key in meta}


# How long a web process trusts what it read about an integration and its
# signing secrets. Revoking or deleting a secret, or switching an integration
# off, takes effect in every process within this many seconds; an expiry date
# is checked on every delivery; a newly added secret works at once, because a
# signature no cached secret verifies makes the process read the secrets again
# before it refuses the delivery.
INTAKE_CACHE_SECONDS = 5.0

# The clock of the intake cache (a seam for tests).
_clock = time.monotonic


@dataclass(frozen=True)
class DeliveryEndpoint:
    """An active integration and its signing secrets, as the intake read them."""

    integration: Integration
    secrets: tuple[tuple[str, datetime | None], ...]
    loaded_at: float
    cached: bool = False


# Integration UUID -> its endpoint. Only integrations that exist and are active
# are kept, so unknown UUIDs cannot grow it. Threads share it: a dict read or
# write is atomic, and two threads loading the same entry at once only cost
# one extra pair of queries.
_endpoints: dict[uuid.UUID, DeliveryEndpoint] = {}


def intake_cache_clear() -> None:
    """Forget every cached endpoint (this process only)."""
    _endpoints.clear()


def delivery_endpoint(
    *, integration_uuid: str, reload: bool = False
) -> DeliveryEndpoint:
    """The active integration a delivery is for, or a 404.

    Called before the body is read, so a delivery to no endpoint costs no read.
    """
    try:
        key = uuid.UUID(integration_uuid)
    except ValueError as exc:
        raise IntakeRejected(404, "unknown or disabled integration") from exc
    endpoint = _endpoints.get(key)
    now = _clock()
    if (
        endpoint is not None
        and not reload
        and now - endpoint.loaded_at < INTAKE_CACHE_SECONDS
    ):
        return endpoint
    integration = Integration.objects.filter(uuid=key, is_active=True).first()
    if integration is None:
        _endpoints.pop(key, None)
        raise IntakeRejected(404, "unknown or disabled integration")
    secrets = tuple(
        WebhookSecret.objects.filter(
            integration_id=integration.pk, is_active=True
        ).values_list("secret", "expires_at")
    )
    _endpoints[key] = DeliveryEndpoint(
        integration=integration, secrets=secrets, loaded_at=now, cached=True
    )
    return DeliveryEndpoint(integration=integration, secrets=secrets, loaded_at=now)


def webhook_event_receive(
    *,
    endpoint: DeliveryEndpoint,
    body: bytes,
    signature: str,
    headers: dict[str, str],
) -> tuple[WebhookEvent, bool]:
    """Verify and store one delivery; enqueue its processing on commit.

    Returns the stored event and whether it is new. A duplicate returns the
    row already stored and enqueues nothing.
    """
    try:
        data = _verify(body, signature, _secrets_usable(endpoint.secrets))
    except _NoSecretMatches:
        if not endpoint.cached:
            raise
        # Perhaps a secret added since the endpoint was read: read again, and
        # refuse unless the secrets changed.
        fresh = delivery_endpoint(
            integration_uuid=str(endpoint.integration.uuid), reload=True
        )
        if fresh.secrets == endpoint.secrets:
            raise
        endpoint = fresh
        data = _verify(body, signature, _secrets_usable(endpoint.secrets))
    return webhook_event_store(
        integration=endpoint.integration,
        data=data,
        body=body.decode("utf-8"),
        headers=headers,
        source="webhook",
    )


def _secrets_usable(secrets: tuple[tuple[str, datetime | None], ...]) -> list[str]:
    now = timezone.now()
    return [
        secret
        for secret, expires_at in secrets
        if expires_at is None or expires_at > now
    ]


def _verify(body: bytes, signature: str, secrets: list[str]) -> dict:
    """Verify the signature with any active secret and return the event dict.

    https://docs.stripe.com/webhooks#verify-manually
    """
    if not signature:
        raise IntakeRejected(400, "missing Stripe-Signature header")
    if not secrets:
        raise _NoSecretMatches(400, "no active signing secret for this endpoint")
    try:
        payload = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IntakeRejected(400, "body is not UTF-8") from exc
    tolerance = settings.STRIPE_WEBHOOK_TOLERANCE
    stale = False
    for secret in secrets:
        try:
            WebhookSignature.verify_header(payload, signature, secret, tolerance)
        except SignatureVerificationError as exc:
            stale = stale or "tolerance" in str(exc)
            if "Unable to extract" in str(exc) or "No signatures found with" in str(
                exc
            ):
                raise IntakeRejected(400, "malformed Stripe-Signature header") from exc
            continue
        break
    else:
        if stale:
            raise IntakeRejected(400, "timestamp outside the tolerance window")
        raise _NoSecretMatches(400, "signature does not match any active secret")
    # The SDK accepts timestamps from the future; a signed event dated past the
    # tolerance ahead is as suspect as a stale one.
    if _signed_at(signature) > time.time() + tolerance:
        raise IntakeRejected(400, "timestamp outside the tolerance window")
    data = _parse(payload)
    _check_event(data)
    return data


def _signed_at(signature: str) -> int:
    """The `t=` of a header the SDK has already verified."""
    for item in signature.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            return int(value)
    raise IntakeRejected(400, "malformed Stripe-Signature header")


def _parse(payload: str) -> Any:
    if _depth_exceeds(payload, MAX_JSON_DEPTH):
        raise IntakeRejected(
            400, f"body is JSON nested deeper than {MAX_JSON_DEPTH} levels"
        )
    try:
        return json.loads(payload)
    except RecursionError as exc:
        raise IntakeRejected(400, "body is JSON nested too deeply") from exc
    except ValueError as exc:
        raise IntakeRejected(400, "body is not JSON") from exc


# A JSON string (escapes included, written as an unrolled loop so the regex
# engine runs through plain characters without trying an alternative at each)
# and the brackets that nest: depth is read from the raw text, so a body is
# measured before it is parsed and without walking every value of the parsed
# event.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _depth_exceeds(payload: str, limit: int) -> bool:
    # Nesting never goes deeper than the number of opening brackets, those
    # inside strings included: a body with few of them (a typical event) needs
    # no scan.
    if payload.count("{") + payload.count("[") <= limit:
        return False
    depth = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub("", payload)):
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _check_event(data: Any) -> None:
    """Refuse, with the reason, a signed body that is not a storable event."""
    if not (
        isinstance(data, dict)
        and data.get("object") == "event"
        and isinstance(data.get("data"), dict)
        and isinstance(data["data"].get("object"), dict)
    ):
        raise IntakeRejected(400, "body is not a Stripe event")
    _check_text(data.get("id"), "id", max_length=255)
    _check_text(data.get("type"), "type", max_length=100)
    for value, name, max_length in (
        (data.get("api_version"), "api_version", 40),
        (data["data"]["object"].get("id"), "data.object.id", 255),
    ):
        if value is not None:
            _check_text(value, name, max_length=max_length, min_length=0)
    created = data.get("created")
    if created is not None and (
        isinstance(created, bool)
        or not isinstance(created, int)
        or not 0 <= created <= _LAST_TIMESTAMP
    ):
        raise IntakeRejected(400, "created is not a Unix timestamp")


def _check_text(value: Any, name: str, *, max_length: int, min_length: int = 1) -> None:
    if not isinstance(value, str) or not min_length <= len(value) <= max_length:
        raise IntakeRejected(
            400, f"{name} must be a string of {min_length} to {max_length} characters"
        )
    # PostgreSQL text refuses NUL, and a lone surrogate has no UTF-8 form;
    # nothing Stripe sends contains either.
    if "\x00" in value:
        raise IntakeRejected(400, f"{name} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise IntakeRejected(400, f"{name} is not valid Unicode") from exc


def webhook_event_store(
    *,
    integration: Integration,
    data: dict,
    body: str,
    headers: dict[str, str] | None = None,
    source: str,
) -> tuple[WebhookEvent, bool]:
    """Store an event once per integration; shared by webhooks, sweep and backfill.

    Insert first and let the unique constraint find a duplicate. Processing is
    enqueued when the row is committed (at once in autocommit, or when the
    caller's transaction commits).
    """
    created_ts = data.get("created")
    event = WebhookEvent(
        integration=integration,
        stripe_id=data["id"],
        type=data["type"],
        api_version=str(data.get("api_version") or "")[:40],
        livemode=bool(data.get("livemode")),
        stripe_created=(
            datetime.fromtimestamp(created_ts, tz=UTC) if created_ts else None
        ),
        object_id=str(data["data"]["object"].get("id") or "")[:255],
        body=body,
        headers=headers or {},
        source=source,
    )
    # Inside a caller's transaction (sweep, backfill) the insert gets a
    # savepoint, which then survives a duplicate (PostgreSQL refuses every
    # statement after an error). In autocommit (the webhook view) the INSERT
    # is one statement that commits on its own: no BEGIN/COMMIT round trips.
    in_transaction = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if in_transaction else nullcontext():
            event.save(force_insert=True)
    except IntegrityError:
        # Stored before: a redelivery, or a concurrent delivery won the insert.
        return WebhookEvent.objects.get(
            integration=integration, stripe_id=data["id"]
        ), False
    # Now in autocommit, or when the caller's transaction commits.
    transaction.on_commit(partial(queue.event_process_enqueue, event.pk))
    return event, True


class _RejectedLogBudget:
    """How many refused deliveries this process may still log this minute.

    A storm of bad deliveries must not cost a database write each: past the
    budget they are counted, and the count is logged once the minute ends.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._minute = 0
        self._used = 0
        self._suppressed = 0

    def take(self, *, limit: int, minute: int) -> bool:
        with self._lock:
            if minute != self._minute:
                if self._suppressed:
                    logger.warning(
                        "%d refused webhook deliveries were not logged "
                        "(more than %d a minute)",
                        self._suppressed,
                        limit,
                    )
                self._minute, self._used, self._suppressed = minute, 0, 0
            if self._used >= limit:
                self._suppressed += 1
                return False
            self._used += 1
            return True


_rejected_budget = _RejectedLogBudget()


def rejected_delivery_record(
    *,
    integration_uuid: str,
    status_code: int,
    reason: str,
    remote_addr: str | None,
    body_bytes: int,
) -> bool:
    """Keep a capped, rate-limited log of refused deliveries, without bodies.

    Returns whether this one was written.
    """
    if not _rejected_budget.take(
        limit=settings.WEBHOOK_REJECTED_LOG_PER_MINUTE,
        minute=int(_clock() // 60),
    ):
        return False
    RejectedDelivery.objects.create(
        # The path segment is attacker-controlled: keep printable text only.
        integration_uuid="".join(ch for ch in integration_uuid if ch.isprintable())[
            :64
        ],
        status_code=status_code,
        reason=reason[:255],
        remote_addr=remote_addr or None,
        body_bytes=min(body_bytes, 2**31 - 1),
    )
    cap = settings.WEBHOOK_REJECTED_LOG_CAP
    beyond_cap = list(
        RejectedDelivery.objects.order_by("-id").values_list("id", flat=True)[
            cap : cap + 1
        ]
    )
    if beyond_cap:
        RejectedDelivery.objects.filter(id__lte=beyond_cap[0]).delete()
    return True
