"""Group commit: concurrent callers share one write and each gets its own result."""

import threading
import time

import pytest

from integrations.grouping import GroupWriter


def run_concurrently(writer: GroupWriter, items: list) -> dict:
    outcomes = {}

    def submit(item):
        try:
            outcomes[item] = writer.submit(item)
        except Exception as exc:
            outcomes[item] = exc

    threads = [threading.Thread(target=submit, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not any(thread.is_alive() for thread in threads), "a caller never woke"
    return outcomes


def test_a_lone_item_is_written_at_once():
    writes = []
    writer = GroupWriter(lambda items: writes.append(list(items)) or items, limit=8)
    assert writer.submit("a") == "a"
    assert writes == [["a"]]


def test_items_arriving_during_a_write_share_the_next_one():
    # given a first write that holds until seven more callers wait
    first_started, release = threading.Event(), threading.Event()
    writes = []

    def write(items):
        writes.append(list(items))
        if len(writes) == 1:
            first_started.set()
            assert release.wait(5)
        return [item.upper() for item in items]

    writer = GroupWriter(write, limit=8)
    first = threading.Thread(target=writer.submit, args=("a",))
    first.start()
    assert first_started.wait(5)
    outcomes: dict = {}
    waiting = threading.Thread(
        target=lambda: outcomes.update(run_concurrently(writer, list("bcdefgh")))
    )
    waiting.start()
    while len(writer._waiting) < 7:
        time.sleep(0.001)
    # when the first write ends
    release.set()
    waiting.join(10)
    first.join(10)
    # then the seven waiting callers were written together, each answered
    assert writes == [["a"], list("bcdefgh")]
    assert outcomes == {item: item.upper() for item in "bcdefgh"}


def test_a_batch_never_exceeds_the_limit_and_nothing_is_lost():
    writes = []
    lock = threading.Lock()

    def write(items):
        with lock:
            writes.append(len(items))
        time.sleep(0.002)
        return [item * 2 for item in items]

    writer = GroupWriter(write, limit=3)
    outcomes = run_concurrently(writer, list(range(60)))
    assert outcomes == {n: n * 2 for n in range(60)}
    assert sum(writes) == 60 and max(writes) <= 3


def test_one_bad_item_fails_only_its_own_caller():
    release = threading.Event()
    writes = []

    def write(items):
        writes.append(list(items))
        if len(writes) == 1:
            assert release.wait(5)
        if "bad" in items:
            raise ValueError("refused")
        return items

    writer = GroupWriter(write, limit=8)
    first = threading.Thread(target=writer.submit, args=("first",))
    first.start()
    while not writes:
        time.sleep(0.001)
    outcomes: dict = {}
    rest = threading.Thread(
        target=lambda: outcomes.update(run_concurrently(writer, ["x", "bad", "y"]))
    )
    rest.start()
    while len(writer._waiting) < 3:
        time.sleep(0.001)
    release.set()
    rest.join(10)
    first.join(10)
    assert outcomes["x"] == "x" and outcomes["y"] == "y"
    assert isinstance(outcomes["bad"], ValueError)
    # The shared write failed, then each item was written on its own.
    assert sorted(writes[1]) == ["bad", "x", "y"]
    assert sorted(map(tuple, writes[2:])) == [("bad",), ("x",), ("y",)]


def test_the_writer_goes_on_after_a_failed_write():
    calls = []

    def write(items):
        calls.append(items)
        if len(calls) == 1:
            raise ConnectionError("database gone")
        return items

    writer = GroupWriter(write, limit=8)
    with pytest.raises(ConnectionError):
        writer.submit("a")
    assert writer.submit("b") == "b"
    assert writer._leading is False and writer._waiting == []
