"""Suggester rules added on v83's former held-out part (Shuup, Unzer).

The fields are made up in the shape the misses had (an address written
inline under its record's name, described by an SDK's few words), not
copied from one vendor. Each is written through v67's `described`, a
name, a type and the few words a model gives.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    none_while_near,
    sourced,
    suggest,
)


def _state(described_as):
    """An inline address's state, described as the code it is given in."""
    return described(
        "postalAddress.state",
        "string",
        f"the state as a subdivision code{described_as}",
    )


def test_a_state_coded_after_its_country_has_no_source(samples):
    # given an inline address's state described as a subdivision code shown
    # with its country's prefix
    prefixed = _state(" ('FR-IDF' in the examples)")
    # when suggested on a customer, then it has no source: Stripe's state is
    # the bare code or a name, never the country's and the state's joined
    assert_no_source(sourced(samples, "customer", prefixed))
    # while a state described as the code without the prefix takes the state
    bare = _state(", without the country prefix ('IDF')")
    assert sourced(samples, "customer", bare).source == "address.state"


def test_a_region_beside_its_code_gives_the_state_to_the_code(samples):
    # given a delivery address written inline with a bare province and,
    # beside it, the province's code
    bare = described("delivery_address.province", "string", "Province")
    coded = described("delivery_address.province_code", "string", "Province code")
    # when suggested together on a customer, then the code takes the state:
    # Stripe's state is a code where the country has them, and the bare
    # province is the free text kept where it has none
    got = suggest(samples["customer"], bare, coded)
    assert got["delivery_address.province_code"].source == "shipping.address.state"
    assert_no_source(got["delivery_address.province"])
    # while a province with no code beside it still takes the state
    got = suggest(samples["customer"], bare)
    assert got["delivery_address.province"].source == "shipping.address.state"


def test_a_names_extension_has_no_source(samples):
    # given a contact's name extension, the text shown along with its name,
    # and near it the name itself
    extended = described(
        "member_name_ext", "string", "Name extension: text shown with the name."
    )
    named = described("member_name", "string", "The member's name.")
    # when suggested on a customer, then the extension has no source: Stripe
    # keeps the name alone, with nothing added to it; the name still takes
    # the name
    none_while_near(samples, "customer", extended, named, "name")


def test_who_made_a_record_has_no_source(samples):
    # given a refund's field naming who issued it, and near it the date it
    # was issued on
    maker = described("issued_by", "string", "The user who issued the refund.")
    issued = described("issued_on", "date", "The date the refund was issued.")
    # when suggested on a refund, then who issued it has no source: Stripe
    # records no user of the ERP; the date still takes the creation time
    none_while_near(samples, "refund", maker, issued, "created")
