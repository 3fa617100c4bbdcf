"""A customer's Stripe subscription fields (LedgerBridge issue 20): PUT and
GET /api/v1/customers/{custno}/subscription, one row per customer in the
agent's `arsubs` table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import read_table

from ledgerbridge_agent.layout import Layout
from ledgerbridge_agent.storage import DbfStore

BODY = {
    "subscription": "sub_1",
    "plan": "SUB-BASIC",
    "status": "active",
    "period_end": "2026-02-01",
    "mrr": "49.00",
    "currid": "usd",
}


def test_put_sets_the_fields_once_per_customer_and_get_reads_them(client, data_dir):
    # when: written, then written again with a newer state
    first = client.put("customers/0000001/subscription", BODY)
    again = client.put(
        "customers/0000001/subscription",
        {**BODY, "status": "canceled", "mrr": "0", "period_end": None},
    )

    # then: one row, the last state
    assert first.status_code == 200
    assert first.json()["mrr"] == "49.000"
    assert again.json()["status"] == "canceled"
    rows = [r for r in read_table(data_dir, "arsubs") if r["custno"] == "0000001"]
    assert len(rows) == 1
    assert (rows[0]["status"], rows[0]["mrr"]) == ("canceled", Decimal("0"))
    got = client.get("customers/0000001/subscription").json()
    assert (got["subscription"], got["plan"], got["currid"]) == (
        "sub_1",
        "SUB-BASIC",
        "USD",
    )


def test_the_same_put_twice_leaves_the_same_row(client, data_dir):
    client.put("customers/0000002/subscription", BODY)
    client.put("customers/0000002/subscription", BODY)

    rows = [r for r in read_table(data_dir, "arsubs") if r["custno"] == "0000002"]
    assert len(rows) == 1
    assert rows[0]["periodend"] == dt.date(2026, 2, 1)
    assert rows[0]["mrr"] == Decimal("49.00")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "subscription": ""}, "subscription"),
        ({**BODY, "status": None}, "status"),
        ({**BODY, "mrr": "-1"}, "mrr"),
        ({**BODY, "mrr": "1.0005"}, "mrr"),
        ({**BODY, "period_end": "01/02/2026"}, "period_end"),
        ({**BODY, "plan": "P" * 31}, "plan"),
        ({**BODY, "quantity": 2}, "quantity"),
    ],
)
def test_a_bad_body_is_400_with_the_field(client, body, field):
    status, _, named = client.put("customers/0000001/subscription", body).error
    assert (status, named) == (400, field)


def test_an_unknown_customer_is_404_and_other_methods_405(client):
    assert client.put("customers/NOPE/subscription", BODY).error[0] == 404
    assert client.get("customers/0000003/subscription").error[0] == 404
    assert client.post("customers/0000001/subscription", BODY).error[0] == 405


def test_an_install_from_before_the_table_gets_it_when_the_agent_starts(data_dir):
    # given: a company whose data folder has no arsubs table yet
    (data_dir / "arsubs01.dbf").unlink()
    store = DbfStore(data_dir, "01", Layout.default())

    # then: the layout check does not stop the agent for it, and the agent
    # makes it (empty) when it starts; a second start makes nothing
    assert store.structure_problems() == []
    assert store.own_tables_create() == ["arsubs01.dbf"]
    assert store.own_tables_create() == []
    assert read_table(data_dir, "arsubs") == []
    assert store.structure_problems() == []
