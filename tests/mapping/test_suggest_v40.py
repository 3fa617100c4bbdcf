"""Suggester rules added on v42's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a request body's fields
placed by a parenthesis or a "top level" note, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, lookup, suggest


def test_an_email_placed_in_the_request_body_by_a_note_is_the_customers(samples):
    # given a customer's e-mails whose descriptions place them in the request
    # body in a parenthesis, as the body's top level or as a member of a group
    fields = (
        {
            "name": "mails.main",
            "type": "string",
            "description": "`mails.main` (body, mails object): "
            "'The e-mail address for reaching the customer.'",
        },
        {
            "name": "mail",
            "type": "string",
            "description": "body top level, `mail` (string): "
            "'The customer's e-mail address.'",
        },
        {
            "name": "buyer.mail",
            "type": "string",
            "description": "body `buyer` → `mail` (string): "
            "'The customer's e-mail address.'",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then each is the customer's e-mail, not the e-mail that sends a document
    for name in ("mails.main", "mail", "buyer.mail"):
        assert (got[name].source, got[name].transforms) == ("email", []), got[name]


def test_the_body_of_an_email_placed_in_the_request_body_has_no_source(samples):
    # given the text of the e-mail that sends an invoice, placed in the body
    fields = (
        {
            "name": "mailText",
            "type": "string",
            "description": "body top level, `mailText` (string): "
            "'Body of the email sent with the invoice.'",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it has no source
    assert_no_source(got["mailText"])


def test_a_postal_area_beside_a_postal_code_is_the_city(samples):
    # given a customer's addresses with a postal code and a postal area (the
    # place the code stands for) and no city
    fields = (
        {"name": "mainAddress.postCode", "type": "string"},
        {
            "name": "mainAddress.postArea",
            "type": "string",
            "description": "The postal area for the address.",
        },
        {"name": "shipTo.zip", "type": "string"},
        {"name": "shipTo.postal_area", "type": "string"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the postal area is the city, the code the postal code
    want = {
        "mainAddress.postCode": "address.postal_code",
        "mainAddress.postArea": "address.city",
        "shipTo.zip": "shipping.address.postal_code",
        "shipTo.postal_area": "shipping.address.city",
    }
    for name, path in want.items():
        assert (got[name].source, got[name].transforms) == (path, []), got[name]


def test_each_address_in_a_group_of_addresses_takes_the_customers(samples):
    # given a customer with a group of addresses, one to visit and one for
    # post, each with a street, a postal code and a town
    fields = [
        {"name": f"addresses.{block}.{part}", "type": "string"}
        for block in ("visit", "postal")
        for part in ("street", "zipCode", "town")
    ]
    got = suggest(samples["customer"], *fields, threshold=None)
    # then each address's part is the customer's address's, as both are its
    want = {"street": "address.line1", "zipCode": "address.postal_code"}
    want["town"] = "address.city"
    for block in ("visit", "postal"):
        for part, path in want.items():
            item = got[f"addresses.{block}.{part}"]
            assert (item.source, item.transforms) == (path, []), item


def test_a_bare_contact_is_the_phone_or_email_its_description_names(samples):
    # given a customer's fields named only "contact", described as its phone
    # number or as its e-mail address, beside its name
    fields = (
        {"name": "fullName", "type": "string"},
        {
            "name": "contact",
            "type": "string",
            "description": "(string): 'The phone number of the customer, with "
            "the country code'",
        },
        {
            "name": "mails.contact",
            "type": "string",
            "description": "'The e-mail address to contact the customer at.'",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then each is that detail, not the customer's name or code
    assert (got["contact"].source, got["contact"].transforms) == ("phone", [])
    mail = got["mails.contact"]
    assert (mail.source, mail.transforms) == ("email", []), mail
    assert got["fullName"].source == "name"


def test_a_gst_identification_number_is_the_tax_id(samples):
    # given a customer's GST identification number (GSTIN), described after
    # where it sits in the request
    fields = (
        {"name": "name", "type": "string"},
        {
            "name": "buyer_gstin",
            "type": "string",
            "description": "body top level, `buyer_gstin` (string | null): "
            "'The GST number, if there is one'",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then it is the customer's tax id
    item = got["buyer_gstin"]
    assert (item.source, item.transforms) == ("tax_ids.data.0.value", []), item


def test_a_registered_number_in_the_customers_group_is_its_tax_id(samples):
    # given an invoice with its customer's details in a group: a name and an
    # organisation number issued by the authorities
    fields = (
        {"name": "buyer.name", "type": "string"},
        {
            "name": "buyer.organisationNo",
            "type": "string",
            "description": "The organisation number the authorities issued.",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the number is the customer's tax id on the invoice
    item = got["buyer.organisationNo"]
    assert (item.source, item.transforms) == ("customer_tax_ids.0.value", []), item


def test_a_family_code_is_a_class_not_a_surname(samples):
    # given a payment's transaction classed by a code in levels: a domain, a
    # family and a sub-family
    fields = [
        {"name": f"classification.{level}Code", "type": "string"}
        for level in ("domain", "family", "subFamily")
    ]
    got = suggest(samples["charge"], *fields, threshold=None)
    # then none has a source: no part of the payer's name is a class of it
    for level in ("domain", "family", "subFamily"):
        assert_no_source(got[f"classification.{level}Code"])


def test_an_invoices_expiry_is_a_later_event_not_its_number(samples):
    # given an invoice's expiry as a Unix timestamp whose description gives
    # its type as a number
    fields = (
        {
            "name": "expire_on",
            "type": "timestamp",
            "description": "body top level, `expire_on` (number | null): "
            "'Timestamp, in Unix format, at which the invoice will expire.'",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the expiry has no source: Stripe's invoice never expires, and its
    # number is no time
    assert_no_source(got["expire_on"])


def test_when_a_record_was_last_changed_is_not_its_creation(samples):
    # given an order's timestamps of its last change, beside its own date
    fields = (
        {"name": "orderDate", "type": "date"},
        {
            "name": "changedAt",
            "type": "datetime",
            "description": "When a property of the record was last changed.",
        },
        {"name": "modified_at", "type": "datetime"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither change has a source: Stripe keeps no time of the last change
    assert_no_source(got["changedAt"])
    assert_no_source(got["modified_at"])
    # and the order's date is the invoice's creation
    assert got["orderDate"].source == "created"


def test_a_key_of_a_tax_code_takes_no_tax_amount(samples):
    # given an invoice line's tax code, given by its key and by its number
    fields = (
        {
            "name": "vat.id",
            "type": "int",
            "description": "The unique identifier of the tax code in the ERP.",
        },
        {
            "name": "vat.number",
            "type": "int",
            "description": "The tax code's number that users see.",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither has a source: a key or a number is no amount of tax
    assert_no_source(got["vat.id"])
    assert_no_source(got["vat.number"])


def test_a_bank_accounts_number_on_a_refund_is_no_payment_reference(samples):
    # given a refund booked as a bank line, with the number of the bank
    # account the money leaves from and of the one it goes to
    fields = (
        {
            "name": "sourceBankAccount.number",
            "type": "string",
            "description": "Number of the bank account the transfer leaves from.",
        },
        {
            "name": "targetBankAccount.number",
            "type": "string",
            "description": "Number of the bank account receiving the transfer.",
        },
    )
    got = suggest(samples["refund"], *fields, threshold=None)
    # then neither has a source: a bank account is the ERP's, not the charge
    assert_no_source(got["sourceBankAccount.number"])
    assert_no_source(got["targetBankAccount.number"])


def test_a_description_quoted_from_a_reference_page_names_no_reference(samples):
    # given a refund's processing mode, described by a quote from the API's
    # reference page, that allows two values
    fields = (
        {
            "name": "pace",
            "type": "string",
            "description": "body top level, `pace` ('standard' | 'express'): "
            "'How fast the refund is processed.' (quoted from the reference page)",
        },
    )
    got = suggest(samples["refund"], *fields, threshold=None)
    # then it has no source: the page it is quoted from is no key of the refund
    assert_no_source(got["pace"])


def test_a_key_provided_by_the_caller_on_a_refund_is_its_own_id(samples):
    # given a refund's key that the caller provides for its own reference,
    # named for a receipt
    fields = (
        {
            "name": "receipt",
            "type": "string",
            "description": "A unique key supplied by you, for your internal reference.",
        },
    )
    got = suggest(samples["refund"], *fields, threshold=None)
    # then it is the refund's own Stripe id, not the charge it refunds
    item = got["receipt"]
    assert (item.source, item.transforms) == ("id", []), item


def test_an_invoices_remittance_reference_is_the_erps_to_make(samples):
    # given an invoice's reference for paying it: one named for remittance,
    # one described as a structured OCR reference
    fields = (
        {
            "name": "billing.remittanceRef",
            "type": "string",
            "description": "The reference the payer quotes when paying the bill.",
        },
        {
            "name": "payRef",
            "type": "string",
            "description": "The structured payment reference (an OCR reference "
            "with a check digit).",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither has a source: the ERP computes it from its own numbers
    assert_no_source(got["billing.remittanceRef"])
    assert_no_source(got["payRef"])


def test_a_bare_key_in_the_url_of_the_order_a_line_belongs_to_is_looked_up(samples):
    # given a line added to an order named by its key in the URL, described as
    # the identifier for the order the lines belong to
    fields = (
        {
            "name": "key",
            "type": "int",
            "description": "(path parameter; required): 'The identifier for the "
            "sales order, to which the lines belong.'",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is the order made for the invoice, through the id map
    item = got["key"]
    assert (item.source, lookup(item)) == ("id", "invoice"), item


def test_a_postal_area_in_a_postal_address_is_its_city(samples):
    # given a customer's postal address, a group named for the post, with a
    # postal code and a postal area
    fields = (
        {"name": "addresses.postal.postCode", "type": "string"},
        {"name": "addresses.postal.postArea", "type": "string"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the area is the city, though the group's name is the code's word
    item = got["addresses.postal.postArea"]
    assert (item.source, item.transforms) == ("address.city", []), item


def test_a_postal_area_beside_a_city_is_the_city_too(samples):
    # given an invoice's buyer with a postal code, its postal area and a city
    fields = (
        {"name": "buyer.zip", "type": "string"},
        {"name": "buyer.postArea", "type": "string"},
        {"name": "buyer.city", "type": "string"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then both the postal area and the city take the customer's city
    for name in ("buyer.postArea", "buyer.city"):
        item = got[name]
        assert (item.source, item.transforms) == ("customer_address.city", []), item
