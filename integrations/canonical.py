"""Canonical records: what the workflows hand to mapping and the ERP.

Amounts are integers in the currency's minor units and currencies are ISO
codes in upper case; conversion to ERP decimals happens in the mapping
templates (`minor_to_decimal`), after integrations/precision.py has fitted a
record to the decimals the ERP's fields hold (KWD into 2-decimal fields).
Records are stored on `SyncRecord.source` as `asdict()`; at run time the
ledger adds what the record's dependencies produced (`customer_code`,
`order_number`, `invoice_number`) and the integration's `options`.
"""

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Address:
    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""


@dataclass(frozen=True)
class Customer:
    stripe_id: str
    name: str
    email: str = ""
    phone: str = ""
    currency: str = ""
    address: Address = field(default_factory=Address)
    shipping_address: Address = field(default_factory=Address)
    erp_code: str = ""  # known ERP code (link or metadata) or the one to create
    metadata: dict[str, str] = field(default_factory=dict)
    created: int = 0
    deleted: bool = False


@dataclass(frozen=True)
class OrderLine:
    description: str
    quantity: int
    unit_amount: int
    amount: int
    sku: str = ""  # empty: book as a misc charge line


@dataclass(frozen=True)
class SalesOrder:
    stripe_id: str  # the charge / payment intent / invoice id, also the ERP PO
    currency: str
    amount: int
    created: int
    lines: tuple[OrderLine, ...]
    email: str = ""
    description: str = ""
    ship_address: Address = field(default_factory=Address)


@dataclass(frozen=True)
class InvoiceAllocation:
    """The part of one payment applied to one ERP invoice."""

    invoice: str
    amount: int


@dataclass(frozen=True)
class Payment:
    stripe_id: str  # the charge id: the ERP payment reference
    currency: str
    amount: int
    created: int
    order_number: str = ""  # ERP order named in metadata (erp_order)
    invoice_number: str = ""  # ERP invoice named in metadata (erp_invoice)
    payment_method: str = "card"
    description: str = ""
    # Several ERP invoices paid by one charge (metadata erp_invoices); what
    # they leave of `amount` is posted unapplied. None, not empty, for any
    # other payment: the templates map invoice lines only when present.
    allocations: tuple[InvoiceAllocation, ...] | None = None


@dataclass(frozen=True)
class CreditNote:
    stripe_id: str  # the refund id
    charge_id: str
    currency: str
    amount: int  # positive: the amount credited
    created: int
    reason: str = ""
    reverses: str = ""  # set when a failed refund reverses an earlier credit


@dataclass(frozen=True)
class Adjustment:
    stripe_id: str  # dispute id + phase, e.g. dp_123:funds_withdrawn
    charge_id: str
    currency: str
    amount: int  # signed: negative lowers what the customer paid (withdrawal)
    created: int
    reason: str = ""


@dataclass(frozen=True)
class Invoice:
    stripe_id: str
    number: str
    currency: str
    amount: int
    tax: int
    created: int
    lines: tuple[OrderLine, ...] = ()
    charge_id: str = ""


@dataclass(frozen=True)
class JournalLine:
    account: str
    amount: int  # signed minor units: debit positive, credit negative
    description: str = ""
    reference: str = ""


@dataclass(frozen=True)
class Journal:
    stripe_id: str  # the payout id (or payout id + ":reversal")
    currency: str
    created: int
    description: str
    lines: tuple[JournalLine, ...]


@dataclass(frozen=True)
class SubscriptionState:
    """What the ERP customer keeps of a Stripe subscription (issue 20)."""

    stripe_id: str  # the subscription id
    customer_id: str  # the Stripe customer
    currency: str
    status: str  # Stripe's: active, past_due, canceled …
    plan: str  # the ERP stock code of its price when linked, else the price
    current_period_end: int  # Unix time, 0 when unknown
    # Monthly recurring revenue in minor units, rounded half up from the
    # exact amount (a yearly price / 12); 0 unless the status earns revenue.
    mrr: int
    as_of: int  # the event's `created`: orders states of one subscription
    event_id: str = ""
    # The business time zone the period end is dated in for the ERP
    # (integrations/periods.py); set from the integration when it runs.
    zone: str = "UTC"


def to_source(record: Any) -> dict[str, Any]:
    return asdict(record)
