"""Sage Pro's SQL edition through ODBC (pyodbc): the same tables, the same rows.

Tables keep the free tables' names (`somast01` …) and columns. What differs
from the FoxPro adapter, per dialect (DIALECTS):

- Transactions exist: a document's header and lines are inserted and the
  next number taken in one transaction, so a crash leaves nothing; the
  journal still records the plan, for a reply lost after the commit.
- Locking: the next-number row is locked for the transaction (SQL Server
  `WITH (UPDLOCK, ROWLOCK)`, PostgreSQL `FOR UPDATE`); how long to wait is
  `SET LOCK_TIMEOUT <ms>` (SQL Server) or `SET LOCAL lock_timeout`
  (PostgreSQL). A timeout is answered 423 like a VFP lock.
- Character keys are CHAR(n), padded like the DBF (sono right-aligned) and
  compared trimmed (`LTRIM(RTRIM(x))` on SQL Server, `BTRIM(x)` on
  PostgreSQL). Numbers are NUMERIC(length, decimals): exact, no float.
  Dates are DATE, NULL where a DBF has blanks. Logicals are BIT / BOOLEAN.
- First row: `SELECT TOP 1` (SQL Server) against `LIMIT 1` (PostgreSQL).

Tested here against PostgreSQL through the "PostgreSQL Unicode" ODBC driver;
SQL Server is not available on this machine, so its dialect is written from
its documentation and untested. SQLite (its ODBC driver is installed here)
is not a dialect: a NUMERIC column there has numeric affinity and keeps
224.98 as a binary float, so amounts would not come back exact.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from .layout import CHAR, DATE, LOGICAL, NUMERIC, Layout, Table
from .locks import LockBusy
from .storage import NUMBERED, key_text

try:
    import pyodbc
except ImportError:  # pragma: no cover - the SQL edition needs it, DBF does not
    pyodbc = None

DIALECTS: dict[str, dict[str, str]] = {
    "mssql": {
        "trim": "LTRIM(RTRIM({}))",
        "lock_wait": "SET LOCK_TIMEOUT {ms}",
        "first_for_update": "SELECT TOP 1 {col} FROM {table} WITH (UPDLOCK, ROWLOCK)",
        "logical": "BIT",
        "lock_error": "1222",
    },
    "postgresql": {
        "trim": "BTRIM({})",
        "lock_wait": "SET LOCAL lock_timeout = '{ms}ms'",
        "first_for_update": "SELECT {col} FROM {table} LIMIT 1 FOR UPDATE",
        "logical": "BOOLEAN",
        "lock_error": "55P03",
    },
}


class SqlStore:
    kind = "sql"

    def __init__(
        self, connection: str, company: str, layout: Layout, *, dialect: str
    ) -> None:
        if pyodbc is None:
            raise SystemExit("the SQL edition needs pyodbc: pip install pyodbc")
        self.company = company
        self.layout = layout
        self.dialect = DIALECTS[dialect]
        self.lock = threading.RLock()
        self.db = pyodbc.connect(connection, autocommit=False)

    def name(self, table: str) -> str:
        return self.layout[table].file_name(self.company)

    def _trim(self, column: str) -> str:
        return self.dialect["trim"].format(column)

    def _where(self, table: Table, equals: Mapping[str, Any]) -> tuple[str, list[Any]]:
        clauses, values = [], []
        for column, value in equals.items():
            kind = table.field(column).type
            if isinstance(value, frozenset):
                if not value:
                    clauses.append("1 = 0")
                    continue
                marks = ", ".join("?" for _ in value)
                target = column if kind == NUMERIC else self._trim(column)
                clauses.append(f"{target} IN ({marks})")
                values.extend(
                    Decimal(key_text(v)) if kind == NUMERIC else key_text(v)
                    for v in sorted(value)
                )
            elif kind == NUMERIC:
                clauses.append(f"{column} = ?")
                values.append(Decimal(key_text(value)))
            else:
                clauses.append(f"{self._trim(column)} = ?")
                values.append(key_text(value))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", values

    def _row(self, table: Table, values: Sequence[Any]) -> dict[str, Any]:
        row = {}
        for field, value in zip(table.fields, values, strict=True):
            if field.type == CHAR:
                row[field.name] = (value or "").strip()
            elif field.type == NUMERIC:
                row[field.name] = Decimal(value if value is not None else 0)
            elif field.type == LOGICAL:
                row[field.name] = bool(value)
            else:
                row[field.name] = value
        return row

    def _select(
        self, cursor: Any, table: str, equals: Mapping[str, Any] | None
    ) -> list[dict[str, Any]]:
        layout = self.layout[table]
        where, values = self._where(layout, equals or {})
        columns = ", ".join(f.name for f in layout.fields)
        cursor.execute(f"SELECT {columns} FROM {self.name(table)}{where}", values)  # noqa: S608 - names come from the layout
        return [self._row(layout, r) for r in cursor.fetchall()]

    def rows(
        self,
        table: str,
        equals: Mapping[str, str] | None = None,
        *,
        ignoring_case: Mapping[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        with self.lock:
            cursor = self.db.cursor()
            try:
                rows = self._select(cursor, table, equals)
            finally:
                self.db.commit()
        folded = {k: v.strip().lower() for k, v in (ignoring_case or {}).items()}
        return [r for r in rows if all(r[k].lower() == v for k, v in folded.items())]

    def _lock_wait(self, cursor: Any, wait: float) -> None:
        # At least 1 ms: 0 means "wait for ever" to both servers.
        cursor.execute(self.dialect["lock_wait"].format(ms=max(int(wait * 1000), 1)))

    def _is_lock_error(self, exc: Exception) -> bool:
        return self.dialect["lock_error"] in str(exc)

    @contextmanager
    def writing(
        self, tables: Sequence[str], counters: Sequence[str] = (), *, wait: float
    ) -> Iterator[SqlWriter]:
        with self.lock:
            cursor = self.db.cursor()
            try:
                self._lock_wait(cursor, wait)
                yield SqlWriter(self, cursor)
                self.db.commit()
            except pyodbc.Error as exc:
                self.db.rollback()
                if self._is_lock_error(exc):
                    raise LockBusy(", ".join(tables)) from None
                raise
            except BaseException:
                self.db.rollback()
                raise

    def update(
        self,
        table: str,
        key: Mapping[str, str],
        changes: Mapping[str, Any],
        *,
        wait: float,
    ) -> dict[str, Any] | None:
        layout = self.layout[table]
        with self.writing((table,), wait=wait) as writer:
            where, values = self._where(layout, key)
            if changes:
                sets = ", ".join(f"{c} = ?" for c in changes)
                params = [_sql_value(layout.field(c), v) for c, v in changes.items()]
                writer.cursor.execute(
                    f"UPDATE {self.name(table)} SET {sets}{where}",  # noqa: S608
                    [*params, *values],
                )
            found = self._select(writer.cursor, table, key)
        return found[0] if found else None

    def create_tables(self, rows: Mapping[str, list[dict[str, Any]]]) -> None:
        """Create the layout's tables and fill them (tests and the demo)."""
        with self.lock:
            cursor = self.db.cursor()
            for name, table in self.layout.tables.items():
                columns = ", ".join(
                    f"{f.name} {self._sql_type(f)}" for f in table.fields
                )
                cursor.execute(f"DROP TABLE IF EXISTS {self.name(name)}")
                cursor.execute(f"CREATE TABLE {self.name(name)} ({columns})")
                writer = SqlWriter(self, cursor)
                for row in rows.get(name, []):
                    writer.append(name, row)
            self.db.commit()

    def _sql_type(self, field: Any) -> str:
        if field.type == CHAR:
            return f"CHAR({field.length})"
        if field.type == NUMERIC:
            return f"NUMERIC({field.length}, {field.decimals})"
        if field.type == DATE:
            return "DATE"
        return self.dialect["logical"]

    def indexed_tables(self) -> list[str]:
        return []  # the server maintains its own indexes

    def trim_torn_appends(self, *, wait: float) -> list[str]:
        return []  # an insert is in the transaction or not at all

    def structure_problems(self) -> list[str]:
        return []  # a column that does not fit fails the insert, in the transaction

    def own_tables_create(self) -> list[str]:
        # The agent does not run DDL on the company's database: its own tables
        # (arsubs) are created by the database's administrator, as the layout
        # describes them (GET /api/v1/schema).
        return []

    def close(self) -> None:
        self.db.close()


