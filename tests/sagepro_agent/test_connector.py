"""SageProConnector against the real agent: every call it makes, and what the
tables hold afterwards, read back from the DBF files."""

import fcntl
from decimal import Decimal

import pytest

from integrations.connectors.errors import (
    AuthenticationError,
    NotFoundError,
    RateLimitedError,
    TransientError,
    UnknownOutcomeError,
    ValidationError,
)
from integrations.erps.sagepro.connector import SageProConnector
from integrations.models import Connection
from tests.support.sagepro_agent import SageProAgent

pytestmark = pytest.mark.django_db

# Visual FoxPro locks a table's header at byte 2^31 - 2 before it appends.
VFP_HEADER_LOCK = 2_147_483_646


def connector_for(agent: SageProAgent, *, key: str = "") -> SageProConnector:
    connection = Connection(
        pk=401,
        name="Sage Pro agent",
        kind=Connection.Kind.SAGEPRO,
        base_url=agent.base_url,
        secrets={"api_key": key or agent.key},
        timeout_seconds=10,
    )
    return SageProConnector(connection)


def order(ponum: str, *, extprice: str = "18.00") -> dict:
    return {
        "sono": "",
        "custno": "0000001",
        "ordate": "2025-05-01",
        "ponum": ponum,
        "ordamt": "19.99",
        "currid": "USD",
        "sostat": "",
        "lines": [
            {
                "item": "A100",
                "descrip": "Widget A",
                "qtyord": "2",
                "price": "9.00",
                "disc": "0",
                "extprice": extprice,
            },
            {
                "item": "",
                "descrip": "Stripe payment",
                "qtyord": "1",
                "price": "1.99",
                "disc": "0",
                "extprice": "1.99",
            },
        ],
    }


def test_every_connector_call_is_served_and_written(sagepro_agent):
    connector = connector_for(sagepro_agent)

    # customers: created, found by code and by email, updated
    created = connector.upsert_customer(
        {
            "custno": "CUS0042",
            "company": "Harbour Cycles",
            "email": "ap@harbour.example.com",
            "currid": "USD",
        },
        reference="cus_42",
    )
    assert created.number == "CUS0042"
    assert not created.adopted
    found = connector.find_customer(email="ap@harbour.example.com")
    assert found is not None
    assert (found.code, found.name) == ("CUS0042", "Harbour Cycles")
    updated = connector.upsert_customer(
        {"custno": "CUS0042", "company": "Harbour Cycles", "city": "Durban"},
        reference="cus_42",
    )
    assert updated.adopted

    # documents: created once, adopted by their reference when sent again
    so = connector.create_sales_order(order("ch_1"), reference="ch_1")
    again = connector.create_sales_order(order("ch_1"), reference="ch_1")
    assert (again.number, again.adopted) == (so.number, True)
    invoice = connector.create_invoice(
        {
            "custno": "0000001",
            "invdte": "2025-05-01",
            "ponum": "in_1",
            "invamt": "19.99",
            "currid": "USD",
            "lines": order("in_1")["lines"],
        },
        reference="in_1",
    )
    receipt = connector.post_payment(
        {
            "custno": "0000001",
            "sono": so.number,
            "reference": "ch_1",
            "amount": "19.99",
            "date": "2025-05-01",
            "bank": "STRIPE",
            "currid": "USD",
        },
        reference="ch_1",
    )
    memo = connector.post_credit_note(
        {
            "custno": "0000001",
            "invno": invoice.number,
            "reference": "re_1",
            "amount": "5.00",
            "date": "2025-05-02",
            "reason": "Refund",
            "currid": "USD",
        },
        reference="re_1",
    )
    adjustment = connector.post_adjustment(
        {
            "custno": "0000001",
            "reference": "dp_1:withdrawn",
            "amount": "-19.99",
            "date": "2025-05-03",
            "reason": "Dispute",
            "currid": "USD",
        },
        reference="dp_1:withdrawn",
    )
    journal = connector.post_journal(
        {
            "date": "2025-05-04",
            "reference": "po_1",
            "descrip": "Stripe payout po_1",
            "currid": "USD",
            "lines": [
                {"account": "1000", "debit": "14.42", "credit": "0", "descrip": "Bank"},
                {"account": "1010", "debit": "0", "credit": "14.99", "descrip": "Clr"},
                {"account": "6100", "debit": "0.57", "credit": "0", "descrip": "Fees"},
            ],
        },
        reference="po_1",
    )
    assert all(doc.number for doc in (so, invoice, receipt, memo, adjustment, journal))

    # reads
    assert connector.stock("A100").description == "Widget A"
    assert any(o.reference == "ch_1" for o in connector.customer_orders("0000001"))
    assert isinstance(connector.customer_prices("0000001"), list)

    # then the DBF files hold each document once, to the cent
    books = sagepro_agent.books()
    customer = next(c for c in books["customers"] if c["custno"] == "CUS0042")
    assert (customer["company"], customer["city"]) == ("Harbour Cycles", "Durban")
    [written] = [o for o in books["sales_orders"] if o["ponum"] == "ch_1"]
    assert written["sono"] == so.number
    assert written["sostat"] == ""
    assert [line["extprice"] for line in written["lines"]] == [
        Decimal("18.00"),
        Decimal("1.99"),
    ]
    [inv] = [i for i in books["invoices"] if i["ponum"] == "in_1"]
    assert inv["invamt"] == Decimal("19.99")
    [cash] = books["payments"]
    assert (cash["reference"], cash["amount"]) == ("ch_1", Decimal("19.99"))
    [credit] = books["credit_notes"]
    assert (credit["reference"], credit["amount"]) == ("re_1", Decimal("5.00"))
    [adjusted] = books["adjustments"]
    assert adjusted["amount"] == Decimal("-19.99")
    [entry] = books["journals"]
    assert entry["reference"] == "po_1"
    assert sum(line["amount"] for line in entry["lines"]) == 0


