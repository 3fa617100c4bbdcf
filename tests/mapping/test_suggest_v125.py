"""Suggester rules added on v127's former held-out part (PortOne, erxes).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced


def test_a_named_enum_of_currency_codes_is_upper_cased(samples):
    # given a booking's currency typed as a named enum whose list of codes is
    # cut short ("Cash (string enum: CHF, USD, SEK, …)"), and a booking's
    # currency typed by that name alone (the near case: no codes listed)
    listed = described("booking.currency", "Cash (string enum: CHF, USD, SEK, …)")
    named = described("booking.currency", "Cash")
    # when suggested on a Stripe charge, then both take the charge's
    # currency, and only the listed one is upper-cased
    upper = [{"name": "upper"}]
    for field, steps in ((listed, upper), (named, [])):
        item = sourced(samples, "charge", field)
        assert (item.source, item.transforms) == ("currency", steps), item


def test_a_tax_part_counted_in_minor_units_is_not_the_whole_sum(samples):
    # given a hold's amount split into a sales tax part and a part exempt
    # from tax, both whole numbers of cents (holdAmount.salesTax,
    # holdAmount.taxExemptPart typed integer), and the hold's whole amount in
    # cents (the near case: no tax word)
    tax = described("holdAmount.salesTax", "integer (int64)", "The sales tax part.")
    exempt = described("holdAmount.taxExemptPart", "integer (int64)", "Tax exempt.")
    whole = described("holdAmount.whole", "integer (int64)", "The sum in cents.")
    # when suggested on a Stripe charge (whose amount has no tax split), then
    # neither part takes the charge's amount, and the whole amount does
    assert_no_source(sourced(samples, "charge", tax, threshold=None))
    assert_no_source(sourced(samples, "charge", exempt, threshold=None))
    assert sourced(samples, "charge", whole).source == "amount"


def test_an_orders_own_name_is_what_it_was_for(samples):
    # given a ticket sale's purchase name (the line that says what was
    # bought), and its payer's name (the near case: a person's name)
    order = described("sale.purchaseName", "string", "The name of the purchase.")
    payer = described("sale.payerName", "string", "The name of the payer.")
    # when suggested on a Stripe charge, then the purchase name is the charge's
    # description, and the payer's name is still the billing name
    for field, source in ((order, "description"), (payer, "billing_details.name")):
        assert sourced(samples, "charge", field).source == source, field


def test_an_order_counted_in_whole_numbers_is_a_place_in_a_list(samples):
    # given a board card's order typed as a whole number (its place in its
    # column), and a card's order typed as text (the near case: the order
    # the card is for, referred to by its key)
    place = described("card.order", "Int")
    key = described("card.order", "string", "The order the card is for.")
    # when suggested on a Stripe charge, then the place has no source, and
    # the order referred to still takes one
    assert_no_source(sourced(samples, "charge", place))
    assert sourced(samples, "charge", key).source
