"""Sage Pro sandbox writes: validate a JSON body, store the document, return it.

Errors are `SageError(status, code, message, field)`, rendered by the views as
`{"error": {"code", "message", "field"}}` (PROTOCOLS.md §2).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import F

from portal.money import exponent

from .models import (
    Account,
    Bank,
    CashReceipt,
    Counter,
    CreditMemo,
    Customer,
    Invoice,
    Item,
    JournalEntry,
    JournalLine,
    SalesOrder,
    SalesOrderLine,
)
from .seed import seed_master_data

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DECIMAL_RE = re.compile(r"^-?\d{1,15}(\.\d{1,6})?$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CENT = Decimal("0.01")
# Sage Pro's money amount columns (sotran extprice, somast ordamt, armast
# invamt, receipt, memo and journal amounts) hold 2 decimals: issue 16, item 7
# (the agent's table definitions); PROTOCOLS.md §2 names the columns. A KWD
# or BHD amount with a third decimal is refused, as the real column would
# not hold it; unit prices keep the currency's own decimals.
AMOUNT_PLACES = 2


class SageError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, Any]:
        return {
            "error": {"code": self.code, "message": self.message, "field": self.field}
        }


def invalid(field: str, message: str, code: str = "invalid") -> SageError:
    return SageError(400, code, message, field)


class Body:
    """Typed reads from a JSON object; the first bad field raises SageError 400."""

    def __init__(self, data: Any, *, prefix: str = "") -> None:
        if not isinstance(data, dict):
            raise invalid(prefix.rstrip("."), "expected a JSON object")
        self.data = data
        self.prefix = prefix

    def name(self, field: str) -> str:
        return f"{self.prefix}{field}"

    def has(self, field: str) -> bool:
        return field in self.data and self.data[field] is not None

    def text(self, field: str, *, max_len: int, required: bool = False) -> str:
        value = self.data.get(field)
        if value is None:
            value = ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise invalid(self.name(field), f"{self.name(field)} must be a string")
        value = value.strip()
        if required and not value:
            raise invalid(
                self.name(field), f"{self.name(field)} is required", "required"
            )
        if len(value) > max_len:
            raise invalid(
                self.name(field),
                f"{self.name(field)} may be at most {max_len} characters",
            )
        return value

    def decimal(
        self,
        field: str,
        *,
        required: bool = False,
        currency: str = "",
        minimum: Decimal | None = None,
        positive: bool = False,
        nonzero: bool = False,
        default: Decimal | None = None,
        places: int | None = None,
    ) -> Decimal | None:
        """A decimal field; `currency` limits it to the currency's decimals and
        `places` to the column's, whichever is fewer."""
        raw = self.data.get(field)
        if raw is None or raw == "":
            if required:
                raise invalid(
                    self.name(field), f"{self.name(field)} is required", "required"
                )
            return default
        if isinstance(raw, float):
            # JSON floats lose cents; amounts must travel as decimal strings.
            raw = repr(raw)
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            raise invalid(self.name(field), f"{self.name(field)} must be a decimal")
        text = str(raw).strip()
        if not DECIMAL_RE.match(text):
            raise invalid(self.name(field), f"{self.name(field)} must be a decimal")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise invalid(
                self.name(field), f"{self.name(field)} must be a decimal"
            ) from None
        if currency:
            allowed = exponent(currency)
            if places is not None and places < allowed:
                allowed = places
                reason = f"Sage Pro's {field} column holds {places}"
            else:
                reason = f"{currency} has {allowed}"
            if value != value.quantize(Decimal(1).scaleb(-allowed)):
                raise invalid(
                    self.name(field),
                    f"{self.name(field)} has more than {allowed} decimals ({reason})",
                )
        if positive and value <= 0:
            raise invalid(self.name(field), f"{self.name(field)} must be positive")
        if nonzero and value == 0:
            raise invalid(self.name(field), f"{self.name(field)} may not be zero")
        if minimum is not None and value < minimum:
            raise invalid(
                self.name(field), f"{self.name(field)} may not be less than {minimum}"
            )
        return value

    def date(self, field: str, *, required: bool = True) -> dt.date | None:
        raw = self.text(field, max_len=10, required=required)
        if not raw:
            return None
        try:
            if not DATE_RE.match(raw):
                raise ValueError
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise invalid(
                self.name(field), f"{self.name(field)} must be a date YYYY-MM-DD"
            ) from None

    def currency(self, field: str, *, customer: Customer | None) -> str:
        value = self.text(field, max_len=3).upper()
        if value and (len(value) != 3 or not value.isalpha()):
            raise invalid(self.name(field), f"{self.name(field)} must be 3 letters")
        if customer is not None:
            if value and value != customer.currid:
                raise invalid(
                    self.name(field),
                    f"currency {value} differs from customer {customer.custno}'s "
                    f"{customer.currid}",
                )
            return customer.currid
        return value or "USD"

    def customer(self, field: str = "custno") -> Customer:
        custno = self.text(field, max_len=10, required=True)
        customer = Customer.objects.filter(custno=custno).first()
        if customer is None:
            raise invalid(
                self.name(field),
                f"customer {custno} does not exist",
                "unknown_customer",
            )
        return customer


