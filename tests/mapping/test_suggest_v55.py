"""Suggester rules added on v57's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (XML elements that run a
long name together in lower case, with plain words such as "invoicing" or
"source" between the ones the suggester reads; numbered custom fields; purchase
prices; the invoicing customer and address; details named for another thing),
not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, lookup, suggest


def test_a_long_lower_case_name_is_cut_into_its_words(samples):
    # given elements whose names run several words together in lower case
    fields = (
        {"name": "invoicingpartyaddressline", "type": "string"},
        {"name": "invoicingpartypostnumber", "type": "string"},
        {"name": "invoicingpartytown", "type": "string"},
        {"name": "sourcepartyname", "type": "string"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each takes the part of the customer's address its words name
    assert got["invoicingpartyaddressline"].source == "customer_address.line1"
    assert got["invoicingpartypostnumber"].source == "customer_address.postal_code"
    assert got["invoicingpartytown"].source == "customer_address.city"
    assert got["sourcepartyname"].source == "customer_name"


def test_a_numbered_custom_field_has_no_source(samples):
    # given numbered slots the ERP's users give a meaning of their own
    fields = (
        {"name": "custom_1", "type": "string", "description": "Custom field #1"},
        {"name": "custom2", "type": "string"},
        {"name": "extra.free_1", "type": "string"},
        {"name": "udf2", "type": "string"},
        {"name": "address_1", "type": "string"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields, threshold=None)
    # then none is filled, and a numbered address line still is
    for name in ("custom_1", "custom2", "extra.free_1", "udf2"):
        assert_no_source(got[name])
    assert got["address_1"].source == "address.line1"


def test_a_purchase_price_is_the_sellers_cost(samples):
    # given a line's purchase price, named run together or apart, beside
    # its sales price
    fields = (
        {"name": "lines.0.itemunitpurchaseprice", "type": "decimal"},
        {"name": "lines.0.purchase_price", "type": "decimal"},
        {"name": "lines.0.unit_price", "type": "decimal"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then what the seller paid is left and the price billed is filled
    assert_no_source(got["lines.0.itemunitpurchaseprice"])
    assert_no_source(got["lines.0.purchase_price"])
    assert got["lines.0.unit_price"].source.startswith("lines.data.0.")


def test_the_invoicing_party_is_the_billed_customer(samples):
    # given the key of the customer an invoice is made out to, named for
    # invoicing as some ledgers name the billing side
    fields = (
        {"name": "invoicing_customer_identifier", "type": "string"},
        {"name": "invoicing_customer_name", "type": "string"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the key is the Stripe customer's and the name its name
    assert lookup(got["invoicing_customer_identifier"]) == "customer"
    assert got["invoicing_customer_name"].source == "customer_name"


def test_an_invoicing_address_is_the_billing_one(samples):
    # given the street lines of the address an invoice is made out to,
    # named for invoicing
    fields = (
        {"name": "invoicing_customer_address_line", "type": "string"},
        {"name": "invoicing_customer_additional_address_line", "type": "string"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then they are the billing address's first and second lines
    first = got["invoicing_customer_address_line"]
    assert first.source == "customer_address.line1"
    second = got["invoicing_customer_additional_address_line"]
    assert second.source == "customer_address.line2"


def test_details_of_another_thing_are_not_the_note(samples):
    # given details named for a thing the customer came by
    field = {
        "name": "campaign_details",
        "type": "string",
        "description": "Campaign/lead source details",
    }
    # when suggested on a customer
    got = suggest(samples["customer"], field, threshold=None)
    # then they are not the customer's note
    assert_no_source(got["campaign_details"])
    # and the customer's own details still are
    own = {"name": "customer_details", "type": "string"}
    assert suggest(samples["customer"], own)["customer_details"].source == (
        "description"
    )
