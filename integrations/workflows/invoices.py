"""Invoices: invoice.paid becomes an ERP invoice and the payments applied to it.

What paid the invoice is read through integrations/stripe_versions.py: the
invoice's own `charge` / `payment_intent` before 2025-03-31.basil, its
InvoicePayments from basil on (the payload's `payments` when included, else
Stripe's `GET /v1/invoice_payments?invoice=`). Each payment by a charge is
keyed by that charge — the key the charge's own events use — so a charge is
never booked twice: its charge.succeeded finds it here (or learns from
Stripe that an invoice pays it) and books nothing of its own, and a refund or
dispute of that charge finds the invoice's payment. What the charges do not
explain (paid out of band) is one payment keyed by the invoice.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from catalog_sync.selectors import catalog_link_for_price
from integrations import stripe_versions
from integrations.canonical import (
    Adjustment,
    CreditNote,
    Customer,
    Invoice,
    OrderLine,
    Payment,
    to_source,
)
from integrations.models import SyncRecord

from .common import (
    PlanningError,
    address_from,
    currency_of,
    customer_key,
    event_object,
    guest_id,
    ledger_record,
    minor,
    stripe_client,
    stripe_id_of,
    text,
)
from .currencies import currency_account_record
from .plan import Plan, PlannedRecord, WorkflowContext

# options.invoice_booking: when a Stripe invoice becomes an ERP invoice.
AT_PAYMENT = "paid"
AT_FINALIZATION = "finalized"
TAX_LINE = "Tax"
# The price metadata key catalog sync names the ERP stock code with.
META_ERP_ITEM = "erp_item"


def invoice_lines(
    invoice: dict[str, Any],
    *,
    net: int,
    tax: int = 0,
    stock_code: Callable[[str], str] | None = None,
) -> tuple[OrderLine, ...]:
    """Invoice lines, one line for discounts or anything else unexplained, and
    the tax as its own line, so the lines add up to the invoice total.

    `stock_code(price_id)`: the ERP stock code a Stripe price is linked to
    ("" when none); a line without one is booked as a misc charge line.
    """
    lines = []
    for item in (invoice.get("lines") or {}).get("data") or []:
        amount = minor(item.get("amount"))
        quantity = item.get("quantity") or 1
        price = stripe_versions.line_price(item)
        unit = price.unit_amount
        if unit is None or unit * quantity != amount:
            quantity, unit = 1, amount
        product = price.product
        linked = stock_code(price.price) if stock_code and price.price else ""
        sku = (
            linked
            or _price_erp_item(item)
            or text((item.get("metadata") or {}).get("sku"))
        )
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
    if any(line.amount < 0 for line in lines):
        # A credit line (a proration's unused time, a discount) is netted into
        # one line: an ERP invoice line's price is not negative.
        charged = [line.description for line in lines if line.amount > 0]
        lines = [
            OrderLine(
                description=f"{'; '.join(charged) or 'Invoice'} (net of credits)",
                quantity=1,
                unit_amount=net,
                amount=net,
            )
        ]
    if tax:
        lines.append(
            OrderLine(description=TAX_LINE, quantity=1, unit_amount=tax, amount=tax)
        )
    return tuple(lines)


def _price_erp_item(line: dict[str, Any]) -> str:
    """The stock code a replaced price still names in its metadata (catalog
    sync writes `erp_item`), when the line carries the price expanded."""
    details = (line.get("pricing") or {}).get("price_details") or {}
    for price in (details.get("price"), line.get("price")):
        if isinstance(price, dict):
            return text((price.get("metadata") or {}).get(META_ERP_ITEM))
    return ""


def catalog_stock_code(ctx: WorkflowContext) -> Callable[[str], str]:
    """The ERP stock code of a Stripe price through the catalog link (ours,
    made by catalog sync), looked up once per price for one plan."""
    found: dict[str, str] = {}

    def stock_code(stripe_price: str) -> str:
        if stripe_price not in found:
            link = catalog_link_for_price(
                integration=ctx.integration, stripe_price=stripe_price
            )
            found[stripe_price] = link.erp_item if link is not None else ""
        return found[stripe_price]

    return stock_code


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


@dataclass(frozen=True)
class InvoicePaid:
    """A charge's share of a paid invoice."""

    charge: str
    amount: int


