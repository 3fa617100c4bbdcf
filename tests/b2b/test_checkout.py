"""The Checkout Session of a portal order: made once, reached only by the
order's company, and a return URL that says nothing the session does not."""

import uuid

import pytest
from django.urls import reverse

from b2b import pricing
from b2b.models import Order
from b2b.services import orders as order_services
from sandbox.faults import faults_set
from sandbox.stripeapi.models import ApiObject, Event
from tests.b2b import test_payments
from tests.b2b.conftest import HOST, make_buyer
from tests.b2b.test_payments import pay_on_checkout

pytestmark = pytest.mark.django_db

card_order = test_payments.card_order


def sessions() -> list[dict]:
    return [obj.data for obj in ApiObject.objects.filter(kind="checkout.session")]


def test_a_double_click_makes_one_session(client, card_order, bayside_buyer):
    client.force_login(bayside_buyer.user)
    url = reverse("b2b:order_action", args=[card_order.pk, "card"])

    first = client.post(url)
    second = client.post(url)
    from_pay_page = client.post(reverse("b2b:order_pay", args=[card_order.pk]))

    [session] = sessions()
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"] == from_pay_page["Location"]
    assert first["Location"] == session["url"]
    assert session["client_reference_id"] == card_order.reference
    assert session["success_url"] == (
        f"{HOST}/portal/orders/{card_order.pk}/pay/?session_id={{CHECKOUT_SESSION_ID}}"
    )
    assert session["cancel_url"] == f"{HOST}/portal/orders/{card_order.pk}/"
    assert session["amount_total"] == card_order.total
    assert not Event.objects.filter(type="charge.succeeded").exists()


def test_the_payment_intent_names_the_erp_order(client, card_order, bayside_buyer):
    client.force_login(bayside_buyer.user)
    pay_on_checkout(client, card_order)

    [charge] = Event.objects.filter(type="charge.succeeded")
    assert charge.data["data"]["object"]["metadata"] == {
        "erp_order": card_order.erp_order_number,
        "erp_customer_code": bayside_buyer.company.erp_customer_code,
        "portal_order": card_order.reference,
    }
    bayside_buyer.company.refresh_from_db()
    assert charge.data["data"]["object"]["customer"] == (
        bayside_buyer.company.stripe_customer
    )


def test_an_expired_session_is_replaced_once(client, card_order, bayside_buyer):
    client.force_login(bayside_buyer.user)
    url = reverse("b2b:order_action", args=[card_order.pk, "card"])
    client.post(url)
    stored = ApiObject.objects.get(kind="checkout.session")
    stored.data["expires_at"] = 1
    stored.save()

    renewed = client.post(url)
    again = client.post(url)

    assert len(sessions()) == 2
    card_order.refresh_from_db()
    assert card_order.checkout_attempt == 1
    assert renewed["Location"] == again["Location"] != stored.data["url"]


def test_a_cancelled_checkout_goes_back_to_the_order_unpaid(
    client, card_order, bayside_buyer
):
    client.force_login(bayside_buyer.user)
    hosted = client.post(reverse("b2b:order_action", args=[card_order.pk, "card"]))
    page = client.get(hosted["Location"].removeprefix(HOST)).content.decode()

    assert f'href="{HOST}/portal/orders/{card_order.pk}/"' in page
    shown = client.get(reverse("b2b:order_pay", args=[card_order.pk]))
    assert "Not paid yet" in shown.content.decode()
    card_order.refresh_from_db()
    assert card_order.card_paid_at is None


def test_another_company_cannot_start_or_see_the_payment(
    client, card_order, bayside_buyer, contoso_buyer
):
    client.force_login(contoso_buyer.user)

    start = client.post(reverse("b2b:order_action", args=[card_order.pk, "card"]))
    pay = client.post(reverse("b2b:order_pay", args=[card_order.pk]))
    back = client.get(
        reverse("b2b:order_pay", args=[card_order.pk]) + "?session_id=cs_test_x"
    )

    assert start.status_code == pay.status_code == back.status_code == 404
    for response in (start, pay, back):
        assert card_order.reference not in response.content.decode()
    assert sessions() == []


