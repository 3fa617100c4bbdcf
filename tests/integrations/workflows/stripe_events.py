"""Stripe events for the workflow tests, built on Stripe's published examples.

The example objects live in tests/fixtures/stripe/ (copied unchanged from
Stripe's openapi fixtures); each builder overrides only what a test needs, so
every other field keeps Stripe's real shape.
"""

import copy
import itertools
import json
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "stripe"
BASE_TIME = 1_760_000_000
_ids = itertools.count(1)


@cache
def _example(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def example(_kind: str, /, **overrides: Any) -> dict[str, Any]:
    obj = copy.deepcopy(_example(_kind))
    obj.update(overrides)
    return obj


def event(
    event_type: str,
    obj: dict[str, Any],
    *,
    created: int | None = None,
    previous: dict[str, Any] | None = None,
    api_version: str = "2024-06-20",
) -> dict[str, Any]:
    data: dict[str, Any] = {"object": obj}
    if previous is not None:
        data["previous_attributes"] = previous
    return {
        "id": f"evt_{next(_ids):06d}",
        "object": "event",
        "api_version": api_version,
        "created": created if created is not None else BASE_TIME + next(_ids),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        "data": data,
    }


def charge(
    charge_id: str,
    *,
    amount: int,
    currency: str = "usd",
    customer: str | None = "cus_A",
    email: str = "buyer@example.com",
    metadata: dict[str, str] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    obj = example(
        "charge",
        id=charge_id,
        amount=amount,
        amount_captured=amount,
        currency=currency,
        customer=customer,
        metadata=metadata or {},
        created=BASE_TIME,
        description=None,
        payment_intent=None,
        status="succeeded",
        paid=True,
        captured=True,
    )
    obj["billing_details"] = {
        **obj["billing_details"],
        "email": email,
        "name": "Jenny Rosen",
    }
    obj.update(overrides)
    return obj


def refund(
    refund_id: str,
    *,
    charge_id: str,
    amount: int,
    currency: str = "usd",
    status: str = "succeeded",
) -> dict[str, Any]:
    return example(
        "refund",
        id=refund_id,
        charge=charge_id,
        amount=amount,
        currency=currency,
        status=status,
        created=BASE_TIME + 100,
    )


def refunded_charge(
    base: dict[str, Any], refunds: list[dict[str, Any]], *, embed: bool = True
) -> dict[str, Any]:
    obj = copy.deepcopy(base)
    obj["amount_refunded"] = sum(
        r["amount"] for r in refunds if r["status"] in ("succeeded", "pending")
    )
    obj["refunded"] = obj["amount_refunded"] == obj["amount"]
    obj["refunds"] = (
        {"object": "list", "data": refunds, "has_more": False, "url": "/v1/refunds"}
        if embed
        else None
    )
    return obj


def dispute(
    dispute_id: str,
    *,
    charge_id: str,
    amount: int,
    currency: str = "usd",
    status: str = "needs_response",
) -> dict[str, Any]:
    return example(
        "dispute",
        id=dispute_id,
        charge=charge_id,
        amount=amount,
        currency=currency,
        status=status,
        reason="fraudulent",
        created=BASE_TIME + 200,
    )


def customer(customer_id: str, **overrides: Any) -> dict[str, Any]:
    obj = example(
        "customer",
        id=customer_id,
        name="Jenny Rosen",
        email="jenny@example.com",
        phone="+1 555 0100",
        created=BASE_TIME,
        discount=None,
    )
    obj["address"] = {
        "line1": "1 Harbour Road",
        "line2": "Suite 4",
        "city": "Cape Town",
        "state": "WC",
        "postal_code": "8001",
        "country": "za",
    }
    obj.update(overrides)
    return obj


def invoice(
    invoice_id: str,
    *,
    amount: int,
    tax: int = 0,
    currency: str = "usd",
    customer: str = "cus_A",
    charge_id: str = "",
    basil: bool = False,
) -> dict[str, Any]:
    obj = example(
        "invoice",
        id=invoice_id,
        number=f"INV-{invoice_id[-4:]}",
        currency=currency,
        customer=customer,
        customer_email="jenny@example.com",
        customer_name="Jenny Rosen",
        total=amount,
        amount_paid=amount,
        amount_due=amount,
        status="paid",
        created=BASE_TIME,
    )
    obj["lines"] = {
        "object": "list",
        "has_more": False,
        "data": [
            {
                "id": f"il_{invoice_id}",
                "object": "line_item",
                "amount": amount - tax,
                "currency": currency,
                "description": "Subscription",
                "quantity": 1,
            }
        ],
    }
    obj["status_transitions"] = {"paid_at": BASE_TIME + 10}
    if basil:
        obj["total_taxes"] = [{"amount": tax}] if tax else []
        obj["payments"] = {
            "object": "list",
            "data": [
                {
                    "object": "invoice_payment",
                    "status": "paid",
                    "amount_paid": amount,
                    "payment": {"type": "charge", "charge": charge_id},
                }
            ],
        }
    else:
        obj["tax"] = tax
        obj["charge"] = charge_id or None
        obj["payment_intent"] = None
    return obj


BASIL = "2025-03-31.basil"


def basil_invoice(
    invoice_id: str,
    *,
    amount: int,
    paid: int | None = None,
    tax: int = 0,
    currency: str = "usd",
    customer: str = "cus_A",
    subscription: str = "",
) -> dict[str, Any]:
    """An invoice as a basil endpoint receives it: no charge, no payment
    intent, and no `payments` (an includable field events leave out)."""
    obj = invoice(
        invoice_id, amount=amount, tax=tax, currency=currency, customer=customer
    )
    for name in ("charge", "payment_intent", "tax", "payments", "subscription"):
        obj.pop(name, None)
    obj["total_taxes"] = [{"amount": tax, "tax_behavior": "exclusive"}] if tax else []
    obj["amount_paid"] = amount if paid is None else paid
    obj["amount_remaining"] = amount - obj["amount_paid"]
    obj["parent"] = (
        {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {"metadata": {}, "subscription": subscription},
        }
        if subscription
        else None
    )
    return obj


def invoice_payment(
    invoice_id: str,
    *,
    payment_intent: str,
    amount: int,
    status: str = "paid",
    currency: str = "usd",
) -> dict[str, Any]:
    """An InvoicePayment as `GET /v1/invoice_payments` lists it."""
    return {
        "id": f"inpay_{payment_intent}",
        "object": "invoice_payment",
        "amount_paid": amount if status == "paid" else None,
        "amount_requested": amount,
        "created": BASE_TIME,
        "currency": currency,
        "invoice": invoice_id,
        "is_default": True,
        "livemode": False,
        "payment": {"type": "payment_intent", "payment_intent": payment_intent},
        "status": status,
        "status_transitions": {"canceled_at": None, "paid_at": BASE_TIME + 10},
    }


def credit_note(
    credit_note_id: str,
    *,
    invoice_id: str,
    amount: int,
    tax: int = 0,
    currency: str = "usd",
    customer: str = "cus_A",
    refunds: list[tuple[str, int]] = (),
    status: str = "issued",
) -> dict[str, Any]:
    """A credit note (basil shape: `refunds` list, `total_taxes`)."""
    return example(
        "credit_note",
        id=credit_note_id,
        invoice=invoice_id,
        customer=customer,
        currency=currency,
        amount=amount,
        total=amount,
        subtotal=amount - tax,
        total_taxes=[{"amount": tax, "tax_behavior": "exclusive"}] if tax else [],
        refunds=[{"refund": r, "amount_refunded": a} for r, a in refunds],
        status=status,
        number=f"CN-{credit_note_id[-4:]}",
        memo=None,
        reason="order_change",
        created=BASE_TIME + 50,
        effective_at=BASE_TIME + 50,
        voided_at=BASE_TIME + 60 if status == "void" else None,
    )
