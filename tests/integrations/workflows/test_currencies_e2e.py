# ruff: noqa: F811 (pytest fixtures imported by name)
"""A customer paying in USD, EUR, JPY and KWD, end to end: the Stripe
sandbox's charges, refunds and disputes → webhooks → the real workflows →
the SYSPRO sandbox, or the real Sage Pro agent over generated DBF tables.

Each ERP customer keeps one currency (the SYSPRO sandbox refuses an order in
another currency than its customer's, SORTOI; the agent refuses a document
whose currid differs from arcust's), so every currency after the first is
booked to a per-currency account, made once and linked to the same Stripe
customer; every document is then compared with Stripe to the cent.
"""

import uuid
from decimal import Decimal

import pytest

from integrations import ledger
from integrations.erps import registry
from integrations.models import CustomerLink, SyncRecord, WebhookEvent
from portal.money import to_decimal
from sandbox.demo import check_erp
from tests.integrations.workflows.test_sandbox_e2e import (  # noqa: F401 (fixtures)
    _forward,
    erp_kind,
    erp_state,
    live_integration,
    sc,
)
from tests.sagepro_agent.test_order_to_cash import integration_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]

# The ERP's own names in its state: customer code, currency, document
# customer, reference and amount.
_NAMES = {
    "syspro": {
        "code": "code",
        "currency": "currency",
        "customer": "customer",
        "reference": "reference",
        "sales_orders": "order_value",
        "payments": "payment_value",
        "credit_notes": "invoice_value",
        "adjustments": "adjustment_value",
    },
    "sagepro": {
        "code": "custno",
        "currency": "currid",
        "customer": "custno",
        "reference": "reference",
        "sales_orders": "ordamt",
        "payments": "amount",
        "credit_notes": "amount",
        "adjustments": "amount",
    },
}

CHARGES = (("usd", 1999), ("eur", 1250), ("jpy", 5000), ("kwd", 12345))


def _pay(sc, customer: str, currency: str, amount: int, pm: str = "pm_card_visa"):
    return sc.v1.payment_intents.create(
        params={
            "amount": amount,
            "currency": currency,
            "payment_method": pm,
            "confirm": True,
            "customer": customer,
        }
    )


def _document(erp_kind: str, state: dict, collection: str, reference: str) -> dict:
    names = _NAMES[erp_kind]
    found = [
        row
        for row in state[collection]
        if reference
        in (
            row.get(names["reference"]),
            row.get("ponum"),
            row.get("customer_po_number"),
        )
    ]
    assert len(found) == 1, f"{len(found)} {collection} for {reference}"
    return found[0]


def _booked(erp_kind: str, state: dict, collection: str, reference: str):
    """(customer code, the customer's currency, amount) of one document."""
    names = _NAMES[erp_kind]
    row = _document(erp_kind, state, collection, reference)
    code = row[names["customer"]]
    [customer] = [c for c in state["customers"] if c[names["code"]] == code]
    # SYSPRO's sandbox lists a debit note (ARSTIN "D") among the adjustments.
    amount = row.get(names[collection], row.get("invoice_value"))
    return code, customer[names["currency"]], Decimal(str(amount))


