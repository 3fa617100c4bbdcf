"""One charge paying several Sage Pro invoices, through the real agent.

The agent's cash receipt names one invoice (an arcash row has one invno:
agent/ledgerbridge_agent/layout.py), so the connector writes one receipt per
invoice, referenced `<charge>/<invno>`, and the rest of the charge as an
unapplied receipt under the charge's own reference; each is looked up before
it is written, so a lost reply or a retry never writes a second one.
"""

from decimal import Decimal

import pytest

from integrations.connectors.errors import ConnectorError
from tests.sagepro_agent.test_connector import connector_for

pytestmark = pytest.mark.django_db


def _open_invoices(agent, count: int) -> list[dict]:
    """`count` open invoices of one customer: the generated company's first
    open invoice, and more written for its customer through the connector."""
    books = agent.books()
    first = next(i for i in books["invoices"] if i["balance"] > Decimal("1.00"))
    connector = connector_for(agent)
    for n in range(1, count):
        connector.create_invoice(
            {
                "custno": first["custno"],
                "invdte": "2026-11-01",
                "ponum": f"in_open{n}",
                "invamt": "40.00",
                "currid": "USD",
                "lines": [
                    {
                        "item": "",
                        "descrip": "Service",
                        "qtyord": "1",
                        "price": "40.00",
                        "disc": "0",
                        "extprice": "40.00",
                    }
                ],
            },
            reference=f"in_open{n}",
        )
    same = [
        i
        for i in agent.books()["invoices"]
        if i["custno"] == first["custno"] and i["balance"] > Decimal("1.00")
    ]
    assert len(same) >= count
    return same[:count]


def _payment(custno: str, applications: list[tuple[str, str]], amount: str) -> dict:
    return {
        "custno": custno,
        "reference": "ch_multi",
        "amount": amount,
        "date": "2026-11-30",
        "bank": "STRIPE",
        "currid": "USD",
        "applications": [
            {"invno": invno, "amount": value} for invno, value in applications
        ],
    }


def _receipts(agent) -> dict[str, tuple[str, Decimal]]:
    return {
        r["reference"]: (r["invno"].strip(), r["amount"])
        for r in agent.books()["payments"]
        if r["reference"].startswith("ch_multi")
    }


def test_one_receipt_per_invoice_and_the_rest_unapplied_once(sagepro_agent_faulty):
    agent = sagepro_agent_faulty
    connector = connector_for(agent)
    first, second = _open_invoices(agent, 2)
    part = Decimal("1.00")
    payload = _payment(
        first["custno"],
        [(first["invno"], str(first["balance"])), (second["invno"], str(part))],
        str(first["balance"] + part + Decimal("0.50")),
    )

    # given Sage Pro takes the receipts but every reply is lost
    agent.set_hooks(error_after_write_rate=1)
    with pytest.raises(ConnectorError):
        connector.post_payment(payload, reference="ch_multi")

    # when the ledger retries with the agent answering again
    agent.set_hooks(error_after_write_rate=0)
    document = connector.post_payment(payload, reference="ch_multi")
    again = connector.post_payment(payload, reference="ch_multi")

    # then each invoice has one receipt of its amount, and the rest one
    # unapplied receipt, whatever was retried
    assert _receipts(agent) == {
        f"ch_multi/{first['invno'].strip()}": (
            first["invno"].strip(),
            first["balance"],
        ),
        f"ch_multi/{second['invno'].strip()}": (second["invno"].strip(), part),
        "ch_multi": ("", Decimal("0.50")),
    }
    assert document.attention == again.attention == ""
    assert again.number == document.number


def test_an_invoice_that_owes_less_takes_what_it_owes(sagepro_agent):
    connector = connector_for(sagepro_agent)
    (invoice,) = _open_invoices(sagepro_agent, 1)
    owed = invoice["balance"]
    payload = _payment(
        invoice["custno"],
        [(invoice["invno"], str(owed + Decimal("10.00")))],
        str(owed + Decimal("10.00")),
    )

    document = connector.post_payment(payload, reference="ch_multi")

    assert _receipts(sagepro_agent) == {
        f"ch_multi/{invoice['invno'].strip()}": (invoice["invno"].strip(), owed),
        "ch_multi": ("", Decimal("10.00")),
    }
    assert "10.00 posted unapplied" in document.attention
