"""Subscription fields on the ERP customer (issue 20, item 1) and invoice lines
by the catalog's price → stock code link. The fake ERP of each kind."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from catalog_sync.models import CatalogLink
from integrations.connectors.errors import UnknownOutcomeError
from integrations.models import SyncRecord, WebhookEvent
from integrations.workflows.subscriptions import subscription_mrr
from tests.integrations.workflows import stripe_events as se

pytestmark = pytest.mark.django_db

T0 = se.BASE_TIME
MONTH_END = T0 + 30 * 86400


def price(
    price_id: str = "price_basic",
    *,
    amount: int = 4900,
    interval: str = "month",
    count: int = 1,
    currency: str = "usd",
    **extra,
) -> dict:
    return {
        "id": price_id,
        "object": "price",
        "currency": currency,
        "unit_amount": amount,
        "unit_amount_decimal": str(amount),
        "billing_scheme": "per_unit",
        "recurring": {"interval": interval, "interval_count": count},
        "product": f"prod_{price_id}",
        **extra,
    }


def subscription(
    sub_id: str = "sub_1",
    *,
    status: str = "active",
    items: list[tuple[dict, int]] | None = None,
    period_end: int = MONTH_END,
    currency: str = "usd",
    discounts: list | None = None,
) -> dict:
    """A subscription in the basil shape (periods on the items)."""
    items = items if items is not None else [(price(), 1)]
    return {
        "id": sub_id,
        "object": "subscription",
        "customer": "cus_A",
        "currency": currency,
        "status": status,
        "discounts": discounts or [],
        "items": {
            "object": "list",
            "data": [
                {
                    "id": f"si_{sub_id}_{n}",
                    "price": p,
                    "quantity": q,
                    "current_period_start": period_end - 30 * 86400,
                    "current_period_end": period_end,
                }
                for n, (p, q) in enumerate(items)
            ],
        },
    }


def sub_event(kind: str, sub: dict, *, created: int) -> dict:
    return se.event(
        f"customer.subscription.{kind}", sub, created=created, api_version=se.BASIL
    )


def written(harness):
    """The customer's subscription fields as the ERP holds them."""
    ((code, state),) = harness.erp.subscription_fields.items()
    return state


# MRR ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "currency", "expected"),
    [
        ([(price(amount=4900), 3)], "usd", 14700),
        # A yearly price is a twelfth a month, to the minor unit, half up.
        ([(price(amount=10000, interval="year"), 1)], "usd", 833),
        ([(price(amount=10006, interval="year"), 1)], "usd", 834),
        # Every 3 months: a third; every 2 weeks: 52/24 of a price a month.
        ([(price(amount=3000, count=3), 1)], "usd", 1000),
        ([(price(amount=1200, interval="week", count=2), 1)], "usd", 2600),
        ([(price(amount=100, interval="day"), 1)], "usd", 3042),
        # Zero-decimal yen and three-decimal dinars are minor units too.
        ([(price(amount=12000, interval="year", currency="jpy"), 1)], "jpy", 1000),
        ([(price(amount=12005, interval="year", currency="kwd"), 2)], "kwd", 2001),
        # Two items add up.
        ([(price(amount=4900), 1), (price("p2", amount=1000), 2)], "usd", 6900),
    ],
)
def test_mrr_brings_each_interval_to_a_month(items, currency, expected):
    sub = subscription(items=items, currency=currency)

    assert subscription_mrr(sub, discounts=[], as_of=T0) == expected


@pytest.mark.parametrize("status", ["trialing", "canceled", "unpaid", "incomplete"])
def test_only_active_and_past_due_subscriptions_earn_mrr(status):
    assert subscription_mrr(subscription(status=status), discounts=[], as_of=T0) == 0
    assert subscription_mrr(subscription(status="past_due"), discounts=[], as_of=T0)


