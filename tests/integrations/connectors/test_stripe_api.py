"""StripeApi: the SDK against the in-process Stripe sandbox, errors mapped."""

import pytest
import stripe
from django.conf import settings

from integrations.connectors import http, stripe_api
from integrations.connectors.errors import (
    AuthenticationError,
    NotFoundError,
    RateLimitedError,
    TransientError,
    ValidationError,
)
from integrations.connectors.stripe_api import StripeApi, map_stripe_error
from integrations.models import Connection, Integration
from tests.factories import IntegrationFactory
from tests.support.wsgi import wsgi_session

from .conftest import SANDBOX_HOST, control

ROOT = "/sandbox/stripe"


def make_connection(**overrides) -> Connection:
    values = {
        "pk": 201,
        "name": "Stripe sandbox",
        "kind": Connection.Kind.STRIPE,
        "base_url": f"{SANDBOX_HOST}{ROOT}",
        "secrets": {"api_key": settings.SANDBOX_STRIPE_API_KEY},
        "timeout_seconds": 5,
        **overrides,
    }
    return Connection(**values)


@pytest.fixture
def routed(monkeypatch):
    """Route the SDK's RequestsClient to the sandbox; no SDK-level retries."""
    monkeypatch.setattr(http, "SESSION_FACTORY", lambda c: wsgi_session(SANDBOX_HOST))
    monkeypatch.setattr(stripe_api, "MAX_NETWORK_RETRIES", 0)


@pytest.fixture
def api(db, routed) -> StripeApi:
    return StripeApi(make_connection())


def set_faults(**switches) -> None:
    control(
        wsgi_session(SANDBOX_HOST), ROOT, settings.SANDBOX_STRIPE_API_KEY, **switches
    )


def pay(api: StripeApi, amount: int, currency: str = "usd", **extra) -> dict:
    intent = api.v1.payment_intents.create(
        {
            "amount": amount,
            "currency": currency,
            "payment_method": "pm_card_visa",
            "confirm": True,
            **extra,
        }
    )
    return intent.to_dict()


# --- mapping without the network ------------------------------------------


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (stripe.AuthenticationError("bad key", http_status=401), AuthenticationError),
        (stripe.PermissionError("no", http_status=403), AuthenticationError),
        (stripe.RateLimitError("slow", http_status=429), RateLimitedError),
        (stripe.APIConnectionError("refused"), TransientError),
        (stripe.APIError("boom", http_status=500), TransientError),
        (
            stripe.InvalidRequestError("No such charge", "id", http_status=404),
            NotFoundError,
        ),
        (
            stripe.InvalidRequestError("Bad amount", "amount", http_status=400),
            ValidationError,
        ),
    ],
)
def test_map_stripe_error(error, expected):
    mapped = map_stripe_error(error)
    assert type(mapped) is expected


def test_rate_limit_keeps_retry_after_and_validation_keeps_param():
    limited = map_stripe_error(
        stripe.RateLimitError("slow", http_status=429, headers={"Retry-After": "3"})
    )
    assert limited.retry_after == 3.0
    invalid = map_stripe_error(
        stripe.InvalidRequestError("Bad amount", "amount", http_status=400)
    )
    assert invalid.field == "amount"


# --- against the sandbox --------------------------------------------------


def test_retrieve_returns_plain_dicts_with_expansions(api):
    intent = pay(api, 1999)
    charge_id = intent["latest_charge"]

    charge = api.retrieve_charge(charge_id, expand=["balance_transaction"])

    assert type(charge) is dict
    assert charge["id"] == charge_id
    assert charge["amount"] == 1999
    assert type(charge["balance_transaction"]) is dict
    assert charge["balance_transaction"]["amount"] == 1999
    assert api.retrieve_payment_intent(intent["id"])["status"] == "succeeded"


def test_customer_metadata_update(api):
    customer = api.v1.customers.create({"email": "ada@example.com"})

    updated = api.update_customer_metadata(customer.id, {"erp_customer": "S000042"})

    assert updated["metadata"] == {"erp_customer": "S000042"}
    assert api.retrieve_customer(customer.id)["metadata"]["erp_customer"] == "S000042"


def test_lists_page_through_everything(api, monkeypatch):
    monkeypatch.setattr(stripe_api, "PAGE_LIMIT", 2)
    created = [api.v1.customers.create({"name": f"c{n}"}).id for n in range(5)]

    listed = [c["id"] for c in api.list_customers()]

    assert sorted(listed) == sorted(created)
    assert all(type(c) is dict for c in api.list_customers())


