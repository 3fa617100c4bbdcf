"""An invoice's payment is booked once, whatever arrives first (issue 20, item 8).

Since 2025-03-31.basil neither the charge nor the payment intent names its
invoice: the charge flow asks Stripe's invoice payments before it plans an
order, and the invoice flow books the invoice with the payment applied to it.
Each test ends with the ERP holding exactly one document set, to the cent,
for SYSPRO and for Sage Pro.
"""

from decimal import Decimal

import pytest

from integrations.events import webhook_event_process
from integrations.models import Integration, WebhookEvent
from tests.integrations.workflows import stripe_events as se

pytestmark = pytest.mark.django_db

INVOICE_TARGET = {"syspro": "InvoiceToPay", "sagepro": "invno"}


def _subscription_invoice(harness, *, amount: int = 7200):
    """A paid subscription invoice in_sub1 (basil shape), its payment intent,
    charge and InvoicePayment as Stripe holds them."""
    harness.stripe.customers["cus_A"] = se.customer("cus_A")
    invoice = se.basil_invoice("in_sub1", amount=amount, subscription="sub_1")
    charge = se.charge("ch_sub1", amount=amount, payment_intent="pi_sub1")
    intent = se.example(
        "payment_intent",
        id="pi_sub1",
        amount=amount,
        amount_received=amount,
        currency="usd",
        customer="cus_A",
        latest_charge="ch_sub1",
        status="succeeded",
        created=se.BASE_TIME,
    )
    harness.stripe.invoices["in_sub1"] = invoice
    harness.stripe.charges["ch_sub1"] = charge
    harness.stripe.payment_intents["pi_sub1"] = intent
    harness.stripe.invoice_payments.append(
        se.invoice_payment("in_sub1", payment_intent="pi_sub1", amount=amount)
    )
    return {
        "invoice.paid": se.event("invoice.paid", invoice, api_version=se.BASIL),
        "charge.succeeded": se.event("charge.succeeded", charge, api_version=se.BASIL),
        "payment_intent.succeeded": se.event(
            "payment_intent.succeeded", intent, api_version=se.BASIL
        ),
    }


def _assert_booked_once_through_the_invoice(harness, erp_kind, amount: Decimal):
    assert {r.status for r in harness.records()} == {"succeeded"}
    assert harness.erp.docs("create_sales_order") == []
    assert harness.erp.created("create_invoice") == 1
    assert harness.erp.created("post_payment") == 1
    erp_invoice = harness.erp.document("create_invoice", "in_sub1")
    payment = harness.erp.document("post_payment", "ch_sub1")
    assert erp_invoice.amount == amount
    assert payment.amount == amount
    # the payment is applied to that invoice: its balance is closed
    assert payment.payload[INVOICE_TARGET[erp_kind]] == erp_invoice.number


ORDERS = {
    "charge-first": ("charge.succeeded", "payment_intent.succeeded", "invoice.paid"),
    "invoice-first": ("invoice.paid", "charge.succeeded", "payment_intent.succeeded"),
    "intent-first": ("payment_intent.succeeded", "invoice.paid", "charge.succeeded"),
}


@pytest.mark.parametrize("order", ORDERS.values(), ids=ORDERS.keys())
def test_an_invoice_payment_is_booked_once_in_any_order(harness, erp_kind, order):
    events = _subscription_invoice(harness)

    delivered = harness.deliver(*(events[name] for name in order))

    status = {event.type: event.status for event in delivered}
    assert status["invoice.paid"] == WebhookEvent.Status.PROCESSED
    assert status["charge.succeeded"] == WebhookEvent.Status.IGNORED
    assert status["payment_intent.succeeded"] == WebhookEvent.Status.IGNORED
    charge_event = next(e for e in delivered if e.type == "charge.succeeded")
    assert "invoice in_sub1" in charge_event.error
    _assert_booked_once_through_the_invoice(harness, erp_kind, Decimal("72.00"))


@pytest.mark.parametrize("order", ORDERS.values(), ids=ORDERS.keys())
def test_retries_and_duplicates_add_nothing(harness, erp_kind, order):
    events = _subscription_invoice(harness)
    harness.deliver(*(events[name] for name in order))
    records = len(harness.records())

    # when Stripe delivers each again (new event ids: a retry after a timeout
    # or the sweep's backfill), in the opposite order
    again = [
        {**events[name], "id": events[name]["id"] + "_again"}
        for name in reversed(order)
    ]
    harness.deliver(*again)

    assert len(harness.records()) == records
    _assert_booked_once_through_the_invoice(harness, erp_kind, Decimal("72.00"))


def test_the_charge_learns_from_the_ledger_without_asking_stripe(harness):
    events = _subscription_invoice(harness)
    harness.deliver(events["invoice.paid"])
    harness.stripe.calls.clear()

    (event,) = harness.deliver(events["charge.succeeded"])

    assert event.status == WebhookEvent.Status.IGNORED
    assert "the invoice flow booked it" in event.error
    assert harness.stripe.calls == []


def test_a_charge_whose_invoice_lookup_fails_waits_and_never_books_an_order(
    harness, erp_kind, django_capture_on_commit_callbacks
):
    events = _subscription_invoice(harness)
    harness.stripe.down = True

    # when the charge arrives while Stripe cannot be asked
    (event,) = harness.deliver(events["charge.succeeded"])

    # then it waits (the sweeper offers it again), with nothing planned
    assert event.status == WebhookEvent.Status.RECEIVED
    assert "Stripe" in event.error
    assert harness.records() == []

    # and once Stripe answers, it books nothing of its own
    harness.stripe.down = False
    with django_capture_on_commit_callbacks(execute=True):
        webhook_event_process(event_id=event.pk)
    event.refresh_from_db()
    assert event.status == WebhookEvent.Status.IGNORED
    harness.deliver(events["invoice.paid"])
    _assert_booked_once_through_the_invoice(harness, erp_kind, Decimal("72.00"))


