"""Sage Pro commits a write and its reply is lost: the ledger retries, and the
connector's lookup adopts the committed document, for every write operation.

The real ledger and SageProConnector against the real agent over generated
tables (tests/support/sagepro_agent.py), whose `error_after_write_rate` test
hook writes the document and answers 500; what was written is read back from
the DBF files.
"""

from decimal import Decimal

import pytest

from integrations import ledger
from integrations.erps import registry
from integrations.erps.registry import erp_package
from integrations.models import Connection, SyncAttempt, SyncRecord
from integrations.operations import REPEATABLE_OPERATIONS
from integrations.workflows import EXECUTORS, Plan, PlannedRecord
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db

Status = SyncRecord.Status

MEMO = {
    "custno": "0000001",
    "invno": "",
    "amount": "5.00",
    "date": "2024-05-02",
    "reason": "Stripe refund",
    "currid": "USD",
}
# Per write: the payload, the Stripe reference, and where the agent's state
# lists the document with the field that carries the reference.
WRITES = {
    "upsert_customer": (
        {
            "custno": "S000042",
            "company": "Lost Reply Ltd",
            "email": "ap@lostreply.example",
            "pterms": "30",
            "credlimit": "0",
            "currid": "USD",
        },
        "cus_Lost",
        ("customers", "custno", "S000042"),
    ),
    "create_sales_order": (
        {
            "sono": "",
            "custno": "0000001",
            "ordate": "2024-05-01",
            "ponum": "ch_Lost",
            "ordamt": "1.99",
            "currid": "USD",
            "sostat": "",
            "lines": [
                {
                    "item": "",
                    "descrip": "Stripe payment",
                    "qtyord": "1",
                    "price": "1.99",
                    "disc": "0",
                    "extprice": "1.99",
                }
            ],
        },
        "ch_Lost",
        ("sales_orders", "ponum", "ch_Lost"),
    ),
    "create_invoice": (
        {
            "invno": "",
            "custno": "0000002",
            "invdte": "2024-05-03",
            "ponum": "in_Lost",
            "invamt": "120.00",
            "currid": "USD",
        },
        "in_Lost",
        ("invoices", "ponum", "in_Lost"),
    ),
    "post_payment": (
        {
            "custno": "0000001",
            "invno": "",
            "sono": "",
            "reference": "py_Lost",
            "amount": "19.99",
            "date": "2024-05-01",
            "bank": "STRIPE",
            "currid": "USD",
        },
        "py_Lost",
        ("payments", "reference", "py_Lost"),
    ),
    "post_credit_note": (
        {**MEMO, "reference": "re_Lost"},
        "re_Lost",
        ("credit_notes", "reference", "re_Lost"),
    ),
    "post_adjustment": (
        {**MEMO, "reference": "dp_Lost", "amount": "-15.00"},
        "dp_Lost",
        ("adjustments", "reference", "dp_Lost"),
    ),
    "post_journal": (
        {
            "date": "2024-05-04",
            "reference": "po_Lost",
            "descrip": "Stripe payout po_Lost",
            "currid": "USD",
            "lines": [
                {"account": "1010", "debit": "97.10", "credit": "0", "descrip": "B"},
                {"account": "6210", "debit": "2.90", "credit": "0", "descrip": "F"},
                {"account": "1090", "debit": "0", "credit": "100.00", "descrip": "C"},
            ],
        },
        "po_Lost",
        ("journals", "reference", "po_Lost"),
    ),
}


@pytest.fixture
def agent(sagepro_agent_faulty):
    registry.close_all()
    yield sagepro_agent_faulty
    registry.close_all()


@pytest.fixture
def integration(agent):
    return IntegrationFactory(
        erp_connection__kind=Connection.Kind.SAGEPRO,
        erp_connection__base_url=agent.base_url,
        erp_connection__secrets={"api_key": agent.key},
    )


