"""A placed portal order paid by card: the Stripe sandbox's events go through
the normal webhook pipeline and pay that ERP order, never a second order."""

import json
import uuid

import pytest
from django.apps import apps
from django.urls import reverse

from b2b import pricing
from b2b.models import Order
from b2b.services import orders as order_services
from b2b.services import payments
from integrations.intake import webhook_event_store
from integrations.models import SyncRecord
from sandbox.stripeapi.models import Event
from tests.b2b.conftest import HOST

pytestmark = pytest.mark.django_db


def forward(integration, capture, *, suffix: str = "") -> None:
    """Deliver every Stripe sandbox event to the portal, oldest first."""
    for event in Event.objects.order_by("id"):
        data = {**event.data, "id": event.data["id"] + suffix}
        with capture(execute=True):
            webhook_event_store(
                integration=integration,
                data=data,
                body=json.dumps(data),
                source="sweep" if suffix else "webhook",
            )


@pytest.fixture
def card_order(bayside_buyer) -> Order:
    book = pricing.price_book(company=bayside_buyer.company)
    order = order_services.order_create(
        buyer=bayside_buyer,
        cart={sorted(book.items)[12]: 4, sorted(book.items)[13]: 1},
        review=order_services.Review(
            po_number="PO-CARD",
            ship_to="",
            requested_date=None,
            notes="",
            payment=Order.Payment.CARD,
        ),
        submission=uuid.uuid4(),
    )
    assert order.status == Order.Status.PLACED
    return order


def pay_on_checkout(client, order: Order) -> str:
    """Start the order's payment and pay on the sandbox's hosted Checkout
    page; the address Checkout sends the buyer back to."""
    start = client.post(reverse("b2b:order_action", args=[order.pk, "card"]))
    assert start.status_code == 303
    hosted = start["Location"].removeprefix(HOST)
    assert hosted.startswith("/sandbox/stripe/checkout/pay/cs_test_")
    paid = client.post(hosted)
    assert paid.status_code == 303
    return paid["Location"]


def test_card_payment_pays_that_erp_order_once(
    client,
    card_order,
    bayside_buyer,
    live_integration,
    django_capture_on_commit_callbacks,
):
    client.force_login(bayside_buyer.user)
    # A second click before paying reuses the same Checkout Session.
    first = client.post(reverse("b2b:order_action", args=[card_order.pk, "card"]))
    back = pay_on_checkout(client, card_order)
    card_order.refresh_from_db()
    assert first["Location"].endswith(card_order.checkout_session)
    assert back == (
        f"{HOST}{reverse('b2b:order_pay', args=[card_order.pk])}"
        f"?session_id={card_order.checkout_session}"
    )
    returned = client.get(back.removeprefix(HOST))
    assert "Paid by card" in returned.content.decode()
    # After paying, "Pay by card" again starts nothing and charges nothing.
    again = client.post(reverse("b2b:order_action", args=[card_order.pk, "card"]))
    assert again["Location"] == reverse("b2b:order", args=[card_order.pk])
    card_order.refresh_from_db()
    assert card_order.card_paid_at is not None and card_order.payment_intent
    assert Event.objects.filter(type="charge.succeeded").count() == 1
    assert Event.objects.filter(type="checkout.session.completed").count() == 1

    forward(live_integration, django_capture_on_commit_callbacks)
    forward(live_integration, django_capture_on_commit_callbacks, suffix="_again")

    problems = [
        (r.operation, r.status, r.error_message)
        for r in SyncRecord.objects.all()
        if r.status != SyncRecord.Status.SUCCEEDED
    ]
    assert problems == []
    assert not SyncRecord.objects.filter(operation="create_sales_order").exists()
    [payment] = SyncRecord.objects.filter(operation="post_payment")
    orders = apps.get_model("sandbox_syspro", "SalesOrder").objects
    assert (
        orders.filter(customer__code="0000001", customer_po_number__gt="").count() == 1
    )
    assert orders.get(customer_po_number=card_order.reference).sales_order == (
        card_order.erp_order_number
    )
    [erp_payment] = apps.get_model("sandbox_syspro", "ArPayment").objects.filter(
        reference=payment.stripe_id
    )
    assert erp_payment.customer.code == "0000001"
    assert int(erp_payment.payment_value * 100) == card_order.total
    page = client.get(reverse("b2b:order", args=[card_order.pk])).content.decode()
    assert 'id="paid"' in page and 'id="booked"' in page


def test_only_a_placed_order_can_be_paid(bayside_buyer):
    order = Order(
        company=bayside_buyer.company,
        buyer=bayside_buyer,
        status=Order.Status.AWAITING_APPROVAL,
        currency="USD",
        total=100,
    )
    with pytest.raises(payments.PaymentRefused):
        payments.order_checkout_start(
            order=order, buyer=bayside_buyer, return_base="http://testserver"
        )


def test_an_invoice_of_another_company_cannot_be_paid(client, contoso_buyer, bayside):
    invoice = (
        apps.get_model("sandbox_syspro", "ArInvoice")
        .objects.filter(customer__code="0000001", balance__gt=0)
        .first()
    )
    client.force_login(contoso_buyer.user)
    response = client.post(
        reverse("b2b:invoices_pay"),
        {"submission": str(uuid.uuid4()), "invoice": [invoice.invoice]},
        follow=True,
    )
    assert "is not one" in response.content.decode()
    assert not Event.objects.exists()
