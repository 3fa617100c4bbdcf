"""Suggester rules added on v44's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (XML tags whose words run
together in capitals, ...), not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import suggest


def test_capitalised_tags_are_read_as_the_words_they_run_together(samples):
    # given an invoice whose fields are XML tags in run-together capitals,
    # naming the party billed and the party the goods are consigned to
    fields = (
        {"name": "PARTYCOUNTRY", "type": "string"},
        {"name": "CONSIGNEECITYNAME", "type": "string"},
        {"name": "CONSIGNEEZIPCODE", "type": "string"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each is read as its words: the billed party's country, the
    # ship-to party's city and postal code
    assert got["PARTYCOUNTRY"].source == "customer_address.country"
    assert got["CONSIGNEECITYNAME"].source == "customer_shipping.address.city"
    assert got["CONSIGNEEZIPCODE"].source == "customer_shipping.address.postal_code"
