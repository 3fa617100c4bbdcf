"""Suggester rules added on v68's former held-out part (Fakturama, ePayco).

The fields are made up in the shape the misses had (a desktop invoicing
model's features and a payment SDK's request fields, described with the
code that builds them), not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import assert_no_source, suggest


def test_a_payer_s_e_mail_in_a_body_named_by_its_code_is_the_payer_s(samples):
    # given a payment request's e-mail whose description cites the SDK code
    # building the request's body (BodyRequest-like names, a source path)
    fields = (
        {
            "name": "payer_mail",
            "type": "string",
            "description": "the payer's e-mail; required; body "
            "PayRequest.GetBodyPayCreate in acme/pay-sdk@1a2b3c4:Sdk/Util/"
            "PayRequest.cs (POST /v1/pay)",
        },
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields)
    # then it is the e-mail Stripe took with the payment, not a sender's
    assert got["payer_mail"].source == "billing_details.email"


def test_an_amount_described_as_the_base_its_tax_is_reckoned_on_is_the_subtotal(
    samples,
):
    # given a payment request's VAT base, named for the tax, and one named in
    # Spanish for its base, both described as what the VAT is reckoned on
    fields = (
        {
            "name": "iva_base",
            "type": "decimal",
            "description": "the amount the VAT is computed on",
        },
        {"name": "montobase", "type": "decimal", "description": "the VAT base"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then both are the amount before tax: Stripe's subtotal
    assert got["iva_base"].source == "subtotal"
    assert got["montobase"].source == "subtotal"


def test_a_date_described_as_the_start_or_end_of_validity_has_no_source(samples):
    # given a voucher's dates of when its row is in force, named for the
    # span and described as the start and the end of its validity
    fields = (
        {"name": "inForceFrom", "type": "date", "description": "start of validity"},
        {"name": "inForceUntil", "type": "date", "description": "validity end date"},
    )
    # when suggested on a charge, whose creation date would fit a date
    got = suggest(samples["charge"], *fields)
    # then neither is a date of Stripe's: no source
    assert_no_source(got["inForceFrom"])
    assert_no_source(got["inForceUntil"])


def test_a_date_named_for_the_supply_is_the_erp_s(samples):
    # given a document's date of the service performed and a line's date of
    # delivery, the days what it bills was supplied
    fields = (
        {"name": "perfServiceDate", "type": "date", "description": "date of service"},
        {"name": "rows.0.DeliveryDt", "type": "date"},
    )
    # when suggested on an invoice, whose creation date would fit a date
    got = suggest(samples["invoice"], *fields)
    # then neither is a date of Stripe's: no source
    assert_no_source(got["perfServiceDate"])
    assert_no_source(got["rows.0.DeliveryDt"])


def test_the_price_of_a_payment_s_first_item_is_what_was_paid(samples):
    # given a receipt voucher's first item, priced by that name alone
    item = {"name": "lines.0.price", "type": "decimal", "description": "its price"}
    # when suggested on a charge, as a user is shown it
    priced = suggest(samples["charge"], item, threshold=None)[item["name"]]
    # then the item's price is the amount Stripe charged, in major units
    assert (priced.source, priced.transforms[0]["name"]) == (
        "amount",
        "minor_to_decimal",
    )


def test_the_name_of_a_payment_s_first_item_is_what_it_was_for(samples):
    # given a receipt voucher's first item, named by its text
    item = {"name": "positions.0.name", "type": "string", "description": "its text"}
    # when suggested on a charge, whose payer has a name too
    got = suggest(samples["charge"], item)
    # then the item is what the charge was for: its description
    assert got["positions.0.name"].source == "description"


def test_a_link_to_the_page_the_payer_is_returned_to_is_set_up_once(samples):
    # given a cash payment request's link, described as the page the payer
    # is sent back to once paid
    fields = (
        {
            "name": "link_answer",
            "type": "string",
            "description": "the page the payer is sent back to",
        },
    )
    # when suggested on an invoice, which has a hosted page of its own
    got = suggest(samples["invoice"], *fields)
    # then it is no link of Stripe's: no source
    assert_no_source(got["link_answer"])


def test_a_name_described_as_the_bracketed_last_name_is_the_last_part(samples):
    # given a contact's name field, its description naming the part it holds
    # in brackets
    fields = (
        {"name": "name", "type": "string", "description": "the person's (last) name"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    # then it is the last part of the customer's name
    assert got["name"].transforms == [
        {"name": "split_name", "params": {"part": "last"}}
    ]


def test_an_address_addon_is_the_second_line(samples):
    # given a contact's first address with an addon to its street
    fields = (
        {"name": "locations.0.street", "type": "string"},
        {"name": "locations.0.streetAddon", "type": "string"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    # then the addon is the line after the street: Stripe's line2
    assert got["locations.0.streetAddon"].source == "address.line2"


def test_a_party_s_user_name_in_another_system_has_no_source(samples):
    # given a contact's user name in a web portal it logs in to, named for
    # the portal
    fields = (
        {
            "name": "portalName",
            "type": "string",
            "description": "the contact's user name in the web portal",
        },
    )
    # when suggested on a customer, whose name would fit a name
    got = suggest(samples["customer"], *fields)
    # then it is no name of Stripe's: no source
    assert_no_source(got["portalName"])


def test_a_date_described_as_the_order_s_date_has_no_source(samples):
    # given an invoice's date of the shop order it was imported from
    fields = (
        {"name": "shopDate", "type": "date", "description": "the shop order's date"},
    )
    # when suggested on an invoice, whose creation date would fit a date
    got = suggest(samples["invoice"], *fields)
    # then it is no date of Stripe's: no source
    assert_no_source(got["shopDate"])


def test_a_reference_described_as_your_reference_has_no_source(samples):
    # given an invoice's customer reference, described as the buyer's own
    fields = (
        {
            "name": "clientRef",
            "type": "string",
            "description": "the client's reference (your reference)",
        },
    )
    # when suggested on an invoice, which has a customer to look up
    got = suggest(samples["invoice"], *fields)
    # then it is no key of the customer's: no source
    assert_no_source(got["clientRef"])
