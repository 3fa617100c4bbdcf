"""Anomaly holds: reasons to stop a ledger record for review before it posts.

The ledger calls `anomaly_check` for orders, payments, credit notes and
invoices that finance staff have not released. Rules (each switchable per
integration in `AnomalyPolicy`):

- amount outlier: on a log scale (a ratio, so cents, yen and fils compare
  alike), the amount is far from the same customer's earlier amounts in the
  currency, both by robust z-score (median and MAD of the logs, or the
  spread of the side it lies on when wider) and beyond the range those
  amounts span by more than `RANGE_FACTOR`. A customer with fewer than
  `CUSTOMER_HISTORY` earlier amounts is measured with the spread the
  integration's other customers show (`pooled_spread`); one with none, or
  where too few customers have history, against the integration's latest
  amounts in the currency, where only what is ten times beyond anything
  seen is held;
- duplicate charge: an earlier record of the same operation, customer, amount
  and currency was created within the window;
- refund excess: a credit note above what remains of its charge, in the
  charge's currency;
- currency mismatch: the record's currency differs from the ERP customer's.

History is the ledger itself: SyncRecord rows of the same integration, found
by the customer_key, amount and currency copied onto each record when it is
planned (integrations.operations.history_columns): the Stripe customer of the
upsert_customer record it depends on, else the ERP customer code its source
names. The rules proper (`amount_reasons`, `refund_excess_reason`) take that
history as plain values, so bench/anomaly.py replays a stream through the very
functions the ledger calls.
"""

import logging
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.cache import cache

from integrations.connectors.errors import ConnectorError
from integrations.currency_accounts import (
    CONVERT,
    HOLD,
    PER_CURRENCY_ACCOUNT,
    POLICY_OPTION,
    currency_policy,
)
from integrations.erps.registry import connector_for, erp_package
from integrations.models import SyncRecord
from integrations.operations import history_columns
from portal.money import exponent, to_decimal

from .models import AnomalyPolicy
from .services import anomaly_policy_ensure

logger = logging.getLogger(__name__)

AMOUNT_OPERATIONS = ("create_sales_order", "post_payment", "create_invoice")
HISTORY_LIMIT = 200
# Earlier amounts of the customer (same currency) before its own history is
# the yardstick; with fewer, the integration's amounts are.
CUSTOMER_HISTORY = 20
# The integration's latest amounts in the currency that stand in for a
# customer with little history; cached, as the query reads across customers.
INTEGRATION_HISTORY = 500
INTEGRATION_CACHE_SECONDS = 300
# How long the ERP customer's currency is kept once read (or once created).
CUSTOMER_CURRENCY_SECONDS = 600
# An amount is held only beyond the range of the history (its second
# smallest and second largest amounts once there are ten or more, so one
# earlier outlier does not widen it) by more than this factor, and with a
# robust z-score of its log above the policy's threshold. RANGE_FACTOR,
# POOLED_QUANTILE and RECOMMENDED_THRESHOLD were chosen with
# `bench/anomaly.py --tune` on its development seed.
RANGE_FACTOR = 3.0
# AnomalyPolicy.outlier_threshold is the figure the rule uses; this is its
# model default.
RECOMMENDED_THRESHOLD = 4.0
# The integration's amounts mix customers: only an amount ten times beyond
# everything it has seen (in either direction) stands out there.
INTEGRATION_RANGE_FACTOR = 10.0
# Smallest spread of the logs: a customer who always pays the same price
# (MAD 0) is not held for a plan change within the range factor.
SPREAD_FLOOR = math.log(1.25)
# A customer with a few amounts is measured with the spread of the
# integration's customers that have POOLED_MIN_AMOUNTS or more among its
# latest amounts, when there are POOLED_MIN_CUSTOMERS of them.
POOLED_MIN_AMOUNTS = 5
POOLED_MIN_CUSTOMERS = 10
# The bar for a customer with a few amounts: the z that this share of the
# integration's customers' own amounts stay under (never below the policy's).
POOLED_QUANTILE = 0.97
# The percentile (from either end) that measures the spread of one side, and
# how much wider than the overall spread it must be to count instead.
SIDE_QUANTILE = 0.1
SIDE_WIDER = 1.25
_LN10 = math.log(10)
# Statuses whose amounts count as history and as the original of a duplicate:
# what was posted, is on its way, waits for a person (held, needs attention)
# or may have posted (unknown outcome). Skipped records never post.
COUNTED = (
    "succeeded",
    "pending",
    "running",
    "retrying",
    "held",
    "needs_attention",
    "unknown_outcome",
)


