"""A realistic small day on the sandboxes, and the check that the ERP got it right.

`drive_day` uses the official Stripe SDK against the Stripe sandbox, exactly as
a shop would: customers, card payments in two currencies (one zero-decimal),
partial and full refunds, a declined card, a dispute, then an automatic
payout. `check_erp` compares the ERP sandbox's `_state` with what Stripe
holds, document by document: nothing missing, nothing twice, not a cent off.
"""

import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests
import stripe
from django.db.models import Count

from integrations.models import Integration, SyncRecord, WebhookEvent
from portal.money import to_decimal
from sandbox.sagepro_books import books_read

FIRST = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Margaret",
    "Ken",
    "Frances",
    "Linus",
]
LAST = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Hamilton",
    "Thompson",
]
CITIES = [
    ("Cape Town", "WC", "8001", "ZA"),
    ("Austin", "TX", "73301", "US"),
    ("Berlin", "BE", "10115", "DE"),
]

# The company id of the tables the demo generates for the Sage Pro agent.
SAGEPRO_COMPANY = "01"
# Its home currency (the agent's --currency default).
SAGEPRO_HOME_CURRENCY = "usd"

# A Stripe object id (ch_…, re_…, po_…), the reference the portal writes.
STRIPE_ID = re.compile(r"^[a-z]{2,4}_[A-Za-z0-9]")

# Candidate amount keys in the ERP sandboxes' `_state` documents.
AMOUNT_KEYS = (
    "amount",
    "order_value",
    "ordamt",
    "payment_value",
    "invoice_value",
    "invamt",
    "adjustment_value",
)


@dataclass
class DayResult:
    customers: int = 0
    payments: int = 0
    declined: int = 0
    refunds: int = 0
    disputes: int = 0
    payouts: list[str] = field(default_factory=list)


def stripe_client(config: dict) -> stripe.StripeClient:
    return stripe.StripeClient(
        config["stripe"]["api_key"],
        base_addresses={"api": config["stripe"]["api_base"]},
        max_network_retries=2,
    )


