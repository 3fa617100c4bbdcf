"""Suggester rules added on v79's former held-out part (Broadleaf Commerce, Nuvei).

The fields are made up in the shape the misses had (an address with its
phone records written inline, opened by path), not copied from one vendor.
Each is written through v67's `described`, a name, a type and the few words
a model gives.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def test_a_fax_or_second_phone_record_s_number_has_no_source(samples):
    # given an address whose phone records are written inline, the record's
    # kind named by the part that opens it and its number by a plain leaf
    fax = described("contact.telFax.telNumber", "string", "A fax number.")
    second = described(
        "contact.telSecondary.telNumber", "string", "Another phone number."
    )
    # when suggested on a customer, then neither has a source: Stripe keeps
    # one phone, the main one, and no fax
    assert_no_source(sourced(samples, "customer", fax, None))
    assert_no_source(sourced(samples, "customer", second, None))
    # while the main phone record's number is still the customer's phone
    main = described("contact.telPrimary.telNumber", "string", "The main phone.")
    assert suggest(samples["customer"], main)[main["name"]].source == "phone"


def test_an_address_s_third_street_line_has_no_source(samples):
    # given a postal address's line described by its ordinal as the third
    # street line
    third = described("postal.addrLine3", "string", "third street line")
    # when suggested on a customer, then it has no source: Stripe keeps two
    # street lines, and the description says this is a street line past
    # them, so neither a street nor what line 3 conventionally holds
    assert_no_source(sourced(samples, "customer", third))
    # while the second street line is still Stripe's second line
    second = described("postal.addrLine2", "string", "second street line")
    assert sourced(samples, "customer", second).source == "address.line2"
    # and an address line 3 described as holding the city still takes it
    suburb = described("postal.line3", "string", "Address line 3 (suburb/city)")
    assert sourced(samples, "customer", suburb).source == "address.city"


def test_a_line_of_the_recipient_s_address_is_the_street_complement(samples):
    # given a customer's address whose second line is described as a line of
    # the recipient's address, the recipient named only as its owner
    owned = described(
        "deliverTo.addrLine2", "string", "The address line 2 of the recipient's address"
    )
    # when suggested on a customer, then it is the second line of the
    # shipping address: whose address it is says nothing of what the line
    # holds
    assert sourced(samples, "customer", owned).source == "shipping.address.line2"
    # while a line described as holding the recipient still has no source
    attention = described("deliverTo.addrLine2", "string", "Recipient details (line 2)")
    assert_no_source(sourced(samples, "customer", attention))
    # and beside a plainer name for the same line in the same record, the
    # line with a qualifier (its side) added to that name is its copy and
    # gives it up
    copy = described(
        "deliverTo.shipAddrLine2", "string", "The shipping address line 2 of the record"
    )
    plain = described("deliverTo.addrLine2", "string", "The address line 2")
    got = suggest(samples["customer"], plain, copy)
    assert got["deliverTo.addrLine2"].source == "shipping.address.line2"
    assert_no_source(got["deliverTo.shipAddrLine2"])


def test_the_address_of_a_fulfilment_is_the_shipping_address(samples):
    # given an order's first fulfilment with its address written inline
    town = described("fulfilments.0.address.town", "string", "the town")
    street = described("fulfilments.0.address.street1", "string", "first line")
    # when suggested on an invoice, then each is the shipping address's:
    # what fulfils an order is sent, and its address is where it goes
    got = suggest(samples["invoice"], town, street)
    assert got["fulfilments.0.address.town"].source == "customer_shipping.address.city"
    assert got["fulfilments.0.address.street1"].source == (
        "customer_shipping.address.line1"
    )
    # while the address of a record that sends nothing stays the customer's
    own = described("payers.0.address.town", "string", "the town")
    assert sourced(samples, "invoice", own).source == "customer_address.city"


def test_a_user_s_town_on_a_payment_is_the_payer_s(samples):
    # given a payment request's details of the user paying, with their town
    town = described("userInfo.town", "string", "The town of the user")
    # when suggested on a charge, then it is the billing address's city:
    # a user with an address of their own is the person paying, not a
    # user set up in the ERP
    assert sourced(samples, "charge", town).source == "billing_details.address.city"
    # while the user's own code is still a setting of the integration's
    code = described("userInfo.code", "string", "The code of the user")
    assert_no_source(sourced(samples, "charge", code))


def test_a_decimal_written_as_a_string_is_a_decimal(samples):
    # given a payment request's amount typed as a decimal kept in a string
    total = described("sumValue", "decimal string", "The amount of the payment.")
    # when suggested on a charge, then it is the charge's amount made major
    # units: the string only says how the decimal travels
    got = sourced(samples, "charge", total)
    assert got.source == "amount", got
    assert [step["name"] for step in got.transforms] == ["minor_to_decimal"]
    # while a plain string stays a string, given no conversion
    text = described("sumText", "string", "The amount of the payment in words.")
    assert "minor_to_decimal" not in [
        step["name"] for step in sourced(samples, "charge", text).transforms
    ]
