"""The Stripe sandbox driven by the official SDK, in-process through WSGI."""

import json

import pytest
import stripe
from django.conf import settings
from django.test import Client
from freezegun import freeze_time

from sandbox.stripeapi.models import ApiObject, Event
from tests.support.wsgi import wsgi_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]

API_BASE = "http://testserver/sandbox/stripe"


def make_client(api_key: str | None = None) -> stripe.StripeClient:
    return stripe.StripeClient(
        api_key or settings.SANDBOX_STRIPE_API_KEY,
        base_addresses={"api": API_BASE},
        http_client=stripe.RequestsClient(session=wsgi_session()),
        max_network_retries=0,
    )


@pytest.fixture
def sc() -> stripe.StripeClient:
    return make_client()


def events_of(event_type: str) -> list[dict]:
    return [e.data for e in Event.objects.filter(type=event_type).order_by("id")]


def pay(sc, *, amount=1999, currency="usd", pm="pm_card_visa", **extra):
    return sc.v1.payment_intents.create(
        params={
            "amount": amount,
            "currency": currency,
            "payment_method": pm,
            "confirm": True,
            **extra,
        }
    )


# -- customers -------------------------------------------------------------


def test_customer_create_retrieve_update_delete(sc):
    # given
    customer = sc.v1.customers.create(
        params={
            "email": "ap@bayside.example",
            "name": "Bayside Bikes",
            "address": {"line1": "1 Harbour Rd", "city": "Cape Town"},
            "metadata": {"erp_code": "0000001", "tier": "gold"},
        }
    )
    assert customer.id.startswith("cus_")
    assert customer.address.city == "Cape Town"
    assert customer.address.country is None

    # when: merge metadata, unset one key with "", change the name
    updated = sc.v1.customers.update(
        customer.id,
        params={"name": "Bayside Bikes Ltd", "metadata": {"tier": "", "region": "W"}},
    )

    # then
    assert updated.metadata.to_dict() == {"erp_code": "0000001", "region": "W"}
    fetched = sc.v1.customers.retrieve(customer.id)
    assert fetched.name == "Bayside Bikes Ltd"
    (event,) = events_of("customer.updated")
    assert event["data"]["previous_attributes"]["name"] == "Bayside Bikes"
    assert event["data"]["previous_attributes"]["metadata"] == {
        "erp_code": "0000001",
        "tier": "gold",
    }
    assert event["data"]["object"]["name"] == "Bayside Bikes Ltd"

    deleted = sc.v1.customers.delete(customer.id)
    assert deleted.deleted is True
    assert sc.v1.customers.retrieve(customer.id).deleted is True
    assert [e["type"] for e in map(lambda e: e.data, Event.objects.order_by("id"))] == [
        "customer.created",
        "customer.updated",
        "customer.deleted",
    ]
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.customers.update(deleted.id, params={"name": "x"})
    assert exc.value.http_status == 404


def test_customer_metadata_cleared_with_empty_string(sc):
    customer = sc.v1.customers.create(params={"metadata": {"a": "1", "b": "2"}})
    updated = sc.v1.customers.update(customer.id, params={"metadata": ""})
    assert updated.metadata.to_dict() == {}


def test_customer_list_filters_by_email_and_pages(sc):
    # given 25 customers, 3 of them with one email
    ids = []
    for n in range(25):
        email = "same@example.com" if n % 10 == 0 else f"c{n}@example.com"
        ids.append(sc.v1.customers.create(params={"email": email}).id)

    # when / then: newest first, 10 a page
    first = sc.v1.customers.list(params={"limit": 10})
    assert first.has_more is True
    assert [c.id for c in first.data] == ids[::-1][:10]
    second = sc.v1.customers.list(
        params={"limit": 10, "starting_after": first.data[-1].id}
    )
    assert [c.id for c in second.data] == ids[::-1][10:20]
    before = sc.v1.customers.list(
        params={"limit": 5, "ending_before": second.data[0].id}
    )
    assert [c.id for c in before.data] == ids[::-1][5:10]
    assert [c.id for c in first.auto_paging_iter()] == ids[::-1]

    same = sc.v1.customers.list(params={"email": "same@example.com"})
    assert sorted(c.id for c in same.data) == sorted([ids[0], ids[10], ids[20]])
    assert same.url == "/v1/customers"


