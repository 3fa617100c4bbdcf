"""Several open invoices paid at once by card: one Stripe Checkout Session,
one charge, one ERP payment applied to exactly those invoices with their
amounts, whatever the webhook order, duplicates or retries (issue 18, item 5).

SYSPRO: one ARSTPY Payment with an InvoiceToPay per invoice, each with its
GrossPaymentValue (ARSTPYDOC.vb:
https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/ARPrimaryPosting/PostARPaymentsAdjustmentsAndMiscellaneousReceipts/ARSTPYDOC.vb).
"""

import json
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from b2b.models import InvoicePayment
from b2b.services import payments
from integrations import ledger
from integrations.canonical import InvoiceAllocation
from integrations.intake import webhook_event_store
from integrations.models import Alert, SyncRecord, WebhookEvent
from integrations.workflows.charges import (
    META_ERP_INVOICES,
    allocations_decode,
    allocations_encode,
)
from integrations.workflows.common import PlanningError
from mapping.services import mapping_set_create
from mapping.templates import template_for
from sandbox.stripeapi.models import ApiObject, Event
from tests.b2b.conftest import HOST, make_buyer

pytestmark = pytest.mark.django_db


def _invoices():
    return apps.get_model("sandbox_syspro", "ArInvoice")


def _sessions():
    return ApiObject.objects.filter(kind=ApiObject.Kind.CHECKOUT_SESSION)


def _ar_payments():
    return apps.get_model("sandbox_syspro", "ArPayment")


def _forward(integration, capture, events, *, suffix: str = "") -> None:
    for event in events:
        data = {**event.data, "id": event.data["id"] + suffix}
        with capture(execute=True):
            webhook_event_store(
                integration=integration,
                data=data,
                body=json.dumps(data),
                source="sweep" if suffix else "webhook",
            )


@pytest.fixture
def open_invoices(bayside):
    # The seed leaves Bayside two open invoices; a third shows the one left
    # alone stays untouched.
    model = _invoices()
    seeded = model.objects.filter(customer__code="0000001", transaction_type="I")
    template = seeded.order_by("invoice").last()
    model.objects.create(
        customer=template.customer,
        invoice="0000990",
        transaction_type="I",
        invoice_date=template.invoice_date,
        invoice_value=Decimal("310.25"),
        balance=Decimal("310.25"),
        journal=template.journal,
    )
    found = list(
        _invoices()
        .objects.filter(customer__code="0000001", balance__gt=0, transaction_type="I")
        .order_by("invoice")
    )
    assert len(found) >= 3
    return found


def _pay(client, numbers: list[str], submission: str | None = None) -> str:
    """Choose the invoices and pay on the sandbox's hosted Checkout page;
    the address Checkout sends the buyer back to."""
    form = {"submission": submission or str(uuid.uuid4()), "invoice": numbers}
    start = client.post(reverse("b2b:invoices_pay"), form)
    assert start.status_code == 303, start
    hosted = start["Location"].removeprefix(HOST)
    assert hosted.startswith("/sandbox/stripe/checkout/pay/cs_test_")
    paid = client.post(hosted)
    assert paid.status_code == 303
    return paid["Location"]


