"""Suggester rules added on v82's former held-out part (OXID eShop, Cashfree Payments).

The fields are made up in the shape the misses had (a table's columns
written flat, the table's prefix and the words run together in lower
case), not copied from one vendor. Each is written through v67's
`described`, a name, a type and the few words a model gives.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def _country_key(whose_key):
    """A member's country kept as a key to the shop's country record."""
    return described(
        "tbmember__tbcountryid",
        "string",
        f"'Country id' char(32), reference to a country record, whose key is "
        f"{whose_key}.",
    )


def test_a_country_key_described_as_not_the_iso_code_is_looked_up(samples):
    # given a country key whose description says the key is a hash and not
    # the ISO code
    keyed = _country_key("a generated hash, not the ISO code")
    # when suggested on a customer, then the country is looked up in the
    # country map: the record's key, which the description denies is the code
    got = sourced(samples, "customer", keyed)
    assert got.source == "address.country"
    assert [step["name"] for step in got.transforms] == ["lookup"]
    # while a country key described as the ISO code itself stays the code
    got = sourced(samples, "customer", _country_key("the ISO code"))
    assert got.source == "address.country"
    assert got.transforms == []


def test_a_second_tax_slot_has_no_source(samples):
    # given an order's tax kept in numbered slots, one per rate, the second
    # described as the second rate's tax amount
    second = described(
        "tborder__tbitemtax2", "decimal", "'Second calculated tax amount' double."
    )
    # when suggested on an invoice, then it has no source: Stripe's one tax
    # total is the first slot's, and a second rate's share is none Stripe gives
    assert_no_source(sourced(samples, "invoice", second))
    # while the first slot, described as the first, still takes the tax
    first = described(
        "tborder__tbitemtax1", "decimal", "'First calculated tax amount' double."
    )
    got = suggest(samples["invoice"], first, second)["tborder__tbitemtax1"]
    assert got.source == "tax"


def test_an_amount_to_be_collected_is_the_amount_due(samples):
    # given a payment request's amount described as what is to be collected
    asked = described(
        "request_amount", "decimal", "Amount to be collected with this request."
    )
    # when suggested on an invoice, then it is the amount still due: what
    # the request collects is what the invoice has left to pay
    got = suggest(samples["invoice"], asked, threshold=None)["request_amount"]
    assert got.source == "amount_due"
    # while an amount described as the document's total stays the total
    whole = described("request_total", "decimal", "The total of the request.")
    got = suggest(samples["invoice"], whole, threshold=None)["request_total"]
    assert got.source != "amount_due"
