"""Suggester rules added on v56's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (reference elements named
for the record they point at and described as references to it, dates of the
receivables' follow-up kept beside a document's own dates), not copied from
one vendor.
"""

from tests.mapping.test_suggest_v3 import assert_no_source, lookup, suggest


def test_a_reference_to_a_record_stripe_does_not_keep_has_no_source(samples):
    # given reference elements described as references to records of the
    # ERP's own set-up, beside references to records Stripe keeps too
    fields = (
        {
            "name": "Billing_Schedule_Reference",
            "type": "string",
            "description": "A reference to a Billing Schedule by one of its IDs.",
        },
        {
            "name": "Warehouse_Reference",
            "type": "array",
            "description": "References to Warehouse instances.",
        },
        {
            "name": "Sales_Territory_Ref",
            "type": "string",
            "description": "Reference to the sales territory.",
        },
        {
            "name": "Customer_Reference",
            "type": "string",
            "description": "A reference to the Customer billed.",
        },
        {
            "name": "Currency_Reference",
            "type": "string",
            "description": "The currency, a reference to a Currency by its code.",
        },
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the ERP's records are left to it and Stripe's are still filled
    assert_no_source(got["Billing_Schedule_Reference"])
    assert_no_source(got["Warehouse_Reference"])
    assert_no_source(got["Sales_Territory_Ref"])
    assert lookup(got["Customer_Reference"]) == "customer"
    assert got["Currency_Reference"].source == "currency"
