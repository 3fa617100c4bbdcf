"""The /api/v1 documents: validate a body into a plan of rows, and rows into JSON.

A plan names the document's reference (the key a retry is recognised by),
the counter that numbers it, the tables to lock, and builds every row of
every table for a given number. Only open (unposted) documents are written:
somast/sotran with sostat blank, armast/artran with arstat blank (invoices,
and credit memos with artype C and negative amounts), and the receipt and GL
batch tables that Sage Pro posts from. History tables (arymst, soymst) are
never touched.

armast holds invoices and credit memos in one number space, told apart by
`artype` (layout.py cites the public evidence): every read of armast goes
through `invoice_rows` or `creditmemos`, so a credit memo never reads as an
invoice, nor an invoice as a credit memo.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .errors import AgentError, invalid
from .layout import Field, Layout
from .storage import Store
from .validation import Body

AGENT_USER = "LBAGENT"

Rows = list[tuple[str, dict[str, Any]]]


@dataclass
class Plan:
    resource: str
    reference: str
    scope: str
    reference_field: str
    tables: tuple[str, ...]
    counter: str  # "" when the body gives the number
    number: str
    build: Callable[[str], tuple[Rows, dict[str, Any]]]
    given_number_table: tuple[str, str] = ("", "")  # (table, column) to check
    extra: dict[str, Any] = field(default_factory=dict)


def money(value: Any) -> str:
    """At least two places, no exponent: '19.99', '500.00', '1.2345'."""
    value = Decimal(value or 0)
    two = value.quantize(Decimal("0.01"))
    return f"{two if two == value else value.normalize():f}"


def quantity(value: Any) -> str:
    value = Decimal(value or 0)
    return f"{value.normalize():f}" if value else "0"


def iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


class Documents:
    def __init__(self, store: Store, *, home_currency: str) -> None:
        self.store = store
        self.layout: Layout = store.layout
        self.home_currency = home_currency

    # --- helpers --------------------------------------------------------------

    def f(self, table: str, name: str) -> Field:
        return self.layout[table].field(name)

    def customer(self, body: Body, key: str = "custno") -> dict[str, Any]:
        custno = body.text(key, self.f("arcust", "custno"), required=True)
        rows = self.store.rows("arcust", {"custno": custno})
        if not rows:
            raise invalid(
                body.name(key), f"customer {custno} does not exist", "unknown_customer"
            )
        return rows[0]

    def is_memo(self, header: dict[str, Any]) -> bool:
        return str(header.get("artype", "")).strip() in self.layout.memo_artypes

    def invoice_rows(self, equals: dict[str, Any]) -> list[dict[str, Any]]:
        """armast rows that are invoices: any artype but the memos' codes."""
        return [h for h in self.store.rows("armast", equals) if not self.is_memo(h)]

    def currency(self, body: Body, table: str, customer: dict | None) -> str:
        expected = (customer or {}).get("currid", "") or self.home_currency
        return body.currency("currid", self.f(table, "currid"), expected=expected)

    # --- customers ------------------------------------------------------------

    CUSTOMER_TEXT = (
        "company",
        "contact",
        "address1",
        "address2",
        "city",
        "addrstate",
        "zip",
        "country",
        "phone",
        "pterms",
        "credstat",
        "pricecode",
    )

    CUSTOMER_FIELDS = frozenset(
        {*CUSTOMER_TEXT, "custno", "email", "credlimit", "currid", "balance"}
    )
    LINE_FIELDS = frozenset(
        {"lineno", "item", "descrip", "qtyord", "price", "disc", "extprice"}
    )

    def customer_values(self, data: Any, *, creating: bool) -> dict[str, Any]:
        body = Body(data, table="arcust").only(self.CUSTOMER_FIELDS)
        values: dict[str, Any] = {}
        for name in self.CUSTOMER_TEXT:
            if creating or body.has(name):
                values[name] = body.text(
                    name,
                    self.f("arcust", name),
                    required=creating and name == "company",
                )
        if creating or body.has("email"):
            values["email"] = body.email("email", self.f("arcust", "email"))
        if creating or body.has("credlimit"):
            values["credlimit"] = body.decimal(
                "credlimit",
                self.f("arcust", "credlimit"),
                minimum=Decimal(0),
                default=Decimal(0),
            )
        if creating or body.has("currid"):
            values["currid"] = body.currency(
                "currid", self.f("arcust", "currid"), expected=""
            ) or (self.home_currency if creating else "")
            if not values["currid"]:
                raise invalid("currid", "currid may not be blank")
        for name in ("balance",):
            if body.has(name):
                raise invalid(name, f"{name} is kept by Sage Pro's posting")
        return values

    def customer_reply(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "custno": row["custno"],
            **{name: row.get(name, "") for name in self.CUSTOMER_TEXT},
            "email": row.get("email", ""),
            "credlimit": money(row.get("credlimit")),
            "balance": money(row.get("balance")),
            "currid": row.get("currid", ""),
        }

    def subscription_reply(self, row: dict[str, Any]) -> dict[str, Any]:
        mrr = row.get("mrr")
        return {
            "custno": row["custno"],
            "subscription": row.get("subid", ""),
            "plan": row.get("plan", ""),
            "status": row.get("status", ""),
            "period_end": iso(row.get("periodend")),
            "mrr": f"{Decimal(str(mrr if mrr is not None else 0)):.3f}",
            "currid": row.get("currid", ""),
        }

    # --- lines ------------------------------------------------------------------

    def lines(
        self, body: Body, table: str, *, required: bool, qty_field: str
    ) -> list[dict[str, Any]]:
        raw = body.data.get("lines")
        if raw is None and not required:
            return []
        if not isinstance(raw, list) or (required and not raw):
            raise invalid("lines", "lines must be a non-empty list", "required")
        if len(raw) > 999:
            raise invalid("lines", "at most 999 lines")
        codes = frozenset(
            e["item"].strip()
            for e in raw
            if isinstance(e, dict) and isinstance(e.get("item"), str) and e["item"]
        )
        items = (
            {row["item"]: row for row in self.store.rows("icitem", {"item": codes})}
            if codes
            else {}
        )
        lines = []
        for index, entry in enumerate(raw):
            line = Body(entry, prefix=f"lines[{index}].", table=table)
            line.only(self.LINE_FIELDS)
            code = line.text("item", self.f(table, "item"))
            item = items.get(code) if code else None
            if code and item is None:
                raise invalid(
                    line.name("item"), f"item {code} does not exist", "unknown_item"
                )
            descrip = line.text(
                "descrip", self.f(table, "descrip"), required=item is None
            )
            qty = line.decimal(
                "qtyord", self.f(table, qty_field), required=True, positive=True
            )
            price = line.decimal(
                "price",
                self.f(table, "price"),
                required=item is None,
                minimum=Decimal(0),
            )
            if price is None:
                price = item["price"]
            disc = line.decimal(
                "disc", self.f(table, "disc"), minimum=Decimal(0), default=Decimal(0)
            )
            if disc > 100:
                raise invalid(line.name("disc"), "disc is a percentage from 0 to 100")
            places = self.f(table, "extprice").decimals
            # Sage Pro's own extension: quantity x price less discount, to the
            # extended price's places.
            expected = (qty * price * (1 - disc / 100)).quantize(
                Decimal(1).scaleb(-places), ROUND_HALF_UP
            )
            extprice = line.decimal("extprice", self.f(table, "extprice"))
            if extprice is not None and extprice != expected:
                raise invalid(
                    line.name("extprice"),
                    f"extprice {extprice} should be {expected} (qtyord x price x "
                    f"(1 - disc/100), to {places} places)",
                )
            lines.append(
                {
                    "item": code,
                    "descrip": descrip or item["descrip"],
                    "qty": qty,
                    "price": price,
                    "disc": disc,
                    "extprice": expected,
                }
            )
        return lines

    def total(self, body: Body, key: str, table: str, lines: list[dict]) -> Decimal:
        total = sum((line["extprice"] for line in lines), Decimal(0))
        given = body.decimal(key, self.f(table, key))
        if given is not None and given != total:
            raise invalid(key, f"{key} {given} differs from the lines' total {total}")
        return total

    # --- sales orders -------------------------------------------------------------

    def plan_salesorder(self, data: Any) -> Plan:
        body = Body(data, table="somast").only(
            {"sono", "custno", "ordate", "ponum", "ordamt", "currid", "sostat", "lines"}
        )
        if body.text("sono", self.f("somast", "sono")):
            raise invalid("sono", "sono is assigned by Sage Pro; leave it empty")
        customer = self.customer(body)
        currid = self.currency(body, "somast", customer)
        ordate = body.date("ordate")
        ponum = body.text("ponum", self.f("somast", "ponum"))
        if body.text("sostat", self.f("somast", "sostat")):
            raise invalid(
                "sostat", "the agent writes open orders only: sostat must be blank"
            )
        lines = self.lines(body, "sotran", required=True, qty_field="qtyord")
        ordamt = self.total(body, "ordamt", "somast", lines)
        custno = customer["custno"]

        def build(sono: str) -> tuple[Rows, dict[str, Any]]:
            header = {
                "sono": sono,
                "custno": custno,
                "ordate": ordate,
                "ponum": ponum,
                "ordamt": ordamt,
                "shpamt": Decimal(0),
                "tax": Decimal(0),
                "pterms": customer.get("pterms", ""),
                "sostat": "",
                "sotype": "",
                "currid": currid,
                "adduser": AGENT_USER,
                "adddate": dt.date.today(),
            }
            rows: Rows = [("somast", header)]
            for number, line in enumerate(lines, start=1):
                rows.append(
                    (
                        "sotran",
                        {
                            "sono": sono,
                            "tranlineno": number,
                            "custno": custno,
                            "item": line["item"],
                            "descrip": line["descrip"],
                            "qtyord": line["qty"],
                            "origqtyord": line["qty"],
                            "qtyshp": Decimal(0),
                            "price": line["price"],
                            "disc": line["disc"],
                            "extprice": line["extprice"],
                            "loctid": "",
                            "sostat": "",
                            "ordate": ordate,
                        },
                    )
                )
            return rows, self.salesorder_reply(header, [r for t, r in rows[1:]])

        return Plan(
            resource="salesorders",
            reference=ponum,
            scope=custno,
            reference_field="ponum",
            tables=("somast", "sotran"),
            counter="sono",
            number="",
            build=build,
        )

    def salesorder_reply(
        self, header: dict[str, Any], lines: list[dict[str, Any]]
    ) -> dict[str, Any]:
        return {
            "sono": str(header["sono"]).strip(),
            "custno": header["custno"],
            "ordate": iso(header["ordate"]),
            "ponum": header["ponum"],
            "ordamt": money(header["ordamt"]),
            "currid": header.get("currid", ""),
            "sostat": header.get("sostat", ""),
            "lines": [
                {
                    "lineno": int(line["tranlineno"]),
                    "item": line["item"],
                    "descrip": line["descrip"],
                    "qtyord": quantity(line["qtyord"]),
                    "price": money(line["price"]),
                    "disc": quantity(line["disc"]),
                    "extprice": money(line["extprice"]),
                }
                for line in sorted(lines, key=lambda r: int(r["tranlineno"]))
            ],
        }

    # --- invoices -----------------------------------------------------------------

    def plan_invoice(self, data: Any) -> Plan:
        body = Body(data, table="armast").only(
            {"invno", "custno", "invdte", "ponum", "sono", "invamt", "currid"}
            | {"arstat", "lines"}
        )
        invno = body.text("invno", self.f("armast", "invno"))
        customer = self.customer(body)
        currid = self.currency(body, "armast", customer)
        invdte = body.date("invdte")
        ponum = body.text("ponum", self.f("armast", "ponum"))
        sono = body.text("sono", self.f("armast", "sono"))
        if sono and not self.store.rows(
            "somast", {"sono": sono, "custno": customer["custno"]}
        ):
            raise invalid("sono", f"sales order {sono} not found for the customer")
        if body.text("arstat", self.f("armast", "arstat")):
            raise invalid("arstat", "the agent writes open invoices only: leave blank")
        lines = self.lines(body, "artran", required=False, qty_field="qtyshp")
        if lines:
            invamt = self.total(body, "invamt", "armast", lines)
        else:
            invamt = body.decimal(
                "invamt", self.f("armast", "invamt"), required=True, positive=True
            )
        custno = customer["custno"]
        artype = self.layout.artypes["invoice"]

        def build(number: str) -> tuple[Rows, dict[str, Any]]:
            header = {
                "invno": number,
                "custno": custno,
                "invdte": invdte,
                "ponum": ponum,
                "sono": sono,
                "artype": artype,
                "invamt": invamt,
                "paidamt": Decimal(0),
                "balance": invamt,
                "arstat": "",
                "currid": currid,
            }
            rows: Rows = [("armast", header)]
            for lineno, line in enumerate(lines, start=1):
                rows.append(
                    (
                        "artran",
                        {
                            "invno": number,
                            "tranlineno": lineno,
                            "custno": custno,
                            "artype": artype,
                            "item": line["item"],
                            "descrip": line["descrip"],
                            "qtyord": line["qty"],
                            "qtyshp": line["qty"],
                            "price": line["price"],
                            "disc": line["disc"],
                            "extprice": line["extprice"],
                            "invdte": invdte,
                        },
                    )
                )
            return rows, self.invoice_reply(header, [r for t, r in rows[1:]])

        return Plan(
            resource="invoices",
            reference=ponum,
            scope=custno,
            reference_field="ponum",
            tables=("armast", "artran"),
            counter="" if invno else "invno",
            number=invno,
            build=build,
            given_number_table=("armast", "invno"),
        )

    def invoice_reply(
        self, header: dict[str, Any], lines: list[dict[str, Any]]
    ) -> dict[str, Any]:
        return {
            "invno": str(header["invno"]).strip(),
            "custno": header["custno"],
            "invdte": iso(header["invdte"]),
            "ponum": header["ponum"],
            "sono": header.get("sono", ""),
            "invamt": money(header["invamt"]),
            "paidamt": money(header["paidamt"]),
            "balance": money(header["balance"]),
            "arstat": header.get("arstat", ""),
            "currid": header.get("currid", ""),
            "lines": [
                {
                    "lineno": int(line["tranlineno"]),
                    "item": line["item"],
                    "descrip": line["descrip"],
                    "qtyord": quantity(line["qtyshp"]),
                    "price": money(line["price"]),
                    "disc": quantity(line["disc"]),
                    "extprice": money(line["extprice"]),
                }
                for line in sorted(lines, key=lambda r: int(r["tranlineno"]))
            ],
        }

    # --- cash receipts -----------------------------------------------------------

    def plan_cashreceipt(self, data: Any) -> Plan:
        body = Body(data, table="arcash").only(
            {"custno", "currid", "reference", "amount", "date", "bank", "invno", "sono"}
        )
        customer = self.customer(body)
        custno = customer["custno"]
        currid = self.currency(body, "arcash", customer)
        reference = body.text("reference", self.f("arcash", "reference"), required=True)
        amount = body.decimal(
            "amount", self.f("arcash", "amount"), required=True, positive=True
        )
        paydate = body.date("date")
        bank = body.text("bank", self.f("arcash", "bank"), required=True)
        invno = body.text("invno", self.f("arcash", "invno"))
        sono = body.text("sono", self.f("arcash", "sono"))
        if sono and not self.store.rows("somast", {"sono": sono, "custno": custno}):
            raise invalid("sono", f"sales order {sono} not found for {custno}")
        if invno:
            invoices = self.invoice_rows({"invno": invno, "custno": custno})
            if not invoices:
                raise invalid("invno", f"invoice {invno} not found for {custno}")
            open_receipts = sum(
                (r["amount"] for r in self.store.rows("arcash", {"invno": invno})),
                Decimal(0),
            )
            left = invoices[0]["balance"] - open_receipts
            if amount > left:
                raise invalid(
                    "amount",
                    f"amount {amount} exceeds invoice {invno}'s open balance {left}",
                )

        def build(number: str) -> tuple[Rows, dict[str, Any]]:
            row = {
                "receiptno": number,
                "custno": custno,
                "invno": invno,
                "sono": sono,
                "reference": reference,
                "amount": amount,
                "paydate": paydate,
                "bank": bank,
                "currid": currid,
            }
            return [("arcash", row)], self.cashreceipt_reply(row)

        return Plan(
            resource="cashreceipts",
            reference=reference,
            scope="",
            reference_field="reference",
            tables=("arcash",),
            counter="receiptno",
            number="",
            build=build,
        )

    def cashreceipt_reply(self, row: dict[str, Any]) -> dict[str, Any]:
        number = str(row["receiptno"]).strip()
        return {
            "receiptno": number,
            "id": number,
            "custno": row["custno"],
            "invno": row["invno"],
            "sono": row["sono"],
            "reference": row["reference"],
            "amount": money(row["amount"]),
            "date": iso(row["paydate"]),
            "bank": row["bank"],
            "currid": row.get("currid", ""),
        }

    # --- credit memos and adjustments ----------------------------------------------

    MEMO_TYPES = ("creditmemo", "adjustment")
    MEMO_LINE_TEXT = {"creditmemo": "Credit memo", "adjustment": "Adjustment"}

    def plan_creditmemo(self, data: Any) -> Plan:
        """A credit memo as Sage Pro keeps one: an armast row with artype C and
        a negative invamt and balance (paidamt 0: nothing applied yet), and
        one artran line with artype C, a negative quantity, the amount as its
        price and a negative extprice. An adjustment (signed: positive credits
        the customer) is written the same way, a negative one with the debit
        artype and positive amounts. The reference, kind and document credited
        go in the agent's own arref row of the same number."""
        body = Body(data, table="armast").only(
            {"type", "custno", "currid", "reference", "amount", "date", "reason"}
            | {"invno"}
        )
        kind = body.text("type", self.f("arref", "memotype")) or "creditmemo"
        if kind not in self.MEMO_TYPES:
            raise invalid("type", f"type must be one of {', '.join(self.MEMO_TYPES)}")
        customer = self.customer(body)
        custno = customer["custno"]
        currid = self.currency(body, "armast", customer)
        reference = body.text("reference", self.f("arref", "reference"), required=True)
        amount = body.decimal(
            "amount",
            self.f("armast", "invamt"),
            required=True,
            positive=kind == "creditmemo",
            nonzero=True,
        )
        memodate = body.date("date")
        reason = body.text("reason", self.f("artran", "descrip"))
        invno = body.text("invno", self.f("arref", "applyto"))
        if (
            invno
            and not self.invoice_rows({"invno": invno, "custno": custno})
            and not self.store.rows("somast", {"sono": invno, "custno": custno})
        ):
            raise invalid(
                "invno", f"no invoice or sales order {invno} for customer {custno}"
            )
        credits = amount > 0
        artype = self.layout.artypes["credit" if credits else "debit"]
        # Sage Pro's credit line: the quantity carries the sign, the price not
        # (gnubyte/Foxpro_Search app/accpac_test.py at 52b6461: artran qtyord
        # and qtyshp -4, price 129, extprice -516, artype C).
        quantity = Decimal(-1 if credits else 1)

        def build(number: str) -> tuple[Rows, dict[str, Any]]:
            header = {
                "invno": number,
                "custno": custno,
                "invdte": memodate,
                "ponum": "",
                "sono": "",
                "artype": artype,
                "invamt": -amount,
                "paidamt": Decimal(0),
                "balance": -amount,
                "arstat": "",
                "currid": currid,
            }
            line = {
                "invno": number,
                "tranlineno": 1,
                "custno": custno,
                "artype": artype,
                "item": "",
                "descrip": reason or self.MEMO_LINE_TEXT[kind],
                "qtyord": quantity,
                "qtyshp": quantity,
                "price": abs(amount),
                "disc": Decimal(0),
                "extprice": -amount,
                "invdte": memodate,
            }
            link = {
                "invno": number,
                "reference": reference,
                "memotype": kind,
                "applyto": invno,
            }
            rows: Rows = [("armast", header), ("artran", line), ("arref", link)]
            return rows, self.creditmemo_reply(header, [line], link)

        return Plan(
            resource="creditmemos",
            reference=reference,
            scope="",
            reference_field="reference",
            tables=("armast", "artran", "arref"),
            counter="invno",
            number="",
            build=build,
        )

    def creditmemo_reply(
        self,
        header: dict[str, Any],
        lines: list[dict[str, Any]],
        link: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """The memo as /api/v1 shows it: `amount` positive for a credit, as
        it was sent, whatever the sign Sage Pro keeps it in."""
        number = str(header["invno"]).strip()
        link = link or {}
        first = min(lines, key=lambda r: int(r["tranlineno"])) if lines else {}
        credit = str(header.get("artype", "")).strip() == self.layout.artypes["credit"]
        return {
            "memono": number,
            "id": number,
            "type": link.get("memotype") or ("creditmemo" if credit else "adjustment"),
            "custno": header["custno"],
            "invno": str(link.get("applyto", "")).strip(),
            "reference": link.get("reference", ""),
            "amount": money(-Decimal(header["invamt"])),
            "date": iso(header["invdte"]),
            "reason": first.get("descrip", ""),
            "currid": header.get("currid", ""),
        }

    # --- GL journal entries ----------------------------------------------------------

    def plan_journalentry(self, data: Any) -> Plan:
        body = Body(data, table="glbtch").only(
            {"date", "reference", "descrip", "currid", "lines"}
        )
        entrydate = body.date("date")
        reference = body.text("reference", self.f("glbtch", "reference"), required=True)
        descrip = body.text("descrip", self.f("glbtch", "batchdesc"))
        currid = self.currency(body, "glbtch", None)
        raw = body.data.get("lines")
        if not isinstance(raw, list) or len(raw) < 2:
            raise invalid("lines", "a journal needs at least two lines", "required")
        if len(raw) > 9999:
            raise invalid("lines", "at most 9999 lines")
        lines = []
        debits = credits = Decimal(0)
        for index, entry in enumerate(raw):
            line = Body(entry, prefix=f"lines[{index}].", table="glbtch")
            line.only({"lineno", "account", "debit", "credit", "descrip"})
            account = line.text("account", self.f("glbtch", "account"), required=True)
            debit = line.decimal(
                "debit", self.f("glbtch", "debit"), minimum=Decimal(0)
            ) or Decimal(0)
            credit = line.decimal(
                "credit", self.f("glbtch", "credit"), minimum=Decimal(0)
            ) or Decimal(0)
            if (debit == 0) == (credit == 0):
                raise invalid(
                    line.name("debit"),
                    "each line needs either a debit or a credit amount",
                )
            debits += debit
            credits += credit
            lines.append(
                {
                    "account": account,
                    "debit": debit,
                    "credit": credit,
                    "linedesc": line.text("descrip", self.f("glbtch", "linedesc")),
                }
            )
        if debits != credits:
            raise AgentError(
                400,
                "unbalanced",
                f"journal does not balance: debits {debits} != credits {credits}",
                "lines",
            )

        def build(number: str) -> tuple[Rows, dict[str, Any]]:
            rows: Rows = [
                (
                    "glbtch",
                    {
                        "entryno": number,
                        "lineno": lineno,
                        "entrydate": entrydate,
                        "reference": reference,
                        "batchdesc": descrip,
                        "currid": currid,
                        **line,
                    },
                )
                for lineno, line in enumerate(lines, start=1)
            ]
            return rows, self.journalentry_reply([r for _, r in rows])

        return Plan(
            resource="journalentries",
            reference=reference,
            scope="",
            reference_field="reference",
            tables=("glbtch",),
            counter="entryno",
            number="",
            build=build,
        )

    def journalentry_reply(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        rows = sorted(rows, key=lambda r: int(r["lineno"]))
        first = rows[0]
        number = str(first["entryno"]).strip()
        return {
            "entryno": number,
            "id": number,
            "date": iso(first["entrydate"]),
            "reference": first["reference"],
            "descrip": first["batchdesc"],
            "currid": first.get("currid", ""),
            "lines": [
                {
                    "lineno": int(row["lineno"]),
                    "account": row["account"],
                    "debit": money(row["debit"]),
                    "credit": money(row["credit"]),
                    "amount": money(row["debit"] - row["credit"]),
                    "descrip": row["linedesc"],
                }
                for row in rows
            ],
        }

    # --- reads ---------------------------------------------------------------------

    def salesorders(self, equals: dict[str, str]) -> list[dict[str, Any]]:
        headers = self.store.rows("somast", equals)
        if not headers:
            return []
        wanted = frozenset(h["sono"] for h in headers)
        lines = defaultdict(list)
        for line in self.store.rows("sotran", {"sono": wanted}):
            lines[line["sono"]].append(line)
        return [self.salesorder_reply(h, lines[h["sono"]]) for h in headers]

    def invoices(self, equals: dict[str, str]) -> list[dict[str, Any]]:
        headers = self.invoice_rows(equals)
        if not headers:
            return []
        wanted = frozenset(h["invno"] for h in headers)
        lines = defaultdict(list)
        for line in self.store.rows("artran", {"invno": wanted}):
            lines[line["invno"]].append(line)
        return [self.invoice_reply(h, lines[h["invno"]]) for h in headers]

    def creditmemos(self, equals: dict[str, str]) -> list[dict[str, Any]]:
        """Credit memos and adjustments: armast rows of the memo artypes.

        `equals` holds armast's invno and custno, and arref's reference,
        applyto (the document credited) and memotype.
        """
        equals = dict(equals)
        kind = equals.pop("memotype", None)
        by_link = {c: equals.pop(c) for c in ("reference", "applyto") if c in equals}
        links: dict[str, dict[str, Any]] | None = None
        if by_link:
            links = {r["invno"]: r for r in self.store.rows("arref", by_link)}
            numbers = frozenset(links)
            if "invno" in equals:
                numbers &= {str(equals["invno"]).strip()}
            if not numbers:
                return []
            equals["invno"] = numbers
        headers = self.store.rows(
            "armast", {**equals, "artype": self.layout.memo_artypes}
        )
        if not headers:
            return []
        wanted = frozenset(h["invno"] for h in headers)
        if links is None:
            links = {r["invno"]: r for r in self.store.rows("arref", {"invno": wanted})}
        lines = defaultdict(list)
        for line in self.store.rows("artran", {"invno": wanted}):
            lines[line["invno"]].append(line)
        found = [
            self.creditmemo_reply(h, lines[h["invno"]], links.get(h["invno"]))
            for h in headers
        ]
        return [m for m in found if kind is None or m["type"] == kind]

    def journalentries(self, equals: dict[str, str]) -> list[dict[str, Any]]:
        batches = defaultdict(list)
        for row in self.store.rows("glbtch", equals):
            batches[row["entryno"]].append(row)
        if equals and "entryno" not in equals:
            # A filter on reference matched some lines: read each whole batch.
            for entryno in list(batches):
                batches[entryno] = self.store.rows("glbtch", {"entryno": entryno})
        return [self.journalentry_reply(rows) for rows in batches.values()]

    def customer_prices(self, custno: str) -> list[dict[str, Any]]:
        customers = self.store.rows("arcust", {"custno": custno})
        if not customers:
            raise AgentError(404, "not_found", f"customer {custno} not found")
        customer = customers[0]
        items = {row["item"]: row for row in self.store.rows("icitem")}
        prices = []
        for row in self.store.rows("icpric"):
            if row["custno"] == custno or (
                not row["custno"]
                and row["pricecode"]
                and row["pricecode"] == customer.get("pricecode")
            ):
                prices.append((0 if row["custno"] else 1, row))
        best: dict[str, dict[str, Any]] = {}
        for _, row in sorted(prices, key=lambda p: p[0], reverse=True):
            best[row["item"]] = row  # a customer's own price wins over its code's
        return [
            {
                "item": item,
                "descrip": items.get(item, {}).get("descrip", ""),
                "price": money(row["price"]),
                "currid": row.get("currid") or customer.get("currid", ""),
                "pricecode": row["pricecode"],
                "custno": row["custno"],
            }
            for item, row in sorted(best.items())
        ]

    def item_reply(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "item": row["item"],
            "descrip": row["descrip"],
            "price": money(row["price"]),
        }
