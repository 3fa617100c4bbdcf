"""Suggester rules added on v86's former held-out part (VTEX, YooKassa).

The fields are made up in the shape the misses had (a sum a client library
sends as a decimal string, a bare number described as a building's), not
copied from one vendor. Each is written through v67's `described`, a name, a
type and the few words a model gives.
"""

import pytest

from tests.mapping.suggesting import assert_no_source, described, lookup, sourced


def _none_but_near(samples, object_type, caught, near):
    """`caught` alone has no source on `object_type`; what `near` takes."""
    assert_no_source(sourced(samples, object_type, caught))
    return sourced(samples, object_type, near)


def test_an_amount_sent_as_a_decimal_string_is_in_main_units(samples):
    # given a charge's total typed as a string and described as a decimal
    # string, and near it the same string described as in cents
    decimal = described(
        "total.sum", "string", "The sum, sent as a decimal string ('12.50')"
    )
    cents = described("total.sum", "string", "The sum, sent as a string in cents")
    # when suggested on a charge, then the decimal string takes the amount
    # in the currency's main units: Stripe's minor units divided out
    got = sourced(samples, "charge", decimal)
    assert got.source == "amount"
    assert [step["name"] for step in got.transforms] == ["minor_to_decimal"]
    # while the string in cents takes the amount as it is
    near = sourced(samples, "charge", cents)
    assert near.source == "amount"
    assert near.transforms == []


@pytest.mark.parametrize(
    ("leaf", "caught", "near"),
    [
        (
            "number",
            "Number of the building or flat at the address.",
            "Number of the customer record.",
        ),
        (
            "reference",
            "Optional reference point or nearby landmark to help find the address.",
            "The customer's reference.",
        ),
    ],
)
def test_a_buildings_number_or_a_landmark_has_no_source(samples, leaf, caught, near):
    # given a customer's bare number described as the number of the
    # building or flat, or a reference described as a landmark near the
    # address, and near each the same name described as the customer's own
    part = described(leaf, "string", caught)
    own = described(leaf, "string", near)
    # when suggested on a customer, then the part has no source: Stripe
    # keeps the number inside its street line and no words on how to find
    # an address
    # while the customer's own number or reference still takes a source
    assert _none_but_near(samples, "customer", part, own).source


@pytest.mark.parametrize(
    ("leaf", "caught"),
    [
        (
            "number",
            "Number of the building or flat at the address the order is delivered to.",
        ),
        ("reference", "A landmark near the address the order is delivered to."),
    ],
)
def test_an_address_part_naming_the_order_is_no_reference(samples, leaf, caught):
    # given a charge's delivery address number described as the number of
    # the building the order is delivered to, or its reference described as
    # a landmark near it, and near each the order's own under the same name
    part = described(f"delivery.address.{leaf}", "string", caught)
    order = described(f"delivery.{leaf}", "string", f"{leaf.title()} of the order.")
    # when suggested on a charge, then the part has no source: the order it
    # names is where it is delivered, not whose key it is
    # while the order's own is still a reference through the id map
    assert lookup(_none_but_near(samples, "charge", part, order)) == "invoice"


def test_an_email_the_receipt_is_sent_to_takes_the_receipt_email(samples):
    # given a charge's payer e-mail described as the address the receipt is
    # sent to, and near it the payer's e-mail described as nothing more
    receipt = described(
        "payer.email", "string", "E-mail address of the payer the receipt is sent to."
    )
    payer = described("payer.email", "string", "E-mail address of the payer.")
    # when suggested on a charge, then the e-mail the receipt goes to takes
    # the charge's own receipt e-mail
    assert sourced(samples, "charge", receipt).source == "receipt_email"
    # while the payer's e-mail still takes the billing details' e-mail
    assert sourced(samples, "charge", payer).source == "billing_details.email"


def test_a_rows_quantity_on_a_record_without_lines_has_no_source(samples):
    # given the quantity of a list's first row of goods
    row = described("goods.0.qty", "float", "The quantity of the item")
    # when suggested on a refund, which has no lines, then it has no source:
    # a count of goods is no amount
    assert_no_source(sourced(samples, "refund", row))
    # while on an invoice it still takes the first line's quantity
    assert sourced(samples, "invoice", row).source == "lines.data.0.quantity"
