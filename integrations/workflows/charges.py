"""Charges: a paid charge becomes ERP customer + sales order + payment.

charge.succeeded, charge.captured and payment_intent.succeeded all plan the
same keys (by charge id), so whichever arrives first books the charge and the
others find the records already planned.
"""

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from integrations import stripe_versions
from integrations.audit import alert_raise
from integrations.canonical import (
    InvoiceAllocation,
    OrderLine,
    Payment,
    SalesOrder,
    to_source,
)
from integrations.connectors import stripe_api
from integrations.connectors.errors import ValidationError
from integrations.connectors.records import ErpDocument
from integrations.models import Integration

from . import invoices
from .common import (
    META_ERP_INVOICE,
    META_ERP_ORDER,
    META_LINES,
    PlanningError,
    address_from,
    currency_of,
    customer_from_charge,
    customer_key,
    event_object,
    ledger_record,
    minor,
    planned_keys,
    stripe_client,
    stripe_id_of,
    text,
)
from .currencies import charge_fx, currency_account_record, fx_lines, fx_source
from .plan import Plan, PlannedRecord, WorkflowContext

DEFAULT_MISC_DESCRIPTION = "Stripe payment"

# Several ERP invoices paid by one charge: `INV=amount` pairs (amounts in the
# charge currency's minor units) joined by commas, in one metadata value.
# Stripe takes 50 keys of up to 40 characters and values of up to 500
# characters (https://docs.stripe.com/api/metadata), so the whole list has to
# fit one value; the portal refuses a selection that does not.
META_ERP_INVOICES = "erp_invoices"
METADATA_VALUE_LIMIT = 500
_ALLOCATION = re.compile(r"^([A-Za-z0-9][A-Za-z0-9 ._/-]{0,29})=([0-9]{1,15})$")


def allocations_encode(allocations: list[InvoiceAllocation]) -> str:
    """The metadata value naming `allocations`; ValueError when it cannot
    (a malformed number or amount, a repeated invoice, over Stripe's limit)."""
    value = ",".join(f"{a.invoice}={a.amount}" for a in allocations)
    try:
        readable = allocations_decode(value) == tuple(allocations)
    except PlanningError:
        readable = False
    if not readable:
        raise ValueError("invoice numbers or amounts that metadata cannot carry")
    if len(value) > METADATA_VALUE_LIMIT:
        raise ValueError(
            f"{len(allocations)} invoices need {len(value)} characters of "
            f"metadata; Stripe keeps {METADATA_VALUE_LIMIT}"
        )
    return value


def allocations_decode(raw: Any) -> tuple[InvoiceAllocation, ...]:
    """The allocations a metadata value names; PlanningError when it is
    malformed, so the event is failed with the reason instead of booking the
    money against the wrong invoices."""
    value = text(raw)
    if not value:
        return ()
    allocations = []
    for part in value.split(","):
        match = _ALLOCATION.match(part.strip())
        if match is None or int(match.group(2)) <= 0:
            raise PlanningError(
                f"metadata {META_ERP_INVOICES} is malformed at {part.strip()!r}: "
                "expected INVOICE=amount pairs in minor units"
            )
        allocations.append(
            InvoiceAllocation(invoice=match.group(1), amount=int(match.group(2)))
        )
    if len({a.invoice for a in allocations}) != len(allocations):
        raise PlanningError(f"metadata {META_ERP_INVOICES} names an invoice twice")
    return tuple(allocations)


def allocations_within(
    allocations: tuple[InvoiceAllocation, ...], *, amount: int, charge_id: str
) -> tuple[InvoiceAllocation, ...]:
    """The allocations a charge of `amount` pays. More than was charged
    (a partial capture) is refused: which invoice to short is a person's
    choice. Less leaves the rest unapplied, posted by the connector."""
    total = sum(a.amount for a in allocations)
    if total > amount:
        raise PlanningError(
            f"charge {charge_id} captured {amount} but its metadata allocates "
            f"{total} to invoices"
        )
    return allocations


