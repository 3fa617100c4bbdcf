"""Group commit: threads that each need one row written share one statement.

A web process answers deliveries on several threads, and each delivery must
be committed before its 200 goes out. Written one by one, every delivery pays
its own statement, round trip and commit: in-process on PostgreSQL a bare
round trip cost 54-81 us of client CPU against 112-157 us for the whole
insert, and each statement wakes a database backend and commits. `GroupWriter`
lets the deliveries that arrive while one write is in flight share the next;
under gunicorn (2 processes x 8 threads, 32 concurrent deliveries) a statement
carried 2.3-2.7 deliveries on average.
"""

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class _Slot(Generic[Item, Result]):
    __slots__ = ("item", "result", "error", "ready", "leads")

    def __init__(self, item: Item) -> None:
        self.item = item
        self.result: Result | None = None
        self.error: BaseException | None = None
        self.ready = threading.Event()
        self.leads = False


class GroupWriter(Generic[Item, Result]):
    """Write items from many threads in shared batches; each caller waits
    for its own item only.

    The first caller that finds nobody writing becomes the leader: it takes
    every item waiting at that moment (at most `limit`, its own first), writes
    them with one call of `write`, hands each caller its result, and passes
    the lead to the oldest caller still waiting. No caller waits for a timer:
    a lone item is written at once, and under load the items that arrive
    during one write share the next.

    `write` runs in the leader's thread (with that thread's database
    connection) and returns one result per item, in order. If it raises for a
    batch of several, each item is written again on its own, so one bad item
    fails only its own caller.
    """

    def __init__(
        self, write: Callable[[Sequence[Item]], Sequence[Result]], *, limit: int
    ) -> None:
        self._write = write
        self._limit = max(1, limit)
        self._lock = threading.Lock()
        self._waiting: list[_Slot[Item, Result]] = []
        # Invariant: items wait only while somebody leads (or is being
        # handed the lead), so a caller that finds no leader is first in line.
        self._leading = False

    def submit(self, item: Item) -> Result:
        """Write `item` (with whatever else waits); return its result."""
        slot: _Slot[Item, Result] = _Slot(item)
        with self._lock:
            self._waiting.append(slot)
            if not self._leading:
                self._leading = slot.leads = True
        if not slot.leads:
            slot.ready.wait()
        if slot.leads:
            self._lead()
        if slot.error is not None:
            raise slot.error
        return slot.result  # type: ignore[return-value]

    def _lead(self) -> None:
        try:
            with self._lock:
                batch = self._waiting[: self._limit]
                del self._waiting[: self._limit]
            self._write_batch(batch)
        finally:
            with self._lock:
                if self._waiting:
                    successor = self._waiting[0]
                    successor.leads = True
                    successor.ready.set()
                else:
                    self._leading = False

    def _write_batch(self, batch: list[_Slot[Item, Result]]) -> None:
        try:
            results = self._write([slot.item for slot in batch])
        except Exception as exc:
            if len(batch) == 1:
                batch[0].error = exc
            else:
                for slot in batch:
                    self._write_batch([slot])
                return
        except BaseException:
            # The leader's thread is being stopped: nobody may go on waiting
            # for a result, or find none and take it for one.
            for slot in batch:
                slot.error = RuntimeError("the thread writing this item stopped")
            raise
        else:
            for slot, result in zip(batch, results, strict=True):
                slot.result = result
        finally:
            for slot in batch:
                if not slot.leads:
                    slot.ready.set()
