"""Suggester rules added on v25's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a customer's one address
described as where goods go, ...), not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import suggest


def test_a_records_one_address_described_as_shipping_is_its_own(samples):
    # given a customer whose only address is described as the delivery one
    fields = (
        {"name": "email", "description": "The client's e-mail"},
        {"name": "street", "description": "The client's delivery street address"},
        {"name": "town", "description": "The client's delivery address town"},
        {"name": "postcode", "description": "The client's delivery address postcode"},
        {"name": "country", "description": "The client delivery address country"},
    )
    got = suggest(samples["customer"], *fields)
    # then each part takes the customer's own address
    assert got["street"].source == "address.line1", got["street"]
    assert got["town"].source == "address.city", got["town"]
    assert got["postcode"].source == "address.postal_code", got["postcode"]
    assert got["country"].source == "address.country", got["country"]
