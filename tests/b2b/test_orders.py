"""Orders written to the SYSPRO sandbox exactly once."""

import datetime as dt
import uuid

import pytest
from django.apps import apps
from django.urls import reverse

from b2b import pricing
from b2b.models import Buyer, Order
from b2b.services import orders as order_services
from integrations.connectors.errors import UnknownOutcomeError
from integrations.erps.syspro.catalog import SysproCatalog
from integrations.erps.syspro.xmldoc import sales_order_xml

from .conftest import make_buyer

pytestmark = pytest.mark.django_db

REVIEW = order_services.Review(
    po_number="PO-7781",
    ship_to="Dock 4\n12 Harbour Road",
    requested_date=None,
    notes="Call before delivery",
    payment=Order.Payment.ACCOUNT,
)


def erp_orders(reference: str) -> list:
    return list(
        apps.get_model("sandbox_syspro", "SalesOrder")
        .objects.filter(customer_po_number=reference)
        .prefetch_related("lines")
    )


def a_cart(company, count: int = 2) -> dict[str, int]:
    book = pricing.price_book(company=company)
    return {code: 2 for code in sorted(book.items)[4 : 4 + count]}


def test_order_is_created_in_the_erp_at_the_buyers_prices(bayside_buyer):
    cart = a_cart(bayside_buyer.company)
    order = order_services.order_create(
        buyer=bayside_buyer, cart=cart, review=REVIEW, submission=uuid.uuid4()
    )
    assert order.status == Order.Status.PLACED, order.error
    [erp] = erp_orders(order.reference)
    assert erp.sales_order == order.erp_order_number
    assert erp.customer.code == "0000001"
    book = pricing.price_book(company=bayside_buyer.company)
    stored = {line.stock_code: line for line in erp.lines.all()}
    for code, quantity in cart.items():
        assert stored[code].order_qty == quantity
        assert int(stored[code].price * 100) == book.items[code].unit_price(quantity)
    assert sum(int(line.value * 100) for line in stored.values()) == order.total


def test_the_same_form_twice_makes_one_order(bayside_buyer):
    submission = uuid.uuid4()
    cart = a_cart(bayside_buyer.company)
    first = order_services.order_create(
        buyer=bayside_buyer, cart=cart, review=REVIEW, submission=submission
    )
    again = order_services.order_create(
        buyer=bayside_buyer, cart=cart, review=REVIEW, submission=submission
    )
    assert again.pk == first.pk
    assert Order.objects.count() == 1
    assert len(erp_orders(first.reference)) == 1
    # Sending a placed order again does nothing.
    assert order_services.order_submit(order=first).erp_order_number == (
        first.erp_order_number
    )
    assert len(erp_orders(first.reference)) == 1


def test_double_click_through_the_page_makes_one_order(client, bayside_buyer):
    client.force_login(bayside_buyer.user)
    code = sorted(pricing.price_book(company=bayside_buyer.company).items)[7]
    client.post(reverse("b2b:cart_add"), {"code": code, "quantity": "5"})
    form = {
        "submission": str(uuid.uuid4()),
        "po_number": "PO-1",
        "ship_to": "",
        "requested_date": "",
        "notes": "",
        "payment": "account",
    }
    first = client.post(reverse("b2b:checkout"), form)
    second = client.post(reverse("b2b:checkout"), form)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    [order] = Order.objects.all()
    assert len(erp_orders(order.reference)) == 1


def test_a_lost_reply_then_a_retry_adopts_the_order(bayside_buyer, monkeypatch):
    """The ERP imports the order but the reply is lost; the retry finds it by
    its customer PO and creates nothing."""
    real = SysproCatalog.place_order

    def place_then_lose_reply(self, new_order):
        real(self, new_order)
        raise UnknownOutcomeError("reply lost")

    monkeypatch.setattr(SysproCatalog, "place_order", place_then_lose_reply)
    order = order_services.order_create(
        buyer=bayside_buyer,
        cart=a_cart(bayside_buyer.company),
        review=REVIEW,
        submission=uuid.uuid4(),
    )
    assert order.status == Order.Status.FAILED
    assert "safe" in order.error
    assert len(erp_orders(order.reference)) == 1

    monkeypatch.setattr(SysproCatalog, "place_order", real)
    order = order_services.order_submit(order=order)
    assert order.status == Order.Status.PLACED
    [erp] = erp_orders(order.reference)
    assert order.erp_order_number == erp.sales_order


def test_a_submission_in_flight_is_not_sent_twice(bayside_buyer):
    order = order_services.order_create(
        buyer=bayside_buyer,
        cart=a_cart(bayside_buyer.company),
        review=REVIEW,
        submission=uuid.uuid4(),
    )
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.SUBMITTING, erp_order_number=""
    )
    order.refresh_from_db()
    # Another request finds it being sent (claimed just now) and leaves it.
    assert order_services.order_submit(order=order).status == Order.Status.SUBMITTING


def test_checkout_is_refused_when_the_erp_is_down(
    bayside_buyer, sandbox_http, settings
):
    cart = a_cart(bayside_buyer.company)  # prices cached while it was up
    response = sandbox_http.post(
        "http://testserver/sandbox/syspro/_control",
        json={"down": True},
        headers={"Authorization": f"Bearer {settings.SANDBOX_SYSPRO_CONTROL_KEY}"},
    )
    assert response.status_code == 200
    with pytest.raises(pricing.CatalogUnavailable, match="cannot be placed"):
        order_services.order_create(
            buyer=bayside_buyer, cart=cart, review=REVIEW, submission=uuid.uuid4()
        )
    assert Order.objects.count() == 0


