"""Checkout Sessions in the Stripe sandbox, driven by the official SDK: what it
refuses (as Stripe does), the hosted page paying once, cancel going back."""

import pytest
import stripe
from django.test import Client

from sandbox.stripeapi.models import ApiObject, Event, WebhookDelivery
from tests.sandbox.test_stripe_api import make_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]

SUCCESS = "https://shop.example/paid?session_id={CHECKOUT_SESSION_ID}"
CANCEL = "https://shop.example/cart"


def session_params(**overrides) -> dict:
    params = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 1250,
                    "product_data": {"name": "Order SO-1"},
                },
                "quantity": 2,
            }
        ],
        "success_url": SUCCESS,
        "cancel_url": CANCEL,
        "client_reference_id": "LBP-00000001",
        "payment_intent_data": {"metadata": {"erp_order": "000123"}},
    }
    params.update(overrides)
    return {key: value for key, value in params.items() if value is not None}


@pytest.fixture
def sc() -> stripe.StripeClient:
    return make_client()


def test_a_session_is_open_with_a_hosted_url_and_no_payment_intent_yet(sc):
    session = sc.v1.checkout.sessions.create(session_params())

    assert session.status == "open" and session.payment_status == "unpaid"
    assert session.amount_total == 2500 and session.currency == "usd"
    assert session.payment_intent is None
    assert session.url.startswith("http://testserver/sandbox/stripe/checkout/pay/cs_")
    assert "_payment_intent_data" not in session.to_dict()
    again = sc.v1.checkout.sessions.retrieve(session.id)
    assert again.to_dict() == session.to_dict()


@pytest.mark.parametrize(
    "overrides, param",
    [
        ({"mode": None}, "mode"),
        ({"mode": "subscription"}, "mode"),
        ({"success_url": None}, "success_url"),
        ({"success_url": "javascript:alert(1)"}, "success_url"),
        ({"line_items": None}, "line_items"),
        ({"client_reference_id": "x" * 201}, "client_reference_id"),
        ({"metadata": {f"k{i}": "v" for i in range(51)}}, "metadata"),
        ({"payment_intent_data": {"metadata": {"k": "v" * 501}}}, "metadata[k]"),
    ],
)
def test_what_stripe_refuses_is_refused(sc, overrides, param):
    with pytest.raises(stripe.InvalidRequestError) as error:
        sc.v1.checkout.sessions.create(session_params(**overrides))

    assert error.value.http_status == 400
    assert error.value.param == param
    assert not ApiObject.objects.filter(kind="checkout.session").exists()


def test_line_items_in_two_currencies_are_refused(sc):
    item = session_params()["line_items"][0]
    other = {**item, "price_data": {**item["price_data"], "currency": "eur"}}
    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.checkout.sessions.create(session_params(line_items=[item, other]))


def test_the_hosted_page_pays_once_and_returns_to_the_success_url(sc):
    session = sc.v1.checkout.sessions.create(session_params())
    page = Client()
    path = session.url.removeprefix("http://testserver")

    shown = page.get(path)
    assert shown.status_code == 200 and "25.00" in shown.content.decode()
    assert "<script" not in shown.content.decode()
    paid = page.post(path)
    again = page.post(path)  # a second submit charges nothing more

    expected = f"https://shop.example/paid?session_id={session.id}"
    assert paid.status_code == 303 and paid["Location"] == expected
    assert again["Location"] == expected
    done = sc.v1.checkout.sessions.retrieve(session.id)
    assert done.status == "complete" and done.payment_status == "paid"
    assert done.url is None
    intent = sc.v1.payment_intents.retrieve(done.payment_intent)
    assert intent.status == "succeeded" and intent.amount == 2500
    assert intent.metadata.to_dict() == {"erp_order": "000123"}
    types = [e.type for e in Event.objects.order_by("id")]
    assert types.count("charge.succeeded") == 1
    assert types.count("checkout.session.completed") == 1


def test_cancel_goes_back_and_charges_nothing(sc):
    session = sc.v1.checkout.sessions.create(session_params())
    page = Client().get(session.url.removeprefix("http://testserver"))

    assert f'href="{CANCEL}"' in page.content.decode()
    assert not Event.objects.filter(type="charge.succeeded").exists()


def test_an_unknown_session_page_is_not_found():
    response = Client().get("/sandbox/stripe/checkout/pay/cs_test_nothing")

    assert response.status_code == 404


def test_an_endpoint_subscribed_to_completed_sessions_is_sent_one(sc):
    sc.v1.webhook_endpoints.create(
        {
            "url": "http://127.0.0.1:9/hook",
            "enabled_events": ["checkout.session.completed"],
        }
    )
    session = sc.v1.checkout.sessions.create(session_params())

    Client().post(session.url.removeprefix("http://testserver"))

    [delivery] = WebhookDelivery.objects.all()
    assert delivery.event.type == "checkout.session.completed"
    assert delivery.event.data["data"]["object"]["id"] == session.id


def test_an_expired_session_cannot_be_paid(sc):
    session = sc.v1.checkout.sessions.create(session_params())
    stored = ApiObject.objects.get(stripe_id=session.id)
    stored.data["expires_at"] = 1
    stored.save()
    path = session.url.removeprefix("http://testserver")

    shown = Client().get(path)
    refused = Client().post(path)

    assert "expired" in shown.content.decode()
    assert refused.status_code == 409
    assert sc.v1.checkout.sessions.retrieve(session.id).status == "expired"
    assert not Event.objects.filter(type="charge.succeeded").exists()
    assert Event.objects.filter(type="checkout.session.expired").count() == 1


def test_expires_at_outside_stripes_window_is_refused(sc):
    with pytest.raises(stripe.InvalidRequestError) as error:
        sc.v1.checkout.sessions.create(session_params(expires_at=1))

    assert error.value.param == "expires_at"