def test_agent_errors_reach_the_ledger_as_their_kind(sagepro_agent_faulty):
    agent = sagepro_agent_faulty
    connector = connector_for(agent)

    # a field with more decimals than Sage Pro's column: 400 with the field
    with pytest.raises(ValidationError) as refused:
        connector.create_sales_order(order("ch_kwd", extprice="18.005"), reference="x")
    assert refused.value.field == "lines[0].extprice"
    assert refused.value.value == "18.005"

    # a wrong key
    with pytest.raises(AuthenticationError):
        connector_for(agent, key="not-the-agent-key-000").find_customer(code="X")

    # 429 with Retry-After
    agent.set_hooks(rate_limit_next=5, retry_after=1)
    with pytest.raises(RateLimitedError) as limited:
        connector.stock("A100")
    assert limited.value.retry_after == 1

    # a lost reply after the write: unknown outcome, and the lookup adopts it
    agent.set_hooks(lose_reply_next=1)
    with pytest.raises(UnknownOutcomeError):
        connector.create_sales_order(order("ch_lost"), reference="ch_lost")
    adopted = connector.create_sales_order(order("ch_lost"), reference="ch_lost")
    assert adopted.adopted
    books = agent.books()
    assert [o["ponum"] for o in books["sales_orders"]].count("ch_lost") == 1


def test_a_table_sage_pro_holds_locked_is_sent_again_later(sagepro_agent):
    # given a Sage Pro user holding the sales order table's header lock (the
    # byte Visual FoxPro locks before an append, agent/ledgerbridge_agent/locks.py)
    connector = connector_for(sagepro_agent)
    table = sagepro_agent.data / "somast01.dbf"
    with table.open("rb+") as held:
        fcntl.lockf(held.fileno(), fcntl.LOCK_EX, 1, VFP_HEADER_LOCK)
        # when the connector writes an order: the agent answers 423, which the
        # ledger retries as a transient error
        with pytest.raises(RateLimitedError) as locked:
            connector.create_sales_order(order("ch_locked"), reference="ch_locked")
        assert locked.value.retry_after is not None
        assert "locked" in str(locked.value)
    # then once the user lets go, the retry writes the order, once
    written = connector.create_sales_order(order("ch_locked"), reference="ch_locked")
    assert not written.adopted
    ponums = [o["ponum"] for o in sagepro_agent.books()["sales_orders"]]
    assert ponums.count("ch_locked") == 1


