"""Suggester rules added on v69's former held-out part (LibreBooks, Iugu).

The fields are made up in the shape the misses had (an accounting model's
entity columns and a payment SDK's request classes, described with the code
that declares them), not copied from one vendor. Each is written through
`described`, a name, a type and the few words a model gives.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    lookup,
    sourced,
    suggest,
)


def test_an_address_described_as_one_free_text_has_no_source(samples):
    # given a customer's and a document's addresses kept as one text each,
    # with no street, city or postal code of their own
    for place, object_type in (
        (
            described("PostalAddress", "string", "the postal address as one free text"),
            "customer",
        ),
        (
            described(
                "Party.ShipToAddress", "string", "the ship-to address as a single text"
            ),
            "invoice",
        ),
    ):
        # when suggested, then neither is Stripe's street line nor a note
        assert_no_source(sourced(samples, object_type, place))


def test_an_e_mail_described_with_the_request_class_it_sits_in_is_the_payer_s(
    samples,
):
    # given a payment request's e-mails whose descriptions name the request
    # class declaring them (a PaymentRequestMessage-like name, alone)
    for mail in (
        described("mail", "string", "the client's e-mail; class PaymentRequestMessage"),
        described(
            "buyer.mail",
            "string",
            "the buyer's e-mail; class BuyerModel, constructor "
            "PaymentRequestMessage(mail, items)",
        ),
    ):
        # when suggested on a charge, then it is the e-mail Stripe took with
        # the payment, not the address a message is sent from
        assert sourced(samples, "charge", mail).source == "billing_details.email", mail


def test_a_bare_number_described_as_the_house_number_has_no_source(samples):
    # given a bare number, at the top and in an address group, whose
    # descriptions call it the house number
    for house, object_type in (
        (described("nr", "int", "the house number of the postal address"), "customer"),
        (described("buyer.address.no", "string", "'Nro', the house number"), "invoice"),
    ):
        # when suggested, then it is neither a key of the customer's nor the
        # document's number: Stripe keeps the house number in its street
        assert_no_source(sourced(samples, object_type, house))


def test_a_link_the_payer_is_sent_to_when_something_happens_has_no_source(samples):
    # given a bill's link described as the page the payer is sent to once
    # the bill has lapsed
    lapsed = described(
        "lapsed_link", "string", "URL the payer is sent to when the bill has lapsed"
    )
    # when suggested on an invoice, then it is a page the system sends the
    # payer to, set up once, not the invoice's hosted page
    assert_no_source(sourced(samples, "invoice", lapsed))


def test_a_customer_key_in_a_group_named_for_the_customer_is_the_customer(samples):
    # given a document's customer key and, below it, the group of the
    # customer's particulars as printed, with its own customer key
    fields = [
        described("Doc.ClientId", "int", "the client (Client record)"),
        described(
            "Doc.ClientDetails.ClientId",
            "int",
            "the printed client details: the client",
        ),
    ]
    # when suggested on an invoice
    found = suggest(samples["invoice"], *fields)
    # then both key the invoice's customer, not another record
    for field in fields:
        assert found[field["name"]].source == "customer", field
        assert lookup(found[field["name"]]) == "customer", field


def test_a_tax_number_among_a_document_s_party_details_is_no_document_number(
    samples,
):
    # given the buyer's VAT number kept among the document's printed details
    vat = described(
        "Doc.BuyerDetails.VatNo", "string", "the document's buyer details: VAT number"
    )
    # when suggested on an invoice, then it is the customer's tax id there
    assert sourced(samples, "invoice", vat).source == "customer_tax_ids.0.value"
    # and on a credit note, which keeps no tax id, the user is shown no
    # source (at the calibrated cut), not the note's own number
    assert_no_source(sourced(samples, "credit_note", vat, threshold=None))
