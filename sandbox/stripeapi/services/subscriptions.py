"""Subscriptions: created with their first invoice paid, updated, canceled.

Follows https://docs.stripe.com/billing/subscriptions/overview in the basil
shape (periods on the items: https://docs.stripe.com/changelog/basil/
2025-03-31/deprecate-subscription-current-period-start-and-end). Creating a
subscription invoices its first period at once (`subscription_create`),
finalizes the invoice and charges it with the default payment method; with
`payment_behavior=allow_incomplete` (Stripe's default) a declined card leaves
the subscription `incomplete` and the invoice open. A change of price or
quantity is invoiced at once with prorations (`always_invoice`) or not at all
(`none`), or kept as pending invoice items that the next renewal
invoices (`create_prorations`, Stripe's default). Cancelling ends it now;
`cancel_at_period_end` ends it when its period does.
"""

import calendar
import copy
from contextlib import ExitStack
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction

from ..errors import StripeApiError, invalid, missing
from ..models import ApiObject
from ..params import metadata_apply
from . import billing
from .core import (
    event_emit,
    frozen_at,
    new_id,
    now_ts,
    object_create,
    object_get,
    object_save,
)
from .customers import customer_require, on_customer_clock

Kind = ApiObject.Kind

PAYMENT_BEHAVIORS = ("allow_incomplete", "error_if_incomplete", "default_incomplete")
PRORATION_BEHAVIORS = ("always_invoice", "none", "create_prorations")


def period_end(start: int, recurring: dict[str, Any], *, anchor: int = 0) -> int:
    """The end of a billing period `interval_count` intervals after `start`,
    on the billing cycle anchor's day of the month (the 31st falls on a
    shorter month's last day, and comes back the month after)."""
    count = int(recurring.get("interval_count") or 1)
    interval = recurring["interval"]
    if interval in ("day", "week"):
        return start + count * (86400 if interval == "day" else 7 * 86400)
    moment = datetime.fromtimestamp(start, tz=UTC)
    anchor_day = datetime.fromtimestamp(anchor or start, tz=UTC).day
    months = count * (12 if interval == "year" else 1)
    year, month = divmod(moment.month - 1 + months, 12)
    year, month = moment.year + year, month + 1
    day = min(anchor_day, calendar.monthrange(year, month)[1])
    return int(moment.replace(year=year, month=month, day=day).timestamp())


def _recurring_price(price_id: str, *, param: str, currency: str | None) -> dict:
    price = object_get(kind=Kind.PRICE, stripe_id=price_id, param=param).data
    if not price.get("active", True):
        raise invalid(param, f"The price specified is inactive: {price_id}")
    if price.get("type") != "recurring":
        raise invalid(
            param,
            f"The price specified is set to `type=one_time` but this field only "
            f"accepts prices with `type=recurring`: {price_id}",
        )
    if currency and price["currency"] != currency:
        raise invalid(
            param, "All prices on a subscription must have the same currency."
        )
    return price


def _item(subscription_id: str, price: dict, quantity: int, start: int) -> dict:
    return {
        "id": new_id("si", 14),
        "object": "subscription_item",
        "created": start,
        "current_period_end": period_end(start, price["recurring"]),
        "current_period_start": start,
        "discounts": [],
        "metadata": {},
        "price": copy.deepcopy(price),
        "quantity": quantity,
        "subscription": subscription_id,
        "tax_rates": [],
    }


def _payment_method(customer: ApiObject, default_payment_method: str | None) -> str:
    method = default_payment_method or (
        customer.data.get("invoice_settings") or {}
    ).get("default_payment_method")
    if not method:
        raise StripeApiError(
            "This customer has no attached payment source or default payment "
            "method. Please consider adding a default payment method.",
            code="resource_missing",
        )
    return method


