"""The version adapter reads both shapes of every field that moved in
2025-03-31.basil (changelog links in integrations/stripe_versions.py)."""

import pytest

from integrations import stripe_versions as sv
from tests.integrations.workflows import stripe_events as se

BASIL = "2025-03-31.basil"
ACACIA = "2024-06-20"


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2025-03-31.basil", True),
        ("2026-10-28.endive", True),
        ("2025-02-24.acacia", False),
        ("2024-06-20", False),
        ("", None),
        ("garbage", None),
    ],
)
def test_versions_are_ordered_by_their_date(version, expected):
    assert sv.basil_or_later(version) is expected


def test_a_pre_basil_charge_names_its_invoice_or_none():
    charge = se.charge("ch_1", amount=100, invoice="in_1")
    plain = se.charge("ch_2", amount=100, invoice=None)

    assert sv.payment_invoice(charge, api_version=ACACIA) == "in_1"
    assert sv.payment_invoice(plain, api_version=ACACIA) == ""


def test_a_basil_charge_does_not_say_so_the_caller_must_ask():
    charge = se.charge("ch_1", amount=100)
    assert "invoice" not in charge

    assert sv.payment_invoice(charge, api_version=BASIL) is None
    # an unknown version is read by whether the field is there at all
    assert sv.payment_invoice(charge, api_version="") is None
    assert sv.payment_invoice({**charge, "invoice": None}, api_version="") == ""


def test_an_expanded_invoice_is_read_by_its_id():
    charge = se.charge("ch_1", amount=100, invoice={"id": "in_9", "object": "invoice"})

    assert sv.payment_invoice(charge, api_version=ACACIA) == "in_9"


def test_pre_basil_invoice_payment_is_its_charge_and_intent():
    invoice = se.invoice("in_1", amount=7200, charge_id="ch_1")
    invoice["payment_intent"] = "pi_1"

    (ref,) = sv.invoice_payments(invoice, api_version=ACACIA)

    assert ref == sv.InvoicePaymentRef(
        invoice="in_1", charge="ch_1", payment_intent="pi_1", amount=7200, status="paid"
    )


def test_a_pre_basil_invoice_paid_by_nothing_has_no_payments():
    invoice = se.invoice("in_1", amount=7200)

    assert sv.invoice_payments(invoice, api_version=ACACIA) == ()


def test_basil_invoice_payments_come_from_the_included_list():
    invoice = se.invoice("in_1", amount=7200, basil=True, charge_id="ch_1")

    (ref,) = sv.invoice_payments(invoice, api_version=BASIL)

    assert (ref.charge, ref.amount, ref.status) == ("ch_1", 7200, "paid")


def test_basil_invoice_without_payments_must_be_asked():
    invoice = se.basil_invoice("in_1", amount=7200)

    assert sv.invoice_payments(invoice, api_version=BASIL) is None


def test_a_truncated_payments_list_must_be_asked_for_the_rest():
    invoice = se.invoice("in_1", amount=7200, basil=True, charge_id="ch_1")
    invoice["payments"]["has_more"] = True

    assert sv.invoice_payments(invoice, api_version=BASIL) is None


def test_a_listed_invoice_payment_names_its_payment_intent():
    row = se.invoice_payment("in_1", payment_intent="pi_1", amount=500, status="open")

    ref = sv.invoice_payment_ref(row)

    assert ref == sv.InvoicePaymentRef(
        invoice="in_1", charge="", payment_intent="pi_1", amount=None, status="open"
    )


def test_the_subscription_of_an_invoice_in_both_shapes():
    basil = se.basil_invoice("in_1", amount=100, subscription="sub_1")
    older = {**se.invoice("in_2", amount=100), "subscription": "sub_2"}
    older.pop("parent", None)
    one_off = se.basil_invoice("in_3", amount=100)

    assert sv.invoice_subscription(basil) == "sub_1"
    assert sv.invoice_subscription(older) == "sub_2"
    assert sv.invoice_subscription(one_off) == ""


@pytest.mark.parametrize(
    ("fields", "tax"),
    [
        ({"tax": 150}, 150),
        ({"total_tax_amounts": [{"amount": 100}, {"amount": 50}]}, 150),
        ({"total_taxes": [{"amount": 120}, {"amount": 30}]}, 150),
        ({"total_taxes": []}, 0),
    ],
    ids=["tax", "total_tax_amounts", "total_taxes", "none"],
)
def test_invoice_tax_in_every_shape(fields, tax):
    assert sv.invoice_tax(fields) == tax


def test_a_line_price_before_basil():
    line = {"price": {"id": "price_1", "product": "prod_1", "unit_amount": 1200}}

    assert sv.line_price(line) == sv.LinePrice("price_1", "prod_1", 1200)


def test_a_line_price_from_basil_on():
    line = {
        "pricing": {
            "type": "price_details",
            "price_details": {"price": "price_1", "product": "prod_1"},
            "unit_amount_decimal": "1200",
        }
    }

    assert sv.line_price(line) == sv.LinePrice("price_1", "prod_1", 1200)


def test_a_fractional_unit_amount_is_not_a_whole_minor_unit():
    line = {
        "pricing": {
            "type": "price_details",
            "price_details": {"price": "price_1", "product": "prod_1"},
            "unit_amount_decimal": "0.5",
        }
    }

    assert sv.line_price(line).unit_amount is None


def test_a_line_without_price():
    assert sv.line_price({"amount": 100}) == sv.LinePrice("", "", None)


def test_the_subscription_period_in_both_shapes():
    older = {"current_period_start": 10, "current_period_end": 20}
    basil = {
        "items": {
            "data": [
                {"current_period_start": 12, "current_period_end": 22},
                {"current_period_start": 11, "current_period_end": 25},
            ]
        }
    }

    assert sv.subscription_period(older) == (10, 20)
    assert sv.subscription_period(basil) == (11, 25)
    assert sv.subscription_period({}) == (0, 0)


def test_credit_note_refunds_in_both_shapes():
    basil = {"refunds": [{"refund": "re_1", "amount_refunded": 500}]}
    older = {"refund": "re_2"}

    assert sv.credit_note_refunds(basil) == (("re_1", 500),)
    assert sv.credit_note_refunds(older) == (("re_2", None),)
    assert sv.credit_note_refunds({"refunds": []}) == ()
    assert sv.credit_note_refunds({"refund": None}) == ()
