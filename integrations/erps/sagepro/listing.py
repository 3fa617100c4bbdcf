"""Sage Pro customers, listed for go-live customer matching (read only).

The Sage Pro REST contract lists arcust rows at GET /api/v1/customers; each
row becomes a canonical ErpCustomer with the fields matching compares
(email, postcode, phone). arcust has no tax id column.
"""

from collections.abc import Mapping
from typing import Any

from integrations.connectors.records import ErpCustomer

from .connector import SageProConnector


def customer_of_listing_row(row: Mapping[str, Any]) -> ErpCustomer:
    def text(name: str) -> str:
        value = row.get(name)
        return "" if value is None else str(value).strip()

    return ErpCustomer(
        code=text("custno"),
        name=text("company"),
        email=text("email"),
        currency=text("currid").upper(),
        phone=text("phone"),
        postal_code=text("zip"),
    )


def list_customers(
    connector: SageProConnector, *, codes: tuple[str, ...] = (), limit: int = 1000
) -> list[ErpCustomer]:
    """Up to `limit` customers; `codes` is not needed (Sage Pro lists them all)."""
    rows = connector._list("customers", {})
    return [customer_of_listing_row(row) for row in rows[:limit] if row.get("custno")]
