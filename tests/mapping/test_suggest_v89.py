"""Suggester rules added on v91's former held-out part (Spryker, Cybersource).

The fields are made up in the shape the misses had, not copied from one
vendor. Each is written through v67's `described`, a name, a type and the
few words a model gives.
"""

from tests.mapping.suggesting import described, sourced


def _steps(item):
    return [step["name"] for step in item.transforms]


def test_a_string_that_may_hold_a_decimal_point_is_an_amount(samples):
    # given a refund's sum typed as a string, its words allowing a decimal
    # point in it
    paid_back = described(
        "money.grand_sum",
        "string",
        "Sum paid back. You may include a decimal point; no thousands marks.",
    )
    # when suggested on a Stripe refund
    item = sourced(samples, "refund", paid_back)
    # then it is the refund's amount, in major units
    assert item.source == "amount"
    assert _steps(item) == ["minor_to_decimal"]


def test_a_string_that_forbids_a_decimal_point_stays_as_it_reads(samples):
    # given the same sum whose words rule the decimal point out
    in_cents = described(
        "money.grand_sum",
        "string",
        "Sum paid back. You cannot include a decimal point or other marks.",
    )
    # when suggested, then it is no amount in major units
    item = sourced(samples, "refund", in_cents)
    assert "minor_to_decimal" not in _steps(item)
