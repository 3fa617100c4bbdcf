"""Suggester rules added on v68's former held-out part (Fakturama, ePayco).

The fields are made up in the shape the misses had (a desktop invoicing
model's features and a payment SDK's request fields, described with the
code that builds them), not copied from one vendor. Most come with a
description alone, so they are written through `described`.
"""

from tests.mapping.suggesting import assert_no_source, suggest


def described(name, kind, description=""):
    """A field as a model or an SDK gives it: a name, a type, a few words."""
    return {"name": name, "type": kind, "description": description}


def sourced(samples, object_type, field, threshold=0.0):
    """What `field` alone is suggested on a Stripe `object_type`."""
    return suggest(samples[object_type], field, threshold=threshold)[field["name"]]


def test_a_payer_s_e_mail_in_a_body_named_by_its_code_is_the_payer_s(samples):
    # given a payment request's e-mail whose description cites the SDK code
    # building the request's body (BodyRequest-like names, a source path)
    mail = described(
        "payer_mail",
        "string",
        "the payer's e-mail; required; body PayRequest.GetBodyPayCreate in "
        "acme/pay-sdk@1a2b3c4:Sdk/Util/PayRequest.cs (POST /v1/pay)",
    )
    # when suggested on a charge, then it is the e-mail Stripe took with the
    # payment, not a sender's
    assert sourced(samples, "charge", mail).source == "billing_details.email"


def test_an_amount_described_as_the_base_its_tax_is_reckoned_on_is_the_subtotal(
    samples,
):
    # given a payment request's VAT bases, one named for the tax and one in
    # Spanish, described as what the VAT is reckoned on
    bases = (
        described("iva_base", "decimal", "the amount the VAT is computed on"),
        described("montobase", "decimal", "the VAT base"),
    )
    # when suggested on an invoice, then each is the amount before tax
    for base in bases:
        assert sourced(samples, "invoice", base).source == "subtotal", base


def test_a_date_described_as_the_start_or_end_of_validity_has_no_source(samples):
    # given a voucher's dates of when its row is in force
    for bound in (
        described("inForceFrom", "date", "start of validity"),
        described("inForceUntil", "date", "validity end date"),
    ):
        # when suggested on a charge, whose creation date would fit a date,
        # then neither is a date of Stripe's
        assert_no_source(sourced(samples, "charge", bound))


def test_a_date_named_for_the_supply_is_the_erp_s(samples):
    # given a document's date of the service performed and a line's date of
    # delivery, the days what it bills was supplied
    for supplied in (
        described("perfServiceDate", "date", "date of service"),
        described("rows.0.DeliveryDt", "date"),
    ):
        # when suggested on an invoice, then neither is Stripe's creation
        assert_no_source(sourced(samples, "invoice", supplied))


def test_the_price_of_a_payment_s_first_item_is_what_was_paid(samples):
    # given a receipt voucher's first item, priced by that name alone
    item = described("lines.0.price", "decimal", "its price")
    # when suggested on a charge, as a user is shown it
    priced = sourced(samples, "charge", item, threshold=None)
    # then the item's price is the amount Stripe charged, in major units
    steps = [step["name"] for step in priced.transforms]
    assert (priced.source, steps) == ("amount", ["minor_to_decimal"])


def test_the_name_of_a_payment_s_first_item_is_what_it_was_for(samples):
    # given a receipt voucher's first item, named by its text
    item = described("positions.0.name", "string", "its text")
    # when suggested on a charge, whose payer has a name too, then the item
    # is what the charge was for: its description
    assert sourced(samples, "charge", item).source == "description"


def test_a_link_to_the_page_the_payer_is_returned_to_is_set_up_once(samples):
    # given a cash payment request's link to the page the payer is sent back
    # to once paid
    link = described("link_answer", "string", "the page the payer is sent back to")
    # when suggested on an invoice, which has a hosted page of its own, then
    # it is no link of Stripe's
    assert_no_source(sourced(samples, "invoice", link))


def test_a_name_described_as_the_bracketed_last_name_is_the_last_part(samples):
    # given a contact's name field, its description naming in brackets the
    # part it holds
    name = described("name", "string", "the person's (last) name")
    # when suggested on a customer, then it is the last part of its name
    assert sourced(samples, "customer", name).transforms == [
        {"name": "split_name", "params": {"part": "last"}}
    ]


def test_an_address_addon_is_the_second_line(samples):
    # given a contact's first address with an addon to its street
    got = suggest(
        samples["customer"],
        described("locations.0.street", "string"),
        described("locations.0.streetAddon", "string"),
    )
    # when suggested on a customer, then the addon is the line after the
    # street: Stripe's line2
    assert got["locations.0.streetAddon"].source == "address.line2"


def test_a_party_s_user_name_in_another_system_has_no_source(samples):
    # given a contact's user name in a web portal it logs in to
    login = described(
        "portalName", "string", "the contact's user name in the web portal"
    )
    # when suggested on a customer, whose name would fit a name, then it is
    # no name of Stripe's
    assert_no_source(sourced(samples, "customer", login))


def test_a_date_described_as_the_order_s_date_has_no_source(samples):
    # given an invoice's date of the shop order it was imported from
    ordered = described("shopDate", "date", "the shop order's date")
    # when suggested on an invoice, whose creation date would fit a date,
    # then it is no date of Stripe's
    assert_no_source(sourced(samples, "invoice", ordered))


def test_a_reference_described_as_your_reference_has_no_source(samples):
    # given an invoice's customer reference, described as the buyer's own,
    # beside the key of its customer
    got = suggest(
        samples["invoice"],
        described("clientRef", "string", "the client's reference (your reference)"),
        described("client_id", "int"),
    )
    # when suggested on an invoice, then the reference is no key of the
    # customer's, which the customer's own key takes
    assert_no_source(got["clientRef"])
    assert got["client_id"].source == "customer"


def test_a_tare_named_in_another_language_measures_the_goods(samples):
    # given a shipment's tare, named by the word Spanish and German share,
    # when suggested on an invoice, whose tax would fit an amount, then it
    # is a weight, no money of Stripe's
    assert_no_source(
        sourced(samples, "invoice", described("envio_tara", "decimal", "parcel"))
    )
