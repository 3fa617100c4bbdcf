"""The agent as installed (gunicorn) killed with SIGKILL in the middle of a burst.

No hook: the whole process group is killed from outside while writes are in
flight, wherever they are. After a restart every order is sent again; each
ends up in Sage Pro's tables exactly once, with all its lines.
"""

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

from conftest import AGENT_ROOT, COMPANY, KEY, order_body, read_table

from ledgerbridge_agent.server import free_port

ORDERS = 24


def start(data_dir, key_file):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ledgerbridge_agent", "serve", "--data", str(data_dir)]
        + ["--company", COMPANY, "--key-file", str(key_file), "--server", "gunicorn"]
        + ["--port", str(port), "--threads", "4"],
        cwd=AGENT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(200):
        try:
            post(port, "GET", "info")
            return process, port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the agent did not start")


def post(port, method, path, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        method,
        f"/api/v1/{path}",
        None if body is None else json.dumps(body),
        {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
    )
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def test_a_burst_killed_midway_and_sent_again_is_written_exactly_once(
    data_dir, key_file
):
    # given: a burst of orders, four at a time
    process, port = start(data_dir, key_file)
    answered = Counter()
    enough = threading.Event()

    def send(numbers):
        for number in numbers:
            try:
                status, _ = post(
                    port, "POST", "salesorders", order_body(f"ch_b{number}")
                )
                answered[status] += 1
                if sum(answered.values()) >= 6:
                    enough.set()
            except (OSError, http.client.HTTPException):
                answered["lost"] += 1

    senders = [
        threading.Thread(target=send, args=(range(i, ORDERS, 4),)) for i in range(4)
    ]
    for sender in senders:
        sender.start()
    # when: the agent's process group is killed once a few have been answered
    enough.wait(timeout=60)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)
    for sender in senders:
        sender.join()
    assert answered["lost"] > 0  # the kill did land mid-burst
    # and: it is started again and every order is sent again
    process, port = start(data_dir, key_file)
    try:
        statuses = Counter(
            post(port, "POST", "salesorders", order_body(f"ch_b{n}"))[0]
            for n in range(ORDERS)
        )
        info = post(port, "GET", "info")[1]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    # then: each order once, whole
    assert set(statuses) <= {201, 409}
    assert info["journal"] == {"done": ORDERS}
    headers = [
        r for r in read_table(data_dir, "somast") if r["ponum"].startswith("ch_b")
    ]
    assert sorted(r["ponum"] for r in headers) == sorted(
        f"ch_b{n}" for n in range(ORDERS)
    )
    lines = Counter(r["sono"] for r in read_table(data_dir, "sotran"))
    assert all(lines[h["sono"]] == 3 for h in headers)
