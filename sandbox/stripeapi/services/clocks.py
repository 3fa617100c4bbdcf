"""Test clocks: move a customer's subscriptions through time.

https://docs.stripe.com/billing/testing/test-clocks: customers created with
`test_clock` live on the clock's frozen time; advancing it renews their
subscriptions at each period end it passes (a `subscription_cycle` invoice,
charged with the default payment method; a declined card makes the
subscription `past_due`). Stripe advances asynchronously and reports
`advancing`, then `ready`; the sandbox advances within the request and
answers `ready`, which a client polling for `ready` accepts as is.
"""

from typing import Any

from django.db import transaction

from ..errors import StripeApiError, invalid
from ..models import ApiObject
from . import subscriptions
from .core import event_emit, new_id, now_ts, object_create, object_get, object_save

Kind = ApiObject.Kind


def clock_create(*, frozen_time: int, name: str | None) -> dict[str, Any]:
    with transaction.atomic():
        created = now_ts()
        data = {
            "id": new_id("clock"),
            "object": "test_helpers.test_clock",
            "created": created,
            "deletes_after": created + 30 * 86400,
            "frozen_time": frozen_time,
            "livemode": False,
            "name": name,
            "status": "ready",
            "status_details": {},
        }
        object_create(kind=Kind.TEST_CLOCK, data=data)
    return data


def clock_advance(*, clock_id: str, frozen_time: int) -> dict[str, Any]:
    with transaction.atomic():
        clock = object_get(kind=Kind.TEST_CLOCK, stripe_id=clock_id, for_update=True)
        data = clock.data
        if frozen_time <= data["frozen_time"]:
            raise invalid(
                "frozen_time",
                "The frozen_time must be after the test clock's current "
                f"frozen_time ({data['frozen_time']}).",
            )
        data["status"] = "advancing"
        object_save(obj=clock)
        event_emit(type="test_helpers.test_clock.advancing", obj=data)
        customers = ApiObject.objects.filter(
            kind=Kind.CUSTOMER, data__test_clock=clock_id
        ).values_list("stripe_id", flat=True)
        for sub in (
            ApiObject.objects.select_for_update()
            .filter(kind=Kind.SUBSCRIPTION, customer__in=list(customers))
            .order_by("id")
        ):
            subscriptions.subscription_renew(sub, until=frozen_time)
        data["frozen_time"] = frozen_time
        data["status"] = "ready"
        object_save(obj=clock)
        event_emit(type="test_helpers.test_clock.ready", obj=data)
    return data


def clock_delete(*, clock_id: str) -> dict[str, Any]:
    with transaction.atomic():
        clock = object_get(kind=Kind.TEST_CLOCK, stripe_id=clock_id, for_update=True)
        if clock.data["status"] == "advancing":
            raise StripeApiError("A test clock cannot be deleted while it advances.")
        clock.deleted = True
        object_save(obj=clock, fields=("deleted",))
    return {"id": clock_id, "object": "test_helpers.test_clock", "deleted": True}
