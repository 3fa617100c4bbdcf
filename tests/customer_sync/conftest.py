import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client

from customer_sync.models import CustomerSyncSettings
from integrations import services as integration_services
from integrations.connectors import http, stripe_api
from integrations.erps import registry
from integrations.erps.syspro.connector import SysproConnector
from integrations.models import Connection, CustomerLink
from sandbox.stripeapi.services.webhooks import (
    webhook_deliveries_run_due,
    webhook_endpoint_create,
)
from tests.factories import IntegrationFactory
from tests.support.wsgi import wsgi_session

HOST = "http://testserver"
SYSPRO_URL = f"{HOST}/sandbox/syspro/SYSPROWCFService/Rest"
CODE = "0004242"


def syspro_customer(code: str = CODE, **changes):
    """Create or change a customer in the SYSPRO sandbox, as a SYSPRO user
    would in SYSPRO itself."""
    model = apps.get_model("sandbox_syspro", "Customer")
    defaults = {
        "name": "Harbour Cycles",
        "currency": "USD",
        "terms_code": "30",
        "telephone": "021 555 0100",
        "email": "ap@harbour.example",
        "addresses": {
            "SoldToAddr1": "1 Dock Road",
            "SoldToAddr2": "Unit 4",
            "SoldToAddr3": "Cape Town",
            "SoldToAddr4": "WC",
            "SoldToAddr5": "ZA",
            "SoldPostalCode": "8001",
            "ShipToAddr1": "9 Quay Street",
            "ShipToAddr3": "Cape Town",
            "ShipToAddr5": "ZA",
        },
    }
    customer = model.objects.filter(code=code).first()
    if customer is None:
        return model.objects.create(code=code, **(defaults | changes))
    for name, value in changes.items():
        setattr(customer, name, value)
    customer.save()
    return customer


@pytest.fixture
def integration(db, monkeypatch, keep_db_connection):
    """SYSPRO and Stripe are the in-process sandboxes, reached over WSGI."""
    monkeypatch.setattr(http, "SESSION_FACTORY", lambda c: wsgi_session(HOST))
    registry.close_all()
    integration = IntegrationFactory(
        stripe_connection__base_url=f"{HOST}/sandbox/stripe",
        stripe_connection__secrets={"api_key": settings.SANDBOX_STRIPE_API_KEY},
        erp_connection__kind=Connection.Kind.SYSPRO,
        erp_connection__base_url=SYSPRO_URL,
        erp_connection__secrets={
            "operator_password": settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
            "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
        },
    )
    CustomerSyncSettings.objects.create(integration=integration)
    yield integration
    registry.close_all()


@pytest.fixture
def sdk(integration):
    """The Stripe sandbox as an outside client sees it."""
    return stripe_api.stripe_api_for(integration)().v1


@pytest.fixture
def linked(integration, sdk):
    """A SYSPRO customer linked to a Stripe customer that holds older data."""
    syspro_customer()
    customer = sdk.customers.create(
        params={
            "name": "Harbour Cycles (old)",
            "email": "ap@harbour.example",
            "metadata": {"erp_customer_code": CODE},
        }
    )
    return CustomerLink.objects.create(
        integration=integration,
        stripe_customer_id=customer.id,
        erp_customer_code=CODE,
    )


@pytest.fixture
def deliver(integration, linked, django_capture_on_commit_callbacks):
    """Stripe's signed webhooks, from the Stripe sandbox's own deliverer to
    the portal's intake URL; the events are processed as the worker would
    (django-q2 runs sync in tests). Subscribed after `linked`, so only what
    happens from then on is delivered."""
    endpoint = webhook_endpoint_create(
        url=f"{HOST}/webhooks/stripe/{integration.uuid}/",
        enabled_events=["customer.updated"],
        api_version=None,
        description=None,
        metadata=None,
    )
    integration_services.webhook_secret_add(
        integration=integration, secret=endpoint.secret, actor=None
    )
    client = Client()
    statuses: list[int] = []

    def send(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
        response = client.generic(
            "POST",
            url.removeprefix(HOST),
            body,
            content_type=headers.get("Content-Type", "application/json"),
            headers={k: v for k, v in headers.items() if k != "Content-Type"},
        )
        statuses.append(response.status_code)
        return response.status_code

    def run() -> list[int]:
        statuses.clear()
        with django_capture_on_commit_callbacks(execute=True):
            webhook_deliveries_run_due(send=send)
        return list(statuses)

    return run


class ErpWrites:
    """Counts the customer writes the connector makes, and lets them through."""

    def __init__(self, monkeypatch, connector_class):
        self.calls: list[dict] = []
        real = connector_class.upsert_customer

        def spy(connector, payload, **kwargs):
            self.calls.append(payload)
            return real(connector, payload, **kwargs)

        monkeypatch.setattr(connector_class, "upsert_customer", spy)


@pytest.fixture
def syspro_writes(monkeypatch):
    return ErpWrites(monkeypatch, SysproConnector)