def test_refusals_and_faults_as_the_ledger_sees_them(sagepro_agent_faulty):
    agent = sagepro_agent_faulty
    connector = connector_for(agent)

    # the server root or the API root as the base URL
    root = agent.base_url.removesuffix("/api/v1")
    for base_url in (root, f"{agent.base_url}/"):
        other = connector_for(agent)
        other.base_url = base_url.rstrip("/")
        assert other.find_customer(code="0000002").code == "0000002"

    # an unknown item names the line's field and the value sent
    bad = order("ch_bad")
    bad["lines"][0]["item"] = "NOPE1"
    with pytest.raises(ValidationError) as caught:
        connector.create_sales_order(bad, reference="ch_bad")
    assert (caught.value.field, caught.value.value) == ("lines[0].item", "NOPE1")

    # an unbalanced journal is refused and nothing is written
    with pytest.raises(ValidationError):
        connector.post_journal(
            {
                "date": "2025-05-04",
                "currid": "USD",
                "lines": [
                    {"account": "1010", "debit": "10.00", "credit": "0"},
                    {"account": "1090", "debit": "0", "credit": "9.99"},
                ],
            },
            reference="po_bad",
        )
    assert agent.books()["journals"] == []

    # an item that is not there
    with pytest.raises(NotFoundError):
        connector.stock("NOPE1")

    # a wrong key, and the agent told to reject the right one
    with pytest.raises(AuthenticationError) as denied:
        connector_for(agent, key="wrong-key-0123456789").customer_orders("0000001")
    assert "wrong-key-0123456789" not in denied.value.describe()
    agent.set_hooks(reject_credentials=True)
    with pytest.raises(AuthenticationError):
        connector.customer_orders("0000001")

    # an outage, then a per-second rate limit
    agent.set_hooks(down=True)
    with pytest.raises(TransientError):
        connector.customer_orders("0000001")
    agent.set_hooks(rate_limit_per_second=1)
    with pytest.raises(RateLimitedError) as limited:
        for _ in range(10):
            connector.customer_orders("0000001")
    assert limited.value.retry_after is not None


def test_a_first_send_posts_without_a_lookup_and_a_repeat_is_adopted_by_409(
    sagepro_agent, monkeypatch
):
    connector = connector_for(sagepro_agent)
    sent: list[tuple[str, str]] = []
    request = connector.request

    def spy(method, path, **kwargs):
        sent.append((method, path))
        return request(method, path, **kwargs)

    monkeypatch.setattr(connector, "request", spy)
    receipt = {
        "custno": "0000001",
        "reference": "ch_blind",
        "amount": "19.99",
        "date": "2025-05-01",
        "bank": "STRIPE",
        "currid": "USD",
    }

    # a record's first send: no lookup before the POST
    so = connector.create_sales_order(
        order("ch_blind"), reference="ch_blind", never_sent=True
    )
    paid = connector.post_payment(receipt, reference="ch_blind", never_sent=True)
    assert sent == [("POST", "salesorders"), ("POST", "cashreceipts")]
    assert not (so.adopted or paid.adopted)

    # told the same wrongly: the agent refuses the reference (409), and the
    # document it holds is adopted
    again = connector.create_sales_order(
        order("ch_blind"), reference="ch_blind", never_sent=True
    )
    paid_again = connector.post_payment(receipt, reference="ch_blind", never_sent=True)
    assert (again.number, again.adopted) == (so.number, True)
    assert (paid_again.number, paid_again.adopted) == (paid.number, True)
    books = sagepro_agent.books()
    assert len([o for o in books["sales_orders"] if o["ponum"] == "ch_blind"]) == 1
    assert len([p for p in books["payments"] if p["reference"] == "ch_blind"]) == 1
