"""SageProConnector end to end against the in-process Sage Pro sandbox."""

from decimal import Decimal

import pytest
from django.conf import settings

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

from .conftest import SANDBOX_HOST, control, sandbox_state

pytest.importorskip("sandbox.sagepro.views")

pytestmark = pytest.mark.django_db

ROOT = "/sandbox/sagepro"


def make_connection(**overrides) -> Connection:
    values = {
        "pk": 301,
        "name": "Sage Pro sandbox",
        "kind": Connection.Kind.SAGEPRO,
        "base_url": f"{SANDBOX_HOST}{ROOT}/api/v1",
        "secrets": {"api_key": settings.SANDBOX_SAGEPRO_API_KEY},
        "timeout_seconds": 5,
        **overrides,
    }
    return Connection(**values)


@pytest.fixture
def connector(sandbox_http) -> SageProConnector:
    return SageProConnector(make_connection(), session=sandbox_http)


def set_faults(session, **switches) -> None:
    control(session, ROOT, settings.SANDBOX_SAGEPRO_API_KEY, **switches)


def state(session) -> dict:
    return sandbox_state(session, ROOT, settings.SANDBOX_SAGEPRO_API_KEY)


def order(ponum: str) -> dict:
    return {
        "sono": "",
        "custno": "0000001",
        "ordate": "2024-05-01",
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
                "extprice": "18.00",
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


def test_server_root_or_api_root_both_work(sandbox_http):
    for base_url in (f"{SANDBOX_HOST}{ROOT}", f"{SANDBOX_HOST}{ROOT}/api/v1/"):
        connector = SageProConnector(
            make_connection(base_url=base_url), session=sandbox_http
        )
        assert connector.find_customer(code="0000002").code == "0000002"


def test_customer_lookups_and_upsert(connector, sandbox_http):
    assert connector.find_customer(code="0000404") is None
    assert connector.find_customer(code="0000001").code == "0000001"

    payload = {
        "custno": "S000042",
        "company": "Ada Lovelace Ltd",
        "contact": "Ada",
        "email": "ada@example.com",
        "pterms": "30",
        "credlimit": "0",
        "currid": "USD",
    }
    created = connector.upsert_customer(payload, reference="cus_Ada")
    updated = connector.upsert_customer(
        {**payload, "company": "Ada Lovelace plc", "phone": ""}, reference="cus_Ada"
    )

    assert (created.number, created.adopted) == ("S000042", False)
    assert (updated.number, updated.adopted) == ("S000042", True)
    assert connector.find_customer(email="ada@example.com").code == "S000042"
    customer = next(
        c for c in state(sandbox_http)["customers"] if c["custno"] == "S000042"
    )
    assert customer["company"] == "Ada Lovelace plc"


def test_documents_are_created_once_and_adopted_on_replay(connector, sandbox_http):
    created = connector.create_sales_order(order("ch_3Sage1"), reference="ch_3Sage1")
    replay = connector.create_sales_order(order("ch_3Sage1"), reference="ch_3Sage1")
    assert not created.adopted
    assert (replay.number, replay.adopted) == (created.number, True)
    assert created.number in [o.number for o in connector.customer_orders("0000001")]

    receipt = {
        "custno": "0000001",
        "invno": "",
        "sono": created.number,
        "reference": "ch_3Sage1",
        "amount": "19.99",
        "date": "2024-05-01",
        "bank": "STRIPE",
        "currid": "USD",
    }
    paid = connector.post_payment(receipt, reference="ch_3Sage1")
    assert connector.post_payment(receipt, reference="ch_3Sage1").number == paid.number

    memo = {
        "custno": "0000001",
        "invno": created.number,
        "reference": "re_3Sage1",
        "amount": "5.00",
        "date": "2024-05-02",
        "reason": "Stripe refund",
        "currid": "USD",
    }
    credit = connector.post_credit_note(memo, reference="re_3Sage1")
    again = connector.post_credit_note(memo, reference="re_3Sage1")
    assert (again.number, again.adopted) == (credit.number, True)

    adjustment = {**memo, "reference": "txn_3Sage1", "amount": "-15.00"}
    adjusted = connector.post_adjustment(adjustment, reference="txn_3Sage1")
    assert connector.post_adjustment(adjustment, reference="txn_3Sage1").adopted

    invoice = {
        "invno": "",
        "custno": "0000002",
        "invdte": "2024-05-03",
        "ponum": "in_3Sage1",
        "invamt": "120.00",
        "currid": "USD",
    }
    invoiced = connector.create_invoice(invoice, reference="in_3Sage1")
    assert connector.create_invoice(invoice, reference="in_3Sage1").adopted

    journal = {
        "date": "2024-05-04",
        "reference": "po_3Sage1",
        "descrip": "Stripe payout po_3Sage1",
        "currid": "USD",
        "lines": [
            {"account": "1010", "debit": "97.10", "credit": "0", "descrip": "Bank"},
            {"account": "6210", "debit": "2.90", "credit": "0", "descrip": "Fees"},
            {"account": "1090", "debit": "0", "credit": "100.00", "descrip": "Clr"},
        ],
    }
    posted = connector.post_journal(journal, reference="po_3Sage1")
    assert (
        connector.post_journal(journal, reference="po_3Sage1").number == posted.number
    )

    current = state(sandbox_http)
    assert [o["ponum"] for o in current["sales_orders"]] == ["ch_3Sage1"]
    assert Decimal(current["sales_orders"][0]["ordamt"]) == Decimal("19.99")
    assert [p["reference"] for p in current["payments"]] == ["ch_3Sage1"]
    assert [c["reference"] for c in current["credit_notes"]] == ["re_3Sage1"]
    assert [a["id"] for a in current["adjustments"]] == [int(adjusted.number)]
    assert [i["invno"] for i in current["invoices"]] == [invoiced.number]
    assert [j["reference"] for j in current["journals"]] == ["po_3Sage1"]


def test_validation_error_names_field_and_value(connector):
    bad = order("ch_3Bad")
    bad["lines"][0]["item"] = "NOPE1"
    with pytest.raises(ValidationError) as caught:
        connector.create_sales_order(bad, reference="ch_3Bad")
    assert caught.value.field == "lines[0].item"
    assert caught.value.value == "NOPE1"


def test_unbalanced_journal_is_refused(connector):
    with pytest.raises(ValidationError):
        connector.post_journal(
            {
                "date": "2024-05-04",
                "currid": "USD",
                "lines": [
                    {"account": "1010", "debit": "10.00", "credit": "0"},
                    {"account": "1090", "debit": "0", "credit": "9.99"},
                ],
            },
            reference="po_3Bad",
        )


def test_missing_documents_are_not_found(connector):
    with pytest.raises(NotFoundError):
        connector.stock("A100")  # the /api/v1/ contract has no item endpoint
    assert connector.customer_prices("0000001") == []


def test_wrong_key_is_an_authentication_error(sandbox_http):
    connector = SageProConnector(
        make_connection(secrets={"api_key": "wrong-key-123"}), session=sandbox_http
    )
    with pytest.raises(AuthenticationError) as caught:
        connector.customer_orders("0000001")
    assert "wrong-key-123" not in caught.value.describe()


def test_rejected_credentials_fault(connector, sandbox_http):
    set_faults(sandbox_http, reject_credentials=True)
    with pytest.raises(AuthenticationError):
        connector.customer_orders("0000001")


def test_outage_and_rate_limit_faults(connector, sandbox_http):
    set_faults(sandbox_http, down=True)
    with pytest.raises(TransientError):
        connector.customer_orders("0000001")
    set_faults(sandbox_http, down=False, rate_limit_per_second=1)
    with pytest.raises(RateLimitedError) as caught:
        for _ in range(10):
            connector.customer_orders("0000001")
    assert caught.value.retry_after is not None


def test_a_lost_reply_after_a_write_is_retried_into_adoption(connector, sandbox_http):
    set_faults(sandbox_http, error_after_write_rate=1)
    with pytest.raises(UnknownOutcomeError):
        connector.create_sales_order(order("ch_3Lost"), reference="ch_3Lost")
    set_faults(sandbox_http, error_after_write_rate=0)

    retried = connector.create_sales_order(order("ch_3Lost"), reference="ch_3Lost")

    assert retried.adopted
    orders = state(sandbox_http)["sales_orders"]
    assert [o["ponum"] for o in orders] == ["ch_3Lost"]
