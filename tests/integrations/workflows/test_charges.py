"""Charges → ERP customer, sales order and payment, for SYSPRO and Sage Pro."""

import json
from decimal import Decimal

import pytest

from integrations.erps.registry import erp_package
from integrations.models import CustomerLink, WebhookEvent
from mapping.models import AnomalyPolicy
from tests.integrations.workflows import stripe_events as se

pytestmark = pytest.mark.django_db

# The payload field names per ERP that the assertions read.
F = {
    "syspro": {"po": "CustomerPoNumber", "cust": "Customer", "pay": "PaymentValue"},
    "sagepro": {"po": "ponum", "cust": "custno", "pay": "amount"},
}


def test_a_paid_charge_books_customer_order_and_payment(harness, erp_kind):
    # given a Stripe customer the ERP does not know
    harness.stripe.customers["cus_A"] = se.customer("cus_A", email="new@example.com")
    charge = se.charge("ch_1", amount=1999, email="new@example.com")

    # when
    (event,) = harness.deliver(se.event("charge.succeeded", charge))

    # then
    assert event.status == WebhookEvent.Status.PROCESSED
    statuses = {r.operation: r.status for r in harness.records()}
    assert statuses == {
        "upsert_customer": "succeeded",
        "create_sales_order": "succeeded",
        "post_payment": "succeeded",
    }
    code = harness.record("customer:cus_A").erp_reference
    assert (
        code.startswith("S") and len(code) == erp_package(erp_kind).customer_code_length
    )
    assert code in harness.erp.customers
    order = harness.erp.document("create_sales_order", "ch_1")
    assert order.payload[F[erp_kind]["po"]] == "ch_1"
    assert order.customer == code
    assert order.amount == Decimal("19.99")
    payment = harness.erp.document("post_payment", "ch_1")
    assert payment.payload[F[erp_kind]["pay"]] == "19.99"
    assert payment.customer == code
    # the code is linked and written back to the Stripe customer
    link = CustomerLink.objects.get(stripe_customer_id="cus_A")
    assert link.erp_customer_code == code
    assert harness.stripe.customers["cus_A"]["metadata"]["erp_customer_code"] == code


def test_a_new_payers_order_is_checked_against_the_currency_it_was_created_in(
    harness, monkeypatch
):
    # given a payer the ERP does not know, and every ERP lookup by code counted
    asked: list[str] = []
    find_customer = harness.erp.find_customer

    def counted(*, code: str = "", email: str = ""):
        if code:
            asked.append(code)
        return find_customer(code=code, email=email)

    monkeypatch.setattr(harness.erp, "find_customer", counted)
    AnomalyPolicy.objects.filter(integration=harness.integration).update(
        enabled=True, currency_mismatch=True
    )

    # when its first charge is booked, with the currency rule on
    harness.deliver(se.event("charge.succeeded", se.charge("ch_n1", amount=1200)))

    # then its new code is never asked for: the customer is created under it
    # at once, and the order's currency rule reads the currency it was just
    # created in
    code = harness.record("customer:cus_A").erp_reference
    assert harness.record("ch_n1:sales_order").status == "succeeded"
    assert asked.count(code) == 0
    assert harness.erp.created("upsert_customer") == 1


def test_a_charge_without_a_billing_name_books_the_stripe_customers_name(harness):
    # given a charge that names its payer only by email (no billing name)
    harness.stripe.customers["cus_H"] = se.customer(
        "cus_H", name="Harbour Cycles", email="accounts@harbour.example"
    )
    charge = se.charge("ch_h", amount=1000, customer="cus_H", email="")
    charge["billing_details"] = {**charge["billing_details"], "name": None}

    harness.deliver(se.event("charge.succeeded", charge))

    code = harness.record("customer:cus_H").erp_reference
    assert harness.erp.find_customer(code=code).name == "Harbour Cycles"


def test_charge_and_payment_intent_events_book_the_charge_once(harness):
    charge = se.charge("ch_2", amount=500)
    intent = se.example(
        "payment_intent",
        id="pi_2",
        amount=500,
        amount_received=500,
        currency="usd",
        customer="cus_A",
        status="succeeded",
        latest_charge="ch_2",
        created=se.BASE_TIME,
    )

    harness.deliver(
        se.event("payment_intent.succeeded", intent),
        se.event("charge.succeeded", charge),
        se.event("charge.succeeded", charge),
    )

    # The customer, its account in the charge's currency, order and payment.
    assert len(harness.records()) == 4
    assert harness.erp.created("create_sales_order") == 1
    assert harness.erp.created("post_payment") == 1


def test_customer_is_matched_by_email_before_one_is_created(harness):
    charge = se.charge("ch_3", amount=100, customer=None, email="AP@northwind.example")

    harness.deliver(se.event("charge.succeeded", charge))

    assert harness.record("customer:guest:ap@northwind.example").erp_reference == (
        "0000002"
    )
    assert harness.erp.created("upsert_customer") == 0
    assert harness.erp.document("post_payment", "ch_3").customer == "0000002"


