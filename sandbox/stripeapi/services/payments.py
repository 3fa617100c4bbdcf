"""PaymentIntents, charges, refunds and disputes.

The outcome of a confirmation follows Stripe's test payment methods
(https://docs.stripe.com/testing): `pm_card_visa` succeeds,
`pm_card_chargeDeclined` is declined, `pm_card_createDispute` succeeds and is
disputed straight away.
"""

import copy
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ..errors import StripeApiError
from ..models import ApiObject
from ..params import metadata_apply
from .balance import balance_transaction_create, dispute_fee, processing_fee
from .core import event_emit, new_id, now_ts, object_create, object_get, object_save
from .customers import customer_require

Kind = ApiObject.Kind


@dataclass(frozen=True)
class TestCard:
    brand: str
    last4: str
    outcome: str  # "succeeded" | "declined" | "dispute"
    decline_code: str = ""
    funding: str = "credit"
    country: str = "US"


TEST_CARDS: dict[str, TestCard] = {
    "pm_card_visa": TestCard("visa", "4242", "succeeded"),
    "pm_card_mastercard": TestCard("mastercard", "4444", "succeeded"),
    "pm_card_amex": TestCard("amex", "8431", "succeeded"),
    "pm_card_visa_debit": TestCard("visa", "5556", "succeeded", funding="debit"),
    "pm_card_chargeDeclined": TestCard("visa", "0002", "declined", "generic_decline"),
    "pm_card_chargeDeclinedInsufficientFunds": TestCard(
        "visa", "9995", "declined", "insufficient_funds"
    ),
    "pm_card_createDispute": TestCard("visa", "0259", "dispute"),
}
# Test tokens are accepted as payment methods, as Stripe does.
TEST_CARDS |= {
    "tok_visa": TEST_CARDS["pm_card_visa"],
    "tok_chargeDeclined": TEST_CARDS["pm_card_chargeDeclined"],
    "tok_createDispute": TEST_CARDS["pm_card_createDispute"],
}

_DECLINE_MESSAGES = {
    "generic_decline": "Your card was declined.",
    "insufficient_funds": "Your card has insufficient funds.",
}


def _test_card(payment_method: str) -> TestCard:
    card = TEST_CARDS.get(payment_method)
    if card is None:
        raise StripeApiError(
            f"No such PaymentMethod: '{payment_method}'",
            code="resource_missing",
            param="payment_method",
        )
    return card


def card_require(payment_method: str, *, param: str) -> None:
    """A payment method the sandbox knows (Stripe's test cards), else 400."""
    if payment_method not in TEST_CARDS:
        raise StripeApiError(
            f"No such PaymentMethod: '{payment_method}'",
            code="resource_missing",
            param=param,
        )


def payment_intent_create(
    *,
    amount: int,
    currency: str,
    customer: str | None,
    payment_method: str | None,
    confirm: bool,
    description: str | None,
    receipt_email: str | None,
    metadata: dict[str, str] | None,
) -> dict[str, Any]:
    if customer:
        customer_require(customer_id=customer)
    if payment_method:
        _test_card(payment_method)
    # No savepoint of its own: a failure here fails the request that asked
    # (the API edge runs each request in its own savepoint), and a decline is
    # raised only once this block has committed its writes.
    with transaction.atomic(savepoint=False):
        data = _payment_intent_new(
            amount=amount,
            currency=currency,
            customer=customer,
            payment_method=payment_method,
            description=description,
            receipt_email=receipt_email,
            metadata=metadata,
        )
        declined = None
        if confirm:
            declined = _confirm(data, payment_method)
        # Stored once, as confirmation left it: payment_intent.created holds
        # its own copy of the state before.
        object_create(kind=Kind.PAYMENT_INTENT, data=data, customer=customer)
    if declined:
        raise declined
    return data


def _payment_intent_new(
    *,
    amount: int,
    currency: str,
    customer: str | None,
    payment_method: str | None,
    description: str | None,
    receipt_email: str | None,
    metadata: dict[str, str] | None,
) -> dict[str, Any]:
    """A new PaymentIntent's data, its payment_intent.created emitted; not stored."""
    pi_id = new_id("pi")
    data: dict[str, Any] = {
        "id": pi_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_received": 0,
        "application_fee_amount": None,
        "automatic_payment_methods": None,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic",
        "client_secret": f"{pi_id}_secret_{new_id('s', 16)[2:]}",
        "confirmation_method": "automatic",
        "created": now_ts(),
        "currency": currency,
        "customer": customer,
        "description": description,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": metadata_apply({}, metadata),
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": payment_method,
        "payment_method_types": ["card"],
        "receipt_email": receipt_email,
        "setup_future_usage": None,
        "shipping": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": (
            "requires_confirmation" if payment_method else "requires_payment_method"
        ),
        "transfer_data": None,
    }
    event_emit(type="payment_intent.created", obj=data)
    return data


