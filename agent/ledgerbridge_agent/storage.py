"""The storage interface and its FoxPro free-table adapter.

A store reads rows of a layout table and opens a write: a context in which
the tables to be appended to are locked the way Sage Pro locks them, next
document numbers are taken from Sage Pro's own next-number records, and
rows are appended. Nothing else: exactly-once is the journal's job
(journal.py), business rules the documents' (documents.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

import dbf

from .dbffile import DbfTable
from .layout import Layout

# counter → (document table, column) whose keys a new number must not collide
# with: a Sage Pro user may have typed a number by hand.
NUMBERED = {
    "sono": ("somast", "sono"),
    "invno": ("armast", "invno"),
    "receiptno": ("arcash", "receiptno"),
    "memono": ("armemo", "memono"),
    "entryno": ("glbtch", "entryno"),
}


class Writer(Protocol):
    def take_number(self, counter: str) -> str: ...

    def check(self, table: str, row: Mapping[str, Any]) -> None:
        """Raise before anything is written if the row would not fit."""
        ...

    def append(self, table: str, row: Mapping[str, Any]) -> None: ...

    def has(self, table: str, key: Mapping[str, Any]) -> bool: ...


class Store(Protocol):
    layout: Layout
    kind: str

    def rows(
        self, table: str, equals: Mapping[str, str | frozenset[str]] | None = None
    ) -> list[dict[str, Any]]:
        """Rows whose columns equal the values given (or are in the sets)."""
        ...

    def writing(
        self, tables: Sequence[str], counters: Sequence[str] = (), *, wait: float
    ) -> AbstractContextManager[Writer]:
        """Lock the tables (and counters' records) the way Sage Pro does."""
        ...

    def update(
        self,
        table: str,
        key: Mapping[str, str],
        changes: Mapping[str, Any],
        *,
        wait: float,
    ) -> dict[str, Any] | None: ...

    def indexed_tables(self) -> list[str]: ...

    def structure_problems(self) -> list[str]: ...

    def own_tables_create(self) -> list[str]: ...

    def trim_torn_appends(self, *, wait: float) -> list[str]: ...

    def close(self) -> None: ...


def key_text(value: Any) -> str:
    """A key value as the stores compare it: trimmed text, integers plain."""
    if hasattr(value, "as_integer_ratio") and not isinstance(value, bool):
        try:
            if value == int(value):
                return str(int(value))
        except (TypeError, ValueError):
            pass
    return str(value).strip()


class DbfStore:
    """Sage Pro's Visual FoxPro free tables in one company data folder.

    One lock serialises the agent's own threads (the agent is one process per
    data folder, see locks.pid_lock); VFP byte-range locks keep Sage Pro's
    users and the agent apart.
    """

    kind = "dbf"

    def __init__(self, data: Path, company: str, layout: Layout) -> None:
        self.data = Path(data)
        self.company = company
        self.layout = layout
        self.lock = threading.RLock()
        # (table, columns) → (records seen, keys seen)
        self._keys: dict[tuple[str, tuple[str, ...]], tuple[int, set[tuple]]] = {}
        self._paths: dict[str, Path] = {}

    def path(self, table: str) -> Path:
        """The table's file; each part of its name matched ignoring case.

        Sage Pro folders copied from Windows may be upper case (SODATA,
        SOMAST01.DBF), and a layout may put a module's tables in a subfolder.
        """
        if table not in self._paths:
            wanted = f"{self.layout[table].file_name(self.company)}.dbf"
            found = self.data
            for part in wanted.split("/"):
                exact = found / part
                if not exact.exists() and found.is_dir():
                    exact = next(
                        (c for c in found.iterdir() if c.name.lower() == part.lower()),
                        exact,
                    )
                found = exact
            self._paths[table] = found
        return self._paths[table]

    def open(self, table: str) -> DbfTable:
        return DbfTable(self.path(table), self.layout[table])

    def rows(
        self, table: str, equals: Mapping[str, str | frozenset[str]] | None = None
    ) -> list[dict[str, Any]]:
        with self.lock, self.open(table) as handle:
            return [row for _, row in handle.rows(equals)]

    def keys(self, handle: DbfTable, columns: tuple[str, ...]) -> set[tuple]:
        """Every key in the table, read on from where the last call stopped."""
        handle.refresh()
        seen, keys = self._keys.get((handle.table.name, columns), (0, set()))
        if handle.header.count < seen:  # packed or replaced: read it all again
            seen, keys = 0, set()
        for _, record in handle.raw_records(seen):
            keys.add(tuple(key_text(handle.value(record, c)) for c in columns))
        self._keys[(handle.table.name, columns)] = (handle.header.count, keys)
        return keys

    @contextmanager
    def writing(
        self, tables: Sequence[str], counters: Sequence[str] = (), *, wait: float
    ) -> Iterator[DbfWriter]:
        with self.lock:
            opened: dict[str, DbfTable] = {}
            try:
                counter_tables = {self.layout.numbers[c][0] for c in counters}
                for name in sorted(set(tables) | counter_tables):
                    opened[name] = self.open(name)
                # Headers first (VFP locks the header to append), in a fixed
                # order so two writers never wait on each other round a loop.
                for name in sorted(set(tables)):
                    opened[name].lock_header(wait=wait)
                for name in sorted(counter_tables):
                    opened[name].lock_record(1, wait=wait)
                yield DbfWriter(self, opened)
            finally:
                for handle in opened.values():
                    handle.close()

    def update(
        self,
        table: str,
        key: Mapping[str, str],
        changes: Mapping[str, Any],
        *,
        wait: float,
    ) -> dict[str, Any] | None:
        with self.lock, self.open(table) as handle:
            found = next(iter(handle.rows(key)), None)
            if found is None:
                return None
            recno, _ = found
            handle.lock_record(recno, wait=wait)
            handle.update(recno, changes)
            return handle.row(handle.read_record(recno))

    def indexed_tables(self) -> list[str]:
        """Tables the agent writes that carry a structural .cdx index.

        The agent appends records but cannot update a CDX index (neither can
        the dbf package): Sage Pro would not find those records through the
        index until it is rebuilt (Sage Pro's reindex utility).
        """
        found = []
        for name, table in self.layout.tables.items():
            if not (
                table.writes or name in {t for t, _ in self.layout.numbers.values()}
            ):
                continue
            path = self.path(name)
            if not path.exists():
                continue
            with self.lock, self.open(name) as handle:
                if handle.header.has_structural_index:
                    found.append(path.name)
        return found

    def trim_torn_appends(self, *, wait: float) -> list[str]:
        """Cut records a crash left past the header's count; the tables cut."""
        cut = []
        with self.lock:
            for name, table in self.layout.tables.items():
                if not table.writes or not self.path(name).exists():
                    continue
                with self.open(name) as handle:
                    handle.lock_header(wait=wait)
                    if handle.trim_torn_append():
                        cut.append(handle.path.name)
        return cut

    def own_tables_create(self) -> list[str]:
        """Create the agent's own tables (not Sage Pro's) that are missing,
        so an install from before they existed starts; the files made."""
        made = []
        with self.lock:
            for name, table in self.layout.tables.items():
                path = self.path(name)
                if not table.own or path.exists():
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                created = dbf.Table(
                    str(path),
                    "; ".join(f.spec for f in table.fields),
                    dbf_type="vfp",
                    codepage="cp1252",
                )
                created.open(dbf.READ_WRITE)
                created.close()
                made.append(path.name)
        return made

    def structure_problems(self) -> list[str]:
        """Tables missing, or whose fields differ from the layout's (a
        missing table of the agent's own is made when it starts)."""
        problems = []
        for name, table in self.layout.tables.items():
            path = self.path(name)
            if not path.exists() and table.own:
                continue
            if not path.exists():
                problems.append(f"{path.name} is missing from {self.data}")
                continue
            with self.lock, self.open(name) as handle:
                problems += handle.mismatches()
        return problems

    def close(self) -> None:
        self._keys.clear()


class DbfWriter:
    def __init__(self, store: DbfStore, tables: dict[str, DbfTable]) -> None:
        self.store = store
        self.tables = tables

    def take_number(self, counter: str) -> str:
        table, column = self.store.layout.numbers[counter]
        handle = self.tables[table]
        handle.refresh()
        if handle.header.count < 1:
            raise LookupError(f"{handle.path.name} holds no next-number record")
        current = handle.value(handle.read_record(1), column)
        number = max(int(current), 1)
        doc_table, doc_column = NUMBERED[counter]
        used = self._keys(doc_table, (doc_column,))
        while (str(number),) in used:
            number += 1
        handle.update(1, {column: number + 1})
        return str(number)

    def check(self, table: str, row: Mapping[str, Any]) -> None:
        self.tables[table].check(row)

    def append(self, table: str, row: Mapping[str, Any]) -> None:
        handle = self.tables[table]
        handle.append(row)
        for (name, columns), (seen, keys) in self.store._keys.items():
            if name == table and seen == handle.header.count - 1:
                keys.add(tuple(key_text(row.get(c, "")) for c in columns))
                self.store._keys[(name, columns)] = (handle.header.count, keys)

    def has(self, table: str, key: Mapping[str, Any]) -> bool:
        keys = self._keys(table, tuple(key))
        return tuple(key_text(v) for v in key.values()) in keys

    def _keys(self, table: str, columns: tuple[str, ...]) -> set[tuple]:
        # Reuse the locked descriptor: closing another one of the same file
        # would drop this process's POSIX locks on it.
        handle = self.tables.get(table)
        if handle is not None:
            return self.store.keys(handle, columns)
        with self.store.open(table) as other:
            return self.store.keys(other, columns)
