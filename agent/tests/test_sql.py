"""The SQL edition through ODBC: PostgreSQL's ODBC driver standing in for SQL Server.

The same layout tables (`somast01` …) in a database of their own
(`agent_odbc`), written through pyodbc with the postgresql dialect.
"""

import os
from decimal import Decimal

import pytest
from conftest import COMPANY, RunningAgent, WsgiClient, order_body

from ledgerbridge_agent.app import AgentApp
from ledgerbridge_agent.auth import KeyStore
from ledgerbridge_agent.generate import company_rows
from ledgerbridge_agent.hooks import Hooks
from ledgerbridge_agent.journal import Journal
from ledgerbridge_agent.layout import Layout
from ledgerbridge_agent.service import Agent
from ledgerbridge_agent.sqlstore import SqlStore

pyodbc = pytest.importorskip("pyodbc")

SERVER = os.environ.get(
    "AGENT_ODBC_SERVER",
    "Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=5432;Uid=postgres;",
)
DATABASE = "agent_odbc"
CONNECTION = f"{SERVER}Database={DATABASE};"


@pytest.fixture(scope="module")
def database():
    try:
        admin = pyodbc.connect(f"{SERVER}Database=postgres;", autocommit=True)
    except pyodbc.Error as exc:
        pytest.skip(f"no PostgreSQL through ODBC here: {exc}")
    exists = admin.execute(
        "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE
    ).fetchone()
    if not exists:
        admin.execute(f"CREATE DATABASE {DATABASE}")
    admin.close()
    return CONNECTION


@pytest.fixture
def sql_store(database):
    store = SqlStore(database, COMPANY, Layout.default(), dialect="postgresql")
    store.create_tables(company_rows(customers=6, items=6, seed=7))
    yield store
    store.close()


@pytest.fixture
def sql_client(sql_store, tmp_path, key_file):
    agent = Agent(
        store=sql_store,
        journal=Journal(tmp_path / "journal.sqlite3", sql_store.layout),
        hooks=Hooks(enabled=True),
        company=COMPANY,
        home_currency="USD",
        lock_wait=0.05,
    )
    yield WsgiClient(AgentApp(agent, KeyStore(key_file)))
    agent.journal.close()


def select(sql: str, *params):
    connection = pyodbc.connect(CONNECTION)
    try:
        return connection.execute(sql, *params).fetchall()
    finally:
        connection.close()


def test_an_order_is_written_in_one_transaction_to_the_cent(sql_client):
    response = sql_client.post("salesorders", order_body("ch_sql"))
    assert response.status_code == 201
    sono = response.json()["sono"]
    header = select("SELECT sono, ordamt FROM somast01 WHERE ponum = ?", "ch_sql")
    assert len(header) == 1
    assert header[0].sono == sono.rjust(10)  # CHAR(10), right-aligned as in the DBF
    assert header[0].ordamt == Decimal("224.98")
    lines = select(
        "SELECT tranlineno, extprice FROM sotran01 WHERE BTRIM(sono) = ? "
        "ORDER BY tranlineno",
        sono,
    )
    assert [(int(n), e) for n, e in lines] == [
        (1, Decimal("24.30")),
        (2, Decimal("0.70")),
        (3, Decimal("199.98")),
    ]
    assert sql_client.get("salesorders", query="ponum=ch_sql").json()["data"] == [
        response.json()
    ]
    again = sql_client.post("salesorders", order_body("ch_sql"))
    assert again.error == (409, "duplicate", "ponum")


