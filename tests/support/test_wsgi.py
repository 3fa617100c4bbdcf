"""The in-process WSGI adapter keeps the request signals from closing a
connection while any thread is inside a call, and puts them back after."""

import threading

from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from tests.support import wsgi


def _connected() -> bool:
    key = id(close_old_connections)
    return all(
        any(lookup[0] == key for lookup, *_ in signal.receivers)
        for signal in (request_started, request_finished)
    )


def test_signals_stay_off_until_the_last_thread_returns():
    # given the receivers connected, and one thread inside a call
    assert _connected()
    inside = threading.Event()
    leave = threading.Event()

    def call_in_thread():
        with wsgi._connections_kept_open():
            inside.set()
            leave.wait(10)

    other = threading.Thread(target=call_in_thread)
    other.start()
    inside.wait(10)

    # when this thread's call returns first
    with wsgi._connections_kept_open():
        assert not _connected()
    # then the receivers stay off for the thread still inside
    assert not _connected()
    leave.set()
    other.join(10)
    # and come back once it returns
    assert _connected()


def test_signals_a_test_switched_off_stay_off():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with wsgi._connections_kept_open():
            pass
        assert not _connected()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
