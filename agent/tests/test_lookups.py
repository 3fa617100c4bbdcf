"""Lookups through the store's per-column indexes: as right as a scan of the
table when other programs write it, and reading only what was appended."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import COMPANY

from ledgerbridge_agent.dbffile import DbfTable, read_header
from ledgerbridge_agent.generate import company_rows, write_dbf
from ledgerbridge_agent.layout import Layout
from ledgerbridge_agent.storage import RACY_NS, DbfStore

LAYOUT = Layout.default()
# Far past any file's mtime: every stamp is settled (see storage.RACY_NS).
SETTLED = 2**62


class Clock:
    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


class Reads:
    """Counts the records the store decodes: by scan and one by one."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.scanned = 0
        self.read = 0
        scan, read = DbfTable.raw_records, DbfTable.read_record

        def raw_records(handle, start=0):
            for found in scan(handle, start):
                self.scanned += 1
                yield found

        def read_record(handle, recno):
            self.read += 1
            return read(handle, recno)

        monkeypatch.setattr(DbfTable, "raw_records", raw_records)
        monkeypatch.setattr(DbfTable, "read_record", read_record)

    def reset(self) -> None:
        self.scanned = self.read = 0


def arcust(data: Path) -> Path:
    return data / f"arcust{COMPANY}.dbf"


def customer(custno: str) -> dict:
    return {"custno": custno, "company": f"Company {custno}", "email": "x@y.example"}


def other_program(data: Path) -> DbfTable:
    """A handle of the file's own, as Sage Pro (or another agent) has."""
    return DbfTable(arcust(data), LAYOUT["arcust"])


def set_mtime(path: Path, mtime_ns: int) -> None:
    os.utime(path, ns=(mtime_ns, mtime_ns))


def custnos(store: DbfStore, custno: str) -> list[str]:
    return [row["custno"] for row in store.rows("arcust", {"custno": custno})]


def test_a_row_another_program_appends_is_found(data_dir):
    store = DbfStore(data_dir, COMPANY, LAYOUT, clock=Clock(SETTLED))
    assert custnos(store, "C90001") == []  # the index is built here
    # when
    with other_program(data_dir) as other:
        other.append(customer("C90001"))
    # then
    assert custnos(store, "C90001") == ["C90001"]


def test_a_key_another_program_changes_in_place_is_found_under_the_new_key(data_dir):
    store = DbfStore(data_dir, COMPANY, LAYOUT, clock=Clock(SETTLED))
    assert custnos(store, "0000002") == ["0000002"]
    before = arcust(data_dir).stat().st_mtime_ns
    # when: a Sage Pro user renames the customer, in a later clock tick
    with other_program(data_dir) as other:
        other.update(2, {"custno": "RENAMED"})
    set_mtime(arcust(data_dir), before + 1_000_000)
    # then
    assert custnos(store, "RENAMED") == ["RENAMED"]
    assert custnos(store, "0000002") == []


def test_a_change_in_the_same_clock_tick_is_found_once_the_tick_is_past(data_dir):
    mtime = arcust(data_dir).stat().st_mtime_ns
    clock = Clock(mtime)  # the store looks within the tick the file was written
    store = DbfStore(data_dir, COMPANY, LAYOUT, clock=clock)
    assert custnos(store, "0000002") == ["0000002"]
    # when: the rename leaves the mtime the store saw
    with other_program(data_dir) as other:
        other.update(2, {"custno": "RENAMED"})
    set_mtime(arcust(data_dir), mtime)
    # then: the old key's record is read again and no longer matches …
    assert custnos(store, "0000002") == []
    # … and once the tick is surely past, the index is read again
    clock.now = mtime + RACY_NS
    assert custnos(store, "RENAMED") == ["RENAMED"]


