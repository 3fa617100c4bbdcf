"""Days of activity in the Stripe sandbox → events → the real workflows,
ledger, mapping and connectors → the SYSPRO sandbox or the Sage Pro agent
(over generated tables, read back from its DBF files); then an automatic
payout is journaled and proven, and the ERP's journal is compared with the
balance transactions cent by cent."""

import json
from decimal import Decimal
from io import StringIO

import pytest
import requests
import stripe
from django.conf import settings
from django.core.management import call_command

from integrations import ledger
from integrations.canonical import Customer, to_source
from integrations.connectors import http
from integrations.erps import registry
from integrations.intake import webhook_event_store
from integrations.models import Connection, SyncRecord, WebhookEvent
from integrations.precision import journal_step, round_half_up
from integrations.workflows.common import META_ERP_CODE
from mapping.services import payload_build
from portal.money import to_decimal
from reconciliation.models import Payout, PayoutLine
from reconciliation.services import payouts_prove_open
from sandbox.stripeapi.models import Event
from tests.factories import IntegrationFactory
from tests.support.sagepro_agent import agent_started
from tests.support.wsgi import wsgi_session

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.real_mapping,
    pytest.mark.usefixtures("keep_db_connection"),
]

HOST = "http://testserver"
ERP_URLS = {"syspro": f"{HOST}/sandbox/syspro/SYSPROWCFService/Rest"}
STATE = {
    "syspro": ("/sandbox/syspro", "SANDBOX_SYSPRO_CONTROL_KEY"),
}


@pytest.fixture(params=["syspro", "sagepro"])
def erp_kind(request):
    return request.param


@pytest.fixture
def agent(erp_kind, request, tmp_path):
    """Sage Pro: the real agent over a company whose home currency is the
    test's (its GL takes batches in that currency only); SYSPRO: None."""
    if erp_kind != "sagepro":
        yield None
        return
    params = getattr(request.node, "callspec", None)
    currency = (params.params.get("currency", "usd") if params else "usd").upper()
    running = agent_started(tmp_path, hooks=False, currency=currency)
    yield running
    running.stop()


def _session_for(connection):
    """The Stripe and SYSPRO sandboxes in process; the agent over loopback."""
    if connection.kind == Connection.Kind.SAGEPRO:
        return requests.Session()
    return wsgi_session(HOST)


@pytest.fixture
def integration(erp_kind, agent, monkeypatch):
    monkeypatch.setattr(http, "SESSION_FACTORY", _session_for)
    registry.close_all()
    secrets = (
        {"api_key": agent.key}
        if agent
        else {
            "operator_password": settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
            "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
        }
    )
    integration = IntegrationFactory(
        stripe_connection__base_url=f"{HOST}/sandbox/stripe",
        stripe_connection__secrets={"api_key": settings.SANDBOX_STRIPE_API_KEY},
        erp_connection__kind=Connection.Kind(erp_kind),
        erp_connection__base_url=agent.base_url if agent else ERP_URLS[erp_kind],
        erp_connection__secrets=secrets,
    )
    yield integration
    registry.close_all()


@pytest.fixture
def sc() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.SANDBOX_STRIPE_API_KEY,
        base_addresses={"api": f"{HOST}/sandbox/stripe"},
        http_client=stripe.RequestsClient(session=wsgi_session(HOST)),
        max_network_retries=0,
    )


def _forward_events(integration, capture, seen: set[int]) -> None:
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


def _erp_customer(integration, currency: str) -> str:
    """The seeded customers are USD accounts; book other currencies to a new
    customer in that currency, created through mapping and the connector."""
    if currency == "usd":
        return "0000001"
    code = f"E2E{currency.upper()}"
    customer = Customer(
        stripe_id=f"cus_{code}",
        name=f"Bayside {currency.upper()}",
        email="ap@bayside.example",
        currency=currency.upper(),
        erp_code=code,
    )
    payload, _ = payload_build(
        integration=integration,
        entity="customer",
        source={**to_source(customer), "options": integration.options},
    )
    registry.connector_for(integration.erp_connection).upsert_customer(
        payload, reference=customer.stripe_id
    )
    return code


def _pay(sc, customer, amount, currency="usd", pm="pm_card_visa"):
    return sc.v1.payment_intents.create(
        params={
            "amount": amount,
            "currency": currency,
            "payment_method": pm,
            "confirm": True,
            "customer": customer,
        }
    )


def _erp_journal(erp_kind, reference, agent=None):
    if agent is not None:
        # Sage Pro: the agent's glbtch read back from the DBF file.
        journals = [j for j in agent.books()["journals"] if j["reference"] == reference]
    else:
        root, key = STATE[erp_kind]
        response = wsgi_session(HOST).get(
            f"{HOST}{root}/_state",
            headers={"Authorization": f"Bearer {getattr(settings, key)}"},
            timeout=5,
        )
        journals = [
            j for j in response.json()["journals"] if j.get("reference") == reference
        ]
    assert journals, reference
    # SYSPRO's connector splits a journal too long for one query string into
    # batches, each balanced by a "carried" line: read them as one journal.
    return {**journals[0], "lines": [x for j in journals for x in j["lines"]]}


def _signed(erp_kind, line) -> Decimal:
    if erp_kind == "syspro":
        return Decimal(line["amount"])
    return Decimal(line["debit"]) - Decimal(line["credit"])


