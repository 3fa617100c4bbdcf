"""Suggester rules added on v67's former held-out part (Open Source Point of
Sale, Culqi).

The fields are made up in the shape the misses had (an SDK's request
fields and SQL columns, described in a few words), not copied from one
vendor.
"""

from tests.mapping.test_suggest_v3 import suggest


def test_a_currency_allowing_two_iso_codes_is_the_object_s_currency(samples):
    # given a payment's currency that allows only the local code and the dollar
    fields = (
        {
            "name": "moneda_iso",
            "type": "string",
            "description": "ISO 4217 code",
            "choices": ["ARS", "USD"],
        },
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields)
    # then it is Stripe's currency, upper-cased
    assert got["moneda_iso"].source == "currency"
    assert got["moneda_iso"].transforms == [{"name": "upper"}]
