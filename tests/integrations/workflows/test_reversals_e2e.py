"""Reversing postings end to end: Stripe sandbox activity → the real workflows,
ledger and connectors → the SYSPRO sandbox and the real Sage Pro agent; then
each posting reversed from the ledger, and the ERP read back.

The checks are on the ERP's own documents: one reversing document per
reversed record, carrying `<original reference>:rev`, and what the customer
owes (and each GL account) back to exactly what it was, to the cent.
"""

import json
import uuid
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
import requests
import stripe
from django.conf import settings
from django.contrib.auth import get_user_model

from integrations import ledger
from integrations.canonical import Journal, JournalLine, to_source
from integrations.connectors import http
from integrations.erps import registry
from integrations.intake import webhook_event_store
from integrations.models import Connection, SyncRecord
from integrations.workflows import Plan, PlannedRecord
from integrations.workflows.reversals import ReversalRefused
from portal.outbound import GuardedHTTPAdapter
from sandbox.faults import faults_set
from sandbox.stripeapi.models import Event
from tests.factories import IntegrationFactory
from tests.support.wsgi import wsgi_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]

HOST = "http://testserver"
SYSPRO_URL = f"{HOST}/sandbox/syspro/SYSPROWCFService/Rest"
Status = SyncRecord.Status


def _stripe_in_process_agent_over_loopback(connection: Connection):
    if connection.kind == Connection.Kind.STRIPE:
        return wsgi_session(HOST)
    session = requests.Session()
    session.mount("http://", GuardedHTTPAdapter(max_retries=0))
    return session


@pytest.fixture(params=["syspro", "sagepro"])
def erp_kind(request):
    return request.param


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
def erp_state(erp_kind, request):
    """What the ERP holds now: the SYSPRO sandbox's `_state`, or the agent's
    DBF files read back."""
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
def sc() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.SANDBOX_STRIPE_API_KEY,
        base_addresses={"api": f"{HOST}/sandbox/stripe"},
        http_client=stripe.RequestsClient(session=wsgi_session(HOST)),
        max_network_retries=0,
    )


@pytest.fixture
def staff():
    return get_user_model().objects.create_user(
        "finance-anna", password="x", is_staff=True
    )


def _forward(integration, capture) -> None:
    for event in Event.objects.order_by("id"):
        with capture(execute=True):
            webhook_event_store(
                integration=integration,
                data=event.data,
                body=json.dumps(event.data),
                source="webhook",
            )


def _money(value) -> Decimal:
    return Decimal(str(value))


def _owed(erp_kind: str, state: dict, customer: str) -> Decimal:
    """What the customer owes in the ERP's books.

    SYSPRO's sandbox posts as it is sent: the open balances of the customer's
    invoices and notes, less the cash not applied to any. The agent writes
    open documents for Sage Pro to post: invoices, less receipts and credit
    memos, less adjustments by their sign (positive lowers what is owed, as
    a payment does).
    """
    if erp_kind == "syspro":
        documents = [
            *state["invoices"],
            *state["credit_notes"],
            *[row for row in state["adjustments"] if "balance" in row],
        ]
        return sum(
            (
                _money(row["balance"])
                for row in documents
                if row["customer"] == customer and not row["posted_to"]
            ),
            Decimal(0),
        ) - sum(
            (
                _money(row["unapplied_value"])
                for row in state["payments"]
                if row["customer"] == customer
            ),
            Decimal(0),
        )

    def total(rows: list[dict], field: str) -> Decimal:
        return sum(
            (_money(row[field]) for row in rows if row["custno"] == customer),
            Decimal(0),
        )

    return (
        total(state["invoices"], "invamt")
        - total(state["payments"], "amount")
        - total(state["credit_notes"], "amount")
        - total(state["adjustments"], "amount")
    )


def _references(state: dict) -> Counter:
    """Every AR document by the reference it carries."""
    rows = [
        *state["invoices"],
        *state["payments"],
        *state["credit_notes"],
        *state["adjustments"],
    ]
    return Counter(str(row.get("reference") or "") for row in rows)


