"""Suggester rules added on v25's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a customer's one address
described as where goods go, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import lookup, suggest


def test_a_records_one_address_described_as_shipping_is_its_own(samples):
    # given a customer whose only address is described as the delivery one
    fields = (
        {"name": "email", "description": "The client's e-mail"},
        {"name": "street", "description": "The client's delivery street address"},
        {"name": "town", "description": "The client's delivery address town"},
        {"name": "postcode", "description": "The client's delivery address postcode"},
        {"name": "country", "description": "The client delivery address country"},
    )
    got = suggest(samples["customer"], *fields)
    # then each part takes the customer's own address
    assert got["street"].source == "address.line1", got["street"]
    assert got["town"].source == "address.city", got["town"]
    assert got["postcode"].source == "address.postal_code", got["postcode"]
    assert got["country"].source == "address.country", got["country"]


def test_a_documents_bare_whole_number_is_the_erps_not_stripes(samples):
    # given an invoice and a credit note with a whole number named just so
    field = {"name": "number", "type": "int", "description": "Number of the record"}
    text = {"name": "number", "description": "Number of the record"}
    # then, at the calibrated threshold, no Stripe field fills the whole
    # number, while a text one still takes the document's number
    for kind in ("invoice", "credit_note"):
        got = suggest(samples[kind], field, threshold=None)["number"]
        assert got.source == "", (kind, got)
        got = suggest(samples[kind], text, threshold=None)["number"]
        assert got.source == "number", (kind, got)


def test_a_number_given_as_a_percentage_is_a_rate_not_an_amount(samples):
    # given an invoice's taxes and charges given as percentages
    fields = (
        {
            "name": "retained_tax",
            "type": "decimal",
            "description": "Tax retained at source, percentual value",
        },
        {"name": "levyPct", "type": "decimal", "description": "Levy charged"},
        {"name": "tax", "type": "decimal", "description": "Tax amount"},
    )
    got = suggest(samples["invoice"], *fields)
    # then the rates have no source, while the tax amount is still the tax
    assert got["retained_tax"].source == "", got["retained_tax"]
    assert got["levyPct"].source == "", got["levyPct"]
    assert got["tax"].source == "tax", got["tax"]


def test_a_payments_document_key_is_what_it_pays_or_returns(samples):
    # given a payment in and a payment out keyed to the document they go with
    field = {"name": "doc.id", "type": "int", "description": "Linked document id"}
    paid = suggest(samples["charge"], field)["doc.id"]
    returned = suggest(samples["refund"], field)["doc.id"]
    # then the payment in pays the invoice, the payment out returns the charge
    assert paid.source == "invoice", paid
    assert lookup(paid) == "invoice", paid
    assert returned.source == "charge", returned
    assert lookup(returned) == "charge", returned


def test_a_field_with_a_check_number_as_its_example_is_the_reference(samples):
    # given a payment's free field whose example is a check's number, and a
    # check's number alone
    fields = (
        {
            "name": "payment.info",
            "description": "More about how it was paid (e.g. the cheque no.)",
        },
        {"name": "chequeNo", "description": "Cheque number"},
    )
    got = suggest(samples["charge"], *fields)
    # then the first is the payment's reference, its Stripe id; the second
    # has no Stripe counterpart
    assert got["payment.info"].source == "id", got["payment.info"]
    assert got["chequeNo"].source != "id", got["chequeNo"]


def test_a_certified_email_is_not_the_ordinary_address(samples):
    # given a customer's e-mail and its certified e-mail
    fields = (
        {"name": "contact_email", "description": "E-mail of the party"},
        {"name": "emailCertified", "description": "Certified e-mail of the party"},
    )
    got = suggest(samples["customer"], *fields)
    # then the ordinary one takes Stripe's e-mail and the certified one none
    assert got["contact_email"].source == "email", got["contact_email"]
    assert got["emailCertified"].source == "", got["emailCertified"]
