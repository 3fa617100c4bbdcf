"""Helpers the event families share: Stripe dicts → canonical records, keys.

Keys are by Stripe object, never by event id, so every event that talks about
the same charge (charge.succeeded, payment_intent.succeeded, a refund that
arrives first, a sweep or a backfill) plans the same ledger records.
"""

from typing import Any

from integrations.canonical import Address, Customer
from integrations.models import SyncRecord
from portal.exceptions import ApplicationError

from .plan import WorkflowContext

# Metadata keys finance staff can set on Stripe objects.
META_ERP_CODE = "erp_customer_code"
META_ERP_ORDER = "erp_order"
META_ERP_INVOICE = "erp_invoice"
META_LINES = "lines"


class PlanningError(ApplicationError):
    """The event cannot be planned (and must not be marked processed)."""


def event_object(event: dict[str, Any]) -> dict[str, Any]:
    return event.get("data", {}).get("object") or {}


def previous_attributes(event: dict[str, Any]) -> dict[str, Any]:
    return event.get("data", {}).get("previous_attributes") or {}


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def currency_of(obj: dict[str, Any]) -> str:
    return text(obj.get("currency")).upper()


def stripe_id_of(value: Any) -> str:
    """An id from a field that may be an id or an expanded object."""
    if isinstance(value, dict):
        return text(value.get("id"))
    return text(value)


def minor(value: Any) -> int:
    """A Stripe amount: always an integer number of minor units."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlanningError(f"amount {value!r} is not an integer of minor units")
    return value


def address_from(data: dict[str, Any] | None) -> Address:
    data = data or {}
    return Address(
        line1=text(data.get("line1")),
        line2=text(data.get("line2")),
        city=text(data.get("city")),
        state=text(data.get("state")),
        postal_code=text(data.get("postal_code")),
        country=text(data.get("country")).upper(),
    )


def customer_key(stripe_customer_id: str) -> str:
    return f"customer:{stripe_customer_id}"


def guest_id(*, email: str, charge_id: str) -> str:
    """The pseudo Stripe id of a guest: one ERP customer per billing email."""
    return f"guest:{email.lower()}" if email else f"guest:{charge_id}"


def customer_from_stripe(
    customer: dict[str, Any], *, created: int | None = None
) -> Customer:
    shipping = customer.get("shipping") or {}
    metadata = {str(k): text(v) for k, v in (customer.get("metadata") or {}).items()}
    return Customer(
        stripe_id=text(customer.get("id")),
        # The ERPs require a name; fall back to what identifies the customer.
        name=text(customer.get("name"))
        or text(customer.get("description"))
        or text(customer.get("email"))
        or text(customer.get("id")),
        email=text(customer.get("email")),
        phone=text(customer.get("phone")),
        currency=currency_of(customer),
        address=address_from(customer.get("address")),
        shipping_address=address_from(shipping.get("address")),
        erp_code=metadata.get(META_ERP_CODE, ""),
        metadata=metadata,
        created=created if created is not None else int(customer.get("created") or 0),
        deleted=bool(customer.get("deleted")),
    )


def customer_from_charge(charge: dict[str, Any]) -> Customer:
    """What a charge tells about its payer; the executor completes it at run time."""
    billing = charge.get("billing_details") or {}
    shipping = charge.get("shipping") or {}
    email = text(billing.get("email")) or text(charge.get("receipt_email"))
    metadata = {str(k): text(v) for k, v in (charge.get("metadata") or {}).items()}
    stripe_customer = stripe_id_of(charge.get("customer"))
    return Customer(
        stripe_id=stripe_customer
        or guest_id(email=email, charge_id=text(charge.get("id"))),
        name=text(billing.get("name"))
        or text(shipping.get("name"))
        or email
        or stripe_customer
        or text(charge.get("id")),
        email=email,
        phone=text(billing.get("phone")),
        currency=currency_of(charge),
        address=address_from(billing.get("address")),
        shipping_address=address_from(shipping.get("address")),
        erp_code=metadata.get(META_ERP_CODE, ""),
        created=int(charge.get("created") or 0),
    )


def ledger_record(ctx: WorkflowContext, key: str) -> SyncRecord | None:
    """A record planned earlier (by any event) under this integration key."""
    return (
        SyncRecord.objects.filter(idempotency_key=f"{ctx.integration.pk}:{key}")
        .order_by()
        .first()
    )


def planned_keys(record: SyncRecord) -> tuple[str, ...]:
    """The plan keys a stored record depends on (idempotency keys minus prefix)."""
    prefix = f"{record.integration_id}:"
    return tuple(
        key.removeprefix(prefix)
        for key in record.depends_on.values_list("idempotency_key", flat=True)
    )


def stripe_client(ctx: WorkflowContext) -> Any:
    if ctx.stripe is None:
        raise PlanningError("this event needs a Stripe API call and none is available")
    return ctx.stripe()
