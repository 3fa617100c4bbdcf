"""A Stripe API stand-in with the subset of `StripeApi` this app calls, and
builders of Stripe-shaped balance transactions, payouts and events."""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

_ids = itertools.count(1)


def next_id(prefix: str) -> str:
    return f"{prefix}_{next(_ids):08d}"


def bt(
    *,
    amount: int,
    fee: int = 0,
    category: str = "charge",
    source: str = "",
    currency: str = "usd",
    fee_details: list[dict] | None = None,
    exchange_rate: str | None = None,
    created: int = 1_700_000_000,
    available_on: int | None = None,
    id: str = "",
) -> dict[str, Any]:
    """A balance transaction shaped like Stripe's (see stripe-fixtures)."""
    if fee_details is None:
        fee_details = (
            [
                {
                    "amount": fee,
                    "currency": currency,
                    "type": "stripe_fee",
                    "description": "Stripe processing fees",
                    "application": None,
                }
            ]
            if fee
            else []
        )
    return {
        "id": id or next_id("txn"),
        "object": "balance_transaction",
        "amount": amount,
        "fee": fee,
        "net": amount - fee,
        "currency": currency,
        "exchange_rate": exchange_rate,
        "fee_details": fee_details,
        "reporting_category": category,
        "type": category,
        "source": source,
        "status": "available",
        "created": created,
        "available_on": available_on if available_on is not None else created,
        "description": "",
    }


def payout_obj(
    *,
    id: str = "",
    amount: int,
    currency: str = "usd",
    automatic: bool = True,
    status: str = "paid",
    created: int = 1_700_100_000,
    reconciliation_status: str = "completed",
) -> dict[str, Any]:
    return {
        "id": id or next_id("po"),
        "object": "payout",
        "amount": amount,
        "currency": currency,
        "automatic": automatic,
        "status": status,
        "created": created,
        "arrival_date": created + 86400,
        "balance_transaction": next_id("txn"),
        "reconciliation_status": reconciliation_status
        if automatic
        else "not_applicable",
        "method": "standard",
        "type": "bank_account",
    }


def event_obj(event_type: str, obj: dict, *, id: str = "", created: int = 0) -> dict:
    return {
        "id": id or next_id("evt"),
        "object": "event",
        "type": event_type,
        "api_version": "2025-03-31.basil",
        "created": created or obj.get("created") or 1_700_000_000,
        "livemode": False,
        "data": {"object": obj},
    }


@dataclass
class FakeStripe:
    """In-memory Stripe: pages lists like the real API (newest first)."""

    payout_transactions: dict[str, list[dict]] = field(default_factory=dict)
    balance_transactions: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    objects: dict[str, list[dict]] = field(default_factory=dict)
    page_size: int = 100
    calls: list[tuple[str, dict]] = field(default_factory=list)
    # Raise this after yielding `fail_after` objects of one list call.
    fail_after: int | None = None
    failure: Exception | None = None

    def _page(self, items: list[dict], name: str, kwargs: dict) -> Iterator[dict]:
        self.calls.append((name, kwargs))
        for index, item in enumerate(items):
            if self.fail_after is not None and index >= self.fail_after:
                error, self.fail_after = self.failure or RuntimeError("boom"), None
                raise error
            yield item

    def list_balance_transactions(self, *, payout: str | None = None, **kwargs):
        if payout is not None:
            return self._page(
                self.payout_transactions.get(payout, []), "bt", {"payout": payout}
            )
        gte = kwargs.get("created_gte", 0)
        lte = kwargs.get("created_lte", 2**62)
        items = [b for b in self.balance_transactions if gte <= b["created"] <= lte]
        return self._page(items, "bt", kwargs)

    def list_events(self, *, delivery_success: bool | None = None, created_gte=0):
        items = [
            e
            for e in self.events
            if e["created"] >= created_gte
            and (delivery_success is None or e.get("_delivered") == delivery_success)
        ]
        return self._page(
            [{k: v for k, v in e.items() if k != "_delivered"} for e in items],
            "events",
            {"delivery_success": delivery_success},
        )

    def _list(self, kind: str, kwargs: dict) -> Iterator[dict]:
        gte = kwargs.get("created_gte", 0)
        lte = kwargs.get("created_lte") or 2**62
        items = sorted(
            (o for o in self.objects.get(kind, []) if gte <= o["created"] <= lte),
            key=lambda o: (-o["created"], o["id"]),
        )
        after = kwargs.get("starting_after")
        if after:
            ids = [o["id"] for o in items]
            items = items[ids.index(after) + 1 :] if after in ids else items
        return self._page(items, kind, kwargs)

    def list_charges(self, **kwargs):
        return self._list("charges", kwargs)

    def list_refunds(self, **kwargs):
        return self._list("refunds", kwargs)

    def list_disputes(self, **kwargs):
        return self._list("disputes", kwargs)

    def list_payouts(self, **kwargs):
        return self._list("payouts", kwargs)
