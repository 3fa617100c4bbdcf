"""SYSPRO reads for the customer portal: price lists, contract prices, stock,
orders and the AR statement, as canonical records (catalog_records.py).

Each read is one e.net Query/Query call through the connector's session:
INVQPL (price list of one price code, with its quantity breaks), SORQCP
(contract prices, a Filter on Customer and no Key), INVQRY (one stock item
and its warehouses), SORQSO (a customer's orders, finished ones included),
SORQRY (one order and its lines) and ARSQRY (the customer's AR invoices and
their transactions).
"""

import textwrap
import xml.etree.ElementTree as ET  # noqa: S405 - types only; parsing uses defusedxml
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
    PriceBreak,
    Statement,
    Transaction,
)
from integrations.connectors.errors import NotFoundError, ValidationError
from integrations.connectors.records import ErpDocument, decimal_or_none

from .connector import SysproConnector
from .xmldoc import (
    AR_STATEMENT_OPTIONS,
    COMMENT_LENGTH,
    _text,
    element_dict,
    filter_query_xml,
    find_text,
    key_query_xml,
)

# SorMaster.OrderStatus: 0 in process, 1 open, 2 open back order, 3 released
# back order, 4 in warehouse, 8 to invoice, 9 complete, \ cancelled, S in
# suspense (SYSPRO's help, https://help.syspro.com/syspro-7-update-1/sorpen.htm,
# and the NewOrderStatus summary of SORTOS in Zindaar/SYSPROIntegration). A
# back order has shipped part of its lines.
_ORDER_STATUSES = {
    "2": OrderStatus.PART_SHIPPED,
    "3": OrderStatus.PART_SHIPPED,
    "9": OrderStatus.COMPLETE,
    "\\": OrderStatus.CANCELLED,
}
# ARSQRY InvoiceDetail DocumentType.
_DOCUMENT_KINDS = {
    "I": "invoice",
    "C": "credit_note",
    "D": "debit_note",
    "P": "payment",
}


def order_status(code: str) -> str:
    return _ORDER_STATUSES.get(code.strip(), OrderStatus.OPEN)


def _money(value: object) -> Decimal:
    return decimal_or_none(value) or Decimal(0)


