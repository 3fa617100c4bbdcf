"""SYSPRO e.net sandbox reads: Query/Query business objects and `_state`.

GENQJD is not a stock SYSPRO business object: it stands in for SYSPRO's GL
journal enquiry so a connector can look a journal up by JournalReference
before it posts one (exactly-once), which the real product would do through a
custom query or a SQL view.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - builds XML; parsing uses defusedxml
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from . import xmldoc as X
from .models import (
    ArAdjustment,
    ArInvoice,
    ArPayment,
    ContractPrice,
    Customer,
    GlJournal,
    SalesOrder,
    StockItem,
    WarehouseItem,
)
from .services import EnetException, Session


def _key(root: ET.Element, tag: str) -> str:
    for path in (f"Key/{tag}", f"Filter/{tag}", tag):
        node = root.find(path)
        if node is not None:
            value = (node.text or "").strip() or node.get("FilterValue", "").strip()
            if value:
                return value
    return ""


def _filters(root: ET.Element, names: dict[str, str]) -> Q:
    """`<Filter><Name FilterType="S|A|R|L" FilterValue=".."/></Filter>` as a Q."""
    query = Q()
    for container in (root.find("Filter"), root.find("Filters")):
        if container is None:
            continue
        for node in container:
            lookup = names.get(node.tag)
            if lookup is None:
                raise EnetException(
                    "100051", f"Filter <{node.tag}> is not supported by this query"
                )
            kind = node.get("FilterType", "S").upper()
            value = node.get("FilterValue", (node.text or "")).strip()
            if kind == "A":
                continue
            if kind == "S":
                query &= Q(**{lookup: value})
            elif kind == "L":
                query &= Q(**{f"{lookup}__in": [v.strip() for v in value.split(",")]})
            elif kind == "R":
                upper = node.get("FilterValueTo", "").strip()
                if value:
                    query &= Q(**{f"{lookup}__gte": value})
                if upper:
                    query &= Q(**{f"{lookup}__lte": upper})
            else:
                raise EnetException(
                    "100051", f"FilterType {kind!r} is not A, S, R or L"
                )
    return query


def _not_found(root_tag: str, tag: str, value: str, number: str, what: str) -> str:
    root = ET.Element(root_tag)
    X.render_errors(
        root, [X.FieldError(tag, value, number, f"{what} '{value}' not found")]
    )
    return X.to_text(root)


def _money(value: Decimal) -> str:
    return X.money_text(value)


def _order_lines(parent: ET.Element, order: SalesOrder) -> None:
    for line in order.lines.all():
        node = ET.SubElement(parent, "SalesOrderLine")
        X.add(node, "Line", line.line)
        X.add(node, "LineType", line.line_type)
        X.add(node, "CustomerPoLine", line.customer_po_line)
        X.add(node, "StockCode", line.stock_code)
        X.add(node, "Description", line.description)
        X.add(node, "Warehouse", line.warehouse)
        X.add(node, "OrderQty", f"{line.order_qty.normalize():f}")
        X.add(node, "OrderUom", line.order_uom)
        X.add(node, "Price", _money(line.price))
        X.add(node, "LineValue", _money(line.value))


def _order_value(order: SalesOrder) -> Decimal:
    return sum((line.value for line in order.lines.all()), Decimal(0))


def sales_order_query(root: ET.Element) -> str:
    """SORQRY: one sales order with its lines."""
    number = _key(root, "SalesOrder")
    order = (
        SalesOrder.objects.select_related("customer")
        .prefetch_related("lines")
        .filter(sales_order=number)
        .first()
    )
    if order is None:
        return _not_found("SorDetail", "SalesOrder", number, "200307", "Sales order")
    out = ET.Element("SorDetail")
    header = ET.SubElement(out, "SalesOrderHeader")
    X.add(header, "SalesOrder", order.sales_order)
    X.add(header, "OrderStatus", order.order_status)
    X.add(header, "Customer", order.customer.code)
    X.add(header, "CustomerName", order.customer.name)
    X.add(header, "CustomerPoNumber", order.customer_po_number)
    X.add(header, "OrderDate", order.order_date.isoformat())
    X.add(header, "Currency", order.currency)
    X.add(header, "Email", order.email)
    X.add(header, "Warehouse", order.warehouse)
    X.add(header, "OrderValue", _money(_order_value(order)))
    _order_lines(out, order)
    return X.to_text(out)


def sales_order_list(root: ET.Element) -> str:
    """SORQSO: sales orders by Customer, CustomerPo, OrderDate, SalesOrder."""
    query = _filters(
        root,
        {
            "Customer": "customer__code",
            "CustomerPo": "customer_po_number",
            "CustomerPoNumber": "customer_po_number",
            "OrderDate": "order_date",
            "SalesOrder": "sales_order",
            "OrderStatus": "order_status",
        },
    )
    orders = (
        SalesOrder.objects.filter(query)
        .select_related("customer")
        .prefetch_related("lines")
        .order_by("sales_order")
    )
    out = ET.Element("SorQuery")
    for order in orders:
        node = ET.SubElement(out, "SalesOrderItem")
        X.add(node, "SalesOrder", order.sales_order)
        X.add(node, "Customer", order.customer.code)
        X.add(node, "CustomerPoNumber", order.customer_po_number)
        X.add(node, "OrderDate", order.order_date.isoformat())
        X.add(node, "OrderStatus", order.order_status)
        X.add(node, "Currency", order.currency)
        X.add(node, "OrderValue", _money(_order_value(order)))
    return X.to_text(out)


def customer_statement(root: ET.Element) -> str:
    """ARSQRY: customer header, invoices/credit notes and payments/adjustments.

    A `<Filter><Reference FilterType="S" FilterValue=".."/></Filter>` narrows
    the details to one reference (a sandbox convenience for lookups).
    """
    code = _key(root, "Customer")
    customer = Customer.objects.filter(code=code).first()
    if customer is None:
        return _not_found("ARStatement", "Customer", code, "200101", "Customer")
    reference = _filters(root, {"Reference": "reference"})
    out = ET.Element("ARStatement")
    header = ET.SubElement(out, "Header")
    X.add(header, "Customer", customer.code)
    X.add(header, "CustomerName", customer.name)
    X.add(header, "Currency", customer.currency)
    X.add(header, "CreditLimit", _money(customer.credit_limit))
    X.add(header, "CustomerOnHold", "Y" if customer.on_hold else "N")
    for invoice in ArInvoice.objects.filter(reference, customer=customer).order_by(
        "pk"
    ):
        node = ET.SubElement(out, "InvoiceDetail")
        X.add(node, "Invoice", invoice.invoice)
        X.add(node, "DocumentType", invoice.transaction_type)
        X.add(node, "InvoiceDate", invoice.invoice_date.isoformat())
        X.add(node, "Reference", invoice.reference)
        X.add(node, "InvoiceValue", _money(invoice.invoice_value))
        X.add(node, "InvoiceBalance", _money(invoice.balance))
        X.add(node, "Journal", invoice.journal)
    for payment in ArPayment.objects.filter(reference, customer=customer).order_by(
        "pk"
    ):
        node = ET.SubElement(out, "PayDetail")
        X.add(node, "TrnType", "P")
        X.add(node, "Reference", payment.reference)
        X.add(node, "PaymentDate", payment.payment_date.isoformat())
        X.add(node, "PaymentValue", _money(payment.payment_value))
        X.add(node, "UnappliedValue", _money(payment.unapplied_value))
        X.add(node, "Bank", payment.bank)
        X.add(node, "SalesOrder", payment.sales_order)
        X.add(node, "Journal", payment.journal)
        for applied in payment.applied:
            X.add(node, "Invoice", applied["invoice"])
    for adjustment in ArAdjustment.objects.filter(
        reference, customer=customer
    ).order_by("pk"):
        node = ET.SubElement(out, "PayDetail")
        X.add(node, "TrnType", "A")
        X.add(node, "Reference", adjustment.reference)
        X.add(node, "TransactionType", adjustment.transaction_type)
        X.add(node, "Invoice", adjustment.invoice)
        X.add(node, "AdjustmentValue", _money(adjustment.adjustment_value))
        X.add(node, "Bank", adjustment.bank)
        X.add(node, "Journal", adjustment.journal)
    return X.to_text(out)


def stock_item_query(root: ET.Element) -> str:
    """INVQRY: a stock item with its warehouses."""
    code = _key(root, "StockCode")
    item = StockItem.objects.filter(stock_code=code).first()
    if item is None:
        return _not_found("InvQuery", "StockCode", code, "200201", "Stock code")
    out = ET.Element("InvQuery")
    node = ET.SubElement(out, "StockItem")
    X.add(node, "StockCode", item.stock_code)
    X.add(node, "Description", item.description)
    X.add(node, "StockUom", item.stock_uom)
    X.add(node, "SellingPrice", _money(item.selling_price))
    for stock in WarehouseItem.objects.filter(stock_item=item).select_related(
        "warehouse"
    ):
        warehouse = ET.SubElement(out, "WarehouseItem")
        X.add(warehouse, "Warehouse", stock.warehouse.code)
        X.add(warehouse, "Description", stock.warehouse.description)
        X.add(warehouse, "QtyOnHand", f"{stock.qty_on_hand.normalize():f}")
    return X.to_text(out)


def contract_price_query(root: ET.Element) -> str:
    """SORQCP: a customer's contract prices (all, or one StockCode)."""
    code = _key(root, "Customer")
    customer = Customer.objects.filter(code=code).first()
    if customer is None:
        return _not_found(
            "SorQueryContractPrice", "Customer", code, "200101", "Customer"
        )
    prices: QuerySet[ContractPrice] = ContractPrice.objects.filter(
        customer=customer
    ).select_related("stock_item")
    stock_code = _key(root, "StockCode")
    if stock_code:
        prices = prices.filter(stock_item__stock_code=stock_code)
    out = ET.Element("SorQueryContractPrice")
    X.add(out, "Customer", customer.code)
    for price in prices.order_by("stock_item__stock_code"):
        node = ET.SubElement(out, "ContractPrice")
        X.add(node, "StockCode", price.stock_item.stock_code)
        X.add(node, "Description", price.stock_item.description)
        X.add(node, "ListPrice", _money(price.stock_item.selling_price))
        X.add(node, "Price", _money(price.price))
    return X.to_text(out)


