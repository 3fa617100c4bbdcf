"""An in-memory ERP in the shape of an ERP package (integrations/erps/).

Fast tests plug it in instead of an HTTP sandbox: `installed()` puts an
`ErpPackage` into the registry under the fake's kind, with the real
package's schemas, templates and dialect (so mapping/ produces that ERP's
payloads) and this fake as its connector. The fake implements the
`ErpConnector` protocol with the canonical records, and keeps the contract
the real connectors keep: every write looks its Stripe `reference` up first
and adopts what it finds (`adopted=True`), so duplicates and retries never
make a second document. A write told `never_sent=True` skips the lookup, as
the real connectors do, so a ledger that says so wrongly makes a second
document here (kept in `duplicates`, counted by `created()`). It
understands both payload dialects (SYSPRO field names and Sage Pro field
names) so money totals can be checked per customer.

Faults can be scripted per operation:

- `fail_next(op, error)` raises `error` before the write (nothing stored);
- `crash_after_write(op, error)` stores the document and then raises, which
  is what a worker dying between the ERP's success and our commit looks like
  from the ledger's side.

Usage in a test::

    erp = FakeErp(kind="syspro")
    with erp.installed():            # its package is in the registry
        ...                          # connector_for(...) returns `erp`
"""

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from integrations.connectors.errors import (
    ConnectorError,
    DuplicateError,
    NotFoundError,
    TransientError,
    ValidationError,
)
from integrations.connectors.records import (
    ErpCustomer,
    ErpDocument,
    ErpOrder,
    ErpPrice,
    ErpStock,
)
from integrations.erps import registry
from integrations.erps.package import ErpPackage
from integrations.erps.registry import ERPS

SEED_CUSTOMERS = {
    "0000001": ("Bayside Bikes", "accounts@baysidebikes.example"),
    "0000002": ("Northwind Traders", "ap@northwind.example"),
    "0000003": ("Contoso Retail", "finance@contoso.example"),
}

# The payload field that carries each value, per ERP dialect.
_FIELDS = {
    "syspro": {
        "code": "Customer",
        "email": "Email",
        "name": "Name",
        "order_customer": "Customer",
        "payment_amount": "PaymentValue",
        "credit_amount": "InvoiceValue",
        "adjustment_amount": "AdjustmentValue",
        "invoice_amount": "InvoiceValue",
        "payment_invoice": "InvoiceToPay",
        "payment_order": "SalesOrder",
        "credit_invoice": "Invoice",
        "adjustment_invoice": "Invoice",
    },
    "sagepro": {
        "code": "custno",
        "email": "email",
        "name": "company",
        "order_customer": "custno",
        "payment_amount": "amount",
        "credit_amount": "amount",
        "adjustment_amount": "amount",
        "invoice_amount": "invamt",
        "payment_invoice": "invno",
        "payment_order": "sono",
        "credit_invoice": "invno",
        "adjustment_invoice": "invno",
    },
}

_PREFIX = {
    "create_sales_order": "SO",
    "post_payment": "PY",
    "post_credit_note": "CN",
    "post_adjustment": "AJ",
    "create_invoice": "IN",
    "post_journal": "GJ",
}


@dataclass
class FakeDocument:
    operation: str
    number: str
    reference: str
    payload: dict[str, Any]
    customer: str = ""
    amount: Decimal = Decimal(0)


