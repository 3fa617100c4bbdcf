"""Stripe events through the real ledger, mapping and connectors into the ERPs.

Only the Stripe API is faked (the workflows' FakeStripe); the ERP side is the
real SysproConnector talking to the in-process SYSPRO sandbox, or the real
SageProConnector talking to the Sage Pro agent (a subprocess over generated
tables, read back from its DBF files).
"""

import json
from decimal import Decimal

import pytest
from django.conf import settings

from integrations.connectors import http
from integrations.erps import registry
from integrations.intake import webhook_event_store
from integrations.models import Connection, SyncRecord, WebhookEvent
from tests.factories import IntegrationFactory
from tests.integrations.workflows import stripe_events as se
from tests.integrations.workflows.conftest import ERP_URLS, FakeStripe
from tests.support.wsgi import wsgi_session

from .conftest import SANDBOX_HOST, sandbox_state

pytestmark = pytest.mark.django_db

STATE = {"syspro": ("/sandbox/syspro", "SANDBOX_SYSPRO_CONTROL_KEY")}
ORDER_VALUE = {"syspro": "order_value", "sagepro": "ordamt"}
ORDER_REFERENCE = {"syspro": "reference", "sagepro": "ponum"}
PAYMENT_VALUE = {"syspro": "payment_value", "sagepro": "amount"}


@pytest.fixture(params=["syspro", "sagepro"])
def erp_kind(request) -> str:
    return request.param


@pytest.fixture
def stripe(monkeypatch) -> FakeStripe:
    fake = FakeStripe()
    monkeypatch.setattr(
        "integrations.connectors.stripe_api.stripe_api_for",
        lambda integration: lambda: fake,
    )
    return fake


@pytest.fixture
def integration(erp_kind, stripe, monkeypatch, request):
    if erp_kind == "sagepro":
        agent = request.getfixturevalue("sagepro_agent")
        base_url, secrets = agent.base_url, {"api_key": agent.key}
    else:
        monkeypatch.setattr(
            http, "SESSION_FACTORY", lambda c: wsgi_session(SANDBOX_HOST)
        )
        base_url = ERP_URLS[erp_kind]
        secrets = {
            "operator_password": settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
            "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
        }
    registry.close_all()
    integration = IntegrationFactory(
        erp_connection__kind=Connection.Kind(erp_kind),
        erp_connection__base_url=base_url,
        erp_connection__secrets=secrets,
    )
    yield integration
    registry.close_all()


@pytest.fixture
def erp_state(erp_kind, request):
    """What the ERP holds: the SYSPRO sandbox's state, or the agent's DBF files."""
    if erp_kind == "sagepro":
        return request.getfixturevalue("sagepro_agent").books
    root, key = STATE[erp_kind]
    return lambda: sandbox_state(
        wsgi_session(SANDBOX_HOST), root, getattr(settings, key)
    )


def deliver(integration, capture, *events) -> list[WebhookEvent]:
    stored = []
    for data in events:
        with capture(execute=True):
            event, _ = webhook_event_store(
                integration=integration,
                data=data,
                body=json.dumps(data),
                source="webhook",
            )
        event.refresh_from_db()
        stored.append(event)
    return stored


@pytest.mark.parametrize(
    ("currency", "minor", "expected"),
    [("usd", 1999, "19.99"), ("jpy", 500, "500")],
)
def test_a_charge_is_booked_in_the_erp_once(
    erp_kind,
    integration,
    erp_state,
    stripe,
    django_capture_on_commit_callbacks,
    currency,
    minor,
    expected,
):
    stripe.customers["cus_E2E"] = se.customer("cus_E2E", email="e2e@example.com")
    charge = se.charge("ch_E2E1", amount=minor, currency=currency, customer="cus_E2E")

    first, replay = deliver(
        integration,
        django_capture_on_commit_callbacks,
        se.event("charge.succeeded", charge),
        se.event("charge.succeeded", charge),
    )

    records = SyncRecord.objects.filter(integration=integration)
    problems = [
        (r.operation, r.status, r.error_message)
        for r in records
        if r.status != "succeeded"
    ]
    assert problems == []
    assert first.status == replay.status == WebhookEvent.Status.PROCESSED
    state = erp_state()
    orders = [
        o for o in state["sales_orders"] if o[ORDER_REFERENCE[erp_kind]] == "ch_E2E1"
    ]
    assert len(orders) == 1
    assert Decimal(orders[0][ORDER_VALUE[erp_kind]]) == Decimal(expected)
    payments = [p for p in state["payments"] if p["reference"] == "ch_E2E1"]
    assert len(payments) == 1
    assert Decimal(payments[0][PAYMENT_VALUE[erp_kind]]) == Decimal(expected)
    order_record = records.get(operation="create_sales_order")
    assert order_record.erp_reference == orders[0].get(
        "sales_order", orders[0].get("sono")
    )
