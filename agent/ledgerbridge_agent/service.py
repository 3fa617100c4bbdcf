"""The agent's operations: exactly-once writes through the journal, and reads.

A write runs under one lock: validate the body into a plan, answer 409 with
the existing document when its reference is known (to the journal, or in
Sage Pro's own tables), then lock Sage Pro's tables, take the number, record
the plan as pending, append the rows, mark it done and answer. Pending
entries left by a crash are completed first: at start-up, before each write
and before each read.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from . import __version__
from .documents import Documents, Plan
from .errors import AgentError, duplicate, invalid, locked, not_found
from .hooks import Hooks
from .journal import Entry, Journal
from .locks import LockBusy
from .storage import Store
from .validation import Body

logger = logging.getLogger(__name__)

# resource → (filters a list accepts (API name → column), detail key column)
FILTERS: dict[str, dict[str, str]] = {
    "customers": {"custno": "custno", "email": "email"},
    "salesorders": {"custno": "custno", "ponum": "ponum", "sono": "sono"},
    "invoices": {"custno": "custno", "ponum": "ponum", "invno": "invno"},
    "cashreceipts": {
        "receiptno": "receiptno",
        "custno": "custno",
        "reference": "reference",
        "invno": "invno",
        "sono": "sono",
    },
    # A memo's own number is armast's invno; its invno is the document it
    # credits, kept in the agent's arref row (Documents.creditmemos).
    "creditmemos": {
        "memono": "invno",
        "custno": "custno",
        "reference": "reference",
        "invno": "applyto",
        "type": "memotype",
    },
    "journalentries": {"reference": "reference"},
    "items": {"item": "item"},
}
DETAIL_KEYS = {
    "customers": "custno",
    "salesorders": "sono",
    "invoices": "invno",
    "cashreceipts": "receiptno",
    "creditmemos": "invno",
    "journalentries": "entryno",
    "items": "item",
}


class Agent:
    def __init__(
        self,
        *,
        store: Store,
        journal: Journal,
        hooks: Hooks,
        company: str,
        home_currency: str,
        lock_wait: float,
        retry_after: int = 2,
        max_queue: int = 32,
    ) -> None:
        self.store = store
        self.journal = journal
        self.hooks = hooks
        self.company = company
        self.lock_wait = lock_wait
        self.retry_after = retry_after
        self.documents = Documents(store, home_currency=home_currency)
        self.write_lock = threading.RLock()
        # Writes wait their turn; past max_queue waiting, answer 429 rather
        # than pile up threads in front of Sage Pro's tables.
        self.max_queue = max_queue
        self.queued = 0
        self.queue_lock = threading.Lock()
        self.planners: dict[str, Callable[[Any], Plan]] = {
            "salesorders": self.documents.plan_salesorder,
            "invoices": self.documents.plan_invoice,
            "cashreceipts": self.documents.plan_cashreceipt,
            "creditmemos": self.documents.plan_creditmemo,
            "journalentries": self.documents.plan_journalentry,
        }

    # --- exactly once -----------------------------------------------------------

    def recover(self) -> int:
        """Complete every pending entry; returns how many were completed."""
        done = 0
        with self.write_lock:
            try:
                for name in self.store.trim_torn_appends(wait=self.lock_wait):
                    logger.warning("cut a record a crash left half-appended: %s", name)
            except LockBusy as exc:
                logger.warning("recovery waits for a lock: %s", exc)
            for entry in self.journal.pending():
                retired = {t for t, _ in entry.rows} - set(self.store.layout.tables)
                if retired:
                    logger.error(
                        "a pending %s %s (%s) names tables this layout no longer "
                        "has (%s): check it in Sage Pro and settle it by hand",
                        entry.resource,
                        entry.number,
                        entry.reference,
                        ", ".join(sorted(retired)),
                    )
                    continue
                try:
                    self._complete(entry)
                    done += 1
                except LockBusy as exc:
                    logger.warning("recovery waits for a lock: %s", exc)
        return done

    def _complete(self, entry: Entry) -> None:
        """Append whatever rows of the plan are missing, then mark it done."""
        tables = tuple(dict.fromkeys(table for table, _ in entry.rows))
        layout = self.store.layout
        written = 0
        with self.store.writing(tables, wait=self.lock_wait) as writer:
            for table, row in entry.rows:
                key = {name: row[name] for name in layout[table].key}
                if not writer.has(table, key):
                    writer.append(table, row)
                    written += 1
        self.journal.finish(entry.resource, entry.scope, entry.reference)
        logger.warning(
            "completed a pending %s %s (%s): %d rows were missing",
            entry.resource,
            entry.number,
            entry.reference,
            written,
        )

    def _recover_quietly(self) -> None:
        if self.journal.has_pending():
            self.recover()

    def create(self, resource: str, data: Any) -> dict[str, Any]:
        with self.queue_lock:
            if self.queued >= self.max_queue:
                raise AgentError(
                    429,
                    "rate_limited",
                    f"{self.queued} writes are waiting; send it again shortly",
                    retry_after=1,
                )
            self.queued += 1
        try:
            return self._create(resource, data)
        finally:
            with self.queue_lock:
                self.queued -= 1

    def _create(self, resource: str, data: Any) -> dict[str, Any]:
        with self.write_lock:
            self._recover_quietly()
            # A retry after a lost reply must find its document before the
            # rules run: the first write may have changed what they check
            # (an invoice's open balance).
            self._refuse_known_reference(resource, data)
            plan = self.planners[resource](data)
            self._refuse_duplicate(plan)
            try:
                reply = self._write(plan)
            except LockBusy as exc:
                raise locked(str(exc), self.retry_after) from None
        if self.hooks.lose_reply():
            raise AgentError(500, "server_error", "reply lost after write (test hook)")
        return reply

    def _refuse_known_reference(self, resource: str, data: Any) -> None:
        if not isinstance(data, dict):
            return
        field = "ponum" if resource in ("salesorders", "invoices") else "reference"
        reference, custno = data.get(field), data.get("custno")
        if not isinstance(reference, str) or not reference.strip():
            return
        scope = ""
        if field == "ponum":
            if not isinstance(custno, str):
                return
            scope = custno.strip()
        entry = self.journal.get(resource, scope, reference.strip())
        if entry is not None:
            raise duplicate(
                field,
                f"{field} {reference.strip()} was already written as "
                f"{resource} {entry.number}",
                entry.reply,
            )

    def _refuse_duplicate(self, plan: Plan) -> None:
        if plan.reference:
            entry = self.journal.get(plan.resource, plan.scope, plan.reference)
            if entry is not None:
                raise duplicate(
                    plan.reference_field,
                    f"{plan.reference_field} {plan.reference} was already written "
                    f"as {plan.resource} {entry.number}",
                    entry.reply,
                )
            # Documents Sage Pro's users (or an earlier install) wrote.
            equals = {plan.reference_field: plan.reference}
            if plan.scope:
                equals["custno"] = plan.scope
            found = self.list(plan.resource, equals)
            if found:
                raise duplicate(
                    plan.reference_field,
                    f"{plan.reference_field} {plan.reference} already exists",
                    found[0],
                )
        if plan.number:
            table, column = plan.given_number_table
            found = self.list(plan.resource, {column: plan.number})
            if not found and self.store.rows(table, {column: plan.number}):
                # Another kind of document holds it: armast numbers invoices
                # and credit memos from one sequence.
                found = self.list("creditmemos", {"memono": plan.number})
                found = found or [{column: plan.number}]
            if found:
                raise duplicate(
                    column, f"{column} {plan.number} already exists", found[0]
                )

    def _write(self, plan: Plan) -> dict[str, Any]:
        crash = self.hooks.crash_point
        counters = (plan.counter,) if plan.counter else ()
        with self.store.writing(plan.tables, counters, wait=self.lock_wait) as writer:
            number = writer.take_number(plan.counter) if plan.counter else plan.number
            crash("after_number")
            rows, reply = plan.build(number)
            for table, row in rows:
                writer.check(table, row)  # a row that cannot fit stops it here
            reference = plan.reference or f"#{number}"
            self.journal.begin(
                resource=plan.resource,
                scope=plan.scope,
                reference=reference,
                number=number,
                rows=rows,
                reply=reply,
            )
            crash("after_outbox")
            for index, (table, row) in enumerate(rows):
                writer.append(table, row)
                if index == 0:
                    crash("after_header")
                elif index == 1:
                    crash("after_line")
            crash("after_rows")
        self.journal.finish(plan.resource, plan.scope, reference)
        crash("after_done")
        logger.info("wrote %s %s for %s", plan.resource, number, plan.reference or "-")
        return reply

    # --- customers ----------------------------------------------------------------

    def customer_create(self, data: Any) -> dict[str, Any]:
        custno = Body(data, table="arcust").text(
            "custno", self.store.layout["arcust"].field("custno"), required=True
        )
        values = self.documents.customer_values(data, creating=True)
        with self.write_lock:
            existing = self.store.rows("arcust", {"custno": custno})
            if not existing:
                try:
                    with self.store.writing(("arcust",), wait=self.lock_wait) as writer:
                        if not writer.has("arcust", {"custno": custno}):
                            row = {
                                "custno": custno,
                                "balance": 0,
                                "credstat": "",
                                **values,
                            }
                            writer.append("arcust", row)
                            return self.documents.customer_reply(row)
                except LockBusy as exc:
                    raise locked(str(exc), self.retry_after) from None
            found = self.store.rows("arcust", {"custno": custno})
        raise duplicate(
            "custno",
            f"customer {custno} already exists",
            self.documents.customer_reply(found[0]),
        )

    def customer_update(self, custno: str, data: Any) -> dict[str, Any]:
        body = Body(data, table="arcust")
        field = self.store.layout["arcust"].field("custno")
        if body.has("custno") and body.text("custno", field) != custno:
            raise invalid("custno", "custno cannot be changed")
        values = self.documents.customer_values(data, creating=False)
        with self.write_lock:
            try:
                row = self.store.update(
                    "arcust", {"custno": custno}, values, wait=self.lock_wait
                )
            except LockBusy as exc:
                raise locked(str(exc), self.retry_after) from None
        if row is None:
            raise not_found(f"customer {custno} not found")
        return self.documents.customer_reply(row)

    SUBSCRIPTION_FIELDS = frozenset(
        {"subscription", "plan", "status", "period_end", "mrr", "currid"}
    )

    def customer_subscription_put(self, custno: str, data: Any) -> dict[str, Any]:
        """Set the customer's Stripe subscription fields (one row per
        customer in `arsubs`): the same body twice leaves the same row."""
        body = Body(data, table="arsubs").only(self.SUBSCRIPTION_FIELDS)
        table = self.store.layout["arsubs"]
        values = {
            "subid": body.text("subscription", table.field("subid"), required=True),
            "plan": body.text("plan", table.field("plan")),
            "status": body.text("status", table.field("status"), required=True),
            "periodend": body.date("period_end", required=False),
            "mrr": body.decimal(
                "mrr", table.field("mrr"), required=True, minimum=Decimal(0)
            ),
            "currid": body.currency("currid", table.field("currid"), expected=""),
        }
        with self.write_lock:
            if not self.store.rows("arcust", {"custno": custno}):
                raise not_found(f"customer {custno} not found")
            try:
                row = self.store.update(
                    "arsubs", {"custno": custno}, values, wait=self.lock_wait
                )
                if row is None:
                    with self.store.writing(("arsubs",), wait=self.lock_wait) as w:
                        w.append("arsubs", {"custno": custno, **values})
                    row = self.store.rows("arsubs", {"custno": custno})[0]
            except LockBusy as exc:
                raise locked(str(exc), self.retry_after) from None
        return self.documents.subscription_reply(row)

    def customer_subscription(self, custno: str) -> dict[str, Any]:
        self._recover_quietly()
        rows = self.store.rows("arsubs", {"custno": custno})
        if not rows:
            raise not_found(f"customer {custno} has no subscription")
        return self.documents.subscription_reply(rows[0])

    # --- reads --------------------------------------------------------------------

    def list(self, resource: str, filters: Mapping[str, str]) -> list[dict[str, Any]]:
        allowed = FILTERS[resource]
        equals = {}
        for name, value in filters.items():
            if name not in allowed:
                raise invalid(name, f"unknown filter {name!r}")
            equals[allowed[name]] = value
        self._recover_quietly()
        docs = self.documents
        if resource == "customers":
            email = equals.pop("email", None)
            rows = self.store.rows(
                "arcust",
                equals,
                ignoring_case=None if email is None else {"email": email},
            )
            if email is not None:
                rows = [r for r in rows if r["email"].lower() == email.lower()]
            return [docs.customer_reply(r) for r in rows]
        if resource == "salesorders":
            return docs.salesorders(equals)
        if resource == "invoices":
            return docs.invoices(equals)
        if resource == "cashreceipts":
            return [
                docs.cashreceipt_reply(r) for r in self.store.rows("arcash", equals)
            ]
        if resource == "creditmemos":
            return docs.creditmemos(equals)
        if resource == "journalentries":
            return docs.journalentries(equals)
        return [docs.item_reply(r) for r in self.store.rows("icitem", equals)]

    def get(self, resource: str, key: str) -> dict[str, Any]:
        column = DETAIL_KEYS[resource]
        if resource == "journalentries":
            found = self.documents.journalentries({"entryno": key})
        else:
            name = next(k for k, v in FILTERS[resource].items() if v == column)
            found = self.list(resource, {name: key})
        if not found:
            raise not_found(f"{resource} {key} not found")
        return found[0]

    def customer_prices(self, custno: str) -> list[dict[str, Any]]:
        return self.documents.customer_prices(custno)

    def info(self) -> dict[str, Any]:
        return {
            "agent": "ledgerbridge-agent",
            "version": __version__,
            "company": self.company,
            "storage": self.store.kind,
            "currency": self.documents.home_currency,
            "journal": self.journal.counts(),
            "test_hooks": self.hooks.enabled,
        }

    def schema(self) -> dict[str, Any]:
        """Every table with its fields' precision, and the money fields by API name."""
        layout = self.store.layout

        def places(table: str, column: str) -> int:
            return layout[table].field(column).decimals

        return {
            "company": self.company,
            "decimals": {
                "customers.credlimit": places("arcust", "credlimit"),
                "salesorders.ordamt": places("somast", "ordamt"),
                "salesorders.lines.qtyord": places("sotran", "qtyord"),
                "salesorders.lines.price": places("sotran", "price"),
                "salesorders.lines.disc": places("sotran", "disc"),
                "salesorders.lines.extprice": places("sotran", "extprice"),
                "invoices.invamt": places("armast", "invamt"),
                "invoices.lines.qtyord": places("artran", "qtyshp"),
                "invoices.lines.price": places("artran", "price"),
                "invoices.lines.extprice": places("artran", "extprice"),
                "cashreceipts.amount": places("arcash", "amount"),
                "creditmemos.amount": places("armast", "invamt"),
                "journalentries.lines.debit": places("glbtch", "debit"),
                "journalentries.lines.credit": places("glbtch", "credit"),
            },
            "artypes": dict(layout.artypes),
            "tables": layout.describe(self.company),
        }
