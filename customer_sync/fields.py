"""The customer fields the two directions share, in one comparable shape.

A *view* is a dict field → value: strings for name, email, phone and terms,
an address dict (Stripe's six keys, "" for blank) for address and shipping.
It is read from the ERP's canonical customer, from a Stripe customer object,
or from the workflows' canonical source of a Stripe customer, so that a value
means the same whichever side it came from.

The marker: every Stripe update the sync makes carries, in the metadata key
`MARKER`, a hash of the view the customer holds after it. A customer.updated
event whose view hashes to its own marker, while that marker is still the
sync's last (CustomerSyncState.sent_marker), is the echo of that update and
is never written back to the ERP; a person's later edit changes the view and
no longer matches, and once an edit is written to the ERP the marker stops
counting, so an edit back to the same values is not taken for an echo.
"""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from integrations.connectors.records import ErpAddress, ErpCustomer

FIELDS = ("name", "email", "phone", "address", "shipping", "terms")
ADDRESS_KEYS = ("line1", "line2", "city", "state", "postal_code", "country")
MARKER = "ledgerbridge_erp_sync"
TERMS_KEY = "erp_terms"
# The Stripe → ERP workflow's canonical source names shipping this way.
SOURCE_NAMES = {"shipping": "shipping_address"}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def address_view(value: Any) -> dict[str, str]:
    if isinstance(value, ErpAddress):
        value = vars(value)
    value = value if isinstance(value, Mapping) else {}
    return {key: _text(value.get(key)) for key in ADDRESS_KEYS}


def view_of_erp(customer: ErpCustomer) -> dict[str, Any]:
    return {
        "name": _text(customer.name),
        "email": _text(customer.email),
        "phone": _text(customer.phone),
        "address": address_view(customer.address),
        "shipping": address_view(customer.shipping),
        "terms": _text(customer.terms),
    }


def stripe_name(customer: Mapping[str, Any]) -> str:
    """The name the Stripe → ERP workflow books, with its fallbacks
    (workflows.common.customer_from_stripe): the views must agree on it."""
    return (
        _text(customer.get("name"))
        or _text(customer.get("description"))
        or _text(customer.get("email"))
        or _text(customer.get("id"))
    )


def view_of_stripe(customer: Mapping[str, Any]) -> dict[str, Any]:
    shipping = customer.get("shipping") or {}
    metadata = customer.get("metadata") or {}
    return {
        "name": stripe_name(customer),
        "email": _text(customer.get("email")),
        "phone": _text(customer.get("phone")),
        "address": address_view(customer.get("address")),
        "shipping": address_view(shipping.get("address")),
        "terms": _text(metadata.get(TERMS_KEY)),
    }


def view_of_source(source: Mapping[str, Any]) -> dict[str, Any]:
    """The view of the workflows' canonical customer source (asdict of
    integrations.canonical.Customer)."""
    metadata = source.get("metadata") or {}
    return {
        "name": _text(source.get("name")),
        "email": _text(source.get("email")),
        "phone": _text(source.get("phone")),
        "address": address_view(source.get("address")),
        "shipping": address_view(source.get(SOURCE_NAMES["shipping"])),
        "terms": _text(metadata.get(TERMS_KEY)),
    }


def value_hash(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def view_hashes(view: Mapping[str, Any]) -> dict[str, str]:
    return {name: value_hash(view[name]) for name in FIELDS}


def marker_of(view: Mapping[str, Any]) -> str:
    return value_hash({name: view[name] for name in FIELDS})


def is_echo(source: Mapping[str, Any], *, sent: str) -> bool:
    """Whether this Stripe customer holds exactly what the sync last wrote
    (`sent`, the marker of its last update)."""
    marker = _text((source.get("metadata") or {}).get(MARKER))
    return bool(marker) and marker == sent == marker_of(view_of_source(source))


def stripe_params(
    changes: Mapping[str, Any], *, name: str, marker: str
) -> dict[str, Any]:
    """Customer update parameters for the changed fields
    (https://docs.stripe.com/api/customers/update): "" clears a value;
    shipping needs a name, the customer's; terms live in the metadata. An
    address's country goes as the ERP holds it: on a customer update it is
    "a freeform text field for the country" (the SDK's CustomerUpdateParams
    .Address)."""
    params: dict[str, Any] = {"metadata": {MARKER: marker}}
    for field, value in changes.items():
        if field in ("name", "email", "phone"):
            params[field] = value
        elif field == "address":
            params["address"] = value if any(value.values()) else ""
        elif field == "shipping":
            params["shipping"] = (
                {"name": name, "address": value} if any(value.values()) else ""
            )
        elif field == "terms":
            params["metadata"][TERMS_KEY] = value
    return params


def written_through(stripe_value: Any, erp_value: Any) -> bool:
    """Whether the ERP's value is what writing Stripe's leaves: the same, or
    cut to the ERP field's length (the mapping templates' cut_text)."""
    if isinstance(stripe_value, Mapping) and isinstance(erp_value, Mapping):
        return all(
            written_through(stripe_value.get(key, ""), erp_value.get(key, ""))
            for key in ADDRESS_KEYS
        )
    return str(stripe_value).startswith(str(erp_value)) and (
        bool(erp_value) or not stripe_value
    )


def source_with(
    source: Mapping[str, Any], view: Mapping[str, Any], fields: set[str]
) -> dict[str, Any]:
    """The workflows' customer source with `fields` taken from `view`."""
    out = dict(source)
    metadata = dict(out.get("metadata") or {})
    for field in fields:
        if field == "terms":
            metadata[TERMS_KEY] = view["terms"]
        else:
            out[SOURCE_NAMES.get(field, field)] = view[field]
    out["metadata"] = metadata
    return out