def test_a_table_the_agent_keeps_writing_is_read_again_within_the_bound(
    data_dir, monkeypatch
):
    second = 1_000_000_000
    start = arcust(data_dir).stat().st_mtime_ns
    clock = Clock(start)
    store = DbfStore(data_dir, COMPANY, LAYOUT, clock=clock)
    store.rows("arcust", {"custno": "0000001"})
    reads = Reads(monkeypatch)
    scanned = []
    # when: the agent appends once a second, each write leaving an mtime
    # half a second behind the clock (a racy stamp every time)
    for elapsed in range(1, 11):
        clock.now = start + elapsed * second
        with store.writing(("arcust",), wait=0) as writer:
            writer.append("arcust", customer(f"C9{elapsed:04d}"))
            set_mtime(arcust(data_dir), clock.now - second // 2)
            store._after_write(writer.tables["arcust"])
        reads.reset()
        store.rows("arcust", {"custno": "0000001"})
        scanned.append(reads.scanned)
    # then: each lookup reads the record appended, until the first racy
    # stamp is UNVERIFIED_MAX_NS old: then the whole table again
    assert scanned == [1] * 9 + [6 + 10]


def test_a_row_another_program_deletes_is_not_returned(data_dir):
    store = DbfStore(data_dir, COMPANY, LAYOUT, clock=Clock(SETTLED))
    assert custnos(store, "0000003") == ["0000003"]
    mtime = arcust(data_dir).stat().st_mtime_ns
    # when: record 3 is flagged deleted, the mtime left as it was (so only the
    # lookup's re-reading of the record can see it)
    with open(arcust(data_dir), "r+b") as raw:
        header = read_header(raw)
        raw.seek(header.header_length + 2 * header.record_length)
        raw.write(b"*")
    set_mtime(arcust(data_dir), mtime)
    # then
    assert custnos(store, "0000003") == []


def test_a_packed_file_is_read_again(data_dir, tmp_path):
    store = DbfStore(data_dir, COMPANY, LAYOUT, clock=Clock(SETTLED))
    assert custnos(store, "0000001") == ["0000001"]
    assert custnos(store, "C00004") == ["C00004"]
    # when: the table is packed without its first two customers (a shorter
    # file, every record moved up)
    rows = company_rows(customers=6, items=6, seed=7)
    rows = {"arcust": rows["arcust"][2:]}
    write_dbf(tmp_path / "packed", COMPANY, LAYOUT, rows)
    shutil.copyfile(arcust(tmp_path / "packed"), arcust(data_dir))
    # then
    assert custnos(store, "0000001") == []
    [row] = store.rows("arcust", {"custno": "C00004"})
    assert row["company"] == rows["arcust"][1]["company"]


def test_a_lookup_reads_only_the_records_appended_since_the_last(tmp_path, monkeypatch):
    data = tmp_path / "data"
    write_dbf(data, COMPANY, LAYOUT, company_rows(customers=300, items=2, seed=7))
    store = DbfStore(data, COMPANY, LAYOUT, clock=Clock(SETTLED))
    assert custnos(store, "C00150") == ["C00150"]
    reads = Reads(monkeypatch)
    # when: a lookup with nothing appended
    assert custnos(store, "C00200") == ["C00200"]
    # then: only the record found is read
    assert (reads.scanned, reads.read) == (0, 1)
    # when: the agent appends two customers, then looks one up
    with store.writing(("arcust",), wait=0) as writer:
        writer.append("arcust", customer("C90001"))
        writer.append("arcust", customer("C90002"))
    reads.reset()
    assert custnos(store, "C90002") == ["C90002"]
    # then: the two appended records are read into the index, no others
    assert (reads.scanned, reads.read) == (2, 1)


def test_the_agents_own_update_moves_the_index(data_dir, monkeypatch):
    store = DbfStore(data_dir, COMPANY, LAYOUT, clock=Clock(SETTLED))
    [before] = store.rows("arcust", {"custno": "0000002"})
    assert store.rows("arcust", {"email": "new@example.com"}) == []
    reads = Reads(monkeypatch)
    # when
    store.update("arcust", {"custno": "0000002"}, {"email": "new@example.com"}, wait=0)
    # then: found under the new value, not the old, without a scan
    [found] = store.rows("arcust", {"email": "new@example.com"})
    assert found["custno"] == "0000002"
    assert all(
        row["custno"] != "0000002"
        for row in store.rows("arcust", {"email": before["email"]})
    )
    assert reads.scanned == 0


def test_a_handle_reads_what_another_program_wrote_since_its_last_read(data_dir):
    with DbfTable(arcust(data_dir), LAYOUT["arcust"]) as handle:
        count = handle.header.count
        first = handle.read_record(1)
        # when: written while this handle is open, after it has read
        with other_program(data_dir) as other:
            other.update(1, {"company": "Renamed by a Sage Pro user"})
            other.append(customer("C90002"))
        # then: the header and the record as they are now, not as buffered
        handle.refresh()
        assert handle.header.count == count + 1
        assert handle.read_record(1) != first
        assert [row["custno"] for _, row in handle.rows({"custno": "C90002"})] == [
            "C90002"
        ]


def test_an_update_leaves_a_record_another_program_renamed_before_the_lock(
    data_dir, monkeypatch
):
    store = DbfStore(data_dir, COMPANY, LAYOUT, clock=Clock(SETTLED))
    lock = DbfTable.lock_record

    def renamed_first(handle, recno, *, wait):
        # a Sage Pro user renames the customer between the lookup and the lock
        with other_program(data_dir) as other:
            other.update(recno, {"custno": "RENAMED"})
        lock(handle, recno, wait=wait)

    monkeypatch.setattr(DbfTable, "lock_record", renamed_first)
    # when
    updated = store.update(
        "arcust", {"custno": "0000002"}, {"email": "new@example.com"}, wait=0
    )
    # then: nothing is written to the record that is no longer 0000002
    assert updated is None
    monkeypatch.setattr(DbfTable, "lock_record", lock)
    [renamed] = store.rows("arcust", {"custno": "RENAMED"})
    assert renamed["email"] != "new@example.com"


def test_a_key_another_program_changes_is_seen_by_the_writers_key_check(data_dir):
    store = DbfStore(data_dir, COMPANY, LAYOUT, clock=Clock(SETTLED))
    with store.writing(("arcust",), wait=0) as writer:
        assert writer.has("arcust", {"custno": "0000002"})
    before = arcust(data_dir).stat().st_mtime_ns
    # when
    with other_program(data_dir) as other:
        other.update(2, {"custno": "RENAMED"})
    set_mtime(arcust(data_dir), before + 1_000_000)
    # then
    with store.writing(("arcust",), wait=0) as writer:
        assert writer.has("arcust", {"custno": "RENAMED"})


def test_a_customer_is_found_by_email_in_any_case_without_a_scan(data_dir, monkeypatch):
    store = DbfStore(data_dir, COMPANY, LAYOUT, clock=Clock(SETTLED))
    store.rows("arcust", ignoring_case={"email": "nobody@example.com"})
    store.rows("arcust", {"custno": "C00004"})  # as the update finds it
    reads = Reads(monkeypatch)
    # when
    found = store.rows("arcust", ignoring_case={"email": "AP@C00004.Example.COM"})
    # then
    assert [row["custno"] for row in found] == ["C00004"]
    assert (reads.scanned, reads.read) == (0, 1)
    # when: the agent changes the address
    store.update(
        "arcust", {"custno": "C00004"}, {"email": "Billing@C4.example"}, wait=0
    )
    # then
    found = store.rows("arcust", ignoring_case={"email": "billing@c4.EXAMPLE"})
    assert [row["custno"] for row in found] == ["C00004"]
    assert store.rows("arcust", ignoring_case={"email": "ap@c00004.example.com"}) == []
    assert reads.scanned == 0
