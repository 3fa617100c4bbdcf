"""Order to cash into the real Sage Pro agent: Stripe sandbox activity →
webhooks → the real workflows, ledger, mapping and SageProConnector → the
agent over generated DBF tables. The tables are then read back with a DBF
reader of their own (sandbox/sagepro_books.py) and compared with Stripe,
document by document, to the cent (sandbox.demo.check_erp, as the demo does).
"""

import json

import pytest
import requests
import stripe
from django.conf import settings

from integrations import ledger
from integrations.connectors import http
from integrations.erps import registry
from integrations.intake import webhook_event_store
from integrations.models import Connection, SyncRecord, WebhookEvent
from portal.outbound import GuardedHTTPAdapter
from reconciliation.models import Payout
from reconciliation.services import payouts_prove_open
from sandbox.demo import check_erp
from sandbox.stripeapi.models import Event
from tests.factories import IntegrationFactory
from tests.support.sagepro_agent import SageProAgent
from tests.support.wsgi import wsgi_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]

HOST = "http://testserver"


def _session_for(connection: Connection) -> requests.Session:
    """The Stripe sandbox in process; the agent over loopback, as in production."""
    if connection.kind == Connection.Kind.STRIPE:
        return wsgi_session(HOST)
    session = requests.Session()
    adapter = GuardedHTTPAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def integration_on(agent: SageProAgent, monkeypatch):
    monkeypatch.setattr(http, "SESSION_FACTORY", _session_for)
    registry.close_all()
    return IntegrationFactory(
        stripe_connection__base_url=f"{HOST}/sandbox/stripe",
        stripe_connection__secrets={"api_key": settings.SANDBOX_STRIPE_API_KEY},
        erp_connection__kind=Connection.Kind.SAGEPRO,
        erp_connection__base_url=agent.base_url,
        erp_connection__secrets={"api_key": agent.key},
    )


@pytest.fixture
def sc() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.SANDBOX_STRIPE_API_KEY,
        base_addresses={"api": f"{HOST}/sandbox/stripe"},
        http_client=stripe.RequestsClient(session=wsgi_session(HOST)),
        max_network_retries=0,
    )


@pytest.fixture
def integration(sagepro_agent, monkeypatch):
    yield integration_on(sagepro_agent, monkeypatch)
    registry.close_all()


@pytest.fixture
def faulty_integration(sagepro_agent_faulty, monkeypatch):
    yield integration_on(sagepro_agent_faulty, monkeypatch)
    registry.close_all()


def _forward(integration, capture, seen: set[int]) -> None:
    """Deliver every new sandbox event to the portal, oldest first."""
    for event in Event.objects.exclude(pk__in=seen).order_by("id"):
        seen.add(event.pk)
        with capture(execute=True):
            webhook_event_store(
                integration=integration,
                data=event.data,
                body=json.dumps(event.data),
                source="webhook",
            )


def _pay(sc, customer: str, amount: int, pm: str = "pm_card_visa"):
    return sc.v1.payment_intents.create(
        params={
            "amount": amount,
            "currency": "usd",
            "payment_method": pm,
            "confirm": True,
            "customer": customer,
        }
    )


def _not_succeeded(integration) -> list[tuple]:
    return [
        (r.operation, r.stripe_id, r.status, r.error_message)
        for r in SyncRecord.objects.filter(integration=integration)
        if r.status != SyncRecord.Status.SUCCEEDED
    ]