def _next_number(name: str) -> int:
    with transaction.atomic():
        counter, _ = Counter.objects.select_for_update().get_or_create(name=name)
        counter.value += 1
        counter.save(update_fields=["value"])
        return counter.value


def _duplicate(field: str, message: str) -> SageError:
    return SageError(409, "duplicate", message, field)


# --- customers ---------------------------------------------------------------

CUSTOMER_TEXT = {
    "company": 40,
    "contact": 30,
    "address1": 40,
    "address2": 40,
    "city": 20,
    "addrstate": 10,
    "zip": 10,
    "country": 20,
    "phone": 20,
    "email": 50,
    "pterms": 20,
    "credstat": 1,
}


def _customer_changes(body: Body, *, creating: bool) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for field, length in CUSTOMER_TEXT.items():
        if creating or body.has(field):
            changes[field] = body.text(
                field, max_len=length, required=creating and field == "company"
            )
    if changes.get("email") and not EMAIL_RE.match(changes["email"]):
        raise invalid("email", "email is not an email address")
    if creating or body.has("credlimit"):
        changes["credlimit"] = body.decimal(
            "credlimit", minimum=Decimal(0), default=Decimal(0)
        )
    if creating or body.has("currid"):
        changes["currid"] = body.currency("currid", customer=None)
    return changes


@transaction.atomic
def customer_create(*, data: Any) -> Customer:
    body = Body(data)
    custno = body.text("custno", max_len=10, required=True)
    changes = _customer_changes(body, creating=True)
    if Customer.objects.filter(custno=custno).exists():
        raise _duplicate("custno", f"customer {custno} already exists")
    return Customer.objects.create(custno=custno, **changes)


@transaction.atomic
def customer_update(*, custno: str, data: Any) -> Customer:
    customer = Customer.objects.select_for_update().filter(custno=custno).first()
    if customer is None:
        raise SageError(404, "not_found", f"customer {custno} not found")
    body = Body(data)
    if body.has("custno") and body.text("custno", max_len=10) != custno:
        raise invalid("custno", "custno cannot be changed")
    for field, value in _customer_changes(body, creating=False).items():
        setattr(customer, field, value)
    customer.save()
    return customer


# --- sales orders and invoices ------------------------------------------------