def test_payout_balance_transactions_are_listed_in_full(api, monkeypatch):
    monkeypatch.setattr(stripe_api, "PAGE_LIMIT", 2)
    for amount in (1000, 2000, 3000):
        pay(api, amount)
    response = wsgi_session(SANDBOX_HOST).post(
        f"{SANDBOX_HOST}{ROOT}/v1/test_helpers/payouts/automatic",
        headers={"Authorization": f"Bearer {settings.SANDBOX_STRIPE_API_KEY}"},
        timeout=5,
    )
    assert response.status_code == 200, response.text
    payout_id = response.json()["data"][0]["id"]

    transactions = list(api.list_balance_transactions(payout=payout_id))
    payout = api.retrieve_payout(payout_id)

    charges = [t for t in transactions if t["reporting_category"] == "charge"]
    assert sorted(t["amount"] for t in charges) == [1000, 2000, 3000]
    assert (
        -sum(t["net"] for t in transactions if t["type"] != "payout")
        == -payout["amount"]
    )
    assert [p["id"] for p in api.list_payouts()] == [payout_id]


def test_refund_and_backfill_lists(api):
    intent = pay(api, 5000)
    refund = api.v1.refunds.create({"charge": intent["latest_charge"], "amount": 1500})

    assert api.retrieve_refund(refund.id)["amount"] == 1500
    assert [r["id"] for r in api.list_refunds()] == [refund.id]
    charges = list(api.list_charges(created_gte=0))
    assert [c["id"] for c in charges] == [intent["latest_charge"]]
    assert list(api.list_disputes()) == []


def test_events_can_be_listed(api):
    pay(api, 700)
    events = list(api.list_events(created_gte=0))
    assert any(e["type"] == "charge.succeeded" for e in events)
    assert all(type(e) is dict for e in events)


def test_catalog_product_and_price(api):
    product = api.create_product(
        {"name": "Widget A", "metadata": {"erp_stock_code": "A100"}},
        idempotency_key="product-A100",
    )
    again = api.create_product(
        {"name": "Widget A", "metadata": {"erp_stock_code": "A100"}},
        idempotency_key="product-A100",
    )
    price = api.create_price(
        {"product": product["id"], "unit_amount": 1000, "currency": "usd"}
    )
    api.update_product(product["id"], {"name": "Widget A (blue)"})
    api.update_price(price["id"], {"active": False})

    assert again["id"] == product["id"]
    assert api.retrieve_product(product["id"])["name"] == "Widget A (blue)"
    assert [p["active"] for p in api.list_prices(product=product["id"])] == [False]


def test_missing_object_is_not_found(api):
    with pytest.raises(NotFoundError):
        api.retrieve_charge("ch_doesnotexist")


def test_bad_parameter_is_a_validation_error(api):
    with pytest.raises(ValidationError) as caught:
        api.create_price({"product": "prod_x", "unit_amount": 10, "currency": "zzz"})
    assert caught.value.message.startswith("Stripe: ")


def test_wrong_key_is_an_authentication_error(db, routed):
    api = StripeApi(make_connection(secrets={"api_key": "sk_test_wrong_key_123"}))
    with pytest.raises(AuthenticationError) as caught:
        api.retrieve_customer("cus_x")
    # Not even the part of the key Stripe repeats ("sk_test_****_123").
    assert "_123" not in caught.value.message
    assert "sk_" not in caught.value.message
    assert caught.value.message == (
        "Stripe refused the connection's secret key (401 HTTP status): "
        "check the Stripe connection"
    )


def test_outage_is_transient(api):
    set_faults(down=True)
    with pytest.raises(TransientError):
        api.retrieve_customer("cus_x")


def test_rate_limit_is_mapped_with_retry_after(api):
    set_faults(rate_limit_per_second=1)
    with pytest.raises(RateLimitedError) as caught:
        for _ in range(10):
            list(api.list_payouts())
    # Stripe sends no Retry-After; the ledger's own backoff applies then.
    assert caught.value.extra["stripe_code"] == "rate_limit"


def test_errors_while_paging_are_mapped(api, monkeypatch):
    monkeypatch.setattr(stripe_api, "PAGE_LIMIT", 1)
    for n in range(2):
        api.v1.customers.create({"name": f"c{n}"})
    pages = api.list_customers()
    next(pages)
    set_faults(down=True)
    with pytest.raises(TransientError):
        next(pages)


def test_balance_transactions_by_creation_window(api):
    pay(api, 1234)
    everything = list(api.list_balance_transactions(created_gte=0))
    nothing = list(api.list_balance_transactions(created_gte=0, created_lte=1))
    assert [t["amount"] for t in everything] == [1234]
    assert nothing == []


@pytest.mark.django_db
def test_the_client_factory_reads_the_connection_only_when_called(
    django_assert_num_queries,
):
    # given an integration read without its connections
    integration = Integration.objects.get(pk=IntegrationFactory().pk)

    # when the factory is made, nothing is read; when it is called, the
    # connection is
    with django_assert_num_queries(0):
        factory = stripe_api.stripe_api_for(integration)
    with django_assert_num_queries(1):
        client = factory()

    assert client.connection_id == integration.stripe_connection_id
