"""The record codec against tables Sage Pro may really have: extra VFP field types,
a structural index, characters outside the code page."""

import dbf
import pytest
from conftest import COMPANY, RunningAgent, order_body, read_table

from ledgerbridge_agent.cli import main
from ledgerbridge_agent.layout import Layout


def test_columns_the_layout_does_not_know_are_left_blank_the_vfp_way(data_dir, client):
    # given: somast with a memo, a datetime and an integer column besides ours
    path = data_dir / f"somast{COMPANY}.dbf"
    path.unlink()
    specs = [f.spec for f in Layout.default()["somast"].fields]
    table = dbf.Table(
        str(path),
        "; ".join([*specs, "notes M", "stamp T", "revision I"]),
        dbf_type="vfp",
        codepage="cp1252",
    )
    table.open(dbf.READ_WRITE)
    table.close()
    # when
    created = client.post("salesorders", order_body("ch_types"))
    # then: another reader sees our fields and empty values in the others
    assert created.status_code == 201
    [row] = [r for r in read_table(data_dir, "somast") if r["ponum"] == "ch_types"]
    assert row["sono"] == created.json()["sono"]
    assert row["revision"] == 0
    assert row["notes"] in ("", None)
    assert client.get("salesorders", query="ponum=ch_types").json()["count"] == 1


def test_a_table_with_a_structural_index_stops_the_agent_unless_allowed(
    data_dir, key_file
):
    # given: sotran flagged as having a structural .cdx (header byte 28)
    path = data_dir / f"sotran{COMPANY}.dbf"
    raw = bytearray(path.read_bytes())
    raw[28] |= 0x01
    path.write_bytes(bytes(raw))
    argv = ["serve", "--data", str(data_dir), "--company", COMPANY]
    argv += ["--key-file", str(key_file), "--server", "wsgiref", "--port", "1"]
    # then
    with pytest.raises(SystemExit, match="sotran01.dbf have a structural .cdx"):
        main(argv)
    agent = RunningAgent(data_dir, key_file, extra=("--allow-unindexed-writes",))
    try:
        assert agent.call("GET", "info").status_code == 200
    finally:
        agent.stop()


def test_a_byte_the_code_page_leaves_undefined_does_not_break_a_read(data_dir, client):
    path = data_dir / f"arcust{COMPANY}.dbf"
    raw = bytearray(path.read_bytes())
    header_length = int.from_bytes(raw[8:10], "little")
    # company starts after the deletion flag and custno (10 characters)
    raw[header_length + 1 + 10] = 0x81
    path.write_bytes(bytes(raw))
    response = client.get("customers")
    assert response.status_code == 200
    assert response.json()["data"][0]["company"].startswith("\ufffd")
