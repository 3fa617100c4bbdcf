"""Subscriptions: the ERP customer's subscription fields follow Stripe.

`customer.subscription.created/updated/deleted` write the subscription's plan,
status, current period end and monthly recurring revenue (MRR) onto the ERP
customer, through the connector's `customer_subscription_write` (SYSPRO: the
custom form fields of the customer; Sage Pro: the agent's subscription
table). Which ERP fields hold them is an integration option with each ERP
package's defaults (`options.subscription_fields`).

Stripe delivers these events at least once and in any order, so each event's
state is a ledger record of its own, ordered by the event's `created` (then by
the subscription's own state: a canceled subscription is final, a later
period is newer). A state older than one already in the ledger is never
written: the planner ignores it, and a record still waiting when a newer one
is planned finds the newer one at run time and writes nothing. A newer record
planned while an older one is still open waits for it, so two workers never
write one subscription's fields at once. Writing the same values twice is
harmless, so a retry after a lost reply simply writes them again.

MRR: each item's price × quantity brought to one month (a year is 12 months,
a week 52/12 of a month, a day 365/12), in `Decimal`, less the subscription's
recurring discounts (percent off, or an amount off each invoice brought to a
month), rounded half up to the currency's minor unit. Only `active` and
`past_due` subscriptions earn MRR (a trial, an unpaid or a canceled one does
not), as Stripe's own billing analytics count it.
"""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any

from integrations import periods, stripe_versions
from integrations.canonical import Customer, SubscriptionState, to_source
from integrations.connectors.records import ErpDocument
from integrations.models import SyncRecord

from .common import (
    PlanningError,
    currency_of,
    customer_key,
    event_object,
    stripe_client,
    stripe_id_of,
    text,
)
from .invoices import catalog_stock_code
from .plan import Plan, PlannedRecord, WorkflowContext

OPERATION = SyncRecord.Operation.UPDATE_SUBSCRIPTION
Status = SyncRecord.Status

EARNING_STATUSES = frozenset({"active", "past_due"})
FINAL_STATUSES = frozenset({"canceled", "incomplete_expired"})
# One interval in months, as (months, intervals): a week is 12/52 month.
MONTHS = {"month": (1, 1), "year": (12, 1), "week": (12, 52), "day": (12, 365)}
# Discount durations that keep applying after the first invoice.
RECURRING_DURATIONS = frozenset({"forever", "repeating"})


# MRR ------------------------------------------------------------------------


def _per_month(recurring: dict[str, Any]) -> Decimal:
    """The share of one month that one billing period is the inverse of."""
    interval = text(recurring.get("interval"))
    if interval not in MONTHS:
        raise PlanningError(f"recurring interval {interval!r} is not one Stripe has")
    count = recurring.get("interval_count") or 1
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise PlanningError(f"interval_count {count!r} is not a positive integer")
    months, intervals = MONTHS[interval]
    return Decimal(intervals) / (Decimal(months) * count)


def _unit_amount(price: dict[str, Any]) -> Decimal:
    """A price's unit amount in minor units (`unit_amount_decimal` may hold
    fractions of a minor unit)."""
    if text(price.get("billing_scheme")) == "tiered":
        raise PlanningError(
            f"price {text(price.get('id'))} is tiered: its MRR needs the "
            "usage, which the subscription does not carry"
        )
    raw = price.get("unit_amount_decimal")
    if raw is None:
        raw = price.get("unit_amount")
    if raw is None or isinstance(raw, (bool, float)):
        raise PlanningError(f"price {text(price.get('id'))} has no unit amount")
    try:
        amount = Decimal(str(raw))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        raise PlanningError(f"price {text(price.get('id'))}: bad unit amount {raw!r}")
    return amount


def _coupon(discount: dict[str, Any]) -> dict[str, Any]:
    """A discount's coupon: `coupon` before basil, `source.coupon` after."""
    coupon = discount.get("coupon") or (discount.get("source") or {}).get("coupon")
    return coupon if isinstance(coupon, dict) else {}


