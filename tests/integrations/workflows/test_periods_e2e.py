"""Period close end to end: a card payment made through the Stripe sandbox at
23:30 UTC on 31 March reaches the SYSPRO sandbox dated on the integration's
business day, and a payment into a closed period is held or moved."""

import pytest
from freezegun import freeze_time

from integrations.models import SyncRecord
from tests.integrations.workflows.test_sandbox_e2e import (  # noqa: F401
    _forward,
    _references,
    erp_state,
    live_integration,
    sc,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]

Status = SyncRecord.Status


@pytest.fixture
def erp_kind():
    return "syspro"


def _configure(integration, *, timezone: str, policy: str) -> None:
    connection = integration.erp_connection
    connection.config = {**connection.config, "gl_closed_periods": "2024-03"}
    connection.save()
    integration.options = {
        **integration.options,
        "timezone": timezone,
        "closed_period": policy,
    }
    integration.save()


def _pay(client) -> None:
    client.v1.payment_intents.create(
        params={
            "amount": 4000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )


@pytest.mark.parametrize(
    ("timezone", "policy", "status", "booked_on"),
    [
        # 31 March in UTC: March is closed, so the payment waits
        ("UTC", "hold", Status.HELD, None),
        # ... or is moved to 1 April, as the admin allowed
        ("UTC", "move", Status.SUCCEEDED, "2024-04-01"),
        # 1 April in Johannesburg: an April payment, nothing to hold
        ("Africa/Johannesburg", "hold", Status.SUCCEEDED, "2024-04-01"),
    ],
)
# The clock ticks from there: a worker keeps an integration while its rows'
# updated_at stay the same (integrations/ledger/cache.py), which a clock that
# stands still would keep equal from one test to the next.
@freeze_time("2024-03-31T23:30:00Z", tick=True)
def test_a_late_march_payment_is_booked_on_the_business_day(
    request, django_capture_on_commit_callbacks, timezone, policy, status, booked_on
):
    # the order-to-cash test's fixtures: the live SYSPRO sandbox integration
    integration = request.getfixturevalue("live_integration")
    state_of = request.getfixturevalue("erp_state")
    _configure(integration, timezone=timezone, policy=policy)
    _pay(request.getfixturevalue("sc"))

    _forward(integration, django_capture_on_commit_callbacks)

    payment = SyncRecord.objects.get(integration=integration, operation="post_payment")
    assert payment.status == status, payment.error_message or payment.hold_reason
    order = SyncRecord.objects.get(
        integration=integration, operation="create_sales_order"
    )
    assert order.status == Status.SUCCEEDED
    state = state_of()
    booked = [row for row in state["payments"] if row["reference"] == payment.stripe_id]
    if booked_on is None:
        assert booked == []
        assert "GL period 2024-03 of 2024-03-31 is closed" in payment.hold_reason
        return
    assert [row["payment_date"] for row in booked] == [booked_on]
    assert _references(state["payments"])[payment.stripe_id] == 1