def _lines(body: Body, *, currency: str, required: bool) -> list[dict[str, Any]]:
    raw = body.data.get("lines")
    if raw is None and not required:
        return []
    if not isinstance(raw, list) or (required and not raw):
        raise invalid("lines", "lines must be a non-empty list", "required")
    lines = []
    for index, entry in enumerate(raw):
        line = Body(entry, prefix=f"lines[{index}].")
        code = line.text("item", max_len=20)
        item = Item.objects.filter(item=code).first() if code else None
        if code and item is None:
            raise invalid(
                line.name("item"), f"item {code} does not exist", "unknown_item"
            )
        descrip = line.text("descrip", max_len=50, required=item is None)
        qtyord = line.decimal("qtyord", required=True, positive=True)
        price = line.decimal("price", required=item is None, currency=currency)
        if price is None:
            price = item.price
        if price < 0:
            raise invalid(line.name("price"), "price may not be negative")
        disc = line.decimal("disc", minimum=Decimal(0), default=Decimal(0))
        if disc > 100:
            raise invalid(line.name("disc"), "disc is a percentage from 0 to 100")
        expected = (qtyord * price * (1 - disc / 100)).quantize(CENT, ROUND_HALF_UP)
        extprice = line.decimal("extprice", currency=currency, places=AMOUNT_PLACES)
        if extprice is not None and extprice != expected:
            raise invalid(
                line.name("extprice"),
                f"extprice {extprice} should be {expected} "
                "(qtyord x price x (1 - disc/100), rounded to 2 places)",
            )
        lines.append(
            {
                "item": code,
                "descrip": descrip or item.descrip,
                "qtyord": qtyord,
                "price": price,
                "disc": disc,
                "extprice": expected,
            }
        )
    return lines


def _check_total(body: Body, field: str, total: Decimal, *, currency: str) -> Decimal:
    given = body.decimal(field, currency=currency, places=AMOUNT_PLACES)
    if given is not None and given != total:
        raise invalid(field, f"{field} {given} differs from the lines' total {total}")
    return total


def salesorder_create(*, data: Any) -> SalesOrder:
    body = Body(data)
    if body.text("sono", max_len=10):
        raise invalid("sono", "sono is assigned by Sage Pro; leave it empty")
    customer = body.customer()
    currency = body.currency("currid", customer=customer)
    ordate = body.date("ordate")
    ponum = body.text("ponum", max_len=40)
    sostat = body.text("sostat", max_len=1)
    lines = _lines(body, currency=currency, required=True)
    ordamt = _check_total(
        body,
        "ordamt",
        sum((line["extprice"] for line in lines), Decimal(0)),
        currency=currency,
    )
    try:
        with transaction.atomic():
            if (
                ponum
                and SalesOrder.objects.filter(customer=customer, ponum=ponum).exists()
            ):
                raise IntegrityError
            order = SalesOrder.objects.create(
                sono=f"{_next_number('sono'):07d}",
                customer=customer,
                ordate=ordate,
                ponum=ponum,
                ordamt=ordamt,
                currid=currency,
                sostat=sostat,
            )
            SalesOrderLine.objects.bulk_create(
                SalesOrderLine(order=order, lineno=number, **line)
                for number, line in enumerate(lines, start=1)
            )
    except IntegrityError:
        raise _duplicate(
            "ponum", f"ponum {ponum} already exists for customer {customer.custno}"
        ) from None
    return order


def invoice_create(*, data: Any) -> Invoice:
    body = Body(data)
    invno = body.text("invno", max_len=10)
    customer = body.customer()
    currency = body.currency("currid", customer=customer)
    invdte = body.date("invdte")
    ponum = body.text("ponum", max_len=40)
    lines = _lines(body, currency=currency, required=False)
    if lines:
        invamt = _check_total(
            body,
            "invamt",
            sum((line["extprice"] for line in lines), Decimal(0)),
            currency=currency,
        )
    else:
        invamt = body.decimal(
            "invamt",
            required=True,
            currency=currency,
            positive=True,
            places=AMOUNT_PLACES,
        )
    try:
        with transaction.atomic():
            if invno and Invoice.objects.filter(invno=invno).exists():
                raise _duplicate("invno", f"invoice {invno} already exists")
            if (
                ponum
                and Invoice.objects.filter(customer=customer, ponum=ponum).exists()
            ):
                raise IntegrityError
            invoice = Invoice.objects.create(
                invno=invno or f"{_next_number('invno'):07d}",
                customer=customer,
                invdte=invdte,
                ponum=ponum,
                invamt=invamt,
                balance=invamt,
                arstat="",
                currid=currency,
                lines=[
                    {key: str(value) for key, value in line.items()} for line in lines
                ],
            )
            Customer.objects.filter(pk=customer.pk).update(
                balance=F("balance") + invamt
            )
    except IntegrityError:
        raise _duplicate(
            "ponum", f"ponum {ponum} already exists for customer {customer.custno}"
        ) from None
    return invoice


