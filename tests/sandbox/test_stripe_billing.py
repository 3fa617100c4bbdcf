"""The Stripe sandbox's invoices and invoice payments, driven by the official SDK.

The lifecycle and the shape follow Stripe's (https://docs.stripe.com/invoicing/
overview, API version 2025-03-31.basil on): draft → open (finalize) → paid,
void or uncollectible; the InvoicePayment links an invoice to its payment
intent, and neither the charge nor the payment intent names the invoice.
"""

from decimal import Decimal

import pytest
import stripe

from sandbox.stripeapi.models import Event
from tests.sandbox.test_stripe_api import make_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]


@pytest.fixture
def sc() -> stripe.StripeClient:
    return make_client()


@pytest.fixture
def customer(sc) -> str:
    return sc.v1.customers.create(
        params={"email": "ap@bayside.example", "name": "Bayside Bikes"}
    ).id


def _types() -> list[str]:
    return list(Event.objects.order_by("id").values_list("type", flat=True))


def _draft(sc, customer, *amounts: int, currency: str = "usd") -> stripe.Invoice:
    invoice = sc.v1.invoices.create(params={"customer": customer, "currency": currency})
    for amount in amounts:
        sc.v1.invoice_items.create(
            params={
                "customer": customer,
                "invoice": invoice.id,
                "amount": amount,
                "currency": currency,
                "description": f"Item {amount}",
            }
        )
    return sc.v1.invoices.retrieve(invoice.id)


def test_an_invoice_is_drafted_finalized_and_paid(sc, customer):
    # given a draft with two items
    draft = _draft(sc, customer, 5000, 2200)
    assert (draft.status, draft.total, draft.number) == ("draft", 7200, None)
    assert [line.amount for line in draft.lines.data] == [5000, 2200]

    # when it is finalized and paid by card
    opened = sc.v1.invoices.finalize_invoice(draft.id)
    paid = sc.v1.invoices.pay(draft.id, params={"payment_method": "pm_card_visa"})

    # then
    assert opened.status == "open" and opened.number
    assert (paid.status, paid.amount_paid, paid.amount_remaining) == ("paid", 7200, 0)
    assert paid.status_transitions.paid_at
    # basil: the invoice names no charge or payment intent …
    assert "charge" not in paid and "payment_intent" not in paid
    # … its InvoicePayment does, and the charge does not name the invoice
    (payment,) = sc.v1.invoice_payments.list(params={"invoice": draft.id}).data
    assert (payment.status, payment.amount_paid) == ("paid", 7200)
    intent = sc.v1.payment_intents.retrieve(payment.payment.payment_intent)
    assert intent.status == "succeeded" and intent.amount_received == 7200
    charge = sc.v1.charges.retrieve(intent.latest_charge)
    assert "invoice" not in charge
    lifecycle = [
        t
        for t in _types()
        if t.startswith("invoice.")
        or t in ("charge.succeeded", "payment_intent.succeeded")
    ]
    assert lifecycle == [
        "invoice.created",
        "invoice.finalized",
        "charge.succeeded",
        "payment_intent.succeeded",
        "invoice.paid",
        "invoice.payment_succeeded",
    ]


def test_invoice_payments_are_listed_by_payment_intent(sc, customer):
    first = _draft(sc, customer, 1000)
    second = _draft(sc, customer, 2000)
    for invoice in (first, second):
        sc.v1.invoices.finalize_invoice(invoice.id)
    sc.v1.invoices.pay(first.id, params={"payment_method": "pm_card_visa"})
    (ours,) = sc.v1.invoice_payments.list(params={"invoice": first.id}).data

    found = sc.v1.invoice_payments.list(
        params={
            "payment": {
                "type": "payment_intent",
                "payment_intent": ours.payment.payment_intent,
            }
        }
    ).data

    assert [p.invoice for p in found] == [first.id]
    open_ones = sc.v1.invoice_payments.list(params={"status": "open"}).data
    assert [p.invoice for p in open_ones] == [second.id]


