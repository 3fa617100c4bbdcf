"""The storage interface and its FoxPro free-table adapter.

A store reads rows of a layout table and opens a write: a context in which
the tables to be appended to are locked the way Sage Pro locks them, next
document numbers are taken from Sage Pro's own next-number records, and
rows are appended. Nothing else: exactly-once is the journal's job
(journal.py), business rules the documents' (documents.py).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import dbf

from .dbffile import DbfFormatError, DbfTable
from .layout import CHAR, Layout

# counter → (document table, column) whose keys a new number must not collide
# with: a Sage Pro user may have typed a number by hand. armast holds invoices
# and credit memos alike, so the invno counter skips the numbers of both.
NUMBERED = {
    "sono": ("somast", "sono"),
    "invno": ("armast", "invno"),
    "receiptno": ("arcash", "receiptno"),
    "entryno": ("glbtch", "entryno"),
}


# A file's modification time is only as fine as its file system's clock
# (a jiffy on Linux, a timer tick on NTFS, two seconds on FAT): a write in
# the same tick as a stat leaves the time that stat saw. A stamp taken less
# than this long after the file's mtime cannot vouch that nothing else was
# written after it; the lookups' indexes are then read again once it has
# passed (the check git makes of "racily clean" index entries). It also
# absorbs a few seconds of skew between this clock and a file server's.
RACY_NS = 3_000_000_000
# While the agent keeps writing a table, each write leaves a racy stamp: read
# the indexes again at least this often, so a write of Sage Pro's that fell
# in one of those ticks is seen within this long, however busy the agent is.
UNVERIFIED_MAX_NS = 10_000_000_000


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
        self,
        table: str,
        equals: Mapping[str, str | frozenset[str]] | None = None,
        *,
        ignoring_case: Mapping[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        """Rows whose columns equal the values given (or are in the sets),
        and whose `ignoring_case` columns equal those values in any case."""
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


Stamp = tuple[int, int, int]  # st_ino, st_mtime_ns, st_size


def file_stamp(handle: DbfTable) -> Stamp:
    status = os.fstat(handle.handle.fileno())
    return (status.st_ino, status.st_mtime_ns, status.st_size)


def index_value(handle: DbfTable, record: bytes, column: str, *, folded: bool) -> bytes:
    """A record's key in a column's index: its trimmed bytes, or for an index
    that ignores case its text in lower case (UTF-8)."""
    if folded:
        return str(handle.value(record, column)).lower().encode()
    return handle.field_bytes(record, column)


@dataclass
class LookupIndex:
    """One character column of a table: trimmed value (or, ignoring case,
    its text in lower case) → record numbers."""

    seen: int = 0  # records read into it: 1 … seen
    recnos: dict[bytes, set[int]] = field(default_factory=dict)

    def add(self, value: bytes, recno: int) -> None:
        self.recnos.setdefault(value, set()).add(recno)

    def discard(self, value: bytes, recno: int) -> None:
        found = self.recnos.get(value)
        if found is not None:
            found.discard(recno)
            if not found:
                del self.recnos[value]


@dataclass
class FileState:
    """What the store has read of one table file, and the file as it left it.

    `stamp` and `count` are the file as the store last read it or wrote it
    itself: a file that differs from them was written by another program
    (Sage Pro's users edit records in place, delete, recall and pack), and
    everything read of it is dropped and read again. Appends and in-place
    updates the agent makes itself move the stamp on and keep what was read.

    The stamp is the file's inode, mtime and size, not the header's count:
    an edit or a deletion in place leaves the count (and the size) as it
    was, while any write moves the mtime, to the file system's clock tick
    (RACY_NS covers a write within the tick); the inode catches a file
    replaced by one of the same size, the count a pack.
    """

    stamp: Stamp
    count: int
    # (column, ignoring case) → its index
    indexes: dict[tuple[str, bool], LookupIndex] = field(default_factory=dict)
    # columns → (records seen, keys seen)
    keys: dict[tuple[str, ...], tuple[int, set[tuple]]] = field(default_factory=dict)
    unverified_since: int | None = None  # clock when a racy stamp was kept
    racy_until: int = 0


class DbfStore:
    """Sage Pro's Visual FoxPro free tables in one company data folder.

    One lock serialises the agent's own threads (the agent is one process per
    data folder, see locks.pid_lock); VFP byte-range locks keep Sage Pro's
    users and the agent apart.

    Lookups by character columns go through per-column indexes (FileState)
    rather than a scan of the table, so their cost does not grow with it;
    each record an index names is read again and checked before it is
    returned.
    """

    kind = "dbf"

    def __init__(
        self,
        data: Path,
        company: str,
        layout: Layout,
        *,
        clock: Callable[[], int] = time.time_ns,
    ) -> None:
        self.data = Path(data)
        self.company = company
        self.layout = layout
        self.lock = threading.RLock()
        self.clock = clock  # wall-clock ns, compared with files' mtimes
        self._files: dict[str, FileState] = {}
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
        self,
        table: str,
        equals: Mapping[str, str | frozenset[str]] | None = None,
        *,
        ignoring_case: Mapping[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        with self.lock, self.open(table) as handle:
            return [row for _, row in self._find(handle, equals, ignoring_case)]

    def _find(
        self,
        handle: DbfTable,
        equals: Mapping[str, str | frozenset[str]] | None,
        ignoring_case: Mapping[str, str] | None = None,
    ) -> list[tuple[int, dict[str, Any]]]:
        """(recno, row) of the matching rows, in record order: through the
        indexes of the character columns asked for, or a scan without one."""
        columns = handle.header.columns
        folded = {}
        for name, wanted in (ignoring_case or {}).items():
            if name not in columns or columns[name].type != CHAR:
                raise DbfFormatError(
                    f"{handle.path.name} has no character field {name}"
                )
            folded[name] = wanted.strip().lower()
        indexed = [
            name
            for name in equals or {}
            if name in columns and columns[name].type == CHAR
        ]
        if not indexed and not folded:
            return list(handle.rows(equals))
        state = self._synced(handle)
        candidates: set[int] | None = None
        for name in indexed:
            wanted = (equals or {})[name]
            values = handle.key_bytes(
                name, wanted if isinstance(wanted, frozenset) else frozenset([wanted])
            )
            if values is None:
                return []
            recnos = self._index(state, handle, name).recnos
            found: set[int] = set()
            for value in values:
                found |= recnos.get(value, set())
            candidates = found if candidates is None else candidates & found
            if not candidates:
                return []
        for name, text in folded.items():
            recnos = self._index(state, handle, name, folded=True).recnos
            found = set(recnos.get(text.encode(), set()))
            candidates = found if candidates is None else candidates & found
            if not candidates:
                return []
        return [
            (recno, row)
            for recno, row in handle.rows_at(sorted(candidates or ()), equals)
            if all(row[name].lower() == text for name, text in folded.items())
        ]

    def _index(
        self, state: FileState, handle: DbfTable, column: str, *, folded: bool = False
    ) -> LookupIndex:
        """The column's index, extended by the records appended since it was
        last read (the caller has just synced the state with the file)."""
        index = state.indexes.setdefault((column, folded), LookupIndex())
        if index.seen < handle.header.count:
            for recno, record in handle.raw_records(index.seen):
                index.add(index_value(handle, record, column, folded=folded), recno)
            index.seen = handle.header.count
        return index

    def _synced(self, handle: DbfTable) -> FileState:
        """The table's state, dropped and begun again when the file is not
        as the store last read or wrote it (another program wrote it: an
        edit in place, a deletion, an append, a pack or a replaced file) or
        when a racy stamp's time has come to be checked (RACY_NS)."""
        handle.refresh()
        stamp = file_stamp(handle)  # before any record is read: see RACY_NS
        now = self.clock()
        name = handle.table.name
        state = self._files.get(name)
        if (
            state is None
            or state.stamp != stamp
            or state.count != handle.header.count
            or (
                state.unverified_since is not None
                and (
                    now >= state.racy_until
                    or now - state.unverified_since >= UNVERIFIED_MAX_NS
                )
            )
        ):
            state = self._files[name] = FileState(stamp, handle.header.count)
            self._note_racy(state, stamp, now)
        return state

    def _note_racy(self, state: FileState, stamp: Stamp, now: int) -> None:
        mtime = stamp[1]
        if now - mtime < RACY_NS:
            if state.unverified_since is None:
                state.unverified_since = now
            state.racy_until = max(state.racy_until, mtime + RACY_NS)

    def _before_write(self, handle: DbfTable) -> None:
        """Catch another program's writes before the agent's own move the
        stamp on (the header lock is held: an append's count is its own)."""
        self._synced(handle)

    def _after_write(
        self, handle: DbfTable, changed: Mapping[int, tuple[bytes, bytes]] | None = None
    ) -> None:
        """Move the stamp on past the agent's own write; keep the indexes
        right for records it rewrote in place (recno → (old, new) bytes).
        Records it appended are read into them at the next lookup."""
        handle.refresh()
        state = self._files.get(handle.table.name)
        if state is None:
            return
        stamp = file_stamp(handle)
        state.stamp, state.count = stamp, handle.header.count
        self._note_racy(state, stamp, self.clock())
        for recno, (old, new) in (changed or {}).items():
            for (column, folded), index in state.indexes.items():
                if recno > index.seen:
                    continue
                index.discard(index_value(handle, old, column, folded=folded), recno)
                if new[:1] != b"*":
                    index.add(index_value(handle, new, column, folded=folded), recno)
            for columns in list(state.keys):
                if any(handle.value(old, c) != handle.value(new, c) for c in columns):
                    del state.keys[columns]

    def keys(self, handle: DbfTable, columns: tuple[str, ...]) -> set[tuple]:
        """Every key in the table, read on from where the last call stopped."""
        state = self._synced(handle)
        seen, keys = state.keys.get(columns, (0, set()))
        for _, record in handle.raw_records(seen):
            keys.add(tuple(key_text(handle.value(record, c)) for c in columns))
        state.keys[columns] = (handle.header.count, keys)
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
            found = self._find(handle, key)
            if not found:
                return None
            recno, _ = found[0]
            handle.lock_record(recno, wait=wait)
            # Another program may have changed or deleted the record between
            # the lookup and the lock: read it again under the lock.
            handle.refresh()
            if not any(handle.rows_at([recno], key)):
                return None
            return handle.row(self._update_record(handle, recno, changes))

    def _update_record(
        self, handle: DbfTable, recno: int, changes: Mapping[str, Any]
    ) -> bytes:
        """Rewrite a record in place (its lock held); returns its new bytes."""
        self._before_write(handle)
        old = handle.read_record(recno)
        handle.update(recno, changes)
        new = handle.read_record(recno)
        self._after_write(handle, {recno: (old, new)})
        return new

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
                        self._files.pop(name, None)
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
                self._files.pop(name, None)
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
        self._files.clear()


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
        self.store._update_record(handle, 1, {column: number + 1})
        return str(number)

    def check(self, table: str, row: Mapping[str, Any]) -> None:
        self.tables[table].check(row)

    def append(self, table: str, row: Mapping[str, Any]) -> None:
        handle = self.tables[table]
        self.store._before_write(handle)
        handle.append(row)
        self.store._after_write(handle)
        state = self.store._files.get(table)
        for columns, (seen, keys) in (state.keys if state else {}).items():
            if seen == handle.header.count - 1:
                keys.add(tuple(key_text(row.get(c, "")) for c in columns))
                state.keys[columns] = (handle.header.count, keys)

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