def test_a_customer_paying_in_four_currencies_books_each_to_its_own_account(
    erp_kind, live_integration, erp_state, sc, django_capture_on_commit_callbacks
):
    # given a Stripe customer the ERP does not know, paying in four
    # currencies, with a refund in EUR and a dispute in JPY
    email = f"fx-{uuid.uuid4().hex[:8]}@example.com"
    customer = sc.v1.customers.create(
        params={"email": email, "name": "Harbour Cycles"}
    ).id
    intents = {
        currency: _pay(sc, customer, currency, amount) for currency, amount in CHARGES
    }
    refund = sc.v1.refunds.create(
        params={"payment_intent": intents["eur"].id, "amount": 450}
    )
    disputed = _pay(sc, customer, "jpy", 3000, pm="pm_card_createDispute")

    # when the events reach the portal, and a sweep finds them all again
    _forward(live_integration, django_capture_on_commit_callbacks)
    records = SyncRecord.objects.count()
    _forward(live_integration, django_capture_on_commit_callbacks, suffix="_again")

    # then everything posted, once
    problems = [
        (r.operation, r.stripe_id, r.status, r.error_message, r.hold_reason)
        for r in SyncRecord.objects.filter(integration=live_integration)
        if r.status != SyncRecord.Status.SUCCEEDED
    ]
    assert problems == [], "\n".join(map(str, problems))
    assert SyncRecord.objects.count() == records
    assert not WebhookEvent.objects.filter(status=WebhookEvent.Status.FAILED).exists()
    state = erp_state()
    names = _NAMES[erp_kind]
    # one ERP account per currency, all linked to the one Stripe customer
    links = {
        link.currency: link.erp_customer_code
        for link in CustomerLink.objects.filter(stripe_customer_id=customer)
    }
    assert set(links) == {"", "EUR", "JPY", "KWD"}
    accounts = {
        c[names["code"]]: c[names["currency"]]
        for c in state["customers"]
        if c[names["code"]] in links.values()
    }
    assert accounts == {
        links[""]: "USD",
        links["EUR"]: "EUR",
        links["JPY"]: "JPY",
        links["KWD"]: "KWD",
    }
    # each account has the Stripe customer's name (the payment intents name
    # their payer only by id)
    name = {"syspro": "name", "sagepro": "company"}[erp_kind]
    assert {
        c[name] for c in state["customers"] if c[names["code"]] in links.values()
    } == {"Harbour Cycles"}
    # each charge's order and payment: in its own account, to the cent
    for currency, amount in CHARGES:
        intent = intents[currency]
        charge_id = intent.latest_charge
        want = to_decimal(amount, currency)
        for collection in ("sales_orders", "payments"):
            code, held_in, got = _booked(erp_kind, state, collection, charge_id)
            assert held_in == currency.upper()
            assert code == links["" if currency == "usd" else currency.upper()]
            if currency == "kwd":
                # Both ERPs' amount fields hold two decimals here: the
                # document is rounded to the field with an explicit rounding
                # line (integrations/precision.py, option currency_precision).
                assert abs(got - want) <= Decimal("0.005"), (collection, got)
            else:
                assert got == want, (collection, currency, got, want)
    # the refund and the dispute went to the account of their charge
    code, held_in, got = _booked(erp_kind, state, "credit_notes", refund.id)
    assert (code, held_in, abs(got)) == (links["EUR"], "EUR", Decimal("4.50"))
    dispute = SyncRecord.objects.get(
        operation="post_adjustment", stripe_id__endswith=":withdrawn"
    )
    assert dispute.source["charge_id"] == disputed.latest_charge
    code, held_in, got = _booked(erp_kind, state, "adjustments", dispute.stripe_id)
    assert (code, held_in, abs(got)) == (links["JPY"], "JPY", Decimal("3000"))


def test_lost_replies_from_the_agent_make_one_account_per_currency(
    sagepro_agent_faulty, monkeypatch, sc, django_capture_on_commit_callbacks
):
    # given a customer paying in USD and EUR, and an agent that writes every
    # document and then loses its reply
    agent = sagepro_agent_faulty
    integration = integration_on(agent, monkeypatch)
    email = f"fx-lost-{uuid.uuid4().hex[:8]}@example.com"
    customer = sc.v1.customers.create(params={"email": email, "name": "Lost Fx"}).id
    _pay(sc, customer, "usd", 2599)
    _pay(sc, customer, "eur", 1000)
    agent.set_hooks(error_after_write_rate=1)
    _forward(integration, django_capture_on_commit_callbacks)

    # when the replies come back and the ledger retries until nothing waits
    agent.set_hooks()
    for _ in range(6):
        due = SyncRecord.objects.filter(
            integration=integration,
            status__in=[SyncRecord.Status.RETRYING, SyncRecord.Status.PENDING],
        )
        if not due.exists():
            break
        due.update(next_attempt_at=None)
        for record in due:
            with django_capture_on_commit_callbacks(execute=True):
                ledger.sync_record_run(record_id=record.pk, worker="w1")

    # then one Sage Pro customer per currency, each document once
    assert [
        (r.operation, r.stripe_id, r.status, r.error_message)
        for r in SyncRecord.objects.filter(integration=integration)
        if r.status != SyncRecord.Status.SUCCEEDED
    ] == []
    assert SyncRecord.objects.filter(integration=integration, attempts__gt=1).exists()
    books = agent.books()
    accounts = sorted(
        c["currid"] for c in books["customers"] if c["email"].lower() == email
    )
    assert accounts == ["EUR", "USD"]
    # the account made from a charge that named its payer only by id has the
    # Stripe customer's name
    assert {c["company"] for c in books["customers"] if c["email"] == email} == {
        "Lost Fx"
    }
    assert check_erp(sc, books) == []
    registry.close_all()