def test_the_payment_filter_needs_its_type(sc):
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sc.v1.invoice_payments.list(params={"payment": {"payment_intent": "pi_1"}})

    assert raised.value.param == "payment[type]"


def test_a_declined_card_leaves_the_invoice_open(sc, customer):
    draft = _draft(sc, customer, 1500)
    sc.v1.invoices.finalize_invoice(draft.id)

    with pytest.raises(stripe.CardError):
        sc.v1.invoices.pay(
            draft.id, params={"payment_method": "pm_card_chargeDeclined"}
        )

    invoice = sc.v1.invoices.retrieve(draft.id)
    assert (invoice.status, invoice.amount_paid, invoice.attempt_count) == (
        "open",
        0,
        1,
    )
    assert "invoice.payment_failed" in _types()


def test_void_and_mark_uncollectible_only_from_open(sc, customer):
    voided = _draft(sc, customer, 1000)
    lost = _draft(sc, customer, 2000)
    for invoice in (voided, lost):
        sc.v1.invoices.finalize_invoice(invoice.id)

    assert sc.v1.invoices.void_invoice(voided.id).status == "void"
    assert sc.v1.invoices.mark_uncollectible(lost.id).status == "uncollectible"

    (payment,) = sc.v1.invoice_payments.list(params={"invoice": voided.id}).data
    assert payment.status == "canceled"
    assert {"invoice.voided", "invoice.marked_uncollectible"} <= set(_types())
    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.invoices.pay(voided.id, params={"payment_method": "pm_card_visa"})
    # an uncollectible invoice can still be voided
    assert sc.v1.invoices.void_invoice(lost.id).status == "void"


def test_a_finalized_invoice_takes_no_more_items_and_is_not_finalized_twice(
    sc, customer
):
    draft = _draft(sc, customer, 1000)
    sc.v1.invoices.finalize_invoice(draft.id)

    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.invoice_items.create(
            params={
                "customer": customer,
                "invoice": draft.id,
                "amount": 5,
                "currency": "usd",
            }
        )
    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.invoices.finalize_invoice(draft.id)


def test_items_are_priced_by_a_price_in_the_basil_shape(sc, customer):
    price = sc.v1.prices.create(
        params={
            "currency": "usd",
            "unit_amount": 1200,
            "product_data": {"name": "Seat"},
        }
    )
    invoice = sc.v1.invoices.create(params={"customer": customer})

    sc.v1.invoice_items.create(
        params={
            "customer": customer,
            "invoice": invoice.id,
            "pricing": {"price": price.id},
            "quantity": 3,
        }
    )

    (line,) = sc.v1.invoices.retrieve(invoice.id).lines.data
    assert line.amount == 3600 and line.quantity == 3
    assert line.pricing.price_details.price == price.id
    assert line.pricing.unit_amount_decimal == Decimal("1200")


def test_an_item_needs_exactly_one_of_amount_and_price(sc, customer):
    invoice = sc.v1.invoices.create(params={"customer": customer})

    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.invoice_items.create(params={"customer": customer, "invoice": invoice.id})
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sc.v1.invoice_items.create(
            params={"customer": customer, "invoice": invoice.id, "amount": 100}
        )
    assert raised.value.param == "currency"


def test_an_invoice_for_an_unknown_customer_is_refused(sc):
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sc.v1.invoices.create(params={"customer": "cus_nobody"})

    assert raised.value.code == "resource_missing"


def test_send_invoice_needs_days_until_due(sc, customer):
    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.invoices.create(
            params={"customer": customer, "collection_method": "send_invoice"}
        )

    invoice = sc.v1.invoices.create(
        params={
            "customer": customer,
            "collection_method": "send_invoice",
            "days_until_due": 30,
        }
    )
    assert invoice.due_date == invoice.created + 30 * 86400


