"""Sage Pro's table layout as the agent reads and writes it: the one place.

Every table name, field name, type, length and precision the agent uses is
here, and nowhere else. Where a fact is publicly confirmed the field says so;
the rest are defaults an installation can change with a layout file
(`--layout FILE`, JSON, see `Layout.load`) without touching code.

Confirmed by public sources:
- PROTOCOLS.md §2 (from public code that reads real Sage Pro data): the
  arcust, somast, sotran and armast field names it lists, custno C(10),
  sostat blank = open.
- Public integration code that inserts into `somast01`/`sotran01` with VFP
  SQL: the per-company file names (`<table><company id>.dbf`), sono kept
  right-aligned in 10 characters (`LPAD(sono, 10, ' ')`), sotran's custno,
  item, descrip, qtyord, price, extprice, disc columns.
- Public code listing a Sage Pro 6.0 data folder: arcust, armast, artran,
  somast, sotran, icitem, icpric exist per company; arymst and soymst are
  the history tables (never written by the agent).
- Credit memos are armast rows, not a table of their own: public code run
  against a real ACCPAC Pro Series (Sage Pro) company, GitHub
  gnubyte/Foxpro_Search at commit 52b646127b7ef0f82da4f203e8acf96ee8ffd908,
  `app/Accpac_class.py` (`Accounts_Receivable_Current_Header` selects invno,
  custno, artype, arstat, ornum, ponum, sotrack, storenr, invamt, paidamt,
  balance from armast01; `Accounts_Receivable_Current_Items` selects invno,
  ponum, item, descrip, custno, loctid, serial, cost, price, qtyord, qtyshp,
  extprice, artype, adduser from artran01), and its test `app/accpac_test.py`
  (`test_AR_Header_Current`, `test_AR_Items_Current`): document 188942 is an
  armast row with artype `C`, arstat blank, invamt -516, paidamt -93.8,
  balance -422.2 (balance = invamt - paidamt: paidamt is what has been
  applied against it, in the document's sign), and its artran line has
  artype `C`, a positive price 129, qtyord and qtyshp -4, extprice -516. So
  a credit memo's number lives in armast's invno space, and both tables
  have `artype` (C(1) here: one letter is all the evidence shows). The same
  row keeps its sales order number in `ornum` (177154; its line's ponum says
  "Our SO # 177154"), where armast's `sono` below is an unconfirmed default
  left as it was.

Not confirmed publicly (settings with documented defaults): the `arsubs`
table of the customer's Stripe subscription and the `arref` table of the
Stripe reference of each credit memo (both the agent's own), field lengths
beyond custno, the precision of quantities and unit prices, `currid`, the
artype of an ordinary invoice (blank here; the evidence shows only a
credit's `C`) and of a debit adjustment (`D` here), the cash-receipt and GL
batch tables, the customer price table's columns, and where Sage Pro keeps
its next document numbers (credit memos take theirs from the invoice
counter, as the evidence's shared invno space suggests).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

CHAR, NUMERIC, DATE, LOGICAL = "C", "N", "D", "L"


@dataclass(frozen=True)
class Field:
    """One column. `api` is the name in the /api/v1 JSON when it differs."""

    name: str
    type: str
    length: int = 0
    decimals: int = 0
    right: bool = False  # right-aligned character key (sono, invno)
    api: str = ""
    confirmed: bool = False

    @property
    def api_name(self) -> str:
        return self.api or self.name

    @property
    def spec(self) -> str:
        """The field as the dbf package writes it: `ordamt N(14,2)`."""
        if self.type == CHAR:
            return f"{self.name} C({self.length})"
        if self.type == NUMERIC:
            return f"{self.name} N({self.length},{self.decimals})"
        return f"{self.name} {self.type}"

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {"type": self.type, "column": self.name}
        if self.type in (CHAR, NUMERIC):
            described["length"] = self.length
        if self.type == NUMERIC:
            described["decimals"] = self.decimals
        described["confirmed"] = self.confirmed
        return described


@dataclass(frozen=True)
class Table:
    """A per-company table: `file` holds `{co}` for the company id."""

    name: str
    file: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    confirmed: bool = False
    writes: bool = False  # the agent appends open documents to it
    # The agent's own table, not Sage Pro's: created by the agent when missing.
    own: bool = False

    def field(self, name: str) -> Field:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    def by_api(self, api_name: str) -> Field:
        for candidate in self.fields:
            if candidate.api_name == api_name:
                return candidate
        raise KeyError(api_name)

    def file_name(self, company: str) -> str:
        return self.file.replace("{co}", company)


def _c(name: str, length: int, **kw: Any) -> Field:
    return Field(name, CHAR, length, **kw)


def _n(name: str, length: int, decimals: int, **kw: Any) -> Field:
    return Field(name, NUMERIC, length, decimals, **kw)


def _d(name: str, **kw: Any) -> Field:
    return Field(name, DATE, 8, **kw)


AMOUNT = (14, 2)  # money: Sage Pro's amounts hold two decimals
UNIT_PRICE = (14, 4)  # unit prices: four decimals (not confirmed)
QUANTITY = (14, 4)  # quantities (not confirmed)
DOC_NUMBER = 10  # sono, invno: C(10), right-aligned

DEFAULT_TABLES: tuple[Table, ...] = (
    Table(
        "arcust",
        "arcust{co}",
        (
            _c("custno", 10, confirmed=True),
            _c("company", 40, confirmed=True),
            _c("contact", 20, confirmed=True),
            _c("address1", 40, confirmed=True),
            _c("address2", 40, confirmed=True),
            _c("city", 20, confirmed=True),
            _c("addrstate", 10, confirmed=True),
            _c("zip", 10, confirmed=True),
            _c("country", 25, confirmed=True),
            _c("phone", 20, confirmed=True),
            _c("email", 60, confirmed=True),
            _c("pterms", 20, confirmed=True),
            _n("credlimit", *AMOUNT, confirmed=True),
            _n("balance", *AMOUNT, confirmed=True),
            _c("credstat", 1, confirmed=True),
            _c("currid", 3),
            _c("pricecode", 1),
        ),
        key=("custno",),
        confirmed=True,
    ),
    Table(
        "icitem",
        "icitem{co}",
        (
            _c("item", 20, confirmed=True),
            _c("descrip", 40, confirmed=True),
            _n("price", *UNIT_PRICE),
        ),
        key=("item",),
        confirmed=True,
    ),
    Table(
        "icpric",
        "icpric{co}",
        (
            _c("item", 20),
            _c("pricecode", 1),
            _c("custno", 10),
            _n("price", *UNIT_PRICE),
            _c("currid", 3),
        ),
        key=("item", "pricecode", "custno"),
        confirmed=True,
    ),
    Table(
        "somast",
        "somast{co}",
        (
            _c("sono", DOC_NUMBER, right=True, confirmed=True),
            _c("custno", 10, confirmed=True),
            _d("ordate", confirmed=True),
            _c("ponum", 30, confirmed=True),
            _n("ordamt", *AMOUNT, confirmed=True),
            _n("shpamt", *AMOUNT, confirmed=True),
            _n("tax", *AMOUNT, confirmed=True),
            _c("pterms", 20, confirmed=True),
            _c("sostat", 1, confirmed=True),
            _c("sotype", 1, confirmed=True),
            _c("currid", 3),
            _c("adduser", 10, confirmed=True),
            _d("adddate", confirmed=True),
        ),
        key=("sono",),
        confirmed=True,
        writes=True,
    ),
    Table(
        "sotran",
        "sotran{co}",
        (
            _c("sono", DOC_NUMBER, right=True, confirmed=True),
            _n("tranlineno", 4, 0, api="lineno", confirmed=True),
            _c("custno", 10, confirmed=True),
            _c("item", 20, confirmed=True),
            _c("descrip", 40, confirmed=True),
            _n("qtyord", *QUANTITY, confirmed=True),
            _n("origqtyord", *QUANTITY, confirmed=True),
            _n("qtyshp", *QUANTITY, confirmed=True),
            _n("price", *UNIT_PRICE, confirmed=True),
            _n("disc", 6, 2, confirmed=True),
            _n("extprice", *AMOUNT, confirmed=True),
            _c("loctid", 6, confirmed=True),
            _c("sostat", 1, confirmed=True),
            _d("ordate", confirmed=True),
        ),
        key=("sono", "tranlineno"),
        confirmed=True,
        writes=True,
    ),
    Table(
        "armast",
        "armast{co}",
        (
            _c("invno", DOC_NUMBER, right=True, confirmed=True),
            _c("custno", 10, confirmed=True),
            _c("artype", 1, confirmed=True),
            _d("invdte", confirmed=True),
            _c("ponum", 30, confirmed=True),
            _c("sono", DOC_NUMBER, right=True),
            _n("invamt", *AMOUNT, confirmed=True),
            _n("paidamt", *AMOUNT, confirmed=True),
            _n("balance", *AMOUNT, confirmed=True),
            _c("arstat", 1, confirmed=True),
            _c("currid", 3),
        ),
        key=("invno",),
        confirmed=True,
        writes=True,
    ),
    Table(
        "artran",
        "artran{co}",
        (
            _c("invno", DOC_NUMBER, right=True, confirmed=True),
            _n("tranlineno", 4, 0, api="lineno"),
            _c("custno", 10, confirmed=True),
            _c("artype", 1, confirmed=True),
            _c("item", 20, confirmed=True),
            _c("descrip", 40, confirmed=True),
            _n("qtyord", *QUANTITY, confirmed=True),
            _n("qtyshp", *QUANTITY, confirmed=True),
            _n("price", *UNIT_PRICE, confirmed=True),
            _n("disc", 6, 2),
            _n("extprice", *AMOUNT, confirmed=True),
            _d("invdte"),
        ),
        key=("invno", "tranlineno"),
        confirmed=True,
        writes=True,
    ),
    Table(
        "arcash",
        "arcash{co}",
        (
            _c("receiptno", DOC_NUMBER, right=True),
            _c("custno", 10),
            _c("invno", DOC_NUMBER, right=True),
            _c("sono", DOC_NUMBER, right=True),
            _c("reference", 60),
            _n("amount", *AMOUNT),
            _d("paydate", api="date"),
            _c("bank", 15),
            _c("currid", 3),
        ),
        key=("receiptno",),
        writes=True,
    ),
    Table(
        "glbtch",
        "glbtch{co}",
        (
            _c("entryno", DOC_NUMBER, right=True),
            _n("lineno", 4, 0),
            _d("entrydate", api="date"),
            _c("reference", 60),
            _c("batchdesc", 60, api="descrip"),
            _c("account", 20),
            _n("debit", *AMOUNT),
            _n("credit", *AMOUNT),
            _c("linedesc", 60),
            _c("currid", 3),
        ),
        key=("entryno", "lineno"),
        writes=True,
    ),
    # The Stripe reference of each credit memo or adjustment the agent wrote
    # to armast, with what armast has no confirmed column for: its kind
    # (creditmemo or adjustment) and the document it credits (`applyto`, an
    # invoice or sales order number). References run to 60 characters
    # (`du_…:withdrawn`), past armast.ponum's 30. The agent's own table
    # (created when missing), keyed by the memo's armast invno; a credit memo
    # a Sage Pro user entered has no row here and reads with no reference.
    Table(
        "arref",
        "arref{co}",
        (
            _c("invno", DOC_NUMBER, right=True, api="memono"),
            _c("reference", 60),
            _c("memotype", 10, api="type"),
            _c("applyto", DOC_NUMBER, right=True, api="invno"),
        ),
        key=("invno",),
        writes=True,
        own=True,
    ),
    # A Stripe subscription on the customer (LedgerBridge issue 20): plan,
    # status, current period end and monthly recurring revenue, one row per
    # customer. Sage Pro has no such fields, so this is the agent's own table
    # beside arcust (created when missing), not publicly confirmed: rename its
    # file or change its lengths with a layout file. MRR keeps three
    # decimals so a three-decimal currency's MRR fits.
    Table(
        "arsubs",
        "arsubs{co}",
        (
            _c("custno", 10),
            _c("subid", 40, api="subscription"),
            _c("plan", 30),
            _c("status", 20),
            _d("periodend", api="period_end"),
            _n("mrr", 14, 3),
            _c("currid", 3),
        ),
        key=("custno",),
        writes=True,
        own=True,
    ),
    # Next document numbers: one record per table holding the next number to
    # issue. Where Sage Pro keeps them is not publicly confirmed: point these
    # at the real table and field with a layout file.
    Table(
        "sosyst",
        "sosyst{co}",
        (_n("sono", 10, 0),),
        key=(),
    ),
    Table(
        "arsyst",
        "arsyst{co}",
        (_n("invno", 10, 0), _n("receiptno", 10, 0)),
        key=(),
    ),
    Table(
        "glsyst",
        "glsyst{co}",
        (_n("entryno", 10, 0),),
        key=(),
    ),
)

# counter → (table, field) of the next-number record.
DEFAULT_NUMBERS: dict[str, tuple[str, str]] = {
    "sono": ("sosyst", "sono"),
    "invno": ("arsyst", "invno"),
    "receiptno": ("arsyst", "receiptno"),
    "entryno": ("glsyst", "entryno"),
}

# armast.artype (and artran.artype) of each kind of AR document the agent
# writes. "credit" is confirmed (see the module docstring); "invoice" and
# "debit" (a negative adjustment, which debits the customer) are not: set
# them with a layout file (`{"artypes": {"invoice": "I"}}`). Reads tell
# documents apart by the two memo codes: every other artype is an invoice,
# so Sage Pro's own invoices read as invoices whatever their code.
DEFAULT_ARTYPES: dict[str, str] = {"invoice": "", "credit": "C", "debit": "D"}
# Counters earlier layouts had, and where their documents' numbers come from now.
RETIRED_COUNTERS = {
    "memono": "credit memos are armast rows numbered from the invno counter",
}


@dataclass(frozen=True)
class Layout:
    tables: Mapping[str, Table]
    numbers: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    artypes: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ARTYPES))

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]

    @classmethod
    def default(cls) -> Layout:
        return cls(
            {t.name: t for t in DEFAULT_TABLES},
            dict(DEFAULT_NUMBERS),
            dict(DEFAULT_ARTYPES),
        )

    @property
    def memo_artypes(self) -> frozenset[str]:
        """The artypes of credit memos and adjustments in armast."""
        return frozenset({self.artypes["credit"], self.artypes["debit"]})

    @classmethod
    def load(cls, path: Path | None) -> Layout:
        """The defaults, changed by a JSON layout file when one is given.

        The file may rename a table's file (a subfolder of the data folder
        too, `SODATA/somast{co}`, as installs that keep each module's tables
        apart do), change a field's length or decimals, and move a counter:
        `{"tables": {"somast": {"file": "somast{co}", "fields": {"ponum":
        {"length": 20}}}}, "numbers": {"sono": ["sosyst", "sono"]}}`.
        """
        layout = cls.default()
        if path is None:
            return layout
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"layout file {path}: {exc}") from None
        if not isinstance(data, dict):
            raise ValueError(f"layout file {path}: expected a JSON object")
        tables = dict(layout.tables)
        for name, changes in (data.get("tables") or {}).items():
            if name not in tables:
                raise ValueError(f"layout file {path}: unknown table {name!r}")
            tables[name] = _table_changed(tables[name], changes, path)
        numbers = dict(layout.numbers)
        for counter, target in (data.get("numbers") or {}).items():
            if counter in RETIRED_COUNTERS:
                raise ValueError(
                    f"layout file {path}: counter {counter} is gone: "
                    f"{RETIRED_COUNTERS[counter]}"
                )
            if counter not in numbers:
                raise ValueError(f"layout file {path}: unknown counter {counter!r}")
            table, column = target
            if column not in {f.name for f in tables[table].fields}:
                raise ValueError(
                    f"layout file {path}: counter {counter} names {table}.{column}"
                    ", which the layout does not have"
                )
            numbers[counter] = (table, column)
        artypes = _artypes_changed(
            dict(layout.artypes), data.get("artypes") or {}, tables, path
        )
        return cls(tables, numbers, artypes)

    def describe(self, company: str) -> dict[str, Any]:
        """Every table and field with its precision: GET /api/v1/schema."""
        return {
            name: {
                "file": f"{table.file_name(company)}.dbf",
                "confirmed": table.confirmed,
                "fields": {f.api_name: f.describe() for f in table.fields},
            }
            for name, table in self.tables.items()
        }


def _artypes_changed(
    artypes: dict[str, str], changes: Any, tables: Mapping[str, Table], path: Path
) -> dict[str, str]:
    if not isinstance(changes, dict):
        raise ValueError(f"layout file {path}: artypes must be an object")
    length = tables["armast"].field("artype").length
    for kind, code in changes.items():
        if kind not in artypes:
            raise ValueError(
                f"layout file {path}: unknown artype {kind!r} "
                f"(one of {', '.join(sorted(artypes))})"
            )
        if not isinstance(code, str) or len(code.strip()) > length:
            raise ValueError(
                f"layout file {path}: artype {kind} must be text of at most "
                f"{length} characters"
            )
        artypes[kind] = code.strip()
    if len(set(artypes.values())) != len(artypes):
        raise ValueError(
            f"layout file {path}: the artypes of invoices, credits and debits "
            "must differ, or reads could not tell them apart"
        )
    return artypes


def _table_changed(table: Table, changes: Any, path: Path) -> Table:
    if not isinstance(changes, dict):
        raise ValueError(f"layout file {path}: {table.name} must be an object")
    fields = list(table.fields)
    for name, change in (changes.get("fields") or {}).items():
        index = next((i for i, f in enumerate(fields) if f.name == name), None)
        if index is None:
            raise ValueError(f"layout file {path}: {table.name} has no field {name}")
        allowed = {"length", "decimals"}
        if not isinstance(change, dict) or set(change) - allowed:
            raise ValueError(
                f"layout file {path}: {table.name}.{name} may change only "
                f"{', '.join(sorted(allowed))}"
            )
        fields[index] = replace(fields[index], **change)
    file = str(changes.get("file", table.file))
    parts = file.split("/")
    if (
        "{co}" not in file
        or file.startswith("/")
        or any(p in ("", ".", "..") for p in parts)
        or "\\" in file
        or ":" in file
    ):
        raise ValueError(
            f"layout file {path}: {table.name}.file must be a name inside the "
            "data folder holding {co} (subfolders with /, no .. or \\)"
        )
    return replace(table, file=file, fields=tuple(fields))
