"""Suggester rules added on v31's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a country's first-level
division named by its level, ...), not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import suggest


def test_a_first_level_administrative_area_is_the_state(samples):
    # given an address whose state is named as the country's first-level area
    fields = (
        {"name": "postal.locality"},
        {
            "name": "postal.administrativeAreaLevel1",
            "description": "Postal address: top-level division of the country",
        },
        {"name": "delivery.admin_area_level_1"},
    )
    got = suggest(samples["customer"], *fields)
    # then it is the state, on each side of the address
    area = got["postal.administrativeAreaLevel1"]
    assert area.source == "address.state", area
    delivered = got["delivery.admin_area_level_1"]
    assert delivered.source == "shipping.address.state", delivered
