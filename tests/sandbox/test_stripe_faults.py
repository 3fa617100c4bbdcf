"""Fault switches of the Stripe sandbox, as the SDK sees them."""

import pytest
import stripe
from django.conf import settings
from django.test import Client

from sandbox import faults as faults_module
from sandbox.faults import faults_set
from tests.sandbox.test_stripe_api import make_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]


def auth() -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {settings.SANDBOX_STRIPE_API_KEY}"}


def test_down_answers_503_api_error():
    faults_set("stripe", down=True)
    with pytest.raises(stripe.APIError) as exc:
        make_client().v1.customers.list()
    assert exc.value.http_status == 503
    assert exc.value.json_body["error"]["type"] == "api_error"


def test_error_rate_answers_500_and_writes_nothing():
    faults_set("stripe", error_rate=1.0)
    with pytest.raises(stripe.APIError) as exc:
        make_client().v1.customers.create(params={"email": "x@example.com"})
    assert exc.value.http_status == 500
    faults_set("stripe", error_rate=0.0)
    assert make_client().v1.customers.list().data == []


def test_rate_limit_answers_429(monkeypatch):
    monkeypatch.setattr(faults_module, "clock", lambda: 1_000.5)
    faults_set("stripe", rate_limit_per_second=1)
    client = make_client()
    errors = []
    for _ in range(3):
        try:
            client.v1.balance.retrieve()
        except stripe.RateLimitError as exc:
            errors.append(exc)
    assert errors
    assert errors[0].http_status == 429
    assert errors[0].json_body["error"]["code"] == "rate_limit"


def test_reject_credentials_answers_401_even_for_the_right_key():
    faults_set("stripe", reject_credentials=True)
    with pytest.raises(stripe.AuthenticationError) as exc:
        make_client().v1.customers.list()
    assert exc.value.http_status == 401


def test_latency_slows_every_call(monkeypatch):
    import sandbox.faults

    slept = []
    monkeypatch.setattr(sandbox.faults.time, "sleep", slept.append)
    faults_set("stripe", latency_ms=150)

    make_client().v1.balance.retrieve()
    make_client().v1.customers.list()

    assert slept == [0.15, 0.15]


def test_control_endpoint_switches_faults_with_the_secret_key():
    client = Client()
    assert client.get("/sandbox/stripe/_control").status_code == 401
    response = client.post(
        "/sandbox/stripe/_control",
        data={"down": True, "webhook_pause": True},
        content_type="application/json",
        **auth(),
    )
    assert response.status_code == 200
    assert response.json()["faults"]["down"] is True
    assert response.json()["faults"]["extra"]["webhook_pause"] is True
    assert client.get("/sandbox/stripe/v1/balance", **auth()).status_code == 503
    client.post(
        "/sandbox/stripe/_control",
        data={"reset": True},
        content_type="application/json",
        **auth(),
    )
    assert client.get("/sandbox/stripe/v1/balance", **auth()).status_code == 200
