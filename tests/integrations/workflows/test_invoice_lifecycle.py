"""A Stripe invoice's life in the ERP (issue 20, item 1): booked at payment
(the default) or at finalization, paid, voided (credit note) or written off
(adjustment); tax as its own line. SYSPRO and Sage Pro."""

from decimal import Decimal

import pytest

from integrations.models import WebhookEvent
from tests.integrations.workflows import stripe_events as se

pytestmark = pytest.mark.django_db

INVOICE_TARGET = {"syspro": "InvoiceToPay", "sagepro": "invno"}
CREDIT_TARGET = {"syspro": "Invoice", "sagepro": "invno"}


@pytest.fixture
def at_finalization(harness):
    harness.integration.options = {
        **(harness.integration.options or {}),
        "invoice_booking": "finalized",
    }
    harness.integration.save(update_fields=["options"])
    return harness


def _open(invoice_id: str, amount: int = 7200, tax: int = 0) -> dict:
    invoice = se.basil_invoice(invoice_id, amount=amount, paid=0, tax=tax)
    invoice["status"] = "open"
    return invoice


def _paid(harness, invoice_id: str, amount: int = 7200, tax: int = 0):
    invoice = se.basil_invoice(invoice_id, amount=amount, tax=tax)
    pi, ch = f"pi_{invoice_id}", f"ch_{invoice_id}"
    harness.stripe.payment_intents[pi] = {"id": pi, "latest_charge": ch}
    harness.stripe.invoice_payments.append(
        se.invoice_payment(invoice_id, payment_intent=pi, amount=amount)
    )
    return invoice


def test_tax_is_its_own_line_and_the_lines_add_up_to_the_total(harness, erp_kind):
    invoice = _paid(harness, "in_tax", amount=11500, tax=1500)

    harness.deliver(se.event("invoice.paid", invoice, api_version=se.BASIL))

    record = harness.record("in_tax:invoice")
    lines = record.source["lines"]
    assert [(line["description"], line["amount"]) for line in lines] == [
        ("Subscription", 10000),
        ("Tax", 1500),
    ]
    assert sum(line["amount"] for line in lines) == record.source["amount"]
    assert harness.erp.document("create_invoice", "in_tax").amount == Decimal("115.00")


def test_by_default_a_finalized_invoice_waits_for_its_payment(harness):
    (event,) = harness.deliver(
        se.event("invoice.finalized", _open("in_f0"), api_version=se.BASIL)
    )

    assert event.status == WebhookEvent.Status.IGNORED
    assert "booked when paid" in event.error
    assert harness.erp.docs("create_invoice") == []


@pytest.mark.parametrize("paid_first", [False, True], ids=["in-order", "paid-first"])
def test_booked_at_finalization_then_paid(at_finalization, erp_kind, paid_first):
    harness = at_finalization
    finalized = se.event("invoice.finalized", _open("in_f1"), api_version=se.BASIL)
    paid = se.event("invoice.paid", _paid(harness, "in_f1"), api_version=se.BASIL)

    events = harness.deliver(*((paid, finalized) if paid_first else (finalized, paid)))
    harness.deliver({**finalized, "id": finalized["id"] + "_again"})

    assert {e.status for e in events} == {WebhookEvent.Status.PROCESSED}
    assert harness.erp.created("create_invoice") == 1
    assert harness.erp.created("post_payment") == 1
    number = harness.erp.document("create_invoice", "in_f1").number
    payment = harness.erp.document("post_payment", "ch_in_f1")
    assert payment.amount == Decimal("72.00")
    assert payment.payload[INVOICE_TARGET[erp_kind]] == number


@pytest.mark.parametrize("void_first", [False, True], ids=["in-order", "void-first"])
def test_a_voided_invoice_is_reversed_by_a_credit_note(
    at_finalization, erp_kind, void_first
):
    harness = at_finalization
    finalized = se.event("invoice.finalized", _open("in_v1"), api_version=se.BASIL)
    voided_invoice = {**_open("in_v1"), "status": "void"}
    voided = se.event("invoice.voided", voided_invoice, api_version=se.BASIL)

    harness.deliver(*((voided, finalized) if void_first else (finalized, voided)))
    harness.deliver({**voided, "id": voided["id"] + "_again"})

    assert harness.erp.created("create_invoice") == 1
    assert harness.erp.created("post_credit_note") == 1
    number = harness.erp.document("create_invoice", "in_v1").number
    credit = harness.erp.document("post_credit_note", "in_v1:void")
    assert credit.amount == Decimal("72.00")
    assert credit.payload[CREDIT_TARGET[erp_kind]] == number