def payment_intent_update(
    *, payment_intent_id: str, fields: dict[str, Any], metadata: dict[str, str] | None
) -> dict[str, Any]:
    obj = object_get(kind=Kind.PAYMENT_INTENT, stripe_id=payment_intent_id)
    if obj.data["status"] == "succeeded" and set(fields) - {"description"}:
        raise StripeApiError(
            "This PaymentIntent's amount could not be updated because it has a "
            "status of succeeded.",
            code="payment_intent_unexpected_state",
        )
    if fields.get("customer"):
        customer_require(customer_id=fields["customer"])
    if fields.get("payment_method"):
        _test_card(fields["payment_method"])
    obj.data.update(fields)
    obj.data["metadata"] = metadata_apply(obj.data["metadata"], metadata)
    if fields.get("payment_method") and obj.data["status"] == "requires_payment_method":
        obj.data["status"] = "requires_confirmation"
    obj.customer = obj.data["customer"] or ""
    object_save(obj=obj, fields=("customer",))
    return obj.data


def payment_intent_confirm(
    *, payment_intent_id: str, payment_method: str | None
) -> dict[str, Any]:
    if payment_method:
        _test_card(payment_method)
    with transaction.atomic():
        obj = object_get(
            kind=Kind.PAYMENT_INTENT, stripe_id=payment_intent_id, for_update=True
        )
        status = obj.data["status"]
        if status not in ("requires_payment_method", "requires_confirmation"):
            raise StripeApiError(
                "You cannot confirm this PaymentIntent because it has a status of "
                f"{status}.",
                code="payment_intent_unexpected_state",
            )
        declined = _confirm(obj.data, payment_method or obj.data["payment_method"])
        object_save(obj=obj)
    if declined:
        raise declined
    return obj.data


def payment_intent_for_invoice(
    *, amount: int, currency: str, customer: str, description: str
) -> dict[str, Any]:
    """The PaymentIntent Stripe makes for an invoice as it is finalized."""
    data = _payment_intent_new(
        amount=amount,
        currency=currency,
        customer=customer,
        payment_method=None,
        description=description,
        receipt_email=None,
        metadata=None,
    )
    object_create(kind=Kind.PAYMENT_INTENT, data=data, customer=customer)
    return data


def payment_intent_pay(
    *, payment_intent_id: str, payment_method: str
) -> tuple[dict[str, Any], StripeApiError | None]:
    """Confirm an invoice's PaymentIntent (inside the caller's transaction);
    a decline is returned, not raised, so the caller can commit it."""
    obj = object_get(
        kind=Kind.PAYMENT_INTENT, stripe_id=payment_intent_id, for_update=True
    )
    declined = _confirm(obj.data, payment_method)
    object_save(obj=obj)
    return obj.data, declined


def payment_intent_cancel_for_invoice(*, payment_intent_id: str) -> dict[str, Any]:
    """A voided invoice cancels its unpaid PaymentIntent."""
    obj = object_get(
        kind=Kind.PAYMENT_INTENT, stripe_id=payment_intent_id, for_update=True
    )
    obj.data["status"] = "canceled"
    obj.data["canceled_at"] = now_ts()
    obj.data["cancellation_reason"] = "void_invoice"
    object_save(obj=obj)
    event_emit(type="payment_intent.canceled", obj=obj.data)
    return obj.data


def _confirm(data: dict[str, Any], payment_method: str | None) -> StripeApiError | None:
    """Charge the test card and update the PaymentIntent's `data`, which the
    caller stores; a decline is returned (not raised) so it commits."""
    if not payment_method:
        raise StripeApiError(
            "You cannot confirm this PaymentIntent because it's missing a payment "
            "method.",
            code="payment_intent_unexpected_state",
            param="payment_method",
        )
    card = _test_card(payment_method)
    data["payment_method"] = payment_method
    charge = _charge_create(pi=data, card=card)
    data["latest_charge"] = charge["id"]
    if card.outcome == "declined":
        data["status"] = "requires_payment_method"
        data["last_payment_error"] = {
            "charge": charge["id"],
            "code": "card_declined",
            "decline_code": card.decline_code,
            "message": charge["failure_message"],
            "payment_method": {"id": payment_method, "object": "payment_method"},
            "type": "card_error",
        }
        event_emit(type="charge.failed", obj=charge)
        event_emit(type="payment_intent.payment_failed", obj=data)
        return StripeApiError(
            charge["failure_message"],
            status=402,
            type="card_error",
            code="card_declined",
            extra={
                "charge": charge["id"],
                "decline_code": card.decline_code,
                "payment_intent": copy.deepcopy(data),
            },
            keep_writes=True,
        )
    data["status"] = "succeeded"
    data["amount_received"] = data["amount"]
    data["last_payment_error"] = None
    event_emit(type="charge.succeeded", obj=charge)
    event_emit(type="payment_intent.succeeded", obj=data)
    if card.outcome == "dispute":
        _dispute_open(charge_id=charge["id"])
    return None


