"""Suggester rules added on v33's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (numbered additional
address lines beside a street, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import suggest


def test_an_additional_address_line_is_numbered_after_the_street(samples):
    # given an address with a street and two additional lines, numbered from 1
    fields = (
        {"name": "addr.street"},
        {"name": "addr.extraAddressLine1"},
        {"name": "addr.extraAddressLine2"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the first additional line is Stripe's line2, the second has none
    assert got["addr.street"].source == "address.line1", got["addr.street"]
    first = got["addr.extraAddressLine1"]
    assert first.source == "address.line2", first
    second = got["addr.extraAddressLine2"]
    assert second.abstained and not second.source, second


def test_a_suburb_on_the_second_line_is_no_city(samples):
    # given numbered lines, the second described as a suburb, the third as
    # the city
    fields = (
        {"name": "post_address.line_1", "description": "First line (Street)"},
        {"name": "post_address.line_2", "description": "Second line (Suburb)"},
        {"name": "post_address.line_3", "description": "Third line (City)"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the suburb is the street's second line, the city the city
    assert got["post_address.line_2"].source == "address.line2", got[
        "post_address.line_2"
    ]
    assert got["post_address.line_3"].source == "address.city", got[
        "post_address.line_3"
    ]


def test_a_map_keyed_by_type_gives_its_primary_entry_the_stripe_field(samples):
    # given e-mails and phones kept as maps keyed by a type code
    fields = (
        {"name": "contact_points.mail_addresses.PRI.value"},
        {"name": "contact_points.mail_addresses.ALT.value"},
        {"name": "contact_points.mail_addresses.TER.value"},
        {"name": "contact_points.phones.PRI"},
        {"name": "contact_points.phones.SEC"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the primary entries take Stripe's e-mail and phone, the others none
    assert got["contact_points.mail_addresses.PRI.value"].source == "email"
    assert got["contact_points.phones.PRI"].source == "phone"
    for name in (
        "contact_points.mail_addresses.ALT.value",
        "contact_points.mail_addresses.TER.value",
        "contact_points.phones.SEC",
    ):
        assert got[name].abstained and not got[name].source, got[name]


def test_a_mobile_keyed_by_its_type_is_the_second_phone(samples):
    # given a map of phones keyed by type: a main line, a mobile and a fax
    fields = (
        {"name": "channels.phoneNumbers.PRI", "description": "Main telephone"},
        {"name": "channels.phoneNumbers.MOB", "description": "Mobile telephone"},
        {"name": "channels.phoneNumbers.FAX", "description": "Fax"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the main line is Stripe's phone and the mobile abstains
    main = got["channels.phoneNumbers.PRI"]
    assert main.source == "phone", main
    mobile = got["channels.phoneNumbers.MOB"]
    assert mobile.abstained and not mobile.source, mobile


def test_ids_of_address_records_keyed_by_type_are_no_postal_code(samples):
    # given a map of the ids of address records, keyed by the address's use
    fields = (
        {"name": "postalAddressIds.DEF", "type": "int"},
        {"name": "postalAddressIds.SHP", "type": "int"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then neither is a postal code: they are the ERP's own records' keys
    for field in fields:
        item = got[field["name"]]
        assert item.abstained and not item.source, item


def test_a_country_described_as_a_three_letter_code_is_alpha3(samples):
    # given country code fields whose descriptions give the code three letters
    fields = (
        {"name": "nation_code", "description": "The nation's three-letter ISO code"},
        {"name": "geo.countryIso", "description": "ISO country (3 characters)"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then each is the address's country, converted to ISO alpha-3
    for field in fields:
        item = got[field["name"]]
        assert item.source == "address.country", item
        assert item.transforms == [
            {"name": "country_code", "params": {"to": "alpha3"}}
        ], item


def test_a_list_of_tax_ids_takes_the_first_tax_id(samples):
    # given a list of strings named as the party's VAT numbers
    field = {
        "name": "buyer.vatNumbers",
        "type": "array",
        "description": "VAT numbers of the buyer (list of strings)",
    }
    # then a customer's list is its first tax id's value, an invoice's the
    # first of the customer's tax ids it copies
    got = suggest(samples["customer"], field, threshold=None)["buyer.vatNumbers"]
    assert got.source == "tax_ids.data.0.value", got
    got = suggest(samples["invoice"], field, threshold=None)["buyer.vatNumbers"]
    assert got.source == "customer_tax_ids.0.value", got


def test_a_delivery_phone_or_email_is_not_the_customers_own(samples):
    # given the phone and e-mail of the address goods are shipped to, on a
    # document whose Stripe side keeps only the customer's phone and e-mail
    fields = (
        {"name": "ship_to.contactPhone", "description": "Shipping address: phone"},
        {"name": "ship_to.contactEmail", "description": "Shipping address: e-mail"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither takes the customer's
    for field in fields:
        item = got[field["name"]]
        assert item.abstained and not item.source, item


def test_a_full_name_beside_a_company_name_takes_stripes_one_name(samples):
    # given an address with the full name it is written to and a company name
    fields = (
        {"name": "invoice_to.companyName", "description": "Company name"},
        {"name": "invoice_to.recipientFullName", "description": "Full name"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the full name is the customer's name and the company abstains
    full = got["invoice_to.recipientFullName"]
    assert full.source == "customer_name", full
    company = got["invoice_to.companyName"]
    assert company.abstained and not company.source, company


def test_the_order_a_payment_pays_is_the_charges_invoice(samples):
    # given a payment's key of the sale it pays, named as an order
    field = {"name": "salesOrderId", "type": "int", "description": "Order paid"}
    got = suggest(samples["charge"], field, threshold=None)["salesOrderId"]
    # then it is the charge's invoice, through the invoice id map
    assert got.source == "invoice", got
    assert got.transforms == [{"name": "lookup", "params": {"table": "invoice"}}]


def test_beside_an_invoice_key_a_payments_order_key_abstains(samples):
    # given a payment naming both the invoice and the order it pays
    fields = (
        {"name": "paid_invoice_id", "type": "int", "description": "Invoice paid"},
        {"name": "paid_order_id", "type": "int", "description": "Order paid"},
    )
    got = suggest(samples["charge"], *fields, threshold=None)
    # then the invoice key takes the invoice and the order key abstains
    assert got["paid_invoice_id"].source == "invoice", got["paid_invoice_id"]
    order = got["paid_order_id"]
    assert order.abstained and not order.source, order


def test_an_expiry_date_is_read_by_its_name_not_its_condition(samples):
    # given a payment's expiry date described only by when it is required
    field = {
        "name": "reservationExpiry",
        "type": "datetime",
        "description": "Required when the payment kind is HOLD, ignored otherwise",
    }
    got = suggest(samples["charge"], field, threshold=None)["reservationExpiry"]
    # then it is no creation date: the name says when something lapses
    assert got.source != "created", got


def test_when_an_order_was_placed_is_the_invoices_date(samples):
    # given an order standing for the invoice, dated by when it was placed
    field = {
        "name": "orderPlacedOn",
        "type": "date",
        "description": "When the customer placed it",
    }
    got = suggest(samples["invoice"], field, threshold=None)["orderPlacedOn"]
    # then it is the invoice's creation
    assert got.source == "created", got


def test_a_documents_tax_date_is_its_issue_date(samples):
    # given a document's tax point, named as a date
    fields = (
        {"name": "vat_date", "type": "date", "description": "VAT date of the sale"},
        {"name": "taxPointDate", "type": "date"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each is the invoice's creation, not a date of the tax of its own
    for field in fields:
        item = got[field["name"]]
        assert item.source == "created", item


def test_a_comment_the_customer_left_is_not_the_documents_note(samples):
    # given a note described with the buyer as the subject of a bare
    # relative clause, no "that" before it
    field = {"name": "buyerRemark", "description": "Remark the buyer wrote at checkout"}
    got = suggest(samples["invoice"], field, threshold=None)["buyerRemark"]
    # then it is not the invoice's description
    assert got.source != "description", got


def test_the_code_in_a_link_is_not_the_link(samples):
    # given keys a link of the ERP's is made of, named after the link
    fields = (
        {"name": "shareLinkToken", "description": "Token of the shared link"},
        {"name": "portal_url_code", "description": "Code in the portal address"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither is the invoice's page
    for field in fields:
        item = got[field["name"]]
        assert item.abstained and not item.source, item


def test_an_amount_described_as_the_sum_of_the_lines_is_the_subtotal(samples):
    # given a document amount whose name says nothing but whose description
    # adds up its lines
    field = {
        "name": "pricing.itemsValue",
        "type": "decimal",
        "description": "Value of the order: the sum of the lines' prices",
    }
    got = suggest(samples["invoice"], field, threshold=None)["pricing.itemsValue"]
    # then it is the subtotal, not the total
    assert got.source == "subtotal", got


def test_a_contact_key_described_as_the_customers_is_the_customer_too(samples):
    # given a document's customer key, and a billing contact's key described
    # as the key of the customer
    fields = (
        {"name": "buyer.id", "type": "int", "description": "Customer the order is for"},
        {
            "name": "invoicing.personId",
            "type": "int",
            "description": "The ID of the customer to bill, if not the buyer",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then both look the customer up
    for field in fields:
        item = got[field["name"]]
        assert item.source == "customer", item
