"""Exactly once without transactions: the agent SIGKILLed at each step, then re-sent.

Each scenario starts the agent as a real process with the crash hook armed,
sends a document, sees the connection drop (the process killed itself with
SIGKILL at that step), starts the agent again and sends the same document.
Afterwards Sage Pro's tables, read with the dbf package, hold that document
exactly once and whole, and the journal holds nothing pending.
"""

import http.client
import signal
import threading
import urllib.error
from collections import Counter

import pytest
from conftest import RunningAgent, order_body, read_table

from ledgerbridge_agent.hooks import CRASH_STEPS


def send_and_lose(agent: RunningAgent, path: str, body: dict) -> None:
    with pytest.raises(
        (urllib.error.URLError, ConnectionError, http.client.HTTPException)
    ):
        agent.call("POST", path, body)
    assert agent.process.wait(timeout=20) == -signal.SIGKILL


@pytest.mark.parametrize("step", CRASH_STEPS)
def test_a_sales_order_killed_at_each_step_is_written_once_and_whole(
    data_dir, key_file, step
):
    # given: an agent that dies at `step` of its next write
    body = order_body(f"ch_kill_{step}")
    next_sono = int(read_table(data_dir, "sosyst")[0]["sono"])
    crashing = RunningAgent(data_dir, key_file, env={"LB_AGENT_CRASH_AT": step})
    try:
        send_and_lose(crashing, "salesorders", body)
    finally:
        crashing.stop()
    # when: it starts again (recovery runs first) and the client sends it again
    agent = RunningAgent(data_dir, key_file)
    try:
        found = agent.call("GET", "salesorders", query=f"ponum={body['ponum']}")
        resent = agent.call("POST", "salesorders", body)
        info = agent.call("GET", "info").json()
        listed = agent.call("GET", "salesorders", query=f"ponum={body['ponum']}")
    finally:
        agent.stop()
    # then: one whole order, whichever step the crash hit
    if step == "after_number":
        # Nothing was recorded: the number is skipped, the re-send writes it.
        assert found.json()["count"] == 0
        assert resent.status_code == 201
        assert int(resent.json()["sono"]) == next_sono + 1
        document = resent.json()
    else:
        assert found.json()["count"] == 1
        assert resent.status_code == 409
        document = resent.json()["document"]
        assert document == found.json()["data"][0]
        assert int(document["sono"]) == next_sono
    assert listed.json()["data"] == [document]
    assert info["journal"] == {"done": 1}
    headers = [r for r in read_table(data_dir, "somast") if r["ponum"] == body["ponum"]]
    assert len(headers) == 1
    lines = [r for r in read_table(data_dir, "sotran") if r["sono"] == document["sono"]]
    assert sorted(int(r["tranlineno"]) for r in lines) == [1, 2, 3]
    assert sum(r["extprice"] for r in lines) == headers[0]["ordamt"]


@pytest.mark.parametrize("step", ["after_outbox", "after_header", "after_done"])
def test_a_cash_receipt_killed_mid_write_is_written_once(data_dir, key_file, step):
    body = {
        "custno": "0000001",
        "reference": f"ch_rcpt_{step}",
        "amount": "12.34",
        "date": "2025-04-01",
        "bank": "STRIPE",
    }
    crashing = RunningAgent(data_dir, key_file, env={"LB_AGENT_CRASH_AT": step})
    try:
        send_and_lose(crashing, "cashreceipts", body)
    finally:
        crashing.stop()
    agent = RunningAgent(data_dir, key_file)
    try:
        resent = agent.call("POST", "cashreceipts", body)
    finally:
        agent.stop()
    assert resent.error == (409, "duplicate", "reference")
    rows = [
        r for r in read_table(data_dir, "arcash") if r["reference"] == body["reference"]
    ]
    assert len(rows) == 1
    assert str(rows[0]["amount"]) == "12.34"