def subscription_create(
    *,
    customer: str,
    items: list[dict[str, Any]],
    default_payment_method: str | None,
    payment_behavior: str | None,
    metadata: dict[str, str] | None,
) -> dict[str, Any]:
    behavior = payment_behavior or "allow_incomplete"
    if behavior not in PAYMENT_BEHAVIORS:
        raise invalid("payment_behavior", f"Invalid payment_behavior: {behavior}")
    if not items:
        raise missing("items")
    with transaction.atomic(), ExitStack() as clock:
        cust = customer_require(customer_id=customer)
        clock.enter_context(on_customer_clock(cust))
        method = _payment_method(cust, default_payment_method)
        start = now_ts()
        subscription_id = new_id("sub")
        currency = None
        sub_items = []
        for index, item in enumerate(items):
            price = _recurring_price(
                item["price"], param=f"items[{index}][price]", currency=currency
            )
            currency = price["currency"]
            sub_items.append(_item(subscription_id, price, item["quantity"], start))
        data: dict[str, Any] = {
            "id": subscription_id,
            "object": "subscription",
            "billing_cycle_anchor": start,
            "billing_mode": {"type": "classic"},
            "cancel_at": None,
            "cancel_at_period_end": False,
            "canceled_at": None,
            "cancellation_details": {"comment": None, "feedback": None, "reason": None},
            "collection_method": "charge_automatically",
            "created": start,
            "currency": currency,
            "customer": customer,
            "days_until_due": None,
            "default_payment_method": default_payment_method,
            "description": None,
            "discounts": [],
            "ended_at": None,
            "items": {
                "object": "list",
                "data": sub_items,
                "has_more": False,
                "url": f"/v1/subscription_items?subscription={subscription_id}",
            },
            "latest_invoice": None,
            "livemode": False,
            "metadata": metadata_apply({}, metadata),
            "start_date": start,
            "status": "incomplete",
            "trial_end": None,
            "trial_start": None,
        }
        obj = object_create(
            kind=Kind.SUBSCRIPTION, data=data, customer=customer, currency=currency
        )
        event_emit(type="customer.subscription.created", obj=data)
        lines = [
            {
                "amount": item["price"]["unit_amount"] * item["quantity"],
                "quantity": item["quantity"],
                "description": f"{item['quantity']} × {_product_name(item)}",
                "price": item["price"],
                "metadata": {},
                "subscription_item": item["id"],
            }
            for item in sub_items
        ]
        paid, declined = _invoice_now(
            obj,
            lines=lines,
            billing_reason="subscription_create",
            method=method,
            currency=currency,
        )
        if declined is not None and behavior == "error_if_incomplete":
            raise declined
        if paid:
            _status(obj, "active")
    return obj.data


def _product_name(item: dict[str, Any]) -> str:
    product = ApiObject.objects.filter(
        kind=Kind.PRODUCT, stripe_id=item["price"]["product"]
    ).first()
    return (product.data.get("name") if product else None) or item["price"]["id"]


def _invoice_now(
    sub: ApiObject,
    *,
    lines: list[dict[str, Any]],
    billing_reason: str,
    method: str,
    currency: str | None,
) -> tuple[bool, StripeApiError | None]:
    """Invoice lines for the subscription now: finalized and charged."""
    data = sub.data
    invoice = billing.invoice_create(
        customer=data["customer"],
        currency=currency,
        collection_method="charge_automatically",
        days_until_due=None,
        description=None,
        auto_advance=True,
        metadata=None,
        subscription=data["id"],
        billing_reason=billing_reason,
    )
    billing.invoice_lines_add(invoice_id=invoice["id"], lines=lines)
    finalized = billing.invoice_finalize(invoice_id=invoice["id"])
    data["latest_invoice"] = invoice["id"]
    object_save(obj=sub)
    if finalized["status"] == "paid":
        return True, None
    try:
        billing.invoice_pay(
            invoice_id=invoice["id"], payment_method=method, paid_out_of_band=False
        )
    except StripeApiError as declined:
        return False, declined
    return True, None


def _status(sub: ApiObject, status: str) -> None:
    previous = {"status": sub.data["status"]}
    sub.data["status"] = status
    object_save(obj=sub)
    event_emit(
        type="customer.subscription.updated", obj=sub.data, previous_attributes=previous
    )


