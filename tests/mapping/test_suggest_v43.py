"""Suggester rules added on v45's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (camelCase objects nested
under a side of the address, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, suggest


def test_a_person_on_a_side_of_the_address_is_the_partys_own(samples):
    # given a customer's billing and an invoice's shipping person, each an
    # object of a name and the parts of an address
    described = "{side}Contact (Person, the {side} name and address): {what}"
    fields = (
        {
            "name": "billingPerson.fullName",
            "type": "string",
            "description": described.format(side="billing", what="Full name"),
        },
        {
            "name": "billingPerson.town",
            "type": "string",
            "description": described.format(side="billing", what="Town"),
        },
        {
            "name": "billingPerson.zipCode",
            "type": "string",
            "description": described.format(side="billing", what="Zip code"),
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the person is the customer, not a person set up in the ERP
    assert got["billingPerson.fullName"].source == "name"
    assert got["billingPerson.town"].source == "address.city"
    assert got["billingPerson.zipCode"].source == "address.postal_code"
    shipped = (
        {
            "name": "shippingPerson.countryCode",
            "type": "string",
            "description": described.format(side="shipping", what="Country code"),
        },
        {
            "name": "shippingPerson.stateCode",
            "type": "string",
            "description": described.format(side="shipping", what="State code"),
        },
    )
    got = suggest(samples["invoice"], *shipped, threshold=None)
    assert got["shippingPerson.countryCode"].source == (
        "customer_shipping.address.country"
    )
    assert got["shippingPerson.stateCode"].source == "customer_shipping.address.state"


def test_a_whole_number_amount_in_a_named_currency_is_in_its_main_unit(samples):
    # given a payment's amount typed as an integer and described in a
    # currency's main unit, and another in cents
    fields = (
        {
            "name": "paidSum",
            "type": "int",
            "description": "Sum paid in euros; required",
        },
        {
            "name": "amountCents",
            "type": "int",
            "description": "Amount in cents",
        },
    )
    got = suggest(samples["charge"], *fields, threshold=None)
    # then the one in euros is converted from Stripe's minor units, the one
    # in cents copied as is
    assert got["paidSum"].source == "amount"
    assert [step["name"] for step in got["paidSum"].transforms] == ["minor_to_decimal"]
    assert got["amountCents"].source == "amount"
    assert got["amountCents"].transforms == []


def test_a_search_keyword_is_the_erps_own(samples):
    # given a customer's fields described as free search keywords, numbered
    # as address lines are
    fields = (
        {
            "name": "hotkey1",
            "type": "string",
            "description": "Hotkey 1: a free search keyword for the customer",
        },
        {
            "name": "hotkey2",
            "type": "string",
            "description": "Hotkey 2: a second search term used with the first",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then no Stripe field fills them, not the address lines their digits match
    assert_no_source(got["hotkey1"])
    assert_no_source(got["hotkey2"])


def test_the_page_a_buyer_came_from_is_no_link_of_stripes(samples):
    # given an order's links to the page the buyer came from, by either
    # spelling of the web's word for it
    fields = (
        {
            "name": "refererUrl",
            "type": "string",
            "description": "URL of the page the order was placed on",
        },
        {
            "name": "shopReferrer",
            "type": "string",
            "description": "URL the buyer came to the shop from",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither takes the invoice's hosted page
    assert_no_source(got["refererUrl"])
    assert_no_source(got["shopReferrer"])


def test_a_note_the_customer_owns_is_not_the_documents(samples):
    # given an order's text described as the customer's own comments
    field = {
        "name": "checkoutRemarks",
        "type": "string",
        "description": "Customer's order remarks, entered at checkout",
    }
    got = suggest(samples["invoice"], field, threshold=None)
    # then it does not take the invoice's description
    assert_no_source(got["checkoutRemarks"])


def test_a_message_from_the_payment_processor_is_not_the_documents_text(samples):
    # given a payment's and a refund's text described as the processor's
    field = {
        "name": "gatewayText",
        "type": "string",
        "description": "Message from the payment gateway, if any",
    }
    # then neither takes the charge's description nor the refund's reason
    assert_no_source(suggest(samples["charge"], field, threshold=None)["gatewayText"])
    assert_no_source(suggest(samples["refund"], field, threshold=None)["gatewayText"])
