"""Suggester rules added on v79's former held-out part (Broadleaf Commerce, Nuvei).

The fields are made up in the shape the misses had (an address with its
phone records written inline, opened by path), not copied from one vendor.
Each is written through v67's `described`, a name, a type and the few words
a model gives.
"""

from tests.mapping.test_suggest_v3 import assert_no_source, suggest
from tests.mapping.test_suggest_v67 import described, sourced


def test_a_fax_or_second_phone_record_s_number_has_no_source(samples):
    # given an address whose phone records are written inline, the record's
    # kind named by the part that opens it and its number by a plain leaf
    fax = described("contact.telFax.telNumber", "string", "A fax number.")
    second = described(
        "contact.telSecondary.telNumber", "string", "Another phone number."
    )
    # when suggested on a customer, then neither has a source: Stripe keeps
    # one phone, the main one, and no fax
    assert_no_source(sourced(samples, "customer", fax, None))
    assert_no_source(sourced(samples, "customer", second, None))
    # while the main phone record's number is still the customer's phone
    main = described("contact.telPrimary.telNumber", "string", "The main phone.")
    assert suggest(samples["customer"], main)[main["name"]].source == "phone"
