"""A Sage Pro company's books read back from its DBF files, to check the agent.

A reader of its own, with the `dbf` package: nothing of the agent's code, so
a document the agent misreports in its replies still shows here as written.
Numeric fields are read as exact decimals from the bytes in the file (the
`dbf` package would make them floats), so a comparison with Stripe is to the
cent. Tables and fields are the agent's documented defaults (README, "Sage Pro
agent"; agent/ledgerbridge_agent/layout.py): somast/sotran, armast/artran,
arcash, arref, glbtch, per company (`somast01.dbf`). armast holds invoices
and credit memos alike, told apart by artype (C a credit, D a debit
adjustment, anything else an invoice), as Sage Pro keeps them; a memo's
reference, kind and the document it credits are in the agent's arref row
of the same number.

`books_read` returns the shape the demo and the tests compare (the SYSPRO
sandbox's `_state` shape): customers, sales_orders (with lines), invoices
(with lines), payments, credit_notes, adjustments (each as the agent's
contract shows it: memono, invno credited, reference, `amount` positive for
a credit), journals (with lines, `amount` signed debit minus credit).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import dbf


class _ExactNumber(Decimal):
    """A DBF numeric field as the decimal its ASCII digits spell."""

    def __new__(cls, raw: bytes) -> Decimal:  # type: ignore[misc]
        return Decimal(raw.decode("ascii").strip() or "0")


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return value


def table_rows(data: Path, table: str, company: str) -> list[dict[str, Any]]:
    """The live (not deleted) records of `<table><company>.dbf`, in file order.

    Field names lower case, text stripped, dates ISO, numbers Decimal; a table
    that does not exist reads as empty.
    """
    path = _table_path(Path(data), f"{table}{company}")
    if path is None:
        return []
    opened = dbf.Table(str(path), default_data_types={"N": _ExactNumber})
    opened.open(dbf.READ_ONLY)
    try:
        names = [name.lower() for name in opened.field_names]
        return [
            {name: _plain(value) for name, value in zip(names, record, strict=True)}
            for record in opened
            if not dbf.is_deleted(record)
        ]
    finally:
        opened.close()


def _table_path(data: Path, stem: str) -> Path | None:
    """The table's file, matched ignoring case as FoxPro on Windows does."""
    for candidate in data.glob("*"):
        if candidate.is_file() and candidate.name.lower() == f"{stem}.dbf":
            return candidate
    return None


def _with_lines(
    headers: list[dict], lines: list[dict], key: str, order: str
) -> list[dict]:
    by_key: dict[str, list[dict]] = {}
    for line in lines:
        by_key.setdefault(line[key], []).append(line)
    return [
        {**header, "lines": sorted(by_key.get(header[key], []), key=lambda r: r[order])}
        for header in headers
    ]


def _journals(rows: list[dict]) -> list[dict]:
    """glbtch holds one row per line; each entry's header repeats on its lines."""
    entries: dict[str, dict] = {}
    for row in rows:
        entry = entries.setdefault(
            row["entryno"],
            {
                "entryno": row["entryno"],
                "date": row.get("entrydate", ""),
                "reference": row.get("reference", ""),
                "descrip": row.get("batchdesc", ""),
                "currid": row.get("currid", ""),
                "lines": [],
            },
        )
        entry["lines"].append(
            {
                "lineno": row.get("lineno"),
                "account": row.get("account", ""),
                "debit": row["debit"],
                "credit": row["credit"],
                "amount": row["debit"] - row["credit"],
                "descrip": row.get("linedesc", ""),
            }
        )
    return list(entries.values())


# armast.artype of credit memos and of debit adjustments (the agent's defaults).
MEMO_ARTYPES = ("C", "D")


def _memos(headers: list[dict], links: list[dict], lines: list[dict]) -> list[dict]:
    """Credit memos and adjustments, armast's sign turned back: a credit is
    negative in armast and positive here."""
    by_number = {link["invno"]: link for link in links}
    first_line: dict[str, dict] = {}
    for line in sorted(lines, key=lambda r: r["tranlineno"], reverse=True):
        first_line[line["invno"]] = line
    memos = []
    for header in headers:
        link = by_number.get(header["invno"], {})
        memos.append(
            {
                "memono": header["invno"],
                "type": link.get("memotype")
                or ("creditmemo" if header["artype"] == "C" else "adjustment"),
                "custno": header["custno"],
                "invno": link.get("applyto", ""),
                "reference": link.get("reference", ""),
                "amount": -header["invamt"],
                "date": header.get("invdte", ""),
                "reason": first_line.get(header["invno"], {}).get("descrip", ""),
                "currid": header.get("currid", ""),
                "artype": header["artype"],
            }
        )
    return memos


def books_read(data: Path, company: str) -> dict[str, list[dict]]:
    """Every customer and open document in the company's tables."""
    armast = table_rows(data, "armast", company)
    artran = table_rows(data, "artran", company)
    memos = _memos(
        [h for h in armast if h.get("artype") in MEMO_ARTYPES],
        table_rows(data, "arref", company),
        [line for line in artran if line.get("artype") in MEMO_ARTYPES],
    )
    return {
        "customers": table_rows(data, "arcust", company),
        "sales_orders": _with_lines(
            table_rows(data, "somast", company),
            table_rows(data, "sotran", company),
            "sono",
            "tranlineno",
        ),
        "invoices": _with_lines(
            [h for h in armast if h.get("artype") not in MEMO_ARTYPES],
            [line for line in artran if line.get("artype") not in MEMO_ARTYPES],
            "invno",
            "tranlineno",
        ),
        "payments": table_rows(data, "arcash", company),
        "credit_notes": [m for m in memos if m["type"] != "adjustment"],
        "adjustments": [m for m in memos if m["type"] == "adjustment"],
        "journals": _journals(table_rows(data, "glbtch", company)),
    }
