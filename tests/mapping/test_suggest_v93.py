"""Suggester rules added on v95's former held-out part (Kibo Commerce, Worldpay).

The fields are made up in the shape the misses had, not copied from one
vendor. Each is written through v67's `described`, a name, a type and the
few words a model gives.
"""

import pytest

from mapping.schemas import DECIMAL, STRING
from mapping.suggest import field_specs_from_dicts
from tests.mapping.suggesting import described, sourced


def test_a_type_followed_by_required_after_a_comma_is_the_type(samples):
    # given a refund's currency typed with the flag a generated reference
    # prints after it and a comma ("string, required")
    field = described("refund_money.curr", "string, required", "Code of the money")
    # when suggested on a Stripe refund
    item = sourced(samples, "refund", field)
    # then it is a string, and so the refund's currency upper-cased as a
    # currency code is written
    (spec,) = field_specs_from_dicts([field])
    assert spec.type == STRING
    assert (item.source, item.transforms) == ("currency", [{"name": "upper"}])


def test_a_required_flag_leaves_a_formatted_type_and_lists_no_choice():
    # given a formatted number and a listed string each followed by the flag
    (number, listed) = field_specs_from_dicts(
        [
            described("paid_sum", "number (double), required"),
            described("channel_kind", "string, enum: web, required"),
        ]
    )
    # then the number keeps its format's type and the flag is no choice
    assert number.type == DECIMAL
    assert (listed.type, listed.choices) == (STRING, ("web",))


def test_a_type_followed_by_other_words_after_a_comma_keeps_them():
    # given a string whose type is followed by a comma and a word that only
    # begins like the flag (the near case: "requiredness" is no flag)
    (spec,) = field_specs_from_dicts([described("doc_state", "string, requiredness")])
    # then its written type stays as it is
    assert spec.type == "string, requiredness"


@pytest.mark.parametrize(
    "words",
    ["The sum. Implied decimal.", "The sum as a whole number: 1250 is 12.50"],
)
def test_an_amount_shown_as_a_whole_number_of_hundredths_stays_minor(samples, words):
    # given a refund's sum described with an implied decimal point, or by an
    # example whole number that reads as its hundredth
    field = described("refund_money.sum", "number (int32), required", words)
    # when suggested on a Stripe refund, then it is the amount as Stripe
    # gives it, in minor units
    item = sourced(samples, "refund", field)
    assert (item.source, item.transforms) == ("amount", [])


def test_an_amount_shown_as_the_same_decimal_is_converted(samples):
    # given the near case: an example whole number that is the decimal itself
    # ("12 is 12.00"), a sum in the main unit
    field = described("refund_money.sum", "number (int32), required", "12 is 12.00")
    # when suggested on a Stripe refund, then the minor units are converted
    item = sourced(samples, "refund", field)
    assert (item.source, item.transforms[0]["name"]) == ("amount", "minor_to_decimal")