class SysproCatalog:
    def __init__(self, connector: SysproConnector) -> None:
        self.connector = connector

    def price_list(self, *, price_code: str, currency: str) -> list[CatalogItem]:
        """INVQPL filtered on one price code; its Filter takes ProductClass,
        Supplier, StockCode, Currency, PriceCode and PriceCategory, its Option
        Sequence and PriceMethod, and it has no Key
        (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/InventoryPrimaryQuery/InventoryPriceList/INVQPL.vb).
        """
        root = self.connector.query(
            "INVQPL",
            filter_query_xml({"PriceCode": price_code}, {"Sequence": "S"}),
        )
        items = []
        for node in root.iter("StockItem"):
            values = element_dict(node)
            price = decimal_or_none(values.get("SellingPrice"))
            if price is None:
                continue
            items.append(
                CatalogItem(
                    code=_text(values.get("StockCode")),
                    description=_text(values.get("Description")),
                    unit=_text(values.get("PriceUom") or values.get("StockUom")),
                    category=_text(values.get("ProductClass")),
                    price=price,
                    currency=currency,
                    breaks=_breaks(node),
                )
            )
        return items

    def contract_prices(self, *, customer_code: str) -> list[ContractPrice]:
        """SORQCP through the connector (a Filter on Customer)."""
        try:
            prices = self.connector.customer_prices(customer_code)
        except ValidationError as exc:
            if exc.field == "Customer":
                return []
            raise
        return [ContractPrice(code=p.stock_code, price=p.price) for p in prices]

    def availability(self, *, code: str) -> Availability:
        stock = self.connector.stock(code)
        total = sum((level.on_hand for level in stock.levels), Decimal(0))
        best = max(stock.levels, key=lambda level: level.on_hand, default=None)
        return Availability(
            code=stock.code,
            on_hand=total,
            warehouse=best.warehouse if best and best.on_hand > 0 else "",
        )

    def orders(self, *, customer_code: str) -> list[OrderSummary]:
        """SORQSO on Customer, completed and cancelled orders included."""
        return [
            OrderSummary(
                number=order.number,
                reference=order.reference,
                date=order.date,
                currency=order.currency,
                total=order.total or Decimal(0),
                status=order_status(order.status),
                erp_status=order.status,
            )
            for order in self.connector.customer_orders(customer_code)
            if order.customer_code == customer_code
        ]

    def order(self, *, customer_code: str, number: str) -> OrderDetail | None:
        """SORQRY by SalesOrder; None when SYSPRO has no such order or it is
        another customer's (the reply is flat: a header and its lines)."""
        try:
            root = self.connector.query(
                "SORQRY", key_query_xml({"SalesOrder": number}, {})
            )
        except (NotFoundError, ValidationError) as exc:
            if isinstance(exc, NotFoundError) or exc.field == "SalesOrder":
                return None
            raise
        header_node = root.find(".//SalesOrderHeader")
        header = element_dict(header_node if header_node is not None else root)
        if _text(header.get("Customer")).strip() != customer_code:
            return None
        erp_status = _text(header.get("OrderStatus"))
        lines = []
        for node in root.iter("SalesOrderLine"):
            values = element_dict(node)
            if _text(values.get("LineType")) not in ("", "1"):
                continue
            lines.append(
                OrderLine(
                    code=_text(values.get("StockCode")),
                    description=_text(values.get("Description")),
                    quantity=_money(values.get("OrderQty")),
                    unit=_text(values.get("OrderUom")),
                    price=_money(values.get("Price")),
                    value=_money(values.get("LineValue")),
                )
            )
        summary = OrderSummary(
            number=_text(header.get("SalesOrder")) or number,
            reference=_text(header.get("CustomerPoNumber")),
            date=_text(header.get("OrderDate")),
            currency=_text(header.get("Currency")).upper(),
            total=_money(header.get("OrderValue")),
            status=order_status(erp_status),
            erp_status=erp_status,
        )
        return OrderDetail(
            summary=summary, customer_code=customer_code, lines=tuple(lines)
        )

    def statement(self, *, customer_code: str) -> Statement | None:
        """ARSQRY with transactions and zero-balance invoices (paid ones are
        still history); None when SYSPRO does not know the customer
        (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/ARPrimaryQuery/CustomerQuery/ARSQRY.vb).
        """
        xml_in = key_query_xml({"Customer": customer_code}, AR_STATEMENT_OPTIONS)
        try:
            root = self.connector.query("ARSQRY", xml_in)
        except (NotFoundError, ValidationError) as exc:
            if isinstance(exc, NotFoundError) or exc.field == "Customer":
                return None
            raise
        if find_text(root, "Customer") != customer_code:
            return None
        invoices = []
        for node in root.iter("InvoiceDetail"):
            values = element_dict(node)
            invoices.append(
                Invoice(
                    number=_text(values.get("Invoice")),
                    kind=_DOCUMENT_KINDS.get(
                        _text(values.get("DocumentType")), "invoice"
                    ),
                    date=_text(values.get("InvoiceDate")),
                    due_date=_text(values.get("DueDate")),
                    value=_money(values.get("InvoiceValue")),
                    balance=_money(values.get("InvoiceBalance")),
                    transactions=_transactions(node),
                )
            )
        return Statement(
            customer_code=customer_code,
            customer_name=find_text(root, "CustomerName"),
            currency=find_text(root, "Currency").upper(),
            invoices=tuple(invoices),
        )

    def place_order(self, order: NewOrder) -> ErpDocument:
        """SORTOI through the connector, which looks the order up by its
        CustomerPoNumber (SORQSO) before it imports, and prices each line at
        the price entered (AlwaysUsePriceEntered=Y)."""
        payload = {
            "CustomerPoNumber": order.reference,
            "Customer": order.customer_code,
            "OrderDate": order.date,
            "Currency": order.currency,
            "Email": order.email,
            "Warehouse": order.warehouse,
            **{
                f"ShipAddress{index}": line
                for index, line in enumerate(order.ship_to[:5], start=1)
            },
            "RequestedShipDate": order.requested_date,
            "lines": [
                {
                    "LineType": "stock",
                    "StockCode": line.code,
                    "Warehouse": order.warehouse,
                    "OrderQty": str(line.quantity),
                    "OrderUom": line.unit,
                    "Price": f"{line.price:f}",
                    "PriceUom": line.unit,
                }
                for line in order.lines
            ]
            + _comment_lines(order),
        }
        return self.connector.create_sales_order(payload, reference=order.reference)


def _comment_lines(order: NewOrder) -> list[dict]:
    """The buyer's PO and notes as SORTOI comment lines.

    CustomerPoNumber carries the portal's reference, the key the order is
    looked up by before it is imported, so the buyer's own PO travels as a
    comment printed on the order and the invoice (CommentType I); the notes
    are for the order only (O). SORTOIDOC.vb's CommentLine takes 100
    characters a line
    (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/SalesOrdersPrimaryPosting/SalesOrderImport/SORTOIDOC.vb).
    """
    comments = []
    if order.buyer_po:
        comments.append(("I", f"Your PO: {order.buyer_po}"[:COMMENT_LENGTH]))
    # Broken between words, as a person would type them into SYSPRO.
    for line in textwrap.wrap(order.notes, COMMENT_LENGTH):
        comments.append(("O", line))
    return [
        {"LineType": "comment", "Comment": comment, "CommentType": kind}
        for kind, comment in comments
    ]


def _breaks(node: ET.Element) -> tuple[PriceBreak, ...]:
    breaks = []
    for element in node.iter("QuantityBreak"):
        values = element_dict(element)
        quantity = decimal_or_none(values.get("Quantity"))
        price = decimal_or_none(values.get("SellingPrice"))
        if quantity is not None and price is not None:
            breaks.append(PriceBreak(quantity=quantity, price=price))
    return tuple(sorted(breaks, key=lambda b: b.quantity))


def _transactions(node: ET.Element) -> tuple[Transaction, ...]:
    return tuple(
        Transaction(
            reference=_text(values.get("Reference")),
            date=_text(values.get("JournalDate")),
            value=_money(values.get("TrnValue")),
        )
        for values in (element_dict(detail) for detail in node.iter("TransDetail"))
    )