def plan_invoice_paid(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    invoice = event_object(event)
    records = invoice_records(ctx, invoice, api_version=text(event.get("api_version")))
    if not records:
        return Plan(ignored_reason=_nothing_to_book(invoice))
    return Plan(records=records + _write_off_reversal(ctx, invoice, records))


def _nothing_to_book(invoice: dict[str, Any]) -> str:
    total = invoice.get("total")
    if isinstance(total, int) and total < 0:
        return (
            f"invoice total is {total} minor units, below zero: Stripe credits it "
            "to the customer's balance; no ERP invoice is booked for it"
        )
    return "invoice total is zero; nothing to book"


def invoice_booking(ctx: WorkflowContext) -> str:
    """When an integration books a Stripe invoice in the ERP
    (`options.invoice_booking`): at payment (the default) or at finalization."""
    value = text((ctx.integration.options or {}).get("invoice_booking")) or AT_PAYMENT
    if value not in (AT_PAYMENT, AT_FINALIZATION):
        raise PlanningError(
            f"options.invoice_booking is {value!r}: it must be "
            f"{AT_PAYMENT!r} or {AT_FINALIZATION!r}"
        )
    return value


def plan_invoice_finalized(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    """At finalization (when the integration books then) the ERP invoice, open;
    its invoice.paid later adds only the payments."""
    if invoice_booking(ctx) != AT_FINALIZATION:
        return Plan(
            ignored_reason="invoices are booked when paid (options.invoice_booking)"
        )
    invoice = event_object(event)
    records = invoice_records(ctx, invoice, api_version="", payments=False)
    if not records:
        return Plan(ignored_reason=_nothing_to_book(invoice))
    return Plan(records=records)


def plan_invoice_voided(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    """A voided invoice booked at finalization is reversed by an ERP credit
    note for its whole amount, against it (and its write-off, if it was
    written off first, is reversed too). Booked at payment, a voided invoice
    (never paid) was never booked. Arriving before invoice.finalized, the void
    plans the invoice too (the same keys), so the order does not matter."""
    invoice = event_object(event)
    plan = _invoice_closed(
        ctx, invoice, key_suffix="void", reason="voided", operation="post_credit_note"
    )
    if not plan.records:
        return plan
    return Plan(records=plan.records + _write_off_reversal(ctx, invoice, plan.records))


def plan_invoice_marked_uncollectible(
    ctx: WorkflowContext, event: dict[str, Any]
) -> Plan:
    """An uncollectible invoice booked at finalization is written off: an AR
    adjustment of what remains due, against it."""
    return _invoice_closed(
        ctx,
        event_object(event),
        key_suffix="uncollectible",
        reason="marked uncollectible",
        operation="post_adjustment",
    )


def _invoice_closed(
    ctx: WorkflowContext,
    invoice: dict[str, Any],
    *,
    key_suffix: str,
    reason: str,
    operation: str,
) -> Plan:
    invoice_id = text(invoice.get("id"))
    if not invoice_id:
        raise PlanningError("the invoice has no id")
    if invoice_booking(ctx) != AT_FINALIZATION:
        return Plan(
            ignored_reason=f"invoice {reason} before it was paid: invoices are "
            "booked when paid (options.invoice_booking), so nothing was booked"
        )
    records = invoice_records(ctx, invoice, api_version="", payments=False)
    if not records:
        return Plan(ignored_reason=_nothing_to_book(invoice))
    cust_key, invoice_key = records[0].key, records[1].key
    currency = currency_of(invoice)
    transitions = invoice.get("status_transitions") or {}
    created = int(
        transitions.get(
            "voided_at" if key_suffix == "void" else "marked_uncollectible_at"
        )
        or invoice.get("created")
        or 0
    )
    reference = f"{invoice_id}:{key_suffix}"
    number = text(invoice.get("number")) or invoice_id
    if operation == "post_credit_note":
        source = to_source(
            CreditNote(
                stripe_id=reference,
                charge_id="",
                currency=currency,
                amount=minor(invoice.get("total")),
                created=created,
                reason=f"Stripe invoice {number} {reason}",
            )
        ) | {"tax": stripe_versions.invoice_tax(invoice)}
    else:
        remaining = minor(invoice.get("amount_remaining") or 0)
        if remaining <= 0:
            return Plan(ignored_reason="nothing remains due on the invoice")
        source = to_source(
            Adjustment(
                stripe_id=reference,
                charge_id="",
                currency=currency,
                # Positive: it lowers what the customer owes, as a payment does.
                amount=remaining,
                created=created,
                reason=f"write-off: invoice {number} {reason}",
            )
        )
    closing = PlannedRecord(
        key=reference,
        operation=operation,
        stripe_id=reference,
        source=source,
        depends_on=(cust_key, invoice_key),
    )
    return Plan(records=(*records, closing))


def _write_off_reversal(
    ctx: WorkflowContext, invoice: dict[str, Any], records: tuple[PlannedRecord, ...]
) -> tuple[PlannedRecord, ...]:
    """An invoice written off and paid after all: the write-off is reversed,
    so the payment closes the invoice instead of overpaying it."""
    invoice_id = text(invoice.get("id"))
    write_off = ledger_record(ctx, f"{invoice_id}:uncollectible")
    if write_off is None:
        return ()
    reference = f"{invoice_id}:uncollectible:reversal"
    return (
        PlannedRecord(
            key=reference,
            operation="post_adjustment",
            stripe_id=reference,
            source=write_off.source
            | {
                "stripe_id": reference,
                "amount": -int(write_off.source.get("amount") or 0),
                "reason": f"paid after the write-off of invoice {invoice_id}",
            },
            depends_on=(records[0].key, records[1].key, f"{invoice_id}:uncollectible"),
        ),
    )


def invoice_records(
    ctx: WorkflowContext,
    invoice: dict[str, Any],
    *,
    api_version: str,
    payments: bool = True,
) -> tuple[PlannedRecord, ...]:
    """Customer, ERP invoice and (unless `payments` is false) the payments
    applied to it (nothing when its total is zero)."""
    invoice_id = text(invoice.get("id"))
    if not invoice_id:
        raise PlanningError("the invoice has no id")
    currency = currency_of(invoice)
    total = minor(invoice.get("total"))
    if total <= 0:
        return ()
    tax = stripe_versions.invoice_tax(invoice)
    paid_at = int(
        (invoice.get("status_transitions") or {}).get("paid_at")
        or invoice.get("created")
        or 0
    )
    amount_paid = minor(invoice.get("amount_paid") or 0) if payments else 0
    charges = _charges_paid(ctx, invoice, api_version=api_version, paid=amount_paid)
    customer = _customer(invoice)
    main = PlannedRecord(
        key=customer_key(customer.stripe_id),
        operation="upsert_customer",
        stripe_id=customer.stripe_id,
        source=to_source(customer) | {"mode": "ensure"},
    )
    # The account in the invoice's currency (currencies.py) is records[0]:
    # what waits on the customer waits on it, and it on the main account.
    account = currency_account_record(
        customer_id=customer.stripe_id,
        currency=currency,
        source=to_source(customer),
        main_key=main.key,
    )
    cust_key = account.key
    invoice_key = f"{invoice_id}:invoice"
    records = [
        account,
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
                    lines=invoice_lines(
                        invoice,
                        net=total - tax,
                        tax=tax,
                        stock_code=catalog_stock_code(ctx),
                    ),
                    charge_id=charges[0].charge if charges else "",
                )
            ),
            depends_on=(cust_key,),
        ),
    ]
    description = f"Stripe invoice {invoice.get('number') or ''}".strip()
    # What the charges do not explain was paid out of band.
    unexplained = amount_paid - sum(paid.amount for paid in charges)
    payments = [*charges]
    if unexplained > 0:
        payments.append(InvoicePaid(charge="", amount=unexplained))
    for paid in payments:
        reference = paid.charge or invoice_id
        records.append(
            PlannedRecord(
                key=f"{reference}:payment",
                operation="post_payment",
                stripe_id=reference,
                source=to_source(
                    Payment(
                        stripe_id=reference,
                        currency=currency,
                        amount=paid.amount,
                        created=paid_at,
                        description=description,
                    )
                ),
                depends_on=(cust_key, invoice_key),
            )
        )
    return (*records, main)