@dataclass(frozen=True)
class ChargeRecords:
    """The ledger records that book one charge, and the keys others wait on."""

    records: tuple[PlannedRecord, ...]
    customer_key: str
    payment_key: str
    order_key: str = ""  # empty when the charge pays an order/invoice named in metadata
    order_number: str = ""  # the ERP order named in metadata
    invoice_number: str = ""  # the ERP invoice named in metadata

    @property
    def keys(self) -> tuple[str, ...]:
        """What a refund or dispute of this charge depends on."""
        return tuple(k for k in (self.customer_key, self.order_key) if k) + (
            self.payment_key,
        )


def charge_amount(charge: dict[str, Any]) -> int:
    """What was actually captured: a partial capture books the captured part."""
    captured = charge.get("amount_captured")
    if charge.get("captured", True) and isinstance(captured, int) and captured > 0:
        return captured
    return minor(charge.get("amount"))


def order_lines(
    charge: dict[str, Any], *, amount: int, options: dict[str, Any]
) -> tuple[OrderLine, ...]:
    """Lines from metadata when they parse, else one misc-charge line.

    A difference between the lines and the charged amount (tax, shipping, a
    discount) becomes a misc line, so the order totals the charge exactly.
    """
    misc_description = (
        text(options.get("misc_charge_description")) or DEFAULT_MISC_DESCRIPTION
    )
    lines = _metadata_lines((charge.get("metadata") or {}).get(META_LINES))
    if not lines:
        return (
            OrderLine(
                description=text(charge.get("description")) or misc_description,
                quantity=1,
                unit_amount=amount,
                amount=amount,
            ),
        )
    difference = amount - sum(line.amount for line in lines)
    if difference:
        lines.append(
            OrderLine(
                description=f"{misc_description} (balance to charge)",
                quantity=1,
                unit_amount=difference,
                amount=difference,
            )
        )
    return tuple(lines)


def _metadata_lines(raw: Any) -> list[OrderLine]:
    """Parse `metadata.lines`: a JSON list of {sku, quantity, unit_amount, ...}.

    Anything malformed yields no lines (the charge is still booked, as one
    misc line) rather than an event that can never be processed.
    """
    if not raw:
        return []
    try:
        items = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return []
    if not isinstance(items, list):
        return []
    lines: list[OrderLine] = []
    for item in items:
        if not isinstance(item, dict):
            return []
        quantity = item.get("quantity", item.get("qty", 1))
        unit_amount = item.get("unit_amount")
        if not all(
            isinstance(v, int) and not isinstance(v, bool)
            for v in (quantity, unit_amount)
        ):
            return []
        if quantity <= 0:
            return []
        lines.append(
            OrderLine(
                description=text(item.get("description")) or text(item.get("sku")),
                quantity=quantity,
                unit_amount=unit_amount,
                amount=quantity * unit_amount,
                sku=text(item.get("sku")).upper(),
            )
        )
    return lines


