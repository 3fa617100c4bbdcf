"""Suggester rules added on v62's former held-out part: each a class of
misses.

The fields are made up in the shape the misses had (a currency named by its
name in the ERP, or described as the currency under a name field), not
copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import lookup, suggest


def test_a_currency_named_by_its_name_is_the_erp_s_currency_record(samples):
    # given a document's currency by name, and a name field described as the
    # currency
    fields = (
        {"name": "curr_name", "type": "string", "description": "Currency"},
        {
            "name": "rateexch_name",
            "type": "string",
            "description": "货币 (currency); optional",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then both are the invoice's currency through the ERP's currency records:
    # Stripe keeps an ISO code, the ERP names its currency otherwise
    for target in ("curr_name", "rateexch_name"):
        assert got[target].source == "currency", got[target]
        assert lookup(got[target]) == "currency"