# --- cash receipts, credit memos, adjustments --------------------------------


def _reference(body: Body) -> str:
    return body.text("reference", max_len=60, required=True)


def _bank(body: Body) -> str:
    code = body.text("bank", max_len=10, required=True)
    if not Bank.objects.filter(code=code).exists():
        raise invalid("bank", f"bank {code} does not exist", "unknown_bank")
    return code


def _unique_reference(model: type, reference: str, what: str) -> None:
    if model.objects.filter(reference=reference).exists():
        raise _duplicate("reference", f"{what} with reference {reference} exists")


def cashreceipt_create(*, data: Any) -> CashReceipt:
    body = Body(data)
    customer = body.customer()
    currency = body.currency("currid", customer=customer)
    reference = _reference(body)
    amount = body.decimal(
        "amount",
        required=True,
        currency=currency,
        positive=True,
        places=AMOUNT_PLACES,
    )
    date = body.date("date")
    bank = _bank(body)
    invno = body.text("invno", max_len=10)
    sono = body.text("sono", max_len=10)
    if sono and not SalesOrder.objects.filter(sono=sono, customer=customer).exists():
        raise invalid("sono", f"sales order {sono} not found for {customer.custno}")
    try:
        with transaction.atomic():
            _unique_reference(CashReceipt, reference, "a cash receipt")
            if invno:
                invoice = (
                    Invoice.objects.select_for_update()
                    .filter(invno=invno, customer=customer)
                    .first()
                )
                if invoice is None:
                    raise invalid(
                        "invno", f"invoice {invno} not found for {customer.custno}"
                    )
                if amount > invoice.balance:
                    raise invalid(
                        "amount",
                        f"amount {amount} exceeds invoice {invno}'s balance "
                        f"{invoice.balance}",
                    )
                invoice.paidamt += amount
                invoice.balance -= amount
                invoice.arstat = "P" if invoice.balance == 0 else ""
                invoice.save(update_fields=["paidamt", "balance", "arstat"])
            receipt = CashReceipt.objects.create(
                customer=customer,
                invno=invno,
                sono=sono,
                reference=reference,
                amount=amount,
                date=date,
                bank=bank,
                currid=currency,
            )
            Customer.objects.filter(pk=customer.pk).update(
                balance=F("balance") - amount
            )
    except IntegrityError:
        # Two processes raced past the lookup: the unique index decided.
        raise _duplicate(
            "reference", f"a cash receipt with reference {reference} exists"
        ) from None
    return receipt