def price_list_query(root: ET.Element) -> str:
    """INVQPL: selling prices of all (or one) stock items."""
    items = StockItem.objects.order_by("stock_code")
    stock_code = _key(root, "StockCode")
    if stock_code:
        items = items.filter(stock_code=stock_code)
    out = ET.Element("InvQueryPriceList")
    for item in items:
        node = ET.SubElement(out, "StockItem")
        X.add(node, "StockCode", item.stock_code)
        X.add(node, "Description", item.description)
        X.add(node, "PriceCode", "A")
        X.add(node, "SellingPrice", _money(item.selling_price))
        X.add(node, "PriceUom", item.stock_uom)
    return X.to_text(out)


def _journal_node(parent: ET.Element, journal: GlJournal) -> None:
    node = ET.SubElement(parent, "Journal")
    X.add(node, "GlYear", journal.gl_year)
    X.add(node, "GlPeriod", journal.gl_period)
    X.add(node, "GlJournal", journal.gl_journal)
    X.add(node, "JournalType", journal.journal_type)
    X.add(node, "JournalDate", journal.journal_date.isoformat())
    X.add(node, "JournalReference", journal.journal_reference)
    X.add(node, "Notation", journal.notation)
    for line in journal.lines.all():
        detail = ET.SubElement(node, "JournalDetails")
        X.add(detail, "EntryNumber", line.entry_number)
        X.add(detail, "LedgerCode", line.ledger_code)
        X.add(detail, "Reference", line.reference)
        X.add(detail, "EntryAmount", _money(line.entry_amount))
        X.add(detail, "Comment", line.comment)