@pytest.mark.parametrize("order", ["as-sent", "reversed"])
def test_one_charge_pays_exactly_the_chosen_invoices_once(
    order,
    client,
    bayside_buyer,
    live_integration,
    open_invoices,
    django_capture_on_commit_callbacks,
):
    # given two open invoices chosen, a third left alone
    first, second, untouched = open_invoices[:3]
    owed = {first.invoice: first.balance, second.invoice: second.balance}
    left_alone = untouched.balance
    client.force_login(bayside_buyer.user)

    # when the buyer pays them on one Checkout Session and comes back
    back = _pay(client, [second.invoice, first.invoice])
    assert back.removeprefix(HOST).startswith("/portal/invoices/paid/")
    shown = client.get(back.removeprefix(HOST), follow=True).content.decode()
    assert f"Paid by card: {first.invoice}, {second.invoice}" in shown

    # and Stripe's events arrive (in either order), then again from a sweep
    events = list(Event.objects.order_by("id"))
    if order == "reversed":
        events.reverse()
    _forward(live_integration, django_capture_on_commit_callbacks, events)
    _forward(
        live_integration, django_capture_on_commit_callbacks, events, suffix="_again"
    )

    # then one payment, no sales order, applied to exactly those invoices
    assert not SyncRecord.objects.filter(operation="create_sales_order").exists()
    (record,) = SyncRecord.objects.filter(operation="post_payment")
    assert record.status == SyncRecord.Status.SUCCEEDED, record.error_message
    assert not WebhookEvent.objects.filter(status=WebhookEvent.Status.FAILED).exists()
    (payment,) = _ar_payments().objects.filter(reference=record.stripe_id)
    assert payment.payment_value == sum(owed.values())
    assert payment.unapplied_value == 0
    assert {a["invoice"]: Decimal(a["value"]) for a in payment.applied} == owed
    for invoice in (first, second):
        invoice.refresh_from_db()
        assert invoice.balance == 0
    untouched.refresh_from_db()
    assert untouched.balance == left_alone
    # the buyer sees them paid: gone from the open invoices, listed as paid
    page = client.get(reverse("b2b:invoices")).content.decode()
    assert f'value="{first.invoice}"' not in page
    assert f'value="{untouched.invoice}"' in page
    assert set(
        InvoicePayment.objects.filter(paid_at__isnull=False).values_list(
            "invoice", flat=True
        )
    ) == {first.invoice, second.invoice}


def test_the_same_form_twice_makes_one_session(
    client, bayside_buyer, live_integration, open_invoices
):
    client.force_login(bayside_buyer.user)
    form = {"submission": str(uuid.uuid4()), "invoice": [open_invoices[0].invoice]}
    first = client.post(reverse("b2b:invoices_pay"), form)
    again = client.post(reverse("b2b:invoices_pay"), form)
    assert first.status_code == again.status_code == 303
    assert first["Location"] == again["Location"]
    assert _sessions().count() == 1


def test_the_session_names_the_invoices_and_what_the_erp_says_they_owe(
    client, bayside_buyer, live_integration, open_invoices
):
    # given an invoice partly paid in the ERP since the page was shown
    partly = open_invoices[0]
    _invoices().objects.filter(pk=partly.pk).update(balance=Decimal("12.34"))
    client.force_login(bayside_buyer.user)
    client.post(
        reverse("b2b:invoices_pay"),
        {
            "submission": str(uuid.uuid4()),
            "invoice": [partly.invoice, open_invoices[1].invoice],
        },
    )
    (session,) = _sessions().all()
    named = allocations_decode(session.data["metadata"][META_ERP_INVOICES])
    assert dict((a.invoice, a.amount) for a in named) == {
        partly.invoice: 1234,
        open_invoices[1].invoice: int(open_invoices[1].balance * 100),
    }
    assert session.data["amount_total"] == sum(a.amount for a in named)


def test_an_invoice_paid_meanwhile_is_refused_by_name(
    client, bayside_buyer, live_integration, open_invoices
):
    paid = open_invoices[0]
    _invoices().objects.filter(pk=paid.pk).update(balance=0)
    client.force_login(bayside_buyer.user)
    response = client.post(
        reverse("b2b:invoices_pay"),
        {"submission": str(uuid.uuid4()), "invoice": [paid.invoice]},
        follow=True,
    )
    assert f"{paid.invoice} is already paid in the ERP" in response.content.decode()
    assert not _sessions().exists()


def test_an_overpayment_at_booking_goes_unapplied_and_asks_for_attention(
    client,
    bayside_buyer,
    live_integration,
    open_invoices,
    django_capture_on_commit_callbacks,
):
    # given a session made for two invoices, one then paid by cheque to 5.00
    first, second = open_invoices[:2]
    client.force_login(bayside_buyer.user)
    _pay(client, [first.invoice, second.invoice])
    _invoices().objects.filter(pk=first.pk).update(balance=Decimal("5.00"))
    charged = first.balance + second.balance

    # when the charge is booked
    _forward(
        live_integration,
        django_capture_on_commit_callbacks,
        Event.objects.order_by("id"),
    )

    # then the invoice takes what it owes, the rest is unapplied, and a
    # person is told why
    record = SyncRecord.objects.get(operation="post_payment")
    assert record.status == SyncRecord.Status.SUCCEEDED, record.error_message
    (payment,) = _ar_payments().objects.filter(reference=record.stripe_id)
    assert payment.payment_value == charged
    assert {a["invoice"]: Decimal(a["value"]) for a in payment.applied} == {
        first.invoice: Decimal("5.00"),
        second.invoice: second.balance,
    }
    assert payment.unapplied_value == first.balance - Decimal("5.00")
    (alert,) = Alert.objects.filter(code="payment_unapplied")
    assert first.invoice in alert.message
    excess = (first.balance - Decimal("5.00")).quantize(Decimal("0.01"))
    assert f"{excess} posted unapplied" in alert.message


