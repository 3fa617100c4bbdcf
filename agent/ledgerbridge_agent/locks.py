"""Byte-range locks at the offsets Visual FoxPro uses, so Sage Pro respects them.

Visual FoxPro does not lock the bytes of a record: it locks one byte far
beyond the data, counted down from 2^31 - 2. The table header counts as
record 0 and is locked at 2,147,483,646; record n at 2,147,483,646 - n
(record 1 at 2,147,483,645). VFP locks the header before it appends a record
or changes the header, and a record before it changes that record. Source:
Christof Wollenhaupt, "Looking at Locking" (foxpert.com knowlbits 2007-07),
and the Fox wiki's RLOCK page (the lock sits at 2 GB - RECNO()).

On Windows these are real LockFile locks (`msvcrt.locking`), which VFP
clients on the file share honour. On Linux `fcntl` byte-range locks are
advisory: other agents and tools that use the same offsets respect them, and
Samba maps a Windows client's lock to the same range, but a process that
takes no lock is not stopped. Note that POSIX drops every `fcntl` lock a
process holds on a file when it closes any descriptor of that file: the
stores keep one descriptor per table open for the whole of a write.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from typing import BinaryIO

HEADER_LOCK_OFFSET = 2_147_483_646  # 2^31 - 2: record 0, the header


def record_lock_offset(recno: int) -> int:
    """Where VFP locks record `recno` (1-based); 0 is the header."""
    return HEADER_LOCK_OFFSET - recno


class LockBusy(Exception):
    """Another user holds the lock; try again later."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} is locked by another user")
        self.what = what


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: BinaryIO, offset: int) -> bool:
        handle.seek(offset)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: BinaryIO, offset: int) -> None:
        handle.seek(offset)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: BinaryIO, offset: int) -> bool:
        try:
            fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset)
        except OSError:
            return False
        return True

    def _unlock(handle: BinaryIO, offset: int) -> None:
        fcntl.lockf(handle.fileno(), fcntl.LOCK_UN, 1, offset)


def lock_byte(handle: BinaryIO, offset: int, *, wait: float, what: str) -> None:
    """Take the lock byte, retrying for up to `wait` seconds (VFP's REPROCESS)."""
    deadline = time.monotonic() + max(wait, 0.0)
    while not _try_lock(handle, offset):
        if time.monotonic() >= deadline:
            raise LockBusy(what)
        time.sleep(0.02)


def unlock_byte(handle: BinaryIO, offset: int) -> None:
    # Closing the descriptor releases it anyway.
    with contextlib.suppress(OSError):
        _unlock(handle, offset)


def pid_lock(path: os.PathLike[str] | str, *, wait: float) -> BinaryIO:
    """One agent per data folder: an exclusive lock held while the agent runs.

    Taken by the process that writes (gunicorn's worker, not its master), and
    waited for: a worker whose master was killed lingers a moment, and must
    be gone before a new agent writes.
    """
    handle = open(path, "a+b")  # noqa: SIM115 - held for the process's life
    try:
        lock_byte(handle, 0, wait=wait, what=f"{path}")
    except LockBusy:
        handle.close()
        raise LockBusy(f"{path} (another agent serves this data folder)") from None
    return handle
