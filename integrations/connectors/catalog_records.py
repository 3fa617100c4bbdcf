"""Canonical records of what a B2B buyer reads from the ERP, and the reader.

The customer portal (b2b/) asks an ERP's catalog reader (one per ERP package,
`integrations/erps/<kind>/catalog.py`, listed in `integrations/erps/catalogs.py`)
for these records and never sees a vendor field. Amounts are `Decimal` in
currency units as the ERP holds them; the portal turns them into minor units
with the currency's exponent (portal.money).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from .records import ErpDocument


@dataclass(frozen=True)
class PriceBreak:
    """From `quantity` units on one order line, each costs `price`."""

    quantity: Decimal
    price: Decimal


@dataclass(frozen=True)
class CatalogItem:
    """One stock item on a price list, at that list's price."""

    code: str
    description: str
    unit: str
    category: str  # the ERP's product class or item class
    price: Decimal
    currency: str = ""
    breaks: tuple[PriceBreak, ...] = ()


@dataclass(frozen=True)
class ContractPrice:
    """The price one customer has agreed for one stock item."""

    code: str
    price: Decimal
    breaks: tuple[PriceBreak, ...] = ()


@dataclass(frozen=True)
class Availability:
    code: str
    on_hand: Decimal  # every warehouse together
    warehouse: str = ""  # the warehouse holding most of it


class OrderStatus:
    OPEN = "open"
    PART_SHIPPED = "part_shipped"
    COMPLETE = "complete"
    CANCELLED = "cancelled"

    LABELS = {
        OPEN: "Open",
        PART_SHIPPED: "Part-shipped",
        COMPLETE: "Complete",
        CANCELLED: "Cancelled",
    }


@dataclass(frozen=True)
class OrderLine:
    code: str
    description: str
    quantity: Decimal
    unit: str
    price: Decimal
    value: Decimal


@dataclass(frozen=True)
class OrderSummary:
    number: str
    reference: str  # the customer PO the order was imported with
    date: str  # ISO 8601
    currency: str
    total: Decimal
    status: str  # an OrderStatus value
    erp_status: str  # the ERP's own code, shown beside it

    @property
    def status_label(self) -> str:
        return OrderStatus.LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class OrderDetail:
    summary: OrderSummary
    customer_code: str
    lines: tuple[OrderLine, ...] = ()


@dataclass(frozen=True)
class Transaction:
    """A movement on an AR document: the document itself, a payment, a note."""

    reference: str
    date: str
    value: Decimal  # what it added to the balance; payments are negative


@dataclass(frozen=True)
class Invoice:
    number: str
    kind: str  # invoice, credit_note, debit_note, payment (unapplied cash)
    date: str
    value: Decimal
    balance: Decimal
    due_date: str = ""
    transactions: tuple[Transaction, ...] = ()

    @property
    def kind_label(self) -> str:
        return self.kind.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Statement:
    customer_code: str
    customer_name: str
    currency: str
    invoices: tuple[Invoice, ...] = ()

    @property
    def balance(self) -> Decimal:
        return sum((invoice.balance for invoice in self.invoices), Decimal(0))


@dataclass(frozen=True)
class NewOrderLine:
    code: str
    quantity: int
    unit: str
    price: Decimal  # the unit price the buyer agreed to, in currency units


@dataclass(frozen=True)
class NewOrder:
    """An order a buyer placed: `reference` is the portal's key for it, the
    one the ERP finds it by, so it is never created twice."""

    reference: str
    customer_code: str
    currency: str
    date: str  # ISO 8601
    lines: tuple[NewOrderLine, ...]
    warehouse: str = ""
    email: str = ""
    ship_to: tuple[str, ...] = ()
    # The buyer's own purchase order number (the ERP's PO field keeps
    # `reference`), the date they want it shipped (ISO 8601) and their notes.
    buyer_po: str = ""
    requested_date: str = ""
    notes: str = ""


class PortalErp(Protocol):
    """The customer portal's calls for one ERP connection; every method may
    raise a ConnectorError (integrations/connectors/errors.py),
    TransientError when the ERP is down."""

    def price_list(self, *, price_code: str, currency: str) -> list[CatalogItem]: ...

    def contract_prices(self, *, customer_code: str) -> list[ContractPrice]: ...

    def availability(self, *, code: str) -> Availability: ...

    def orders(self, *, customer_code: str) -> list[OrderSummary]: ...

    def order(self, *, customer_code: str, number: str) -> OrderDetail | None: ...

    def statement(self, *, customer_code: str) -> Statement | None: ...

    def place_order(self, order: NewOrder) -> ErpDocument:
        """Create the order once: an order already carrying the reference is
        adopted (`adopted=True`), never created again."""
        ...