def test_a_zero_invoice_is_paid_as_it_is_finalized(sc, customer):
    invoice = sc.v1.invoices.create(params={"customer": customer})

    finalized = sc.v1.invoices.finalize_invoice(invoice.id)

    assert finalized.status == "paid"
    assert sc.v1.invoice_payments.list(params={"invoice": invoice.id}).data == []


def test_paid_out_of_band_cancels_the_card_payment(sc, customer):
    draft = _draft(sc, customer, 900)
    sc.v1.invoices.finalize_invoice(draft.id)

    paid = sc.v1.invoices.pay(draft.id, params={"paid_out_of_band": True})

    assert (paid.status, paid.amount_paid) == ("paid", 900)
    (payment,) = sc.v1.invoice_payments.list(params={"invoice": draft.id}).data
    assert payment.status == "canceled"


# -- credit notes ----------------------------------------------------------


def _paid(sc, customer, *amounts: int) -> stripe.Invoice:
    draft = _draft(sc, customer, *amounts)
    sc.v1.invoices.finalize_invoice(draft.id)
    return sc.v1.invoices.pay(draft.id, params={"payment_method": "pm_card_visa"})


def test_a_credit_note_on_a_paid_invoice_credits_the_balance(sc, customer):
    invoice = _paid(sc, customer, 7200)

    note = sc.v1.credit_notes.create(
        params={"invoice": invoice.id, "amount": 2000, "reason": "order_change"}
    )

    assert (note.status, note.type, note.total) == ("issued", "post_payment", 2000)
    assert note.number == f"{invoice.number}-CN-01"
    assert note.refunds == []
    listed = sc.v1.credit_notes.list(params={"invoice": invoice.id}).data
    assert [n.id for n in listed] == [note.id]
    assert "credit_note.created" in _types()


def test_no_more_than_the_invoice_can_be_credited(sc, customer):
    invoice = _paid(sc, customer, 1000)
    sc.v1.credit_notes.create(params={"invoice": invoice.id, "amount": 600})

    with pytest.raises(stripe.InvalidRequestError) as raised:
        sc.v1.credit_notes.create(params={"invoice": invoice.id, "amount": 500})

    assert raised.value.param == "amount"


def test_a_pre_payment_credit_note_lowers_what_remains_and_its_void_restores_it(
    sc, customer
):
    draft = _draft(sc, customer, 5000)
    sc.v1.invoices.finalize_invoice(draft.id)

    note = sc.v1.credit_notes.create(params={"invoice": draft.id, "amount": 1500})
    lowered = sc.v1.invoices.retrieve(draft.id)
    voided = sc.v1.credit_notes.void_credit_note(note.id)
    restored = sc.v1.invoices.retrieve(draft.id)

    assert note.type == "pre_payment"
    assert lowered.amount_remaining == 3500
    assert (voided.status, restored.amount_remaining) == ("void", 5000)
    assert "credit_note.voided" in _types()
    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.credit_notes.void_credit_note(note.id)


def test_crediting_all_that_remains_pays_the_invoice(sc, customer):
    draft = _draft(sc, customer, 800)
    sc.v1.invoices.finalize_invoice(draft.id)

    sc.v1.credit_notes.create(params={"invoice": draft.id, "amount": 800})

    assert sc.v1.invoices.retrieve(draft.id).status == "paid"


def test_credit_note_lines_credit_invoice_lines(sc, customer):
    invoice = _paid(sc, customer, 3000, 1000)
    first = invoice.lines.data[0].id

    note = sc.v1.credit_notes.create(
        params={
            "invoice": invoice.id,
            "lines": [
                {
                    "type": "invoice_line_item",
                    "invoice_line_item": first,
                    "amount": 500,
                },
                {"type": "custom_line_item", "unit_amount": 100, "quantity": 2},
            ],
        }
    )

    assert note.total == 700
    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.credit_notes.create(
            params={
                "invoice": invoice.id,
                "lines": [{"type": "invoice_line_item", "invoice_line_item": "il_x"}],
            }
        )


