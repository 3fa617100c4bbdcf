"""Suggester rules added on v86's former held-out part (VTEX, YooKassa).

The fields are made up in the shape the misses had (a sum a client library
sends as a decimal string, a bare number described as a building's), not
copied from one vendor. Each is written through v67's `described`, a name, a
type and the few words a model gives.
"""

from tests.mapping.suggesting import assert_no_source, described, lookup, sourced


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


def test_a_number_described_as_the_buildings_has_no_source(samples):
    # given a customer's bare number described as the number of the
    # building or flat at the address, and near it a bare number described
    # as the number of the customer's record
    building = described(
        "number", "string", "Number of the building or flat at the address."
    )
    record = described("number", "string", "Number of the customer record.")
    # when suggested on a customer, then the building's number has no
    # source: Stripe keeps it inside its street line
    assert_no_source(sourced(samples, "customer", building))
    # while the record's number still takes a source
    assert sourced(samples, "customer", record).source


def test_a_buildings_number_naming_the_order_is_no_reference(samples):
    # given a charge's delivery address number described as the number of
    # the building the order is delivered to, and near it a number
    # described as the order's own
    building = described(
        "delivery.address.number",
        "string",
        "Number of the building or flat at the address the order is delivered to.",
    )
    order = described("delivery.number", "string", "Number of the order delivered.")
    # when suggested on a charge, then the building's number has no source:
    # the order it names is where it is delivered, not whose key it is
    assert_no_source(sourced(samples, "charge", building))
    # while the order's own number is still a reference through the id map
    assert lookup(sourced(samples, "charge", order)) == "invoice"


def test_a_hint_to_find_the_address_has_no_source(samples):
    # given a customer's reference described as a landmark near the address,
    # and near it a reference described as the customer's own
    hint = described(
        "reference",
        "string",
        "Optional reference point or nearby landmark to help find the address.",
    )
    own = described("reference", "string", "The customer's reference.")
    # when suggested on a customer, then the hint has no source: Stripe
    # keeps no words on how to find an address
    assert_no_source(sourced(samples, "customer", hint))
    # while the customer's own reference still takes a source
    assert sourced(samples, "customer", own).source


def test_a_hint_to_find_the_address_naming_the_order_is_no_reference(samples):
    # given a charge's delivery address reference described as a landmark
    # near where the order goes, and near it the order's reference
    hint = described(
        "delivery.address.reference",
        "string",
        "A landmark near the address the order is delivered to.",
    )
    order = described("delivery.reference", "string", "Reference of the order.")
    # when suggested on a charge, then the hint has no source
    assert_no_source(sourced(samples, "charge", hint))
    # while the order's reference is still one through the id map
    assert lookup(sourced(samples, "charge", order)) == "invoice"


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