@dataclass
class FakeErp:
    kind: str = "syspro"
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: dict[str, dict[str, FakeDocument]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    # Every call as (operation, reference, adopted) — for "created once" checks.
    calls: list[tuple[str, str, bool]] = field(default_factory=list)
    seed: bool = True
    # Subscription fields per customer code, and every write of them in order.
    subscription_fields: dict[str, Any] = field(default_factory=dict)
    subscription_writes: list[tuple[str, Any]] = field(default_factory=list)
    # Documents written a second time for one reference by a `never_sent` write.
    duplicates: list[FakeDocument] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in ERPS:
            raise ValueError(f"unknown ERP kind {self.kind!r}")
        # The real package of the kind: its payload dialect and code length.
        self._real: ErpPackage = ERPS[self.kind]
        self._failures: dict[str, list[ConnectorError | Exception]] = defaultdict(list)
        self._crashes: dict[str, list[Exception]] = defaultdict(list)
        self._counter = 0
        if self.seed:
            for code, (name, email) in SEED_CUSTOMERS.items():
                self.customers[code] = {
                    self._f("code"): code,
                    self._f("name"): name,
                    self._f("email"): email,
                }

    # -- scripting ---------------------------------------------------------

    def fail_next(self, operation: str, error: Exception | None = None) -> None:
        """Raise `error` on the next call of `operation`, before any write."""
        self._failures[operation].append(error or TransientError("ERP unavailable"))

    def crash_after_write(self, operation: str, error: Exception | None = None) -> None:
        """Store the next `operation` document, then raise as if the reply was lost."""
        self._crashes[operation].append(
            error or TransientError("connection reset after the ERP wrote")
        )

    @property
    def package(self) -> ErpPackage:
        """The real package of the kind with this fake as its connector."""
        return replace(self._real, connector=lambda connection: self)

    @contextmanager
    def installed(self) -> Iterator["FakeErp"]:
        """Register the fake's package: `connector_for()` returns this fake for
        connections of its kind."""
        previous = ERPS[self.kind]
        registry.close_all()
        ERPS[self.kind] = self.package
        try:
            yield self
        finally:
            registry.close_all()
            ERPS[self.kind] = previous

    # -- inspection --------------------------------------------------------

    def docs(self, operation: str) -> list[FakeDocument]:
        return list(self.documents[operation].values())

    def created(self, operation: str) -> int:
        """How many times `operation` actually created a document."""
        return sum(
            1 for op, _, adopted in self.calls if op == operation and not adopted
        )

    def document(self, operation: str, reference: str) -> FakeDocument | None:
        return self.documents[operation].get(reference)

    def totals_by_customer(self) -> dict[str, Decimal]:
        """Net money received per customer: payments − credits + adjustments."""
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for doc in self.docs("post_payment"):
            totals[doc.customer] += doc.amount
        for doc in self.docs("post_credit_note"):
            totals[doc.customer] -= doc.amount
        for doc in self.docs("post_adjustment"):
            totals[doc.customer] += doc.amount
        return dict(totals)

    def balances_by_customer(self) -> dict[str, Decimal]:
        """What each customer owes, as the ERP's receivables ledger says it:
        orders and invoices − payments − credit notes − adjustments (a
        positive adjustment credits the customer, a negative one is a debit:
        the sign the real connectors post, erps/syspro/connector.py
        `post_adjustment`)."""
        owed: dict[str, Decimal] = defaultdict(Decimal)
        for operation, sign in (
            ("create_sales_order", 1),
            ("create_invoice", 1),
            ("post_payment", -1),
            ("post_credit_note", -1),
            ("post_adjustment", -1),
        ):
            for doc in self.docs(operation):
                owed[doc.customer] += sign * doc.amount
        return dict(owed)

    # -- the ErpConnector protocol -----------------------------------------

    def upsert_customer(
        self,
        payload: dict,
        *,
        reference: str,
        looked_up: bool = False,
        create_only: bool = False,
    ) -> ErpDocument:
        self._before("upsert_customer")
        code = str(payload.get(self._f("code")) or "")
        if not code:
            raise ValidationError("customer code is required", field=self._f("code"))
        length = self._real.customer_code_length
        if len(code) > length:
            raise ValidationError(
                f"customer code longer than {length} characters",
                field=self._f("code"),
                value=code,
            )
        existed = code in self.customers
        if existed and create_only:
            # As the real ERPs refuse to add a code they hold (SYSPRO ARSSCS
            # Add, the agent's POST /customers: 409).
            raise DuplicateError(
                f"customer {code} exists", field=self._f("code"), value=code
            )
        merged = {**self.customers.get(code, {}), **payload}
        self.customers[code] = merged
        self.calls.append(("upsert_customer", reference, existed))
        self._after("upsert_customer")
        return ErpDocument(number=code, raw=dict(merged), adopted=existed)

    def find_customer(self, *, code: str = "", email: str = "") -> ErpCustomer | None:
        if code:
            found = self.customers.get(code)
            return self._real.customer_of_payload(found) if found else None
        if email:
            wanted = email.strip().lower()
            for row in self.customers.values():
                if str(row.get(self._f("email")) or "").strip().lower() == wanted:
                    return self._real.customer_of_payload(row)
        return None

    def create_sales_order(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        lines = payload.get("lines") or []
        total = sum((self._line_total(line) for line in lines), Decimal(0))
        return self._write("create_sales_order", payload, reference, total, never_sent)

    def post_payment(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        for key in ("payment_invoice", "payment_order"):
            target = str(payload.get(self._f(key)) or "")
            if target and not self._known_target(target):
                raise NotFoundError("document to pay not found", value=target)
        amount = Decimal(str(payload[self._f("payment_amount")]))
        return self._write("post_payment", payload, reference, amount, never_sent)

    def post_credit_note(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        amount = Decimal(str(payload[self._f("credit_amount")]))
        if amount <= 0:
            raise ValidationError(
                "credit note value must be positive", value=str(amount)
            )
        return self._write("post_credit_note", payload, reference, amount, never_sent)

    def post_adjustment(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        amount = Decimal(str(payload[self._f("adjustment_amount")]))
        return self._write("post_adjustment", payload, reference, amount, never_sent)

    def create_invoice(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        amount = Decimal(str(payload[self._f("invoice_amount")]))
        return self._write("create_invoice", payload, reference, amount, never_sent)

    def post_journal(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        balance = self._real.journal_difference(payload)
        if balance != 0:
            raise ValidationError("journal does not balance", value=str(balance))
        return self._write("post_journal", payload, reference, Decimal(0), never_sent)

    def customer_subscription_write(
        self, state: Any, *, customer_code: str, fields: Any
    ) -> ErpDocument:
        """Keeps the last state written per customer (in `subscription_fields`)
        and every write in `subscription_writes`."""
        self._before("update_subscription")
        if customer_code not in self.customers:
            raise NotFoundError("customer not found", value=customer_code)
        self.subscription_writes.append((customer_code, state))
        self.subscription_fields[customer_code] = state
        self.calls.append(("update_subscription", state.stripe_id, False))
        self._after("update_subscription")
        return ErpDocument(number=customer_code, raw={"written": state.stripe_id})

    def customer_prices(self, customer_code: str) -> list[ErpPrice]:
        return []

    def customer_orders(self, customer_code: str) -> list[ErpOrder]:
        return [
            ErpOrder(
                number=doc.number,
                customer_code=doc.customer,
                reference=doc.reference,
                total=doc.amount,
            )
            for doc in self.docs("create_sales_order")
            if doc.customer == customer_code
        ]

    def stock(self, stock_code: str) -> ErpStock:
        raise NotFoundError("stock item not found", value=stock_code)

    def close(self) -> None:
        """Nothing to release; the fake survives `registry.close_all()`."""

    # -- internals ---------------------------------------------------------

    def _f(self, name: str) -> str:
        return _FIELDS[self.kind][name]

    def _before(self, operation: str) -> None:
        pending = self._failures.get(operation)
        if pending:
            raise pending.pop(0)

    def _after(self, operation: str) -> None:
        pending = self._crashes.get(operation)
        if pending:
            raise pending.pop(0)

    def _known_target(self, number: str) -> bool:
        return any(
            doc.number == number
            for op in ("create_sales_order", "create_invoice")
            for doc in self.documents[op].values()
        )

    def _line_total(self, line: dict) -> Decimal:
        if self.kind == "sagepro":
            return Decimal(str(line.get("extprice") or 0))
        if line.get("LineType") == "misc":
            return Decimal(str(line.get("MiscChargeValue") or 0))
        return Decimal(str(line.get("OrderQty") or 0)) * Decimal(
            str(line.get("Price") or 0)
        )

    def _write(
        self,
        operation: str,
        payload: dict,
        reference: str,
        amount: Decimal,
        never_sent: bool = False,
    ) -> ErpDocument:
        if not reference:
            raise ValidationError("a Stripe reference is required")
        self._before(operation)
        store = self.documents[operation]
        existing = store.get(reference)
        if existing is not None and not never_sent:
            self.calls.append((operation, reference, True))
            return ErpDocument(
                number=existing.number, raw=dict(existing.payload), adopted=True
            )
        customer = str(payload.get(self._f("order_customer")) or "")
        if operation != "post_journal" and customer not in self.customers:
            raise NotFoundError("customer not found", value=customer)
        self._counter += 1
        number = f"{_PREFIX[operation]}{self._counter:06d}"
        document = FakeDocument(
            operation=operation,
            number=number,
            reference=reference,
            payload=dict(payload),
            customer=customer,
            amount=amount,
        )
        if existing is not None:
            # Told nothing could carry the reference, but something does.
            self.duplicates.append(document)
        else:
            store[reference] = document
        self.calls.append((operation, reference, False))
        self._after(operation)
        return ErpDocument(number=number, raw=dict(payload), adopted=False)
