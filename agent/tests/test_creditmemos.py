"""Credit memos as Sage Pro keeps them: armast rows of artype C, negative amounts.

The public evidence (layout.py's docstring: gnubyte/Foxpro_Search, a real
ACCPAC Pro Series company) shows a credit memo as an armast row with artype
C, invamt and balance negative, and artran lines of artype C with negative
quantities and extprice, numbered in armast's invno space.
"""

import datetime as dt
from decimal import Decimal

from conftest import COMPANY, KEY, WsgiClient, read_table

from ledgerbridge_agent.app import AgentApp
from ledgerbridge_agent.auth import KeyStore
from ledgerbridge_agent.hooks import Hooks
from ledgerbridge_agent.journal import Journal
from ledgerbridge_agent.service import Agent

MEMO = {
    "custno": "0000001",
    "reference": "re_cm1",
    "amount": "12.50",
    "date": "2025-04-05",
    "reason": "Refund",
}


def _rows(data_dir, table, invno):
    return [r for r in read_table(data_dir, table) if r["invno"] == invno]


def test_a_credit_memo_is_one_armast_row_of_artype_c_with_negative_lines(
    client, data_dir
):
    # given: the next invoice number Sage Pro would issue
    next_invno = str(int(read_table(data_dir, "arsyst")[0]["invno"]))
    # when
    response = client.post("creditmemos", MEMO)
    # then: numbered from the invoice sequence
    assert response.status_code == 201
    memo = response.json()
    assert memo["memono"] == next_invno
    assert (memo["type"], memo["amount"], memo["reason"]) == (
        "creditmemo",
        "12.50",
        "Refund",
    )
    [header] = _rows(data_dir, "armast", next_invno)
    assert (header["custno"], header["artype"], header["arstat"]) == (
        "0000001",
        "C",
        "",
    )
    assert header["invamt"] == header["balance"] == Decimal("-12.50")
    assert header["paidamt"] == 0
    assert header["invdte"] == dt.date(2025, 4, 5)
    [line] = _rows(data_dir, "artran", next_invno)
    assert line["artype"] == "C"
    assert line["qtyord"] == line["qtyshp"] == Decimal(-1)
    assert line["price"] == Decimal("12.50")
    assert line["extprice"] == Decimal("-12.50")
    assert line["descrip"] == "Refund"
    [link] = _rows(data_dir, "arref", next_invno)
    assert (link["reference"], link["memotype"]) == ("re_cm1", "creditmemo")
    # and the next invoice takes the following number of the same sequence
    invoice = client.post(
        "invoices",
        {
            "custno": "0000001",
            "invdte": "2025-04-06",
            "ponum": "in_after",
            "invamt": "5",
        },
    )
    assert invoice.json()["invno"] == str(int(next_invno) + 1)
    [written] = _rows(data_dir, "armast", invoice.json()["invno"])
    assert (written["artype"], written["invamt"]) == ("", Decimal(5))


def test_a_repeated_credit_memo_reference_is_409_and_writes_no_second_row(
    client, data_dir, agent, key_file
):
    first = client.post("creditmemos", MEMO).json()
    # when: the portal sends it again, even with another amount
    again = client.post("creditmemos", {**MEMO, "amount": "1.00"})
    # then
    assert again.error == (409, "duplicate", "reference")
    assert again.json()["document"] == first
    # and an agent that has lost its journal finds it in the tables
    forgetful = Agent(
        store=agent.store,
        journal=Journal(data_dir.parent / "fresh.sqlite3", agent.store.layout),
        hooks=Hooks(enabled=False),
        company=COMPANY,
        home_currency="USD",
        lock_wait=0,
    )
    other = WsgiClient(AgentApp(forgetful, KeyStore(key_file)))
    resent = other.post("creditmemos", MEMO)
    forgetful.journal.close()
    assert resent.error == (409, "duplicate", "reference")
    assert resent.json()["document"] == first
    credits = [r for r in read_table(data_dir, "armast") if r["artype"] == "C"]
    assert [r["invno"] for r in credits] == [first["memono"]]
    assert len(_rows(data_dir, "artran", first["memono"])) == 1
    listed = client.get("creditmemos", query="reference=re_cm1").json()["data"]
    assert listed == [first]
    assert client.get(f"creditmemos/{first['memono']}").json() == first