def test_above_the_limit_waits_for_an_approver(bayside_buyer):
    company = bayside_buyer.company
    company.order_limit = 100  # 1.00 USD
    company.save()
    order = order_services.order_create(
        buyer=bayside_buyer,
        cart=a_cart(company),
        review=REVIEW,
        submission=uuid.uuid4(),
    )
    assert order.status == Order.Status.AWAITING_APPROVAL
    assert erp_orders(order.reference) == []

    with pytest.raises(order_services.PermissionDenied):
        order_services.order_approve(order=order, approver=bayside_buyer)
    approver = make_buyer(company, "boss@bayside.example", Buyer.Role.APPROVER)
    order = order_services.order_approve(order=order, approver=approver)
    assert order.status == Order.Status.PLACED
    assert len(erp_orders(order.reference)) == 1
    # Approving again changes nothing.
    assert order_services.order_approve(order=order, approver=approver).pk == order.pk
    assert len(erp_orders(order.reference)) == 1


def test_a_viewer_cannot_order(bayside):
    viewer = make_buyer(bayside, "val@bayside.example", Buyer.Role.VIEWER)
    with pytest.raises(order_services.PermissionDenied):
        order_services.order_create(
            buyer=viewer, cart=a_cart(bayside), review=REVIEW, submission=uuid.uuid4()
        )


def test_reorder_fills_the_cart_from_an_erp_order(client, bayside_buyer):
    client.force_login(bayside_buyer.user)
    history = client.get(reverse("b2b:orders")).content.decode()
    number = (
        apps.get_model("sandbox_syspro", "SalesOrder")
        .objects.filter(customer__code="0000001")
        .order_by("sales_order")
        .first()
        .sales_order
    )
    assert number in history
    client.post(reverse("b2b:reorder", args=[number]))
    cart = client.get(reverse("b2b:cart")).content.decode()
    for line in apps.get_model("sandbox_syspro", "SalesOrderLine").objects.filter(
        order__sales_order=number
    ):
        assert line.stock_code in cart


def test_the_buyers_po_date_and_notes_reach_the_sortoi_order(bayside_buyer):
    # given a review with the buyer's PO, a requested date and long notes
    notes = "Deliver to the loading bay at the back of the building. " * 3
    review = order_services.Review(
        po_number="PO-7781",
        ship_to="Dock 4\n12 Harbour Road",
        requested_date=dt.date(2026, 12, 14),
        notes=notes,
        payment=Order.Payment.ACCOUNT,
    )
    order = order_services.order_create(
        buyer=bayside_buyer,
        cart=a_cart(bayside_buyer.company),
        review=review,
        submission=uuid.uuid4(),
    )
    assert order.status == Order.Status.PLACED, order.error

    # then the ERP order keeps the portal's reference as its customer PO and
    # carries the buyer's PO and the notes as comment lines of 100 characters
    [erp] = erp_orders(order.reference)
    comments = [line.description for line in erp.lines.all() if line.line_type == "6"]
    assert comments[0] == "Your PO: PO-7781"
    assert all(len(comment) <= 100 for comment in comments)
    assert " ".join(comments[1:]) == " ".join(notes.split())


def test_the_requested_date_is_sortoi_requestedshipdate():
    xml = sales_order_xml(
        {
            "Customer": "0000001",
            "RequestedShipDate": "2026-12-14",
            "lines": [{"LineType": "comment", "Comment": "Your PO: 1"}],
        },
        po_number="LBP-00000001",
    )
    assert "<RequestedShipDate>2026-12-14</RequestedShipDate>" in xml
    assert "<Comment>Your PO: 1</Comment></CommentLine>" in xml


def test_the_review_offers_the_erps_ship_to_and_sends_the_chosen_one(
    client, bayside_buyer
):
    # given SYSPRO holds a ship-to address for the customer (ARSQRY header)
    apps.get_model("sandbox_syspro", "Customer").objects.filter(code="0000001").update(
        addresses={
            "ShipToAddr1": "Dock 4",
            "ShipToAddr2": "12 Harbour Road",
            "ShipToAddr3": "Cape Town",
        }
    )
    client.force_login(bayside_buyer.user)
    code = sorted(pricing.price_book(company=bayside_buyer.company).items)[7]
    client.post(reverse("b2b:cart_add"), {"code": code, "quantity": "5"})

    # then the review offers it, and no typed address
    page = client.get(reverse("b2b:checkout")).content.decode()
    assert "Dock 4, 12 Harbour Road, Cape Town" in page
    assert 'name="ship_to"' not in page

    # when the buyer places the order with it
    form = {
        "submission": str(uuid.uuid4()),
        "po_number": "PO-2",
        "ship_to_address": "0",
        "requested_date": "",
        "notes": "",
        "payment": "account",
    }
    assert client.post(reverse("b2b:checkout"), form).status_code == 302

    # then SYSPRO's order ships there (SORTOI ShipAddress1..3)
    [order] = Order.objects.all()
    [erp] = erp_orders(order.reference)
    assert erp.ship_address[:3] == ["Dock 4", "12 Harbour Road", "Cape Town"]


def test_without_an_erp_address_the_buyer_types_one(client, bayside_buyer):
    client.force_login(bayside_buyer.user)
    code = sorted(pricing.price_book(company=bayside_buyer.company).items)[7]
    client.post(reverse("b2b:cart_add"), {"code": code, "quantity": "5"})
    page = client.get(reverse("b2b:checkout")).content.decode()
    assert 'name="ship_to"' in page
    assert 'name="ship_to_address"' not in page