def test_credit_notes_refuse_drafts_and_card_refunds(sc, customer):
    draft = _draft(sc, customer, 1000)
    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.credit_notes.create(params={"invoice": draft.id, "amount": 100})
    paid = _paid(sc, customer, 1000)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sc.v1.credit_notes.create(
            params={"invoice": paid.id, "amount": 100, "refund_amount": 100}
        )
    assert "sandbox" in raised.value.user_message


# -- subscriptions ---------------------------------------------------------


def _monthly(sc, amount: int, name: str = "Plan") -> stripe.Price:
    return sc.v1.prices.create(
        params={
            "currency": "usd",
            "unit_amount": amount,
            "recurring": {"interval": "month"},
            "product_data": {"name": name},
        }
    )


def test_a_subscription_invoices_and_charges_its_first_period(sc, customer):
    price = _monthly(sc, 2400, "Seat")

    sub = sc.v1.subscriptions.create(
        params={
            "customer": customer,
            "items": [{"price": price.id, "quantity": 3}],
            "default_payment_method": "pm_card_visa",
        }
    )

    assert sub.status == "active"
    (item,) = sub["items"].data
    # basil: the period is on the item, a calendar month long
    assert item.current_period_end - item.current_period_start in (
        days * 86400 for days in (28, 29, 30, 31)
    )
    invoice = sc.v1.invoices.retrieve(sub.latest_invoice)
    assert (invoice.status, invoice.total, invoice.billing_reason) == (
        "paid",
        7200,
        "subscription_create",
    )
    assert invoice.parent.subscription_details.subscription == sub.id
    (line,) = invoice.lines.data
    assert line.parent.subscription_item_details.subscription_item == item.id
    assert line.pricing.price_details.price == price.id
    assert "customer.subscription.created" in _types()
    assert "customer.subscription.updated" in _types()


def test_a_declined_first_payment_leaves_the_subscription_incomplete(sc, customer):
    price = _monthly(sc, 1000)

    sub = sc.v1.subscriptions.create(
        params={
            "customer": customer,
            "items": [{"price": price.id}],
            "default_payment_method": "pm_card_chargeDeclined",
        }
    )

    assert sub.status == "incomplete"
    assert sc.v1.invoices.retrieve(sub.latest_invoice).status == "open"
    with pytest.raises(stripe.CardError):
        sc.v1.subscriptions.create(
            params={
                "customer": customer,
                "items": [{"price": price.id}],
                "default_payment_method": "pm_card_chargeDeclined",
                "payment_behavior": "error_if_incomplete",
            }
        )


def test_a_subscription_needs_a_recurring_price_and_a_payment_method(sc, customer):
    one_time = sc.v1.prices.create(
        params={"currency": "usd", "unit_amount": 500, "product_data": {"name": "X"}}
    )
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sc.v1.subscriptions.create(
            params={
                "customer": customer,
                "items": [{"price": one_time.id}],
                "default_payment_method": "pm_card_visa",
            }
        )
    assert raised.value.param == "items[0][price]"
    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.subscriptions.create(
            params={"customer": customer, "items": [{"price": _monthly(sc, 1).id}]}
        )


def test_an_upgrade_is_invoiced_at_once_with_prorations(sc, customer):
    basic, pro = _monthly(sc, 1000, "Basic"), _monthly(sc, 3000, "Pro")
    sub = sc.v1.subscriptions.create(
        params={
            "customer": customer,
            "items": [{"price": basic.id}],
            "default_payment_method": "pm_card_visa",
        }
    )
    item = sub["items"].data[0].id

    upgraded = sc.v1.subscriptions.update(
        sub.id,
        params={
            "items": [{"id": item, "price": pro.id}],
            "proration_behavior": "always_invoice",
        },
    )

    assert upgraded["items"].data[0].price.id == pro.id
    invoice = sc.v1.invoices.retrieve(upgraded.latest_invoice)
    assert invoice.billing_reason == "subscription_update"
    assert invoice.status == "paid"
    # the whole period is left (the clock has not moved): -10.00 + 30.00
    assert [line.amount for line in invoice.lines.data] == [-1000, 3000]
    assert invoice.total == 2000