def test_a_void_booked_at_payment_was_never_booked(harness):
    (event,) = harness.deliver(
        se.event(
            "invoice.voided", {**_open("in_v2"), "status": "void"}, api_version=se.BASIL
        )
    )

    assert event.status == WebhookEvent.Status.IGNORED
    assert harness.records() == []


def test_an_uncollectible_invoice_is_written_off_and_reinstated_if_paid(
    at_finalization, erp_kind
):
    harness = at_finalization
    harness.deliver(
        se.event("invoice.finalized", _open("in_u1"), api_version=se.BASIL),
        se.event(
            "invoice.marked_uncollectible",
            {**_open("in_u1"), "status": "uncollectible"},
            api_version=se.BASIL,
        ),
    )
    write_off = harness.erp.document("post_adjustment", "in_u1:uncollectible")
    assert write_off.amount == Decimal("72.00")

    # when the customer pays after all
    harness.deliver(
        se.event("invoice.paid", _paid(harness, "in_u1"), api_version=se.BASIL)
    )

    reversal = harness.erp.document("post_adjustment", "in_u1:uncollectible:reversal")
    assert reversal.amount == Decimal("-72.00")
    assert harness.erp.created("post_payment") == 1
    assert {r.status for r in harness.records()} == {"succeeded"}


def test_a_bad_booking_option_is_a_clear_failure(harness):
    harness.integration.options = {"invoice_booking": "sometimes"}
    harness.integration.save(update_fields=["options"])

    (event,) = harness.deliver(
        se.event("invoice.finalized", _open("in_b"), api_version=se.BASIL)
    )

    assert event.status == WebhookEvent.Status.FAILED
    assert "invoice_booking" in event.error


def test_credit_lines_are_netted_into_one_line(harness, erp_kind):
    invoice = _paid(harness, "in_pro", amount=2000)
    invoice["lines"]["data"] = [
        {**invoice["lines"]["data"][0], "amount": -1000, "description": "Unused"},
        {**invoice["lines"]["data"][0], "amount": 3000, "description": "Pro"},
    ]

    harness.deliver(se.event("invoice.paid", invoice, api_version=se.BASIL))

    (line,) = harness.record("in_pro:invoice").source["lines"]
    assert (line["description"], line["amount"]) == ("Pro (net of credits)", 2000)
    assert harness.erp.document("create_invoice", "in_pro").amount == Decimal("20.00")


def test_voiding_a_written_off_invoice_reverses_the_write_off_too(at_finalization):
    harness = at_finalization
    harness.deliver(
        se.event("invoice.finalized", _open("in_wv"), api_version=se.BASIL),
        se.event(
            "invoice.marked_uncollectible",
            {**_open("in_wv"), "status": "uncollectible"},
            api_version=se.BASIL,
        ),
    )

    harness.deliver(
        se.event(
            "invoice.voided", {**_open("in_wv"), "status": "void"}, api_version=se.BASIL
        )
    )

    # invoice 72.00, write-off +72.00 and its reversal -72.00, credit 72.00:
    # the invoice nets to zero once
    assert harness.erp.document("post_credit_note", "in_wv:void").amount == Decimal(
        "72.00"
    )
    reversal = harness.erp.document("post_adjustment", "in_wv:uncollectible:reversal")
    assert reversal.amount == Decimal("-72.00")
    assert {r.status for r in harness.records()} == {"succeeded"}


def test_a_negative_invoice_says_it_is_a_balance_credit(harness):
    invoice = se.basil_invoice("in_neg", amount=-500, paid=0)

    (event,) = harness.deliver(se.event("invoice.paid", invoice, api_version=se.BASIL))

    assert event.status == WebhookEvent.Status.IGNORED
    assert "customer's balance" in event.error
    assert harness.records() == []
