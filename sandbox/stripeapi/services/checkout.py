"""Checkout Sessions in payment mode, hosted by the sandbox.

A session is created open with its URL on the sandbox's own hosted page; that
page's "Pay with the test card" makes the PaymentIntent and charge exactly as
a confirmation with `pm_card_visa` does (services/payments.py), completes the
session and emits `checkout.session.completed`
(https://docs.stripe.com/api/checkout/sessions/object). Stripe makes the
PaymentIntent of a payment-mode session only when the customer pays
(https://docs.stripe.com/changelog/2022-08-01): `payment_intent` is null until
then.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction

from ..errors import StripeApiError
from ..models import ApiObject
from ..params import metadata_apply
from .core import event_emit, new_id, now_ts, object_create, object_get, object_save
from .customers import customer_require
from .payments import payment_intent_create

Kind = ApiObject.Kind
# Stripe's default and longest life of a session is 24 hours, the shortest 30
# minutes (https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-expires_at).
DEFAULT_LIFETIME = timedelta(hours=24)
MIN_LIFETIME = timedelta(minutes=30)
SESSION_ID_TEMPLATE = "{CHECKOUT_SESSION_ID}"
# The card the hosted page pays with: Stripe's test Visa that succeeds.
HOSTED_TEST_CARD = "pm_card_visa"
# Kept with the stored session, never shown in the API object.
_PRIVATE = "_payment_intent_data"


@dataclass(frozen=True)
class LineItem:
    name: str
    unit_amount: int
    quantity: int


def public(data: dict[str, Any]) -> dict[str, Any]:
    """The session as the API shows it."""
    return {key: value for key, value in data.items() if key != _PRIVATE}


def checkout_session_create(
    *,
    hosted_base: str,
    currency: str,
    line_items: list[LineItem],
    success_url: str,
    cancel_url: str | None,
    customer: str | None,
    customer_email: str | None,
    client_reference_id: str | None,
    metadata: dict[str, str] | None,
    payment_intent_data: dict[str, Any],
    expires_at: int | None,
) -> dict[str, Any]:
    if customer:
        customer_require(customer_id=customer)
    created = now_ts()
    if expires_at is None:
        expires_at = created + int(DEFAULT_LIFETIME.total_seconds())
    elif not (
        created + MIN_LIFETIME.total_seconds()
        <= expires_at
        <= created + DEFAULT_LIFETIME.total_seconds()
    ):
        raise StripeApiError(
            "The `expires_at` timestamp must be between 30 minutes and 24 hours "
            "from Checkout Session creation.",
            code="parameter_invalid",
            param="expires_at",
        )
    session_id = new_id("cs_test", 58)
    total = sum(item.unit_amount * item.quantity for item in line_items)
    data: dict[str, Any] = {
        "id": session_id,
        "object": "checkout.session",
        "amount_subtotal": total,
        "amount_total": total,
        "cancel_url": cancel_url,
        "client_reference_id": client_reference_id,
        "created": created,
        "currency": currency,
        "customer": customer,
        "customer_email": customer_email,
        "expires_at": expires_at,
        "livemode": False,
        "metadata": metadata_apply({}, metadata),
        "mode": "payment",
        "payment_intent": None,
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "status": "open",
        "success_url": success_url,
        "ui_mode": "hosted",
        "url": f"{hosted_base.rstrip('/')}/{session_id}",
        _PRIVATE: {
            **payment_intent_data,
            "lines": [
                {"name": i.name, "unit_amount": i.unit_amount, "quantity": i.quantity}
                for i in line_items
            ],
        },
    }
    object_create(kind=Kind.CHECKOUT_SESSION, data=data, customer=customer)
    return public(data)


def checkout_session_get(*, session_id: str) -> dict[str, Any]:
    data = _expire_if_due(object_get(kind=Kind.CHECKOUT_SESSION, stripe_id=session_id))
    return public(data)


def _expire_if_due(obj: ApiObject) -> dict[str, Any]:
    if obj.data["status"] == "open" and obj.data["expires_at"] <= now_ts():
        obj.data["status"] = "expired"
        obj.data["url"] = None
        object_save(obj=obj)
        event_emit(type="checkout.session.expired", obj=public(obj.data))
    return obj.data


@dataclass(frozen=True)
class HostedPage:
    """What the hosted page shows of a session."""

    session_id: str
    status: str
    currency: str
    amount_total: int
    lines: list[dict[str, Any]]
    cancel_url: str | None


def checkout_session_page(*, session_id: str) -> HostedPage:
    data = _expire_if_due(object_get(kind=Kind.CHECKOUT_SESSION, stripe_id=session_id))
    return HostedPage(
        session_id=data["id"],
        status=data["status"],
        currency=data["currency"],
        amount_total=data["amount_total"],
        lines=data[_PRIVATE]["lines"],
        cancel_url=data["cancel_url"],
    )


def success_redirect(data: dict[str, Any]) -> str:
    """The success URL with the session id put in, as Stripe does
    (https://docs.stripe.com/payments/checkout/custom-success-page)."""
    return data["success_url"].replace(SESSION_ID_TEMPLATE, data["id"])


def checkout_session_pay(*, session_id: str) -> str:
    """Pay an open session with the test card, once; the success URL.

    A second submit of the page (or a paid session) charges nothing more.
    """
    with transaction.atomic():
        obj = object_get(
            kind=Kind.CHECKOUT_SESSION, stripe_id=session_id, for_update=True
        )
        data = _expire_if_due(obj)
        if data["status"] == "complete":
            return success_redirect(data)
        if data["status"] != "open":
            raise StripeApiError(
                "This Checkout Session is no longer active.", status=409
            )
        extra = data[_PRIVATE]
        intent = payment_intent_create(
            amount=data["amount_total"],
            currency=data["currency"],
            customer=data["customer"],
            payment_method=HOSTED_TEST_CARD,
            confirm=True,
            description=extra.get("description"),
            receipt_email=extra.get("receipt_email") or data["customer_email"],
            metadata=extra.get("metadata"),
        )
        data.update(
            payment_intent=intent["id"],
            payment_status="paid",
            status="complete",
            url=None,
        )
        object_save(obj=obj)
        event_emit(type="checkout.session.completed", obj=public(data))
    return success_redirect(data)
