"""Unconfirmed tables and fields are settings, read from one layout file."""

import json

import pytest
from conftest import COMPANY, KEY, WsgiClient, order_body

from ledgerbridge_agent.app import AgentApp
from ledgerbridge_agent.auth import KeyStore
from ledgerbridge_agent.generate import company_rows, write_dbf
from ledgerbridge_agent.hooks import Hooks
from ledgerbridge_agent.journal import Journal
from ledgerbridge_agent.layout import Layout
from ledgerbridge_agent.service import Agent
from ledgerbridge_agent.storage import DbfStore


def test_a_layout_file_renames_tables_changes_lengths_and_moves_counters(
    tmp_path, key_file
):
    # given: a site whose receipts table is arpay01 and whose ponum is C(20)
    settings = tmp_path / "layout.json"
    settings.write_text(
        json.dumps(
            {
                "tables": {
                    "arcash": {"file": "arpay{co}"},
                    "somast": {"fields": {"ponum": {"length": 20}}},
                },
                "numbers": {"receiptno": ["glsyst", "entryno"]},
            }
        )
    )
    layout = Layout.load(settings)
    data = tmp_path / "data"
    write_dbf(data, COMPANY, layout, company_rows(customers=3, items=4, seed=1))
    agent = Agent(
        store=DbfStore(data, COMPANY, layout),
        journal=Journal(tmp_path / "journal.sqlite3", layout),
        hooks=Hooks(enabled=False),
        company=COMPANY,
        home_currency="USD",
        lock_wait=0,
    )
    client = WsgiClient(AgentApp(agent, KeyStore(key_file)))
    # then: lengths come from the file
    response = client.post("salesorders", order_body("x" * 21))
    assert response.error == (400, "invalid", "ponum")
    assert "at most 20" in response.json()["error"]["message"]
    schema = client.get("schema", key=KEY).json()
    assert schema["tables"]["somast"]["fields"]["ponum"]["length"] == 20
    assert schema["tables"]["arcash"]["file"] == "arpay01.dbf"
    # and: receipts go to the renamed table, numbered from the moved counter
    receipt = {
        "custno": "0000001",
        "reference": "ch_1",
        "amount": "1.00",
        "date": "2025-01-01",
        "bank": "STRIPE",
    }
    assert client.post("cashreceipts", receipt).json()["receiptno"] == "1"
    assert (data / "arpay01.dbf").exists()
    assert not (data / "arcash01.dbf").exists()
    journal = {
        "date": "2025-01-01",
        "reference": "po_1",
        "lines": [{"account": "1", "debit": "1"}, {"account": "2", "credit": "1"}],
    }
    assert client.post("journalentries", journal).json()["entryno"] == "2"


def test_tables_in_module_subfolders_are_found_whatever_their_case(tmp_path, key_file):
    # given: sales order tables kept in SODATA/, a folder named in lower case
    settings = tmp_path / "layout.json"
    settings.write_text(
        json.dumps(
            {
                "tables": {
                    "somast": {"file": "SODATA/somast{co}"},
                    "sotran": {"file": "SODATA/SOTRAN{co}"},
                }
            }
        )
    )
    layout = Layout.load(settings)
    data = tmp_path / "data"
    write_dbf(data, COMPANY, layout, company_rows(customers=3, items=4, seed=1))
    (data / "SODATA").rename(data / "sodata")
    agent = Agent(
        store=DbfStore(data, COMPANY, layout),
        journal=Journal(tmp_path / "journal.sqlite3", layout),
        hooks=Hooks(enabled=False),
        company=COMPANY,
        home_currency="USD",
        lock_wait=0,
    )
    client = WsgiClient(AgentApp(agent, KeyStore(key_file)))
    # when
    assert client.post("salesorders", order_body("ch_sub")).status_code == 201
    # then
    assert agent.store.structure_problems() == []
    raw = (data / "sodata" / "SOTRAN01.dbf").read_bytes()
    assert b"Stripe payment" in raw


def test_a_layout_file_sets_the_artype_of_invoices(tmp_path, key_file):
    # given: a site whose invoices carry artype I
    settings = tmp_path / "layout.json"
    settings.write_text(json.dumps({"artypes": {"invoice": "I"}}))
    layout = Layout.load(settings)
    data = tmp_path / "data"
    write_dbf(data, COMPANY, layout, company_rows(customers=3, items=4, seed=1))
    agent = Agent(
        store=DbfStore(data, COMPANY, layout),
        journal=Journal(tmp_path / "journal.sqlite3", layout),
        hooks=Hooks(enabled=False),
        company=COMPANY,
        home_currency="USD",
        lock_wait=0,
    )
    client = WsgiClient(AgentApp(agent, KeyStore(key_file)))
    invoice = {"custno": "0000001", "invdte": "2025-01-02", "ponum": "in_i"}
    # when
    invno = client.post("invoices", {**invoice, "invamt": "4"}).json()["invno"]
    memo = {"custno": "0000001", "reference": "re_i", "amount": "1", "date": ""}
    memono = client.post("creditmemos", {**memo, "date": "2025-01-03"}).json()
    # then: the invoice has the site's artype, and blank ones still read as
    # invoices (every artype but the memos' is one)
    written = {r["invno"]: r["artype"] for r in agent.store.rows("armast")}
    assert written[invno] == "I"
    assert written[memono["memono"]] == "C"
    listed = {i["invno"] for i in client.get("invoices").json()["data"]}
    assert invno in listed
    assert {n for n, t in written.items() if t == ""} <= listed
    assert memono["memono"] not in listed


@pytest.mark.parametrize(
    "file",
    ["../somast{co}", "/srv/somast{co}", "somast", "C:/x/somast{co}", "a\\b{co}"],
)
def test_a_table_file_outside_the_data_folder_is_refused(tmp_path, file):
    settings = tmp_path / "layout.json"
    settings.write_text(json.dumps({"tables": {"somast": {"file": file}}}))
    with pytest.raises(ValueError, match="inside the data folder"):
        Layout.load(settings)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"tables": {"nope": {}}}, "unknown table"),
        ({"tables": {"somast": {"fields": {"nope": {"length": 1}}}}}, "no field"),
        ({"tables": {"somast": {"fields": {"ponum": {"type": "M"}}}}}, "may change"),
        ({"numbers": {"nope": ["arsyst", "invno"]}}, "unknown counter"),
        ({"numbers": {"sono": ["sosyst", "nope"]}}, "does not have"),
        ({"numbers": {"memono": ["arsyst", "invno"]}}, "numbered from the invno"),
        ({"artypes": {"refund": "R"}}, "unknown artype"),
        ({"artypes": {"invoice": "IN"}}, "at most 1"),
        ({"artypes": {"debit": "C"}}, "must differ"),
        ([], "expected a JSON object"),
    ],
)
def test_a_bad_layout_file_is_refused_with_the_reason(tmp_path, content, message):
    settings = tmp_path / "layout.json"
    settings.write_text(json.dumps(content))
    with pytest.raises(ValueError, match=message):
        Layout.load(settings)
