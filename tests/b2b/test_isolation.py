"""Every id-taking URL, tried by a buyer of another company: 404, nothing of
the other company in the page, and nothing changed."""

import uuid

import pytest
from django.apps import apps
from django.urls import reverse

from b2b import pricing
from b2b.models import Order
from b2b.services import orders as order_services
from integrations.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def bayside_order(bayside_buyer) -> Order:
    book = pricing.price_book(company=bayside_buyer.company)
    order = order_services.order_create(
        buyer=bayside_buyer,
        cart={sorted(book.items)[9]: 3},
        review=order_services.Review(
            po_number="SECRET-PO-1",
            ship_to="Hidden Street 1",
            requested_date=None,
            notes="private note",
            payment=Order.Payment.CARD,
        ),
        submission=uuid.uuid4(),
    )
    assert order.status == Order.Status.PLACED
    return order


def bayside_history_number() -> str:
    return (
        apps.get_model("sandbox_syspro", "SalesOrder")
        .objects.filter(customer__code="0000001")
        .first()
        .sales_order
    )


def assert_nothing_leaked(response, *secrets: str) -> None:
    assert response.status_code == 404, response.status_code
    text = response.content.decode()
    for secret in secrets:
        assert secret not in text


def test_portal_order_urls_of_another_company(client, bayside_order, contoso_buyer):
    client.force_login(contoso_buyer.user)
    secrets = ("SECRET-PO-1", "Hidden Street", bayside_order.erp_order_number)
    pk = bayside_order.pk
    assert_nothing_leaked(client.get(reverse("b2b:order", args=[pk])), *secrets)
    assert_nothing_leaked(client.get(reverse("b2b:order_pay", args=[pk])), *secrets)
    assert_nothing_leaked(client.post(reverse("b2b:order_pay", args=[pk])), *secrets)
    for action in ("approve", "reject", "retry", "card"):
        assert_nothing_leaked(
            client.post(reverse("b2b:order_action", args=[pk, action])), *secrets
        )
    bayside_order.refresh_from_db()
    assert bayside_order.status == Order.Status.PLACED
    assert bayside_order.payment_intent == ""


def test_erp_order_urls_of_another_company(client, bayside_order, contoso_buyer):
    client.force_login(contoso_buyer.user)
    for number in (bayside_order.erp_order_number, bayside_history_number()):
        assert_nothing_leaked(
            client.get(reverse("b2b:erp_order", args=[number])), bayside_order.reference
        )
        assert_nothing_leaked(client.post(reverse("b2b:reorder", args=[number])))
    assert client.session.get("b2b_cart") in (None, {"company": None, "lines": {}})
    # Not an order number at all: not found either, not an ERP error.
    assert client.get(reverse("b2b:erp_order", args=["9" * 500])).status_code == 404


def test_lists_and_csv_hold_only_the_own_company(client, bayside_order, contoso_buyer):
    client.force_login(contoso_buyer.user)
    orders = client.get(reverse("b2b:orders")).content.decode()
    assert bayside_order.reference not in orders
    assert bayside_history_number() not in orders
    csv_text = client.get(reverse("b2b:invoices_csv")).content.decode()
    bayside_invoices = apps.get_model("sandbox_syspro", "ArInvoice").objects.filter(
        customer__code="0000001"
    )
    contoso_invoices = apps.get_model("sandbox_syspro", "ArInvoice").objects.filter(
        customer__code="0000003"
    )
    assert all(i.invoice in csv_text for i in contoso_invoices)
    assert not any(f"\n{i.invoice}," in csv_text for i in bayside_invoices)
    page = client.get(reverse("b2b:invoices"), {"show": "all"}).content.decode()
    assert "EUR" in page and "USD" not in page


def test_the_own_company_reaches_all_of_it(client, bayside_order, bayside_buyer):
    client.force_login(bayside_buyer.user)
    page = client.get(reverse("b2b:order", args=[bayside_order.pk])).content.decode()
    assert "SECRET-PO-1" in page
    erp = client.get(reverse("b2b:erp_order", args=[bayside_order.erp_order_number]))
    assert erp.status_code == 200 and bayside_order.reference in erp.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, bayside_order):
    for url in (
        reverse("b2b:catalog"),
        reverse("b2b:order", args=[bayside_order.pk]),
        reverse("b2b:invoices_csv"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("b2b:login"))


def test_staff_view_as_is_read_only_and_audited(
    client, admin_user, bayside_order, contoso
):
    client.force_login(admin_user)
    assert client.get(reverse("b2b:catalog"))["Location"] == reverse("b2b:view_as")
    client.post(reverse("b2b:view_as"), {"company": contoso.pk})
    assert AuditEntry.objects.filter(
        action="b2b.view_as", target_id=str(contoso.pk)
    ).exists()
    assert_nothing_leaked(
        client.get(reverse("b2b:order", args=[bayside_order.pk])), "SECRET-PO-1"
    )
    client.post(reverse("b2b:view_as"), {"company": bayside_order.company_id})
    page = client.get(reverse("b2b:order", args=[bayside_order.pk]))
    assert page.status_code == 200 and "Staff view" in page.content.decode()
    client.post(reverse("b2b:order_action", args=[bayside_order.pk, "card"]))
    bayside_order.refresh_from_db()
    assert bayside_order.payment_intent == ""