def test_customer_search_by_metadata(sc):
    sc.v1.customers.create(params={"email": "a@x.com", "metadata": {"erp": "0000002"}})
    target = sc.v1.customers.create(params={"metadata": {"erp": "0000001"}})
    found = sc.v1.customers.search(params={"query": "metadata['erp']:'0000001'"})
    assert [c.id for c in found.data] == [target.id]


# -- payments --------------------------------------------------------------


def test_payment_succeeds_with_charge_balance_transaction_and_events(sc):
    customer = sc.v1.customers.create(params={"email": "buyer@example.com"})

    pi = pay(
        sc,
        amount=1999,
        customer=customer.id,
        metadata={"order_ref": "SO-1"},
        expand=["latest_charge.balance_transaction"],
    )

    assert pi.status == "succeeded"
    assert pi.amount_received == 1999
    charge = pi.latest_charge
    assert charge.status == "succeeded"
    assert charge.paid is True
    assert charge.customer == customer.id
    assert charge.metadata.to_dict() == {"order_ref": "SO-1"}
    bt = charge.balance_transaction
    assert bt.amount == 1999
    assert bt.fee == 58 + 30  # 2.9 % of 1999 = 57.97 → 58, plus 30
    assert bt.net == 1999 - 88
    assert bt.reporting_category == "charge"
    assert bt.type == "charge"
    assert bt.source == charge.id
    assert bt.available_on >= bt.created
    assert [(f.type, f.amount) for f in bt.fee_details] == [("stripe_fee", 88)]

    types = [e.type for e in Event.objects.order_by("id")]
    assert types == [
        "customer.created",
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded",
    ]
    succeeded = events_of("payment_intent.succeeded")[0]
    assert succeeded["data"]["object"]["status"] == "succeeded"
    assert succeeded["livemode"] is False
    assert succeeded["api_version"] == stripe.api_version
    assert succeeded["request"]["id"].startswith("req_")
    assert succeeded["request"]["idempotency_key"]
    created = events_of("payment_intent.created")[0]
    assert created["data"]["object"]["status"] == "requires_confirmation"

    listed = sc.v1.charges.list(params={"customer": customer.id})
    assert [c.id for c in listed.data] == [charge.id]
    assert sc.v1.charges.retrieve(charge.id).balance_transaction == bt.id


@pytest.mark.parametrize(
    ("currency", "amount", "fee"),
    [
        ("jpy", 5000, 145 + 40),  # zero-decimal: 2.9 % of ¥5000, plus ¥40
        ("kwd", 12345, 358 + 100),  # three-decimal: 12.345 KWD
        ("eur", 100, 3 + 30),
    ],
)
def test_payment_fee_in_any_currency(sc, currency, amount, fee):
    pi = pay(sc, amount=amount, currency=currency, expand=["latest_charge"])
    bt = sc.v1.balance_transactions.retrieve(pi.latest_charge.balance_transaction)
    assert (bt.currency, bt.amount, bt.fee, bt.net) == (
        currency,
        amount,
        fee,
        amount - fee,
    )


def test_declined_card_is_a_402_with_a_failed_charge_and_no_balance(sc):
    with pytest.raises(stripe.CardError) as exc:
        pay(sc, pm="pm_card_chargeDeclined", metadata={"order_ref": "SO-9"})

    error = exc.value
    assert error.http_status == 402
    assert error.code == "card_declined"
    assert error.json_body["error"]["decline_code"] == "generic_decline"
    pi_id = error.json_body["error"]["payment_intent"]["id"]
    pi = sc.v1.payment_intents.retrieve(pi_id)
    assert pi.status == "requires_payment_method"
    assert pi.last_payment_error.code == "card_declined"
    charge = sc.v1.charges.retrieve(pi.latest_charge)
    assert charge.status == "failed"
    assert charge.balance_transaction is None
    assert charge.metadata.to_dict() == {"order_ref": "SO-9"}
    assert not ApiObject.objects.filter(kind="balance_transaction").exists()
    assert [e.type for e in Event.objects.order_by("id")] == [
        "payment_intent.created",
        "charge.failed",
        "payment_intent.payment_failed",
    ]


def test_payment_intent_confirm_later(sc):
    pi = sc.v1.payment_intents.create(params={"amount": 700, "currency": "usd"})
    assert pi.status == "requires_payment_method"
    pi = sc.v1.payment_intents.update(pi.id, params={"metadata": {"k": "v"}})
    confirmed = sc.v1.payment_intents.confirm(
        pi.id, params={"payment_method": "pm_card_visa"}
    )
    assert confirmed.status == "succeeded"
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.payment_intents.confirm(pi.id)
    assert exc.value.code == "payment_intent_unexpected_state"


