"""Suggester rules added on v72's former held-out part (kivitendo, Mangopay).

The fields are made up in the shape the misses had (an ERP's CSV import
columns and a payment SDK's request classes, described with the code that
declares them), not copied from one vendor. Each is written through v67's
`described`, a name, a type and the few words a model gives.
"""

from tests.mapping.test_suggest_v67 import described, sourced


def test_a_refund_s_currency_described_with_the_refunded_payment_is_the_currency(
    samples,
):
    # given a refund request's money, its currency described with the payment
    # the refund gives back
    currency = described(
        "RefundedMoney.CurrencyCode",
        "string",
        "the money to give back (the payment is refunded in full when absent): "
        "currency, an ISO 4217 code",
    )
    # when suggested on a refund, then it is the refund's currency, not the
    # refunded charge looked up
    item = sourced(samples, "refund", currency)
    assert item.source == "currency", item
