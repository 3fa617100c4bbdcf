"""Suggester rules added on v66's former held-out part (BlueSeer, PayU Latam).

The fields are made up in the shape the misses had (SQL columns with a
table's prefix, described in a few words), not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import assert_no_source, suggest


def test_a_home_currency_named_with_currency_cut_short_has_no_source(samples):
    # given a receipt's and its line's home currency, with "currency" cut
    # short in the names (curr, ccy)
    fields = (
        {"name": "rc_home_ccy", "type": "string", "description": "code"},
        {"name": "rcd_local_curr", "type": "string"},
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields)
    # then the company's own currency is the ERP's: no source
    assert_no_source(got["rc_home_ccy"])
    assert_no_source(got["rcd_local_curr"])