def journal_query(root: ET.Element) -> str:
    """GENQJD (sandbox stand-in): journals by JournalReference / year / period."""
    query = _filters(
        root,
        {
            "JournalReference": "journal_reference",
            "GlYear": "gl_year",
            "GlPeriod": "gl_period",
            "GlJournal": "gl_journal",
        },
    )
    reference = (root.findtext("Key/JournalReference") or "").strip()
    if reference:
        query &= Q(journal_reference=reference)
    out = ET.Element("GlJournalQuery")
    for journal in GlJournal.objects.filter(query).prefetch_related("lines"):
        _journal_node(out, journal)
    return X.to_text(out)


QUERIES: dict[str, Callable[[ET.Element], str]] = {
    "SORQRY": sales_order_query,
    "SORQSO": sales_order_list,
    "ARSQRY": customer_statement,
    "INVQRY": stock_item_query,
    "SORQCP": contract_price_query,
    "INVQPL": price_list_query,
    "GENQJD": journal_query,
}


def query_run(*, session: Session, business_object: str, xml_in: str) -> str:
    handler = QUERIES.get(business_object.upper())
    if handler is None:
        raise EnetException(
            "100000",
            f"Business object '{business_object}' is not licensed or does not exist "
            "for this method",
        )
    try:
        root = X.parse(xml_in, name="XmlIn", roots=("Query",))
    except X.XmlInError as exc:
        raise EnetException("100050", str(exc)) from None
    return handler(root)


