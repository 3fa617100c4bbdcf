"""Suggester rules added on v63's former held-out part: each a class of
misses.

The fields are made up in the shape the misses had (the rates of a
country's taxes, each named by the tax's acronym under a taxes group and
described as its rate), not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import assert_no_source, suggest


def test_a_tax_named_by_its_acronym_and_described_as_a_rate_is_a_rate(samples):
    # given the rates of two taxes, each named by its acronym under a taxes
    # group and described as its rate, beside the document's tax amount
    fields = (
        {"name": "taxes.icms", "type": "decimal", "description": "'ICMS rate'"},
        {"name": "levies.ipi", "type": "decimal", "description": "IPI rate"},
        {"name": "taxAmount", "type": "decimal", "description": "Tax amount"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the rates are the ERP's to apply: no source; the amount is the tax
    assert_no_source(got["taxes.icms"])
    assert_no_source(got["levies.ipi"])
    assert got["taxAmount"].source == "tax"