def charge_records(
    integration: Integration, charge: dict[str, Any], *, stripe: Any = None
) -> ChargeRecords:
    """Plan customer, sales order and payment for one paid charge."""
    charge_id = text(charge.get("id"))
    if not charge_id:
        raise PlanningError("the charge has no id")
    currency = currency_of(charge)
    if not currency:
        raise PlanningError(f"charge {charge_id} has no currency")
    options = integration.options or {}
    amount = charge_amount(charge)
    # Under "convert": booked in the currency Stripe settled it in.
    fx = charge_fx(integration=integration, charge=charge, amount=amount, stripe=stripe)
    charged = amount
    if fx:
        currency, amount = fx["currency"], fx["amount"]
    created = int(charge.get("created") or 0)
    metadata = charge.get("metadata") or {}
    customer = replace(customer_from_charge(charge), currency=currency)
    guest_code = text(options.get("guest_customer_code"))
    if customer.stripe_id.startswith("guest:") and guest_code:
        customer_id = f"guest-code:{guest_code}"
        source = to_source(customer) | {
            "stripe_id": customer_id,
            "erp_code": guest_code,
        }
    else:
        customer_id = customer.stripe_id
        source = to_source(customer)
    cust_key = customer_key(customer_id)
    records = [
        PlannedRecord(
            key=cust_key,
            operation="upsert_customer",
            stripe_id=customer_id,
            source=source | {"mode": "ensure"},
        )
    ]
    # The account in the charge's currency, which the rest waits on.
    account = currency_account_record(
        customer_id=customer_id, currency=currency, source=source, main_key=cust_key
    )
    records.append(account)
    cust_key = account.key
    order_number = text(metadata.get(META_ERP_ORDER))
    invoice_number = text(metadata.get(META_ERP_INVOICE))
    allocations = allocations_within(
        allocations_decode(metadata.get(META_ERP_INVOICES)),
        amount=charged,
        charge_id=charge_id,
    )
    if allocations and (order_number or invoice_number):
        raise PlanningError(
            f"charge {charge_id} names both {META_ERP_INVOICES} and a single "
            "order or invoice"
        )
    if allocations and fx:
        # The invoices' amounts are in the charge's currency; booked converted,
        # which invoice takes which part of the difference is a person's call.
        raise PlanningError(
            f"charge {charge_id} pays several invoices but is booked converted "
            f"to {currency}; apply it to the invoices by hand"
        )
    payment = Payment(
        stripe_id=charge_id,
        currency=currency,
        amount=amount,
        created=created,
        order_number=order_number,
        invoice_number=invoice_number,
        payment_method=text((charge.get("payment_method_details") or {}).get("type"))
        or "card",
        description=text(charge.get("description")),
        allocations=allocations or None,
    )
    payment_key = f"{charge_id}:payment"
    order_key = ""
    if order_number or invoice_number or allocations:
        payment_depends: tuple[str, ...] = (cust_key,)
    else:
        order_key = f"{charge_id}:sales_order"
        shipping = charge.get("shipping") or {}
        order = SalesOrder(
            stripe_id=charge_id,
            currency=currency,
            amount=amount,
            created=created,
            lines=fx_lines(order_lines(charge, amount=charged, options=options), fx),
            email=customer.email,
            description=text(charge.get("description")),
            ship_address=address_from(shipping.get("address")),
        )
        records.append(
            PlannedRecord(
                key=order_key,
                operation="create_sales_order",
                stripe_id=charge_id,
                source=to_source(order) | fx_source(fx),
                depends_on=(cust_key,),
            )
        )
        payment_depends = (cust_key, order_key)
    records.append(
        PlannedRecord(
            key=payment_key,
            operation="post_payment",
            stripe_id=charge_id,
            source=to_source(payment) | fx_source(fx),
            depends_on=payment_depends,
        )
    )
    return ChargeRecords(
        records=tuple(records),
        customer_key=cust_key,
        payment_key=payment_key,
        order_key=order_key,
        order_number=order_number,
        invoice_number=invoice_number,
    )


def unbookable_reason(charge: dict[str, Any]) -> str:
    status = text(charge.get("status"))
    if status == "failed" or charge.get("paid") is False:
        detail = text(charge.get("failure_message")) or text(charge.get("failure_code"))
        return f"charge failed{': ' + detail if detail else ''}"
    if status and status != "succeeded":
        return f"charge is {status}, not succeeded"
    if charge.get("captured") is False:
        return "charge is authorised but not captured; charge.captured books it"
    return ""