def subscription_update(
    *,
    subscription_id: str,
    items: list[dict[str, Any]],
    proration_behavior: str | None,
    metadata: dict[str, str] | None,
    cancel_at_period_end: bool | None = None,
) -> dict[str, Any]:
    """Change items' price or quantity (or metadata)."""
    behavior = proration_behavior or "create_prorations"
    if behavior not in PRORATION_BEHAVIORS:
        raise invalid("proration_behavior", f"Invalid proration_behavior: {behavior}")
    with transaction.atomic(), ExitStack() as clock:
        sub = object_get(
            kind=Kind.SUBSCRIPTION, stripe_id=subscription_id, for_update=True
        )
        data = sub.data
        clock.enter_context(
            on_customer_clock(customer_require(customer_id=data["customer"]))
        )
        if data["status"] in ("canceled", "incomplete_expired"):
            raise StripeApiError(
                "A canceled subscription can only update its cancellation_details "
                "and metadata.",
            )
        before = copy.deepcopy(data)
        now = now_ts()
        prorations = []
        by_id = {item["id"]: item for item in data["items"]["data"]}
        for index, change in enumerate(items):
            item = by_id.get(change.get("id") or "")
            if item is None:
                raise invalid(
                    f"items[{index}][id]",
                    f"No such subscription item: '{change.get('id')}'",
                )
            price = item["price"]
            if change.get("price"):
                price = _recurring_price(
                    change["price"],
                    param=f"items[{index}][price]",
                    currency=data["currency"],
                )
            quantity = change.get("quantity") or item["quantity"]
            if price["id"] == item["price"]["id"] and quantity == item["quantity"]:
                continue
            prorations += _proration_lines(item, price, quantity, now)
            item["price"] = copy.deepcopy(price)
            item["quantity"] = quantity
        if prorations and behavior == "create_prorations":
            # Stripe's default: pending invoice items the next invoice takes.
            _pending_items(sub, prorations)
        data["metadata"] = metadata_apply(data["metadata"], metadata)
        if cancel_at_period_end is not None:
            data["cancel_at_period_end"] = cancel_at_period_end
            data["cancel_at"] = (
                min(i["current_period_end"] for i in data["items"]["data"])
                if cancel_at_period_end
                else None
            )
        previous = {
            key: before[key]
            for key in ("items", "metadata", "cancel_at_period_end", "cancel_at")
            if before[key] != data[key]
        }
        if not previous:
            return data
        object_save(obj=sub)
        event_emit(
            type="customer.subscription.updated", obj=data, previous_attributes=previous
        )
        if prorations and behavior == "always_invoice":
            total = sum(line["amount"] for line in prorations)
            if total < 0:
                raise invalid(
                    "proration_behavior",
                    "The sandbox does not credit a downgrade to the customer's "
                    "balance: use proration_behavior=none for a downgrade.",
                )
            cust = customer_require(customer_id=data["customer"])
            _invoice_now(
                sub,
                lines=prorations,
                billing_reason="subscription_update",
                method=_payment_method(cust, data["default_payment_method"]),
                currency=data["currency"],
            )
    return sub.data


def _proration_lines(
    item: dict[str, Any], price: dict[str, Any], quantity: int, now: int
) -> list[dict[str, Any]]:
    """Credit the unused time on the old price, charge it on the new one."""
    start, end = item["current_period_start"], item["current_period_end"]
    left = Decimal(max(end - now, 0)) / Decimal(max(end - start, 1))

    def part(amount: int) -> int:
        return int((Decimal(amount) * left).quantize(Decimal(1), ROUND_HALF_UP))

    old = item["price"]["unit_amount"] * item["quantity"]
    new = price["unit_amount"] * quantity
    return [
        {
            "amount": -part(old),
            "quantity": item["quantity"],
            "description": f"Unused time on {item['price']['id']}",
            "price": item["price"],
            "metadata": {},
            "subscription_item": item["id"],
        },
        {
            "amount": part(new),
            "quantity": quantity,
            "description": f"Remaining time on {price['id']}",
            "price": price,
            "metadata": {},
            "subscription_item": item["id"],
        },
    ]


def subscription_cancel(*, subscription_id: str) -> dict[str, Any]:
    """DELETE /v1/subscriptions/{id}: ends it now, without a final invoice."""
    with transaction.atomic(), ExitStack() as clock:
        sub = object_get(
            kind=Kind.SUBSCRIPTION, stripe_id=subscription_id, for_update=True
        )
        data = sub.data
        clock.enter_context(
            on_customer_clock(customer_require(customer_id=data["customer"]))
        )
        if data["status"] == "canceled":
            raise StripeApiError(
                f"No such subscription: '{subscription_id}'",
                status=404,
                code="resource_missing",
                param="id",
            )
        now = now_ts()
        data["status"] = "canceled"
        data["canceled_at"] = now
        data["ended_at"] = now
        data["cancellation_details"]["reason"] = "cancellation_requested"
        object_save(obj=sub)
        event_emit(type="customer.subscription.deleted", obj=data)
    return data


