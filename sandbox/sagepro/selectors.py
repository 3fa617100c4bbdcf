"""Sage Pro sandbox reads: JSON shapes of each table, list filters, `_state`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet

from .models import (
    CashReceipt,
    CreditMemo,
    Customer,
    Invoice,
    JournalEntry,
    SalesOrder,
)


def money(value: Decimal) -> str:
    """At least two places, no exponent: '19.99', '500.00', '1.234'."""
    value = Decimal(value)  # unsaved defaults may still be ints
    two = value.quantize(Decimal("0.01"))
    return f"{two if two == value else value.normalize():f}"


def customer_data(customer: Customer) -> dict[str, Any]:
    return {
        "custno": customer.custno,
        "company": customer.company,
        "contact": customer.contact,
        "address1": customer.address1,
        "address2": customer.address2,
        "city": customer.city,
        "addrstate": customer.addrstate,
        "zip": customer.zip,
        "country": customer.country,
        "phone": customer.phone,
        "email": customer.email,
        "pterms": customer.pterms,
        "credlimit": money(customer.credlimit),
        "balance": money(customer.balance),
        "credstat": customer.credstat,
        "currid": customer.currid,
    }


def salesorder_data(order: SalesOrder) -> dict[str, Any]:
    return {
        "sono": order.sono,
        "custno": order.customer.custno,
        "ordate": order.ordate.isoformat(),
        "ponum": order.ponum,
        "ordamt": money(order.ordamt),
        "currid": order.currid,
        "sostat": order.sostat,
        "lines": [
            {
                "lineno": line.lineno,
                "item": line.item,
                "descrip": line.descrip,
                "qtyord": f"{line.qtyord.normalize():f}",
                "price": money(line.price),
                "disc": f"{line.disc.normalize():f}",
                "extprice": money(line.extprice),
            }
            for line in order.lines.all()
        ],
    }


def invoice_data(invoice: Invoice) -> dict[str, Any]:
    return {
        "invno": invoice.invno,
        "custno": invoice.customer.custno,
        "invdte": invoice.invdte.isoformat(),
        "ponum": invoice.ponum,
        "invamt": money(invoice.invamt),
        "paidamt": money(invoice.paidamt),
        "balance": money(invoice.balance),
        "arstat": invoice.arstat,
        "currid": invoice.currid,
        "lines": invoice.lines,
    }


def cashreceipt_data(receipt: CashReceipt) -> dict[str, Any]:
    return {
        "id": receipt.pk,
        "custno": receipt.customer.custno,
        "invno": receipt.invno,
        "sono": receipt.sono,
        "reference": receipt.reference,
        "amount": money(receipt.amount),
        "date": receipt.date.isoformat(),
        "bank": receipt.bank,
        "currid": receipt.currid,
    }


def creditmemo_data(memo: CreditMemo) -> dict[str, Any]:
    return {
        "id": memo.pk,
        "type": memo.type,
        "custno": memo.customer.custno,
        "invno": memo.invno,
        "reference": memo.reference,
        "amount": money(memo.amount),
        "date": memo.date.isoformat(),
        "reason": memo.reason,
        "currid": memo.currid,
    }


def journalentry_data(journal: JournalEntry) -> dict[str, Any]:
    return {
        "id": journal.pk,
        "date": journal.date.isoformat(),
        "reference": journal.reference,
        "descrip": journal.descrip,
        "currid": journal.currid,
        "lines": [
            {
                "lineno": line.lineno,
                "account": line.account,
                "debit": money(line.debit),
                "credit": money(line.credit),
                # Signed like a ledger: debit positive, credit negative.
                "amount": money(line.debit - line.credit),
                "descrip": line.descrip,
            }
            for line in journal.lines.all()
        ],
    }


# resource name → (queryset, serializer, lookup field, allowed list filters)
RESOURCES: dict[str, tuple[QuerySet, Any, str, dict[str, str]]] = {
    "customers": (
        Customer.objects.all(),
        customer_data,
        "custno",
        {"custno": "custno", "email": "email"},
    ),
    "salesorders": (
        SalesOrder.objects.select_related("customer").prefetch_related("lines"),
        salesorder_data,
        "sono",
        {"custno": "customer__custno", "ponum": "ponum", "sono": "sono"},
    ),
    "invoices": (
        Invoice.objects.select_related("customer"),
        invoice_data,
        "invno",
        {"custno": "customer__custno", "ponum": "ponum", "invno": "invno"},
    ),
    "cashreceipts": (
        CashReceipt.objects.select_related("customer"),
        cashreceipt_data,
        "pk",
        {
            "custno": "customer__custno",
            "reference": "reference",
            "invno": "invno",
            "sono": "sono",
        },
    ),
    "creditmemos": (
        CreditMemo.objects.select_related("customer"),
        creditmemo_data,
        "pk",
        {
            "custno": "customer__custno",
            "reference": "reference",
            "invno": "invno",
            "type": "type",
        },
    ),
    "journalentries": (
        JournalEntry.objects.prefetch_related("lines"),
        journalentry_data,
        "pk",
        {"reference": "reference"},
    ),
}


def resource_list(*, resource: str, filters: dict[str, str]) -> list[dict[str, Any]]:
    """Rows matching the filters; unknown filter names raise KeyError(name)."""
    queryset, serialize, _, allowed = RESOURCES[resource]
    lookups = {}
    for name, value in filters.items():
        if name not in allowed:
            raise KeyError(name)
        lookups[allowed[name]] = value
    return [serialize(row) for row in queryset.filter(**lookups).order_by("pk")]


def resource_get(*, resource: str, key: str) -> dict[str, Any] | None:
    queryset, serialize, field, _ = RESOURCES[resource]
    if field == "pk" and not key.isdigit():
        return None
    row: Model | None = queryset.filter(**{field: key}).first()
    return serialize(row) if row is not None else None


def sandbox_state() -> dict[str, Any]:
    """Every document in the sandbox, for tests, demos and benchmarks."""
    memos = CreditMemo.objects.select_related("customer").order_by("pk")
    return {
        "customers": resource_list(resource="customers", filters={}),
        "sales_orders": resource_list(resource="salesorders", filters={}),
        "invoices": resource_list(resource="invoices", filters={}),
        "payments": resource_list(resource="cashreceipts", filters={}),
        "credit_notes": [
            creditmemo_data(m) for m in memos if m.type == CreditMemo.Type.CREDIT_MEMO
        ],
        "adjustments": [
            creditmemo_data(m) for m in memos if m.type == CreditMemo.Type.ADJUSTMENT
        ],
        "journals": resource_list(resource="journalentries", filters={}),
    }