# --- _state -----------------------------------------------------------------


def _amount(value: Decimal) -> str:
    return X.money_text(value)


def _rows(items: Iterable[Any], render: Callable[[Any], dict]) -> list[dict]:
    return [render(item) for item in items]


def sandbox_state() -> dict[str, Any]:
    """Every document in the sandbox, for tests, demos and benchmarks."""
    return {
        "customers": _rows(
            Customer.objects.order_by("code"),
            lambda c: {
                "code": c.code,
                "name": c.name,
                "short_name": c.short_name,
                "currency": c.currency,
                "terms_code": c.terms_code,
                "credit_limit": _amount(c.credit_limit),
                "email": c.email,
                "telephone": c.telephone,
                "on_hold": c.on_hold,
                "addresses": c.addresses,
                "seeded": c.seeded,
            },
        ),
        "sales_orders": _rows(
            SalesOrder.objects.select_related("customer")
            .prefetch_related("lines")
            .order_by("pk"),
            lambda o: {
                "sales_order": o.sales_order,
                "customer": o.customer.code,
                "reference": o.customer_po_number,
                "customer_po_number": o.customer_po_number,
                "order_date": o.order_date.isoformat(),
                "currency": o.currency,
                "warehouse": o.warehouse,
                "order_value": _amount(_order_value(o)),
                "lines": [
                    {
                        "line": line.line,
                        "line_type": line.get_line_type_display(),
                        "stock_code": line.stock_code,
                        "warehouse": line.warehouse,
                        "order_qty": f"{line.order_qty.normalize():f}",
                        "price": _amount(line.price),
                        "value": _amount(line.value),
                        "description": line.description,
                    }
                    for line in o.lines.all()
                ],
            },
        ),
        "invoices": _invoices(("I", "D")),
        "credit_notes": _invoices(("C",)),
        "payments": _rows(
            ArPayment.objects.select_related("customer").order_by("pk"),
            lambda p: {
                "customer": p.customer.code,
                "reference": p.reference,
                "payment_value": _amount(p.payment_value),
                "unapplied_value": _amount(p.unapplied_value),
                "payment_date": p.payment_date.isoformat(),
                "bank": p.bank,
                "payment_type": p.payment_type,
                "sales_order": p.sales_order,
                "applied": p.applied,
                "journal": p.journal,
            },
        ),
        "adjustments": _rows(
            ArAdjustment.objects.select_related("customer").order_by("pk"),
            lambda a: {
                "customer": a.customer.code,
                "reference": a.reference,
                "transaction_type": a.transaction_type,
                "invoice": a.invoice,
                "adjustment_value": _amount(a.adjustment_value),
                "bank": a.bank,
                "journal": a.journal,
            },
        ),
        "journals": _rows(
            GlJournal.objects.prefetch_related("lines").order_by("pk"),
            lambda j: {
                "gl_year": j.gl_year,
                "gl_period": j.gl_period,
                "gl_journal": j.gl_journal,
                "reference": j.journal_reference,
                "journal_reference": j.journal_reference,
                "journal_date": j.journal_date.isoformat(),
                "notation": j.notation,
                "lines": [
                    {
                        "entry_number": line.entry_number,
                        "ledger_code": line.ledger_code,
                        "amount": _amount(line.entry_amount),
                        "reference": line.reference,
                        "comment": line.comment,
                    }
                    for line in j.lines.all()
                ],
            },
        ),
    }


def _invoices(kinds: tuple[str, ...]) -> list[dict]:
    return _rows(
        ArInvoice.objects.filter(transaction_type__in=kinds)
        .select_related("customer")
        .order_by("pk"),
        lambda i: {
            "invoice": i.invoice,
            "transaction_type": i.transaction_type,
            "customer": i.customer.code,
            "reference": i.reference,
            "invoice_date": i.invoice_date.isoformat(),
            "invoice_value": _amount(i.invoice_value),
            "tax_value": _amount(i.tax_value),
            "balance": _amount(i.balance),
            "journal": i.journal,
        },
    )
