"""Suggester rules added on v112's former held-out part (Payroc, Keap).

The fields below copy only the shape of the misses (no vendor's own names);
each test pairs one with a close field its rule does not change.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    none_while_near,
    sourced,
)


def test_the_cards_own_currency_is_not_the_payments(samples):
    # given a currency of a conversion offered at the till, described as the
    # card's own currency, and one described as the payment's (the near
    # case: no card's currency)
    card = described("Offer.cardCurrency", "string", "In the card’s currency.")
    sale = described("Offer.currency", "string", "Currency of the sale.")
    # when suggested on a Stripe charge, then the card's currency is left
    # empty, Stripe keeping no card's currency, and the sale's is the
    # charge's currency, as before
    none_while_near(samples, "charge", card, sale, "currency")


def test_pythons_text_type_is_text(samples):
    # given a buyer's first name typed as Python's text (str), the way a
    # Python SDK annotates it, and the same name typed as text by its plain
    # name (the near case: a type the suggester read already)
    typed = described("Buyer.givenName", "str", "no description")
    plain = described("Buyer.givenName", "string", "no description")
    # when suggested on a Stripe customer, then both are the first name split
    # from the customer's full name, as the plain text was
    split = [{"name": "split_name", "params": {"part": "first"}}]
    assert sourced(samples, "customer", typed).transforms == split
    assert sourced(samples, "customer", plain).transforms == split


def test_the_time_of_an_update_is_no_creation(samples):
    # given when a sale was last updated in the seller's other system, named
    # by the noun update, and when it was made there (the near case: its
    # creation)
    updated = described("remote_update_time", "string (date-time)", "no description")
    made = described("remote_create_time", "string (date-time)", "no description")
    # when suggested on a Stripe charge, then the update's time is left
    # empty under the calibrated cut, as a time of a change is, Stripe
    # keeping none, and the creation's is the charge's creation time, as
    # before
    assert_no_source(sourced(samples, "charge", updated, threshold=None))
    assert sourced(samples, "charge", made, threshold=None).source == "created"
