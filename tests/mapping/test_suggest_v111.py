"""Suggester rules added on v113's former held-out part (Dwolla, Brevo).

Every field below is invented after a miss's shape, with no vendor's own
names, and is set beside a close field its rule leaves alone.
"""

from tests.mapping.suggesting import described, sourced


def test_a_partnership_is_no_shipping(samples):
    # given the street of a firm's address, described as a partnership's, and
    # the same street described as a company's (the near case: no word
    # ending in -ship after a party)
    firm = described(
        "street1", "string", "Street of the office (limited partnership only)."
    )
    plain = described("street1", "string", "Street of the office (company only).")
    # when suggested on a Stripe customer, then both are the customer's own
    # first address line, the suffix -ship after a partner no shipping side
    assert sourced(samples, "customer", firm).source == "address.line1"
    assert sourced(samples, "customer", plain).source == "address.line1"
