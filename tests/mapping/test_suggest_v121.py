"""Suggester rules added on v123's former held-out part (KOMOJU, CiviCRM).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    none_while_near,
    sourced,
    suggest,
)


def test_the_first_supplemental_address_line_is_the_second_line(samples):
    # given a member's street and its first and second supplementary
    # address lines, and a supplementary note that names no address (the
    # near case: the same word beside no address)
    street = described("street", "string", "The street and number")
    first = described("supplementary_address_1", "string", "Extra address, line 1")
    second = described("supplementary_address_2", "string", "Extra address, line 2")
    note = described("supplementary_info", "string", "")
    # when suggested on a Stripe customer, then the street is the first line,
    # the first supplementary line is the second, the second supplementary
    # line is left empty (Stripe has no third), and the note takes no line
    found = suggest(samples["customer"], street, first, second, threshold=None)
    assert found["street"].source == "address.line1"
    assert found["supplementary_address_1"].source == "address.line2"
    assert_no_source(found["supplementary_address_2"])
    assert_no_source(sourced(samples, "customer", note, threshold=None))


def test_a_column_typed_as_varying_text_is_text(samples):
    # given a currency column typed as a database's text of varying length
    # with its width, and the same column typed as fixed-width characters
    # (the near case: a type the rule does not read, kept as it was)
    about = "Three letters, from the site's settings or the user's input."
    varying = described("gift_currency", "varchar(3)", about)
    fixed = described("gift_currency", "char(3)", about)
    # when suggested on a Stripe charge, then the first is the charge's
    # currency upper-cased, as a text field takes an ISO code, and the second
    # is still the currency as it is
    steps = {
        kind: [s["name"] for s in sourced(samples, "charge", field).transforms]
        for kind, field in (("varying", varying), ("fixed", fixed))
    }
    assert sourced(samples, "charge", varying).source == "currency"
    assert sourced(samples, "charge", fixed).source == "currency"
    assert steps == {"varying": ["upper"], "fixed": []}


def test_a_sub_merchants_share_of_a_payment_is_no_stripe_value(samples):
    # given the amount and the fee of the first seller under a platform's
    # account in a payment's split, and the payment's own amount in the same
    # group (the near case: the sum the buyer pays)
    about = "Zero or more, in the lowest denomination of the currency."
    share = described("split_info.subMerchants.0.amount", "integer", about)
    fee = described("split_info.subMerchants.0.fee", "integer", about)
    near = described("split_info.amount", "integer", about)
    # when suggested on a Stripe charge, then the seller's amount and fee
    # are left empty, as Stripe's charge is one merchant's, and the payment's
    # amount is still the charge's amount
    none_while_near(samples, "charge", share, near, "amount")
    none_while_near(samples, "charge", fee, near, "amount")


def test_the_sellers_contact_on_a_card_statement_is_no_buyers(samples):
    # given the town and the phone a card statement shows beside the words
    # of a payment's statement descriptor, and the buyer's own town and phone
    # on the same payment (the near case: the billing contact Stripe keeps)
    town = described("card_statement.softDescriptor.town", "string", "no description")
    phone = described("card_statement.softDescriptor.phone", "string", "no description")
    near_town = described("billing.town", "string", "no description")
    near_phone = described("billing.phone", "string", "no description")
    # when suggested on a Stripe charge, then the statement's town and phone
    # are left empty, the seller's own, and the buyer's are still billed
    none_while_near(samples, "charge", town, near_town, "billing_details.address.city")
    none_while_near(samples, "charge", phone, near_phone, "billing_details.phone")


def test_a_transaction_key_shortened_to_trxn_is_the_payments_key(samples):
    # given a gateway's transaction key named with the shortening trxn, and
    # the transaction's type named so (the near case: no key of the payment)
    about = "Unique id of the transaction, as the processor gives it"
    key = described("gateway_trxn_id", "varchar(64)", about)
    kind = described("trxn_type", "string", "no description")
    # when suggested on a Stripe charge and on a Stripe invoice, then the key
    # is the charge's own id, and the invoice's paying charge, and the type
    # is still left empty
    assert sourced(samples, "charge", key, threshold=None).source == "id"
    assert sourced(samples, "invoice", key, threshold=None).source == "charge"
    assert_no_source(sourced(samples, "charge", kind))
    assert_no_source(sourced(samples, "invoice", kind))


def test_an_address_described_for_the_posts_delivery_is_no_shipping_side(samples):
    # given a member's street described as what the post delivers letters
    # to, and the same street described as the delivery address (the near
    # case: the side goods are sent to)
    posted = described(
        "home_street", "string", "All parts of the street, for maps and mail delivery."
    )
    shipped = described("home_street", "string", "The street of the delivery address.")
    # when suggested on a Stripe customer, then the first is the customer's
    # own first line, and the second is still the shipping address's
    assert sourced(samples, "customer", posted).source == "address.line1"
    assert sourced(samples, "customer", shipped).source == "shipping.address.line1"


def test_the_part_of_a_gift_not_tax_deductible_is_no_stripe_amount(samples):
    # given the part of a donation the giver may not deduct from tax, and
    # the donation's whole amount (the near case: what the charge took)
    part = described("gift.nondeductible_sum", "decimal", "The part not deductible")
    near = described("gift.amount", "decimal", "The whole gift")
    # when suggested on a Stripe charge, then the part is left empty, a split
    # Stripe's charge does not make, and the whole is still the amount
    none_while_near(samples, "charge", part, near, "amount")


def test_an_amount_less_fees_is_none_where_no_net_is_kept(samples):
    # given a payment's sum described as the total less the processor's
    # fees, and its total (the near case: what the charge took)
    net = described("funds_sum", "decimal", "What reaches the bank: total less fees.")
    near = described("total_sum", "decimal", "The total of the payment.")
    # when suggested on a Stripe charge, then the sum less fees is left empty,
    # as a charge keeps no net, and the total is still the amount; on a
    # balance transaction, which keeps a net, the rule leaves the sum alone
    none_while_near(samples, "charge", net, near, "amount")
    assert not sourced(samples, "balance_transaction", net).abstained
