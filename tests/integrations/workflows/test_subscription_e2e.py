"""A month of Stripe Billing end to end (issue 20, items 1 and 9): a customer on
a test clock subscribes, upgrades mid-period (an invoiced proration), gets a
credit note, has a one-off invoice voided, renews at the month end and
cancels. Everything goes through the Stripe sandbox with the official SDK,
webhooks into the real workflows and ledger, to the SYSPRO sandbox or the real
Sage Pro agent; then the ERP is compared with Stripe document by document, to
the cent, and the customer's subscription fields with the subscription.
"""

from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from integrations.models import CustomerLink, SyncRecord
from mapping.models import AnomalyPolicy
from sandbox.sagepro_books import table_rows
from tests.integrations.workflows import test_sandbox_e2e as e2e

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]

# The order-to-cash end-to-end module's fixtures: the sandboxes in process,
# the agent over loopback, an integration on them, the official SDK.
erp_kind = e2e.erp_kind
erp_state = e2e.erp_state
live_integration = e2e.live_integration
sc = e2e.sc

JAN_1 = 1_767_225_600  # 2026-01-01 00:00 UTC
DAY = 86_400


def _erp_subscription_fields(erp_kind, request, state, integration) -> dict:
    code = CustomerLink.objects.get(integration=integration).erp_customer_code
    if erp_kind == "syspro":
        return {
            row["field_name"]: row["alpha_value"]
            for row in state["custom_forms"]
            if (row["form_type"], row["key_field"]) == ("CUS", code)
        }
    agent = request.getfixturevalue("sagepro_agent")
    (row,) = [r for r in table_rows(agent.data, "arsubs", "01") if r["custno"] == code]
    return {
        "SUBPLN": row["plan"],
        "SUBSTS": row["status"],
        "SUBEND": row["periodend"],
        "SUBMRR": f"{Decimal(row['mrr']):.2f}",
    }


def test_a_month_of_subscriptions_matches_stripe_document_by_document(
    erp_kind,
    live_integration,
    erp_state,
    sc,
    django_capture_on_commit_callbacks,
    request,
):
    # given invoices booked at finalization (so a void has something to
    # reverse) and the anomaly holds off (a clock replays a month in seconds)
    live_integration.options = {
        **(live_integration.options or {}),
        "invoice_booking": "finalized",
    }
    live_integration.save(update_fields=["options"])
    AnomalyPolicy.objects.update_or_create(
        integration=live_integration, defaults={"enabled": False}
    )
    clock = sc.v1.test_helpers.test_clocks.create(params={"frozen_time": JAN_1})
    customer = sc.v1.customers.create(
        params={
            "email": "month@example.com",
            "name": "Month Co",
            "test_clock": clock.id,
        }
    ).id
    seat, pro = (
        sc.v1.prices.create(
            params={
                "currency": "usd",
                "unit_amount": amount,
                "recurring": {"interval": "month"},
                "product_data": {"name": name},
            }
        )
        for amount, name in ((2400, "Seat"), (3000, "Pro seat"))
    )

    # when: 3 seats on Jan 1; upgraded to pro seats on Jan 11 (proration
    # invoiced at once); a 10.00 credit note on the first invoice; a one-off
    # invoice finalized and voided; the Feb 1 renewal; cancelled on Feb 5
    sub = sc.v1.subscriptions.create(
        params={
            "customer": customer,
            "items": [{"price": seat.id, "quantity": 3}],
            "default_payment_method": "pm_card_visa",
        }
    )
    sc.v1.test_helpers.test_clocks.advance(
        clock.id, params={"frozen_time": JAN_1 + 10 * DAY}
    )
    sc.v1.subscriptions.update(
        sub.id,
        params={
            "items": [{"id": sub["items"].data[0].id, "price": pro.id}],
            "proration_behavior": "always_invoice",
        },
    )
    credit = sc.v1.credit_notes.create(
        params={"invoice": sub.latest_invoice, "amount": 1000}
    )
    one_off = sc.v1.invoices.create(params={"customer": customer})
    sc.v1.invoice_items.create(
        params={
            "customer": customer,
            "invoice": one_off.id,
            "amount": 5000,
            "currency": "usd",
            "description": "Setup fee",
        }
    )
    sc.v1.invoices.finalize_invoice(one_off.id)
    sc.v1.invoices.void_invoice(one_off.id)
    sc.v1.test_helpers.test_clocks.advance(
        clock.id, params={"frozen_time": JAN_1 + 31 * DAY + 3600}
    )
    sc.v1.test_helpers.test_clocks.advance(
        clock.id, params={"frozen_time": JAN_1 + 35 * DAY}
    )
    sc.v1.subscriptions.cancel(sub.id)

    # the events reach the portal, then all of them again
    e2e._forward(live_integration, django_capture_on_commit_callbacks)
    e2e._forward(live_integration, django_capture_on_commit_callbacks, suffix="_again")

    # then every ledger record succeeded
    problems = [
        (r.operation, r.stripe_id, r.status, r.error_message)
        for r in SyncRecord.objects.filter(integration=live_integration)
        if r.status != SyncRecord.Status.SUCCEEDED
    ]
    assert problems == []
    state = erp_state()
    po, value = e2e._PO[erp_kind], e2e._VALUE[erp_kind]

    # every Stripe invoice is one ERP invoice of its total; paid ones are
    # closed but for the credit note, the void one reversed in full
    stripe_invoices = sc.v1.invoices.list(params={"customer": customer}).data
    assert {i.status for i in stripe_invoices} == {"paid", "void"}
    assert len(stripe_invoices) == 4  # first, proration, one-off, renewal
    erp_invoices = {row[po]: row for row in state["invoices"] if row.get(po)}
    for invoice in stripe_invoices:
        row = erp_invoices[invoice.id]
        assert e2e._money(row[value]) == Decimal(invoice.total) / 100, invoice.id
        # A void invoice is reversed whole; a paid one owes nothing but what
        # its credit note gave back.
        owed = Decimal(0)
        if invoice.id == sub.latest_invoice:
            owed -= Decimal(credit.amount) / 100
        assert e2e._balance(erp_kind, state, row) == owed, invoice.id
    totals = sorted(i.total for i in stripe_invoices)
    # 72.00 first; the proration for 21 of 31 days, each line rounded on its
    # own: 3 × 30.00 → 60.97 less 3 × 24.00 → 48.77 = 12.20; 50.00 voided;
    # 90.00 renewal
    assert totals == [1220, 5000, 7200, 9000]
    credits = e2e._references(state["credit_notes"])
    assert credits[credit.id] == 1
    assert credits[f"{one_off.id}:void"] == 1
    assert sum(e2e._references(state["payments"]).values()) == 3
    assert e2e._references(state["sales_orders"]) == Counter()

    # and the customer's subscription fields are the subscription's last state
    ended = sc.v1.subscriptions.retrieve(sub.id)
    period_end = max(item.current_period_end for item in ended["items"].data)
    fields = _erp_subscription_fields(erp_kind, request, state, live_integration)
    assert fields == {
        "SUBPLN": pro.id,
        "SUBSTS": "canceled",
        "SUBEND": datetime.fromtimestamp(period_end, tz=UTC).date().isoformat(),
        "SUBMRR": "0.00",
    }
