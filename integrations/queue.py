"""Handing work to django-q2: one broker per process, and batches.

One django-q2 broker per process, shared by every thread that enqueues.

`async_task` without `broker=` builds a new broker for each call; with Redis
that is a new client, a new TCP connection and a CLIENT SETINFO handshake per
enqueue (about 24 ms of a 60 ms webhook request when profiled). The broker is
created lazily in the process that first uses it, so a gunicorn or qcluster
parent that forks never hands its connection to a child; a process that finds
a broker built by its parent builds its own.

`Batcher` lets a web process hand what many requests stored to the workers in
one task (see its docstring).
"""

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable

from django.db import close_old_connections
from django_q.brokers import Broker, get_broker
from django_q.brokers.orm import ORM
from django_q.conf import Conf
from django_q.tasks import async_task

logger = logging.getLogger(__name__)

_lock = threading.Lock()
# (pid, broker) in one tuple so a thread never pairs one process's pid with
# another's broker.
_current: tuple[int, Broker] | None = None


def broker() -> Broker:
    """The calling process's broker (thread-safe: redis-py pools connections)."""
    global _current
    current = _current
    if current is not None and current[0] == os.getpid():
        return current[1]
    with _lock:
        if _current is None or _current[0] != os.getpid():
            _current = (os.getpid(), get_broker())
        return _current[1]


def broker_reset() -> None:
    """Forget the broker (tests that change the queue settings)."""
    global _current
    with _lock:
        _current = None


def task_enqueue(func: str, *args: object) -> str:
    """Queue `func(*args)` for the cluster through this process's broker."""
    return async_task(func, *args, broker=broker())


def enqueue_joins_transaction(using: str) -> bool:
    """Whether a task enqueued inside a transaction on `using` commits with it.

    True for django-q2's ORM broker on that database (not in sync mode, where
    async_task runs the task at once): its queue row is then written in the
    caller's transaction and becomes visible to the cluster exactly when the
    caller's rows do, which is what enqueueing on commit approximates.
    """
    return not Conf.SYNC and using == Conf.ORM and isinstance(broker(), ORM)


class Batcher:
    """Collect items from many threads and hand them over in batches.

    A web process that enqueues one task per webhook pays django-q2's task
    signing and a broker round trip inside every request. Items added here are
    passed to `flush` by one background thread, at most once per `window`
    seconds (and at once when `limit` items wait): an item that arrives after
    a quiet spell is handed over immediately, and a busy process enqueues one
    task for everything that arrived within the window. Items still waiting when
    the interpreter exits normally are flushed then; a process killed outright
    loses what it held, which is why callers only batch what a sweep finds
    again (an event left `received`).
    """

    def __init__(
        self, flush: Callable[[list], None], *, window: float, limit: int
    ) -> None:
        self._flush = flush
        self._window = window
        self._limit = limit
        self._items: list = []
        self._cond = threading.Condition()
        # Held while a batch is taken and flushed, so that a drain at exit
        # waits for a flush in progress instead of letting it be cut off.
        self._flushing = threading.Lock()
        self._pid = 0
        self._thread: threading.Thread | None = None
        self._last_flush = float("-inf")

    def add(self, item: object) -> None:
        with self._cond:
            if self._pid != os.getpid():
                # First use in this process (or a fork inherited a dead thread).
                self._pid = os.getpid()
                self._items = []
                self._thread = threading.Thread(
                    target=self._run, name="ledgerbridge-batcher", daemon=True
                )
                self._thread.start()
                atexit.register(self.drain)
            self._items.append(item)
            if len(self._items) == 1 or len(self._items) >= self._limit:
                self._cond.notify()

    def drain(self) -> None:
        """Flush what is waiting now, in the calling thread."""
        with self._flushing:
            with self._cond:
                items, self._items = self._items, []
            for start in range(0, len(items), self._limit):
                self._flush_safely(items[start : start + self._limit])

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._items)
                deadline = self._last_flush + self._window
                while len(self._items) < self._limit:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    self._cond.wait(left)
            with self._flushing:
                with self._cond:
                    batch = self._items[: self._limit]
                    del self._items[: self._limit]
                self._last_flush = time.monotonic()
                self._flush_safely(batch)

    def _flush_safely(self, batch: list) -> None:
        if not batch:
            return
        try:
            self._flush(batch)
        except Exception:
            logger.exception(
                "could not hand over %s batched items; the sweep will", len(batch)
            )
        finally:
            # This thread's database connection, if the flush opened one.
            close_old_connections()
