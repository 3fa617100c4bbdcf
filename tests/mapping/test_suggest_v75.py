"""Suggester rules added on v77's former held-out part (Reaction Commerce, Rapyd).

The fields are made up in the shape the misses had (a shop's customer kept
as an account, a payment request's keys and contacts), not copied from one
vendor. Each is written through v67's `described`, a name, a type and the
few words a model gives.
"""

from tests.mapping.test_suggest_v3 import assert_no_source, suggest
from tests.mapping.test_suggest_v67 import described, sourced


def test_a_field_of_this_account_on_a_customer_is_the_customer_s_own(samples):
    # given a shop's customer kept as an account, with a remark and a
    # preferred currency each described as of this account
    remark = described("remark", "string", "A remark kept on this account")
    money = described("payCurrency", "string", "The currency this account pays in")
    # when suggested on a customer, then neither is a setting of the books:
    # the remark is the customer's description, the currency its own
    got = suggest(samples["customer"], remark, money)
    assert got["remark"].source == "description", got
    assert got["payCurrency"].source == "currency", got
    # while an account described as the receivable account is still a setting
    ledger = described(
        "receivableAccount", "string", "The receivable account it posts to"
    )
    assert_no_source(sourced(samples, "customer", ledger))
