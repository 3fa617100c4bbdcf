"""Canonical ERP records: what an ERP connector answers.

The connector Protocol (`protocol.ErpConnector`) returns these and never a
vendor dict, so nothing outside an ERP package (integrations/erps/<kind>/)
reads a vendor field name. Amounts are `Decimal` in currency units with an
ISO 4217 code in upper case ("" where the ERP does not say).
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True)
class ErpDocument:
    """What the ERP answered for one write: its document number.

    `raw` is the ERP's reply, kept only to be stored in the ledger for people
    to read; nothing outside the ERP package reads keys from it.
    """

    number: str
    raw: dict[str, Any] = field(default_factory=dict)
    adopted: bool = False
    # What a person has to look at although the write succeeded (say, a
    # payment whose excess over an invoice's balance was posted unapplied).
    attention: str = ""


@dataclass(frozen=True)
class ErpAddress:
    """A postal address as the ERP holds it, in Stripe's parts; each ERP
    package splits its own layout (SYSPRO's five numbered lines, Sage Pro's
    address columns) into these the way its mapping template joins them."""

    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""


@dataclass(frozen=True)
class ErpCustomer:
    code: str
    name: str = ""
    email: str = ""
    currency: str = ""
    on_hold: bool = False
    # What go-live customer matching compares (mapping/matching.py); "" where
    # the ERP's reply does not carry it.
    phone: str = ""
    postal_code: str = ""
    tax_id: str = ""
    # What the ERP → Stripe customer sync sends (customer_sync/); None or ""
    # where the ERP's reply does not carry it.
    terms: str = ""
    address: ErpAddress | None = None
    shipping: ErpAddress | None = None


@dataclass(frozen=True)
class ErpPrice:
    """A customer's price for one stock item."""

    stock_code: str
    price: Decimal
    currency: str = ""
    description: str = ""


@dataclass(frozen=True)
class ErpOrder:
    number: str
    customer_code: str
    reference: str = ""  # the customer PO: the Stripe id it was booked for
    date: str = ""  # ISO 8601 date
    currency: str = ""
    total: Decimal | None = None
    status: str = ""


@dataclass(frozen=True)
class ErpStockLevel:
    warehouse: str
    on_hand: Decimal


@dataclass(frozen=True)
class ErpStock:
    code: str
    description: str = ""
    unit: str = ""
    price: Decimal | None = None
    levels: tuple[ErpStockLevel, ...] = ()


def decimal_or_none(value: Any) -> Decimal | None:
    """An ERP's decimal text as a Decimal; None when blank or not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None