@dataclass(frozen=True)
class AmountRules:
    """The amount rules of one integration, read from its AnomalyPolicy."""

    outlier: bool = True
    threshold: float = RECOMMENDED_THRESHOLD
    duplicate: bool = True
    window: timedelta = timedelta(minutes=10)

    @classmethod
    def of(cls, policy: AnomalyPolicy) -> "AmountRules":
        return cls(
            outlier=policy.amount_outlier,
            threshold=float(policy.outlier_threshold),
            duplicate=policy.duplicate_charge,
            window=timedelta(minutes=policy.duplicate_window_minutes),
        )


@dataclass(frozen=True)
class Earlier:
    """An earlier record of the same customer, operation and currency."""

    stripe_id: str
    amount: int
    created: datetime
    # Held for review: the original of a later duplicate all the same, but
    # not an amount the customer is known to pay until someone releases it.
    held: bool = False


def anomaly_check(
    *, record: SyncRecord, source: dict, dependencies: list[SyncRecord] | None = None
) -> str:
    """ "" when the record may post, else the reason it is held.

    `dependencies`: the records it depends on, when the caller has them.
    """
    policy = _policy(record.integration)
    if not policy.enabled:
        return ""
    if dependencies is None:
        dependencies = list(record.depends_on.all())
    operation = record.operation
    reasons = []
    if operation == "post_credit_note" and policy.refund_excess:
        reasons.append(_refund_excess(record, source))
    if operation in AMOUNT_OPERATIONS and _reviewed_upstream(record, dependencies):
        # The order for the same Stripe object was checked (and released or
        # passed); holding its payment again would ask twice about one charge.
        return ""
    customer_record = _customer_record(dependencies)
    rules = AmountRules.of(policy)
    amount = _amount(source)
    currency = str(source.get("currency") or "")
    if operation in AMOUNT_OPERATIONS and amount is not None and currency:
        customer = _customer_key(record, source, customer_record)
        if customer and (rules.duplicate or rules.outlier):
            earlier = _history(record, currency, customer)
            integration: Sequence[tuple[str, int]] = ()
            if rules.outlier and _positive_count(earlier) < CUSTOMER_HISTORY:
                integration = _integration_amounts(record, currency)
            reasons += amount_reasons(
                amount=amount,
                currency=currency,
                created=stripe_time(source.get("created"), record.created_at),
                earlier=earlier,
                integration=integration,
                rules=rules,
            )
    if operation in (*AMOUNT_OPERATIONS, "post_credit_note") and (
        policy.currency_mismatch
    ):
        reasons.append(_currency_mismatch(record, source, customer_record))
    return "; ".join(r for r in reasons if r)


# --- The rules, over plain values --------------------------------------------


def amount_reasons(
    *,
    amount: int,
    currency: str,
    created: datetime,
    earlier: Sequence[Earlier],
    integration: Sequence[tuple[str, int]],
    rules: AmountRules,
) -> list[str]:
    """Why a charge of `amount` minor units is held, if it is.

    `earlier`: the customer's earlier records in the currency, newest first;
    `integration`: the integration's latest (customer, amount) pairs in the
    currency, asked for only when the customer has fewer than
    CUSTOMER_HISTORY amounts.
    """
    reasons = []
    if rules.duplicate:
        reasons.append(duplicate_reason(amount, currency, created, earlier, rules))
    if rules.outlier:
        reasons.append(outlier_reason(amount, currency, earlier, integration, rules))
    return [r for r in reasons if r]


