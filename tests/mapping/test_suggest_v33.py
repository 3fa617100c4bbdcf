"""Suggester rules added on v35's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (an object of custom
keys, ...), not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import suggest


def test_an_object_of_custom_keys_has_no_source(samples):
    # given an order's and its line's custom key-value objects
    fields = (
        {"name": "extra", "type": "object", "description": "The order's metadata"},
        {"name": "lines.0.meta", "type": "object", "description": "The line's data"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither takes Stripe's metadata, which holds the integration's keys
    for name in ("extra", "lines.0.meta"):
        assert got[name].abstained and not got[name].source, got[name]
        assert got[name].transforms == [], got[name]


def test_a_parcels_tracking_number_or_link_has_no_source(samples):
    # given a return's tracking number and link, given by the carrier
    fields = (
        {"name": "parcel_tracking_no", "description": "Tracking number of the parcel"},
        {"name": "parcel_tracking_url", "description": "Tracking link of the parcel"},
    )
    for sample in ("credit_note", "invoice"):
        got = suggest(samples[sample], *fields, threshold=None)
        # then neither is the document's number nor its page
        for name in ("parcel_tracking_no", "parcel_tracking_url"):
            assert got[name].abstained and not got[name].source, got[name]
            assert got[name].transforms == [], got[name]
