"""Suggester rules added on v80's former held-out part (Oscar, Paysafe).

The fields are made up in the shape the misses had (a payment request's
descriptor record and an address record written inline, opened by path),
not copied from one vendor. Each is written through v67's `described`, a
name, a type and the few words a model gives.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def test_a_text_displayed_on_the_card_statement_is_the_statement_descriptor(
    samples,
):
    # given a payment's descriptor record whose text is described as
    # displayed on the buyer's card statement, the name saying only that it
    # varies
    shown = described(
        "softDescriptor.variableText",
        "string",
        "A descriptor that will be displayed on a buyer’s card statement.",
    )
    # when suggested on a charge, then it is Stripe's statement descriptor:
    # what a card statement shows of a payment, whatever the field is named
    assert sourced(samples, "charge", shown).source == "statement_descriptor"
    # while the record's phone, only appended to what the statement shows,
    # is not the descriptor
    phone = described(
        "softDescriptor.contactPhone",
        "string",
        "The seller's phone, appended to the descriptor on a buyer’s card statement.",
    )
    got = suggest(samples["charge"], phone)["softDescriptor.contactPhone"]
    assert got.source != "statement_descriptor"
    # and a text shown on the buyer's receipt, not on a statement, is not it
    receipt = described("receiptNote", "string", "A note displayed on a receipt.")
    assert sourced(samples, "charge", receipt).source != "statement_descriptor"


def test_a_nickname_written_as_two_words_has_no_source(samples):
    # given an address record's nickname written in camel case, its two
    # halves (nick, name) each a word of their own
    alias = described("postal.nickName", "string", "An alias for this address.")
    # when suggested on a customer, then it has no source: a nickname is a
    # form of address the holder chooses, and Stripe asks for none, however
    # its name is split
    assert_no_source(sourced(samples, "customer", alias))
    # while the record's plain name is still the customer's name
    plain = described("postal.fullName", "string", "The name on the address.")
    assert sourced(samples, "customer", plain).source == "name"


def test_whether_a_phone_or_e_mail_was_checked_has_no_source(samples):
    # given a payer profile's flag, written as a text of allowed states,
    # telling whether the e-mail was checked
    checked = described(
        "payer.mailConfirmed",
        "string",
        "Has the payer's e-mail been confirmed? Allowed values: NO, YES",
    )
    # when suggested on a charge, then it has no source: it is a state of
    # the e-mail, which Stripe does not keep, not the e-mail itself
    assert_no_source(sourced(samples, "charge", checked))
    # while the profile's e-mail itself is still the billing e-mail
    mail = described("payer.mail", "string", "The payer's e-mail.")
    assert sourced(samples, "charge", mail).source == "billing_details.email"


def test_instructions_for_the_delivery_have_no_source(samples):
    # given an address record's free text described as what the courier
    # should know when delivering
    told = described(
        "postal.remarks",
        "string",
        "Anything the courier should know when delivering the parcel.",
    )
    # when suggested on a customer, then it has no source: Stripe keeps no
    # instructions for a delivery, and the customer's description is not one
    assert_no_source(sourced(samples, "customer", told))
    # while a text describing the customer is still its description
    about = described("remarks", "string", "A description of the customer.")
    assert sourced(samples, "customer", about).source == "description"


def test_an_address_record_s_own_code_has_no_source(samples):
    # given a customer's address-book entry whose code is described as an
    # address code, the key the shop gives the entry
    key = described("code", "string", "Code: an address code, unique per entry.")
    # when suggested on a customer, then it has no source: it names the
    # address record, not the customer, and Stripe keys no address
    assert_no_source(sourced(samples, "customer", key))
    # while the address's postal code is still Stripe's postal code
    zip_code = described("postcode", "string", "the zip code of the address")
    assert sourced(samples, "customer", zip_code).source.endswith("postal_code")
