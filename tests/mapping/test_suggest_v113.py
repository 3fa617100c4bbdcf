"""Suggester rules added on v115's former held-out part (Tilled, Zendesk Sell).

Every field below is invented after a miss's shape, with no vendor's own
names, and is set beside a close field its rule leaves alone.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    lookup,
    none_while_near,
    sourced,
)


def test_a_standards_name_after_an_example_is_no_three_letter_code(samples):
    # given a country code shown by two-letter examples and then pointed to
    # its standard by name, and one shown by three-letter examples (the near
    # case: the example itself is three capitals)
    alpha3 = {"name": "country_code", "params": {"to": "alpha3"}}
    for examples, steps in (("'FR', 'DE'", []), ("'FRA', 'DEU'", [alpha3])):
        land = described(
            "payer.land",
            "string",
            f"Land code (e.g. {examples}) [See ISO 3166-1](https://example.org/iso)",
        )
        # when suggested on a Stripe customer, then the first is the
        # address's country as it is, the standard's name no example of a
        # code, and the second is still turned into the three-letter code
        item = sourced(samples, "customer", land)
        assert item.source == "address.country", examples
        assert item.transforms == steps, examples


def test_a_shipping_place_under_a_settings_group_is_the_shipping_address(samples):
    # given the city goods are delivered to, named as the shipping address's
    # under a group named for a data level, and the shipping method and the
    # city goods are shipped from under the same group (the near cases: a
    # method set up in the ERP, no place, and the seller's place)
    city = described(
        "data_level2.shipping_address_city", "string", "City the goods go to."
    )
    method = described("data_level2.shipping_method", "string", "Shipping method.")
    origin = described(
        "data_level2.shipping_from_city", "string", "City the goods leave from."
    )
    # when suggested on a Stripe charge, then the city is the charge's
    # shipping address's, and the method and the seller's city are still
    # left to the settings
    assert sourced(samples, "charge", city).source == "shipping.address.city"
    assert not sourced(samples, "charge", method).source
    assert not sourced(samples, "charge", origin).source


def test_a_bank_account_said_to_be_one_is_a_bank_detail(samples):
    # given an account number described in a sentence saying it is the bank
    # account number, and one saying it is the customer's account number
    # (the near case: the customer's code in the ERP, no bank's)
    banked = described("acct_no", "string", "This is the bank account number")
    coded = described("acct_no", "string", "This is the account number of the customer")
    # when suggested on a Stripe customer, then the first is left empty, a
    # bank's detail Stripe keeps none of, and the second is still the
    # customer's code the ERP keeps in Stripe's metadata
    none_while_near(samples, "customer", banked, coded, "metadata.erp_customer_code")


def test_a_bracket_citing_a_source_lists_no_ways_to_pay(samples):
    # given a bank's branch code whose description cites, in brackets, a
    # model and a file named for card or direct debit payments, and a payment
    # type whose brackets list ways to pay (the near case: examples)
    cited = described(
        "wire.sort_code",
        "string",
        "Code of the bank branch (DebitParams, property sort_code, "
        "acme/sdk@0123abc:model/card-or-direct-debit-params.ts line 4)",
    )
    listed = described(
        "wire.kind", "string", "Payment type by its name (Cash, Card, Debit, Check)"
    )
    # when suggested on a Stripe charge, then the code is not the charge's
    # payment method type, the citation no list of ways to pay, and the
    # payment type still is
    assert sourced(samples, "charge", cited).source != "payment_method_details.type"
    assert sourced(samples, "charge", listed).source == "payment_method_details.type"


def test_the_organisation_a_contact_belongs_to_is_another_record(samples):
    # given a contact's key of the company it belongs to, and its key of the
    # client it belongs to (the near case: the customer the contact is of)
    company, client = (
        described(
            "contact_key",
            "int",
            f"The unique identifier of the {party} the contact belongs to.",
        )
        for party in ("company", "client")
    )
    # when suggested on a Stripe customer or invoice, then the company is
    # left empty, the organisation a person works for, another record than
    # the Stripe customer, and the client is still the customer by lookup
    for object_type in ("customer", "invoice"):
        assert_no_source(sourced(samples, object_type, company))
        assert lookup(sourced(samples, object_type, client)) == "customer"


def test_a_bare_type_described_as_the_payment_methods_is_the_payments(samples):
    # given a bare type described as the type of the payment method, and a
    # bare type described as the transaction's (the near case: no payment
    # method)
    kind = described("Type", "string", "Type of the payment method chosen.")
    other = described("Type", "string", "Type of the transaction.")
    # when suggested on a Stripe charge, then the first is the charge's
    # payment method type, mapped onto the allowed codes, and the second is
    # still left to the settings
    item = sourced(samples, "charge", kind)
    assert item.source == "payment_method_details.type"
    assert item.transforms[0]["name"] == "value_map"
    assert not sourced(samples, "charge", other).source


def test_a_date_as_text_described_as_the_due_date_is_the_due_date(samples):
    # given a closing time typed as text and described as the due date, and
    # the same described as when the booking closes (the near case: no due
    # date said)
    due = described("closes_at", "string", "The due date for the booking.")
    closing = described("closes_at", "string", "The date the booking closes.")
    # when suggested on a Stripe invoice, then the first is the invoice's
    # due date, whatever its name says, and the second is still not
    assert sourced(samples, "invoice", due, threshold=None).source == "due_date"
    assert sourced(samples, "invoice", closing).source != "due_date"
