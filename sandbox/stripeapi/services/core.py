"""Object store, ids, the request context and event emission shared by services."""

import copy
import secrets
import string
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import stripe
from django.db import transaction
from django.utils import timezone

from sandbox.faults import faults_get

from ..errors import no_such
from ..models import (
    ApiObject,
    Event,
    IdempotentRequest,
    WebhookDelivery,
    WebhookEndpoint,
)

# Answer in the version the installed SDK pins, so its objects deserialize as
# they would against api.stripe.com.
API_VERSION: str = stripe.api_version

_ALPHABET = string.ascii_letters + string.digits

# Event types the sandbox emits, plus the common ones an endpoint may
# subscribe to although the sandbox never sends them.
EMITTED_EVENT_TYPES = frozenset(
    {
        "customer.created",
        "customer.updated",
        "customer.deleted",
        "payment_intent.created",
        "payment_intent.succeeded",
        "payment_intent.payment_failed",
        "charge.succeeded",
        "charge.failed",
        "charge.refunded",
        "refund.created",
        "charge.dispute.created",
        "charge.dispute.funds_withdrawn",
        "charge.dispute.funds_reinstated",
        "charge.dispute.closed",
        "payout.created",
        "payout.paid",
        "product.created",
        "product.updated",
        "product.deleted",
        "price.created",
        "price.updated",
        "invoice.created",
        "invoice.finalized",
        "invoice.paid",
        "invoice.payment_succeeded",
        "invoice.payment_failed",
        "invoice.voided",
        "invoice.marked_uncollectible",
        "payment_intent.canceled",
        "credit_note.created",
        "credit_note.voided",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "test_helpers.test_clock.advancing",
        "test_helpers.test_clock.ready",
        "checkout.session.completed",
        "checkout.session.expired",
    }
)
EVENT_TYPES = EMITTED_EVENT_TYPES | {
    "balance.available",
    "charge.captured",
    "charge.dispute.updated",
    # Accepted on an endpoint like Stripe does; the router listens to it.
    "charge.refund.updated",
    "charge.updated",
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.deleted",
    # Real Stripe types the router listens to; this sandbox does not pause
    # subscriptions, so it never emits them.
    "customer.subscription.paused",
    "customer.subscription.resumed",
    "customer.subscription.updated",
    "invoice.created",
    "invoice.finalized",
    "invoice.paid",
    "invoice.payment_failed",
    "invoice.updated",
    "payment_intent.canceled",
    "payment_intent.processing",
    "payout.canceled",
    "payout.failed",
    "payout.reconciliation_completed",
    "payout.updated",
    "price.deleted",
    "refund.failed",
    "refund.updated",
}


@dataclass(frozen=True)
class RequestInfo:
    id: str
    idempotency_key: str | None = None


_current_request: ContextVar[RequestInfo | None] = ContextVar(
    "stripe_sandbox_request", default=None
)


# The enabled webhook endpoints as the current request first read them: a
# request that emits several events (a confirmed PaymentIntent emits three)
# reads them once. Outside a request every event reads them afresh.
_request_endpoints: ContextVar[list[WebhookEndpoint] | None] = ContextVar(
    "stripe_sandbox_request_endpoints", default=None
)


@contextmanager
def request_context(info: RequestInfo) -> Iterator[None]:
    """Tag the events a request emits with its id and idempotency key."""
    token = _current_request.set(info)
    endpoints_token = _request_endpoints.set(None)
    try:
        yield
    finally:
        _request_endpoints.reset(endpoints_token)
        _current_request.reset(token)


def request_endpoints_forget() -> None:
    """An endpoint changed: the current request's next event reads them again."""
    _request_endpoints.set(None)


def _enabled_endpoints() -> list[WebhookEndpoint]:
    endpoints = _request_endpoints.get()
    if endpoints is None:
        endpoints = list(
            WebhookEndpoint.objects.filter(status=WebhookEndpoint.Status.ENABLED)
        )
        if _current_request.get() is not None:
            _request_endpoints.set(endpoints)
    return endpoints


# The largest multiple of the alphabet's size a byte can hold: bytes from it
# up are dropped, so every character stays equally likely.
_UNBIASED_BYTE_LIMIT = 256 - 256 % len(_ALPHABET)


def new_id(prefix: str, length: int = 24) -> str:
    """`prefix_` and `length` random letters and digits (one urandom read,
    not one per character)."""
    chars: list[str] = []
    while len(chars) < length:
        chars += (
            _ALPHABET[byte % len(_ALPHABET)]
            for byte in secrets.token_bytes(length + 8)
            if byte < _UNBIASED_BYTE_LIMIT
        )
    return f"{prefix}_{''.join(chars[:length])}"


# The time of a test clock while it advances: objects it creates carry it.
_frozen_now: ContextVar[datetime | None] = ContextVar(
    "stripe_sandbox_frozen_now", default=None
)