def _charges_paid(
    ctx: WorkflowContext, invoice: dict[str, Any], *, api_version: str, paid: int
) -> list[InvoicePaid]:
    """The charges that paid the invoice and how much each paid.

    A charge already booked on its own (a sales order and its payment, planned
    before this fix or with the invoices flow off) stops the plan: booking
    the invoice as well would book the same money twice.
    """
    if paid <= 0:
        return []
    invoice_id = text(invoice.get("id"))
    refs = stripe_versions.invoice_payments(invoice, api_version=api_version)
    if refs is None:
        refs = tuple(
            stripe_versions.invoice_payment_ref(row, invoice=invoice_id)
            for row in stripe_client(ctx).list_invoice_payments(invoice=invoice_id)
        )
    found: list[InvoicePaid] = []
    for ref in refs:
        if ref.status != "paid" or not (ref.charge or ref.payment_intent):
            continue
        charge = ref.charge or _latest_charge(ctx, ref.payment_intent)
        if not charge:
            continue
        amount = ref.amount if ref.amount is not None else paid
        found.append(InvoicePaid(charge=charge, amount=amount))
    for paid_by in found:
        _refuse_if_booked_as_order(ctx, charge=paid_by.charge, invoice_id=invoice_id)
    return found


def _latest_charge(ctx: WorkflowContext, payment_intent: str) -> str:
    intent = stripe_client(ctx).retrieve_payment_intent(payment_intent)
    return stripe_id_of(intent.get("latest_charge"))


def _refuse_if_booked_as_order(
    ctx: WorkflowContext, *, charge: str, invoice_id: str
) -> None:
    booked = ledger_record(ctx, f"{charge}:payment")
    if booked is None:
        return
    order = booked.depends_on.filter(
        operation=SyncRecord.Operation.CREATE_SALES_ORDER
    ).first()
    if order is not None:
        raise PlanningError(
            f"charge {charge} that paid invoice {invoice_id} is already booked "
            f"as sales order {order.erp_reference or order.stripe_id} with its "
            "payment; the invoice is not booked so the money is not booked "
            "twice. Reverse the order in the ERP and reprocess this event, or "
            "leave the order as the record of this payment.",
            {"charge": charge, "invoice": invoice_id},
        )
