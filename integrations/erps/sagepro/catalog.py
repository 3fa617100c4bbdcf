"""Sage Pro reads and the order write for the customer portal, through the
LedgerBridge agent's `/api/v1` contract (PROTOCOLS.md section 2) and the Sage
Pro connector.

The contract lists items (`/items`: item, descrip, price) and a customer's
prices (`/customers/{custno}/prices`: the customer's own or its price code's,
already chosen by the agent); it reports no stock on hand, no unit and no
quantity breaks, so the portal shows those as unknown for Sage Pro. Order
statuses are somast.sostat: blank open, C closed, V void, X cancelled.
"""

from decimal import Decimal

from integrations.connectors.catalog_records import (
    Availability,
    CatalogItem,
    ContractPrice,
    Invoice,
    NewOrder,
    OrderDetail,
    OrderLine,
    OrderStatus,
    OrderSummary,
    Statement,
)
from integrations.connectors.errors import NotFoundError
from integrations.connectors.records import ErpDocument, decimal_or_none

from .connector import SageProConnector, object_of, resource_path, rows_of

_ORDER_STATUSES = {
    "": OrderStatus.OPEN,
    "C": OrderStatus.COMPLETE,
    "V": OrderStatus.CANCELLED,
    "X": OrderStatus.CANCELLED,
}


def _str(value: object) -> str:
    return "" if value is None else str(value).strip()


def _money(value: object) -> Decimal:
    return decimal_or_none(value) or Decimal(0)


def _summary(row: dict, currency: str) -> OrderSummary:
    status = _str(row.get("sostat")).upper()
    lines = row.get("lines") or []
    shipped = any(_money(line.get("qtyshp")) > 0 for line in lines)
    return OrderSummary(
        number=_str(row.get("sono")),
        reference=_str(row.get("ponum")),
        date=_str(row.get("ordate")),
        currency=_str(row.get("currid")).upper() or currency,
        total=_money(row.get("ordamt")),
        status=OrderStatus.PART_SHIPPED
        if status == "" and shipped
        else _ORDER_STATUSES.get(status, OrderStatus.OPEN),
        erp_status=status or "open",
    )


class SageProCatalog:
    def __init__(self, connector: SageProConnector) -> None:
        self.connector = connector

    def price_list(self, *, price_code: str, currency: str) -> list[CatalogItem]:
        """Every item at its list price (icitem.price); the agent has one
        list, whatever the price code."""
        rows = rows_of(self.connector.request("GET", "items"))
        items = []
        for row in rows:
            price = decimal_or_none(row.get("price"))
            if price is None or not _str(row.get("item")):
                continue
            items.append(
                CatalogItem(
                    code=_str(row.get("item")),
                    description=_str(row.get("descrip")),
                    unit="",
                    category="",
                    price=price,
                    currency=currency,
                )
            )
        return items

    def contract_prices(self, *, customer_code: str) -> list[ContractPrice]:
        return [
            ContractPrice(code=price.stock_code, price=price.price)
            for price in self.connector.customer_prices(customer_code)
        ]

    def availability(self, *, code: str) -> Availability:
        raise NotFoundError(
            "The Sage Pro agent does not report stock on hand",
            field="item",
            value=code,
        )

    def orders(self, *, customer_code: str) -> list[OrderSummary]:
        rows = rows_of(
            self.connector.request(
                "GET", "salesorders", params={"custno": customer_code}
            )
        )
        return [
            _summary(row, "")
            for row in rows
            if _str(row.get("custno")) == customer_code
        ]

    def order(self, *, customer_code: str, number: str) -> OrderDetail | None:
        try:
            row = object_of(
                self.connector.request("GET", resource_path("salesorders", number))
            )
        except NotFoundError:
            return None
        if _str(row.get("custno")) != customer_code:
            return None
        lines = tuple(
            OrderLine(
                code=_str(line.get("item")),
                description=_str(line.get("descrip")),
                quantity=_money(line.get("origqtyord") or line.get("qtyord")),
                unit="",
                price=_money(line.get("price")),
                value=_money(line.get("extprice")),
            )
            for line in row.get("lines") or []
        )
        return OrderDetail(
            summary=_summary(row, ""), customer_code=customer_code, lines=lines
        )

    def statement(self, *, customer_code: str) -> Statement | None:
        customer = self.connector.find_customer(code=customer_code)
        if customer is None:
            return None
        rows = rows_of(
            self.connector.request("GET", "invoices", params={"custno": customer_code})
        )
        invoices = tuple(
            Invoice(
                number=_str(row.get("invno")),
                kind="invoice",
                date=_str(row.get("invdte")),
                value=_money(row.get("invamt")),
                balance=_money(row.get("balance")),
            )
            for row in rows
            if _str(row.get("custno")) == customer_code
            and _str(row.get("arstat")).upper() != "V"
        )
        return Statement(
            customer_code=customer_code,
            customer_name=customer.name,
            currency=customer.currency,
            invoices=invoices,
        )

    def place_order(self, order: NewOrder) -> ErpDocument:
        """POST /salesorders through the connector, which looks the order up
        by ponum first (a repeated ponum answers 409 with the order)."""
        lines = [
            {
                "item": line.code,
                "qtyord": str(line.quantity),
                "price": f"{line.price:f}",
                "extprice": f"{line.price * line.quantity:f}",
            }
            for line in order.lines
        ]
        total = sum((line.price * line.quantity for line in order.lines), Decimal(0))
        payload = {
            "custno": order.customer_code,
            "ordate": order.date,
            "ponum": order.reference,
            "ordamt": f"{total:f}",
            "currid": order.currency,
            "lines": lines,
        }
        return self.connector.create_sales_order(payload, reference=order.reference)
