"""Suggester rules added on v116's former held-out part (Cielo, Agile CRM).

Every field below is invented after a miss's shape, with no vendor's own
names, and is set beside a close field its rule leaves alone.
"""

from tests.mapping.suggesting import described, suggest


def test_an_address_among_a_records_properties_is_its_own(samples):
    # given a street and a town kept as the address entry of a contact's
    # properties, a group of its attributes, and the same under the first of
    # a list of properties (the near case: the places a service is done at)
    own = (
        described("contact.properties.address.street", "string", "Street"),
        described("contact.properties.address.town", "string", "Town"),
    )
    served = (
        described("contact.properties.0.address.street", "string", "Street"),
        described("contact.properties.0.address.town", "string", "Town"),
    )
    # when suggested on a Stripe customer, then the first are the customer's
    # own address, no place goods or work go to, and the listed ones are
    # still the shipping address
    mine = suggest(samples["customer"], *own)
    assert mine["contact.properties.address.street"].source == "address.line1"
    assert mine["contact.properties.address.town"].source == "address.city"
    theirs = suggest(samples["customer"], *served)
    assert theirs["contact.properties.0.address.street"].source == (
        "shipping.address.line1"
    )
    assert theirs["contact.properties.0.address.town"].source == "shipping.address.city"