def test_order_to_cash_and_payout_reach_the_dbf_tables_to_the_cent(
    sagepro_agent, integration, sc, django_capture_on_commit_callbacks
):
    # given a Stripe customer Sage Pro does not know: charges, a partial and
    # a full refund, a dispute
    customer = sc.v1.customers.create(
        params={"email": "ap@harbour.example", "name": "Harbour Cycles"}
    ).id
    seen: set[int] = set()
    _pay(sc, customer, 1999)
    partly = _pay(sc, customer, 4000)
    sc.v1.refunds.create(params={"payment_intent": partly.id, "amount": 1501})
    fully = _pay(sc, customer, 12345)
    sc.v1.refunds.create(params={"payment_intent": fully.id})
    _pay(sc, customer, 3000, pm="pm_card_createDispute")
    # when the events reach the portal, then Stripe pays the balance out
    _forward(integration, django_capture_on_commit_callbacks, seen)
    sc.raw_request("post", "/v1/test_helpers/payouts/automatic", currency="usd")
    _forward(integration, django_capture_on_commit_callbacks, seen)
    payouts_prove_open()

    # then everything posted, and the DBF files match Stripe to the cent
    assert _not_succeeded(integration) == []
    assert not WebhookEvent.objects.filter(status=WebhookEvent.Status.FAILED).exists()
    books = sagepro_agent.books()
    assert check_erp(sc, books) == []
    # the customer is in arcust under the code written back to Stripe
    # The customer's main account (a charge also waits on its currency's).
    code = SyncRecord.objects.get(
        operation="upsert_customer", idempotency_key__endswith=f":customer:{customer}"
    ).erp_reference
    assert sc.v1.customers.retrieve(customer).metadata["erp_customer_code"] == code
    [written] = [c for c in books["customers"] if c["custno"] == code]
    assert written["email"] == "ap@harbour.example"
    # each order's lines add up to its amount, open for Sage Pro to post
    stripe_orders = [o for o in books["sales_orders"] if o["ponum"].startswith("ch_")]
    assert len(stripe_orders) == 4
    for order in stripe_orders:
        assert order["sostat"] == ""
        assert order["custno"] == code
        assert sum(line["extprice"] for line in order["lines"]) == order["ordamt"]
    # the payout's journal balances, and the proof matched it
    payout = Payout.objects.get(integration=integration)
    [journal] = [j for j in books["journals"] if j["reference"] == payout.stripe_id]
    assert sum(line["amount"] for line in journal["lines"]) == 0
    assert payout.proof_status == Payout.Proof.RECONCILED


def test_replies_lost_after_the_agent_wrote_make_no_second_document(
    sagepro_agent_faulty, faulty_integration, sc, django_capture_on_commit_callbacks
):
    agent = sagepro_agent_faulty
    customer = sc.v1.customers.create(
        params={"email": "ap@lost.example", "name": "Lost Replies Ltd"}
    ).id
    _pay(sc, customer, 2599)
    refunded = _pay(sc, customer, 1000)
    sc.v1.refunds.create(params={"payment_intent": refunded.id, "amount": 400})
    # given: the agent writes every document and then loses its reply
    agent.set_hooks(error_after_write_rate=1)
    _forward(faulty_integration, django_capture_on_commit_callbacks, set())
    waiting = SyncRecord.objects.filter(integration=faulty_integration)
    assert waiting.exists()
    assert set(waiting.values_list("status", flat=True)) <= {
        SyncRecord.Status.RETRYING,
        SyncRecord.Status.PENDING,
        SyncRecord.Status.SUCCEEDED,
    }
    # when the replies come back and the ledger retries until nothing waits
    agent.set_hooks()
    for _ in range(5):
        due = SyncRecord.objects.filter(
            integration=faulty_integration,
            status__in=[SyncRecord.Status.RETRYING, SyncRecord.Status.PENDING],
        )
        if not due.exists():
            break
        due.update(next_attempt_at=None)
        for record in due:
            with django_capture_on_commit_callbacks(execute=True):
                ledger.sync_record_run(record_id=record.pk, worker="w1")
    # then everything posted, each document once (the agent's reference table
    # answered the retries), and the DBF files match Stripe to the cent
    assert _not_succeeded(faulty_integration) == []
    assert SyncRecord.objects.filter(
        integration=faulty_integration, attempts__gt=1
    ).exists()
    assert check_erp(sc, agent.books()) == []
    customers = [
        c for c in agent.books()["customers"] if c["email"] == "ap@lost.example"
    ]
    assert len(customers) == 1