def test_dispute_withdraws_amount_plus_fee_and_can_be_won(sc):
    pi = pay(sc, amount=5000, pm="pm_card_createDispute")
    assert pi.status == "succeeded"
    charge = sc.v1.charges.retrieve(pi.latest_charge)
    assert charge.disputed is True

    (dispute,) = sc.v1.disputes.list(params={"charge": charge.id}).data
    assert dispute.status == "needs_response"
    assert dispute.amount == 5000
    (withdrawal,) = dispute.balance_transactions
    assert (withdrawal.amount, withdrawal.fee, withdrawal.net) == (-5000, 1500, -6500)
    assert withdrawal.reporting_category == "dispute"
    assert [e.type for e in Event.objects.order_by("id")][-2:] == [
        "charge.dispute.created",
        "charge.dispute.funds_withdrawn",
    ]

    won = sc.raw_request(
        "post", f"/v1/test_helpers/disputes/{dispute.id}/close", outcome="won"
    )
    won = sc.deserialize(won, api_mode="V1")
    assert won.status == "won"
    reinstated = won.balance_transactions[-1]
    assert (reinstated.amount, reinstated.reporting_category) == (
        5000,
        "dispute_reversal",
    )
    assert [e.type for e in Event.objects.order_by("id")][-2:] == [
        "charge.dispute.funds_reinstated",
        "charge.dispute.closed",
    ]
    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.disputes.close(dispute.id)


def test_dispute_accepted_is_lost(sc):
    pay(sc, amount=900, pm="pm_card_createDispute")
    (dispute,) = sc.v1.disputes.list().data
    lost = sc.v1.disputes.close(dispute.id)
    assert lost.status == "lost"
    assert events_of("charge.dispute.closed")[0]["data"]["object"]["status"] == "lost"
    assert not events_of("charge.dispute.funds_reinstated")


def test_refunds_partial_then_full_and_not_beyond(sc):
    pi = pay(sc, amount=1000)
    charge_id = pi.latest_charge

    first = sc.v1.refunds.create(params={"charge": charge_id, "amount": 300})
    second = sc.v1.refunds.create(
        params={"payment_intent": pi.id, "amount": 200, "metadata": {"rma": "7"}}
    )
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.refunds.create(params={"charge": charge_id, "amount": 501})
    assert exc.value.param == "amount"
    assert exc.value.http_status == 400
    rest = sc.v1.refunds.create(params={"charge": charge_id})

    assert rest.amount == 500
    charge = sc.v1.charges.retrieve(charge_id)
    assert (charge.amount_refunded, charge.refunded) == (1000, True)
    listed = sc.v1.refunds.list(params={"charge": charge_id})
    assert [r.id for r in listed.data] == [rest.id, second.id, first.id]
    assert sc.v1.refunds.retrieve(second.id).metadata.to_dict() == {"rma": "7"}
    bt = sc.v1.balance_transactions.retrieve(first.balance_transaction)
    assert (bt.amount, bt.fee, bt.reporting_category, bt.type) == (
        -300,
        0,
        "refund",
        "refund",
    )
    refunded = events_of("charge.refunded")
    assert [e["data"]["previous_attributes"] for e in refunded] == [
        {"amount_refunded": 0, "refunded": False},
        {"amount_refunded": 300, "refunded": False},
        {"amount_refunded": 500, "refunded": False},
    ]
    assert refunded[-1]["data"]["object"]["amount_refunded"] == 1000
    assert "refunds" not in refunded[-1]["data"]["object"]
    expanded = sc.v1.charges.retrieve(charge_id, params={"expand": ["refunds"]})
    assert [r.amount for r in expanded.refunds.data] == [500, 200, 300]
    assert len(events_of("refund.created")) == 3
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.refunds.create(params={"charge": charge_id})
    assert exc.value.code == "charge_already_refunded"


# -- balance and payouts ---------------------------------------------------


def test_manual_payout_limited_to_available_balance(sc):
    pay(sc, amount=1000)  # net 1000 - (29 + 30) = 941
    assert sc.v1.balance.retrieve().available[0].amount == 941

    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.payouts.create(params={"amount": 942, "currency": "usd"})
    assert exc.value.code == "balance_insufficient"

    payout = sc.v1.payouts.create(params={"amount": 900, "currency": "usd"})
    assert (payout.automatic, payout.status) == (False, "paid")
    assert sc.v1.payouts.retrieve(payout.id).amount == 900
    assert sc.v1.balance.retrieve().available[0].amount == 41


