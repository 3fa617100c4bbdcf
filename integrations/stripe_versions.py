"""Reading the Stripe fields that moved between API versions, in one place.

An event's payload follows the API version of the endpoint that received it
(`event.api_version`), and an object fetched through the SDK follows the
SDK's pinned version. Workflows read the fields below only through this
module, so a version change is handled here once, with both shapes tested.

The changes read here, all from 2025-03-31.basil:
- Invoice `charge`, `payment_intent` and `paid` removed; the link between an
  invoice and what paid it is the InvoicePayment (`invoice.payments`, an
  includable field, or `GET /v1/invoice_payments`), and Charge and
  PaymentIntent lost their `invoice` field.
  https://docs.stripe.com/changelog/basil/2025-03-31/add-support-for-multiple-partial-payments-on-invoices
- Invoice `subscription` moved to `parent.subscription_details.subscription`.
  https://docs.stripe.com/changelog/basil/2025-03-31/adds-new-parent-field-to-invoicing-objects
- Invoice line `price` (and its `unit_amount`) moved to
  `pricing.price_details` and `pricing.unit_amount_decimal`.
  https://docs.stripe.com/changelog/basil/2025-03-31/invoice-pricing-configurations
- Invoice `total_tax_amounts` replaced by `total_taxes`.
  https://docs.stripe.com/changelog/basil/2025-03-31/invoice-tax-configurations
- Subscription `current_period_start/end` moved to its items.
  https://docs.stripe.com/changelog/basil/2025-03-31/deprecate-subscription-current-period-start-and-end
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

BASIL = "2025-03-31"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _id(value: Any) -> str:
    """An id from a field that holds an id or an expanded object."""
    if isinstance(value, dict):
        return _text(value.get("id"))
    return _text(value)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def basil_or_later(api_version: str) -> bool | None:
    """Whether a payload of this version has the basil shape; None if unknown.

    Versions are dated (`2024-06-20`, `2025-03-31.basil`), so the date orders
    them.
    """
    date = _text(api_version)[:10]
    if len(date) != 10 or date[4] != "-" or date[7] != "-":
        return None
    return date >= BASIL


def payment_invoice(obj: dict[str, Any], *, api_version: str) -> str | None:
    """The invoice a Charge or PaymentIntent pays: its id, "" when it pays
    none, None when this payload's version no longer says (ask Stripe's
    invoice payments).

    Before basil the field is there even when empty; a payload of unknown
    version is read by whether it carries the field.
    """
    invoice = _id(obj.get("invoice"))
    if invoice:
        return invoice
    basil = basil_or_later(api_version)
    if basil is False or (basil is None and "invoice" in obj):
        return ""
    return None


@dataclass(frozen=True)
class InvoicePaymentRef:
    """One payment of an invoice, in either shape."""

    invoice: str
    charge: str  # "" when only the payment intent is named
    payment_intent: str
    amount: int | None  # minor units paid; None when the shape does not say
    status: str  # paid / open / canceled


def invoice_payment_ref(row: dict[str, Any], *, invoice: str = "") -> InvoicePaymentRef:
    """An InvoicePayment object (listed, or a row of `invoice.payments`).

    Its `payment` names the payment intent, or the charge only when the charge
    has no payment intent.
    https://docs.stripe.com/api/invoice-payment/object?api-version=2025-03-31.basil
    """
    payment = row.get("payment") or {}
    return InvoicePaymentRef(
        invoice=_id(row.get("invoice")) or invoice,
        charge=_id(payment.get("charge")),
        payment_intent=_id(payment.get("payment_intent")),
        amount=_int(row.get("amount_paid")),
        status=_text(row.get("status")) or "paid",
    )


def invoice_payments(
    invoice: dict[str, Any], *, api_version: str
) -> tuple[InvoicePaymentRef, ...] | None:
    """What paid the invoice, from the payload; None when it does not say.

    Before basil: the single `charge` / `payment_intent`. From basil: the
    `payments` list when the payload includes it (it is includable, so an
    event usually does not); otherwise ask `GET /v1/invoice_payments`.
    """
    invoice_id = _text(invoice.get("id"))
    listed = invoice.get("payments")
    if isinstance(listed, dict) and isinstance(listed.get("data"), list):
        if not listed.get("has_more"):
            return tuple(
                invoice_payment_ref(row, invoice=invoice_id)
                for row in listed["data"]
                if isinstance(row, dict)
            )
        return None
    basil = basil_or_later(api_version)
    legacy = "charge" in invoice or "payment_intent" in invoice
    if basil or (basil is None and not legacy):
        return None
    charge = _id(invoice.get("charge"))
    intent = _id(invoice.get("payment_intent"))
    if not (charge or intent):
        return ()
    paid = _text(invoice.get("status")) == "paid"
    return (
        InvoicePaymentRef(
            invoice=invoice_id,
            charge=charge,
            payment_intent=intent,
            amount=_int(invoice.get("amount_paid")) if paid else None,
            status="paid" if paid else "open",
        ),
    )


def invoice_subscription(invoice: dict[str, Any]) -> str:
    """The subscription that generated the invoice ("" for a one-off)."""
    parent = invoice.get("parent") or {}
    details = parent.get("subscription_details") or {}
    return _id(details.get("subscription")) or _id(invoice.get("subscription"))


def invoice_tax(invoice: dict[str, Any]) -> int:
    """Total tax in minor units: `tax` (older versions), `total_tax_amounts`
    (before basil) or `total_taxes` (basil on)."""
    tax = _int(invoice.get("tax"))
    if tax is not None:
        return tax
    for name in ("total_taxes", "total_tax_amounts"):
        entries = invoice.get(name)
        if isinstance(entries, list) and entries:
            return sum(_int((entry or {}).get("amount")) or 0 for entry in entries)
    return 0


@dataclass(frozen=True)
class LinePrice:
    price: str  # the Stripe Price id, "" when the line has none
    product: str
    unit_amount: int | None  # minor units, None when not a whole number


def line_price(line: dict[str, Any]) -> LinePrice:
    """The price of an invoice line (or invoice item): `price` before basil,
    `pricing.price_details` from basil on."""
    pricing = line.get("pricing") or {}
    details = pricing.get("price_details") or {}
    if details or pricing:
        unit = _whole(pricing.get("unit_amount_decimal"))
        price = details.get("price")
        product = _id(details.get("product"))
        if isinstance(price, dict):
            product = product or _id(price.get("product"))
            if unit is None:
                unit = _int(price.get("unit_amount"))
        return LinePrice(price=_id(price), product=product, unit_amount=unit)
    price = line.get("price") or line.get("plan") or {}
    if not isinstance(price, dict):
        return LinePrice(price=_id(price), product="", unit_amount=None)
    return LinePrice(
        price=_id(price),
        product=_id(price.get("product")),
        unit_amount=_int(price.get("unit_amount", price.get("amount"))),
    )


def _whole(value: Any) -> int | None:
    """A decimal string of minor units ("1200" or "1200.000") as an int."""
    if value is None:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount != amount.to_integral_value():
        return None
    return int(amount)


def subscription_period(subscription: dict[str, Any]) -> tuple[int, int]:
    """The current billing period (start, end) as Unix times, 0 if unknown:
    on the subscription before basil, on its items from basil on (the
    earliest start and the latest end of its items)."""
    start = _int(subscription.get("current_period_start"))
    end = _int(subscription.get("current_period_end"))
    if start is not None and end is not None:
        return start, end
    items = (subscription.get("items") or {}).get("data") or []
    starts = [_int(i.get("current_period_start")) for i in items if isinstance(i, dict)]
    ends = [_int(i.get("current_period_end")) for i in items if isinstance(i, dict)]
    known_starts = [s for s in starts if s is not None]
    known_ends = [e for e in ends if e is not None]
    return (min(known_starts, default=0), max(known_ends, default=0))


def credit_note_refunds(
    credit_note: dict[str, Any],
) -> tuple[tuple[str, int | None], ...]:
    """The refunds a credit note made, as (refund id, amount refunded): the
    `refunds` list from basil on, the single `refund` id before (its amount
    then unknown here).
    https://docs.stripe.com/changelog/basil/2025-03-31/add-support-for-multiple-partial-payments-on-invoices
    """
    listed = credit_note.get("refunds")
    if isinstance(listed, list):
        return tuple(
            (_id(row.get("refund")), _int(row.get("amount_refunded")))
            for row in listed
            if isinstance(row, dict) and _id(row.get("refund"))
        )
    refund = _id(credit_note.get("refund"))
    return ((refund, None),) if refund else ()
