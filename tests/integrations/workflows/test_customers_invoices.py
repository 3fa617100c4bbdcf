"""Customer master sync and invoice.paid, for SYSPRO and Sage Pro."""

from decimal import Decimal

import pytest

from integrations.models import CustomerLink, WebhookEvent
from integrations.workflows.customers import _link_save, customer_code_candidates
from tests.integrations.workflows import stripe_events as se

pytestmark = pytest.mark.django_db

NAME = {"syspro": "Name", "sagepro": "company"}
CITY = {"syspro": "SoldToAddr3", "sagepro": "city"}


def test_customer_created_writes_the_master_with_flat_address(harness, erp_kind):
    customer = se.customer("cus_C", name="A" * 45)
    harness.stripe.customers["cus_C"] = customer

    (event,) = harness.deliver(se.event("customer.created", customer))

    assert event.status == WebhookEvent.Status.PROCESSED
    code = CustomerLink.objects.get(stripe_customer_id="cus_C").erp_customer_code
    row = harness.erp.customers[code]
    assert row[CITY[erp_kind]] == "Cape Town"
    # names are cut to the ERP's field length (SYSPRO 30, Sage Pro 40)
    assert row[NAME[erp_kind]] == "A" * (30 if erp_kind == "syspro" else 40)


def test_customer_without_currency_waits_for_its_first_payment(harness, erp_kind):
    customer = {**se.customer("cus_NC"), "currency": None}
    harness.stripe.customers["cus_NC"] = customer

    (event,) = harness.deliver(se.event("customer.created", customer))

    assert event.status == WebhookEvent.Status.IGNORED
    assert "first payment" in event.error
    assert not CustomerLink.objects.filter(stripe_customer_id="cus_NC").exists()


def test_older_customer_updates_are_skipped(harness, erp_kind):
    customer = se.customer("cus_U")
    harness.stripe.customers["cus_U"] = customer
    newer = se.event(
        "customer.updated",
        {**customer, "name": "Newer Name"},
        created=se.BASE_TIME + 500,
        previous={"name": "Jenny Rosen"},
    )
    older = se.event(
        "customer.updated",
        {**customer, "name": "Older Name"},
        created=se.BASE_TIME + 100,
        previous={"name": "Jenny Rosen"},
    )

    harness.deliver(se.event("customer.created", customer, created=se.BASE_TIME))
    harness.deliver(newer)
    (late,) = harness.deliver(older)

    assert late.status == WebhookEvent.Status.IGNORED
    code = CustomerLink.objects.get(stripe_customer_id="cus_U").erp_customer_code
    assert harness.erp.customers[code][NAME[erp_kind]] == "Newer Name"


def test_a_metadata_only_update_is_ignored(harness):
    customer = se.customer("cus_N", metadata={"erp_customer_code": "0000001"})

    (event,) = harness.deliver(
        se.event("customer.updated", customer, previous={"metadata": {"x": "1"}})
    )

    assert event.status == WebhookEvent.Status.IGNORED


def test_deleting_a_customer_never_booked_is_ignored(harness):
    deleted = se.example("deleted_customer", id="cus_Z")

    (event,) = harness.deliver(se.event("customer.deleted", deleted))

    assert event.status == WebhookEvent.Status.IGNORED


def test_generated_codes_are_deterministic_and_fit_the_erp():
    syspro = customer_code_candidates(stripe_id="cus_1", prefix="S", length=7)
    again = customer_code_candidates(stripe_id="cus_1", prefix="S", length=7)
    sage = customer_code_candidates(stripe_id="cus_1", prefix="WEB", length=10)

    assert syspro == again
    assert all(len(code) == 7 and code.startswith("S") for code in syspro)
    assert all(len(code) == 10 and code.startswith("WEB") for code in sage)
    assert len(set(syspro)) > 40


def test_a_code_collision_takes_the_next_candidate(harness, erp_kind):
    length = 7 if erp_kind == "syspro" else 10
    first = customer_code_candidates(stripe_id="cus_K", prefix="S", length=length)[0]
    code_field = "Customer" if erp_kind == "syspro" else "custno"
    harness.erp.customers[first] = {code_field: first, NAME[erp_kind]: "Someone Else"}
    harness.stripe.customers["cus_K"] = se.customer("cus_K", email="k@example.com")

    harness.deliver(
        se.event("charge.succeeded", se.charge("ch_k", amount=100, customer="cus_K"))
    )

    code = CustomerLink.objects.get(stripe_customer_id="cus_K").erp_customer_code
    assert code != first
    assert harness.erp.document("post_payment", "ch_k").customer == code


