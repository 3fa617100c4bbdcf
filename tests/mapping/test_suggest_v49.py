"""Suggester rules added on v51's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a posted document's lines
keeping each amount in a second and a third currency beside the document's),
not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import assert_no_source, suggest


def test_an_amount_in_a_dual_or_parent_currency_is_no_stripe_field(samples):
    # given a line's value in the dual and in the parent currency, and the
    # parent currency's code, beside its value in the document's currency
    fields = (
        {
            "name": "rows.0.amount_doc",
            "type": "decimal",
            "description": "Amount of the row in the document currency.",
        },
        {
            "name": "rows.0.amount_dual",
            "type": "decimal",
            "description": "Amount of the row in the dual currency.",
        },
        {
            "name": "rows.0.amount_parent",
            "type": "decimal",
            "description": "Amount of the row in the parent currency.",
        },
        {
            "name": "rows.0.parent_currency",
            "type": "string",
            "description": "Code of the parent currency of the row, if any.",
        },
    )
    # when suggested
    got = suggest(samples["charge"], *fields, threshold=None)
    # then only the document currency's amount is Stripe's
    assert got["rows.0.amount_doc"].source == "amount"
    assert_no_source(got["rows.0.amount_dual"])
    assert_no_source(got["rows.0.amount_parent"])
    assert_no_source(got["rows.0.parent_currency"])