@pytest.mark.parametrize("step", ["after_header", "after_line", "after_rows"])
def test_a_credit_memo_killed_mid_write_is_one_whole_armast_document(
    data_dir, key_file, step
):
    # given: the agent dies after the armast row, after its line, or after all
    body = {
        "custno": "0000001",
        "reference": f"re_kill_{step}",
        "amount": "8.25",
        "date": "2025-04-01",
    }
    crashing = RunningAgent(data_dir, key_file, env={"LB_AGENT_CRASH_AT": step})
    try:
        send_and_lose(crashing, "creditmemos", body)
    finally:
        crashing.stop()
    # when: it starts again and the portal sends the memo again
    agent = RunningAgent(data_dir, key_file)
    try:
        resent = agent.call("POST", "creditmemos", body)
    finally:
        agent.stop()
    # then: one armast row of artype C, its line and its reference, once
    assert resent.error == (409, "duplicate", "reference")
    memono = resent.json()["document"]["memono"]
    links = [r for r in read_table(data_dir, "arref") if r["invno"] == memono]
    assert [r["reference"] for r in links] == [body["reference"]]
    headers = [r for r in read_table(data_dir, "armast") if r["artype"] == "C"]
    assert [(r["invno"], str(r["invamt"])) for r in headers] == [(memono, "-8.25")]
    lines = [r for r in read_table(data_dir, "artran") if r["invno"] == memono]
    assert [str(r["extprice"]) for r in lines] == ["-8.25"]


def test_a_reply_lost_after_the_write_is_answered_409_with_the_document(
    client, data_dir
):
    # given: the next reply is lost after the document is written
    client.request("POST", "/_hooks", {"lose_reply_next": 1})
    # when
    lost = client.post("salesorders", order_body("ch_lost"))
    again = client.post("salesorders", order_body("ch_lost"))
    # then
    assert lost.status_code == 500
    assert again.error == (409, "duplicate", "ponum")
    assert again.json()["document"]["ordamt"] == "224.98"
    assert (
        len([r for r in read_table(data_dir, "somast") if r["ponum"] == "ch_lost"]) == 1
    )


def test_the_same_reference_sent_by_many_threads_at_once_is_written_once(
    client, data_dir
):
    statuses = Counter()
    numbers = set()

    def send() -> None:
        response = client.post("salesorders", order_body("ch_race"))
        statuses[response.status_code] += 1
        body = response.json()
        numbers.add((body.get("document") or body)["sono"])

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == Counter({201: 1, 409: 7})
    assert len(numbers) == 1
    assert (
        len([r for r in read_table(data_dir, "somast") if r["ponum"] == "ch_race"]) == 1
    )


def test_different_references_at_once_get_different_numbers(client, data_dir):
    replies = []

    def send(index: int) -> None:
        replies.append(client.post("salesorders", order_body(f"ch_many_{index}")))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in replies] == [201] * 8
    assert len({r.json()["sono"] for r in replies}) == 8
    assert len(read_table(data_dir, "sotran")) == len(
        {(r["sono"], r["tranlineno"]) for r in read_table(data_dir, "sotran")}
    )


def test_writes_past_the_queue_limit_are_answered_429_not_piled_up(agent, client):
    # given: one write in progress and one waiting, with room for one
    agent.max_queue = 2
    agent.write_lock.acquire()
    replies = []
    writers = [
        threading.Thread(
            target=lambda n=n: replies.append(
                client.post("salesorders", order_body(f"ch_q{n}"))
            )
        )
        for n in range(2)
    ]
    try:
        for writer in writers:
            writer.start()
        while agent.queued < 2:
            threading.Event().wait(0.01)
        # when
        refused = client.post("salesorders", order_body("ch_q9"))
    finally:
        agent.write_lock.release()
    for writer in writers:
        writer.join()
    # then
    assert refused.error == (429, "rate_limited", "")
    assert refused.headers["Retry-After"] == "1"
    assert sorted(r.status_code for r in replies) == [201, 201]


def test_a_record_written_but_not_counted_is_cut_at_start(data_dir, agent):
    # given: a crash between writing a record and counting it in the header
    path = data_dir / "somast01.dbf"
    clean = path.read_bytes()
    record_length = int.from_bytes(clean[10:12], "little")
    path.write_bytes(clean[:-1] + b" " + b"9" * (record_length - 1) + b"\x1a")
    # when
    agent.recover()
    # then: the file is as the header says again, and readable
    assert path.read_bytes() == clean
    assert len(read_table(data_dir, "somast")) > 0


def test_the_crash_hook_fires_once_even_if_the_agent_restarts_with_it(
    data_dir, key_file
):
    # given: an agent that crashed at a step, restarted with the same setting
    env = {"LB_AGENT_CRASH_AT": "after_header"}
    crashing = RunningAgent(data_dir, key_file, env=env)
    try:
        send_and_lose(crashing, "salesorders", order_body("ch_once"))
    finally:
        crashing.stop()
    again = RunningAgent(data_dir, key_file, env=env)
    try:
        # then: it writes instead of crashing again (as a gunicorn worker
        # restarted after the crash would)
        assert (
            again.call("POST", "salesorders", order_body("ch_twice")).status_code == 201
        )
    finally:
        again.stop()