def test_erp_code_in_stripe_customer_metadata_wins(harness):
    harness.stripe.customers["cus_M"] = se.customer(
        "cus_M", metadata={"erp_customer_code": "0000003"}
    )

    harness.deliver(
        se.event("charge.succeeded", se.charge("ch_4", amount=100, customer="cus_M"))
    )

    assert harness.erp.document("post_payment", "ch_4").customer == "0000003"
    assert CustomerLink.objects.get(stripe_customer_id="cus_M").erp_customer_code == (
        "0000003"
    )


def test_metadata_lines_become_stock_lines_and_the_order_totals_the_charge(
    harness, erp_kind
):
    lines = [
        {"sku": "A100", "quantity": 2, "unit_amount": 1000},
        {"sku": "B100", "quantity": 1, "unit_amount": 9999},
    ]
    # 2·10.00 + 99.99 = 119.99; the charge adds 8.01 of tax
    charge = se.charge("ch_5", amount=12800, metadata={"lines": json.dumps(lines)})

    harness.deliver(se.event("charge.succeeded", charge))

    order = harness.erp.document("create_sales_order", "ch_5")
    assert order.amount == Decimal("128.00")
    payload_lines = order.payload["lines"]
    assert len(payload_lines) == 3
    if erp_kind == "syspro":
        assert [line["LineType"] for line in payload_lines] == [
            "stock",
            "stock",
            "misc",
        ]
        assert payload_lines[0]["StockCode"] == "A100"
        assert payload_lines[2]["MiscChargeValue"] == "8.01"
    else:
        assert [line["item"] for line in payload_lines][:2] == ["A100", "B100"]
        assert payload_lines[2]["extprice"] == "8.01"


def test_charge_naming_an_erp_order_pays_it_without_a_new_order(harness, erp_kind):
    existing = harness.erp.create_sales_order(
        {F[erp_kind]["cust"]: "0000001", "lines": []}, reference="PO-EXISTING"
    )
    harness.stripe.customers["cus_B"] = se.customer(
        "cus_B", metadata={"erp_customer_code": "0000001"}
    )
    charge = se.charge(
        "ch_6", amount=2550, customer="cus_B", metadata={"erp_order": existing.number}
    )

    harness.deliver(se.event("charge.succeeded", charge))

    assert harness.erp.document("create_sales_order", "ch_6") is None
    payment = harness.erp.document("post_payment", "ch_6")
    if erp_kind == "syspro":
        # ARSTPY's Payment has no SalesOrder element (Zindaar/SYSPROIntegration
        # ARPrimaryPosting/PostARPaymentsAdjustmentsAndMiscellaneousReceipts/
        # ARSTPYDOC.vb): the payment is unapplied cash on the customer.
        assert "SalesOrder" not in payment.payload
    else:
        assert payment.payload["sono"] == existing.number
    assert payment.amount == Decimal("25.50")


@pytest.mark.parametrize(
    ("currency", "amount", "expected"),
    # KWD's three decimals do not fit the ERPs' 2-decimal amount fields: the
    # documents are booked rounded (tests/integrations/test_currency_precision.py).
    [("jpy", 5000, "5000"), ("kwd", 1234, "1.23"), ("eur", 1, "0.01")],
)
def test_zero_and_three_decimal_currencies(
    harness, erp_kind, currency, amount, expected
):
    charge = se.charge("ch_7", amount=amount, currency=currency)

    harness.deliver(se.event("charge.succeeded", charge))

    payment = harness.erp.document("post_payment", "ch_7")
    assert payment.payload[F[erp_kind]["pay"]] == expected
    assert harness.erp.document("create_sales_order", "ch_7").amount == Decimal(
        expected
    )


def test_failed_charge_is_ignored_with_the_reason(harness):
    charge = se.charge(
        "ch_8",
        amount=100,
        status="failed",
        paid=False,
        failure_message="Your card was declined.",
    )

    (event,) = harness.deliver(se.event("charge.failed", charge))

    assert event.status == WebhookEvent.Status.IGNORED
    assert "declined" in event.error
    assert harness.records() == []


def test_events_of_a_switched_off_flow_are_ignored(harness):
    harness.integration.flows = ["refunds"]
    harness.integration.save()

    (event,) = harness.deliver(
        se.event("charge.succeeded", se.charge("ch_9", amount=1))
    )

    assert event.status == WebhookEvent.Status.IGNORED
    assert "charges" in event.error
    assert harness.records() == []


def test_guest_charges_can_book_to_a_cash_sale_customer(harness):
    harness.integration.options = {
        **harness.integration.options,
        "guest_customer_code": "0000003",
    }
    harness.integration.save()

    harness.deliver(
        se.event("charge.succeeded", se.charge("ch_10", amount=700, customer=None)),
        se.event("charge.succeeded", se.charge("ch_11", amount=300, customer=None)),
    )

    assert harness.erp.totals_by_customer() == {"0000003": Decimal("10.00")}
    assert harness.erp.created("upsert_customer") == 0
