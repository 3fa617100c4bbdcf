"""Suggester rules added on v61's former held-out part: each a class of
misses.

The fields are made up in the shape the misses had (a building's outer and
inner numbers given apart under an address group, as Latin American
addresses give them), not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import assert_no_source, suggest


def test_a_building_s_outer_and_inner_numbers_have_no_source(samples):
    # given the outer and inner numbers of the building under an address
    fields = (
        {"name": "billing_entity.address.external_number", "type": "string"},
        {"name": "billing_entity.address.internal_number", "type": "string"},
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields, threshold=None)
    # then neither has a source: Stripe keeps the number in the street line,
    # and an outer number is no key of another system
    assert_no_source(got["billing_entity.address.external_number"])
    assert_no_source(got["billing_entity.address.internal_number"])