def _reverse(record: SyncRecord, actor, capture) -> SyncRecord:
    with capture(execute=True):
        reversal, created = ledger.sync_record_reverse(
            record=record, actor=actor, reason="booked in error"
        )
    assert created
    reversal.refresh_from_db()
    assert reversal.status == Status.SUCCEEDED, reversal.error_message
    return reversal


def test_charges_refunds_and_disputes_reversed_leave_the_customer_owing_nothing(
    erp_kind, live_integration, erp_state, sc, staff, django_capture_on_commit_callbacks
):
    # given a customer with two card payments, a partial refund and a dispute
    # booked in the ERP
    customer = sc.v1.customers.create(
        params={"email": f"rev-{uuid.uuid4().hex[:8]}@example.com", "name": "Rev Co"}
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
    _forward(live_integration, django_capture_on_commit_callbacks)
    records = SyncRecord.objects.filter(integration=live_integration)
    problems = [
        (r.operation, r.status, r.error_message)
        for r in records
        if r.status != Status.SUCCEEDED
    ]
    assert not problems, "\n".join(map(str, problems))
    (code,) = set(
        records.filter(operation="upsert_customer").values_list(
            "erp_reference", flat=True
        )
    )
    assert _owed(erp_kind, erp_state(), code) == Decimal("-55.00")

    # when a customer upsert or a sales order is asked to be reversed
    for operation in ("upsert_customer", "create_sales_order"):
        with pytest.raises(ReversalRefused) as refused:
            ledger.sync_record_reverse(
                record=records.filter(operation=operation).first(),
                actor=staff,
                reason="x",
            )
        # then it is refused with the reason, and nothing is planned
        assert "not a posting" in refused.value.message
    # and a payment with a refund booked on top of it must wait for that one
    refunded_payment = records.get(
        operation="post_payment", stripe_id__in=_charges(sc, paid.id)
    )
    with pytest.raises(ReversalRefused, match="reverse it first"):
        ledger.sync_record_reverse(
            record=refunded_payment, actor=staff, reason="booked in error"
        )
    assert not records.filter(reverses__isnull=False).exists()

    # when the credit note, the dispute's adjustment and both payments are
    # reversed, dependents first
    originals = [
        records.get(operation="post_credit_note"),
        records.get(operation="post_adjustment"),
        *records.filter(operation="post_payment").order_by("pk"),
    ]
    reversals = [
        _reverse(original, staff, django_capture_on_commit_callbacks)
        for original in originals
    ]

    # then each reversal is one ERP document under its own reference, linked
    # to its original, and the customer owes exactly what they owed before
    # any of it: nothing
    state = erp_state()
    references = _references(state)
    for original, reversal in zip(originals, reversals, strict=True):
        assert reversal.reverses_id == original.pk
        assert reversal.stripe_id == f"{original.stripe_id}:rev"
        assert reversal.operation == "post_adjustment"
        assert references[reversal.stripe_id] == 1
        assert references[original.stripe_id] == 1
    assert _owed(erp_kind, state, code) == Decimal("0.00")

    # and asking again (a double click, a second person) makes nothing more
    for original, reversal in zip(originals, reversals, strict=True):
        with django_capture_on_commit_callbacks(execute=True):
            again, created = ledger.sync_record_reverse(
                record=original, actor=staff, reason="again"
            )
        assert (again.pk, created) == (reversal.pk, False)
    assert _references(erp_state()) == references
    # and a reversal is not reversed in its turn
    with pytest.raises(ReversalRefused, match="itself the reversal"):
        ledger.sync_record_reverse(record=reversals[0], actor=staff, reason="x")


def _charges(sc, payment_intent_id: str) -> list[str]:
    return [sc.v1.payment_intents.retrieve(payment_intent_id).latest_charge]


def test_a_paid_invoice_reversed_is_credited_against_itself_and_owes_nothing(
    erp_kind, live_integration, erp_state, sc, staff, django_capture_on_commit_callbacks
):
    # given a Stripe invoice of 72.00, paid: an ERP invoice and its payment
    customer = sc.v1.customers.create(
        params={"email": f"inv-{uuid.uuid4().hex[:8]}@example.com", "name": "Inv Co"}
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
    _forward(live_integration, django_capture_on_commit_callbacks)
    records = SyncRecord.objects.filter(integration=live_integration)
    assert [r for r in records if r.status != Status.SUCCEEDED] == []
    erp_invoice = records.get(operation="create_invoice")
    payment = records.get(operation="post_payment")
    (code,) = set(
        records.filter(operation="upsert_customer").values_list(
            "erp_reference", flat=True
        )
    )
    assert _owed(erp_kind, erp_state(), code) == Decimal("0.00")

    # when the invoice is reversed before its payment, it is refused
    with pytest.raises(ReversalRefused, match="reverse it first"):
        ledger.sync_record_reverse(record=erp_invoice, actor=staff, reason="x")
    # when the payment is reversed, the customer owes the invoice again
    payment_reversal = _reverse(payment, staff, django_capture_on_commit_callbacks)
    assert _owed(erp_kind, erp_state(), code) == Decimal("72.00")
    # and when the invoice is reversed, by a credit note against it
    credit = _reverse(erp_invoice, staff, django_capture_on_commit_callbacks)

    # then the ERP holds one credit note of 72.00 on that invoice and the
    # customer owes nothing, to the cent
    state = erp_state()
    assert credit.operation == "post_credit_note"
    assert payment_reversal.operation == "post_adjustment"
    notes = [
        row for row in state["credit_notes"] if row["reference"] == credit.stripe_id
    ]
    assert len(notes) == 1
    if erp_kind == "syspro":
        assert notes[0]["posted_to"] == erp_invoice.erp_reference
        assert _money(notes[0]["invoice_value"]) == Decimal("-72.00")
    else:
        assert notes[0]["invno"] == erp_invoice.erp_reference
        assert _money(notes[0]["amount"]) == Decimal("72.00")
    assert _references(state)[payment_reversal.stripe_id] == 1
    assert _owed(erp_kind, state, code) == Decimal("0.00")


def test_a_gl_journal_is_reversed_by_the_same_lines_swapped(
    erp_kind, live_integration, erp_state, staff, django_capture_on_commit_callbacks
):
    # given a payout's journal posted to the GL
    journal = Journal(
        stripe_id="po_1RevJournalTest0001",
        currency="USD",
        created=1_767_225_600,
        description="Stripe payout po_1RevJournalTest0001",
        lines=(
            JournalLine(account="1010", amount=9_412, description="Payout"),
            JournalLine(account="6210", amount=588, description="Stripe fees"),
            JournalLine(account="1090", amount=-10_000, description="Charges"),
        ),
    )
    plan = Plan(
        records=(
            PlannedRecord(
                key=f"{journal.stripe_id}:journal",
                operation="post_journal",
                stripe_id=journal.stripe_id,
                source=to_source(journal),
            ),
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        (original,) = ledger.sync_records_plan(
            integration=live_integration, event=None, plan=plan
        )
    original.refresh_from_db()
    assert original.status == Status.SUCCEEDED, original.error_message

    # when it is reversed
    reversal = _reverse(original, staff, django_capture_on_commit_callbacks)

    # then the GL holds the reversing journal once, balanced, and every
    # account nets to zero across the two
    journals = erp_state()["journals"]
    references = Counter(row["reference"] for row in journals)
    assert references[journal.stripe_id] == 1
    assert references[reversal.stripe_id] == 1
    by_account: dict[str, Decimal] = defaultdict(Decimal)
    for row in journals:
        if row["reference"] not in (journal.stripe_id, reversal.stripe_id):
            continue
        assert sum((_money(line["amount"]) for line in row["lines"]), Decimal(0)) == 0
        for line in row["lines"]:
            by_account[str(line.get("ledger_code") or line.get("account")).strip()] += (
                _money(line["amount"])
            )
    assert dict(by_account) == {"1010": 0, "6210": 0, "1090": 0}
    assert reversal.source["lines"][0]["amount"] == -9_412


def test_a_reversal_whose_reply_the_agent_lost_is_adopted_not_written_twice(
    sagepro_agent_faulty, monkeypatch, sc, staff, django_capture_on_commit_callbacks
):
    # given a card payment booked through the Sage Pro agent
    agent = sagepro_agent_faulty
    registry.close_all()
    monkeypatch.setattr(http, "SESSION_FACTORY", _stripe_in_process_agent_over_loopback)
    integration = IntegrationFactory(
        stripe_connection__base_url=f"{HOST}/sandbox/stripe",
        stripe_connection__secrets={"api_key": settings.SANDBOX_STRIPE_API_KEY},
        erp_connection__kind=Connection.Kind.SAGEPRO,
        erp_connection__base_url=agent.base_url,
        erp_connection__secrets={"api_key": agent.key},
    )
    customer = sc.v1.customers.create(
        params={"email": f"lost-{uuid.uuid4().hex[:8]}@example.com", "name": "Lost"}
    ).id
    sc.v1.payment_intents.create(
        params={
            "amount": 2599,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
            "customer": customer,
        }
    )
    _forward(integration, django_capture_on_commit_callbacks)
    payment = SyncRecord.objects.get(integration=integration, operation="post_payment")
    assert payment.status == Status.SUCCEEDED, payment.error_message

    # when the agent writes the reversing memo and its reply is lost
    agent.set_hooks(lose_reply_next=1)
    with django_capture_on_commit_callbacks(execute=True):
        reversal, _ = ledger.sync_record_reverse(
            record=payment, actor=staff, reason="lost reply"
        )
    agent.set_hooks()
    reversal.refresh_from_db()
    assert reversal.status == Status.RETRYING, reversal.error_message
    # and the retry comes due (a retried task runs it twice)
    SyncRecord.objects.filter(pk=reversal.pk).update(next_attempt_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        ledger.sync_record_run(record_id=reversal.pk)
        ledger.sync_record_run(record_id=reversal.pk)

    # then the agent holds one reversing memo, which the retry adopted
    reversal.refresh_from_db()
    assert reversal.status == Status.SUCCEEDED
    books = agent.books()
    memos = [m for m in books["adjustments"] if m["reference"] == reversal.stripe_id]
    assert len(memos) == 1
    assert _money(memos[0]["amount"]) == Decimal("-25.99")
    assert reversal.erp_reference == str(memos[0]["memono"]).strip()
    registry.close_all()


@pytest.mark.parametrize("erp_kind", ["syspro"])
def test_a_reversal_whose_reply_syspro_lost_is_found_by_its_reference(
    erp_kind, live_integration, erp_state, sc, staff, django_capture_on_commit_callbacks
):
    # given a card payment booked in SYSPRO
    customer = sc.v1.customers.create(
        params={"email": f"lost-{uuid.uuid4().hex[:8]}@example.com", "name": "Lost"}
    ).id
    sc.v1.payment_intents.create(
        params={
            "amount": 1250,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
            "customer": customer,
        }
    )
    _forward(live_integration, django_capture_on_commit_callbacks)
    payment = SyncRecord.objects.get(
        integration=live_integration, operation="post_payment"
    )

    # when SYSPRO commits the reversing note and the reply is lost (502)
    faults_set("syspro", error_after_write_rate=1)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            reversal, _ = ledger.sync_record_reverse(
                record=payment, actor=staff, reason="lost reply"
            )
    finally:
        faults_set("syspro", error_after_write_rate=0)
    reversal.refresh_from_db()
    assert reversal.status == Status.RETRYING, reversal.error_message
    SyncRecord.objects.filter(pk=reversal.pk).update(next_attempt_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        ledger.sync_record_run(record_id=reversal.pk)

    # then ARSQRY found it by its reference: one document, nothing owed
    reversal.refresh_from_db()
    assert reversal.status == Status.SUCCEEDED
    state = erp_state()
    assert _references(state)[reversal.stripe_id] == 1
    (code,) = {
        row["customer"]
        for row in state["payments"]
        if row["reference"] == payment.stripe_id
    }
    assert _owed(erp_kind, state, code) == Decimal("0.00")
