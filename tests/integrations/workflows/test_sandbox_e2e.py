"""Order to cash end to end: Stripe sandbox activity → webhooks → the real
workflows, ledger, mapping and connectors → the SYSPRO sandbox, or the real
Sage Pro agent over generated DBF tables (tests/support/sagepro_agent.py).

Checks the ERP's own state: one document per Stripe id, the generated
customer code written back to Stripe, and a replay (a sweep finding the same
events again) adds nothing. SYSPRO's sandbox posts what it is sent and keeps
balances; the agent writes open documents for Sage Pro to post (PROTOCOLS.md
§2), so for Sage Pro the DBF files are read back and an invoice's balance is
what posting its receipts and memos will leave.
"""

import json
import uuid
from collections import Counter
from decimal import Decimal

import pytest
import requests
import stripe
from django.conf import settings

from integrations.connectors import http
from integrations.erps import registry
from integrations.intake import webhook_event_store
from integrations.models import Connection, SyncRecord, WebhookEvent
from mapping.models import AnomalyPolicy
from portal.outbound import GuardedHTTPAdapter
from sandbox.demo import STRIPE_ID
from sandbox.stripeapi.models import Event
from tests.factories import IntegrationFactory
from tests.support.wsgi import wsgi_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]

HOST = "http://testserver"
SYSPRO_URL = f"{HOST}/sandbox/syspro/SYSPROWCFService/Rest"


def _stripe_in_process_agent_over_loopback(connection: Connection):
    """The Stripe sandbox in process; the agent over loopback, as in production."""
    if connection.kind == Connection.Kind.STRIPE:
        return wsgi_session(HOST)
    session = requests.Session()
    session.mount("http://", GuardedHTTPAdapter(max_retries=0))
    return session


@pytest.fixture
def erp_state(erp_kind, request):
    """What the ERP holds now: the SYSPRO sandbox's `_state`, or the agent's
    DBF files read back (sandbox/sagepro_books.py)."""
    if erp_kind == "sagepro":
        return request.getfixturevalue("sagepro_agent").books

    def syspro_state() -> dict:
        response = wsgi_session(HOST).get(
            f"{HOST}/sandbox/syspro/_state",
            headers={"Authorization": f"Bearer {settings.SANDBOX_SYSPRO_CONTROL_KEY}"},
            timeout=5,
        )
        assert response.status_code == 200
        return response.json()

    return syspro_state


