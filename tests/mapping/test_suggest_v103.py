"""Suggester rules added on v105's former held-out part (Paytm, OrderCloud).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v67's `described`; each rule has a near case
that must not change.
"""

from tests.mapping.suggesting import described, sourced


def member(name, kind="string"):
    """An SDK model's member, with no description of its own."""
    return described(name, kind, f"no description (MadeUpModel, {name})")


def test_a_field_of_the_first_entry_of_a_goods_list_is_the_first_lines(samples):
    # given the text of the first entry of a document's list of goods
    text = member("wares.goods.0.description")
    # when suggested on a Stripe invoice, then it is the first line's text
    assert sourced(samples, "invoice", text).source == "lines.data.0.description"


def test_a_field_of_a_goods_record_stays_the_documents(samples):
    # given the same text on a goods record not written as a list (the near
    # case: no first entry of a list)
    text = member("wares.goods.description")
    # when suggested on a Stripe invoice, then it is the invoice's own
    # description, as before
    assert sourced(samples, "invoice", text).source == "description"
