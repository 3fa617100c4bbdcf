"""Sage Pro customers reach Stripe through the real agent (a subprocess over
generated Sage Pro tables, on loopback), and our own echo never goes back."""

import socket

import pytest
import requests
from django.conf import settings

from customer_sync.fields import TERMS_KEY
from customer_sync.inbound import ECHO
from customer_sync.models import CustomerSyncSettings
from customer_sync.services import customer_sync_run
from integrations.connectors import http
from integrations.erps import registry
from integrations.erps.sagepro.connector import SageProConnector
from integrations.models import Connection, CustomerLink, SyncRecord
from portal.outbound import GuardedHTTPAdapter
from tests.factories import IntegrationFactory
from tests.support.sagepro_agent import (
    SageProAgent,
    company_generate,
    key_file_write,
)
from tests.support.wsgi import wsgi_session

from .conftest import HOST, ErpWrites

pytestmark = pytest.mark.django_db
CUSTNO = "HC100"
# This suite's loopback ports (shared machine: each suite keeps to its range).
PORTS = range(18500, 18600)


def _port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18500-18599")


@pytest.fixture
def agent(tmp_path):
    data = tmp_path / "sagepro"
    company_generate(data, customers=2, items=2)
    key_file = tmp_path / "agent-keys"
    key_file_write(key_file, SageProAgent.key)
    running = SageProAgent(data=data, key_file=key_file, hooks=False, port=_port())
    running.start()
    yield running
    running.stop()


def _session_for(connection: Connection) -> requests.Session:
    """The Stripe sandbox in process; the agent over loopback, as in production."""
    if connection.kind == Connection.Kind.STRIPE:
        return wsgi_session(HOST)
    session = requests.Session()
    adapter = GuardedHTTPAdapter(max_retries=0)
    session.mount("http://", adapter)
    return session


def agent_call(agent, method: str, path: str, body: dict) -> dict:
    """The agent's /api/v1 as a Sage Pro user's change would land in arcust."""
    response = requests.request(
        method,
        f"{agent.base_url}/{path}",
        json=body,
        headers={"Authorization": f"Bearer {agent.key}"},
        timeout=10,
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


@pytest.fixture
def integration(db, agent, monkeypatch, keep_db_connection):
    monkeypatch.setattr(http, "SESSION_FACTORY", _session_for)
    registry.close_all()
    integration = IntegrationFactory(
        stripe_connection__base_url=f"{HOST}/sandbox/stripe",
        stripe_connection__secrets={"api_key": settings.SANDBOX_STRIPE_API_KEY},
        erp_connection__kind=Connection.Kind.SAGEPRO,
        erp_connection__base_url=agent.base_url,
        erp_connection__secrets={"api_key": agent.key},
    )
    CustomerSyncSettings.objects.create(integration=integration)
    yield integration
    registry.close_all()


@pytest.fixture
def linked(integration, agent, sdk):
    agent_call(
        agent,
        "POST",
        "customers",
        {
            "custno": CUSTNO,
            "company": "Harbour Cycles",
            "email": "ap@harbour.example",
            "phone": "021 555 0100",
            "address1": "1 Dock Road",
            "city": "Cape Town",
            "zip": "8001",
            "country": "ZA",
            "pterms": "Net 30",
        },
    )
    customer = sdk.customers.create(params={"name": "Harbour (old)"})
    return CustomerLink.objects.create(
        integration=integration,
        stripe_customer_id=customer.id,
        erp_customer_code=CUSTNO,
    )


def test_sage_pro_customers_reach_stripe_and_their_echo_writes_nothing_back(
    integration, agent, sdk, linked, deliver, monkeypatch
):
    writes = ErpWrites(monkeypatch, SageProConnector)

    # when
    plan = customer_sync_run(integration=integration, dry_run=False)

    # then arcust's fields are on the Stripe customer
    assert plan.counts == {"update": 1}
    customer = sdk.customers.retrieve(linked.stripe_customer_id)
    assert (customer.name, customer.email, customer.phone) == (
        "Harbour Cycles",
        "ap@harbour.example",
        "021 555 0100",
    )
    assert customer.address.line1 == "1 Dock Road"
    assert (customer.address.city, customer.address.postal_code) == (
        "Cape Town",
        "8001",
    )
    assert customer.shipping is None  # arcust has no ship-to address
    assert customer.metadata[TERMS_KEY] == "Net 30"

    # when the echo comes back as a webhook
    assert deliver() == [200]

    # then nothing was written to the agent
    assert writes.calls == []
    (record,) = SyncRecord.objects.filter(idempotency_key__contains=":sync:")
    assert record.response["skipped"] == ECHO

    # when the customer changes in Sage Pro
    agent_call(agent, "PUT", f"customers/{CUSTNO}", {"company": "Harbour Cycles Ltd"})
    plan = customer_sync_run(integration=integration, dry_run=False)

    # then only that reaches Stripe, once; a re-run changes nothing
    assert [(f.field, f.new) for f in plan.changes[0].fields] == [
        ("name", "Harbour Cycles Ltd")
    ]
    assert sdk.customers.retrieve(linked.stripe_customer_id).name == (
        "Harbour Cycles Ltd"
    )
    assert customer_sync_run(integration=integration, dry_run=False).changes == ()
    assert deliver() == [200]
    assert writes.calls == []
