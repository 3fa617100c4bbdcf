"""Refunds → credit notes, disputes → AR adjustments, in and out of order."""

from decimal import Decimal

import pytest

from integrations.models import Alert, WebhookEvent
from tests.integrations.workflows import stripe_events as se

pytestmark = pytest.mark.django_db


def _book_charge(harness, charge_id="ch_r", amount=10000, currency="usd"):
    charge = se.charge(charge_id, amount=amount, currency=currency)
    harness.stripe.charges[charge_id] = charge
    harness.deliver(se.event("charge.succeeded", charge))
    return charge


def _customer_total(harness):
    (total,) = harness.erp.totals_by_customer().values()
    return total


def _customer_owes(harness):
    (owed,) = harness.erp.balances_by_customer().values()
    return owed


def test_partial_refunds_each_get_one_credit_note_whatever_event_says_so(harness):
    charge = _book_charge(harness)
    first = se.refund("re_1", charge_id="ch_r", amount=2500)
    second = se.refund("re_2", charge_id="ch_r", amount=1000)

    harness.deliver(
        se.event("refund.created", first),
        se.event("charge.refunded", se.refunded_charge(charge, [first])),
        se.event("charge.refunded", se.refunded_charge(charge, [first, second])),
        se.event("refund.created", second),
        se.event("refund.updated", second),
    )

    assert harness.erp.created("post_credit_note") == 2
    assert harness.erp.document("post_credit_note", "re_1").amount == Decimal("25.00")
    assert _customer_total(harness) == Decimal("65.00")
    credit = harness.record("re_1:credit_note")
    assert credit.status == "succeeded"
    # the credit note names the original document (the sales order)
    order_number = harness.erp.document("create_sales_order", "ch_r").number
    invno = credit.payload.get("invno", order_number)
    assert invno == order_number


def test_charge_refunded_without_embedded_refunds_fetches_them(harness):
    charge = _book_charge(harness)
    refund = se.refund("re_3", charge_id="ch_r", amount=10000)
    harness.stripe.charges["ch_r"] = se.refunded_charge(charge, [refund])

    harness.deliver(
        se.event(
            "charge.refunded",
            se.refunded_charge(charge, [refund], embed=False),
            previous={"amount_refunded": 0, "refunded": False},
        )
    )

    assert ("retrieve_charge", "ch_r") in harness.stripe.calls
    assert _customer_total(harness) == Decimal("0.00")


def test_a_refund_before_its_charge_fetches_the_charge_and_waits_for_it(harness):
    charge = se.charge("ch_early", amount=4200, currency="jpy")
    harness.stripe.charges["ch_early"] = charge
    refund = se.refund("re_early", charge_id="ch_early", amount=200, currency="jpy")

    (event,) = harness.deliver(se.event("refund.created", refund))
    harness.deliver(se.event("charge.succeeded", charge))

    assert event.status == WebhookEvent.Status.PROCESSED
    assert {r.status for r in harness.records()} == {"succeeded"}
    assert harness.erp.created("post_payment") == 1
    assert _customer_total(harness) == Decimal("4000")
    credit = harness.record("re_early:credit_note")
    payment = harness.record("ch_early:payment")
    assert credit.succeeded_at >= payment.succeeded_at


def test_a_refund_that_fails_later_is_reversed(harness):
    _book_charge(harness, amount=1234, currency="kwd")
    refund = se.refund("re_f", charge_id="ch_r", amount=234, currency="kwd")

    harness.deliver(se.event("refund.created", refund))
    # KWD's third decimal does not fit the ERPs' 2-decimal amount fields: each
    # document is booked rounded (tests/integrations/test_currency_precision.py).
    assert _customer_total(harness) == Decimal("1.00")
    # the credit note leaves the customer 0.23 in credit
    assert _customer_owes(harness) == Decimal("-0.23")
    harness.deliver(se.event("refund.failed", {**refund, "status": "failed"}))

    # then a debit of the same amount: the customer owes nothing, as before
    assert harness.erp.created("post_credit_note") == 1
    assert harness.erp.document("post_adjustment", "re_f:reversal").amount == Decimal(
        "-0.23"
    )
    assert _customer_owes(harness) == Decimal("0.00")


def test_dispute_withdraws_and_reinstatement_reverses(harness):
    _book_charge(harness, amount=5000)
    dispute = se.dispute("dp_1", charge_id="ch_r", amount=5000)

    harness.deliver(
        se.event("charge.dispute.created", dispute),
        se.event("charge.dispute.funds_withdrawn", dispute),
    )
    assert harness.erp.created("post_adjustment") == 1
    assert _customer_total(harness) == Decimal("0.00")
    assert Alert.objects.filter(code="dispute").count() == 1

    won = {**dispute, "status": "won"}
    harness.deliver(
        se.event("charge.dispute.funds_reinstated", won),
        se.event("charge.dispute.closed", won),
    )

    assert harness.erp.created("post_adjustment") == 2
    assert harness.erp.document("post_adjustment", "dp_1:reinstated").amount == (
        Decimal("50.00")
    )
    assert _customer_total(harness) == Decimal("50.00")
    assert Alert.objects.filter(code="dispute_closed").count() == 1


def test_an_early_dispute_books_the_charge_first(harness):
    charge = se.charge("ch_d", amount=800, currency="eur")
    harness.stripe.charges["ch_d"] = charge
    dispute = se.dispute("dp_2", charge_id="ch_d", amount=800, currency="eur")

    harness.deliver(
        se.event("charge.dispute.closed", {**dispute, "status": "lost"}),
        se.event("charge.succeeded", charge),
    )

    assert harness.erp.created("post_payment") == 1
    assert harness.erp.created("post_adjustment") == 1
    assert _customer_total(harness) == Decimal("0.00")


def test_an_inquiry_alerts_but_moves_no_money(harness):
    _book_charge(harness)
    inquiry = se.dispute(
        "dp_3", charge_id="ch_r", amount=10000, status="warning_needs_response"
    )

    (event,) = harness.deliver(se.event("charge.dispute.created", inquiry))

    assert event.status == WebhookEvent.Status.PROCESSED
    assert harness.erp.docs("post_adjustment") == []
    assert Alert.objects.filter(code="dispute").exists()


def test_a_refund_for_an_unknown_charge_fails_the_event_readably(harness):
    refund = se.refund("re_x", charge_id="ch_missing", amount=100)

    (event,) = harness.deliver(se.event("refund.created", refund))

    assert event.status == WebhookEvent.Status.FAILED
    assert "No such charge" in event.error
    assert harness.records() == []
