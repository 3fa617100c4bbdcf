"""Suggester rules added on v38's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (an object of custom
keys, ...), not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import suggest


def test_a_code_of_two_letter_pieces_is_read_through_its_quoted_label(samples):
    # given a customer's fields named by short letter codes, each described by
    # a quoted label and the record it sits on
    fields = (
        {
            "name": "PsCd",
            "type": "string",
            "description": "'Postal code' (main address of the customer)",
        },
        {
            "name": "Ct",
            "type": "string",
            "description": "'City' (main address of the customer)",
        },
        {
            "name": "MlAd",
            "type": "string",
            "description": "'E-mail address' (customer)",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then each gets the Stripe field its label names, as a spelled-out name would
    assert (got["PsCd"].source, got["PsCd"].transforms) == ("address.postal_code", [])
    assert (got["Ct"].source, got["Ct"].transforms) == ("address.city", [])
    assert (got["MlAd"].source, got["MlAd"].transforms) == ("email", [])