def duplicate_reason(
    amount: int,
    currency: str,
    created: datetime,
    earlier: Sequence[Earlier],
    rules: AmountRules,
) -> str:
    for other in earlier:
        if other.amount == amount and abs(created - other.created) <= rules.window:
            minutes = int(rules.window.total_seconds() // 60)
            return (
                f"likely duplicate: {other.stripe_id} for the same customer and "
                f"{_money(amount, currency)} within {minutes} minutes"
            )
    return ""


def outlier_reason(
    amount: int,
    currency: str,
    earlier: Sequence[Earlier],
    integration: Sequence[tuple[str, int]],
    rules: AmountRules,
) -> str:
    """Held when the amount is far from the customer's usual on a log scale.

    Three yardsticks, the first that applies: the customer's own amounts
    (CUSTOMER_HISTORY or more); the customer's few amounts with the spread
    customers of this integration usually show (`pooled_spread`); the
    integration's amounts, all customers together.
    """
    if amount <= 0:
        return ""
    value = _log_units(amount, currency)
    own = [
        _log_units(e.amount, currency) for e in earlier if e.amount > 0 and not e.held
    ]
    threshold = rules.threshold
    if len(own) >= CUSTOMER_HISTORY:
        history, whose = own, "this customer's"
        spread = _spread(own, toward=value)
        factor = RANGE_FACTOR
    else:
        pool = [(k, _log_units(a, currency)) for k, a in integration if a > 0]
        pooled = pooled_spread(pool)
        if own and pooled is not None:
            history, whose = own, "this customer's"
            # The median of a few amounts is itself uncertain: widen by the
            # standard error of a median (√(π/2n) of the spread).
            below = value < statistics.median(own)
            spread = pooled.toward(below) * math.sqrt(1 + math.pi / (2 * len(own)))
            threshold = max(threshold, pooled.usual_z)
            factor = RANGE_FACTOR
        elif len(pool) >= CUSTOMER_HISTORY:
            history, whose = [v for _, v in pool], "this integration's"
            spread = _spread(history, toward=value)
            # Customers differ: what is far for the integration is what its
            # own ordinary amounts rarely reach.
            threshold = max(threshold, _quantile_z(history, spread))
            factor = INTEGRATION_RANGE_FACTOR
        else:
            return ""
    if not _beyond_range(value, history, factor):
        return ""
    median = statistics.median(history)
    z = abs(value - median) / spread
    if z <= threshold:
        return ""
    ratio = math.exp(value - median)
    how = f"{ratio:.1f}× above" if ratio >= 1 else f"1/{1 / ratio:.1f} of"
    usual = math.exp(median)
    return (
        f"amount {_money(amount, currency)} is {how} {whose} usual "
        f"({usual:,.{exponent(currency)}f} {currency}, median of {len(history)} "
        f"records; log z {z:.1f} > {threshold:.1f})"
    )


def _spread(logs: Sequence[float], toward: float | None = None) -> float:
    """The logs' robust standard deviation (1.4826 MAD), floored.

    With `toward`, the spread of the side it lies on counts when it is
    clearly wider (the 10th or 90th percentile's distance from the median,
    / 1.2816):
    amounts spread evenly from cents to thousands have a long tail of small
    ones on a log scale that MAD alone reads as narrow.
    """
    median = statistics.median(logs)
    mad = statistics.median(abs(v - median) for v in logs)
    spread = 1.4826 * mad
    if toward is not None and len(logs) >= 10:
        ordered = sorted(logs)
        index = int(SIDE_QUANTILE * (len(ordered) - 1))
        edge = ordered[index] if toward < median else ordered[-1 - index]
        spread = _wider(spread, abs(median - edge) / 1.2816)
    return max(spread, SPREAD_FLOOR)


def _wider(spread: float, side: float) -> float:
    """A side's own spread where it is clearly wider (a long tail), else the
    overall one: on a symmetric spread the two differ by noise only."""
    return side if side > SIDE_WIDER * spread else spread


def _beyond_range(value: float, logs: Sequence[float], factor: float) -> bool:
    """Beyond the history's range by more than `factor`; the single most
    extreme amount on each side is left out once there are ten or more."""
    ordered = sorted(logs)
    trim = 1 if len(ordered) >= 10 else 0
    margin = math.log(factor)
    return not ordered[trim] - margin <= value <= ordered[-1 - trim] + margin


def _quantile_z(logs: Sequence[float], spread: float) -> float:
    median = statistics.median(logs)
    scores = sorted(abs(v - median) / spread for v in logs)
    return scores[min(len(scores) - 1, int(POOLED_QUANTILE * len(scores)))]


@dataclass(frozen=True)
class PooledSpread:
    spread: float  # median of the customers' own log spreads
    low: float  # the spread below their medians, when wider
    high: float  # the spread above
    usual_z: float  # the z most of their own amounts stay under

    def toward(self, below: bool) -> float:
        return self.low if below else self.high


def pooled_spread(pool: Sequence[tuple[str, float]]) -> PooledSpread | None:
    """How far customers of this integration stray from their own median.

    From customers with POOLED_MIN_AMOUNTS or more amounts among the latest;
    None with fewer than POOLED_MIN_CUSTOMERS of them. Each side has its own
    spread (the 80th percentile of the distances on that side, / 1.2816,
    when wider than the median of the customers' spreads), and `usual_z`
    is the POOLED_QUANTILE of their amounts' z-scores against their own
    median, so an integration whose customers' amounts spread unevenly
    (from cents to thousands) raises its own bar instead of holding its
    ordinary charges.
    """
    by_customer: dict[str, list[float]] = {}
    for key, value in pool:
        by_customer.setdefault(key, []).append(value)
    groups = [v for v in by_customer.values() if len(v) >= POOLED_MIN_AMOUNTS]
    if len(groups) < POOLED_MIN_CUSTOMERS:
        return None
    spread = statistics.median(_spread(g) for g in groups)
    below, above, lows, highs = [], [], [], []
    for group in groups:
        median = statistics.median(group)
        under = [median - v for v in group if v < median]
        over = [v - median for v in group if v > median]
        below += under
        above += over
        # Each customer's own side spread, then the typical one: pooling the
        # distances would mix narrow and wide customers into a long tail.
        lows.append(_percentile(under, 0.8) / 1.2816)
        highs.append(_percentile(over, 0.8) / 1.2816)
    low = _wider(spread, statistics.median(lows))
    high = _wider(spread, statistics.median(highs))
    scores = sorted([d / low for d in below] + [d / high for d in above])
    usual_z = _percentile(scores, POOLED_QUANTILE)
    return PooledSpread(spread=spread, low=low, high=high, usual_z=usual_z)


def _percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _log_units(minor: int, currency: str) -> float:
    """ln of the amount in currency units: ln(minor) − exponent · ln 10."""
    return math.log(minor) - exponent(currency) * _LN10


def refund_excess_reason(
    *,
    amount: int,
    currency: str,
    charge_id: str,
    charged: int,
    charge_currency: str,
    credited: int,
) -> str:
    """A credit note above what remains of its charge, in the charge's currency."""
    if currency.upper() != charge_currency.upper():
        return ""
    remaining = charged - credited
    if amount > remaining:
        return (
            f"refund {_money(amount, currency)} is above what remains of "
            f"{charge_id}: {_money(max(remaining, 0), currency)} of "
            f"{_money(charged, currency)}"
        )
    return ""


# --- Reading the ledger ------------------------------------------------------


def _reviewed_upstream(record: SyncRecord, dependencies: list[SyncRecord]) -> bool:
    return any(
        d.stripe_id == record.stripe_id and d.operation in AMOUNT_OPERATIONS
        for d in dependencies
    )


def _policy(integration: Any) -> AnomalyPolicy:
    try:
        # Loaded with the record when the ledger asked for it.
        return integration.anomaly_policy
    except AnomalyPolicy.DoesNotExist:
        return anomaly_policy_ensure(integration=integration)


def _amount(source: dict) -> int | None:
    value = source.get("amount")
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _money(minor: int, currency: str) -> str:
    return f"{to_decimal(minor, currency)} {currency}"


def _positive_count(earlier: Sequence[Earlier]) -> int:
    return sum(1 for e in earlier if e.amount > 0 and not e.held)


def _customer_record(dependencies: list[SyncRecord]) -> SyncRecord | None:
    return next((d for d in dependencies if d.operation == "upsert_customer"), None)


def _customer_key(record: SyncRecord, source: dict, customer: SyncRecord | None) -> str:
    """The customer whose history counts: set when the record was planned."""
    if record.customer_key:
        return record.customer_key
    return history_columns(source, customer=customer.stripe_id if customer else "")[
        "customer_key"
    ]


def _earlier_records(record: SyncRecord, currency: str):
    """Counted records of the integration and operation in the currency,
    created before this one (a re-check never compares with what came after)."""
    rows = SyncRecord.objects.filter(
        integration_id=record.integration_id,
        operation=record.operation,
        status__in=COUNTED,
        currency=currency,
        amount__isnull=False,
    ).exclude(stripe_id=record.stripe_id)
    if record.pk is not None:
        rows = rows.exclude(pk=record.pk)
    if record.created_at is not None:
        rows = rows.filter(created_at__lte=record.created_at)
    return rows


def history_rows(record: SyncRecord, currency: str, customer_key: str):
    """The query of the customer's latest amounts in this currency, newest
    first, on the history index."""
    return (
        _earlier_records(record, currency)
        .filter(customer_key=customer_key)
        .order_by("-created_at")
        .values_list("stripe_id", "amount", "created_at", "status", "source__created")[
            :HISTORY_LIMIT
        ]
    )


def _history(record: SyncRecord, currency: str, customer_key: str) -> list[Earlier]:
    return [
        Earlier(
            stripe_id,
            amount,
            stripe_time(stripe_created, created),
            held=status == SyncRecord.Status.HELD,
        )
        for stripe_id, amount, created, status, stripe_created in history_rows(
            record, currency, customer_key
        )
    ]


def stripe_time(created: Any, recorded: datetime) -> datetime:
    """When Stripe created the object (epoch seconds, as canonical records
    carry it), else when we recorded it. The duplicate window is measured on
    Stripe's clock: a backfill or a test clock replays weeks of charges in
    seconds, and a redelivered event arrives late."""
    if isinstance(created, int) and not isinstance(created, bool) and created > 0:
        return datetime.fromtimestamp(created, tz=UTC)
    return recorded


def _integration_amounts(record: SyncRecord, currency: str) -> list[tuple[str, int]]:
    """The integration's latest amounts in the currency: (customer, amount)."""
    key = (
        f"mapping:integration-amounts:{record.integration_id}:"
        f"{record.operation}:{currency}"
    )
    found = cache.get(key)
    if found is not None:
        return found
    amounts = list(
        _earlier_records(record, currency)
        .exclude(customer_key="")
        .exclude(status=SyncRecord.Status.HELD)
        .order_by("-created_at")
        .values_list("customer_key", "amount")[:INTEGRATION_HISTORY]
    )
    cache.set(key, amounts, INTEGRATION_CACHE_SECONDS)
    return amounts


def _refund_excess(record: SyncRecord, source: dict) -> str:
    amount = _amount(source)
    charge_id = source.get("charge_id")
    currency = str(source.get("currency") or "")
    if amount is None or not charge_id or source.get("reverses"):
        return ""
    charge = (
        SyncRecord.objects.filter(
            integration_id=record.integration_id,
            stripe_id=charge_id,
            operation__in=("post_payment", "create_sales_order"),
        )
        .order_by("operation")  # post_payment first: it is what was received
        .values_list("source", flat=True)
        .first()
    ) or {}
    charged = _amount(charge)
    if charged is None:
        return ""
    # Credit notes of the charge, less those reversed because their refund
    # failed (a debit adjustment that `reverses` the refund).
    credited = 0
    for operation, other in (
        SyncRecord.objects.filter(
            integration_id=record.integration_id,
            operation__in=("post_credit_note", "post_adjustment"),
            source__charge_id=charge_id,
        )
        .exclude(pk=record.pk)
        .exclude(status__in=("skipped", "held"))
        .values_list("operation", "source")
    ):
        value = _amount(other or {}) or 0
        if operation == "post_credit_note":
            credited += value
        elif (other or {}).get("reverses"):
            credited -= abs(value)
    return refund_excess_reason(
        amount=amount,
        currency=currency,
        charge_id=charge_id,
        charged=charged,
        charge_currency=str(charge.get("currency") or currency),
        credited=credited,
    )


def _currency_mismatch(
    record: SyncRecord, source: dict, customer: SyncRecord | None
) -> str:
    currency = str(source.get("currency") or "").upper()
    if not currency:
        return ""
    theirs = _customer_currency(record, source, customer)
    if theirs and theirs != currency:
        reason = (
            f"currency {currency} differs from the ERP customer's currency {theirs}"
        )
        policy = currency_policy(record.integration.options)
        if policy == HOLD:
            # Say how to book such charges from now on, not only this one.
            reason += (
                f" ({POLICY_OPTION} is {HOLD!r}: set it to "
                f"{PER_CURRENCY_ACCOUNT!r} or {CONVERT!r} to book them)"
            )
        return reason
    return ""


def _customer_currency(
    record: SyncRecord, source: dict, customer: SyncRecord | None
) -> str:
    if customer is not None and customer.payload:
        package = erp_package(record.integration.erp_kind)
        currency = package.customer_of_payload(customer.payload).currency
        if currency:
            return currency
    code = source.get("customer_code") or (customer.erp_reference if customer else "")
    if not code:
        return ""
    return _erp_customer_currency(record.integration, code)


def customer_currency_remember(*, integration: Any, code: str, payload: Any) -> None:
    """Keep the currency of an ERP customer just created from `payload`.

    The currency rule of the customer's first order would otherwise ask the
    ERP, a moment after creating it, for the currency it was created with;
    the rule reads a created customer's payload the same way when it depends
    on it directly (`_customer_currency`).
    """
    if not code or not isinstance(payload, dict):
        return
    package = erp_package(integration.erp_kind)
    currency = package.customer_of_payload(payload).currency.upper()
    if currency:
        cache.set(
            _customer_currency_key(integration.pk, code),
            currency,
            CUSTOMER_CURRENCY_SECONDS,
        )


def _customer_currency_key(integration_id: Any, code: str) -> str:
    return f"mapping:customer-currency:{integration_id}:{code}"


def _erp_customer_currency(integration: Any, code: str) -> str:
    """Ask the ERP once in a while; a failure just leaves the rule silent."""
    key = _customer_currency_key(integration.pk, code)
    found = cache.get(key)
    if found is not None:
        return found
    try:
        customer = connector_for(integration.erp_connection).find_customer(code=code)
    except (ConnectorError, KeyError, NotImplementedError) as exc:
        logger.info(
            "currency check skipped: %s", exc, extra={"integration": integration.pk}
        )
        return ""
    currency = customer.currency.upper() if customer else ""
    cache.set(key, currency, CUSTOMER_CURRENCY_SECONDS)
    return currency
