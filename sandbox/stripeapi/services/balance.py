"""Balance transactions, fees, the balance and payouts.

Funds are available as soon as they land (`available_on` = `created`), so
the balance has no pending part and a payout can follow a charge at once.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q, Sum

from portal.money import exponent

from ..errors import StripeApiError
from ..models import ApiObject
from ..params import metadata_apply
from .core import event_emit, new_id, now_ts, object_create

Kind = ApiObject.Kind

# Card processing is 2.9 % + a fixed part; the fixed part and the dispute fee
# are Stripe's US figures (30 ¢, $15) carried over to currencies with other
# exponents at a similar value (¥40 / ¥2000, 0.100 / 5.000 KWD).
_FIXED_FEE = {0: 40, 2: 30, 3: 100}
_DISPUTE_FEE = {0: 2000, 2: 1500, 3: 5000}


def processing_fee(*, amount: int, currency: str) -> int:
    percent = (amount * 29 + 500) // 1000  # 2.9 %, rounded half up
    return percent + _FIXED_FEE[exponent(currency)]


def dispute_fee(*, currency: str) -> int:
    return _DISPUTE_FEE[exponent(currency)]


def balance_transaction_create(
    *,
    amount: int,
    currency: str,
    source: str,
    type: str,  # noqa: A002 - Stripe's field name
    reporting_category: str,
    description: str | None = None,
    fee: int = 0,
    fee_description: str = "Stripe processing fees",
) -> dict[str, Any]:
    created = now_ts()
    fee_details = (
        [
            {
                "amount": fee,
                "application": None,
                "currency": currency,
                "description": fee_description,
                "type": "stripe_fee",
            }
        ]
        if fee
        else []
    )
    data = {
        "id": new_id("txn"),
        "object": "balance_transaction",
        "amount": amount,
        "available_on": created,
        "balance_type": "payments",
        "created": created,
        "currency": currency,
        "description": description,
        "exchange_rate": None,
        "fee": fee,
        "fee_details": fee_details,
        "net": amount - fee,
        "reporting_category": reporting_category,
        "source": source,
        "status": "available",
        "type": type,
    }
    object_create(
        kind=Kind.BALANCE_TRANSACTION,
        data=data,
        parent=source,
        currency=currency,
        net=data["net"],
    )
    return data


def _available(currency: str) -> int:
    total = ApiObject.objects.filter(
        kind=Kind.BALANCE_TRANSACTION, currency=currency
    ).aggregate(total=Sum("net"))["total"]
    return int(total or 0)


def balance_get() -> dict[str, Any]:
    rows = (
        ApiObject.objects.filter(kind=Kind.BALANCE_TRANSACTION)
        .values("currency")
        .annotate(total=Sum("net"))
        .order_by("currency")
    )
    available = [
        {
            "amount": int(row["total"] or 0),
            "currency": row["currency"],
            "source_types": {"card": int(row["total"] or 0)},
        }
        for row in rows
    ] or [{"amount": 0, "currency": "usd", "source_types": {"card": 0}}]
    return {
        "object": "balance",
        "available": available,
        "livemode": False,
        "pending": [
            {"amount": 0, "currency": row["currency"], "source_types": {"card": 0}}
            for row in available
        ],
    }


def _payout_data(
    *,
    amount: int,
    currency: str,
    automatic: bool,
    description: str | None,
    metadata: dict[str, str],
) -> dict[str, Any]:
    created = now_ts()
    return {
        "id": new_id("po"),
        "object": "payout",
        "amount": amount,
        "application_fee": None,
        "application_fee_amount": None,
        "arrival_date": created,
        "automatic": automatic,
        "balance_transaction": None,
        "created": created,
        "currency": currency,
        "description": description or "STRIPE PAYOUT",
        "destination": "ba_sandbox_bank_account",
        "failure_balance_transaction": None,
        "failure_code": None,
        "failure_message": None,
        "livemode": False,
        "metadata": metadata,
        "method": "standard",
        "original_payout": None,
        "payout_method": None,
        # Stripe only reconciles automatic payouts to their transactions.
        "reconciliation_status": "completed" if automatic else "not_applicable",
        "reversed_by": None,
        "source_type": "card",
        "statement_descriptor": None,
        "status": "pending",
        "trace_id": {"status": "supported", "value": None},
        "type": "bank_account",
    }


def _payout_book(payout: dict[str, Any]) -> ApiObject:
    """Write the payout's own balance transaction, store it, emit its events."""
    bt = balance_transaction_create(
        amount=-payout["amount"],
        currency=payout["currency"],
        source=payout["id"],
        type="payout",
        reporting_category="payout",
        description=payout["description"],
    )
    payout["balance_transaction"] = bt["id"]
    event_emit(type="payout.created", obj=payout)
    payout["status"] = "paid"
    obj = object_create(kind=Kind.PAYOUT, data=payout, currency=payout["currency"])
    event_emit(type="payout.paid", obj=payout)
    return obj


def payout_create(
    *,
    amount: int,
    currency: str,
    description: str | None,
    metadata: dict[str, str] | None,
) -> dict[str, Any]:
    """A manual payout, paid at once; refused beyond the available balance."""
    with transaction.atomic():
        available = _available(currency)
        if amount > available:
            raise StripeApiError(
                "You have insufficient funds in your Stripe account for this "
                f"transfer. Your card balance is too low ({available} {currency} "
                "available).",
                code="balance_insufficient",
                param="amount",
            )
        payout = _payout_data(
            amount=amount,
            currency=currency,
            automatic=False,
            description=description,
            metadata=metadata_apply({}, metadata),
        )
        _payout_book(payout)
    return payout


def payout_run_automatic(*, currency: str | None = None) -> list[dict[str, Any]]:
    """Pay out each currency's whole available balance as an automatic payout.

    Every balance transaction not yet in a payout (charges, refunds, disputes,
    manual payouts …) is linked to the new payout together with the payout's
    own transaction, so `GET /v1/balance_transactions?payout=` sums to zero.
    """
    payouts = []
    with transaction.atomic():
        unpaid = ApiObject.objects.select_for_update().filter(
            kind=Kind.BALANCE_TRANSACTION, payout=""
        )
        if currency:
            unpaid = unpaid.filter(currency=currency)
        # Lock and sum in Python: PostgreSQL refuses FOR UPDATE with aggregates.
        by_currency: dict[str, list[tuple[int, int]]] = {}
        for pk, code, net in unpaid.values_list("id", "currency", "net"):
            by_currency.setdefault(code, []).append((pk, net or 0))
        for code, rows in sorted(by_currency.items()):
            amount = sum(net for _, net in rows)
            if amount <= 0:
                continue
            payout = _payout_data(
                amount=amount,
                currency=code,
                automatic=True,
                description=None,
                metadata={},
            )
            _payout_book(payout)
            ApiObject.objects.filter(
                Q(id__in=[pk for pk, _ in rows])
                | Q(
                    kind=Kind.BALANCE_TRANSACTION,
                    stripe_id=payout["balance_transaction"],
                )
            ).update(payout=payout["id"])
            payouts.append(payout)
    return payouts
