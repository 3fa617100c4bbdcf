"""Stripe credit notes → ERP credit notes against the invoice (issue 20,
item 1), voided ones reversed; SYSPRO and Sage Pro."""

from decimal import Decimal

import pytest

from integrations.models import WebhookEvent
from tests.integrations.workflows import stripe_events as se

pytestmark = pytest.mark.django_db

CREDIT_TARGET = {"syspro": "Invoice", "sagepro": "invno"}


def _paid_invoice(harness, invoice_id: str = "in_cn1", amount: int = 7200) -> dict:
    invoice = se.basil_invoice(invoice_id, amount=amount)
    pi, ch = f"pi_{invoice_id}", f"ch_{invoice_id}"
    harness.stripe.payment_intents[pi] = {"id": pi, "latest_charge": ch}
    harness.stripe.invoice_payments.append(
        se.invoice_payment(invoice_id, payment_intent=pi, amount=amount)
    )
    harness.stripe.invoices[invoice_id] = invoice
    return invoice


def test_a_credit_note_credits_its_invoice(harness, erp_kind):
    invoice = _paid_invoice(harness)
    credit = se.credit_note("cn_0001", invoice_id="in_cn1", amount=2000, tax=200)

    harness.deliver(
        se.event("invoice.paid", invoice, api_version=se.BASIL),
        se.event("credit_note.created", credit, api_version=se.BASIL),
    )

    document = harness.erp.document("post_credit_note", "cn_0001")
    assert document.amount == Decimal("20.00")
    number = harness.erp.document("create_invoice", "in_cn1").number
    assert document.payload[CREDIT_TARGET[erp_kind]] == number
    assert harness.record("cn_0001:credit_note").source["tax"] == 200


def test_a_credit_note_first_books_its_invoice_from_stripe(harness, erp_kind):
    invoice = _paid_invoice(harness)
    credit = se.credit_note("cn_0002", invoice_id="in_cn1", amount=1000)

    (first,) = harness.deliver(
        se.event("credit_note.created", credit, api_version=se.BASIL)
    )
    harness.deliver(se.event("invoice.paid", invoice, api_version=se.BASIL))
    harness.deliver(se.event("credit_note.created", credit, api_version=se.BASIL))

    assert first.status == WebhookEvent.Status.PROCESSED
    assert harness.erp.created("create_invoice") == 1
    assert harness.erp.created("post_payment") == 1
    assert harness.erp.created("post_credit_note") == 1
    assert {r.status for r in harness.records()} == {"succeeded"}


def test_the_refunded_part_is_left_to_the_refund_flow(harness):
    invoice = _paid_invoice(harness)
    credit = se.credit_note(
        "cn_0003", invoice_id="in_cn1", amount=3000, refunds=[("re_cn3", 1000)]
    )
    refund = se.refund("re_cn3", charge_id="ch_in_cn1", amount=1000)

    harness.deliver(
        se.event("invoice.paid", invoice, api_version=se.BASIL),
        se.event("credit_note.created", credit, api_version=se.BASIL),
        se.event("refund.created", refund, api_version=se.BASIL),
    )

    # 20.00 credited by the credit note, 10.00 by the refund: 30.00 in all
    assert harness.erp.document("post_credit_note", "cn_0003").amount == Decimal(
        "20.00"
    )
    assert harness.erp.document("post_credit_note", "re_cn3").amount == Decimal("10.00")


def test_a_credit_note_that_only_refunds_books_nothing_itself(harness):
    _paid_invoice(harness)
    credit = se.credit_note(
        "cn_0004", invoice_id="in_cn1", amount=1000, refunds=[("re_cn4", 1000)]
    )

    (event,) = harness.deliver(
        se.event("credit_note.created", credit, api_version=se.BASIL)
    )

    assert event.status == WebhookEvent.Status.IGNORED
    assert "refund flow" in event.error


def test_a_pre_basil_refund_amount_is_fetched(harness):
    _paid_invoice(harness)
    harness.stripe.refunds["re_old"] = se.refund("re_old", charge_id="ch_x", amount=400)
    credit = se.credit_note("cn_0005", invoice_id="in_cn1", amount=1000)
    credit.pop("refunds")
    credit["refund"] = "re_old"

    harness.deliver(se.event("credit_note.created", credit, api_version="2024-06-20"))

    assert harness.erp.document("post_credit_note", "cn_0005").amount == Decimal("6.00")


@pytest.mark.parametrize("void_first", [False, True], ids=["in-order", "void-first"])
def test_a_voided_credit_note_is_reversed_once(harness, erp_kind, void_first):
    _paid_invoice(harness)
    issued = se.credit_note("cn_0006", invoice_id="in_cn1", amount=1500)
    voided = se.credit_note("cn_0006", invoice_id="in_cn1", amount=1500, status="void")
    created = se.event("credit_note.created", issued, api_version=se.BASIL)
    void = se.event("credit_note.voided", voided, api_version=se.BASIL)

    harness.deliver(*((void, created) if void_first else (created, void)))
    harness.deliver({**void, "id": void["id"] + "_again"})

    assert harness.erp.created("post_credit_note") == 1
    assert harness.erp.created("post_adjustment") == 1
    reversal = harness.erp.document("post_adjustment", "cn_0006:void")
    assert reversal.amount == Decimal("-15.00")
    number = harness.erp.document("create_invoice", "in_cn1").number
    assert reversal.payload[CREDIT_TARGET[erp_kind]] == number


def test_a_credit_note_on_an_unpaid_invoice_booked_at_payment_waits(harness):
    invoice = se.basil_invoice("in_open", amount=5000, paid=0)
    invoice["status"] = "open"
    harness.stripe.invoices["in_open"] = invoice
    credit = se.credit_note("cn_0007", invoice_id="in_open", amount=1000)

    (event,) = harness.deliver(
        se.event("credit_note.created", credit, api_version=se.BASIL)
    )

    assert event.status == WebhookEvent.Status.RECEIVED
    assert "waits" in event.error
    assert harness.records() == []