def test_a_customer_an_earlier_crashed_attempt_created_is_adopted(harness, erp_kind):
    # given the first generated code already holds this payer, known by name
    # (the reply of an earlier attempt's create was lost)
    length = 7 if erp_kind == "syspro" else 10
    first = customer_code_candidates(stripe_id="cus_M", prefix="S", length=length)[0]
    code_field = "Customer" if erp_kind == "syspro" else "custno"
    harness.erp.customers[first] = {code_field: first, NAME[erp_kind]: "Jenny Rosen"}
    harness.stripe.customers["cus_M"] = se.customer("cus_M", email="")

    # when its charge arrives
    charge = se.charge("ch_m", amount=100, customer="cus_M", email="")
    harness.deliver(se.event("charge.succeeded", charge))

    # then the create is refused, the code looked up and the customer adopted
    assert CustomerLink.objects.get(stripe_customer_id="cus_M").erp_customer_code == (
        first
    )
    assert harness.erp.created("upsert_customer") == 0
    assert harness.erp.document("post_payment", "ch_m").customer == first


def test_a_code_linked_to_another_customer_is_passed_over(harness, erp_kind):
    length = 7 if erp_kind == "syspro" else 10
    first = customer_code_candidates(stripe_id="cus_L", prefix="S", length=length)[0]
    CustomerLink.objects.create(
        integration=harness.integration,
        stripe_customer_id="cus_other",
        erp_customer_code=first,
    )
    harness.stripe.customers["cus_L"] = se.customer("cus_L", email="l@example.com")

    harness.deliver(
        se.event("charge.succeeded", se.charge("ch_l", amount=100, customer="cus_L"))
    )

    code = CustomerLink.objects.get(stripe_customer_id="cus_L").erp_customer_code
    assert code not in ("", first)
    assert harness.erp.document("post_payment", "ch_l").customer == code


def test_a_link_made_meanwhile_by_another_worker_is_updated_not_duplicated(
    wf_integration,
):
    # given a link another worker inserted after this one looked
    CustomerLink.objects.create(
        integration=wf_integration,
        stripe_customer_id="cus_M",
        erp_customer_code="S000001",
        stripe_updated=5,
    )

    # when
    _link_save(
        integration=wf_integration,
        stripe_id="cus_M",
        code="S000002",
        version=7,
        link=None,
    )

    # then
    link = CustomerLink.objects.get(stripe_customer_id="cus_M")
    assert (link.erp_customer_code, link.stripe_updated) == ("S000002", 7)


@pytest.mark.parametrize("basil", [False, True], ids=["pre-basil", "basil"])
def test_invoice_paid_books_invoice_and_payment(harness, erp_kind, basil):
    invoice = se.invoice(
        "in_0001", amount=11500, tax=1500, charge_id="ch_inv", basil=basil
    )

    harness.deliver(se.event("invoice.paid", invoice))

    erp_invoice = harness.erp.document("create_invoice", "in_0001")
    assert erp_invoice.amount == Decimal("115.00")
    payment = harness.erp.document("post_payment", "ch_inv")
    assert payment.amount == Decimal("115.00")
    target = "InvoiceToPay" if erp_kind == "syspro" else "invno"
    assert payment.payload[target] == erp_invoice.number
    # the invoice's own charge event does not book the money again
    charge = se.charge("ch_inv", amount=11500, invoice=None if basil else "in_0001")
    (event,) = harness.deliver(se.event("charge.succeeded", charge))
    assert event.status == WebhookEvent.Status.IGNORED
    assert harness.erp.created("post_payment") == 1
    assert harness.erp.docs("create_sales_order") == []


def test_refund_of_an_invoice_charge_finds_the_invoice_payment(harness):
    harness.deliver(
        se.event("invoice.paid", se.invoice("in_0002", amount=3000, charge_id="ch_i2"))
    )
    refund = se.refund("re_i2", charge_id="ch_i2", amount=1000)

    harness.deliver(se.event("refund.created", refund))

    assert harness.record("re_i2:credit_note").status == "succeeded"
    (total,) = harness.erp.totals_by_customer().values()
    assert total == Decimal("20.00")