def _discounts(ctx: WorkflowContext, sub: dict[str, Any]) -> list[dict[str, Any]]:
    """The subscription's discounts as objects. Stripe sends `discounts` as
    ids unless expanded; then the subscription is fetched with them expanded
    (https://docs.stripe.com/api/subscriptions/object#subscription_object-discounts)."""
    listed = sub.get("discounts") or []
    if any(not isinstance(d, dict) for d in listed):
        fetched = stripe_client(ctx).retrieve_subscription(
            text(sub.get("id")), expand=["discounts"]
        )
        listed = fetched.get("discounts") or []
    found = [d for d in listed if isinstance(d, dict)]
    legacy = sub.get("discount")
    if not listed and isinstance(legacy, dict):
        found.append(legacy)
    return found


def subscription_mrr(
    sub: dict[str, Any], *, discounts: list[dict[str, Any]], as_of: int
) -> int:
    """Monthly recurring revenue in minor units of the subscription's currency."""
    if text(sub.get("status")) not in EARNING_STATUSES:
        return 0
    currency = currency_of(sub)
    with localcontext() as exact:
        exact.prec = 50
        monthly = Decimal(0)
        period = Decimal(0)
        for item in (sub.get("items") or {}).get("data") or []:
            price = item.get("price") or item.get("plan") or {}
            if not isinstance(price, dict):
                raise PlanningError("a subscription item's price is not expanded")
            recurring = price.get("recurring") or {}
            if not recurring and price.get("interval"):
                recurring = price  # a legacy Plan carries interval itself
            factor = _per_month(recurring)
            period = period or factor
            quantity = item.get("quantity")
            quantity = 1 if quantity is None else quantity
            monthly += _unit_amount(price) * Decimal(quantity) * factor
        for discount in discounts:
            end = discount.get("end")
            if isinstance(end, int) and end and end <= as_of:
                continue
            coupon = _coupon(discount)
            if text(coupon.get("duration")) not in RECURRING_DURATIONS:
                continue
            if coupon.get("percent_off") is not None:
                off = Decimal(str(coupon["percent_off"]))
                monthly -= monthly * off / 100
            elif coupon.get("amount_off") is not None:
                if currency_of(coupon) not in ("", currency):
                    raise PlanningError(
                        f"coupon {text(coupon.get('id'))} is in "
                        f"{currency_of(coupon)}, the subscription in {currency}"
                    )
                monthly -= Decimal(int(coupon["amount_off"])) * period
        monthly = max(monthly, Decimal(0))
        return int(monthly.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# Planning -------------------------------------------------------------------


def subscription_state(
    ctx: WorkflowContext,
    sub: dict[str, Any],
    *,
    as_of: int,
    event_id: str = "",
    stock_code: Callable[[str], str] | None = None,
) -> SubscriptionState:
    sub_id = text(sub.get("id"))
    customer = stripe_id_of(sub.get("customer"))
    if not sub_id or not customer:
        raise PlanningError("the subscription has no id or no customer")
    stock_code = stock_code or catalog_stock_code(ctx)
    plans = []
    for item in (sub.get("items") or {}).get("data") or []:
        price = item.get("price") or item.get("plan") or {}
        price_id = stripe_id_of(price)
        plan = stock_code(price_id) if price_id else ""
        if not plan and isinstance(price, dict):
            plan = text(price.get("lookup_key")) or text(price.get("nickname"))
        plans.append(plan or price_id)
    _, period_end = stripe_versions.subscription_period(sub)
    return SubscriptionState(
        stripe_id=sub_id,
        customer_id=customer,
        currency=currency_of(sub),
        status=text(sub.get("status")),
        plan=", ".join(p for p in plans if p),
        current_period_end=period_end,
        mrr=subscription_mrr(sub, discounts=_discounts(ctx, sub), as_of=as_of),
        as_of=as_of,
        event_id=event_id,
    )


def state_order(source: dict[str, Any]) -> tuple[int, int, int]:
    """How two states of one subscription are ordered: the event's time, then
    a final status (nothing follows a cancellation), then the later period."""
    return (
        int(source.get("as_of") or 0),
        1 if source.get("status") in FINAL_STATUSES else 0,
        int(source.get("current_period_end") or 0),
    )


def _others(integration: Any, sub_id: str, idempotency_key: str) -> list[SyncRecord]:
    """The other (not skipped) ledger records of the subscription's states."""
    return [
        record
        for record in SyncRecord.objects.filter(
            integration=integration, operation=OPERATION, stripe_id=sub_id
        )
        .exclude(idempotency_key=idempotency_key)
        .exclude(status=Status.SKIPPED)
        .order_by()
    ]


def plan_subscription_event(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    sub = event_object(event)
    as_of = int(event.get("created") or 0)
    event_id = text(event.get("id"))
    if event.get("type") == "customer.subscription.deleted" and not text(
        sub.get("status")
    ):
        sub = {**sub, "status": "canceled"}
    state = subscription_state(ctx, sub, as_of=as_of, event_id=event_id)
    source = to_source(state)
    key = f"{state.stripe_id}:subscription:{as_of}:{event_id}"
    prefix = f"{ctx.integration.pk}:"
    mine = state_order(source)
    older_open: list[str] = []
    for other in _others(ctx.integration, state.stripe_id, prefix + key):
        if state_order(other.source or {}) > mine:
            return Plan(
                ignored_reason=(
                    f"older than the state of subscription {state.stripe_id} "
                    f"already in the ledger (event "
                    f"{(other.source or {}).get('event_id') or '?'}); "
                    "an older state is never written over a newer one"
                )
            )
        if other.status in SyncRecord.OPEN_STATUSES:
            older_open.append(other.idempotency_key.removeprefix(prefix))
    customer = Customer(
        stripe_id=state.customer_id,
        name=state.customer_id,
        currency=state.currency,
        created=as_of,
    )
    cust_key = customer_key(customer.stripe_id)
    return Plan(
        records=(
            PlannedRecord(
                key=cust_key,
                operation="upsert_customer",
                stripe_id=customer.stripe_id,
                source=to_source(customer) | {"mode": "ensure"},
            ),
            PlannedRecord(
                key=key,
                operation=OPERATION,
                stripe_id=state.stripe_id,
                source=source,
                depends_on=(cust_key, *sorted(older_open)),
            ),
        )
    )


# Running --------------------------------------------------------------------


def update_subscription_execute(ctx: Any) -> ErpDocument:
    """EXECUTORS["update_subscription"]: write the state onto the ERP customer
    unless a newer state of the subscription is in the ledger (it writes)."""
    source = dict(ctx.source)
    record: SyncRecord = ctx.record
    mine = state_order(source)
    for other in _others(ctx.integration, record.stripe_id, record.idempotency_key):
        if state_order(other.source or {}) > mine:
            return ErpDocument(
                number=text(source.get("customer_code")),
                raw={
                    "skipped": "a newer state of the subscription is in the "
                    f"ledger (event {(other.source or {}).get('event_id')})"
                },
                adopted=True,
            )
    code = text(source.get("customer_code"))
    if not code:
        raise PlanningError("the ERP customer of the subscription is not known yet")
    state = SubscriptionState(
        **{
            **{
                name: source[name]
                for name in SubscriptionState.__dataclass_fields__
                if name in source
            },
            # The ERP dates the period end on the integration's business day.
            "zone": periods.business_timezone_name(source.get("options")),
        }
    )
    fields = (source.get("options") or {}).get("subscription_fields") or {}
    if not isinstance(fields, dict) or not all(
        isinstance(name, str) and isinstance(value, str)
        for name, value in fields.items()
    ):
        raise PlanningError(
            "options.subscription_fields must map plan, status, period_end, "
            'mrr (and form_type) to ERP field names, e.g. {"mrr": "SUBMRR"}'
        )
    ctx.built_payload = {"customer_code": code, **to_source(state)}
    return ctx.connector.customer_subscription_write(
        state, customer_code=code, fields=fields
    )