def test_a_viewer_cannot_start_a_payment(client, card_order, bayside):
    viewer = make_buyer(bayside, "viewer@bayside.example", role="viewer")
    client.force_login(viewer.user)

    response = client.post(
        reverse("b2b:order_action", args=[card_order.pk, "card"]), follow=True
    )

    assert "Only a buyer of this company" in response.content.decode()
    assert sessions() == []


def test_a_tampered_return_url_shows_what_stripe_says_of_this_order(
    client, card_order, bayside_buyer
):
    # given another order of the company, paid
    book = pricing.price_book(company=bayside_buyer.company)
    paid_order = order_services.order_create(
        buyer=bayside_buyer,
        cart={sorted(book.items)[20]: 1},
        review=order_services.Review(
            po_number="PO-OTHER",
            ship_to="",
            requested_date=None,
            notes="",
            payment=Order.Payment.CARD,
        ),
        submission=uuid.uuid4(),
    )
    client.force_login(bayside_buyer.user)
    pay_on_checkout(client, paid_order)
    paid_order.refresh_from_db()
    client.post(reverse("b2b:order_action", args=[card_order.pk, "card"]))
    pay_page = reverse("b2b:order_pay", args=[card_order.pk])

    # when the unpaid order's return page is given the paid session, or junk
    for query in (
        f"?session_id={paid_order.checkout_session}",
        '?session_id="><script>alert(1)</script>',
        "?session_id=cs_test_unknown&paid=1",
    ):
        page = client.get(pay_page + query).content.decode()

        # then it shows this order's own session: not paid, nothing echoed
        assert "Not paid yet" in page and "Paid by card" not in page
        assert "<script>alert" not in page
        assert paid_order.checkout_session not in page
    card_order.refresh_from_db()
    assert card_order.card_paid_at is None


def test_a_session_of_another_order_is_never_taken_for_this_one(
    client, card_order, bayside_buyer
):
    client.force_login(bayside_buyer.user)
    client.post(reverse("b2b:order_action", args=[card_order.pk, "card"]))
    stored = ApiObject.objects.get(kind="checkout.session")
    stored.data["client_reference_id"] = "LBP-99999999"
    stored.data.update(status="complete", payment_status="paid")
    stored.save()

    page = client.get(reverse("b2b:order_pay", args=[card_order.pk]))

    assert "does not belong to this order" in page.content.decode()
    card_order.refresh_from_db()
    assert card_order.card_paid_at is None


def test_stripe_down_says_so_and_makes_nothing(client, card_order, bayside_buyer):
    client.force_login(bayside_buyer.user)
    faults_set("stripe", down=True)
    try:
        response = client.post(
            reverse("b2b:order_action", args=[card_order.pk, "card"]), follow=True
        )
    finally:
        faults_set("stripe", down=False)

    assert response.status_code == 200
    assert "Stripe could not start the payment" in response.content.decode()
    card_order.refresh_from_db()
    assert card_order.checkout_session == ""


def test_the_pay_forms_may_be_answered_by_stripe_checkout(
    client, card_order, bayside_buyer
):
    client.force_login(bayside_buyer.user)

    for name in ("b2b:order", "b2b:order_pay"):
        policy = client.get(reverse(name, args=[card_order.pk]))[
            "Content-Security-Policy"
        ]

        [form_action] = [d for d in policy.split(";") if "form-action" in d]
        assert form_action.split() == [
            "form-action",
            "'self'",
            "https://checkout.stripe.com",
        ]
        assert "script-src 'self'" in policy


def test_the_invoices_pay_form_may_be_answered_by_stripe_checkout(
    client, bayside_buyer
):
    client.force_login(bayside_buyer.user)

    policy = client.get(reverse("b2b:invoices"))["Content-Security-Policy"]

    [form_action] = [d for d in policy.split(";") if "form-action" in d]
    assert form_action.split() == [
        "form-action",
        "'self'",
        "https://checkout.stripe.com",
    ]
