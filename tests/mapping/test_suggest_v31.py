"""Suggester rules added on v33's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (numbered additional
address lines beside a street, ...), not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import suggest


def test_an_additional_address_line_is_numbered_after_the_street(samples):
    # given an address with a street and two additional lines, numbered from 1
    fields = (
        {"name": "addr.street"},
        {"name": "addr.extraAddressLine1"},
        {"name": "addr.extraAddressLine2"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the first additional line is Stripe's line2, the second has none
    assert got["addr.street"].source == "address.line1", got["addr.street"]
    first = got["addr.extraAddressLine1"]
    assert first.source == "address.line2", first
    second = got["addr.extraAddressLine2"]
    assert second.abstained and not second.source, second


def test_a_suburb_on_the_second_line_is_no_city(samples):
    # given numbered lines, the second described as a suburb, the third as
    # the city
    fields = (
        {"name": "post_address.line_1", "description": "First line (Street)"},
        {"name": "post_address.line_2", "description": "Second line (Suburb)"},
        {"name": "post_address.line_3", "description": "Third line (City)"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the suburb is the street's second line, the city the city
    assert got["post_address.line_2"].source == "address.line2", got[
        "post_address.line_2"
    ]
    assert got["post_address.line_3"].source == "address.city", got[
        "post_address.line_3"
    ]