def test_invoice_reads_never_return_a_credit_memo_nor_memo_reads_an_invoice(
    client, data_dir, agent
):
    # given: a credit memo the agent wrote, one a Sage Pro user entered (no
    # reference of ours), and an invoice of the same customer
    invoice = client.post(
        "invoices",
        {"custno": "0000001", "invdte": "2025-04-02", "ponum": "in_x", "invamt": "40"},
    ).json()
    ours = client.post("creditmemos", {**MEMO, "invno": invoice["invno"]}).json()
    assert ours["invno"] == invoice["invno"]
    with agent.store.writing(("armast",), wait=0) as writer:
        writer.append(
            "armast",
            {
                "invno": "R900",
                "custno": "0000001",
                "artype": "C",
                "ponum": "Attn AP",
                "invamt": Decimal("-516"),
                "paidamt": Decimal("-93.80"),
                "balance": Decimal("-422.20"),
            },
        )
    # then: invoices by number, customer and reference hold no memo
    for number in (ours["memono"], "R900"):
        assert client.get(f"invoices/{number}").error[0] == 404
    listed = client.get("invoices", query="custno=0000001").json()["data"]
    assert invoice["invno"] in {i["invno"] for i in listed}
    assert not {ours["memono"], "R900"} & {i["invno"] for i in listed}
    assert all(i["ponum"] != "Attn AP" for i in client.get("invoices").json()["data"])
    assert client.get("invoices", query="ponum=Attn AP").json()["data"] == []
    # and memo reads hold no invoice, but the user's credit memo too
    assert client.get(f"creditmemos/{invoice['invno']}").error[0] == 404
    memos = client.get("creditmemos", query="custno=0000001").json()["data"]
    assert [m["memono"] for m in memos] == [ours["memono"], "R900"]
    users = memos[1]
    assert (users["type"], users["reference"], users["amount"]) == (
        "creditmemo",
        "",
        "516.00",
    )
    by_invoice = client.get("creditmemos", query=f"invno={invoice['invno']}")
    assert by_invoice.json()["data"] == [ours]
    assert client.get("creditmemos", query="type=adjustment").json()["data"] == []
    # and a receipt or a memo cannot name a credit memo as the invoice it pays
    receipt = {
        "custno": "0000001",
        "invno": "R900",
        "reference": "ch_r900",
        "amount": "1.00",
        "date": "2025-04-03",
        "bank": "STRIPE",
    }
    assert client.post("cashreceipts", receipt).error == (400, "invalid", "invno")
    on_memo = {**MEMO, "reference": "re_on_memo", "invno": "R900"}
    assert client.post("creditmemos", on_memo).error == (400, "invalid", "invno")


def test_an_invoice_given_a_credit_memos_number_is_409(client, data_dir):
    memo = client.post("creditmemos", MEMO).json()
    body = {
        "custno": "0000001",
        "invno": memo["memono"],
        "invdte": "2025-04-02",
        "ponum": "in_taken",
        "invamt": "3",
    }
    response = client.post("invoices", body)
    assert response.error == (409, "duplicate", "invno")
    assert response.json()["document"] == memo
    assert len(_rows(data_dir, "armast", memo["memono"])) == 1


def test_a_debit_adjustment_is_positive_with_the_debit_artype(client, data_dir):
    body = {**MEMO, "reference": "du_1:lost", "type": "adjustment", "amount": "-7"}
    created = client.post("creditmemos", body).json()
    assert (created["type"], created["amount"]) == ("adjustment", "-7.00")
    [header] = _rows(data_dir, "armast", created["memono"])
    assert (header["artype"], header["invamt"]) == ("D", Decimal(7))
    [line] = _rows(data_dir, "artran", created["memono"])
    assert (line["artype"], line["qtyshp"], line["extprice"]) == (
        "D",
        Decimal(1),
        Decimal(7),
    )
    assert line["descrip"] == "Refund"
    assert client.get("invoices", query=f"invno={created['memono']}").json() == {
        "data": [],
        "count": 0,
    }
    listed = client.get("creditmemos", query="type=adjustment").json()["data"]
    assert listed == [created]


def test_the_schema_names_the_artypes(client):
    schema = client.get("schema", key=KEY).json()
    assert schema["artypes"] == {"invoice": "", "credit": "C", "debit": "D"}
    assert schema["tables"]["armast"]["fields"]["artype"]["confirmed"] is True
    assert "armemo" not in schema["tables"]
    assert schema["decimals"]["creditmemos.amount"] == 2


def test_memos_an_earlier_version_wrote_to_armemo_still_answer_409(
    client, agent, data_dir, caplog
):
    # given: the journal of an agent that wrote memos to its own armemo table,
    # one done and one a crash left pending
    old_reply = {"memono": "1", "id": "1", "reference": "re_old", "amount": "3.00"}
    for reference, done in (("re_old", True), ("re_torn", False)):
        agent.journal.begin(
            resource="creditmemos",
            scope="",
            reference=reference,
            number="1",
            rows=[("armemo", {"memono": "1", "reference": reference})],
            reply=old_reply,
        )
        if done:
            agent.journal.finish("creditmemos", "", reference)
    # when the portal sends the done one again
    again = client.post("creditmemos", {**MEMO, "reference": "re_old"})
    # then it is the stored memo, and nothing is written
    assert again.error == (409, "duplicate", "reference")
    assert again.json()["document"] == old_reply
    assert [r for r in read_table(data_dir, "armast") if r["artype"] == "C"] == []
    # and the pending one is left for a person, named in the log
    assert "re_torn" in caplog.text and "armemo" in caplog.text
    assert client.get("creditmemos").status_code == 200