def test_automatic_payout_links_its_balance_transactions(sc):
    # given charges, a refund and a dispute in USD and one charge in JPY
    pay(sc, amount=1000)
    refunded = pay(sc, amount=2000)
    sc.v1.refunds.create(params={"payment_intent": refunded.id, "amount": 500})
    pay(sc, amount=3000, pm="pm_card_createDispute")
    for _ in range(9):
        pay(sc, amount=10_000)
    pay(sc, amount=5000, currency="jpy")
    usd_balance = next(
        b.amount for b in sc.v1.balance.retrieve().available if b.currency == "usd"
    )

    # when
    result = sc.deserialize(
        sc.raw_request("post", "/v1/test_helpers/payouts/automatic", currency="usd"),
        api_mode="V1",
    )

    # then
    (payout,) = result.data
    assert (payout.automatic, payout.status, payout.amount) == (
        True,
        "paid",
        usd_balance,
    )
    assert payout.reconciliation_status == "completed"
    txns = list(
        sc.v1.balance_transactions.list(
            params={"payout": payout.id, "limit": 5}
        ).auto_paging_iter()
    )
    assert len(txns) == 12 + 1 + 1 + 1  # charges, refund, dispute, payout
    assert sum(t.net for t in txns) == 0
    assert {t.reporting_category for t in txns} == {
        "charge",
        "refund",
        "dispute",
        "payout",
    }
    (own,) = [t for t in txns if t.type == "payout"]
    assert (own.id, own.amount, own.source) == (
        payout.balance_transaction,
        -usd_balance,
        payout.id,
    )
    balances = {b.currency: b.amount for b in sc.v1.balance.retrieve().available}
    assert balances["usd"] == 0
    assert balances["jpy"] > 0
    assert [e["data"]["object"]["status"] for e in events_of("payout.created")] == [
        "pending"
    ]
    assert events_of("payout.paid")[0]["data"]["object"]["id"] == payout.id

    # a second run pays out the JPY balance; nothing is left for USD
    again = sc.raw_request("post", "/v1/test_helpers/payouts/automatic")
    assert [p["currency"] for p in json.loads(again.body)["data"]] == ["jpy"]
    charges = sc.v1.balance_transactions.list(params={"type": "charge", "limit": 100})
    assert len(charges.data) == 13


def test_manual_payout_cannot_list_its_transactions(sc):
    pay(sc, amount=1000)
    payout = sc.v1.payouts.create(params={"amount": 100, "currency": "usd"})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.balance_transactions.list(params={"payout": payout.id})
    assert exc.value.param == "payout"


# -- catalog ---------------------------------------------------------------


def test_products_and_prices_for_catalog_sync(sc):
    widget = sc.v1.products.create(
        params={"name": "Widget A", "metadata": {"erp_code": "A100"}}
    )
    sc.v1.products.create(params={"name": "Widget B", "metadata": {"erp_code": "A200"}})
    gadget = sc.v1.products.create(
        params={
            "id": "prod_B100",
            "name": "Gadget",
            "active": False,
            "default_price_data": {"currency": "usd", "unit_amount": 9999},
        }
    )
    assert gadget.id == "prod_B100"
    assert sc.v1.prices.retrieve(gadget.default_price).unit_amount == 9999

    found = sc.v1.products.search(params={"query": "metadata['erp_code']:'A100'"})
    assert [p.id for p in found.data] == [widget.id]
    active = sc.v1.products.list(params={"active": True})
    assert {p.name for p in active.data} == {"Widget A", "Widget B"}

    price = sc.v1.prices.create(
        params={
            "product": widget.id,
            "currency": "usd",
            "unit_amount": 1000,
            "lookup_key": "A100-usd",
            "metadata": {"erp_code": "A100"},
        }
    )
    assert (price.type, str(price.unit_amount_decimal)) == ("one_time", "1000")
    widget = sc.v1.products.update(
        widget.id, params={"default_price": price.id, "description": "Blue"}
    )
    assert widget.default_price == price.id
    price = sc.v1.prices.update(price.id, params={"active": False})
    assert price.active is False
    listed = sc.v1.prices.list(params={"product": widget.id})
    assert [p.id for p in listed.data] == [price.id]
    by_key = sc.v1.prices.list(params={"lookup_keys": ["A100-usd"]})
    assert [p.id for p in by_key.data] == [price.id]
    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.prices.create(
            params={
                "product": widget.id,
                "currency": "usd",
                "unit_amount": 1,
                "lookup_key": "A100-usd",
            }
        )
    updated = events_of("product.updated")[-1]
    assert updated["data"]["previous_attributes"]["description"] is None
    types = {e.type for e in Event.objects.all()}
    assert {
        "product.created",
        "product.updated",
        "price.created",
        "price.updated",
    } <= types