@pytest.fixture
def live_integration(erp_kind, monkeypatch, request):
    registry.close_all()
    if erp_kind == "sagepro":
        agent = request.getfixturevalue("sagepro_agent")
        monkeypatch.setattr(
            http, "SESSION_FACTORY", _stripe_in_process_agent_over_loopback
        )
        base_url, secrets = agent.base_url, {"api_key": agent.key}
    else:
        monkeypatch.setattr(http, "SESSION_FACTORY", lambda c: wsgi_session(HOST))
        base_url, secrets = (
            SYSPRO_URL,
            {
                "operator_password": settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
                "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
            },
        )
    integration = IntegrationFactory(
        stripe_connection__base_url=f"{HOST}/sandbox/stripe",
        stripe_connection__secrets={"api_key": settings.SANDBOX_STRIPE_API_KEY},
        erp_connection__kind=Connection.Kind(erp_kind),
        erp_connection__base_url=base_url,
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


def _forward(integration, capture, *, suffix: str = "") -> None:
    """Deliver every sandbox event to the portal, oldest first."""
    for event in Event.objects.order_by("id"):
        data = {**event.data, "id": event.data["id"] + suffix}
        with capture(execute=True):
            webhook_event_store(
                integration=integration,
                data=data,
                body=json.dumps(data),
                source="sweep" if suffix else "webhook",
            )


def _references(rows: list[dict]) -> Counter:
    """Documents by the Stripe id they carry; a generated Sage Pro company's
    own open documents (PO-10696) carry none."""
    references = (
        str(row.get("reference") or row.get("ponum") or row.get("customer_po_number"))
        for row in rows
    )
    return Counter(ref for ref in references if STRIPE_ID.match(ref))


def _money(value) -> Decimal:
    return Decimal(str(value))


def _balance(erp_kind: str, state: dict, invoice: dict) -> Decimal:
    """What the customer owes on an ERP invoice once the ERP has posted.

    SYSPRO's sandbox posts as it is sent. The agent writes the invoice open
    (balance = amount, nothing paid) and the receipts and memos that name
    its invno beside it (arcash, armemo), for Sage Pro's own posting to
    apply. Each takes its amount off; an adjustment's is signed as the
    portal sends it, credit positive (an invoice written off, a credit note
    given), debit negative (a credit note voided, a dispute lost).
    """
    if erp_kind == "syspro":
        return _money(invoice["balance"])
    assert invoice["balance"] == invoice["invamt"]
    assert invoice["paidamt"] == 0
    assert invoice["arstat"] == ""
    invno = invoice["invno"]
    return (
        invoice["invamt"]
        - sum(r["amount"] for r in state["payments"] if r["invno"] == invno)
        - sum(m["amount"] for m in state["credit_notes"] if m["invno"] == invno)
        - sum(a["amount"] for a in state["adjustments"] if a["invno"] == invno)
    )


@pytest.fixture(params=["syspro", "sagepro"])
def erp_kind(request):
    return request.param


def test_order_to_cash_into_the_erp_sandbox(
    erp_kind, live_integration, erp_state, sc, django_capture_on_commit_callbacks
):
    # given a new Stripe customer the ERP does not know, two payments, a
    # partial refund and a dispute
    email = f"e2e-{uuid.uuid4().hex[:8]}@example.com"
    customer = sc.v1.customers.create(
        params={"email": email, "name": "Harbour Cycles", "phone": "+27 21 555 0100"}
    ).id
    paid = sc.v1.payment_intents.create(
        params={
            "amount": 4000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
            "customer": customer,
        }
    )
    sc.v1.refunds.create(params={"payment_intent": paid.id, "amount": 1500})
    sc.v1.payment_intents.create(
        params={
            "amount": 3000,
            "currency": "usd",
            "payment_method": "pm_card_createDispute",
            "confirm": True,
            "customer": customer,
        }
    )

    # when the events reach the portal, and a sweep finds them all again
    _forward(live_integration, django_capture_on_commit_callbacks)
    records = SyncRecord.objects.count()
    _forward(live_integration, django_capture_on_commit_callbacks, suffix="_again")

    # then everything posted, once
    problems = [
        (r.operation, r.stripe_id, r.status, r.error_message)
        for r in SyncRecord.objects.filter(integration=live_integration)
        if r.status != SyncRecord.Status.SUCCEEDED
    ]
    assert problems == []
    assert SyncRecord.objects.count() == records
    assert not WebhookEvent.objects.filter(status=WebhookEvent.Status.FAILED).exists()
    charges = list(
        SyncRecord.objects.filter(operation="post_payment").values_list(
            "stripe_id", flat=True
        )
    )
    assert len(charges) == 2
    state = erp_state()
    orders = _references(state["sales_orders"])
    payments = _references(state["payments"])
    for charge_id in charges:
        assert orders[charge_id] == 1
        assert payments[charge_id] == 1
    credit_notes = _references(state["credit_notes"])
    refund_id = SyncRecord.objects.get(operation="post_credit_note").stripe_id
    assert credit_notes[refund_id] == 1
    adjustments = _references(state["adjustments"])
    withdrawn = SyncRecord.objects.get(operation="post_adjustment").stripe_id
    assert withdrawn.endswith(":withdrawn")
    assert adjustments[withdrawn] == 1
    # the generated customer code fits the ERP and went back to Stripe
    # The customer's main account (a charge also waits on its currency's).
    code = SyncRecord.objects.get(
        operation="upsert_customer", idempotency_key__endswith=f":customer:{customer}"
    ).erp_reference
    assert len(code) <= (7 if erp_kind == "syspro" else 10)
    stripe_customer = sc.v1.customers.retrieve(customer)
    assert stripe_customer.metadata["erp_customer_code"] == code


# The ERP's own names of an invoice's Stripe reference and value.
_PO = {"syspro": "reference", "sagepro": "ponum"}
_VALUE = {"syspro": "invoice_value", "sagepro": "invamt"}


def _forward_in(integration, capture, events, *, suffix: str = "") -> None:
    for event in events:
        data = {**event.data, "id": event.data["id"] + suffix}
        with capture(execute=True):
            webhook_event_store(
                integration=integration,
                data=data,
                body=json.dumps(data),
                source="sweep" if suffix else "webhook",
            )


@pytest.mark.parametrize("order", ["as-sent", "reversed"])
def test_a_paid_stripe_invoice_is_one_erp_invoice_with_its_balance_closed(
    erp_kind,
    live_integration,
    erp_state,
    sc,
    django_capture_on_commit_callbacks,
    order,
):
    # given a Stripe invoice of 72.00, finalized and paid by card: its events
    # are charge.succeeded, payment_intent.succeeded and invoice.paid, and
    # (basil) none of the charge's names the invoice
    customer = sc.v1.customers.create(
        params={"email": f"sub-{uuid.uuid4().hex[:8]}@example.com", "name": "Sub Co"}
    ).id
    invoice = sc.v1.invoices.create(params={"customer": customer, "currency": "usd"})
    for amount in (5000, 2200):
        sc.v1.invoice_items.create(
            params={
                "customer": customer,
                "invoice": invoice.id,
                "amount": amount,
                "currency": "usd",
                "description": "Seats",
            }
        )
    sc.v1.invoices.finalize_invoice(invoice.id)
    sc.v1.invoices.pay(invoice.id, params={"payment_method": "pm_card_visa"})
    (payment,) = sc.v1.invoice_payments.list(params={"invoice": invoice.id}).data
    charge_id = sc.v1.payment_intents.retrieve(
        payment.payment.payment_intent
    ).latest_charge
    events = list(Event.objects.order_by("id"))
    if order == "reversed":
        events.reverse()

    # when they reach the portal in that order, then all again
    _forward_in(live_integration, django_capture_on_commit_callbacks, events)
    _forward_in(
        live_integration, django_capture_on_commit_callbacks, events, suffix="_again"
    )

    # then the ERP holds one invoice of 72.00 and one payment that closed it
    problems = [
        (r.operation, r.stripe_id, r.status, r.error_message)
        for r in SyncRecord.objects.filter(integration=live_integration)
        if r.status != SyncRecord.Status.SUCCEEDED
    ]
    assert problems == []
    assert not WebhookEvent.objects.filter(status=WebhookEvent.Status.FAILED).exists()
    for ignored in WebhookEvent.objects.filter(
        type__in=["charge.succeeded", "payment_intent.succeeded"]
    ):
        assert ignored.status == WebhookEvent.Status.IGNORED
        assert invoice.id in ignored.error
    state = erp_state()
    assert _references(state["sales_orders"]) == Counter()
    invoices = [
        row for row in state["invoices"] if row.get(_PO[erp_kind]) == invoice.id
    ]
    (erp_invoice,) = invoices
    assert _money(erp_invoice[_VALUE[erp_kind]]) == Decimal("72.00")
    assert _balance(erp_kind, state, erp_invoice) == 0
    assert _references(state["payments"]) == Counter({charge_id: 1})


def test_invoices_booked_at_finalization_then_paid_voided_or_written_off(
    erp_kind, live_integration, erp_state, sc, django_capture_on_commit_callbacks
):
    # given an integration that books invoices as they are finalized, and
    # three finalized invoices: one paid, one voided, one uncollectible
    live_integration.options = {
        **(live_integration.options or {}),
        "invoice_booking": "finalized",
    }
    live_integration.save(update_fields=["options"])
    customer = sc.v1.customers.create(
        params={"email": f"ar-{uuid.uuid4().hex[:8]}@example.com", "name": "AR Co"}
    ).id
    ids = {}
    for name, amount in (("paid", 7200), ("void", 3000), ("lost", 1999)):
        invoice = sc.v1.invoices.create(params={"customer": customer})
        sc.v1.invoice_items.create(
            params={
                "customer": customer,
                "invoice": invoice.id,
                "amount": amount,
                "currency": "usd",
                "description": "Service",
            }
        )
        sc.v1.invoices.finalize_invoice(invoice.id)
        ids[name] = invoice.id
    sc.v1.invoices.pay(ids["paid"], params={"payment_method": "pm_card_visa"})
    sc.v1.invoices.void_invoice(ids["void"])
    sc.v1.invoices.mark_uncollectible(ids["lost"])

    # when the events reach the portal, then all again
    _forward(live_integration, django_capture_on_commit_callbacks)
    _forward(live_integration, django_capture_on_commit_callbacks, suffix="_again")

    # then every document posted once, and each invoice's balance is right
    problems = [
        (r.operation, r.stripe_id, r.status, r.error_message)
        for r in SyncRecord.objects.filter(integration=live_integration)
        if r.status != SyncRecord.Status.SUCCEEDED
    ]
    assert problems == []
    state = erp_state()
    assert _references(state["sales_orders"]) == Counter()
    invoices = {
        row.get(_PO[erp_kind]): row
        for row in state["invoices"]
        if row.get(_PO[erp_kind]) in ids.values()
    }
    assert {ref: _money(row[_VALUE[erp_kind]]) for ref, row in invoices.items()} == {
        ids["paid"]: Decimal("72.00"),
        ids["void"]: Decimal("30.00"),
        ids["lost"]: Decimal("19.99"),
    }
    assert {ref: _balance(erp_kind, state, row) for ref, row in invoices.items()} == {
        ids["paid"]: 0,
        ids["void"]: 0,
        ids["lost"]: 0,
    }
    assert _references(state["credit_notes"])[f"{ids['void']}:void"] == 1


def test_credit_notes_credit_the_erp_invoice_and_a_void_restores_it(
    erp_kind, live_integration, erp_state, sc, django_capture_on_commit_callbacks
):
    # given a paid 72.00 invoice, a 20.00 credit note and a 10.00 one voided
    customer = sc.v1.customers.create(
        params={"email": f"cn-{uuid.uuid4().hex[:8]}@example.com", "name": "CN Co"}
    ).id
    invoice = sc.v1.invoices.create(params={"customer": customer})
    sc.v1.invoice_items.create(
        params={
            "customer": customer,
            "invoice": invoice.id,
            "amount": 7200,
            "currency": "usd",
            "description": "Plan",
        }
    )
    sc.v1.invoices.finalize_invoice(invoice.id)
    sc.v1.invoices.pay(invoice.id, params={"payment_method": "pm_card_visa"})
    kept = sc.v1.credit_notes.create(params={"invoice": invoice.id, "amount": 2000})
    voided = sc.v1.credit_notes.create(params={"invoice": invoice.id, "amount": 1000})
    sc.v1.credit_notes.void_credit_note(voided.id)

    # when the events reach the portal, then all again
    _forward(live_integration, django_capture_on_commit_callbacks)
    _forward(live_integration, django_capture_on_commit_callbacks, suffix="_again")

    # then the ERP invoice was paid, credited 20.00 and 10.00, the 10.00
    # reversed: the customer is owed 20.00 on it
    problems = [
        (r.operation, r.stripe_id, r.status, r.error_message)
        for r in SyncRecord.objects.filter(integration=live_integration)
        if r.status != SyncRecord.Status.SUCCEEDED
    ]
    assert problems == []
    state = erp_state()
    (erp_invoice,) = [
        row for row in state["invoices"] if row.get(_PO[erp_kind]) == invoice.id
    ]
    assert _balance(erp_kind, state, erp_invoice) == Decimal("-20.00")
    credits = _references(state["credit_notes"])
    assert (credits[kept.id], credits[voided.id]) == (1, 1)
    assert _references(state["adjustments"])[f"{voided.id}:void"] == 1


def test_a_subscription_month_becomes_erp_invoices_paid_once(
    erp_kind, live_integration, erp_state, sc, django_capture_on_commit_callbacks
):
    # given a subscription of 3 seats at 24.00, upgraded with prorations, then
    # cancelled
    customer = sc.v1.customers.create(
        params={"email": f"sub-{uuid.uuid4().hex[:8]}@example.com", "name": "Seats"}
    ).id
    seat, pro = (
        sc.v1.prices.create(
            params={
                "currency": "usd",
                "unit_amount": amount,
                "recurring": {"interval": "month"},
                "product_data": {"name": name},
            }
        )
        for amount, name in ((2400, "Seat"), (3000, "Pro seat"))
    )
    sub = sc.v1.subscriptions.create(
        params={
            "customer": customer,
            "items": [{"price": seat.id, "quantity": 3}],
            "default_payment_method": "pm_card_visa",
        }
    )
    upgraded = sc.v1.subscriptions.update(
        sub.id,
        params={
            "items": [{"id": sub["items"].data[0].id, "price": pro.id}],
            "proration_behavior": "always_invoice",
        },
    )
    sc.v1.subscriptions.cancel(sub.id)

    # when the events reach the portal, then all again
    _forward(live_integration, django_capture_on_commit_callbacks)
    _forward(live_integration, django_capture_on_commit_callbacks, suffix="_again")

    # then two ERP invoices (72.00 and the 18.00 proration), each paid once
    problems = [
        (r.operation, r.stripe_id, r.status, r.error_message)
        for r in SyncRecord.objects.filter(integration=live_integration)
        if r.status != SyncRecord.Status.SUCCEEDED
    ]
    assert problems == []
    state = erp_state()
    assert _references(state["sales_orders"]) == Counter()
    invoices = {
        row.get(_PO[erp_kind]): row
        for row in state["invoices"]
        if row.get(_PO[erp_kind]) in (sub.latest_invoice, upgraded.latest_invoice)
    }
    assert {ref: _money(row[_VALUE[erp_kind]]) for ref, row in invoices.items()} == {
        sub.latest_invoice: Decimal("72.00"),
        upgraded.latest_invoice: Decimal("18.00"),
    }
    assert {_balance(erp_kind, state, row) for row in invoices.values()} == {0}
    assert sum(_references(state["payments"]).values()) == 2


def test_a_test_clock_quarter_of_renewals_is_booked_once_per_invoice(
    erp_kind, live_integration, erp_state, sc, django_capture_on_commit_callbacks
):
    # given a customer on a test clock with a monthly 24.00 subscription, the
    # clock then moved two months on. The anomaly holds are off: their
    # duplicate rule measures its 10-minute window in our time, not Stripe's,
    # and a clock replays three months in seconds (reported to mapping/).
    AnomalyPolicy.objects.update_or_create(
        integration=live_integration, defaults={"enabled": False}
    )
    clock = sc.v1.test_helpers.test_clocks.create(
        params={"frozen_time": 1_769_817_600}  # 2026-01-31
    )
    customer = sc.v1.customers.create(
        params={
            "email": f"clock-{uuid.uuid4().hex[:8]}@example.com",
            "test_clock": clock.id,
        }
    ).id
    price = sc.v1.prices.create(
        params={
            "currency": "usd",
            "unit_amount": 2400,
            "recurring": {"interval": "month"},
            "product_data": {"name": "Seat"},
        }
    )
    sub = sc.v1.subscriptions.create(
        params={
            "customer": customer,
            "items": [{"price": price.id}],
            "default_payment_method": "pm_card_visa",
        }
    )
    sc.v1.test_helpers.test_clocks.advance(
        clock.id,
        params={"frozen_time": 1_775_001_600},  # 2026-04-01
    )
    stripe_invoices = sc.v1.invoices.list(params={"subscription": sub.id}).data

    # when the events reach the portal, then all again
    _forward(live_integration, django_capture_on_commit_callbacks)
    _forward(live_integration, django_capture_on_commit_callbacks, suffix="_again")

    # then three ERP invoices of 24.00, each closed by one payment
    problems = [
        (r.operation, r.stripe_id, r.status, r.error_message)
        for r in SyncRecord.objects.filter(integration=live_integration)
        if r.status != SyncRecord.Status.SUCCEEDED
    ]
    assert problems == []
    state = erp_state()
    ours = {i.id for i in stripe_invoices}
    invoices = [row for row in state["invoices"] if row.get(_PO[erp_kind]) in ours]
    assert len(ours) == len(invoices) == 3
    assert {
        (_money(row[_VALUE[erp_kind]]), _balance(erp_kind, state, row))
        for row in invoices
    } == {(Decimal("24.00"), 0)}
    assert sum(_references(state["payments"]).values()) == 3
    assert _references(state["sales_orders"]) == Counter()
