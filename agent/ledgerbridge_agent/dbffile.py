"""Records of a Visual FoxPro free table, read and written byte for byte.

The `dbf` package creates the tables (generate.py) and the tests read them
back with it as an independent reader; the agent reads and writes records
itself because the package converts N fields through `float` and strips
character values (Sage Pro keeps sono and invno right-aligned), and has no
locking. The format is dBASE's with VFP's header (type 0x30): a 32-byte
header (record count at 4, header length at 8, record length at 10), 32-byte
field descriptors ended by 0x0D, then fixed-length records that start with a
deletion flag (`*` deleted, space live), and 0x1A after the last record.
"""

from __future__ import annotations

import datetime as dt
import functools
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from .layout import CHAR, DATE, LOGICAL, NUMERIC, Table
from .locks import (
    HEADER_LOCK_OFFSET,
    LockBusy,
    lock_byte,
    record_lock_offset,
    unlock_byte,
)

CODEPAGE = "cp1252"  # the code page mark 0x03 that generate.py writes
EOF_MARK = b"\x1a"
# VFP's binary field types (integer, currency, datetime, double, memo and
# general block numbers, varbinary, blob, picture, null flags): blank is zeros.
BINARY_TYPES = frozenset("IYTBMGQWP0")
# Header byte 28: 0x01 when the table has a structural .cdx index.
STRUCTURAL_CDX = 0x01


class DbfFormatError(Exception):
    pass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    offset: int
    length: int
    decimals: int


@dataclass(frozen=True)
class Header:
    count: int
    header_length: int
    record_length: int
    columns: dict[str, Column]
    flags: int = 0

    @property
    def has_structural_index(self) -> bool:
        return bool(self.flags & STRUCTURAL_CDX)

    def blank(self) -> bytes:
        """An empty record: spaces, and zeros in binary fields."""
        record = bytearray(b" " * self.record_length)
        for column in self.columns.values():
            if column.type in BINARY_TYPES:
                end = column.offset + column.length
                record[column.offset : end] = bytes(column.length)
        return bytes(record)


def read_header(handle: BinaryIO) -> Header:
    handle.seek(0)
    head = handle.read(32)
    if len(head) < 32:
        raise DbfFormatError("file is shorter than a DBF header")
    count, header_length, record_length = struct.unpack("<IHH", head[4:12])
    descriptors = handle.read(header_length - 32)
    columns = _columns(descriptors, record_length)
    return Header(count, header_length, record_length, columns, head[28])


@functools.lru_cache(maxsize=256)
def _columns(descriptors: bytes, record_length: int) -> dict[str, Column]:
    """The field descriptors parsed; the same bytes always give the same
    columns, so each table's are parsed once per process, not per open.
    Callers never change the dict."""
    columns: dict[str, Column] = {}
    offset = 1  # after the deletion flag
    for start in range(0, len(descriptors), 32):
        chunk = descriptors[start : start + 32]
        if not chunk or chunk[0] == 0x0D or len(chunk) < 32:
            break
        name = chunk[:11].split(b"\x00", 1)[0].decode("ascii").lower()
        kind = chr(chunk[11])
        length, decimals = chunk[16], chunk[17]
        columns[name] = Column(name, kind, offset, length, decimals)
        offset += length
    if offset != record_length:
        raise DbfFormatError("field lengths do not add up to the record length")
    return columns


def decode(column: Column, raw: bytes) -> Any:
    if column.type in BINARY_TYPES:
        return None  # the agent neither reads nor writes these
    # A byte cp1252 leaves undefined must not stop a read.
    text = raw.decode(CODEPAGE, errors="replace")
    if column.type == CHAR:
        return text.strip()
    if column.type in (NUMERIC, "F"):
        text = text.strip()
        if not text or text.startswith("*"):
            return Decimal(0)
        try:
            return Decimal(text)
        except InvalidOperation:
            raise DbfFormatError(f"{column.name}: {text!r} is not a number") from None
    if column.type == DATE:
        text = text.strip()
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8])) if text else None
    if column.type == LOGICAL:
        return text in ("T", "t", "Y", "y")
    return text


