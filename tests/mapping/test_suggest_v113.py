"""Suggester rules added on v115's former held-out part (Tilled, Zendesk Sell).

Every field below is invented after a miss's shape, with no vendor's own
names, and is set beside a close field its rule leaves alone.
"""

from tests.mapping.suggesting import described, sourced


def test_a_standards_name_after_an_example_is_no_three_letter_code(samples):
    # given a country code shown by two-letter examples and then pointed to
    # its standard by name, and one shown by three-letter examples (the near
    # case: the example itself is three capitals)
    pointed = described(
        "payer.land",
        "string",
        "Land code (e.g. 'FR', 'DE') [See ISO 3166-1](https://example.org/iso)",
    )
    tripled = described(
        "payer.land",
        "string",
        "Land code (e.g. 'FRA', 'DEU') [See ISO 3166-1](https://example.org/iso)",
    )
    # when suggested on a Stripe customer, then the first is the address's
    # country as it is, the standard's name no example of a code, and the
    # second is still turned into the three-letter code
    pointed_item = sourced(samples, "customer", pointed)
    assert pointed_item.source == "address.country"
    assert pointed_item.transforms == []
    tripled_item = sourced(samples, "customer", tripled)
    assert tripled_item.source == "address.country"
    assert tripled_item.transforms[0]["params"] == {"to": "alpha3"}
