"""Suggester rules added on v121's former held-out part (Bolt, Apptivo).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    lookup,
    none_while_near,
    sourced,
    suggest,
)

# A name split to its last part.
_LAST_PART = [{"name": "split_name", "params": {"part": "last"}}]


def test_a_name_described_as_both_its_parts_is_the_whole_name(samples):
    # given a recipient's name described as the given and family name of the
    # person, beside the recipient's first and last names, and the same name
    # described as the surname alone (the near case: one part named)
    whole = described("recipient.name", "string", "The given and family name")
    first = described("recipient.first_name", "string", "The given name of it")
    last = described("recipient.last_name", "string", "The surname of it")
    part = described("recipient.name", "string", "The surname of the person")
    # when suggested on a Stripe customer, then the first is the customer's
    # whole name, not split, and the last name beside it takes the last part,
    # and the second alone is still split to its last part
    made = suggest(samples["customer"], whole, first, last)
    assert (made["recipient.name"].source, made["recipient.name"].transforms) == (
        "name",
        [],
    )
    assert made["recipient.last_name"].transforms == _LAST_PART
    assert sourced(samples, "customer", part).transforms == _LAST_PART


def _address_book_entry(default_described):
    """A list's first address: its city, postal code, person and default flag."""
    return [
        described("saved_addresses.0.town", "string", "The city of this address"),
        described("saved_addresses.0.postal_code", "string", "The zip code of it"),
        described("saved_addresses.0.name", "string", "The person at this address"),
        described("saved_addresses.0.is_default", "boolean", default_described),
    ]


def _entry_sources(samples, entry):
    """What a Stripe customer gives an entry's town, postal code and person."""
    made = suggest(samples["customer"], *entry)
    return [made[f["name"]].source for f in entry[:3]]


def test_an_address_flagged_as_the_default_shipping_one_is_shipping(samples):
    # given an address book's first entry (its town, postal code and the
    # person at it) whose default flag makes it the default shipping
    # address, and the same entry whose flag makes it the default address
    # (the near case: no side said)
    shipping = _address_book_entry("True to make this the default shipping address")
    plain = _address_book_entry("True to make this the default address")
    # when suggested on a Stripe customer, then the first entry's parts are
    # the customer's shipping address and name, and the second's the
    # customer's own address and name
    assert _entry_sources(samples, shipping) == [
        "shipping.address.city",
        "shipping.address.postal_code",
        "shipping.name",
    ]
    assert _entry_sources(samples, plain) == [
        "address.city",
        "address.postal_code",
        "name",
    ]


def test_the_user_a_record_is_assigned_to_is_a_setting(samples):
    # given the name of the user a record is assigned to, and the name of
    # the party it is billed to (the near case: the customer)
    assigned = described("assignedToName", "string", "no description")
    billed = described("billedToName", "string", "no description")
    # when suggested on a Stripe customer, then the first is left empty, a
    # user of the vendor's own, and the second is still the customer's name
    none_while_near(samples, "customer", assigned, billed, "name")


def test_the_name_of_who_last_did_something_is_no_last_name(samples):
    # given the name of the user who last edited a record, and a person's
    # last name (the near case: a name's part)
    edited_by = described("last_edited_by_name", "string", "no description")
    last_name = described("last_name", "string", "no description")
    # when suggested on a Stripe customer, then the first is left empty, a
    # user of the vendor's own, and the second is still the customer's name
    none_while_near(samples, "customer", edited_by, last_name, "name")


def test_a_key_described_as_made_by_the_merchant_is_the_stripe_id(samples):
    # given a step's key on a refund described as an arbitrary identifier
    # created by the merchant, and the same key described as created by the
    # card network (the near case: someone else's key)
    step = "The reference ID of a payment step: an arbitrary identifier created"
    merchants = described("seller_step_id", "string", f"{step} by the merchant.")
    networks = described("seller_step_id", "string", f"{step} by the network.")
    # when suggested on a Stripe refund with the calibrated cut, then the
    # first is the refund's Stripe id, a key the sender sets, and the second
    # is left empty
    assert sourced(samples, "refund", merchants, threshold=None).source == "id"
    assert_no_source(sourced(samples, "refund", networks, threshold=None))


def test_the_first_of_a_records_labels_is_a_tag(samples):
    # given the first entry of a list of an invoice's labels, and an
    # invoice's one label (the near case: a text of the invoice's own)
    listed = described("deal_labels.0", "string", "no description")
    label = described("label", "string", "no description")
    # when suggested on a Stripe invoice, then the first is left empty, a tag
    # a user of the vendor's gives the record, and the second is still the
    # invoice's description
    none_while_near(samples, "invoice", listed, label, "description")


def test_a_transaction_key_counted_in_digits_is_the_systems_own(samples):
    # given a payment's transaction reference described as the system's
    # 10-digit reference, and the same reference described with no count
    # of digits (the near case: a key a Stripe id may fill)
    counted = described("payment_txn_ref", "string", "The 10-digit reference ID")
    plain = described("payment_txn_ref", "string", "The reference ID")
    # when suggested on a Stripe charge and on a refund, then the first is
    # the system's transaction made for the charge (for a refund, the charge
    # refunded), through the id map, and the second is the charge's Stripe id
    charge = sourced(samples, "charge", counted)
    assert (charge.source, lookup(charge)) == ("id", "charge")
    refund = sourced(samples, "refund", counted)
    assert (refund.source, lookup(refund)) == ("charge", "charge")
    near = sourced(samples, "charge", plain)
    assert (near.source, near.transforms) == ("id", [])


def test_the_key_of_a_listed_email_is_no_email(samples):
    # given the key of the first of a party's listed e-mails, and the value
    # of the same entry (the near case: the address itself)
    key = described("emails.0.id", "string", "no description")
    value = described("emails.0.value", "string", "no description")
    # when suggested on a Stripe customer, then the first is left empty, a
    # key of the vendor's own, and the second is still the customer's e-mail
    none_while_near(samples, "customer", key, value, "email")


def test_an_untyped_key_named_as_a_question_is_a_flag(samples):
    # given an order's key of no given type named as a yes-or-no question
    # about its currency, and the same words without the question (the near
    # case: the currency's own code)
    question = described("isOrderCurrency", "not given", "no description")
    code = described("orderCurrency", "not given", "no description")
    # when suggested on a Stripe charge, then the first is left empty, a
    # flag, and the second is still the charge's currency
    none_while_near(samples, "charge", question, code, "currency")


def test_a_number_described_as_a_cards_pan_is_none_on_a_customer(samples):
    # given the number of a customer's first saved means of payment,
    # described as the card's PAN, and the same number described as the
    # customer's number in the vendor's books (the near case: a code)
    pan = described("wallet.0.number", "string", "The credit card PAN, if any")
    code = described("wallet.0.number", "string", "The customer number")
    # when suggested on a Stripe customer, then the first is left empty,
    # Stripe giving no card's number, and the second is not
    assert_no_source(sourced(samples, "customer", pan))
    assert sourced(samples, "customer", code).source
