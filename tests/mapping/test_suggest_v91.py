"""Suggester rules added on v93's former held-out part (UltraCart, Barion).

The fields are made up in the shape the misses had, not copied from one
vendor. Each is written through v67's `described`, a name, a type and the
few words a model gives, with where the words were found when the shape
needs it.
"""

from mapping.schemas import DECIMAL, INT, STRING
from mapping.suggest import field_specs_from_dicts
from tests.mapping.suggesting import described, none_while_near, sourced, suggest


def test_a_request_body_named_by_its_class_is_no_emails_body(samples):
    # given a customer's e-mail whose description places it in the body of
    # the request, named by the class the SDK sends ("body Shopper"), and
    # the body text of the e-mail that sends a document (the near case: a
    # body, but an e-mail's)
    shopper = described(
        "email",
        "string",
        '"E-mail of the shopper" (Shopper member email; ShopperApi.add_shopper,'
        " POST /shoppers, body Shopper) at line 12 of acme/sdk@1234abc:docs/S.md",
    )
    sent = described("email_body", "string", "Body of the e-mail sent with it")
    # when each is suggested on a Stripe customer, then the e-mail is the
    # customer's and the e-mail's body has no source
    none_while_near(samples, "customer", sent, shopper, "email")


def test_a_nullable_string_is_a_string(samples):
    # given a person's name parts typed as a PHP docblock marks a nullable
    # string ("?string")
    first = described("buyer_first_name", "?string", "First name of the buyer")
    last = described("buyer_last_name", "?string", "Last name of the buyer")
    # when suggested on a Stripe customer
    out = suggest(samples["customer"], first, last)
    # then each is a string and so its part, split from the full name
    assert {
        target: (item.source, item.transforms[0]["params"]["part"])
        for target, item in out.items()
    } == {"buyer_first_name": ("name", "first"), "buyer_last_name": ("name", "last")}


def test_a_nullable_number_keeps_its_own_type():
    # given a nullable float and a nullable int (the near case: the mark is
    # dropped, the type it marks is kept, never made a string)
    amount, count = field_specs_from_dicts(
        [
            described("paid", "?float", "Amount paid"),
            described("lines_count", "?int", "How many lines"),
        ]
    )
    # then the float is a decimal and the int an int
    assert amount.type == DECIMAL
    assert count.type == INT


def test_a_string_described_as_an_iso_timestamp_is_a_date_time(samples):
    # given a text field whose description opens as an ISO 8601 timestamp
    field = described(
        "ordered_when", "string", "ISO-8601 format timestamp of the order."
    )
    # when suggested on a Stripe charge
    item = sourced(samples, "charge", field)
    # then it is the creation time, written with its time of day
    assert item.source == "created"
    assert item.transforms[0]["name"] == "unix_to_datetime"


def test_a_string_naming_iso_8601_for_a_period_is_no_date_time():
    # given text described as an ISO 8601 duration (the near case: the
    # standard named, but for a length of time, not a timestamp)
    (field,) = field_specs_from_dicts(
        [described("hold_for", "string", "ISO 8601 duration of the hold.")]
    )
    # then it stays a string
    assert field.type == STRING
