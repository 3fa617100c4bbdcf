"""Suggester rules added on v108's former held-out part (CloudPayments, Jobber).

Each field is made up after the shape of a miss, named for no vendor, beside
a near case the rule leaves as it was.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    none_while_near,
    sourced,
    suggest,
)
from tests.mapping.test_suggest_v103 import transform_names


def taken(samples, object_type, field):
    """The source and the steps `field` alone is suggested on `object_type`."""
    item = sourced(samples, object_type, field)
    return item.source, transform_names(item)


def test_a_type_marked_never_null_is_the_type_it_marks(samples):
    # given a payment's sum typed as a number that is never null, the way a
    # GraphQL schema writes it, and its payer's e-mail typed as never-null
    # text (the near case: a text type under the same mark)
    paid = described("settled_sum", "Float!", "The sum settled")
    email = described("payer_email", "String!", "The payer's e-mail")
    # when suggested on a Stripe charge, then the sum is the charge's amount
    # read into major units, as a number is; the e-mail is the billing
    # e-mail, copied as it is, as before
    assert taken(samples, "charge", paid) == ("amount", ["minor_to_decimal"])
    assert taken(samples, "charge", email) == ("billing_details.email", [])


def test_a_scalar_named_for_iso_8601_is_a_date_time(samples):
    # given a document's settling date typed as a scalar named for the ISO
    # 8601 standard, the way a GraphQL schema names its dates, and its
    # currency typed as a scalar named for another standard (the near case:
    # ISO 4217, no date)
    settled = described("settledDate", "ISO8601DateTime", "When it was settled")
    currency = described("settledCurrency", "ISO4217", "The currency it was settled in")
    # when suggested on a Stripe invoice, then the date is the invoice's
    # creation time read as a date-time; the currency is the invoice's,
    # copied as it is, as before
    assert taken(samples, "invoice", settled) == ("created", ["unix_to_datetime"])
    assert taken(samples, "invoice", currency) == ("currency", [])


def test_an_entry_to_edit_or_remove_is_the_systems_own(samples):
    # given a contact's e-mail among the entries to edit, the ids of the
    # entries to remove, and the e-mail among the entries to add (the near
    # case: no entry the system already holds)
    edited = described("contactsToEdit.0.email", "String", "The e-mail to change")
    removed = described("contactsToRemove", "[EncodedId!]", "The entries to remove")
    added = described("contactsToAdd.0.email", "String", "The e-mail to add")
    # when suggested on a Stripe customer, then the entries to edit and to
    # remove are left empty, named by the system's own ids, and the e-mail to
    # add is the customer's e-mail, as before
    assert_no_source(sourced(samples, "customer", removed))
    none_while_near(samples, "customer", edited, added, "email")


def test_a_description_typed_as_its_own_kinds_is_a_note_on_the_contact(samples):
    # given the description of a contact's first e-mail, typed as the
    # schema's own type for it (the kinds an address may be), and the
    # address itself (the near case: the e-mail, no description)
    kind = described("mails.0.description", "MailDescription", "Its kind")
    address = described("mails.0.address", "String", "The address")
    # when suggested on a Stripe customer, then the description is left
    # empty, Stripe keeping no note per e-mail, and the address is the
    # customer's e-mail, as before
    none_while_near(samples, "customer", kind, address, "email")


def test_the_details_of_a_cash_payment_leave_the_text_to_the_cards(samples):
    # given the remarks of a settlement's cash details beside the same
    # remarks of its card details (the near case: the card, a tender Stripe
    # takes)
    cash = described("settlement.cashDetails.remarks", "String", "Remarks on it")
    card = described("settlement.cardDetails.remarks", "String", "Remarks on it")
    # when suggested on a Stripe charge with the calibrated cut
    found = suggest(samples["charge"], cash, card, threshold=None)
    # then the cash remarks are left empty, Stripe taking no cash, and the
    # card's take the charge's description, copied as it is
    assert_no_source(found["settlement.cashDetails.remarks"])
    assert found["settlement.cardDetails.remarks"].source == "description"
    assert found["settlement.cardDetails.remarks"].transforms == []


def test_the_value_of_a_custom_field_is_the_systems_own(samples):
    # given the value of a document's first custom field, and its total
    # value (the near case: a value of no field a user added)
    custom = described("billing.customFields.0.value", "String", "The field's value")
    total = described("billing.total_value", "String", "The value")
    # when suggested on a Stripe invoice, then the custom field's value is
    # left empty, set up by the system's user, and the total value is the
    # invoice's total, as before
    none_while_near(samples, "invoice", custom, total, "total")


def test_the_address_of_a_property_is_where_shipping_goes(samples):
    # given the city of the first premises a client has, and the city of
    # its mailing address (the near case: no place the work is done)
    premises = described("premises.0.address.city", "String", "The city")
    mailing = described("mailing.0.address.city", "String", "The city")
    # when suggested on a Stripe customer, then the premises' city is the
    # shipping address's, and the mailing city is the customer's address
    # city, as before
    assert taken(samples, "customer", premises) == ("shipping.address.city", [])
    assert taken(samples, "customer", mailing) == ("address.city", [])
