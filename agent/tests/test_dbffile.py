"""The record codec against tables Sage Pro may really have: extra VFP field types,
a structural index, characters outside the code page."""

import dbf
import pytest
from conftest import (
    COMPANY,
    RunningAgent,
    WsgiClient,
    make_agent,
    order_body,
    read_table,
)

from ledgerbridge_agent.app import AgentApp
from ledgerbridge_agent.auth import KeyStore
from ledgerbridge_agent.cli import main
from ledgerbridge_agent.dbffile import read_header
from ledgerbridge_agent.generate import company_rows, write_dbf
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


def shorter_ponum(tmp_path):
    settings = tmp_path / "short.json"
    settings.write_text('{"tables": {"somast": {"fields": {"ponum": {"length": 20}}}}}')
    return Layout.load(settings)


def test_a_data_folder_unlike_the_layout_stops_the_agent_with_each_difference(
    tmp_path, key_file
):
    # given: a company whose somast.ponum is C(20) and that has no GL table
    data = tmp_path / "site"
    write_dbf(
        data,
        COMPANY,
        shorter_ponum(tmp_path),
        company_rows(customers=3, items=3, seed=2),
    )
    (data / f"glbtch{COMPANY}.dbf").unlink()
    argv = ["serve", "--data", str(data), "--company", COMPANY]
    argv += ["--key-file", str(key_file), "--server", "wsgiref", "--port", "1"]
    # then
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    message = str(stopped.value)
    assert "somast01.dbf.ponum is C(20,0); the layout says C(30,0)" in message
    assert "glbtch01.dbf is missing" in message


def test_a_row_that_cannot_fit_stops_the_write_before_anything_is_written(
    tmp_path, key_file
):
    # given: the same mismatch, with the start-up check skipped
    data = tmp_path / "site"
    write_dbf(
        data,
        COMPANY,
        shorter_ponum(tmp_path),
        company_rows(customers=3, items=3, seed=2),
    )
    agent = make_agent(data)
    client = WsgiClient(AgentApp(agent, KeyStore(key_file)))
    before = {name: len(read_table(data, name)) for name in ("somast", "sotran")}
    # when: a ponum of 25 characters, valid for the layout, too long for the file
    response = client.post("salesorders", order_body("p" * 25))
    # then
    assert response.error == (500, "server_error", "")
    assert {name: len(read_table(data, name)) for name in before} == before
    assert agent.journal.counts() == {}


def test_history_tables_are_never_written(data_dir, client):
    # given: Sage Pro's history tables beside the open ones
    history = {}
    for name in ("arymst", "soymst"):
        path = data_dir / f"{name}{COMPANY}.dbf"
        table = dbf.Table(str(path), "sono C(10); invno C(10)", dbf_type="vfp")
        table.open(dbf.READ_WRITE)
        table.close()
        history[path] = path.read_bytes()
    # when: one of every document
    assert client.post("salesorders", order_body("ch_h")).status_code == 201
    invoice = {"custno": "0000001", "invdte": "2025-04-02", "invamt": "5.00"}
    assert client.post("invoices", {**invoice, "ponum": "in_h"}).status_code == 201
    receipt = {"custno": "0000001", "reference": "ch_h", "amount": "1.00"}
    receipt |= {"date": "2025-04-02", "bank": "STRIPE"}
    assert client.post("cashreceipts", receipt).status_code == 201
    # then
    assert {path: path.read_bytes() for path in history} == history


def test_a_header_read_again_sees_new_records_and_a_changed_structure(data_dir):
    # given: arcust read once, then a record appended by another writer
    path = data_dir / f"arcust{COMPANY}.dbf"
    with path.open("rb") as handle:
        before = read_header(handle)
    table = dbf.Table(str(path))
    table.open(dbf.READ_WRITE)
    table.append()
    table.close()
    # when it is read again
    with path.open("rb") as handle:
        after = read_header(handle)
    # then the count is new and the columns are the same
    assert after.count == before.count + 1
    assert after.columns == before.columns
    # and a table of another structure has its own columns
    with (data_dir / f"somast{COMPANY}.dbf").open("rb") as handle:
        other = read_header(handle)
    assert "sono" in other.columns
    assert "sono" not in after.columns
