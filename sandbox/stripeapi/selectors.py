"""Reads of the Stripe sandbox: retrieval, list paging, search, expansion, state."""

import re
from collections.abc import Callable
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from .errors import StripeApiError, invalid, no_such
from .models import (
    ApiObject,
    Event,
    IdempotentRequest,
    WebhookDelivery,
    WebhookEndpoint,
)

Kind = ApiObject.Kind
MAX_EXPAND_DEPTH = 4


def object_retrieve(*, kind: str, stripe_id: str) -> dict[str, Any]:
    obj = ApiObject.objects.filter(kind=kind, stripe_id=stripe_id).first()
    if obj is None:
        raise no_such(kind, stripe_id)
    if obj.deleted:
        if kind == Kind.CUSTOMER:
            return {"id": stripe_id, "object": kind, "deleted": True}
        raise no_such(kind, stripe_id)
    return obj.data


def page(
    *,
    queryset: QuerySet,
    render: Callable[[Model], dict[str, Any]],
    url: str,
    limit: int,
    starting_after: str | None,
    ending_before: str | None,
) -> dict[str, Any]:
    """One page of a Stripe list, newest first, cursor-paged by object id."""
    if starting_after and ending_before:
        raise StripeApiError(
            "You may only specify one of these parameters: ending_before, "
            "starting_after."
        )
    cursor = starting_after or ending_before
    if cursor:
        anchor = (
            queryset.model.objects.filter(stripe_id=cursor)
            .values_list("id", flat=True)
            .first()
        )
        if anchor is None:
            param = "starting_after" if starting_after else "ending_before"
            raise invalid(param, f"No such object: '{cursor}'", code="resource_missing")
    if ending_before:
        rows = list(queryset.filter(id__gt=anchor).order_by("id")[: limit + 1])
        has_more = len(rows) > limit
        rows = rows[:limit][::-1]
    else:
        if starting_after:
            queryset = queryset.filter(id__lt=anchor)
        rows = list(queryset.order_by("-id")[: limit + 1])
        has_more = len(rows) > limit
        rows = rows[:limit]
    return {
        "object": "list",
        "data": [render(row) for row in rows],
        "has_more": has_more,
        "url": url,
    }


def objects_of(kind: str) -> QuerySet:
    return ApiObject.objects.filter(kind=kind, deleted=False)


def render_object(obj: ApiObject) -> dict[str, Any]:
    return obj.data


def created_filter(queryset: QuerySet, created: Any, *, field: str = "created"):
    """Stripe's `created=<ts>` or `created[gte|gt|lte|lt]=<ts>`."""
    if created is None:
        return queryset
    if isinstance(created, str):
        if not created.isdigit():
            raise invalid("created", f"Invalid integer: {created}")
        return queryset.filter(**{field: int(created)})
    if not isinstance(created, dict):
        raise invalid("created", "Invalid created filter")
    for op, value in created.items():
        if op not in ("gt", "gte", "lt", "lte"):
            raise invalid(
                f"created[{op}]", f"Received unknown parameter: created[{op}]"
            )
        if not isinstance(value, str) or not value.isdigit():
            raise invalid(f"created[{op}]", f"Invalid integer: {value}")
        queryset = queryset.filter(**{f"{field}__{op}": int(value)})
    return queryset


def events_queryset(
    *,
    type: str | None,  # noqa: A002 - Stripe's parameter name
    types: list[str],
    created: Any,
    delivery_success: bool | None,
) -> QuerySet:
    queryset = Event.objects.all()
    if type:
        if type.endswith("*"):
            queryset = queryset.filter(type__startswith=type[:-1])
        else:
            queryset = queryset.filter(type=type)
    if types:
        queryset = queryset.filter(type__in=types)
    queryset = created_filter(queryset, created)
    if delivery_success is not None:
        unsuccessful = WebhookDelivery.objects.filter(event=OuterRef("pk")).exclude(
            status=WebhookDelivery.Status.SUCCEEDED
        )
        queryset = queryset.filter(
            ~Exists(unsuccessful) if delivery_success else Exists(unsuccessful)
        )
    return queryset


def render_event(event: Event) -> dict[str, Any]:
    data = dict(event.data)
    data["pending_webhooks"] = event.deliveries.exclude(
        status=WebhookDelivery.Status.SUCCEEDED
    ).count()
    return data


def event_retrieve(*, event_id: str) -> dict[str, Any]:
    event = Event.objects.filter(stripe_id=event_id).first()
    if event is None:
        raise no_such("event", event_id)
    return render_event(event)


def render_webhook_endpoint(
    endpoint: WebhookEndpoint, *, with_secret: bool = False
) -> dict[str, Any]:
    data = {
        "id": endpoint.stripe_id,
        "object": "webhook_endpoint",
        "api_version": endpoint.api_version or None,
        "application": None,
        "created": endpoint.created,
        "description": endpoint.description or None,
        "enabled_events": endpoint.enabled_events,
        "livemode": False,
        "metadata": endpoint.metadata,
        "status": endpoint.status,
        "url": endpoint.url,
    }
    if with_secret:
        # Stripe shows the signing secret only in the create response.
        data["secret"] = endpoint.secret
    return data


