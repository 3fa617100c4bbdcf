"""Suggester rules added on v69's former held-out part (LibreBooks, Iugu).

The fields are made up in the shape the misses had (an accounting model's
entity columns and a payment SDK's request classes, described with the code
that declares them), not copied from one vendor. Each is written through
`described`, a name, a type and the few words a model gives.
"""

from tests.mapping.test_suggest_v3 import assert_no_source, suggest


def described(name, kind, description=""):
    """A field as a model or an SDK gives it: a name, a type, a few words."""
    return {"name": name, "type": kind, "description": description}


def sourced(samples, object_type, field, threshold=0.0):
    """What `field` alone is suggested on a Stripe `object_type`."""
    return suggest(samples[object_type], field, threshold=threshold)[field["name"]]


def test_an_address_described_as_one_free_text_has_no_source(samples):
    # given a customer's and a document's addresses kept as one text each,
    # with no street, city or postal code of their own
    for place, object_type in (
        (
            described("PostalAddress", "string", "the postal address as one free text"),
            "customer",
        ),
        (
            described(
                "Party.ShipToAddress", "string", "the ship-to address as a single text"
            ),
            "invoice",
        ),
    ):
        # when suggested, then neither is Stripe's street line nor a note
        assert_no_source(sourced(samples, object_type, place))