def _charge_create(*, pi: dict[str, Any], card: TestCard) -> dict[str, Any]:
    failed = card.outcome == "declined"
    amount, currency = pi["amount"], pi["currency"]
    charge_id = new_id("ch")
    bt = None
    if not failed:
        bt = balance_transaction_create(
            amount=amount,
            currency=currency,
            source=charge_id,
            type="charge",
            reporting_category="charge",
            description=pi["description"],
            fee=processing_fee(amount=amount, currency=currency),
        )
    data: dict[str, Any] = {
        "id": charge_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": 0 if failed else amount,
        "amount_refunded": 0,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": bt["id"] if bt else None,
        "billing_details": {
            "address": {
                "city": None,
                "country": None,
                "line1": None,
                "line2": None,
                "postal_code": None,
                "state": None,
            },
            "email": pi["receipt_email"],
            "name": None,
            "phone": None,
        },
        "calculated_statement_descriptor": "LEDGERBRIDGE",
        "captured": not failed,
        "created": now_ts(),
        "currency": currency,
        "customer": pi["customer"],
        "description": pi["description"],
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": "card_declined" if failed else None,
        "failure_message": _DECLINE_MESSAGES.get(card.decline_code) if failed else None,
        "fraud_details": {},
        "livemode": False,
        "metadata": dict(pi["metadata"]),
        "outcome": {
            "network_status": "declined_by_network"
            if failed
            else "approved_by_network",
            "reason": card.decline_code or None,
            "risk_level": "normal",
            "seller_message": (
                "The bank did not return any further details with this decline."
                if failed
                else "Payment complete."
            ),
            "type": "issuer_declined" if failed else "authorized",
        },
        "paid": not failed,
        "payment_intent": pi["id"],
        "payment_method": pi["payment_method"],
        "payment_method_details": {
            "card": {
                "brand": card.brand,
                "country": card.country,
                "exp_month": 12,
                "exp_year": 2034,
                "funding": card.funding,
                "last4": card.last4,
                "network": card.brand,
            },
            "type": "card",
        },
        "receipt_email": pi["receipt_email"],
        "receipt_url": None,
        "refunded": False,
        "status": "failed" if failed else "succeeded",
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
    }
    object_create(
        kind=Kind.CHARGE,
        data=data,
        customer=pi["customer"],
        parent=pi["id"],
        currency=currency,
    )
    return data


def _dispute_open(*, charge_id: str) -> dict[str, Any]:
    charge = object_get(kind=Kind.CHARGE, stripe_id=charge_id)
    amount, currency = charge.data["amount"], charge.data["currency"]
    dispute_id = new_id("dp")
    bt = balance_transaction_create(
        amount=-amount,
        currency=currency,
        source=dispute_id,
        type="adjustment",
        reporting_category="dispute",
        description=f"Chargeback withdrawal for {charge_id}",
        fee=dispute_fee(currency=currency),
        fee_description="Dispute fee",
    )
    created = now_ts()
    data = {
        "id": dispute_id,
        "object": "dispute",
        "amount": amount,
        "balance_transactions": [bt],
        "charge": charge_id,
        "created": created,
        "currency": currency,
        "evidence": {
            "customer_email_address": charge.data["receipt_email"],
            "product_description": None,
            "uncategorized_text": None,
        },
        "evidence_details": {
            "due_by": created + 7 * 86400,
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
        },
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "payment_intent": charge.data["payment_intent"],
        "reason": "fraudulent",
        "status": "needs_response",
    }
    object_create(
        kind=Kind.DISPUTE,
        data=data,
        customer=charge.data["customer"],
        parent=charge_id,
        currency=currency,
    )
    charge.data["disputed"] = True
    object_save(obj=charge)
    event_emit(type="charge.dispute.created", obj=data)
    event_emit(type="charge.dispute.funds_withdrawn", obj=data)
    return data