def test_a_worker_dying_after_syspro_took_the_payment_makes_no_second(
    client,
    bayside_buyer,
    live_integration,
    open_invoices,
    django_capture_on_commit_callbacks,
):
    # given the payment posted, then its record left running by a dead worker
    first, second = open_invoices[:2]
    client.force_login(bayside_buyer.user)
    _pay(client, [first.invoice, second.invoice])
    _forward(
        live_integration,
        django_capture_on_commit_callbacks,
        Event.objects.order_by("id"),
    )
    record = SyncRecord.objects.get(operation="post_payment")
    SyncRecord.objects.filter(pk=record.pk).update(
        status=SyncRecord.Status.RUNNING,
        lease_owner="dead",
        lease_expires_at=timezone.now() - timedelta(minutes=5),
    )

    # when the sweeper rescues and reruns it
    with django_capture_on_commit_callbacks(execute=True):
        ledger.sync_records_sweep()

    # then SYSPRO's payment is adopted, not posted again
    record.refresh_from_db()
    assert record.status == SyncRecord.Status.SUCCEEDED
    assert _ar_payments().objects.filter(reference=record.stripe_id).count() == 1
    first.refresh_from_db()
    assert first.balance == 0


def test_metadata_that_cannot_name_the_invoices_is_refused():
    many = [InvoiceAllocation(invoice=f"INV{n:07d}", amount=123456) for n in range(40)]
    with pytest.raises(ValueError, match="Stripe keeps 500"):
        allocations_encode(many)
    with pytest.raises(ValueError):
        allocations_encode([InvoiceAllocation(invoice="A,B", amount=1)])
    for raw in ("INV1=12,INV1=3", "INV1=-5", "INV1=1.50", "=5"):
        with pytest.raises(PlanningError):
            allocations_decode(raw)
    assert allocations_decode("A1=5, B2=7") == (
        InvoiceAllocation("A1", 5),
        InvoiceAllocation("B2", 7),
    )


def test_a_viewer_cannot_pay_invoices(bayside, open_invoices):
    viewer = make_buyer(bayside, "vera@bayside.example", role="viewer")
    with pytest.raises(payments.PaymentRefused):
        payments.invoices_checkout_start(
            buyer=viewer,
            statement=None,
            invoices=[open_invoices[0].invoice],
            submission=uuid.uuid4(),
            return_base=HOST,
        )


def test_a_payment_mapping_without_invoice_lines_stops_with_the_reason(
    client,
    bayside_buyer,
    live_integration,
    open_invoices,
    django_capture_on_commit_callbacks,
):
    # given the integration's payment mapping was stored before invoice lines
    fields = [
        spec
        for spec in template_for(erp="syspro", entity="payment")
        if spec["target"] != "InvoicesToPay"
    ]
    mapping_set_create(
        integration=live_integration, entity="payment", fields=fields, activate=True
    )
    first, second = open_invoices[:2]
    owed = (first.balance, second.balance)
    client.force_login(bayside_buyer.user)
    _pay(client, [first.invoice, second.invoice])

    # when the charge is booked
    _forward(
        live_integration,
        django_capture_on_commit_callbacks,
        Event.objects.order_by("id"),
    )

    # then nothing is posted unapplied: the payment waits for a person, saying why
    record = SyncRecord.objects.get(operation="post_payment")
    assert record.status == SyncRecord.Status.NEEDS_ATTENTION
    assert "no invoice lines" in record.error_message
    assert not _ar_payments().objects.filter(reference=record.stripe_id).exists()
    for invoice, balance in zip((first, second), owed, strict=True):
        invoice.refresh_from_db()
        assert invoice.balance == balance