def creditmemo_create(*, data: Any) -> CreditMemo:
    body = Body(data)
    kind = body.text("type", max_len=12) or CreditMemo.Type.CREDIT_MEMO
    if kind not in CreditMemo.Type.values:
        raise invalid(
            "type", f"type must be one of {', '.join(CreditMemo.Type.values)}"
        )
    customer = body.customer()
    currency = body.currency("currid", customer=customer)
    reference = _reference(body)
    if kind == CreditMemo.Type.ADJUSTMENT:
        # Signed: negative debits the customer, positive credits them.
        amount = body.decimal(
            "amount",
            required=True,
            currency=currency,
            nonzero=True,
            places=AMOUNT_PLACES,
        )
    else:
        amount = body.decimal(
            "amount",
            required=True,
            currency=currency,
            positive=True,
            places=AMOUNT_PLACES,
        )
    date = body.date("date")
    reason = body.text("reason", max_len=60)
    invno = body.text("invno", max_len=10)
    invoice = None
    if invno:
        invoice = Invoice.objects.filter(invno=invno, customer=customer).first()
        if (
            invoice is None
            and not SalesOrder.objects.filter(sono=invno, customer=customer).exists()
        ):
            raise invalid(
                "invno",
                f"no invoice or sales order {invno} for customer {customer.custno}",
            )
    try:
        with transaction.atomic():
            _unique_reference(CreditMemo, reference, "a credit memo")
            memo = CreditMemo.objects.create(
                type=kind,
                customer=customer,
                invno=invno,
                reference=reference,
                amount=amount,
                date=date,
                reason=reason,
                currid=currency,
            )
            if invoice is not None:
                Invoice.objects.filter(pk=invoice.pk).update(
                    balance=F("balance") - amount
                )
            Customer.objects.filter(pk=customer.pk).update(
                balance=F("balance") - amount
            )
    except IntegrityError:
        raise _duplicate(
            "reference", f"a credit memo with reference {reference} exists"
        ) from None
    return memo


# --- journal entries ------------------------------------------------------------


def journalentry_create(*, data: Any) -> JournalEntry:
    body = Body(data)
    date = body.date("date")
    reference = _reference(body)
    descrip = body.text("descrip", max_len=100)
    currency = body.currency("currid", customer=None)
    raw = body.data.get("lines")
    if not isinstance(raw, list) or len(raw) < 2:
        raise invalid(
            "lines", "a journal needs a list of at least two lines", "required"
        )
    lines = []
    debits = credits = Decimal(0)
    for index, entry in enumerate(raw):
        line = Body(entry, prefix=f"lines[{index}].")
        account = line.text("account", max_len=20, required=True)
        if not Account.objects.filter(account=account).exists():
            raise invalid(
                line.name("account"),
                f"account {account} does not exist",
                "unknown_account",
            )
        debit = line.decimal(
            "debit", currency=currency, minimum=Decimal(0), places=AMOUNT_PLACES
        ) or Decimal(0)
        credit = line.decimal(
            "credit", currency=currency, minimum=Decimal(0), places=AMOUNT_PLACES
        ) or Decimal(0)
        if (debit == 0) == (credit == 0):
            raise invalid(
                line.name("debit"), "each line needs either a debit or a credit amount"
            )
        debits += debit
        credits += credit
        lines.append(
            {
                "account": account,
                "debit": debit,
                "credit": credit,
                "descrip": line.text("descrip", max_len=100),
            }
        )
    if debits != credits:
        raise SageError(
            400,
            "unbalanced",
            f"journal does not balance: debits {debits} != credits {credits}",
            "lines",
        )
    try:
        with transaction.atomic():
            _unique_reference(JournalEntry, reference, "a journal entry")
            journal = JournalEntry.objects.create(
                date=date, reference=reference, descrip=descrip, currid=currency
            )
            JournalLine.objects.bulk_create(
                JournalLine(entry=journal, lineno=number, **line)
                for number, line in enumerate(lines, start=1)
            )
    except IntegrityError:
        raise _duplicate(
            "reference", f"a journal entry with reference {reference} exists"
        ) from None
    return journal


# --- reset ---------------------------------------------------------------------


@transaction.atomic
def sandbox_reset() -> None:
    """Wipe documents; restore the seeded master data. Counters keep counting."""
    for model in (
        JournalLine,
        JournalEntry,
        CreditMemo,
        CashReceipt,
        Invoice,
        SalesOrderLine,
        SalesOrder,
    ):
        model.objects.all().delete()
    Customer.objects.filter(seeded=False).delete()
    seed_master_data(lambda name: apps.get_model("sandbox_sagepro", name))
