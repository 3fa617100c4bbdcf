"""Customers: create, update (metadata merge), delete, each with its event."""

import copy
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from ..errors import StripeApiError
from ..models import ApiObject
from ..params import metadata_apply
from .core import (
    event_emit,
    frozen_at,
    new_id,
    now_ts,
    object_create,
    object_get,
    object_save,
)

Kind = ApiObject.Kind

# Plain fields a caller may set; the API layer has already type-checked them.
CUSTOMER_FIELDS = (
    "email",
    "name",
    "phone",
    "description",
    "address",
    "shipping",
    "preferred_locales",
    "invoice_prefix",
)


def _customer_live(customer_id: str) -> ApiObject:
    obj = object_get(kind=Kind.CUSTOMER, stripe_id=customer_id, for_update=True)
    if obj.deleted:
        raise StripeApiError(
            f"No such customer: '{customer_id}'",
            status=404,
            code="resource_missing",
            param="id",
        )
    return obj


def customer_create(
    *,
    fields: dict[str, Any],
    metadata: dict[str, str] | None,
    test_clock: str | None = None,
) -> dict[str, Any]:
    created = now_ts()
    if test_clock:
        clock = object_get(
            kind=Kind.TEST_CLOCK, stripe_id=test_clock, param="test_clock"
        )
        if clock.deleted:
            raise StripeApiError(
                f"No such test clock: '{test_clock}'",
                code="resource_missing",
                param="test_clock",
            )
        created = clock.data["frozen_time"]
    data: dict[str, Any] = {
        "id": new_id("cus", 14),
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": created,
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": None,
        "invoice_prefix": secrets.token_hex(4).upper(),
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": metadata_apply({}, metadata),
        "name": None,
        "next_invoice_sequence": 1,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": test_clock,
    }
    data.update(fields)
    with transaction.atomic():
        object_create(kind=Kind.CUSTOMER, data=data)
        event_emit(type="customer.created", obj=data)
    return data


def customer_update(
    *, customer_id: str, fields: dict[str, Any], metadata: dict[str, str] | None
) -> dict[str, Any]:
    with transaction.atomic():
        obj = _customer_live(customer_id)
        before = copy.deepcopy(obj.data)
        obj.data.update(fields)
        obj.data["metadata"] = metadata_apply(before["metadata"], metadata)
        previous = {
            key: before.get(key)
            for key in obj.data
            if key in before and obj.data[key] != before[key]
        }
        if previous:
            object_save(obj=obj)
            event_emit(
                type="customer.updated", obj=obj.data, previous_attributes=previous
            )
    return obj.data


def customer_delete(*, customer_id: str) -> dict[str, Any]:
    with transaction.atomic():
        obj = _customer_live(customer_id)
        obj.deleted = True
        object_save(obj=obj, fields=("deleted",))
        event_emit(type="customer.deleted", obj=obj.data)
    return {"id": customer_id, "object": "customer", "deleted": True}


def customer_require(*, customer_id: str, param: str = "customer") -> ApiObject:
    """A live customer referenced by another object, else Stripe's 400."""
    obj = ApiObject.objects.filter(kind=Kind.CUSTOMER, stripe_id=customer_id).first()
    if obj is None or obj.deleted:
        raise StripeApiError(
            f"No such customer: '{customer_id}'", code="resource_missing", param=param
        )
    return obj


@contextmanager
def on_customer_clock(customer: ApiObject) -> Iterator[None]:
    """Create objects at the time of the customer's test clock, if it has one
    (https://docs.stripe.com/billing/testing/test-clocks)."""
    clock = customer.data.get("test_clock")
    if not clock:
        yield
        return
    frozen = object_get(kind=Kind.TEST_CLOCK, stripe_id=clock).data["frozen_time"]
    with frozen_at(frozen):
        yield
