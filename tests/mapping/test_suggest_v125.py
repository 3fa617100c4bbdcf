"""Suggester rules added on v127's former held-out part (PortOne, erxes).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import (
    described,
    sourced,
)


def transform_names(item):
    return [step["name"] for step in item.transforms]


def test_a_named_enum_of_currency_codes_is_upper_cased(samples):
    # given a booking's currency typed as a named enum whose list of codes is
    # cut short ("Currency (string enum: CHF, USD, SEK, …)"), and a booking's
    # currency typed by that name alone (the near case: no codes listed)
    listed = described("booking.currency", "Currency (string enum: CHF, USD, SEK, …)")
    named = described("booking.currency", "Currency")
    # when suggested on a Stripe charge, then both take the charge's
    # currency, and only the listed one is upper-cased
    item = sourced(samples, "charge", listed)
    assert (item.source, transform_names(item)) == ("currency", ["upper"])
    item = sourced(samples, "charge", named)
    assert (item.source, transform_names(item)) == ("currency", [])