def test_receipts_memos_journals_and_customers_through_odbc(sql_client):
    receipt = {
        "custno": "0000001",
        "reference": "ch_r",
        "amount": "1.50",
        "date": "2025-04-01",
        "bank": "STRIPE",
    }
    assert sql_client.post("cashreceipts", receipt).status_code == 201
    assert sql_client.post("cashreceipts", receipt).error[0] == 409
    journal = {
        "date": "2025-04-30",
        "reference": "po_sql",
        "lines": [
            {"account": "1010", "debit": "5.00"},
            {"account": "1090", "credit": "5.00"},
        ],
    }
    assert sql_client.post("journalentries", journal).status_code == 201
    created = sql_client.post("customers", {"custno": "Q1", "company": "Quay"})
    assert created.status_code == 201
    assert sql_client.put("customers/Q1", {"city": "Oslo"}).json()["city"] == "Oslo"
    assert (
        select("SELECT city FROM arcust01 WHERE BTRIM(custno) = 'Q1'")[0][0].strip()
        == "Oslo"
    )
    precise = {**receipt, "reference": "ch_kwd", "amount": "1.005"}
    assert sql_client.post("cashreceipts", precise).error == (
        400,
        "precision",
        "amount",
    )


def test_a_credit_memo_is_an_armast_row_of_artype_c_through_odbc(sql_client):
    memo = {
        "custno": "0000001",
        "reference": "re_sql",
        "amount": "12.50",
        "date": "2025-04-05",
        "reason": "Refund",
    }
    created = sql_client.post("creditmemos", memo)
    assert created.status_code == 201
    number = created.json()["memono"]
    header = select(
        "SELECT artype, invamt, paidamt, balance FROM armast01 WHERE BTRIM(invno) = ?",
        number,
    )
    assert [tuple(r) for r in header] == [
        ("C", Decimal("-12.50"), Decimal("0.00"), Decimal("-12.50"))
    ]
    lines = select(
        "SELECT artype, qtyshp, price, extprice FROM artran01 WHERE BTRIM(invno) = ?",
        number,
    )
    assert [tuple(r) for r in lines] == [
        ("C", Decimal("-1.0000"), Decimal("12.5000"), Decimal("-12.50"))
    ]
    again = sql_client.post("creditmemos", {**memo, "amount": "1.00"})
    assert again.error == (409, "duplicate", "reference")
    assert again.json()["document"] == created.json()
    assert len(select("SELECT 1 FROM armast01 WHERE artype = 'C'")) == 1
    assert sql_client.get(f"invoices/{number}").error[0] == 404
    invoices = sql_client.get("invoices", query="custno=0000001").json()["data"]
    assert number not in {i["invno"] for i in invoices}
    listed = sql_client.get("creditmemos", query="reference=re_sql").json()["data"]
    assert listed == [created.json()]


def test_a_row_lock_held_by_another_session_is_answered_423(sql_client):
    other = pyodbc.connect(CONNECTION, autocommit=False)
    try:
        other.execute("SELECT sono FROM sosyst01 FOR UPDATE").fetchall()
        response = sql_client.post("salesorders", order_body("ch_sql_lock"))
        assert response.error == (423, "locked", "")
        assert response.headers["Retry-After"]
    finally:
        other.rollback()
        other.close()
    assert not select("SELECT 1 FROM somast01 WHERE ponum = 'ch_sql_lock'")
    assert sql_client.post("salesorders", order_body("ch_sql_lock")).status_code == 201


@pytest.mark.parametrize("step", ["after_line", "after_rows", "after_done"])
def test_a_sql_agent_killed_mid_write_writes_the_order_once(
    sql_store, data_dir, key_file, step
):
    extra = ("--storage", "sql", "--odbc", CONNECTION, "--dialect", "postgresql")
    body = order_body(f"ch_sql_{step}")
    crashing = RunningAgent(
        data_dir, key_file, env={"LB_AGENT_CRASH_AT": step}, extra=extra
    )
    try:
        with pytest.raises(Exception):  # noqa: B017 - the connection drops
            crashing.call("POST", "salesorders", body)
    finally:
        crashing.stop()
    agent = RunningAgent(data_dir, key_file, extra=extra)
    try:
        resent = agent.call("POST", "salesorders", body)
    finally:
        agent.stop()
    assert resent.error == (409, "duplicate", "ponum")
    headers = select("SELECT sono FROM somast01 WHERE ponum = ?", body["ponum"])
    assert len(headers) == 1
    lines = select("SELECT COUNT(*) FROM sotran01 WHERE sono = ?", headers[0].sono)
    assert lines[0][0] == 3
