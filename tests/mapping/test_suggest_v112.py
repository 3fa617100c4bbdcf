"""Suggester rules added on v114's former held-out part (Moov, Klaviyo).

Every field below is invented after a miss's shape, with no vendor's own
names, and is set beside a close field its rule leaves alone.
"""

from tests.mapping.suggesting import described, sourced


def test_a_place_part_of_a_persons_location_is_its_address(samples):
    # given a person's city and first street line kept under its location,
    # and a warehouse named under the same location (the near case: a
    # location's own record, no part of an address)
    city = described("body.fields.location.city", "string", "City name")
    street = described(
        "body.fields.location.address1", "string", "First line of street address"
    )
    stock = described("body.fields.location.warehouse", "string", "Warehouse")
    # when suggested on a Stripe customer, then each part is the customer's
    # own address, a place of the person, not a stock location set up in the
    # ERP, and the warehouse is still left to the integration's settings
    assert sourced(samples, "customer", city).source == "address.city"
    assert sourced(samples, "customer", street).source == "address.line1"
    assert not sourced(samples, "customer", stock).source
