"""Suggester rules added on v112's former held-out part (Payroc, Keap).

Each field is made up after the shape of a miss, named for no vendor, beside
a near case the rule leaves as it was.
"""

from tests.mapping.suggesting import described, none_while_near


def test_the_cards_own_currency_is_not_the_payments(samples):
    # given a currency of a conversion offered at the till, described as the
    # card's own currency, and one described as the payment's (the near
    # case: no card's currency)
    card = described(
        "Offer.cardCurrency",
        "string",
        "Currency of the sale in the card’s currency.",
    )
    sale = described("Offer.currency", "string", "Currency of the sale.")
    # when suggested on a Stripe charge, then the card's currency is left
    # empty, Stripe keeping no card's currency, and the sale's is the
    # charge's currency, as before
    none_while_near(samples, "charge", card, sale, "currency")