# -- events and webhook endpoints ------------------------------------------


def test_events_list_filters(sc):
    # The customer five seconds before the payment, on a fixed clock: the
    # created filters then split the events whatever the machine's speed.
    with freeze_time("2026-01-05 10:00:00"):
        sc.v1.customers.create(params={"email": "e@example.com"})
    with freeze_time("2026-01-05 10:00:05"):
        pay(sc)
    charge_events = sc.v1.events.list(params={"type": "charge.*"})
    assert [e.type for e in charge_events.data] == ["charge.succeeded"]
    event = sc.v1.events.retrieve(charge_events.data[0].id)
    assert event.data.object.object == "charge"
    created = event.created
    since_payment = sc.v1.events.list(params={"created": {"gte": created}}).data
    assert len(since_payment) == 3
    assert "customer.created" not in {e.type for e in since_payment}
    assert len(sc.v1.events.list(params={"created": {"gte": created - 5}}).data) == 4
    assert len(sc.v1.events.list(params={"created": {"lt": created}}).data) == 1
    assert sc.v1.events.list(params={"created": {"gt": created}}).data == []
    assert len(sc.v1.events.list(params={"types": ["customer.created"]}).data) == 1


def test_webhook_endpoint_crud_shows_secret_only_on_create(sc):
    endpoint = sc.v1.webhook_endpoints.create(
        params={
            "url": "https://portal.example/webhooks/stripe/x/",
            "enabled_events": ["charge.succeeded", "charge.refunded"],
            "api_version": "2025-03-31.basil",
        }
    )
    assert endpoint.secret.startswith("whsec_")
    fetched = sc.v1.webhook_endpoints.retrieve(endpoint.id)
    assert "secret" not in fetched
    assert fetched.api_version == "2025-03-31.basil"
    updated = sc.v1.webhook_endpoints.update(
        endpoint.id, params={"disabled": True, "enabled_events": ["*"]}
    )
    assert (updated.status, updated.enabled_events) == ("disabled", ["*"])
    assert [e.id for e in sc.v1.webhook_endpoints.list().data] == [endpoint.id]
    assert sc.v1.webhook_endpoints.delete(endpoint.id).deleted is True
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.webhook_endpoints.create(
            params={"url": "https://x.example/", "enabled_events": ["nope.event"]}
        )
    assert exc.value.param == "enabled_events[0]"


# -- errors and idempotency ------------------------------------------------


def test_errors_have_stripe_shape_and_status(sc):
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.customers.retrieve("cus_missing")
    assert exc.value.http_status == 404
    assert exc.value.code == "resource_missing"
    assert exc.value.json_body["error"]["type"] == "invalid_request_error"

    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.customers.create(params={"colour": "blue"})
    assert (exc.value.code, exc.value.param) == ("parameter_unknown", "colour")

    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.payment_intents.create(params={"currency": "usd"})
    assert (exc.value.code, exc.value.param) == ("parameter_missing", "amount")

    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.payment_intents.create(params={"amount": "ten", "currency": "usd"})
    assert exc.value.code == "parameter_invalid_integer"

    with pytest.raises(stripe.InvalidRequestError) as exc:
        pay(sc, pm="pm_card_unknown")
    assert exc.value.param == "payment_method"

    with pytest.raises(stripe.AuthenticationError) as exc:
        make_client("sk_test_wrong_key_123456").v1.customers.list()
    assert exc.value.http_status == 401


