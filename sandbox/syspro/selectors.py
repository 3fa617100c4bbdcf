"""SYSPRO e.net sandbox reads: Query/Query business objects and `_state`.

Only business objects SYSPRO has are answered (anything else is `e.net
exception 100000`), and each query document is checked against its shape
(shapes.py) first. There is no GENQJD: SYSPRO cannot find a GL journal by
reference.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - builds XML; parsing uses defusedxml
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from . import queries, shapes
from . import xmldoc as X
from .models import (
    ArAdjustment,
    ArInvoice,
    ArPayment,
    ContractPrice,
    Customer,
    CustomFormValue,
    GlJournal,
    SalesOrder,
    StockItem,
    WarehouseItem,
)
from .services import ADDRESS_TAGS, EnetException, Session, ledger_code_query


def _key(root: ET.Element, tag: str) -> str:
    for path in (f"Key/{tag}", f"Filter/{tag}", tag):
        node = root.find(path)
        if node is not None:
            value = (node.text or "").strip() or node.get("FilterValue", "").strip()
            if value:
                return value
    return ""


def _filter_value(root: ET.Element, tag: str) -> str:
    node = root.find(f"Filter/{tag}")
    if node is None or node.get("FilterType", "S").upper() == "A":
        return ""
    return node.get("FilterValue", "").strip()


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
            if kind == "A" or not lookup:
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


# SYSPRO's order statuses for a finished order: 9 complete, \\ cancelled.
COMPLETED_STATUS = "9"
CANCELLED_STATUS = "\\"


def _option(root: ET.Element, tag: str, default: str) -> str:
    return ((root.findtext(f"Option/{tag}") or "").strip() or default).upper()


def sales_order_list(root: ET.Element) -> str:
    """SORQSO: sales orders by Customer, CustomerPo, OrderDate, SalesOrder;
    completed and cancelled orders only when asked (both default to N,
    SalesOrdersPrimaryQuery/ListOfSalesOrders/SORQSO.vb)."""
    query = _filters(
        root,
        {
            "Customer": "customer__code",
            "CustomerPo": "customer_po_number",
            "OrderDate": "order_date",
            "SalesOrder": "sales_order",
            "OrderStatus": "order_status",
            "Salesperson": "",
            "Branch": "",
            "OrderType": "",
            "AlternateKey": "",
            "GeographicArea": "",
            "RequestedShipDate": "",
        },
    )
    hidden = []
    if _option(root, "IncludeCompletedOrders", "N") != "Y":
        hidden.append(COMPLETED_STATUS)
    if _option(root, "IncludeCancelledOrders", "N") != "Y":
        hidden.append(CANCELLED_STATUS)
    orders = (
        SalesOrder.objects.filter(query)
        .exclude(order_status__in=hidden)
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


def _trans_detail(parent: ET.Element, reference: str, value: Decimal, day) -> None:
    """One transaction of an AR invoice, the fields of ARSQRY's TransDetail
    (Common/Query/BusinessObjects/CustomerQuery/TransDetail.vb)."""
    node = ET.SubElement(parent, "TransDetail")
    X.add(node, "Reference", reference)
    X.add(node, "TrnValue", _money(value))
    X.add(node, "JournalDate", day.isoformat())


def customer_statement(root: ET.Element) -> str:
    """ARSQRY: the customer header and each AR invoice (InvoiceDetail, no
    reference of its own) with its transactions (TransDetail, which carry
    the references): the document itself, notes posted to it, payments and
    adjustments. Unapplied cash is a document of its own, numbered by its
    reference. Invoices with a zero balance only with IncludeZeroBalances=Y
    (default N, ARPrimaryQuery/CustomerQuery/ARSQRY.vb)."""
    code = _key(root, "Customer")
    # Which of its document tables hold anything for the customer, in the
    # same query: a new customer's statement then costs one query, not four.
    customer = (
        Customer.objects.filter(code=code)
        .annotate(
            has_documents=Exists(ArInvoice.objects.filter(customer=OuterRef("pk"))),
            has_payments=Exists(ArPayment.objects.filter(customer=OuterRef("pk"))),
            has_adjustments=Exists(
                ArAdjustment.objects.filter(customer=OuterRef("pk"))
            ),
        )
        .first()
    )
    if customer is None:
        return _not_found("ARStatement", "Customer", code, "200101", "Customer")
    with_transactions = _option(root, "IncludeTransactions", "Y") == "Y"
    zero_balances = _option(root, "IncludeZeroBalances", "N") == "Y"
    out = ET.Element("ARStatement")
    header = ET.SubElement(out, "Header")
    X.add(header, "Customer", customer.code)
    X.add(header, "CustomerName", customer.name)
    X.add(header, "Currency", customer.currency)
    X.add(header, "CreditLimit", _money(customer.credit_limit))
    X.add(header, "CustomerOnHold", "Y" if customer.on_hold else "N")
    # The header's contact, terms and address elements (Header.vb in
    # Zindaar/SYSPROIntegration, Common/Query/BusinessObjects/CustomerQuery).
    X.add(header, "TermsCode", customer.terms_code)
    X.add(header, "Telephone", customer.telephone)
    X.add(header, "Email", customer.email)
    for tag in ADDRESS_TAGS:
        X.add(header, tag, customer.addresses.get(tag, ""))
    documents = (
        list(ArInvoice.objects.filter(customer=customer).order_by("pk"))
        if customer.has_documents
        else []
    )
    notes: dict[str, list[ArInvoice]] = {}
    for document in documents:
        if document.posted_to:
            notes.setdefault(document.posted_to, []).append(document)
    payments = (
        list(ArPayment.objects.filter(customer=customer).order_by("pk"))
        if customer.has_payments
        else []
    )
    # Adjustments appear only as transactions of the invoice they adjust.
    adjustments = (
        list(ArAdjustment.objects.filter(customer=customer).order_by("pk"))
        if customer.has_adjustments and with_transactions
        else []
    )
    for invoice in documents:
        if invoice.posted_to or (invoice.balance == 0 and not zero_balances):
            continue
        node = ET.SubElement(out, "InvoiceDetail")
        X.add(node, "Invoice", invoice.invoice)
        X.add(node, "DocumentType", invoice.transaction_type)
        X.add(node, "InvoiceDate", invoice.invoice_date.isoformat())
        X.add(node, "InvoiceValue", _money(invoice.invoice_value))
        X.add(node, "InvoiceBalance", _money(invoice.balance))
        if not with_transactions:
            continue
        _trans_detail(
            node, invoice.reference, invoice.invoice_value, invoice.invoice_date
        )
        for note in notes.get(invoice.invoice, []):
            _trans_detail(node, note.reference, note.invoice_value, note.invoice_date)
        for payment in payments:
            for applied in payment.applied:
                if applied["invoice"] == invoice.invoice:
                    _trans_detail(
                        node,
                        payment.reference,
                        -Decimal(applied["value"]),
                        payment.payment_date,
                    )
        for adjustment in adjustments:
            if adjustment.invoice == invoice.invoice:
                _trans_detail(
                    node,
                    adjustment.reference,
                    -adjustment.adjustment_value,
                    adjustment.created_at.date(),
                )
    for payment in payments:
        if payment.unapplied_value == 0:
            continue
        node = ET.SubElement(out, "InvoiceDetail")
        X.add(node, "Invoice", payment.reference[:20])
        X.add(node, "DocumentType", "P")
        X.add(node, "InvoiceDate", payment.payment_date.isoformat())
        X.add(node, "InvoiceValue", _money(-payment.unapplied_value))
        X.add(node, "InvoiceBalance", _money(-payment.unapplied_value))
        if with_transactions:
            _trans_detail(
                node, payment.reference, -payment.unapplied_value, payment.payment_date
            )
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
    """SORQCP: a customer's contract prices (all, or one StockCode), asked
    with a Filter on Customer: it has no Key (PROTOCOLS.md section 1)."""
    code = _filter_value(root, "Customer")
    customer = Customer.objects.filter(code=code).first()
    if customer is None:
        return _not_found(
            "SorQueryContractPrice", "Customer", code, "200101", "Customer"
        )
    prices: QuerySet[ContractPrice] = ContractPrice.objects.filter(
        customer=customer
    ).select_related("stock_item")
    stock_code = _filter_value(root, "StockCode")
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


QUERIES: dict[str, Callable[[ET.Element], str]] = {
    "SORQRY": sales_order_query,
    "SORQSO": sales_order_list,
    "ARSQRY": customer_statement,
    "INVQRY": stock_item_query,
    "SORQCP": contract_price_query,
    "INVQPL": queries.price_list_query,
    "GENQGL": ledger_code_query,
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
        root, errors = shapes.document_violations(
            xml_in, shapes.QUERIES[business_object.upper()].xml_in, name="XmlIn"
        )
    except X.XmlInError as exc:
        raise EnetException("100050", str(exc)) from None
    if errors:
        out = ET.Element(business_object.upper())
        X.render_errors(out, errors)
        return X.to_text(out)
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
        "custom_forms": _rows(
            CustomFormValue.objects.order_by("form_type", "key_field", "field_name"),
            lambda v: {
                "form_type": v.form_type,
                "key_field": v.key_field,
                "field_name": v.field_name,
                "alpha_value": v.alpha_value,
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
        "invoices": _invoices(("I",)),
        "credit_notes": _invoices(("C",)),
        "debit_notes": _invoices(("D",)),
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
                "applied": p.applied,
                "journal": p.journal,
            },
        ),
        # Adjustments of an AR invoice (ARSTPY), and the debit notes that
        # stand for one where there was no invoice to adjust (ARSTIN, D).
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
        )
        + _invoices(("D",)),
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
            "posted_to": i.posted_to,
        },
    )
