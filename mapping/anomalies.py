"""Anomaly holds: reasons to stop a ledger record for review before it posts.

The ledger calls `anomaly_check` for orders, payments, credit notes and
invoices that finance staff have not released. Rules (each switchable per
integration in `AnomalyPolicy`):

- amount outlier: the amount's robust z-score against the same customer's
  earlier amounts (median and MAD, so one earlier outlier does not hide the
  next) is above the threshold;
- duplicate charge: another record of the same operation, customer, amount
  and currency was created within the window;
- refund excess: a credit note above what remains of its charge;
- currency mismatch: the record's currency differs from the ERP customer's.

History is the ledger itself: SyncRecord rows of the same integration, found
by the customer_key, amount and currency copied onto each record when it is
planned (integrations.operations.history_columns): the Stripe customer of the
upsert_customer record it depends on, else the ERP customer code its source
names.
"""

import logging
import statistics
from datetime import timedelta
from typing import Any

from django.core.cache import cache

from integrations.connectors.errors import ConnectorError
from integrations.erps.registry import connector_for, erp_package
from integrations.models import SyncRecord
from integrations.operations import history_columns
from portal.money import to_decimal

from .models import AnomalyPolicy
from .services import anomaly_policy_ensure

logger = logging.getLogger(__name__)

AMOUNT_OPERATIONS = ("create_sales_order", "post_payment", "create_invoice")
HISTORY_LIMIT = 200
# Statuses whose amounts count as history: what was posted or is on its way.
_COUNTED = ("succeeded", "pending", "running", "retrying", "held")


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
    if operation in AMOUNT_OPERATIONS:
        customer = _customer_key(record, source, customer_record)
        if customer and (policy.duplicate_charge or policy.amount_outlier):
            history = _history(record, source, customer)
            if policy.duplicate_charge:
                reasons.append(_duplicate(record, source, history, policy))
            if policy.amount_outlier:
                reasons.append(_outlier(source, history, policy))
    if operation in (*AMOUNT_OPERATIONS, "post_credit_note") and (
        policy.currency_mismatch
    ):
        reasons.append(_currency_mismatch(record, source, customer_record))
    return "; ".join(r for r in reasons if r)


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


def _customer_record(dependencies: list[SyncRecord]) -> SyncRecord | None:
    return next((d for d in dependencies if d.operation == "upsert_customer"), None)


def _customer_key(record: SyncRecord, source: dict, customer: SyncRecord | None) -> str:
    """The customer whose history counts: set when the record was planned."""
    if record.customer_key:
        return record.customer_key
    return history_columns(source, customer=customer.stripe_id if customer else "")[
        "customer_key"
    ]


def _history(
    record: SyncRecord, source: dict, customer_key: str
) -> list[tuple[str, int, Any]]:
    """The customer's latest amounts in this currency, newest first, in one
    query on the history index: (stripe id, amount, created)."""
    return list(
        SyncRecord.objects.filter(
            integration_id=record.integration_id,
            operation=record.operation,
            customer_key=customer_key,
            status__in=_COUNTED,
            currency=source.get("currency") or "",
            amount__isnull=False,
        )
        .exclude(pk=record.pk)
        .exclude(stripe_id=record.stripe_id)
        .order_by("-created_at")
        .values_list("stripe_id", "amount", "created_at")[:HISTORY_LIMIT]
    )


def _duplicate(
    record: SyncRecord,
    source: dict,
    history: list[tuple[str, int, Any]],
    policy: AnomalyPolicy,
) -> str:
    amount = _amount(source)
    if amount is None:
        return ""
    window = timedelta(minutes=policy.duplicate_window_minutes)
    created = record.created_at
    for other_id, other_amount, other_created in history:
        if other_amount == amount and abs(other_created - created) <= window:
            return (
                f"likely duplicate: {other_id} for the same customer and "
                f"{_money(amount, source.get('currency', ''))} within "
                f"{policy.duplicate_window_minutes} minutes"
            )
    return ""


def _outlier(
    source: dict, history: list[tuple[str, int, Any]], policy: AnomalyPolicy
) -> str:
    amount = _amount(source)
    currency = source.get("currency")
    if amount is None or not currency:
        return ""
    amounts = [other_amount for _, other_amount, _ in history]
    if len(amounts) < policy.outlier_min_history:
        return ""
    score = robust_z(amount, amounts)
    if score <= float(policy.outlier_threshold):
        return ""
    median = statistics.median(amounts)
    return (
        f"amount {_money(amount, currency)} is far outside this customer's "
        f"history (median {_money(int(median), currency)} over {len(amounts)} "
        f"records, robust z {score:.1f} > {policy.outlier_threshold})"
    )


def robust_z(value: int, history: list[int]) -> float:
    """|value − median| / (1.4826·MAD); falls back to the mean deviation, then 5 %.

    1.4826·MAD estimates the standard deviation of normal data while
    ignoring the tails; when most history is identical (MAD 0) the mean
    absolute deviation, and failing that 5 % of the median, keeps a small
    wobble from counting as infinitely far.
    """
    median = statistics.median(history)
    mad = statistics.median(abs(h - median) for h in history)
    scale = 1.4826 * mad
    if scale == 0:
        scale = 1.2533 * statistics.fmean(abs(h - median) for h in history)
    if scale == 0:
        scale = max(abs(median) * 0.05, 1)
    return abs(value - median) / scale


def _refund_excess(record: SyncRecord, source: dict) -> str:
    amount = _amount(source)
    charge_id = source.get("charge_id")
    currency = source.get("currency", "")
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
    )
    charged = _amount(charge or {})
    if charged is None:
        return ""
    credited = 0
    for other in (
        SyncRecord.objects.filter(
            integration_id=record.integration_id,
            operation="post_credit_note",
            source__charge_id=charge_id,
        )
        .exclude(pk=record.pk)
        .exclude(status__in=("skipped", "held"))
        .values_list("source", flat=True)
    ):
        value = _amount(other or {}) or 0
        credited += -value if (other or {}).get("reverses") else value
    remaining = charged - credited
    if amount > remaining:
        return (
            f"refund {_money(amount, currency)} is above what remains of "
            f"{charge_id}: {_money(max(remaining, 0), currency)} of "
            f"{_money(charged, currency)}"
        )
    return ""


def _currency_mismatch(
    record: SyncRecord, source: dict, customer: SyncRecord | None
) -> str:
    currency = str(source.get("currency") or "").upper()
    if not currency:
        return ""
    theirs = _customer_currency(record, source, customer)
    if theirs and theirs != currency:
        return f"currency {currency} differs from the ERP customer's currency {theirs}"
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


def _erp_customer_currency(integration: Any, code: str) -> str:
    """Ask the ERP once in a while; a failure just leaves the rule silent."""
    key = f"mapping:customer-currency:{integration.pk}:{code}"
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
    cache.set(key, currency, 600)
    return currency