@pytest.mark.parametrize(
    ("currency", "unit"), [("usd", 100), ("jpy", 100), ("kwd", 1000)]
)
def test_automatic_payout_is_journaled_and_proven_to_the_cent(
    erp_kind, integration, agent, sc, django_capture_on_commit_callbacks, currency, unit
):
    # given an ERP customer in the currency, and in the Stripe sandbox charges,
    # a partial refund and a dispute
    code = _erp_customer(integration, currency)
    customer = sc.v1.customers.create(
        params={
            "email": "ap@bayside.example",
            "name": "Bayside Bikes",
            "metadata": {META_ERP_CODE: code},
        }
    ).id
    seen: set[int] = set()
    _pay(sc, customer, 19 * unit, currency)
    refunded = _pay(sc, customer, 40 * unit, currency)
    sc.v1.refunds.create(params={"payment_intent": refunded.id, "amount": 15 * unit})
    _pay(sc, customer, 30 * unit, currency, pm="pm_card_createDispute")
    for n in range(4):
        _pay(sc, customer, (100 + n) * unit, currency)
    _forward_events(integration, django_capture_on_commit_callbacks, seen)
    # when Stripe pays the balance out automatically
    sc.raw_request("post", "/v1/test_helpers/payouts/automatic", currency=currency)
    _forward_events(integration, django_capture_on_commit_callbacks, seen)
    payouts_prove_open()
    held = SyncRecord.objects.filter(status=SyncRecord.Status.HELD)
    if held.exists():
        # JPY orders for a USD customer are held for review: the payout waits
        # unreconciled until finance staff release them and they post.
        payout = Payout.objects.filter(integration=integration).first()
        assert payout is not None, list(
            WebhookEvent.objects.filter(type__startswith="payout").values_list(
                "type", "status", "error"
            )
        )
        assert payout.proof_status == Payout.Proof.UNRECONCILED
        assert payout.lines.filter(match=PayoutLine.Match.NOT_POSTED).exists()
        for record in held:
            with django_capture_on_commit_callbacks(execute=True):
                ledger.sync_record_release(record=record, actor=None, reason="e2e")
        payouts_prove_open()
    # then every ledger record posted, one balanced journal among them
    problems = [
        (r.operation, r.stripe_id, r.status, r.error_message)
        for r in SyncRecord.objects.filter(integration=integration)
        if r.status != SyncRecord.Status.SUCCEEDED
    ]
    assert problems == [], "\n".join(map(str, problems))
    assert not WebhookEvent.objects.filter(status=WebhookEvent.Status.FAILED).exists()
    payout = Payout.objects.get(integration=integration)
    journal = _erp_journal(erp_kind, payout.stripe_id, agent)
    signed = [_signed(erp_kind, line) for line in journal["lines"]]
    assert sum(signed) == 0
    # KWD's third decimal does not fit the ERPs' 2-decimal amount fields: the
    # journal is in whole ERP units, the rest on its rounding line
    # (integrations/precision.py).
    step = journal_step(
        erp_kind=erp_kind, currency=currency, options=integration.options
    )
    assert signed[0] == to_decimal(round_half_up(payout.amount, step), currency)
    # the journal explains the balance transactions cent by cent
    lines = list(PayoutLine.objects.filter(payout=payout))
    own = [x for x in lines if x.reporting_category == "payout"]
    contents = [x for x in lines if x.reporting_category != "payout"]
    assert sum(x.net for x in contents) == payout.amount == -own[0].amount
    fees = sum(x.fee for x in contents)
    fee_lines = [
        s
        for s, line in zip(signed, journal["lines"], strict=True)
        if (line.get("ledger_code") or line.get("account")) in ("6210", "6220")
    ]
    assert sum(fee_lines) == to_decimal(round_half_up(fees, step), currency)
    # and the proof matched every line to the ERP document that booked it
    payout.refresh_from_db()
    payout_lines = PayoutLine.objects.filter(payout=payout)
    unmatched = [
        (x.source, x.reporting_category, x.match, x.note)
        for x in payout_lines.exclude(match__in=["matched", "journal", "payout"])
    ]
    assert unmatched == []
    assert payout.proof_status == Payout.Proof.RECONCILED


def test_backfill_books_history_and_proves_its_payouts(
    erp_kind, integration, agent, sc, django_capture_on_commit_callbacks
):
    # given history in the Stripe sandbox that never reached the portal
    customer = sc.v1.customers.create(
        params={"name": "Bayside Bikes", "metadata": {META_ERP_CODE: "0000001"}}
    ).id
    for amount in (1999, 4500, 12000):
        _pay(sc, customer, amount)
    refunded = _pay(sc, customer, 8000)
    sc.v1.refunds.create(params={"payment_intent": refunded.id, "amount": 2500})
    _pay(sc, customer, 3000, pm="pm_card_createDispute")
    sc.raw_request("post", "/v1/test_helpers/payouts/automatic", currency="usd")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "backfill",
            "--integration",
            str(integration.pk),
            "--since",
            "2000-01-01",
            "--no-progress",
            stdout=StringIO(),
        )
    payouts_prove_open()
    # then
    problems = [
        (r.operation, r.stripe_id, r.status, r.error_message)
        for r in SyncRecord.objects.filter(integration=integration)
        if r.status != SyncRecord.Status.SUCCEEDED
    ]
    assert problems == [], "\n".join(map(str, problems))
    payout = Payout.objects.get(integration=integration)
    assert payout.proof_status == Payout.Proof.RECONCILED
    journal = _erp_journal(erp_kind, payout.stripe_id, agent)
    assert sum(_signed(erp_kind, line) for line in journal["lines"]) == 0
    assert WebhookEvent.objects.filter(source="backfill").count() >= 7