def dispute_close(*, dispute_id: str, outcome: str) -> dict[str, Any]:
    """Settle an open dispute: `won` reinstates the funds, `lost` keeps them gone."""
    if outcome not in ("won", "lost"):
        raise StripeApiError(
            "outcome must be one of won, lost",
            code="parameter_invalid",
            param="outcome",
        )
    with transaction.atomic():
        obj = object_get(kind=Kind.DISPUTE, stripe_id=dispute_id, for_update=True)
        data = obj.data
        if data["status"] in ("won", "lost"):
            raise StripeApiError(
                f"This dispute is already closed ({data['status']}).",
            )
        if outcome == "won":
            bt = balance_transaction_create(
                amount=data["amount"],
                currency=data["currency"],
                source=dispute_id,
                type="adjustment",
                reporting_category="dispute_reversal",
                description=f"Chargeback reversal for {data['charge']}",
            )
            data["balance_transactions"].append(bt)
            data["status"] = "won"
            object_save(obj=obj)
            event_emit(type="charge.dispute.funds_reinstated", obj=data)
        else:
            data["status"] = "lost"
            object_save(obj=obj)
        event_emit(type="charge.dispute.closed", obj=data)
    return data


def refund_create(
    *,
    charge_id: str | None,
    payment_intent_id: str | None,
    amount: int | None,
    reason: str | None,
    metadata: dict[str, str] | None,
) -> dict[str, Any]:
    with transaction.atomic():
        charge = _refundable_charge(charge_id, payment_intent_id)
        data = charge.data
        remaining = data["amount"] - data["amount_refunded"]
        if remaining <= 0:
            raise StripeApiError(
                f"Charge {data['id']} has already been refunded.",
                code="charge_already_refunded",
            )
        if amount is None:
            amount = remaining
        if amount > remaining:
            raise StripeApiError(
                f"Refund amount ({amount}) is greater than unrefunded amount on "
                f"charge ({remaining}).",
                code="amount_too_large",
                param="amount",
            )
        refund_id = new_id("re")
        bt = balance_transaction_create(
            amount=-amount,
            currency=data["currency"],
            source=refund_id,
            type="refund",
            reporting_category="refund",
            description="REFUND FOR CHARGE",
        )
        refund = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "balance_transaction": bt["id"],
            "charge": data["id"],
            "created": now_ts(),
            "currency": data["currency"],
            "destination_details": {
                "card": {"reference_status": "pending", "type": "refund"},
                "type": "card",
            },
            "metadata": metadata_apply({}, metadata),
            "payment_intent": data["payment_intent"],
            "reason": reason,
            "receipt_number": None,
            "source_transfer_reversal": None,
            "status": "succeeded",
            "transfer_reversal": None,
        }
        object_create(
            kind=Kind.REFUND,
            data=refund,
            customer=data["customer"],
            parent=data["id"],
            currency=data["currency"],
        )
        previous = {
            "amount_refunded": data["amount_refunded"],
            "refunded": data["refunded"],
        }
        data["amount_refunded"] += amount
        data["refunded"] = data["amount_refunded"] == data["amount"]
        object_save(obj=charge)
        event_emit(type="refund.created", obj=refund)
        event_emit(type="charge.refunded", obj=data, previous_attributes=previous)
    return refund


def _refundable_charge(charge_id: str | None, payment_intent_id: str | None):
    if not charge_id and not payment_intent_id:
        raise StripeApiError(
            "One of the following params should be provided for this request: "
            "payment_intent or charge.",
            code="parameter_missing",
        )
    if payment_intent_id:
        pi = ApiObject.objects.filter(
            kind=Kind.PAYMENT_INTENT, stripe_id=payment_intent_id
        ).first()
        if pi is None:
            raise StripeApiError(
                f"No such payment_intent: '{payment_intent_id}'",
                code="resource_missing",
                param="payment_intent",
            )
        if pi.data["status"] != "succeeded":
            raise StripeApiError(
                "This PaymentIntent does not have a successful charge to refund.",
                code="charge_not_refundable",
                param="payment_intent",
            )
        charge_id = charge_id or pi.data["latest_charge"]
    charge = (
        ApiObject.objects.select_for_update()
        .filter(kind=Kind.CHARGE, stripe_id=charge_id)
        .first()
    )
    if charge is None:
        raise StripeApiError(
            f"No such charge: '{charge_id}'", code="resource_missing", param="charge"
        )
    if charge.data["status"] != "succeeded":
        raise StripeApiError(
            f"Charge {charge_id} has not succeeded and cannot be refunded.",
            code="charge_not_refundable",
            param="charge",
        )
    if charge.data["disputed"]:
        raise StripeApiError(
            f"Charge {charge_id} has been charged back; cannot issue a refund.",
            code="charge_disputed",
            param="charge",
        )
    return charge