def test_a_downgrade_credit_to_the_balance_is_refused_clearly(sc, customer):
    basic, pro = _monthly(sc, 1000, "Basic"), _monthly(sc, 3000, "Pro")
    sub = sc.v1.subscriptions.create(
        params={
            "customer": customer,
            "items": [{"price": pro.id}],
            "default_payment_method": "pm_card_visa",
        }
    )
    item = sub["items"].data[0].id

    with pytest.raises(stripe.InvalidRequestError) as raised:
        sc.v1.subscriptions.update(
            sub.id,
            params={
                "items": [{"id": item, "price": basic.id}],
                "proration_behavior": "always_invoice",
            },
        )

    assert "sandbox" in raised.value.user_message
    downgraded = sc.v1.subscriptions.update(
        sub.id,
        params={
            "items": [{"id": item, "price": basic.id}],
            "proration_behavior": "none",
        },
    )
    assert downgraded.latest_invoice == sub.latest_invoice


def _clock_customer(sc, frozen_time: int = 1_769_817_600):
    clock = sc.v1.test_helpers.test_clocks.create(params={"frozen_time": frozen_time})
    customer = sc.v1.customers.create(
        params={
            "email": "clock@example.com",
            "test_clock": clock.id,
            "payment_method": "pm_card_visa",
            "invoice_settings": {"default_payment_method": "pm_card_visa"},
        }
    )
    return clock, customer


def test_the_customer_default_payment_method_pays_subscriptions(sc):
    _, customer = _clock_customer(sc)
    assert customer.invoice_settings.default_payment_method == "pm_card_visa"

    sub = sc.v1.subscriptions.create(
        params={"customer": customer.id, "items": [{"price": _monthly(sc, 900).id}]}
    )

    assert sub.status == "active"
    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.customers.create(params={"payment_method": "pm_nothing"})


