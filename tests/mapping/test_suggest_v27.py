"""Suggester rules added on v29's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (an address's country
area, ...), not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import suggest


def test_a_countrys_area_is_the_state_not_the_country(samples):
    # given an address nested under its side, its country beside the area
    # of the country it lies in (the state or province)
    fields = (
        {"name": "mainAddress.country", "description": "Country code"},
        {"name": "mainAddress.country_area", "description": "Region of the country"},
        {"name": "deliverTo.countryArea"},
    )
    got = suggest(samples["customer"], *fields)
    # then the country is the country and each area is its side's state
    assert got["mainAddress.country"].source == "address.country"
    area = got["mainAddress.country_area"]
    assert area.source == "address.state", area
    shipped = got["deliverTo.countryArea"]
    assert shipped.source == "shipping.address.state", shipped