def test_an_invoice_whose_payments_cannot_be_listed_waits(harness):
    events = _subscription_invoice(harness)
    harness.stripe.down = True

    (event,) = harness.deliver(events["invoice.paid"])

    assert event.status == WebhookEvent.Status.RECEIVED
    assert harness.records() == []


def test_a_charge_that_pays_no_invoice_is_booked_as_an_order(harness, erp_kind):
    harness.stripe.customers["cus_A"] = se.customer("cus_A")
    charge = se.charge("ch_shop", amount=2500, payment_intent="pi_shop")

    (event,) = harness.deliver(
        se.event("charge.succeeded", charge, api_version=se.BASIL)
    )

    assert event.status == WebhookEvent.Status.PROCESSED
    assert ("list_invoice_payments", "pi_shop") in harness.stripe.calls
    assert harness.erp.document("create_sales_order", "ch_shop").amount == Decimal(
        "25.00"
    )
    assert harness.erp.document("post_payment", "ch_shop").amount == Decimal("25.00")


def test_a_pre_basil_charge_says_itself_whether_it_pays_an_invoice(harness):
    harness.stripe.customers["cus_A"] = se.customer("cus_A")
    charge = se.charge("ch_old", amount=1000, payment_intent="pi_old", invoice=None)

    (event,) = harness.deliver(
        se.event("charge.succeeded", charge, api_version="2024-06-20")
    )

    assert event.status == WebhookEvent.Status.PROCESSED
    assert not any(call[0] == "list_invoice_payments" for call in harness.stripe.calls)


def test_with_the_invoices_flow_off_the_charge_books_an_order(harness):
    events = _subscription_invoice(harness)
    Integration.objects.filter(pk=harness.integration.pk).update(
        flows=[f for f in harness.integration.flows if f != "invoices"]
    )
    harness.integration.refresh_from_db()

    (event,) = harness.deliver(events["charge.succeeded"])

    # nothing else will book this money, so the charge books it
    assert event.status == WebhookEvent.Status.PROCESSED
    assert harness.erp.created("create_sales_order") == 1
    assert not any(call[0] == "list_invoice_payments" for call in harness.stripe.calls)


def test_an_invoice_paid_by_two_charges_and_out_of_band(harness, erp_kind):
    harness.stripe.customers["cus_A"] = se.customer("cus_A")
    invoice = se.basil_invoice("in_split", amount=10000)
    for pi, ch, amount in (("pi_a", "ch_a", 3000), ("pi_b", "ch_b", 5000)):
        harness.stripe.payment_intents[pi] = {"id": pi, "latest_charge": ch}
        harness.stripe.invoice_payments.append(
            se.invoice_payment("in_split", payment_intent=pi, amount=amount)
        )
    harness.stripe.invoice_payments.append(
        se.invoice_payment("in_split", payment_intent="pi_x", amount=9, status="open")
    )

    harness.deliver(se.event("invoice.paid", invoice, api_version=se.BASIL))

    # each charge's payment keyed by the charge, the rest (20.00) by the invoice
    paid = {doc.reference: doc.amount for doc in harness.erp.docs("post_payment")}
    assert paid == {
        "ch_a": Decimal("30.00"),
        "ch_b": Decimal("50.00"),
        "in_split": Decimal("20.00"),
    }
    number = harness.erp.document("create_invoice", "in_split").number
    assert {
        doc.payload[INVOICE_TARGET[erp_kind]]
        for doc in harness.erp.docs("post_payment")
    } == {number}


def test_a_refund_before_anything_books_the_invoice_not_an_order(harness, erp_kind):
    events = _subscription_invoice(harness)
    refund = se.refund("re_sub1", charge_id="ch_sub1", amount=2000)

    # when the refund is the first thing to arrive (its charge not included)
    (first,) = harness.deliver(se.event("refund.created", refund, api_version=se.BASIL))
    harness.deliver(*events.values())

    assert first.status == WebhookEvent.Status.PROCESSED
    assert harness.record("re_sub1:credit_note").status == "succeeded"
    _assert_booked_once_through_the_invoice(harness, erp_kind, Decimal("72.00"))
    (total,) = harness.erp.totals_by_customer().values()
    assert total == Decimal("52.00")


def test_an_invoice_whose_charge_was_booked_as_an_order_is_refused(harness):
    # given the charge booked as an order while the invoices flow was off
    events = _subscription_invoice(harness)
    flows = list(harness.integration.flows)
    harness.integration.flows = [f for f in flows if f != "invoices"]
    harness.integration.save(update_fields=["flows"])
    harness.deliver(events["charge.succeeded"])
    harness.integration.flows = flows
    harness.integration.save(update_fields=["flows"])

    (event,) = harness.deliver(events["invoice.paid"])

    # then the invoice is not booked on top: a person decides, with the reason
    assert event.status == WebhookEvent.Status.FAILED
    assert "already booked as sales order" in event.error
    assert harness.erp.docs("create_invoice") == []
    assert harness.erp.created("post_payment") == 1
