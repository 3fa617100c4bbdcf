"""Handing work to django-q2: one broker per process.

One django-q2 broker per process, shared by every thread that enqueues.

`async_task` without `broker=` builds a new broker for each call; with Redis
that is a new client, a new TCP connection and a CLIENT SETINFO handshake per
enqueue, a large part of a webhook request. The broker is created lazily in
the process that first uses it, so a gunicorn or qcluster parent that forks
never hands its connection to a child; a process that finds a broker built by
its parent builds its own.
"""

import os
import threading

from django_q.brokers import Broker, get_broker
from django_q.tasks import async_task

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


def event_process_enqueue(event_pk: int) -> str:
    """Queue the processing of a stored webhook event."""
    return task_enqueue("integrations.tasks.process_event", event_pk)
