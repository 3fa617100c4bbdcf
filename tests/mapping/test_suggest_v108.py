"""Suggester rules added on v110's former held-out part (Telr, Zoho CRM).

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
from tests.mapping.test_suggest_v106 import taken


def test_a_field_in_a_group_of_tags_is_the_systems_own_label(samples):
    # given the name of the first of a record's tags, kept in a group of
    # them, and the record's own name (the near case: no tag)
    tag = described("Label_Tag.0.name", "String", "no description")
    own = described("Party.name", "String", "no description")
    # when suggested on a Stripe customer, then the tag's name is left empty,
    # a label the system's user gives the record, and the record's name is
    # the customer's name, as before
    none_while_near(samples, "customer", tag, own, "name")


def test_a_detail_of_a_consent_is_the_systems_own(samples):
    # given the remarks on a buyer's consent to the processing of their data
    # and the date it was given, and the remarks on the payment (the near
    # case: no consent)
    remarks = described("Privacy_Terms.Consent_Remarks", "String", "no description")
    given = described("Privacy_Terms.Consent_Date", "date", "no description")
    noted = described("Payment_Terms.Remarks", "String", "no description")
    # when suggested on a Stripe charge, then the consent's remarks and date
    # are left empty, Stripe recording no consent, and the payment's remarks
    # are the charge's description, as before
    assert_no_source(sourced(samples, "charge", given))
    none_while_near(samples, "charge", remarks, noted, "description")


def test_a_java_local_date_is_a_date(samples):
    # given an invoice's date typed as Java's class of a day with no time of
    # day (LocalDate), the way a Java SDK types it, and its currency typed as
    # Java's text (the near case: a text type of the same SDK)
    dated = described("Issued_Date", "LocalDate", "no description")
    currency = described("Issued_Currency", "String", "no description")
    # when suggested on a Stripe invoice, then the date is the invoice's
    # creation time read as a date; the currency is the invoice's in
    # capitals, as text is, as before
    assert taken(samples, "invoice", dated) == ("created", ["unix_to_date"])
    assert taken(samples, "invoice", currency) == ("currency", ["upper"])


def _two_addresses(second_beside):
    """A record's two address groups, the second with one field beside it."""
    parts = ("Street", "City", "Zip", "Country")
    return [
        *(described(f"Main_{part}", "String", "no description") for part in parts),
        *(described(f"Spare_{part}", "String", "no description") for part in parts),
        described(f"Spare_{second_beside}", "String", "no description"),
    ]


def test_a_phone_beside_a_second_address_leaves_it_the_shipping_one(samples):
    # given a record's two address groups side by side, the second with a
    # phone of its own, and the same with a name of its own instead (the
    # near case: a party's fields, no second address)
    phoned = suggest(samples["customer"], *_two_addresses("Phone"))
    named = suggest(samples["customer"], *_two_addresses("Name"))
    # when suggested on a Stripe customer, then the second group is the
    # customer's shipping address, as a second address is, its phone left
    # to the phone; the named group is not, as before
    assert phoned["Spare_Street"].source == "shipping.address.line1"
    assert phoned["Spare_City"].source == "shipping.address.city"
    assert phoned["Spare_Zip"].source == "shipping.address.postal_code"
    assert named["Spare_City"].source != "shipping.address.city"
