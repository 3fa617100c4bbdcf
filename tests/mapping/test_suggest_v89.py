"""Suggester rules added on v91's former held-out part (Spryker, Cybersource).

The fields are made up in the shape the misses had, not copied from one
vendor. Each is written through v67's `described`, a name, a type and the
few words a model gives.
"""

import pytest

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def _steps(item):
    return [step["name"] for step in item.transforms]


@pytest.mark.parametrize(
    ("said", "steps"),
    [
        # words allowing a decimal point: a decimal written as text
        ("You may include a decimal point; no thousands marks.", ["minor_to_decimal"]),
        # the near case, words ruling it out: the string stays as it reads
        ("You cannot include a decimal point or other marks.", []),
    ],
)
def test_a_string_that_may_hold_a_decimal_point_is_an_amount(samples, said, steps):
    # given a refund's sum typed as a string, its words saying whether a
    # decimal point may be in it
    paid_back = described("money.grand_sum", "string", f"Sum paid back. {said}")
    # when suggested on a Stripe refund
    item = sourced(samples, "refund", paid_back)
    # then it is the refund's amount, in major units only where a decimal
    # point may be in it
    assert item.source == "amount"
    assert _steps(item) == steps


_GRAND_SUM = described(
    "money.grandTotal",
    "string",
    "Grand total of the bill. You can include a decimal point, no other marks.",
)


@pytest.mark.parametrize(
    ("field", "source"),
    [
        # the tax's amount, in a group within the grand total's
        (("money.taxDetail.amount", "string", "The tax on the bill."), "tax"),
        # a sub-amount beside it, as a sub-total is the subtotal
        (("money.subAmount", "string", "The sum before levies."), "subtotal"),
    ],
)
def test_an_amount_beside_one_that_may_hold_a_decimal_point_is_one_too(
    samples, field, source
):
    # given a bill's amounts written as strings, only the grand total's words
    # allowing a decimal point
    amount = described(*field)
    # when suggested on a Stripe invoice
    out = suggest(samples["invoice"], _GRAND_SUM, amount)
    # then the other amount is written as the total is: a Stripe amount, in
    # major units
    assert out[amount["name"]].source == source
    assert _steps(out[amount["name"]]) == ["minor_to_decimal"]


def test_an_amount_named_for_something_else_stays_as_it_reads(samples):
    # given, beside the same grand total, a string amount named for what it
    # is of (a customs duty), and a string amount of another group
    duty = described("money.customsAmount", "string", "Import duties on the bill.")
    apart = described("other.amount", "string", "The tax on the bill.")
    # when suggested, then neither is made a decimal: the duty keeps no
    # amount, the amount of the other group is no amount in major units
    out = suggest(samples["invoice"], _GRAND_SUM, duty, apart)
    assert "minor_to_decimal" not in _steps(out["money.customsAmount"])
    assert "minor_to_decimal" not in _steps(out["other.amount"])


def test_an_email_address_also_used_as_the_user_name_is_the_email(samples):
    # given a member's e-mail address, described as the one its login is
    mail = described(
        "member_mail",
        "string",
        "The member's e-mail address, which is also used as the login name",
    )
    # when suggested on a Stripe customer, then it is the customer's e-mail
    assert sourced(samples, "customer", mail).source == "email"


def test_a_user_name_beside_an_email_stays_a_login(samples):
    # given a login's user name whose words name an e-mail address only to
    # say it is not one
    login = described(
        "member_login", "string", "The user name in the shop, not an e-mail address"
    )
    # when suggested, then it takes nothing: Stripe keeps no account's login
    assert_no_source(sourced(samples, "customer", login))


def test_a_sub_ledger_is_no_subtotal(samples):
    # given a number named sub- and a word that is no sum of money
    ledger = described("bill.sub_ledger", "decimal", "The ledger's number.")
    # when suggested, then it is not the subtotal
    assert sourced(samples, "invoice", ledger).source != "subtotal"