def plan_charge_succeeded(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    charge = event_object(event)
    reason = unbookable_reason(charge) or invoice_reason(
        ctx, charge, api_version=text(event.get("api_version"))
    )
    if reason:
        return Plan(ignored_reason=reason)
    return Plan(
        records=charge_records(ctx.integration, charge, stripe=ctx.stripe).records
    )


def invoice_reason(
    ctx: WorkflowContext, charge: dict[str, Any], *, api_version: str
) -> str:
    """Why a paid charge books nothing of its own: it pays a Stripe invoice.

    The invoice flow books such a charge (the ERP invoice and the payment
    applied to it, keyed by the charge like a charge's own payment); booking
    it here as well would put the same money in the ERP twice, once as a
    paid order and once as an open invoice. Whichever event comes first, the
    answer is the same: the ledger is read first, then the payload (before
    2025-03-31.basil the charge names its invoice), then Stripe's invoice
    payments. A Stripe error propagates, so the event waits and is offered
    again rather than booked as an order. With the invoices flow off, the
    charge is booked as an order as before.
    """
    if not ctx.integration.flow_enabled(Integration.Flow.INVOICES):
        return ""
    charge_id = text(charge.get("id"))
    booked = ledger_record(ctx, f"{charge_id}:payment")
    if booked is not None:
        # Planned before: by invoice.paid (it waits for the ERP invoice), or
        # as this charge's own order, which a replay plans again harmlessly.
        invoice = booked.depends_on.filter(operation="create_invoice").first()
        if invoice is not None:
            return (
                f"charge pays Stripe invoice {invoice.stripe_id}; "
                "the invoice flow booked it"
            )
        return ""
    invoice = charge_invoice(ctx, charge, api_version=api_version)
    if invoice:
        return f"charge pays Stripe invoice {invoice}; the invoice flow books it"
    return ""


def charge_invoice(
    ctx: WorkflowContext, charge: dict[str, Any], *, api_version: str
) -> str:
    """The Stripe invoice a charge pays ("" for none): from the payload where
    its API version still carries it, else from Stripe's invoice payments."""
    invoice = stripe_versions.payment_invoice(charge, api_version=api_version)
    if invoice is None:
        invoice = _invoice_asked(ctx, charge)
    return invoice


def _invoice_asked(ctx: WorkflowContext, charge: dict[str, Any]) -> str:
    """The invoice a charge pays, from Stripe's invoice payments ("" for none).

    Only a payment intent can be looked up (`GET /v1/invoice_payments?
    payment[type]=payment_intent`); an invoice always has a customer and has
    been paid through a payment intent since 2019, so a charge with neither
    pays no invoice and costs no call.
    https://docs.stripe.com/api/invoice-payment/list
    """
    intent = stripe_id_of(charge.get("payment_intent"))
    if not intent or not stripe_id_of(charge.get("customer")):
        return ""
    for row in stripe_client(ctx).list_invoice_payments(payment_intent=intent):
        found = stripe_versions.invoice_payment_ref(row)
        if found.status != "canceled" and found.invoice:
            return found.invoice
    return ""


def plan_charge_failed(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    return Plan(ignored_reason=unbookable_reason(event_object(event)) or "failed")


def plan_payment_intent_succeeded(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    intent = event_object(event)
    charge = _charge_of_intent(intent)
    if charge is None:
        return Plan(ignored_reason="payment intent has no charge to book")
    reason = unbookable_reason(charge) or invoice_reason(
        ctx, charge, api_version=text(event.get("api_version"))
    )
    if reason:
        return Plan(ignored_reason=reason)
    return Plan(
        records=charge_records(ctx.integration, charge, stripe=ctx.stripe).records
    )


def plan_payment_intent_failed(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    error = event_object(event).get("last_payment_error") or {}
    detail = text(error.get("message")) or text(error.get("code"))
    return Plan(ignored_reason=f"payment failed{': ' + detail if detail else ''}")


def _charge_of_intent(intent: dict[str, Any]) -> dict[str, Any] | None:
    """The intent's charge: embedded (older API versions) or rebuilt from the PI.

    Since 2022-11-15 `charges` is gone and `latest_charge` is an id; the
    intent carries everything a booking needs except billing details, which
    the customer executor completes from the Stripe customer.
    """
    latest = intent.get("latest_charge")
    if isinstance(latest, dict):
        return latest
    embedded = (intent.get("charges") or {}).get("data") or []
    for charge in embedded:
        matches = not latest or charge.get("id") == latest
        if matches and charge.get("status") == "succeeded":
            return charge
    if not latest:
        return None
    rebuilt = {
        "id": latest,
        "payment_intent": intent.get("id"),
        "amount": intent.get("amount_received") or intent.get("amount"),
        "currency": intent.get("currency"),
        "customer": intent.get("customer"),
        "metadata": intent.get("metadata") or {},
        "receipt_email": intent.get("receipt_email"),
        "created": intent.get("created"),
        "description": intent.get("description"),
        "shipping": intent.get("shipping"),
        "status": "succeeded",
        "captured": True,
    }
    if "invoice" in intent:
        # Carried over only when present: its absence says the version
        # no longer has it (integrations/stripe_versions.py).
        rebuilt["invoice"] = intent["invoice"]
    return rebuilt


def charge_dependency(
    ctx: WorkflowContext, charge_id: str, charge: dict[str, Any] | None = None
) -> tuple[tuple[Any, ...], tuple[str, ...], dict[str, Any]]:
    """What a refund or dispute of `charge_id` must wait for.

    Returns (records to plan, keys to depend on, source additions). When the
    charge is already in the ledger, nothing is planned and the keys are its
    payment and what that payment waits for. Otherwise the charge is planned
    too (the same keys its own events use), from the object at hand or
    fetched from Stripe, so an early refund waits instead of failing.
    """
    if not charge_id:
        raise PlanningError("the object names no charge")
    payment = ledger_record(ctx, f"{charge_id}:payment")
    if payment is not None:
        keys = (*planned_keys(payment), f"{charge_id}:payment")
        extra = {
            name: payment.source.get(name, "")
            for name in ("order_number", "invoice_number", "fx")
            if payment.source.get(name)
        }
        return (), keys, extra
    api_version = ctx.event.api_version if ctx.event is not None else ""
    if not charge or "amount" not in charge:
        charge = stripe_client(ctx).retrieve_charge(charge_id)
        api_version = stripe_api.API_VERSION
    reason = unbookable_reason(charge)
    if reason:
        raise PlanningError(f"charge {charge_id} is not booked: {reason}")
    invoice_id = ""
    if ctx.integration.flow_enabled(Integration.Flow.INVOICES):
        invoice_id = charge_invoice(ctx, charge, api_version=api_version)
    if invoice_id:
        return _invoice_dependency(ctx, charge_id=charge_id, invoice_id=invoice_id)
    booked = charge_records(ctx.integration, charge, stripe=ctx.stripe)
    extra = {
        name: value
        for name, value in (
            ("order_number", booked.order_number),
            ("invoice_number", booked.invoice_number),
            ("fx", booked.records[-1].source.get("fx")),
        )
        if value
    }
    return booked.records, booked.keys, extra


def _invoice_dependency(
    ctx: WorkflowContext, *, charge_id: str, invoice_id: str
) -> tuple[tuple[Any, ...], tuple[str, ...], dict[str, Any]]:
    """A refund or dispute of a charge that paid an invoice nobody booked yet:
    plan the invoice (fetched from Stripe) as its invoice.paid would, and wait
    for the payment applied to it."""
    invoice = stripe_client(ctx).retrieve_invoice(invoice_id)
    records = invoices.invoice_records(ctx, invoice, api_version=stripe_api.API_VERSION)
    key = f"{charge_id}:payment"
    payment = next((r for r in records if r.key == key), None)
    if payment is None:
        raise PlanningError(
            f"charge {charge_id} pays Stripe invoice {invoice_id}, which does not "
            "list it as paid"
        )
    return records, (*payment.depends_on, key), {}


def post_payment_execute(ctx: Any) -> ErpDocument:
    """Post a payment (the ledger's RunContext in, the ERP document out).

    A payment over several invoices needs the payment mapping's lines field:
    a mapping set stored before it existed would map none and post the whole
    charge unapplied, so it is refused by name instead. A payment the ERP
    took with part of it unapplied (an invoice paid meanwhile) succeeds, and
    an alert says what a person has to settle.
    """
    payload = ctx.payload("payment")
    if ctx.source.get("allocations") and not any(
        isinstance(value, list) and value for value in payload.values()
    ):
        raise ValidationError(
            "This payment pays several invoices but the integration's payment "
            "mapping has no invoice lines; add the lines field from the default "
            "template and retry."
        )
    document = ctx.connector.post_payment(
        payload, reference=ctx.record.stripe_id, never_sent=ctx.never_sent
    )
    if document.attention:
        alert_raise(
            integration=ctx.integration,
            level="warning",
            code="payment_unapplied",
            message=f"Payment {ctx.record.stripe_id} needs attention: "
            f"{document.attention}.",
            dedupe_key=f"payment-unapplied:{ctx.record.idempotency_key}",
        )
    return document
