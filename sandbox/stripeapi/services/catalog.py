"""Products and prices, enough for catalog sync."""

import copy
from typing import Any

from django.db import transaction

from ..errors import StripeApiError
from ..models import ApiObject
from ..params import metadata_apply
from .core import event_emit, new_id, now_ts, object_create, object_get, object_save

Kind = ApiObject.Kind

PRODUCT_FIELDS = (
    "name",
    "active",
    "description",
    "images",
    "shippable",
    "statement_descriptor",
    "tax_code",
    "unit_label",
    "url",
)
PRICE_UPDATE_FIELDS = ("active", "nickname", "lookup_key", "tax_behavior")


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {
        key: before.get(key)
        for key in after
        if key in before and after[key] != before[key] and key != "updated"
    }


def product_create(
    *,
    product_id: str | None,
    fields: dict[str, Any],
    metadata: dict[str, str] | None,
    default_price_data: dict[str, Any] | None,
) -> dict[str, Any]:
    created = now_ts()
    data: dict[str, Any] = {
        "id": product_id or new_id("prod", 14),
        "object": "product",
        "active": True,
        "created": created,
        "default_price": None,
        "description": None,
        "images": [],
        "livemode": False,
        "marketing_features": [],
        "metadata": metadata_apply({}, metadata),
        "name": None,
        "package_dimensions": None,
        "shippable": None,
        "statement_descriptor": None,
        "tax_code": None,
        "type": "service",
        "unit_label": None,
        "updated": created,
        "url": None,
    }
    data.update(fields)
    with transaction.atomic():
        if ApiObject.objects.filter(stripe_id=data["id"]).exists():
            raise StripeApiError(
                f"Product already exists: {data['id']}",
                code="resource_already_exists",
                param="id",
            )
        obj = object_create(kind=Kind.PRODUCT, data=data)
        event_emit(type="product.created", obj=data)
        if default_price_data:
            price = price_create(
                product=data["id"],
                currency=default_price_data["currency"],
                unit_amount=default_price_data["unit_amount"],
                recurring=default_price_data.get("recurring"),
                fields={},
                metadata=None,
                transfer_lookup_key=False,
            )
            data["default_price"] = price["id"]
            object_save(obj=obj)
    return data


def product_update(
    *,
    product_id: str,
    fields: dict[str, Any],
    metadata: dict[str, str] | None,
) -> dict[str, Any]:
    with transaction.atomic():
        obj = _live_product(product_id, param="id", status=404)
        if fields.get("default_price"):
            price = object_get(
                kind=Kind.PRICE,
                stripe_id=fields["default_price"],
                param="default_price",
            )
            if price.parent != product_id:
                raise StripeApiError(
                    "The default price must belong to this product.",
                    param="default_price",
                )
        before = copy.deepcopy(obj.data)
        obj.data.update(fields)
        obj.data["metadata"] = metadata_apply(before["metadata"], metadata)
        previous = _changes(before, obj.data)
        if previous:
            obj.data["updated"] = now_ts()
            object_save(obj=obj)
            event_emit(
                type="product.updated", obj=obj.data, previous_attributes=previous
            )
    return obj.data


def product_delete(*, product_id: str) -> dict[str, Any]:
    with transaction.atomic():
        obj = _live_product(product_id, param="id", status=404)
        if ApiObject.objects.filter(kind=Kind.PRICE, parent=product_id).exists():
            raise StripeApiError(
                "This product cannot be deleted because it has one or more "
                "user-created prices.",
            )
        obj.deleted = True
        object_save(obj=obj, fields=("deleted",))
        event_emit(type="product.deleted", obj=obj.data)
    return {"id": product_id, "object": "product", "deleted": True}


def _live_product(product_id: str, *, param: str, status: int) -> ApiObject:
    obj = ApiObject.objects.filter(kind=Kind.PRODUCT, stripe_id=product_id).first()
    if obj is None or obj.deleted:
        raise StripeApiError(
            f"No such product: '{product_id}'",
            status=status,
            code="resource_missing",
            param=param,
        )
    return obj


def _take_lookup_key(lookup_key: str, *, transfer: bool, keep_id: str = "") -> None:
    holder = (
        ApiObject.objects.filter(kind=Kind.PRICE, data__lookup_key=lookup_key)
        .exclude(stripe_id=keep_id)
        .first()
    )
    if holder is None:
        return
    if not transfer:
        raise StripeApiError(
            f"A price ({holder.stripe_id}) already uses that lookup key.",
            param="lookup_key",
        )
    before = copy.deepcopy(holder.data)
    holder.data["lookup_key"] = None
    object_save(obj=holder)
    event_emit(
        type="price.updated",
        obj=holder.data,
        previous_attributes=_changes(before, holder.data),
    )


def price_create(
    *,
    product: str,
    currency: str,
    unit_amount: int,
    recurring: dict[str, Any] | None,
    fields: dict[str, Any],
    metadata: dict[str, str] | None,
    transfer_lookup_key: bool,
) -> dict[str, Any]:
    with transaction.atomic():
        _live_product(product, param="product", status=400)
        if fields.get("lookup_key"):
            _take_lookup_key(fields["lookup_key"], transfer=transfer_lookup_key)
        data: dict[str, Any] = {
            "id": new_id("price"),
            "object": "price",
            "active": True,
            "billing_scheme": "per_unit",
            "created": now_ts(),
            "currency": currency,
            "custom_unit_amount": None,
            "livemode": False,
            "lookup_key": None,
            "metadata": metadata_apply({}, metadata),
            "nickname": None,
            "product": product,
            "recurring": (
                {
                    "interval": recurring["interval"],
                    "interval_count": int(recurring.get("interval_count") or 1),
                    "meter": None,
                    "trial_period_days": None,
                    "usage_type": "licensed",
                }
                if recurring
                else None
            ),
            "tax_behavior": "unspecified",
            "tiers_mode": None,
            "transform_quantity": None,
            "type": "recurring" if recurring else "one_time",
            "unit_amount": unit_amount,
            "unit_amount_decimal": str(unit_amount),
        }
        data.update(fields)
        object_create(kind=Kind.PRICE, data=data, parent=product, currency=currency)
        event_emit(type="price.created", obj=data)
    return data


def price_update(
    *,
    price_id: str,
    fields: dict[str, Any],
    metadata: dict[str, str] | None,
    transfer_lookup_key: bool,
) -> dict[str, Any]:
    with transaction.atomic():
        obj = object_get(kind=Kind.PRICE, stripe_id=price_id)
        if fields.get("lookup_key"):
            _take_lookup_key(
                fields["lookup_key"], transfer=transfer_lookup_key, keep_id=price_id
            )
        before = copy.deepcopy(obj.data)
        obj.data.update(fields)
        obj.data["metadata"] = metadata_apply(before["metadata"], metadata)
        previous = _changes(before, obj.data)
        if previous:
            object_save(obj=obj)
            event_emit(type="price.updated", obj=obj.data, previous_attributes=previous)
    return obj.data