def test_mrr_less_recurring_discounts_only():
    sub = subscription(items=[(price(amount=12000, interval="year"), 1)])
    percent = {"coupon": {"percent_off": 25, "duration": "forever"}}
    once = {"coupon": {"percent_off": 50, "duration": "once"}}
    amount_off = {
        "source": {
            "coupon": {"amount_off": 1200, "currency": "usd", "duration": "repeating"}
        }
    }
    ended = {"coupon": {"percent_off": 90, "duration": "forever"}, "end": T0 - 1}

    assert subscription_mrr(sub, discounts=[percent], as_of=T0) == 750
    assert subscription_mrr(sub, discounts=[once, ended], as_of=T0) == 1000
    # 12.00 off each yearly invoice is 1.00 a month.
    assert subscription_mrr(sub, discounts=[amount_off], as_of=T0) == 900


def test_discount_ids_are_fetched_from_stripe_expanded(harness):
    # given: an event naming its discount by id only, as Stripe sends it
    sub = subscription(discounts=["di_1"])
    fetched = {
        **sub,
        "discounts": [
            {
                "id": "di_1",
                "source": {"coupon": {"percent_off": 50, "duration": "forever"}},
            }
        ],
    }
    calls = []

    def retrieve_subscription(subscription_id, *, expand=None):
        calls.append((subscription_id, expand))
        return fetched

    harness.stripe.retrieve_subscription = retrieve_subscription

    # when
    harness.deliver(sub_event("created", sub, created=T0))

    # then: Stripe was asked once, with the discounts expanded
    assert calls == [("sub_1", ["discounts"])]
    assert written(harness).mrr == 2450


# Events ---------------------------------------------------------------------


def test_created_writes_plan_status_period_and_mrr(harness):
    (event,) = harness.deliver(
        sub_event("created", subscription(items=[(price(), 2)]), created=T0)
    )

    assert event.status == WebhookEvent.Status.PROCESSED
    state = written(harness)
    assert (state.plan, state.status, state.mrr, state.currency) == (
        "price_basic",
        "active",
        9800,
        "USD",
    )
    assert state.current_period_end == MONTH_END


def test_the_plan_is_the_erp_stock_code_the_catalog_links_the_price_to(harness):
    CatalogLink.objects.create(
        integration=harness.integration,
        erp_item="SUB-BASIC",
        price_code="A",
        currency="usd",
        name="Basic",
        stripe_product="prod_price_basic",
        stripe_price="price_basic",
        interval="month",
        unit_amount=4900,
        synced_at=timezone.now(),
    )

    harness.deliver(sub_event("created", subscription(), created=T0))

    assert written(harness).plan == "SUB-BASIC"


@pytest.mark.parametrize("newer_first", [False, True], ids=["in-order", "reordered"])
def test_an_older_update_never_overwrites_a_newer_one(harness, newer_first):
    created = sub_event("created", subscription(), created=T0)
    pro = [(price("price_pro", amount=9900), 1)]
    upgrade = sub_event("updated", subscription(items=pro), created=T0 + 100)
    cancel = sub_event(
        "deleted", subscription(status="canceled", items=pro), created=T0 + 200
    )
    order = (cancel, upgrade, created) if newer_first else (created, upgrade, cancel)

    events = harness.deliver(*order)
    harness.deliver(upgrade, created)  # redelivered, late

    state = written(harness)
    assert (state.status, state.mrr, state.plan) == ("canceled", 0, "price_pro")
    if newer_first:
        assert [e.status for e in events[1:]] == [WebhookEvent.Status.IGNORED] * 2
        assert "never written over a newer one" in events[1].error
        assert len(harness.erp.subscription_writes) == 1
    else:
        assert len(harness.erp.subscription_writes) == 3


def test_a_pause_and_its_resume_write_the_status(harness):
    harness.deliver(
        sub_event("paused", subscription(status="paused"), created=T0),
        sub_event("resumed", subscription(), created=T0 + 60),
    )

    assert [(s.status, s.mrr) for _, s in harness.erp.subscription_writes] == [
        ("paused", 0),
        ("active", 4900),
    ]


def test_two_events_in_one_second_a_cancellation_is_final(harness):
    active = sub_event("updated", subscription(), created=T0)
    canceled = sub_event("deleted", subscription(status="canceled"), created=T0)

    harness.deliver(canceled, active)

    assert written(harness).status == "canceled"


def test_a_duplicate_event_writes_once(harness):
    event = sub_event("created", subscription(), created=T0)

    harness.deliver(event, event)

    assert len(harness.erp.subscription_writes) == 1
    assert harness.records(operation="update_subscription")[0].status == "succeeded"