def test_default_prorations_wait_for_the_next_renewal(sc):
    # given a 10.00 plan upgraded to 30.00 halfway through January's period
    clock, customer = _clock_customer(sc, frozen_time=1_767_225_600)  # 2026-01-01
    basic, pro = _monthly(sc, 1000, "Basic"), _monthly(sc, 3000, "Pro")
    sub = sc.v1.subscriptions.create(
        params={"customer": customer.id, "items": [{"price": basic.id}]}
    )
    sc.v1.test_helpers.test_clocks.advance(
        clock.id, params={"frozen_time": 1_767_225_600 + 31 * 86400 // 2}
    )
    upgraded = sc.v1.subscriptions.update(
        sub.id, params={"items": [{"id": sub["items"].data[0].id, "price": pro.id}]}
    )
    assert upgraded.latest_invoice == sub.latest_invoice

    # when the period ends
    sc.v1.test_helpers.test_clocks.advance(
        clock.id,
        params={"frozen_time": 1_769_904_000},  # 2026-02-01
    )

    # then the renewal invoices the prorations and February at 30.00
    renewal = sc.v1.invoices.retrieve(
        sc.v1.subscriptions.retrieve(sub.id).latest_invoice
    )
    assert [line.amount for line in renewal.lines.data] == [-500, 1500, 3000]
    assert (renewal.total, renewal.status) == (4000, "paid")


def test_cancel_at_period_end_ends_it_at_the_renewal(sc):
    clock, customer = _clock_customer(sc)
    sub = sc.v1.subscriptions.create(
        params={"customer": customer.id, "items": [{"price": _monthly(sc, 700).id}]}
    )

    flagged = sc.v1.subscriptions.update(sub.id, params={"cancel_at_period_end": True})
    sc.v1.test_helpers.test_clocks.advance(
        clock.id, params={"frozen_time": 1_775_001_600}
    )

    assert flagged.cancel_at == sub["items"].data[0].current_period_end
    ended = sc.v1.subscriptions.retrieve(sub.id)
    assert (ended.status, ended.ended_at) == ("canceled", flagged.cancel_at)
    assert len(sc.v1.invoices.list(params={"subscription": sub.id}).data) == 1


def test_cancelling_ends_the_subscription(sc, customer):
    sub = sc.v1.subscriptions.create(
        params={
            "customer": customer,
            "items": [{"price": _monthly(sc, 500).id}],
            "default_payment_method": "pm_card_visa",
        }
    )

    canceled = sc.v1.subscriptions.cancel(sub.id)

    assert (canceled.status, canceled.canceled_at is not None) == ("canceled", True)
    assert "customer.subscription.deleted" in _types()
    assert sc.v1.subscriptions.list(params={"customer": customer}).data == []
    listed = sc.v1.subscriptions.list(params={"customer": customer, "status": "all"})
    assert [s.id for s in listed.data] == [sub.id]
    with pytest.raises(stripe.InvalidRequestError):
        sc.v1.subscriptions.cancel(sub.id)


# -- test clocks -----------------------------------------------------------


def test_a_test_clock_renews_subscriptions_each_period(sc):
    # given a customer on a clock set to 2026-01-31 and a monthly subscription
    start = 1_769_817_600  # 2026-01-31T00:00:00Z
    clock = sc.v1.test_helpers.test_clocks.create(params={"frozen_time": start})
    customer = sc.v1.customers.create(
        params={"email": "clock@example.com", "test_clock": clock.id}
    )
    sub = sc.v1.subscriptions.create(
        params={
            "customer": customer.id,
            "items": [{"price": _monthly(sc, 2400).id}],
            "default_payment_method": "pm_card_visa",
        }
    )
    (item,) = sub["items"].data
    assert item.current_period_start == start
    # a month from January 31st ends on the last day of February
    assert item.current_period_end == 1_772_236_800  # 2026-02-28

    # when the clock moves two months and a day on
    ready = sc.v1.test_helpers.test_clocks.advance(
        clock.id,
        params={"frozen_time": 1_775_001_600},  # 2026-04-01
    )

    # then two renewals were invoiced at each period end and paid
    assert ready.status == "ready"
    invoices = sc.v1.invoices.list(params={"subscription": sub.id}).data
    assert sorted((i.created, i.billing_reason, i.status) for i in invoices) == [
        (start, "subscription_create", "paid"),
        (1_772_236_800, "subscription_cycle", "paid"),  # 2026-02-28
        (1_774_915_200, "subscription_cycle", "paid"),  # 2026-03-31: the anchor
    ]
    renewed = sc.v1.subscriptions.retrieve(sub.id)["items"].data[0]
    assert renewed.current_period_start == 1_774_915_200
    assert renewed.current_period_end == 1_777_507_200  # 2026-04-30


def test_a_clock_does_not_go_back(sc):
    clock = sc.v1.test_helpers.test_clocks.create(params={"frozen_time": 1_000_000})

    with pytest.raises(stripe.InvalidRequestError) as raised:
        sc.v1.test_helpers.test_clocks.advance(clock.id, params={"frozen_time": 999})

    assert raised.value.param == "frozen_time"


def test_pending_items_wait_for_an_invoice_that_includes_them(sc, customer):
    sc.v1.invoice_items.create(
        params={"customer": customer, "amount": 1250, "currency": "usd"}
    )

    excluded = sc.v1.invoices.create(params={"customer": customer})
    included = sc.v1.invoices.create(
        params={"customer": customer, "pending_invoice_items_behavior": "include"}
    )
    again = sc.v1.invoices.create(
        params={"customer": customer, "pending_invoice_items_behavior": "include"}
    )

    assert excluded.total == 0
    assert [line.amount for line in included.lines.data] == [1250]
    assert again.total == 0
