"""Suggester rules added on v48's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a document's goods listed
as the services it sells, amounts in the minor unit), not copied from one
vendor.
"""

from tests.mapping.suggesting import assert_no_source, lookup, suggest


def test_a_documents_services_are_its_goods_lines(samples):
    # given an invoice's first entry of its list of services, its amounts
    # whole numbers in the minor unit
    fields = (
        {
            "name": "services.0.title",
            "type": "string",
            "description": "Services billed: title of the service",
        },
        {
            "name": "services.0.net_amount",
            "type": "int",
            "description": "Services billed: net value, in cents",
        },
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then they are the first line's, not the customer's or the document's
    assert got["services.0.title"].source == "lines.data.0.description"
    assert got["services.0.net_amount"].source == "lines.data.0.amount"


def test_a_lines_gross_is_not_its_amount(samples):
    # given the gross value of an invoice's first service, in the minor unit
    field = {
        "name": "services.0.gross_value",
        "type": "int",
        "description": "Services billed: gross value, in cents",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is not the first line's amount, which is before tax
    assert got["services.0.gross_value"].source != "lines.data.0.amount"


def test_a_documents_uuid_is_its_key(samples):
    # given a payment's and a credit note's key of the invoice they settle
    # or correct, named a UUID
    paid = {
        "name": "invoice_uuid",
        "type": "string",
        "description": "UUID of the invoice paid",
    }
    corrected = {
        "name": "corrected_invoice_uuid",
        "type": "string",
        "description": "UUID of the corrected invoice",
    }
    # when suggested
    on_charge = suggest(samples["charge"], paid, threshold=None)
    on_note = suggest(samples["credit_note"], corrected, threshold=None)
    # then each is the Stripe invoice through the id map
    assert lookup(on_charge["invoice_uuid"]) == "invoice"
    assert lookup(on_note["corrected_invoice_uuid"]) == "invoice"


def test_the_iso_3166_standard_is_no_three_letter_code(samples):
    # given a country code described by its standard's number, ISO3166
    field = {
        "name": "addresses.0.country_code",
        "type": "string",
        "description": "Addresses of the customer, the first: ISO3166-1 country code",
    }
    # when suggested
    got = suggest(samples["customer"], field, threshold=None)
    # then the code is Stripe's two-letter one as it is, not its alpha-3
    assert got["addresses.0.country_code"].source == "address.country"
    assert got["addresses.0.country_code"].transforms == []


def test_a_goods_lines_link_is_not_the_documents(samples):
    # given the link of an invoice's first item
    field = {
        "name": "items.0.link",
        "type": "string",
        "description": "Items on the invoice, the first: the URL of the item's page",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is not the invoice's own page, which Stripe keeps for the whole
    assert_no_source(got["items.0.link"])


def test_a_partys_tax_code_described_as_its_tax_number_is_its_tax_id(samples):
    # given an invoice's field of the buyer's tax code, described as the
    # buyer's tax number under its local name
    field = {
        "name": "buyer_tax_code",
        "type": "string",
        "description": "The buyer's CF (tax number)",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is the customer's tax id, not a setting of the integration
    assert got["buyer_tax_code"].source == "customer_tax_ids.0.value"
