"""Suggester rules added on v28's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (an address kept as
numbered lines whose description says what each holds, ...), not copied from
one vendor.
"""

from tests.mapping.suggesting import suggest


def test_numbered_address_lines_take_the_part_their_description_names(samples):
    # given an address kept as numbered lines, the description of each saying
    # in brackets what it holds (the postal code on line 5, not the country
    # such a line conventionally holds; line 3 named a street address but
    # described as the town), and a last line described only as the country
    fields = (
        {"name": "addr_1", "description": "Street address 1 (street)"},
        {"name": "addr_3", "description": "Street address 3 (town/city)"},
        {"name": "addr_4", "description": "Street address 4 (county/region)"},
        {"name": "addr_5", "description": "Address line 5 (post code)"},
        {"name": "addr_6", "description": "Country: the country's English name"},
    )
    got = suggest(samples["customer"], *fields)
    # then each takes the part of Stripe's address its description names
    assert got["addr_1"].source == "address.line1", got["addr_1"]
    assert got["addr_3"].source == "address.city", got["addr_3"]
    assert got["addr_4"].source == "address.state", got["addr_4"]
    assert got["addr_5"].source == "address.postal_code", got["addr_5"]
    assert got["addr_6"].source == "address.country", got["addr_6"]
    # and the country, described by its name, is turned from the ISO code
    steps = [step["name"] for step in got["addr_6"].transforms]
    assert steps == ["country_code"], got["addr_6"]
    assert got["addr_6"].transforms[0]["params"] == {"to": "name"}, got["addr_6"]


def test_a_transaction_shortened_as_ledgers_do_is_the_documents_date(samples):
    # given an invoice's date named as a ledger's transaction date, the word
    # shortened and glued to it, and described as the invoice's date
    fields = (
        {
            "name": "txndate",
            "type": "date",
            "description": "Invoice date, as the ledger books it",
        },
        {
            "name": "trandt",
            "type": "date",
            "description": "Document date (the accounting period follows from it)",
        },
    )
    got = suggest(samples["invoice"], *fields)
    # then it is the invoice's creation date, not a later event's
    for name in ("txndate", "trandt"):
        assert got[name].source == "created", got[name]
        assert got[name].confidence >= 0.7, got[name]


def test_an_amount_marked_as_foreign_exchange_is_the_amount_itself(samples):
    # given a receipt's amount named with the foreign-exchange mark glued on,
    # described as the amount in the customer's own currency
    field = {
        "name": "totalfx",
        "type": "decimal",
        "description": "Total received, in the customer's currency",
    }
    got = suggest(samples["charge"], field)
    # then it is the charge's amount, in major units, at a sure confidence
    assert got["totalfx"].source == "amount", got["totalfx"]
    assert got["totalfx"].confidence >= 0.7, got["totalfx"]
    steps = [step["name"] for step in got["totalfx"].transforms]
    assert steps == ["minor_to_decimal"], got["totalfx"]


def test_a_partys_tax_reference_is_its_tax_id(samples):
    # given a customer's tax reference, the word shortened and glued on, as
    # a tax authority's reference for a taxpayer is named
    field = {"name": "client_taxref", "description": "Client's tax reference"}
    got = suggest(samples["customer"], field)
    # then it is the customer's tax id, at a sure confidence
    assert got["client_taxref"].source == "tax_ids.data.0.value", got["client_taxref"]
    assert got["client_taxref"].confidence >= 0.7, got["client_taxref"]


def test_a_shipments_reference_is_not_the_documents_own(samples):
    # given an invoice's reference of the consignment it ships with, and one
    # of the shipment, beside its number
    fields = (
        {"name": "number", "description": "Invoice number"},
        {"name": "consignment_ref", "description": "Consignment reference"},
        {"name": "ShipmentReference", "description": "Reference of the shipment"},
    )
    got = suggest(samples["invoice"], *fields)
    # then neither is sure to take the invoice's own Stripe id: Stripe keeps
    # no reference of a shipment on an invoice
    for name in ("consignment_ref", "ShipmentReference"):
        assert got[name].source != "id" or got[name].confidence < 0.7, got[name]


def test_a_customers_reference_described_as_the_invoices_is_the_invoice(samples):
    # given a payment's customer reference whose description says it is the
    # reference of the invoice the payment settles
    field = {
        "name": "client_ref",
        "description": "Reference of the invoice this payment settles",
    }
    got = suggest(samples["charge"], field)
    # then it is the invoice the charge pays, through the id map, not the
    # customer
    assert got["client_ref"].source == "invoice", got["client_ref"]
    steps = [step["name"] for step in got["client_ref"].transforms]
    assert steps == ["lookup"], got["client_ref"]
