"""Suggester rules added on v110's former held-out part (Telr, Zoho CRM).

Each field is made up after the shape of a miss, named for no vendor, beside
a near case the rule leaves as it was.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    none_while_near,
    sourced,
)


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