@contextmanager
def frozen_at(timestamp: int) -> Iterator[None]:
    """Create objects as of `timestamp` (a test clock's frozen time)."""
    token = _frozen_now.set(datetime.fromtimestamp(timestamp, tz=UTC))
    try:
        yield
    finally:
        _frozen_now.reset(token)


def now() -> datetime:
    return _frozen_now.get() or timezone.now()


def now_ts() -> int:
    return int(now().timestamp())


def object_create(
    *,
    kind: str,
    data: dict[str, Any],
    customer: str | None = "",
    parent: str | None = "",
    currency: str = "",
    net: int | None = None,
    created: int | None = None,
) -> ApiObject:
    """Store an object; `created` for objects without that field (an invoice
    item has `date`)."""
    return ApiObject.objects.create(
        stripe_id=data["id"],
        kind=kind,
        created=data["created"] if created is None else created,
        data=data,
        customer=customer or "",
        parent=parent or "",
        currency=currency,
        net=net,
    )


def object_get(
    *, kind: str, stripe_id: str, param: str = "id", for_update: bool = False
) -> ApiObject:
    """The stored object, locked for the transaction when `for_update`."""
    rows = ApiObject.objects.select_for_update() if for_update else ApiObject.objects
    obj = rows.filter(kind=kind, stripe_id=stripe_id).first()
    if obj is None:
        raise no_such(kind, stripe_id, param)
    return obj


def object_save(*, obj: ApiObject, fields: tuple[str, ...] = ()) -> None:
    obj.save(update_fields=["data", *fields])


# Events a request emitted, written together when its handler returns (one
# INSERT per event and one for all their deliveries instead of two per
# event). Outside events_batched every event is written at once.
_batched_events: ContextVar[list[tuple[Event, list[WebhookDelivery]]] | None] = (
    ContextVar("stripe_sandbox_batched_events", default=None)
)


@contextmanager
def events_batched() -> Iterator[None]:
    """Write the events emitted inside, in order, when the block ends.

    Use inside the request's transaction: an exception drops them with the
    rest of its writes; nothing in the block may read them back.
    """
    batch: list[tuple[Event, list[WebhookDelivery]]] = []
    token = _batched_events.set(batch)
    try:
        yield
    finally:
        _batched_events.reset(token)
    if batch:
        _events_write(batch)


def _events_write(batch: list[tuple[Event, list[WebhookDelivery]]]) -> None:
    # One row per INSERT: several rows go to PostgreSQL as arrays (UNNEST),
    # and psycopg escapes every quote of a JSON body in the array literal
    # one by one, which costs more than the round trips it saves.
    Event.objects.bulk_create((event for event, _ in batch), batch_size=1)
    deliveries = []
    for event, pending in batch:
        for delivery in pending:
            delivery.event = event
            deliveries.append(delivery)
    if deliveries:
        WebhookDelivery.objects.bulk_create(deliveries)


def event_emit(
    *,
    type: str,  # noqa: A002 - Stripe's field name
    obj: dict[str, Any],
    previous_attributes: dict[str, Any] | None = None,
) -> Event:
    """Record an event and one delivery per subscribed endpoint, atomically.

    Call inside the transaction that changed `obj`: the deliveries are durable
    rows the deliverer picks up after commit, so a crash loses nothing.
    Within events_batched the rows are written when the batch ends.
    """
    # Events happen in real time, also while a test clock advances.
    created = timezone.now()
    info = _current_request.get()
    endpoints = [endpoint for endpoint in _enabled_endpoints() if endpoint.wants(type)]
    data_block: dict[str, Any] = {"object": copy.deepcopy(obj)}
    if previous_attributes is not None:
        data_block["previous_attributes"] = copy.deepcopy(previous_attributes)
    body = {
        "id": new_id("evt"),
        "object": "event",
        "api_version": API_VERSION,
        "created": int(created.timestamp()),
        "data": data_block,
        "livemode": False,
        "pending_webhooks": len(endpoints),
        "request": {
            "id": info.id if info else None,
            "idempotency_key": info.idempotency_key if info else None,
        },
        "type": type,
    }
    event = Event(stripe_id=body["id"], type=type, created=body["created"], data=body)
    deliveries = []
    if endpoints:
        delay_ms = int(faults_get("stripe").extra.get("webhook_delay_ms") or 0)
        due = created + timedelta(milliseconds=delay_ms)
        deliveries = [
            WebhookDelivery(endpoint=endpoint, created_at=created, next_attempt_at=due)
            for endpoint in endpoints
        ]
    batch = _batched_events.get()
    if batch is not None:
        batch.append((event, deliveries))
    else:
        _events_write([(event, deliveries)])
    return event


def sandbox_reset(*, endpoints: bool = False) -> None:
    """Forget every object, event and stored idempotent answer.

    Webhook endpoints (and the secrets integrations were set up with) stay
    unless `endpoints` is true.
    """
    with transaction.atomic():
        ApiObject.objects.all().delete()
        Event.objects.all().delete()
        IdempotentRequest.objects.all().delete()
        if endpoints:
            WebhookEndpoint.objects.all().delete()