def subscription_renew(sub: ApiObject, *, until: int) -> None:
    """Renew an active (or past due) subscription at every period end up to
    `until`, each renewal at that moment: the items' next period, then its
    invoice (`subscription_cycle`), charged; a decline makes it past_due."""
    data = sub.data
    while data["status"] in ("active", "past_due"):
        ends = min(item["current_period_end"] for item in data["items"]["data"])
        if ends > until:
            return
        with frozen_at(ends):
            if data["cancel_at_period_end"]:
                data["status"] = "canceled"
                data["canceled_at"] = data["ended_at"] = ends
                data["cancellation_details"]["reason"] = "cancellation_requested"
                object_save(obj=sub)
                event_emit(type="customer.subscription.deleted", obj=data)
                return
            before = copy.deepcopy(data["items"])
            for item in data["items"]["data"]:
                if item["current_period_end"] == ends:
                    item["current_period_start"] = ends
                    item["current_period_end"] = period_end(
                        ends,
                        item["price"]["recurring"],
                        anchor=data["billing_cycle_anchor"],
                    )
            object_save(obj=sub)
            event_emit(
                type="customer.subscription.updated",
                obj=data,
                previous_attributes={"items": before},
            )
            lines = [
                {
                    "amount": item["price"]["unit_amount"] * item["quantity"],
                    "quantity": item["quantity"],
                    "description": f"{item['quantity']} × {_product_name(item)}",
                    "price": item["price"],
                    "metadata": {},
                    "subscription_item": item["id"],
                }
                for item in data["items"]["data"]
                if item["current_period_start"] == ends
            ]
            pending = _pending_lines(data["id"])
            lines = [line for _, line in pending] + lines
            cust = customer_require(customer_id=data["customer"])
            paid, _ = _invoice_now(
                sub,
                lines=lines,
                billing_reason="subscription_cycle",
                method=_payment_method(cust, data["default_payment_method"]),
                currency=data["currency"],
            )
            for obj, _ in pending:
                obj.parent = obj.data["invoice"] = data["latest_invoice"]
                object_save(obj=obj, fields=("parent",))
            wanted = "active" if paid else "past_due"
            if data["status"] != wanted:
                _status(sub, wanted)


def _pending_items(sub: ApiObject, lines: list[dict[str, Any]]) -> None:
    """Proration lines kept as pending invoice items of the subscription."""
    data = sub.data
    for line in lines:
        item = {
            "id": new_id("ii"),
            "object": "invoiceitem",
            "amount": line["amount"],
            "currency": data["currency"],
            "customer": data["customer"],
            "date": now_ts(),
            "description": line["description"],
            "discountable": False,
            "invoice": None,
            "livemode": False,
            "metadata": {},
            "parent": {
                "type": "subscription_details",
                "subscription_details": {
                    "subscription": data["id"],
                    "subscription_item": line["subscription_item"],
                },
            },
            "period": {"end": now_ts(), "start": now_ts()},
            "pricing": {
                "type": "price_details",
                "price_details": {
                    "price": line["price"]["id"],
                    "product": line["price"]["product"],
                },
                "unit_amount_decimal": str(line["price"]["unit_amount"]),
            },
            "proration": True,
            "quantity": line["quantity"],
            "tax_rates": [],
        }
        object_create(
            kind=Kind.INVOICE_ITEM,
            data=item,
            customer=data["customer"],
            created=item["date"],
        )


def _pending_lines(subscription_id: str) -> list[tuple[ApiObject, dict[str, Any]]]:
    """The subscription's pending invoice items, as invoice lines."""
    found = []
    for obj in (
        ApiObject.objects.select_for_update()
        .filter(
            kind=Kind.INVOICE_ITEM,
            parent="",
            data__parent__subscription_details__subscription=subscription_id,
        )
        .order_by("id")
    ):
        item = obj.data
        price = object_get(
            kind=Kind.PRICE, stripe_id=item["pricing"]["price_details"]["price"]
        ).data
        found.append(
            (
                obj,
                {
                    "amount": item["amount"],
                    "quantity": item["quantity"],
                    "description": item["description"],
                    "price": price,
                    "metadata": {},
                    "subscription_item": item["parent"]["subscription_details"][
                        "subscription_item"
                    ],
                },
            )
        )
    return found
