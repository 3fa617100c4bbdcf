"""Suggester rules added on v78's former held-out part (EverShop, Klarna).

The fields are made up in the shape the misses had (a refund request sent
for a credit note), not copied from one vendor. Each is written through
v67's `described`, a name, a type and the few words a model gives.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def test_the_refunded_amount_of_a_credit_note_is_its_own_total(samples):
    # given a refund request's amount named as refunded, in minor units
    given_back = described(
        "amount_refunded", "int", "Amount given back, in minor units."
    )
    # when suggested on a credit note, which gives money back as a refund
    # does, then it is the credit note's own total, past the calibrated cut:
    # what a credit note credits is what was refunded
    got = sourced(samples, "credit_note", given_back, None)
    assert got.source == "total", got
    # while on an invoice, which gives nothing back, the word still qualifies
    # the amount as another than the invoice's own
    assert_no_source(sourced(samples, "invoice", given_back, None))
    # and on a refund it stays the refund's own amount
    assert suggest(samples["refund"], given_back)["amount_refunded"].source == (
        "amount"
    )
    # and a wrapping cost on a credit note is still no total of its own
    wrapping = described("wrapping_cost", "int", "Cost of gift wrapping.")
    assert_no_source(sourced(samples, "credit_note", wrapping, None))


def test_the_tax_of_an_invoice_s_first_line_has_no_source(samples):
    # given an order's first position with its own tax amount, in major units
    line_tax = described("positions.0.tax_value", "decimal", "Tax of the position.")
    # when suggested on an invoice, then it has no source: Stripe keeps the
    # document's tax as one figure and no line's tax apart
    assert_no_source(sourced(samples, "invoice", line_tax, None))
    # while the order's own tax is still the invoice's tax
    own = described("tax_value", "decimal", "Tax of the order.")
    assert sourced(samples, "invoice", own, None).source == "tax"
