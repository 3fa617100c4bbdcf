"""Suggester rules added on v87's former held-out part (CoreShop, HiPay).

The fields are made up in the shape the misses had (a country or currency
typed as a relation to the ERP's own record), not copied from one vendor.
Each is written through v67's `described`, a name, a type and the few
words a model gives.
"""

import pytest

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    lookup,
    none_while_near,
    sourced,
    suggest,
)


@pytest.mark.parametrize(
    ("object_type", "name", "table"),
    [
        ("customer", "postal.country", "country"),
        ("invoice", "currency", "currency"),
    ],
)
def test_a_place_typed_as_a_relation_is_looked_up(samples, object_type, name, table):
    # given a country or currency typed as a reference to the ERP's own
    # record, and near it the same field typed as a string
    related = described(name, "reference", f"The {table}")
    written = described(name, "string", f"The {table}")
    # when suggested, then the relation takes the ISO code through the
    # integration's table: a relation holds the record, never the code
    assert lookup(sourced(samples, object_type, related)) == table
    # while the string takes the code as it is, through no table
    near = sourced(samples, object_type, written)
    assert near.source
    assert not any(step["name"] == "lookup" for step in near.transforms)


def test_a_link_the_customer_is_returned_to_has_no_source(samples):
    # given an invoice's link described as where to return the customer
    # once paid, and near it a link described as the page the customer pays on
    returned = described(
        "approval_link", "string", "The URL to return your customer to once paid."
    )
    paying = described(
        "pay_link", "string", "The URL of the page the customer pays on."
    )
    # when suggested on an invoice, then the page returned to has no source:
    # where a customer lands after paying is the seller's page, set up once
    # while the page to pay on still takes Stripe's hosted invoice page
    none_while_near(samples, "invoice", returned, paying, "hosted_invoice_url")


def test_a_relation_no_table_resolves_has_no_source(samples):
    # given a customer's address state typed as a relation to the ERP's own
    # state record, and near it the same state typed as a string
    related = described("postal.state", "reference", "The state")
    written = described("postal.state", "string", "The state")
    # when suggested on a customer, then the relation has no source: no id
    # map or table turns Stripe's state into the ERP's record
    # while the string still takes the address's state as it is
    none_while_near(samples, "customer", related, written, "address.state")


@pytest.mark.parametrize("name", ["sale_state", "quotationState", "shipmentState"])
def test_the_state_of_a_document_or_process_is_no_place(samples, name):
    # given an invoice's state named for a document or a process (a sale, a
    # quotation, a shipment), and near it a state named for the billing side
    process = described(name, "string", "The state")
    place = described("billing_state", "string", "The state")
    # when suggested on an invoice, then the document's state has no source:
    # it is a status of the ERP's own, with no values given to map onto
    # while the billing side's state still takes the customer's address's
    none_while_near(samples, "invoice", process, place, "customer_address.state")


def test_a_subscriber_number_is_a_phone_not_a_customer_key(samples):
    # given an invoice's payer with a phone and a mobile subscriber number
    # (MSISDN), both described as the customer's phone number, as a client
    # library's class documents them
    said = "The customer's phone number, at line 12 of lib/Info/PayerInfoRequest.php"
    phone = described("payer.phone", "string", said)
    subscriber = described("payer.msisdn", "string", said)
    # when suggested on an invoice, then the subscriber number is read as
    # the phone it is, never the customer's key: the phone keeps Stripe's
    # one phone, and the subscriber number has none of its own
    got = suggest(samples["invoice"], phone, subscriber)
    assert got["payer.phone"].source == "customer_phone"
    assert_no_source(got["payer.msisdn"])
    # while a customer number beside it is still the customer's key
    key = described("payer.number", "string", "The customer's number")
    assert lookup(sourced(samples, "invoice", key)) == "customer"


def test_a_list_of_taxes_takes_no_one_amount(samples):
    # given an invoice's taxes typed as a list, and near it the tax typed
    # as a number
    listed = described("taxEntries", "list", "Tax entries")
    amount = described("taxAmount", "number", "Tax amount")
    # when suggested on an invoice, then the list has no source: it holds
    # one entry per tax, each with its own amount and rate, which no one
    # Stripe amount fills
    # while the number still takes the invoice's tax
    none_while_near(samples, "invoice", listed, amount, "tax")


@pytest.mark.parametrize(
    ("name", "goods"), [("cart.0.name", True), ("cart_fees.0.name", False)]
)
def test_a_cart_listed_as_such_is_the_goods_lines(samples, name, goods):
    # given an invoice's cart written as a list of its entries, its first
    # entry's name, and near it the same name on the first entry of the
    # cart's fees
    entry = described(name, "string", "Name of the entry")
    # when suggested on an invoice, then the cart's first entry is the
    # first goods line, its name the line's description, while the fees'
    # entry is read as no goods line
    described_line = sourced(samples, "invoice", entry).source
    assert (described_line == "lines.data.0.description") is goods


def test_a_bare_number_of_an_address_is_the_buildings(samples):
    # given an invoice's delivery address with a bare number and no words
    # on it, and near it a bare number of the invoice's header
    building = described("deliveryAddress.nr", "string", "Nr")
    header = described("header.nr", "string", "Nr")
    # when suggested on an invoice, then the address's number has no
    # source: an address's number is its building's, which Stripe keeps
    # inside the street line
    # while the header's number still takes the invoice's number
    none_while_near(samples, "invoice", building, header, "number")


def test_a_workflow_transition_asked_of_a_payment_has_no_source(samples):
    # given a refund's request naming the workflow transition to apply to
    # the payment, and near it the payment the request is about
    asked = described(
        "transition", "string", "The transition applied to the payment's workflow"
    )
    payment = described("payment", "string", "The payment the refund is for")
    # when suggested on a refund, then the transition has no source: it
    # says what the request asks done, not what became of the payment
    # while the payment still takes the refunded charge
    none_while_near(samples, "refund", asked, payment, "charge")
