"""Suggester rules added on v89's former held-out part (Salesforce B2C Commerce, EBANX).

The fields are made up in the shape the misses had (a type printed with its
format in parentheses, as OpenAPI references and SDK docblocks print it),
not copied from one vendor. Each is written through v67's `described`, a
name, a type and the few words a model gives.
"""

import pytest

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    none_while_near,
    sourced,
)


def _steps(item):
    return [step["name"] for step in item.transforms]


@pytest.mark.parametrize(
    ("object_type", "field", "source", "steps"),
    [
        (
            "invoice",
            ("pay_by", "string (d/m/Y)", "Date the payment is due"),
            "due_date",
            ["unix_to_date"],
        ),
        (
            "invoice",
            ("pay_by", "string (date)", "Date the payment is due"),
            "due_date",
            ["unix_to_date"],
        ),
        (
            "charge",
            ("payment.money_code", "string (ISO 4217)", "Currency code"),
            "currency",
            ["upper"],
        ),
        (
            "charge",
            ("transaction.sum", "number (double)", "The amount paid"),
            "amount",
            ["minor_to_decimal"],
        ),
    ],
)
def test_a_type_with_its_format_in_parentheses_is_the_type_it_formats(
    samples, object_type, field, source, steps
):
    # given a field typed with its format in parentheses: a string in a date
    # pattern, a string of codes of a standard, a number with its precision
    field = described(*field)
    # when suggested, then the format says what the value is: a date takes
    # Stripe's Unix seconds turned into a date, a currency code is
    # upper-cased as a plain string's is, and a number is a decimal in the
    # currency's main unit
    item = sourced(samples, object_type, field)
    assert item.source == source
    assert _steps(item) == steps


def test_a_count_typed_with_its_width_is_no_amount(samples):
    # given a line's quantity typed as an integer with its width
    count = described("lines.0.qty", "integer (int32)", "Quantity of the item")
    # when suggested on an invoice, then the integer stays a count: nothing
    # divides it as if it were minor units
    item = sourced(samples, "invoice", count)
    assert "minor_to_decimal" not in _steps(item)


def test_the_values_a_type_lists_are_the_allowed_ones(samples):
    # given an invoice's payment state whose type lists the values it takes,
    # as a reference prints an enum beside its type
    state = described(
        "paymentState", "string (enum: open, settled)", "State of the payment"
    )
    # when suggested on an invoice, then the state is the invoice's status,
    # mapped onto the values listed: it is no place's state code
    item = sourced(samples, "invoice", state)
    assert item.source == "status"
    assert _steps(item) == ["value_map"]


def test_a_type_with_no_values_listed_leaves_a_state_to_abstain(samples):
    # given the same payment state typed as a plain string
    state = described("paymentState", "string", "State of the payment")
    # when suggested on an invoice, then the rule lists nothing: a status
    # with no values to map onto still has no source
    assert_no_source(sourced(samples, "invoice", state))


def test_a_field_sent_in_the_body_of_a_call_is_no_email_body(samples):
    # given an invoice's e-mail whose description cites the model it is kept
    # in and the call whose request body sends it, and near it the body of
    # the e-mail that sends the invoice
    mail = described(
        "payer.mail",
        "string",
        '"Buyer e-mail."; Buyer $mail at line 12 of acme/sdk@0a1b:src/Buyer.php;'
        " sent in the body of Checkout::open, POST v2/checkout, OpenAdapter at"
        " line 30 of acme/sdk@0a1b:src/OpenAdapter.php",
    )
    message = described("mail_body", "string", "The body of the e-mail sent")
    # when suggested on an invoice, then the e-mail is the customer's: the
    # body the citation names is the HTTP request's
    assert sourced(samples, "invoice", mail).source == "customer_email"
    # while the body of the e-mail sending the invoice is still the
    # integration's text, which no Stripe field carries
    assert_no_source(sourced(samples, "invoice", message))


@pytest.mark.parametrize("name", ["payer.street_no", "buyer.streetNumber"])
def test_a_street_number_apart_has_no_source(samples, name):
    # given a charge's house number named after its street, kept apart from
    # the street's name, and near it the street's name itself
    number = described(name, "string", "Buyer street number")
    street = described("buyer.address", "string", "Buyer address (street name)")
    # when suggested on a charge, then the number has no source: Stripe
    # keeps the house number inside its first street line
    # while the street's name still takes that first line
    none_while_near(samples, "charge", number, street, "billing_details.address.line1")


def test_a_street_joined_with_its_number_is_the_street(samples):
    # given a charge's street named together with its house number
    street = described("buyer.streetAndNumber", "string", "Street and number")
    # when suggested on a charge, then the field is the street line, which
    # holds the number too
    assert sourced(samples, "charge", street).source == "billing_details.address.line1"
