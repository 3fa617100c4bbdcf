"""Suggester rules added on v88's former held-out part (Wix, Paytrail).

The fields are made up in the shape the misses had (a request's language,
a description that cites the class and the page it was read from), not
copied from one vendor. Each is written through v67's `described`, a name,
a type and the few words a model gives.
"""

import pytest

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    lookup,
    none_while_near,
    sourced,
)


@pytest.mark.parametrize(
    ("object_type", "name"),
    [("charge", "lang"), ("invoice", "checkout.languageCode")],
)
def test_a_language_the_record_does_not_carry_has_no_source(samples, object_type, name):
    # given a payment request's language, described as the payment's
    language = described(name, "string", "The payment's language: FI, SV or EN")
    # when suggested on a charge or an invoice, which carry no locale, then
    # the language has no source: the page's language is the integration's
    # to set, never the payment's type or the charge
    assert_no_source(sourced(samples, object_type, language))


def test_a_language_of_a_record_with_locales_is_left_to_the_ranking(samples):
    # given a customer's language with the codes it allows, on a Stripe
    # customer that keeps its preferred locales
    language = described("lang", "string", "The customer's language") | {
        "choices": ["en", "fr", "de"]
    }
    # when suggested on a customer, then the rule does not catch it: the
    # customer's preferred locale is still there to take
    assert sourced(samples, "customer", language).source == "preferred_locales.0"


def test_a_quoted_label_runs_past_an_apostrophe(samples):
    # given a charge's language whose description opens on a label quoted
    # in double quotes, with an apostrophe inside it
    language = described("language", "string", '"Payment\'s language: FI or EN"')
    # when suggested on a charge, then the label is read whole: the field
    # stays the language it is (which the charge keeps none of), never
    # "Payment", the word before the apostrophe
    assert_no_source(sourced(samples, "charge", language))


def test_a_label_in_single_quotes_still_names_the_field(samples):
    # given an abbreviated column whose description opens on a label in
    # single quotes
    coded = described("DbNo", "string", "'Debtor number' (sales relation)")
    # when suggested on an invoice, then the label still stands in for the
    # name: the customer's number is the customer's key
    assert lookup(sourced(samples, "invoice", coded)) == "customer"


def test_a_payment_only_in_cited_code_makes_no_payment_reference(samples):
    # given an invoice's currency whose description cites the request it is
    # sent in, the class and the method that build it, and the page of the
    # API reference that documents it, and near it a field described as the
    # payment reference itself
    cited = described(
        "currency",
        "string",
        '"Currency of the order"; OrderPaymentRequest $currency (POST /payments,'
        " Client::createPayment) at line 40 of acme/sdk@:OrderPaymentRequest.php;"
        ' API reference: "Currency"',
    )
    remittance = described(
        "remittance", "string", "The payment reference the bank statement shows"
    )
    # when suggested on an invoice, then the currency is the invoice's: the
    # names in code and the request say where the field is built and sent,
    # not that it is a payment reference
    assert sourced(samples, "invoice", cited).source == "currency"
    # while the field described as a payment reference is still the
    # remittance code the ERP issues, which no Stripe field carries
    assert_no_source(sourced(samples, "invoice", remittance))


def test_a_later_entry_of_an_address_list_with_items_is_the_shipping(samples):
    # given a customer's address list whose entries a schema names "items",
    # the city of its second entry, and near it the city of its first
    second = described("contact.addresses.items.1.address.city", "string", "City name")
    first = described("contact.addresses.items.0.address.city", "string", "City name")
    # when suggested on a customer, then the second entry's city is the
    # shipping address's, as a later entry of a plain list is
    assert sourced(samples, "customer", second).source == "shipping.address.city"
    # while the first entry's city is still the customer's own address's
    assert sourced(samples, "customer", first).source == "address.city"


def test_a_streets_name_apart_has_no_source(samples):
    # given a customer's address whose street is split into a group, the
    # street's name a field of it, and near it the address's own name
    street = described("postal.streetParts.name", "string", "Name of the street")
    addressee = described("postal.name", "string", "Name of the addressee")
    # when suggested on a customer, then the street's name has no source:
    # Stripe keeps the whole street in line1, never the customer's name
    # while the address's own name still takes the customer's name
    none_while_near(samples, "customer", street, addressee, "name")


@pytest.mark.parametrize(
    ("name", "kind"),
    [("delivery.pickupSpot.city", "string"), ("collectAt.pickupTime", "datetime")],
)
def test_where_or_when_goods_are_picked_up_has_no_source(samples, name, kind):
    # given an invoice's delivery picked up by the buyer (the city of the
    # pickup point, the time of the pickup), and near it the city the goods
    # are sent to
    picked = described(name, kind, "Where or when the goods are collected")
    sent = described("delivery.address.city", "string", "City")
    # when suggested on an invoice, then the pickup has no source: the point
    # is the seller's store or a carrier's, its time arranged for the goods
    # while the city the goods are sent to still takes the shipping city
    none_while_near(samples, "invoice", picked, sent, "customer_shipping.address.city")


def test_the_address_of_a_shipment_is_no_setting(samples):
    # given an invoice's shipment with the address its goods go to, and
    # near it the shipment's method
    sent = described("delivery.shipmentInfo.address.town", "string", "City name")
    method = described("delivery.shipmentInfo.method", "string", "Shipment method")
    # when suggested on an invoice, then the shipment's address is the
    # shipping address, where the goods go
    assert sourced(samples, "invoice", sent).source == "customer_shipping.address.city"
    # while the shipment's method is still a setting of the ERP's, which no
    # Stripe field carries
    assert_no_source(sourced(samples, "invoice", method))