def encode(column: Column, value: Any, *, right: bool = False) -> bytes:
    """A value as the field's bytes; raises ValueError when it does not fit."""
    if column.type == CHAR:
        text = "" if value is None else str(value)
        raw = text.encode(CODEPAGE)
        if len(raw) > column.length:
            raise ValueError(f"{column.name}: {text!r} is longer than {column.length}")
        return raw.rjust(column.length) if right else raw.ljust(column.length)
    if column.type == NUMERIC:
        number = Decimal(0) if value is None else Decimal(value)
        quantum = Decimal(1).scaleb(-column.decimals)
        if number != number.quantize(quantum):
            raise ValueError(
                f"{column.name}: {number} has more than {column.decimals} decimals"
            )
        text = f"{number.quantize(quantum):f}"
        if len(text) > column.length:
            raise ValueError(
                f"{column.name}: {number} does not fit N({column.length},"
                f"{column.decimals})"
            )
        return text.rjust(column.length).encode("ascii")
    if column.type == DATE:
        return (value.strftime("%Y%m%d") if value else " " * 8).encode("ascii")
    if column.type == LOGICAL:
        return b"T" if value else b"F"
    raise ValueError(f"{column.name}: the agent does not write type {column.type}")


class DbfTable:
    """One open table file: reads, appends and in-place updates under VFP locks.

    Keep the instance (and its descriptor) for the whole of a write: closing
    any descriptor of the file drops this process's POSIX locks on it.
    """

    def __init__(self, path: Path, table: Table) -> None:
        self.path = path
        self.table = table
        self.right = {f.name for f in table.fields if f.right}
        try:
            self.handle: BinaryIO = open(path, "r+b")  # noqa: SIM115
        except FileNotFoundError:
            raise DbfFormatError(f"{path} does not exist") from None
        except PermissionError:
            # Windows refuses while a VFP user has the table open exclusively
            # (USE ... EXCLUSIVE: a pack or a reindex).
            raise LockBusy(f"{path.name} (open exclusively)") from None
        self.header = read_header(self.handle)
        self._locked: list[int] = []

    def close(self) -> None:
        for offset in self._locked:
            unlock_byte(self.handle, offset)
        self._locked.clear()
        self.handle.close()

    def __enter__(self) -> DbfTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- locks ---------------------------------------------------------------

    def lock_header(self, *, wait: float) -> None:
        lock_byte(self.handle, HEADER_LOCK_OFFSET, wait=wait, what=self.path.name)
        self._locked.append(HEADER_LOCK_OFFSET)

    def lock_record(self, recno: int, *, wait: float) -> None:
        offset = record_lock_offset(recno)
        lock_byte(self.handle, offset, wait=wait, what=f"{self.path.name} #{recno}")
        self._locked.append(offset)

    # --- reads ---------------------------------------------------------------

    def _from_disk(self) -> None:
        """Drop the read-ahead buffer: other programs write the file between
        this handle's reads (after a lock is taken, above all), and a seek
        inside the buffer would answer with the bytes read before. Flushing a
        BufferedRandom writes what is pending and discards what it read ahead."""
        self.handle.flush()

    def refresh(self) -> None:
        self._from_disk()
        self.header = read_header(self.handle)

    def raw_records(self, start: int = 0) -> Iterator[tuple[int, bytes]]:
        """(recno, bytes) of live records from record `start` (0-based) on."""
        size = self.header.record_length
        self._from_disk()
        self.handle.seek(self.header.header_length + start * size)
        data = self.handle.read((self.header.count - start) * size)
        for index in range(len(data) // size):
            record = data[index * size : (index + 1) * size]
            if record[:1] != b"*":
                yield start + index + 1, record

    def value(self, record: bytes, name: str) -> Any:
        column = self.header.columns[name]
        return decode(column, record[column.offset : column.offset + column.length])

    def row(self, record: bytes) -> dict[str, Any]:
        return {name: self.value(record, name) for name in self.header.columns}

    def rows(
        self, equals: Mapping[str, str | frozenset[str]] | None = None
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """Live rows whose fields equal the values (or are in the sets) given.

        Character fields are compared as trimmed bytes, before any decoding:
        a scan of a large table decodes only the rows it returns.
        """
        matches = self.matcher(equals)
        if matches is None:
            return
        for recno, record in self.raw_records():
            if matches(record):
                yield recno, self.row(record)

    def rows_at(
        self,
        recnos: Iterable[int],
        equals: Mapping[str, str | frozenset[str]] | None = None,
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """The records given, read again, that are live and still match."""
        matches = self.matcher(equals)
        if matches is None:
            return
        for recno in recnos:
            if not 1 <= recno <= self.header.count:
                continue
            record = self.read_record(recno)
            live = len(record) == self.header.record_length and record[:1] != b"*"
            if live and matches(record):
                yield recno, self.row(record)

    def matcher(
        self, equals: Mapping[str, str | frozenset[str]] | None
    ) -> Callable[[bytes], bool] | None:
        """A test of a record against the values; None when none can match."""
        raw: list[tuple[int, int, frozenset[bytes]]] = []
        decoded: dict[str, frozenset[str]] = {}
        for name, wanted in (equals or {}).items():
            column = self.header.columns.get(name)
            if column is None:
                raise DbfFormatError(f"{self.path.name} has no field {name}")
            values = wanted if isinstance(wanted, frozenset) else frozenset([wanted])
            if column.type == CHAR:
                encoded = self.key_bytes(name, values)
                if encoded is None:
                    return None
                raw.append((column.offset, column.offset + column.length, encoded))
            else:
                decoded[name] = values

        def matches(record: bytes) -> bool:
            return all(record[a:b].strip() in v for a, b, v in raw) and all(
                str(self.value(record, n)) in v for n, v in decoded.items()
            )

        return matches

    def key_bytes(self, name: str, values: frozenset[str]) -> frozenset[bytes] | None:
        """Character values as a record holds them, trimmed; None when one
        holds a character no stored value can (outside the code page)."""
        try:
            return frozenset(v.strip().encode(CODEPAGE) for v in values)
        except UnicodeEncodeError:
            return None

    def field_bytes(self, record: bytes, name: str) -> bytes:
        """A character field's trimmed bytes, as `matcher` compares them."""
        column = self.header.columns[name]
        return record[column.offset : column.offset + column.length].strip()

    def read_record(self, recno: int) -> bytes:
        size = self.header.record_length
        self._from_disk()
        self.handle.seek(self.header.header_length + (recno - 1) * size)
        return self.handle.read(size)

    # --- writes --------------------------------------------------------------

    def trim_torn_append(self) -> int:
        """Cut bytes past the last counted record; the caller holds the header lock.

        An append writes the record, then the count in the header: a crash in
        between leaves a record the header does not count. FoxPro's open
        check only refuses a file shorter than its count says (Microsoft KB
        Q119763); whether VFP's SET TABLEVALIDATE also refuses a longer one is
        not confirmed here. Cut it either way, so the file is as VFP itself
        leaves it, and put the end-of-file mark back. Returns the bytes cut.
        """
        self.refresh()
        end = self.header.header_length + self.header.count * self.header.record_length
        self.handle.seek(0, 2)
        size = self.handle.tell()
        if size <= end + 1:
            return 0
        self.handle.truncate(end)
        self.handle.seek(end)
        self.handle.write(EOF_MARK)
        self.handle.flush()
        return size - end - 1

    def check(self, row: Mapping[str, Any]) -> None:
        """Raise DbfFormatError if the row would not fit this table."""
        try:
            self._encoded(row)
        except ValueError as exc:
            raise DbfFormatError(f"{self.path.name}: {exc}") from None

    def mismatches(self) -> list[str]:
        """How the file's fields differ from the layout's, one line each."""
        found = []
        for field in self.table.fields:
            column = self.header.columns.get(field.name)
            if column is None:
                found.append(f"{self.path.name} has no field {field.name}")
            elif (column.type, column.length, column.decimals) != (
                field.type,
                field.length,
                field.decimals,
            ) and not (column.type == field.type == DATE):
                found.append(
                    f"{self.path.name}.{field.name} is {column.type}"
                    f"({column.length},{column.decimals}); the layout says "
                    f"{field.type}({field.length},{field.decimals})"
                )
        return found

    def _encoded(self, row: Mapping[str, Any], base: bytes | None = None) -> bytes:
        record = bytearray(base or self.header.blank())
        for name, value in row.items():
            column = self.header.columns.get(name)
            if column is None:
                raise DbfFormatError(f"{self.path.name} has no field {name}")
            raw = encode(column, value, right=name in self.right)
            record[column.offset : column.offset + column.length] = raw
        return bytes(record)

    def append(self, row: Mapping[str, Any]) -> int:
        """Append a record; the caller holds the header lock. Returns its recno."""
        self.refresh()
        record = self._encoded(row)
        position = self.header.header_length + self.header.count * len(record)
        self.handle.seek(position)
        self.handle.write(record + EOF_MARK)
        count = self.header.count + 1
        today = dt.date.today()
        self.handle.seek(1)
        self.handle.write(bytes((today.year - 1900, today.month, today.day)))
        self.handle.write(struct.pack("<I", count))
        self.handle.flush()
        self.header = Header(
            count,
            self.header.header_length,
            self.header.record_length,
            self.header.columns,
            self.header.flags,
        )
        return count

    def update(self, recno: int, changes: Mapping[str, Any]) -> None:
        """Rewrite fields of a record; the caller holds its record lock."""
        record = self._encoded(changes, self.read_record(recno))
        size = self.header.record_length
        self.handle.seek(self.header.header_length + (recno - 1) * size)
        self.handle.write(record)
        self.handle.flush()