def _sql_value(field: Any, value: Any) -> Any:
    if field.type == CHAR:
        text = "" if value is None else str(value)
        return text.rjust(field.length) if field.right else text
    if field.type == NUMERIC:
        return Decimal(value or 0)
    if field.type == DATE:
        return value if isinstance(value, dt.date) else None
    return bool(value)


class SqlWriter:
    def __init__(self, store: SqlStore, cursor: Any) -> None:
        self.store = store
        self.cursor = cursor

    def take_number(self, counter: str) -> str:
        table, column = self.store.layout.numbers[counter]
        sql = self.store.dialect["first_for_update"].format(
            col=column, table=self.store.name(table)
        )
        row = self.cursor.execute(sql).fetchone()
        if row is None:
            raise LookupError(f"{self.store.name(table)} holds no next-number record")
        number = max(int(row[0]), 1)
        doc_table, doc_column = NUMBERED[counter]
        while self.has(doc_table, {doc_column: str(number)}):
            number += 1
        self.cursor.execute(
            f"UPDATE {self.store.name(table)} SET {column} = ?",  # noqa: S608
            [Decimal(number + 1)],
        )
        return str(number)

    def check(self, table: str, row: Mapping[str, Any]) -> None:
        """Nothing to do: the transaction takes all rows or none."""

    def append(self, table: str, row: Mapping[str, Any]) -> None:
        layout = self.store.layout[table]
        columns = [f for f in layout.fields if f.name in row]
        names = ", ".join(f.name for f in columns)
        marks = ", ".join("?" for _ in columns)
        self.cursor.execute(
            f"INSERT INTO {self.store.name(table)} ({names}) VALUES ({marks})",  # noqa: S608
            [_sql_value(f, row[f.name]) for f in columns],
        )

    def has(self, table: str, key: Mapping[str, Any]) -> bool:
        layout = self.store.layout[table]
        where, values = self.store._where(layout, key)
        self.cursor.execute(
            f"SELECT 1 FROM {self.store.name(table)}{where}",  # noqa: S608
            values,
        )
        return self.cursor.fetchone() is not None