def test_missing_key_and_unknown_url_answer_json():
    client = Client()
    response = client.get("/sandbox/stripe/v1/customers")
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "invalid_request_error"
    key = settings.SANDBOX_STRIPE_API_KEY
    response = client.get(
        "/sandbox/stripe/v1/nothing", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 404
    assert "Unrecognized request URL" in response.json()["error"]["message"]
    response = client.delete(
        "/sandbox/stripe/v1/charges", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 404


def test_registered_api_key_is_accepted():
    from sandbox.stripeapi.models import ApiKey

    ApiKey.objects.create(key="sk_test_second_key", label="second")
    assert make_client("sk_test_second_key").v1.customers.list().data == []


def test_basic_auth_like_curl_u():
    client = Client()
    import base64

    token = base64.b64encode(f"{settings.SANDBOX_STRIPE_API_KEY}:".encode()).decode()
    response = client.get(
        "/sandbox/stripe/v1/balance", HTTP_AUTHORIZATION=f"Basic {token}"
    )
    assert response.status_code == 200
    assert response.json()["object"] == "balance"


def test_idempotency_key_replays_the_stored_response(sc):
    params = {"email": "once@example.com", "metadata": {"a": "1"}}
    first = sc.v1.customers.create(params=params, options={"idempotency_key": "k-1"})
    second = sc.v1.customers.create(params=params, options={"idempotency_key": "k-1"})

    assert second.id == first.id
    assert second.last_response.headers["Idempotent-Replayed"] == "true"
    assert ApiObject.objects.filter(kind="customer").count() == 1
    assert len(events_of("customer.created")) == 1

    with pytest.raises(stripe.IdempotencyError):
        sc.v1.customers.create(
            params={"email": "other@example.com"}, options={"idempotency_key": "k-1"}
        )


def test_idempotency_replays_a_card_decline_without_a_second_charge(sc):
    options = {"idempotency_key": "decline-1"}
    params = {
        "amount": 100,
        "currency": "usd",
        "payment_method": "pm_card_chargeDeclined",
        "confirm": True,
    }
    with pytest.raises(stripe.CardError) as first:
        sc.v1.payment_intents.create(params=params, options=options)
    with pytest.raises(stripe.CardError) as second:
        sc.v1.payment_intents.create(params=params, options=options)
    assert first.value.json_body == second.value.json_body
    assert ApiObject.objects.filter(kind="charge").count() == 1


def test_failed_validation_is_rolled_back(sc):
    pay(sc, amount=500)
    count = ApiObject.objects.count()
    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.refunds.create(params={"charge": "ch_missing"})
    assert ApiObject.objects.count() == count


def test_nested_form_and_expand_arrays_parse():
    from sandbox.stripeapi.params import parse_query

    parsed = parse_query(
        "metadata%5Border%5D=42&expand%5B%5D=a&expand%5B%5D=b&items[0][price]=p1"
        "&items[1][price]=p2&address[line1]=x&flag=true"
    )
    assert parsed == {
        "metadata": {"order": "42"},
        "expand": ["a", "b"],
        "items": [{"price": "p1"}, {"price": "p2"}],
        "address": {"line1": "x"},
        "flag": "true",
    }


def test_state_and_reset():
    client = Client()
    key = settings.SANDBOX_STRIPE_API_KEY
    make_client().v1.customers.create(params={"email": "s@example.com"})
    assert client.get("/sandbox/stripe/_state").status_code == 401
    state = client.get("/sandbox/stripe/_state", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert state.json()["customers"] == 1
    assert state.json()["events"] == 1
    reset = client.post("/sandbox/stripe/_reset", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert json.loads(reset.content)["state"]["customers"] == 0
    assert ApiObject.objects.count() == 0


def test_product_delete_and_price_search(sc):
    bare = sc.v1.products.create(params={"name": "Temporary"})
    priced = sc.v1.products.create(params={"name": "Kept"})
    price = sc.v1.prices.create(
        params={
            "product": priced.id,
            "currency": "eur",
            "unit_amount": 2550,
            "metadata": {"erp_code": "A200"},
        }
    )
    assert sc.v1.products.delete(bare.id).deleted is True
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.products.retrieve(bare.id)
    assert exc.value.http_status == 404
    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.products.delete(priced.id)
    found = sc.v1.prices.search(
        params={"query": "metadata['erp_code']:'A200' AND currency:'eur'"}
    )
    assert [p.id for p in found.data] == [price.id]
    assert events_of("product.deleted")[0]["data"]["object"]["id"] == bare.id


def test_list_and_expand_arguments_are_validated(sc):
    customer = sc.v1.customers.create(params={"email": "v@example.com"})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.customers.list(params={"limit": 101})
    assert exc.value.param == "limit"
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.customers.list(params={"starting_after": "cus_nope"})
    assert exc.value.param == "starting_after"
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.customers.retrieve(customer.id, params={"expand": ["nothing"]})
    assert exc.value.param == "expand"
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sc.v1.products.search(params={"query": "colour:'blue'"})
    assert exc.value.param == "query"