def test_a_failed_write_is_retried_and_an_older_retry_writes_nothing(harness):
    # given: the ERP fails the first write (of the older state)
    harness.erp.fail_next("update_subscription")
    older = sub_event("updated", subscription(), created=T0)
    newer = sub_event("updated", subscription(status="past_due"), created=T0 + 50)
    harness.deliver(older)
    (record,) = harness.records(operation="update_subscription")
    assert record.status == SyncRecord.Status.RETRYING

    # when: the newer state arrives while the older one waits, then the sweep
    harness.deliver(newer)
    harness.run_open()

    # then: the newer one waited for the older one; only it reached the ERP
    # after the older one found it in the ledger
    assert written(harness).status == "past_due"
    assert [s.status for _, s in harness.erp.subscription_writes] == ["past_due"]
    records = harness.records(operation="update_subscription")
    assert {r.status for r in records} == {SyncRecord.Status.SUCCEEDED}
    assert "newer state" in str(records[0].response)


@pytest.mark.parametrize(
    "lost",
    [None, UnknownOutcomeError("no reply after the ERP wrote")],
    ids=["reset", "unknown-outcome"],
)
def test_a_lost_reply_is_written_again_not_left_unknown(harness, lost):
    harness.erp.crash_after_write("update_subscription", lost)

    harness.deliver(sub_event("created", subscription(), created=T0))
    harness.run_open()

    (record,) = harness.records(operation="update_subscription")
    assert record.status == SyncRecord.Status.SUCCEEDED
    assert written(harness).mrr == 4900


def test_bad_subscription_field_options_need_attention_with_the_reason(harness):
    harness.integration.options = {
        **(harness.integration.options or {}),
        "subscription_fields": "SUBMRR",
    }
    harness.integration.save(update_fields=["options"])

    harness.deliver(sub_event("created", subscription(), created=T0))

    (record,) = harness.records(operation="update_subscription")
    assert record.status == SyncRecord.Status.NEEDS_ATTENTION
    assert "options.subscription_fields must map" in record.error_message
    assert harness.erp.subscription_writes == []


def test_a_tiered_price_fails_the_event_with_the_reason(harness):
    tiered = price(billing_scheme="tiered", unit_amount=None)
    (event,) = harness.deliver(
        sub_event("created", subscription(items=[(tiered, 1)]), created=T0)
    )

    assert event.status == WebhookEvent.Status.FAILED
    assert "tiered" in event.error


# Invoice lines → stock codes ---------------------------------------------------


def _invoice_with_price(invoice_id: str, price_id: str) -> dict:
    invoice = se.basil_invoice(invoice_id, amount=4900, paid=0)
    invoice["lines"]["data"][0].update(
        quantity=1,
        pricing={
            "type": "price_details",
            "price_details": {"price": price_id, "product": "prod_x"},
            "unit_amount_decimal": "4900",
        },
    )
    invoice["status"] = "open"
    return invoice


def test_an_invoice_line_books_the_linked_stock_code_else_a_misc_line(harness):
    harness.integration.options = {
        **(harness.integration.options or {}),
        "invoice_booking": "finalized",
    }
    harness.integration.save(update_fields=["options"])
    CatalogLink.objects.create(
        integration=harness.integration,
        erp_item="SUB-BASIC",
        price_code="A",
        currency="usd",
        name="Basic",
        stripe_product="prod_x",
        stripe_price="price_linked",
        unit_amount=4900,
        synced_at=datetime(2026, 1, 1, tzinfo=UTC),
    )

    harness.deliver(
        se.event(
            "invoice.finalized",
            _invoice_with_price("in_l1", "price_linked"),
            api_version=se.BASIL,
        ),
        se.event(
            "invoice.finalized",
            _invoice_with_price("in_l2", "price_other"),
            api_version=se.BASIL,
        ),
    )

    linked = harness.record("in_l1:invoice").source["lines"]
    unlinked = harness.record("in_l2:invoice").source["lines"]
    assert [(line["sku"], line["amount"]) for line in linked] == [("SUB-BASIC", 4900)]
    assert [(line["sku"], line["amount"]) for line in unlinked] == [("", 4900)]
