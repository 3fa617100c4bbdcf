"""Suggester rules added on v52's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a customer's address
with a region beside its state), not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import assert_no_source, suggest


def test_a_region_beside_a_state_is_not_the_state(samples):
    # given a customer's first address with its state given by a record's
    # code and a region beside it
    fields = (
        {
            "name": "Addresses.Address.0.Province.code",
            "type": "string",
            "description": "The province of the address, by its record's code",
        },
        {
            "name": "Addresses.Address.0.Region",
            "type": "string",
            "description": "The region of the address",
        },
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the province is the state, and the region, a wider one, has none
    assert got["Addresses.Address.0.Province.code"].source == "address.state"
    assert_no_source(got["Addresses.Address.0.Region"])