def drive_day(
    client: stripe.StripeClient,
    *,
    customers: int = 24,
    seed: int = 7,
    log: Callable[[str], None] = print,
) -> DayResult:
    rng = random.Random(seed)
    result = DayResult()
    charges: list[tuple[str, int]] = []
    for n in range(customers):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        city, state, postal, country = rng.choice(CITIES)
        customer = client.v1.customers.create(
            params={
                "name": f"{first} {last}",
                "email": f"{first}.{last}.{n}@example.com".lower(),
                "phone": f"+1 512 555 {1000 + n:04d}",
                "address": {
                    "line1": f"{10 + n} Main Street",
                    "city": city,
                    "state": state,
                    "postal_code": postal,
                    "country": country,
                },
                "metadata": {"segment": rng.choice(["retail", "wholesale"])},
            }
        )
        result.customers += 1
        # A customer buys in one currency, as the ERP customer master requires.
        currency = rng.choice(["usd", "usd", "eur", "jpy"])
        for _ in range(rng.choice([1, 1, 2])):
            amount = {
                "usd": rng.randint(500, 250_00),
                "eur": rng.randint(500, 120_00),
                "jpy": rng.randint(300, 40_000),
            }[currency]
            intent = client.v1.payment_intents.create(
                params={
                    "amount": amount,
                    "currency": currency,
                    "customer": customer.id,
                    "payment_method": "pm_card_visa",
                    "confirm": True,
                    "description": f"Order {n}-{result.payments}",
                    "metadata": {"demo_order": f"{n}-{result.payments}"},
                }
            )
            result.payments += 1
            charges.append((intent.latest_charge, amount))
    # A declined card leaves no trace in the ERP.
    try:
        client.v1.payment_intents.create(
            params={
                "amount": 4200,
                "currency": "usd",
                "payment_method": "pm_card_chargeDeclined",
                "confirm": True,
            }
        )
    except stripe.CardError:
        result.declined += 1
    # Refunds: a few partial (one charge twice), a few full.
    for charge_id, amount in rng.sample(charges, k=min(6, len(charges))):
        if rng.random() < 0.5:
            client.v1.refunds.create(params={"charge": charge_id})
            result.refunds += 1
        else:
            part = max(1, amount // 4)
            client.v1.refunds.create(params={"charge": charge_id, "amount": part})
            client.v1.refunds.create(params={"charge": charge_id, "amount": part})
            result.refunds += 2
    # One payment that the cardholder disputes.
    disputed = client.v1.customers.create(
        params={"name": "Dana Dispute", "email": "dana@example.com"}
    )
    client.v1.payment_intents.create(
        params={
            "amount": 7500,
            "currency": "usd",
            "customer": disputed.id,
            "payment_method": "pm_card_createDispute",
            "confirm": True,
        }
    )
    result.payments += 1
    result.disputes += 1
    log(
        f"Stripe: {result.customers + 1} customers, {result.payments} payments, "
        f"{result.refunds} refunds, {result.declined} declined, "
        f"{result.disputes} dispute"
    )
    return result


def automatic_payouts(config: dict) -> list[dict]:
    """Pay the balances out. Against the Sage Pro agent, only the company's
    home currency: its GL is kept in that currency and the agent refuses a
    GL batch in another (400 on currid) rather than book JPY 15166 as
    USD 15166; the EUR and JPY sales still reach AR in the customers'
    currencies."""
    data = {"currency": SAGEPRO_HOME_CURRENCY} if config["erp"].get("data") else {}
    response = requests.post(
        f"{config['stripe']['api_base']}/v1/test_helpers/payouts/automatic",
        headers={"Authorization": f"Bearer {config['stripe']['api_key']}"},
        data=data,
        timeout=30,
    )
    response.raise_for_status()
    body = response.json()
    return body.get("data", [body]) if isinstance(body, dict) else body


def erp_state(config: dict) -> dict:
    """What the ERP holds: the Sage Pro agent's DBF files read back, or the
    SYSPRO sandbox's `_state`."""
    if config["erp"].get("data"):
        return books_read(Path(config["erp"]["data"]), SAGEPRO_COMPANY)
    kind = config["erp"]["kind"]
    response = requests.get(
        f"{config['portal_url'].rstrip('/')}/sandbox/{kind}/_state",
        headers={"Authorization": f"Bearer {config['erp']['control_key']}"},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


def _all(pages: Any) -> list[dict]:
    return [
        item.to_dict() if hasattr(item, "to_dict") else dict(item)
        for item in pages.auto_paging_iter()
    ]


def _amount(document: dict) -> Decimal | None:
    for key in AMOUNT_KEYS:
        if document.get(key) not in (None, ""):
            return abs(Decimal(str(document[key])))
    return None


def _index(documents: Iterable[dict]) -> dict[str, list[dict]]:
    """Documents by their Stripe reference; the ERP's own documents (a
    generated Sage Pro company's open orders, PO-10696) are not Stripe's."""
    index: dict[str, list[dict]] = {}
    for document in documents:
        reference = str(document.get("reference") or document.get("ponum") or "")
        if STRIPE_ID.match(reference):
            index.setdefault(reference, []).append(document)
    return index


def check_erp(client: stripe.StripeClient, state: dict) -> list[str]:
    """Every problem found, in plain words; an empty list means the ERP is right."""
    problems: list[str] = []

    def expect(collection: str, reference: str, amount: int, currency: str) -> None:
        found = index[collection].get(reference, [])
        want = to_decimal(amount, currency)
        if not found:
            problems.append(
                f"missing in {collection}: {reference} ({want} {currency.upper()})"
            )
        elif len(found) > 1:
            problems.append(f"{len(found)} documents in {collection} for {reference}")
        elif (got := _amount(found[0])) is not None and got != want:
            problems.append(
                f"{collection} {reference}: ERP has {got}, "
                f"Stripe {want} {currency.upper()}"
            )

    index = {
        name: _index(state.get(name, []))
        for name in (
            "sales_orders",
            "payments",
            "credit_notes",
            "adjustments",
            "journals",
        )
    }
    expected: Counter[str] = Counter()
    for charge in _all(client.v1.charges.list(params={"limit": 100})):
        if charge["status"] != "succeeded":
            for name in ("sales_orders", "payments"):
                if charge["id"] in index[name]:
                    problems.append(f"a failed charge reached {name}: {charge['id']}")
            continue
        expected["sales_orders"] += 1
        expected["payments"] += 1
        expect("sales_orders", charge["id"], charge["amount"], charge["currency"])
        expect("payments", charge["id"], charge["amount"], charge["currency"])
    for refund in _all(client.v1.refunds.list(params={"limit": 100})):
        if refund["status"] == "succeeded":
            expected["credit_notes"] += 1
            expect("credit_notes", refund["id"], refund["amount"], refund["currency"])
    for dispute in _all(client.v1.disputes.list(params={"limit": 100})):
        expected["adjustments"] += 1
        expect(
            "adjustments",
            f"{dispute['id']}:withdrawn",
            dispute["amount"],
            dispute["currency"],
        )
    for payout in _all(client.v1.payouts.list(params={"limit": 100})):
        if payout["status"] != "paid" or not payout.get("automatic"):
            continue
        expected["journals"] += 1
        journals = index["journals"].get(payout["id"], [])
        if len(journals) != 1:
            problems.append(f"{len(journals)} journals for payout {payout['id']}")
            continue
        lines = journals[0].get("lines", [])
        total = sum(Decimal(str(line.get("amount", "0"))) for line in lines)
        if total != 0:
            problems.append(f"journal for {payout['id']} does not balance: {total}")
    for name, count in expected.items():
        extra = sum(len(docs) for ref, docs in index[name].items() if ref) - count
        if extra > 0:
            problems.append(f"{extra} unexpected document(s) in {name}")
    return problems


def wait_for_drain(
    integration_id: str, *, timeout: float, log: Callable[[str], None] = print
) -> dict[str, int]:
    """Wait until the portal has stored and processed everything Stripe sent."""
    integration = Integration.objects.get(uuid=integration_id)
    open_statuses = [
        SyncRecord.Status.PENDING,
        SyncRecord.Status.RUNNING,
        SyncRecord.Status.RETRYING,
    ]
    deadline = time.monotonic() + timeout
    quiet, last = 0, None
    while time.monotonic() < deadline:
        counts = {
            "events": WebhookEvent.objects.filter(integration=integration).count(),
            "unprocessed": WebhookEvent.objects.filter(
                integration=integration, status=WebhookEvent.Status.RECEIVED
            ).count(),
            "open_records": SyncRecord.objects.filter(
                integration=integration, status__in=open_statuses
            ).count(),
        }
        quiet = (
            quiet + 1
            if counts == last
            and not counts["unprocessed"]
            and not counts["open_records"]
            else 0
        )
        if quiet >= 3:
            return counts
        last = counts
        time.sleep(1)
    log(f"still busy after {timeout:.0f} s: {last}")
    return last or {}


def ledger_summary(integration_id: str) -> dict[str, int]:
    rows = (
        SyncRecord.objects.filter(integration__uuid=integration_id)
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}