# Stripe search query language, the part catalog sync needs:
# https://docs.stripe.com/search#search-query-language
_CLAUSE = re.compile(
    r"""^\s*(-)?(?:metadata\[(['"])(?P<mkey>[^'"]+)\2\]|(?P<field>[a-z_]+))"""
    r"""\s*(?P<op>[:~])\s*(['"])(?P<value>.*?)\6\s*$""",
)


def _clause_q(raw: str, searchable: set[str]) -> Q:
    match = _CLAUSE.match(raw)
    if not match:
        raise invalid("query", f"Invalid search query clause: {raw.strip()!r}")
    negate, value, op = match.group(1), match.group("value"), match.group("op")
    if match.group("mkey"):
        lookup = f"data__metadata__{match.group('mkey')}"
    else:
        field = match.group("field")
        if field not in searchable:
            raise invalid("query", f"Field '{field}' is not supported for search.")
        lookup = f"data__{field}"
    if op == "~":
        clause = Q(**{f"{lookup}__icontains": value})
    elif value in ("true", "false") and lookup == "data__active":
        clause = Q(**{lookup: value == "true"})
    else:
        clause = Q(**{lookup: value})
    return ~clause if negate else clause


def search_queryset(*, kind: str, query: str, searchable: set[str]) -> QuerySet:
    if not query.strip():
        raise invalid("query", "query must not be empty")
    if re.search(r"\sAND\s", query) and re.search(r"\sOR\s", query):
        raise invalid("query", "AND and OR cannot be combined in one query.")
    joiner = "OR" if re.search(r"\sOR\s", query) else "AND"
    combined = Q()
    for index, raw in enumerate(re.split(rf"\s{joiner}\s", query)):
        clause = _clause_q(raw, searchable)
        if index == 0:
            combined = clause
        elif joiner == "AND":
            combined &= clause
        else:
            combined |= clause
    return objects_of(kind).filter(combined)


def search_page(
    *, queryset: QuerySet, url: str, limit: int, page_token: str | None
) -> dict[str, Any]:
    if page_token:
        if not page_token.isdigit():
            raise invalid("page", "Invalid page token")
        queryset = queryset.filter(id__lt=int(page_token))
    rows = list(queryset.order_by("-id")[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    return {
        "object": "search_result",
        "data": [row.data for row in rows],
        "has_more": has_more,
        "next_page": str(rows[-1].id) if has_more else None,
        "url": url,
    }


def expand(body: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """Replace ids at the given dotted paths by the objects they name."""
    for path in paths:
        parts = path.split(".")
        if not isinstance(path, str) or len(parts) > MAX_EXPAND_DEPTH + 1:
            raise invalid(
                "expand", f"You cannot expand more than {MAX_EXPAND_DEPTH} levels"
            )
        _expand(body, parts, path)
    return body


def _charge_refunds(charge: dict[str, Any]) -> dict[str, Any]:
    refunds = objects_of(Kind.REFUND).filter(parent=charge["id"]).order_by("-id")
    return {
        "object": "list",
        "data": [row.data for row in refunds],
        "has_more": False,
        "total_count": len(refunds),
        "url": f"/v1/charges/{charge['id']}/refunds",
    }


# Properties Stripe leaves out of an object unless they are expanded (since
# 2022-11-15 a charge's `refunds` list is one of them).
_EXPAND_ONLY = {("charge", "refunds"): _charge_refunds}


def _expand(node: Any, parts: list[str], path: str) -> None:
    if isinstance(node, list):
        for item in node:
            _expand(item, parts, path)
        return
    if not isinstance(node, dict):
        return
    key, rest = parts[0], parts[1:]
    builder = _EXPAND_ONLY.get((node.get("object"), key))
    if builder is not None and key not in node:
        node[key] = builder(node)
    if key not in node:
        raise invalid("expand", f"This property cannot be expanded ({path}).")
    value = node[key]
    if isinstance(value, str):
        obj = ApiObject.objects.filter(stripe_id=value).first()
        if obj is None:
            raise invalid("expand", f"This property cannot be expanded ({path}).")
        value = (
            {"id": obj.stripe_id, "object": obj.kind, "deleted": True}
            if obj.deleted
            else dict(obj.data)
        )
        node[key] = value
    if rest:
        _expand(value, rest, path)


def sandbox_state() -> dict[str, Any]:
    counts = {kind: ApiObject.objects.filter(kind=kind).count() for kind in Kind.values}
    return {
        "customers": counts[Kind.CUSTOMER],
        "payment_intents": counts[Kind.PAYMENT_INTENT],
        "charges": counts[Kind.CHARGE],
        "refunds": counts[Kind.REFUND],
        "disputes": counts[Kind.DISPUTE],
        "payouts": counts[Kind.PAYOUT],
        "balance_transactions": counts[Kind.BALANCE_TRANSACTION],
        "products": counts[Kind.PRODUCT],
        "prices": counts[Kind.PRICE],
        "events": Event.objects.count(),
        "webhook_endpoints": WebhookEndpoint.objects.count(),
        "webhook_deliveries": {
            status: WebhookDelivery.objects.filter(status=status).count()
            for status in WebhookDelivery.Status.values
        },
        "idempotent_requests": IdempotentRequest.objects.count(),
    }
