"""Invoices: invoice.paid becomes an ERP invoice and the payment against it.

Both payload shapes are read: before 2025-03-31.basil the invoice names its
`charge` and `payment_intent`; from basil on they moved to `payments.data[]
.payment` (present when the endpoint expands it). When the charge is known
the payment is keyed by it — the key charge.succeeded uses — so a charge is
never paid twice; a refund or dispute of that charge then finds it.
"""

from typing import Any

from integrations.canonical import Customer, Invoice, OrderLine, Payment, to_source

from .common import (
    PlanningError,
    address_from,
    currency_of,
    customer_key,
    event_object,
    guest_id,
    minor,
    stripe_id_of,
    text,
)
from .plan import Plan, PlannedRecord, WorkflowContext


def invoice_tax(invoice: dict[str, Any]) -> int:
    """Total tax in minor units: `tax` (older) or the summed tax amount lists."""
    if isinstance(invoice.get("tax"), int):
        return invoice["tax"]
    for name in ("total_taxes", "total_tax_amounts"):
        entries = invoice.get(name)
        if isinstance(entries, list) and entries:
            return sum(minor(entry.get("amount")) for entry in entries)
    return 0


def invoice_charge_id(invoice: dict[str, Any]) -> str:
    """The charge that paid the invoice, in either payload shape."""
    charge = stripe_id_of(invoice.get("charge"))
    if charge:
        return charge
    for row in (invoice.get("payments") or {}).get("data") or []:
        payment = row.get("payment") or {}
        charge = stripe_id_of(payment.get("charge"))
        if charge and row.get("status", "paid") == "paid":
            return charge
    return ""


def invoice_lines(invoice: dict[str, Any], *, net: int) -> tuple[OrderLine, ...]:
    """Invoice lines, plus one line for discounts or anything else unexplained."""
    lines = []
    for item in (invoice.get("lines") or {}).get("data") or []:
        amount = minor(item.get("amount"))
        quantity = item.get("quantity") or 1
        price = item.get("price") or {}
        unit = price.get("unit_amount")
        if not isinstance(unit, int) or unit * quantity != amount:
            quantity, unit = 1, amount
        product = stripe_id_of(price.get("product"))
        sku = text((item.get("metadata") or {}).get("sku"))
        lines.append(
            OrderLine(
                description=text(item.get("description")) or product or "Invoice line",
                quantity=quantity,
                unit_amount=unit,
                amount=amount,
                sku=sku.upper(),
            )
        )
    difference = net - sum(line.amount for line in lines)
    if difference:
        lines.append(
            OrderLine(
                description="Discounts and adjustments",
                quantity=1,
                unit_amount=difference,
                amount=difference,
            )
        )
    return tuple(lines)


def _customer(invoice: dict[str, Any]) -> Customer:
    email = text(invoice.get("customer_email"))
    stripe_customer = stripe_id_of(invoice.get("customer"))
    return Customer(
        stripe_id=stripe_customer
        or guest_id(email=email, charge_id=text(invoice.get("id"))),
        name=text(invoice.get("customer_name")) or email,
        email=email,
        phone=text(invoice.get("customer_phone")),
        currency=currency_of(invoice),
        address=address_from(invoice.get("customer_address")),
        shipping_address=address_from(
            (invoice.get("customer_shipping") or {}).get("address")
        ),
        created=int(invoice.get("created") or 0),
    )


def plan_invoice_paid(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    invoice = event_object(event)
    invoice_id = text(invoice.get("id"))
    if not invoice_id:
        raise PlanningError("the invoice has no id")
    currency = currency_of(invoice)
    total = minor(invoice.get("total"))
    if total <= 0:
        return Plan(ignored_reason="invoice total is zero; nothing to book")
    tax = invoice_tax(invoice)
    paid_at = int(
        (invoice.get("status_transitions") or {}).get("paid_at")
        or invoice.get("created")
        or 0
    )
    customer = _customer(invoice)
    cust_key = customer_key(customer.stripe_id)
    invoice_key = f"{invoice_id}:invoice"
    charge_id = invoice_charge_id(invoice)
    records = [
        PlannedRecord(
            key=cust_key,
            operation="upsert_customer",
            stripe_id=customer.stripe_id,
            source=to_source(customer) | {"mode": "ensure"},
        ),
        PlannedRecord(
            key=invoice_key,
            operation="create_invoice",
            stripe_id=invoice_id,
            source=to_source(
                Invoice(
                    stripe_id=invoice_id,
                    number=text(invoice.get("number")) or invoice_id,
                    currency=currency,
                    amount=total,
                    tax=tax,
                    created=int(invoice.get("created") or 0),
                    lines=invoice_lines(invoice, net=total - tax),
                    charge_id=charge_id,
                )
            ),
            depends_on=(cust_key,),
        ),
    ]
    amount_paid = minor(invoice.get("amount_paid") or 0)
    if amount_paid > 0:
        reference = charge_id or invoice_id
        records.append(
            PlannedRecord(
                key=f"{reference}:payment",
                operation="post_payment",
                stripe_id=reference,
                source=to_source(
                    Payment(
                        stripe_id=reference,
                        currency=currency,
                        amount=amount_paid,
                        created=paid_at,
                        description=f"Stripe invoice {invoice.get('number') or ''}",
                    )
                ),
                depends_on=(cust_key, invoice_key),
            )
        )
    return Plan(records=tuple(records))
