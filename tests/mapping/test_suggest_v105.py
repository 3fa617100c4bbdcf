"""Suggester rules added on v107's former held-out part (DOKU, Global Payments).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v103's `member`; each rule has a near case
that must not change.
"""

from tests.mapping.suggesting import assert_no_source, sourced
from tests.mapping.test_suggest_v103 import member, transform_names


def test_a_currency_conversion_is_no_currency(samples):
    # given a payment's currency conversion, as a whole and by its id, of no
    # given type
    whole = member("payment.currency_conversion", "not given")
    key = member("payment.currencyConversion.id", "not given")
    # when suggested on a Stripe charge, then neither takes the currency:
    # a conversion the gateway made, where Stripe's charge has one currency
    assert_no_source(sourced(samples, "charge", whole))
    assert_no_source(sourced(samples, "charge", key))


def test_the_payments_currency_stays_the_currency(samples):
    # given the same payment's currency (the near case: no conversion named)
    currency = member("payment.currency", "not given")
    # when suggested on a Stripe charge, then it is the charge's currency,
    # in capitals, as before
    item = sourced(samples, "charge", currency)
    assert item.source == "currency"
    assert transform_names(item) == ["upper"]
