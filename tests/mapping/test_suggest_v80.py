"""Suggester rules added on v82's former held-out part (OXID eShop, Cashfree Payments).

The fields are made up in the shape the misses had (a table's columns
written flat, the table's prefix and the words run together in lower
case), not copied from one vendor. Each is written through v67's
`described`, a name, a type and the few words a model gives.
"""

from tests.mapping.test_suggest_v3 import assert_no_source, suggest  # noqa: F401
from tests.mapping.test_suggest_v67 import described, sourced


def test_a_country_key_described_as_not_the_iso_code_is_looked_up(samples):
    # given a member's country kept as a key to the shop's country record,
    # whose description says the key is a hash and not the ISO code
    keyed = described(
        "tbmember__tbcountryid",
        "string",
        "'Country id' char(32), reference to a country record, whose key is a "
        "generated hash, not the ISO code.",
    )
    # when suggested on a customer, then the country is looked up in the
    # country map: the record's key, which the description denies is the code
    got = sourced(samples, "customer", keyed)
    assert got.source == "address.country"
    assert [step["name"] for step in got.transforms] == ["lookup"]
    # while a country key described as the ISO code itself stays the code
    coded = described(
        "tbmember__tbcountryid",
        "string",
        "'Country id' char(32), reference to a country record, whose key is "
        "the ISO code.",
    )
    got = sourced(samples, "customer", coded)
    assert got.source == "address.country"
    assert got.transforms == []
