"""Suggester rules added on v113's former held-out part (Dwolla, Brevo).

Every field below is invented after a miss's shape, with no vendor's own
names, and is set beside a close field its rule leaves alone.
"""

from tests.mapping.suggesting import described, none_while_near, sourced


def test_a_partnership_is_no_shipping(samples):
    # given the street of a firm's address described as a partnership's, and
    # the same street described as a company's (the near case: no word
    # ending in -ship after a party)
    for kind in ("limited partnership", "company"):
        street = described("street1", "string", f"Street of the office ({kind}).")
        # when suggested on a Stripe customer, then each is the customer's own
        # first address line, the suffix -ship after a partner no shipping
        assert sourced(samples, "customer", street).source == "address.line1", kind


def test_a_key_for_tracing_to_your_application_is_the_records_own(samples):
    # given a key attached to a payment that traces it between the provider
    # and the API user's own application, and one attached to a payment for
    # the provider's own tracing (the near case: no application of yours)
    traced = described(
        "traceKey",
        "string",
        "A value attached to a payment which can be used for traceability "
        "between the provider and your application.",
    )
    kept = described(
        "traceKey",
        "string",
        "A value attached to a payment which the provider uses for traceability.",
    )
    # when suggested on a Stripe charge, then the first is the charge's own
    # Stripe id, the key its sender keeps, and the second is not, as before
    assert sourced(samples, "charge", traced, threshold=None).source == "id"
    assert sourced(samples, "charge", kept, threshold=None).source != "id"


def test_a_country_code_as_a_whole_number_is_a_calling_code(samples):
    # given a firm's country code typed as a whole number, and the same code
    # typed as text (the near case: a code of letters, the ISO one)
    dialled = described("firmCountryCode", "int", "Code of the country.")
    lettered = described("firmCountryCode", "string", "Code of the country.")
    # when suggested on a Stripe customer, then the number is left empty, a
    # phone's calling code Stripe keeps inside the number, and the text is
    # the address's country, as before
    none_while_near(samples, "customer", dialled, lettered, "address.country")