@pytest.fixture
def direct_executors(monkeypatch):
    """Each write sends its Sage Pro payload as is, without mapping."""

    def execute(ctx):
        payload, _, _ = WRITES[ctx.record.operation]
        ctx.built_payload = ctx.record.payload = payload
        if ctx.record.operation == "upsert_customer":
            return ctx.connector.upsert_customer(
                payload, reference=ctx.record.stripe_id
            )
        # As the ledger's executors do: a first attempt skips the lookup.
        return getattr(ctx.connector, ctx.record.operation)(
            payload, reference=ctx.record.stripe_id, never_sent=ctx.never_sent
        )

    for operation in WRITES:
        monkeypatch.setitem(EXECUTORS, operation, execute)


def faults(agent, **switches) -> None:
    agent.set_hooks(**switches)


def committed(agent, where: tuple[str, str, str]) -> list[dict]:
    table, field, value = where
    return [row for row in agent.books()[table] if row.get(field) == value]


def test_sage_pro_can_be_asked_about_every_write():
    assert all(erp_package("sagepro").can_look_up(op) for op in WRITES)
    # a subscription's fields are set, not created: sent again, not looked up
    assert set(WRITES) | REPEATABLE_OPERATIONS == set(SyncRecord.Operation.values)


@pytest.mark.parametrize("operation", list(WRITES))
def test_a_reply_lost_after_sage_pro_committed_is_retried_into_one_document(
    integration, agent, direct_executors, operation
):
    payload, reference, where = WRITES[operation]
    record = ledger.sync_records_plan(
        integration=integration,
        event=None,
        plan=Plan(
            records=(
                PlannedRecord(
                    key=f"{reference}:{operation}",
                    operation=operation,
                    stripe_id=reference,
                    source={"stripe_id": reference},
                ),
            )
        ),
    )[0]
    # given: Sage Pro commits the write and the reply is lost
    faults(agent, error_after_write_rate=1)
    # when
    record = ledger.sync_record_run(record_id=record.pk, worker="w1")
    # then: the record is retried, not left for a person
    assert record.status == Status.RETRYING, record.error_message
    assert "reply lost" in record.error_message
    assert len(committed(agent, where)) == 1
    # when the retry runs
    faults(agent, error_after_write_rate=0)
    SyncRecord.objects.filter(pk=record.pk).update(next_attempt_at=None)
    record = ledger.sync_record_run(record_id=record.pk, worker="w1")
    # then: the lookup adopted the document the ERP committed
    assert record.status == Status.SUCCEEDED, record.error_message
    assert len(committed(agent, where)) == 1
    assert SyncAttempt.objects.filter(record=record).count() == 2


@pytest.mark.parametrize("step", ["after_header", "after_line", "after_done"])
def test_the_agent_killed_mid_write_leaves_one_whole_order_after_the_retry(
    integration, agent, direct_executors, monkeypatch, step
):
    payload, reference, where = WRITES["create_sales_order"]
    payload = {**payload, "ordamt": "5.97", "lines": payload["lines"] * 3}
    monkeypatch.setitem(WRITES, "create_sales_order", (payload, reference, where))
    record = ledger.sync_records_plan(
        integration=integration,
        event=None,
        plan=Plan(
            records=(
                PlannedRecord(
                    key=f"{reference}:create_sales_order",
                    operation="create_sales_order",
                    stripe_id=reference,
                    source={"stripe_id": reference},
                ),
            )
        ),
    )[0]
    # given: the agent is SIGKILLed at `step` of the order's write
    faults(agent, crash_at=step)
    # when the ledger runs the record: the reply never comes
    record = ledger.sync_record_run(record_id=record.pk, worker="w1")
    assert record.status == Status.RETRYING, record.error_message
    agent.process.wait(timeout=30)
    # and the agent is started again, which completes the half-written order
    agent.stop()
    agent.start()
    SyncRecord.objects.filter(pk=record.pk).update(next_attempt_at=None)
    registry.close_all()
    record = ledger.sync_record_run(record_id=record.pk, worker="w1")
    # then one order, whole: three lines, summing to the amount sent
    assert record.status == Status.SUCCEEDED, record.error_message
    [order] = committed(agent, where)
    assert len(order["lines"]) == 3
    assert sum(line["extprice"] for line in order["lines"]) == Decimal("5.97")
    assert order["ordamt"] == Decimal("5.97")
    assert order["sono"] == record.erp_reference
