"""Record locks at Visual FoxPro's offsets: a lock another user holds is respected.

Another process (standing in for a Sage Pro workstation) takes the lock byte
VFP would take, computed here on its own: 2^31 - 2 for a table's header
(record 0), 2^31 - 2 - n for record n. The agent answers 423 with
Retry-After and writes nothing; once the lock is gone the same request
succeeds.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import RunningAgent, order_body, read_table

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="the holder uses fcntl; Windows uses msvcrt"
)

HOLDER = textwrap.dedent(
    """
    import fcntl, sys
    handle = open(sys.argv[1], "r+b")
    fcntl.lockf(handle.fileno(), fcntl.LOCK_EX, 1, int(sys.argv[2]))
    print("locked", flush=True)
    sys.stdin.readline()
    """
)


class Holder:
    def __init__(self, path: Path, offset: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path), str(offset)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.process.stdout.close()


def test_an_order_waits_for_the_header_lock_sage_pro_holds(client, data_dir):
    # given: a Sage Pro user appending to sotran (its header lock byte)
    holder = Holder(data_dir / "sotran01.dbf", 2**31 - 2)
    next_sono = read_table(data_dir, "sosyst")[0]["sono"]
    try:
        # when
        response = client.post("salesorders", order_body("ch_locked"))
        # then: refused, nothing written, no number used
        assert response.error == (423, "locked", "")
        assert response.headers["Retry-After"] == "2"
        assert "sotran01.dbf" in response.json()["error"]["message"]
        assert not [
            r for r in read_table(data_dir, "somast") if r["ponum"] == "ch_locked"
        ]
        assert read_table(data_dir, "sosyst")[0]["sono"] == next_sono
    finally:
        holder.release()
    # and: once released, the same request goes through
    assert client.post("salesorders", order_body("ch_locked")).status_code == 201


def test_the_next_number_record_lock_is_respected(client, data_dir):
    # given: a user holding record 1 of the next-number table
    holder = Holder(data_dir / "sosyst01.dbf", 2**31 - 2 - 1)
    try:
        response = client.post("salesorders", order_body("ch_num"))
        assert response.error == (423, "locked", "")
    finally:
        holder.release()
    assert client.post("salesorders", order_body("ch_num")).status_code == 201


def test_a_customer_record_being_edited_is_not_overwritten(client, data_dir):
    # given: someone editing customer record 1 in Sage Pro
    first = read_table(data_dir, "arcust")[0]["custno"]
    holder = Holder(data_dir / "arcust01.dbf", 2**31 - 2 - 1)
    try:
        response = client.put(f"customers/{first}", {"phone": "555-9999"})
        assert response.error == (423, "locked", "")
    finally:
        holder.release()
    assert read_table(data_dir, "arcust")[0]["phone"] != "555-9999"
    assert client.put(f"customers/{first}", {"phone": "555-9999"}).status_code == 200


def test_the_agent_holds_the_header_byte_while_it_writes(data_dir, agent):
    # given: the agent in the middle of a write
    probe = textwrap.dedent(
        """
        import fcntl, sys
        handle = open(sys.argv[1], "r+b")
        try:
            fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 2**31 - 2)
        except OSError:
            print("busy")
        else:
            print("free")
        """
    )

    def header_byte() -> str:
        return subprocess.run(
            [sys.executable, "-c", probe, str(data_dir / "somast01.dbf")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    # then: another process cannot take the header lock until the write ends
    with agent.store.writing(("somast",), wait=0):
        assert header_byte() == "busy"
    assert header_byte() == "free"


def test_a_table_open_exclusively_is_answered_423(client, monkeypatch):
    # given: Windows refusing to open a table a VFP user has open exclusively
    real_open = open

    def refusing(path, *args, **kwargs):
        if str(path).endswith("somast01.dbf"):
            raise PermissionError(13, "in use", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refusing)
    # then: reads and writes are told to come back, nothing breaks
    response = client.get("salesorders", query="ponum=x")
    assert response.error == (423, "locked", "")
    assert response.headers["Retry-After"] == "2"
    assert client.post("salesorders", order_body("ch_excl")).error[0] == 423


def test_one_agent_per_data_folder(data_dir, key_file):
    first = RunningAgent(data_dir, key_file)
    try:
        with pytest.raises(RuntimeError, match="another agent"):
            RunningAgent(data_dir, key_file, extra=("--exclusive-wait", "0"))
    finally:
        first.stop()
