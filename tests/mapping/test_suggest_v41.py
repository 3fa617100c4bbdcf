"""Suggester rules added on v43's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (an address of numbered
administrative areas described in quoted reference text, ...), not copied
from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, lookup, suggest


def _quoted(name: str, text: str) -> str:
    return f"body buyer → address, `{name}` (string): '{text}' (quoted)"


def test_numbered_areas_described_as_a_city_and_a_state_take_them(samples):
    # given an address whose city and state are numbered administrative
    # areas, each described in quoted reference text, beside a third street
    # line for directions and a smaller area for a district
    fields = (
        {"name": "buyer.address.line_1", "type": "string"},
        {"name": "buyer.address.line_2", "type": "string"},
        {
            "name": "buyer.address.line_3",
            "type": "string",
            "description": _quoted(
                "line_3",
                "The third line of the address, if needed: directions or a landmark.",
            ),
        },
        {
            "name": "buyer.address.area_1",
            "type": "string",
            "description": _quoted(
                "area_1",
                "The largest sub-division of a country, such as a state or a province.",
            ),
        },
        {
            "name": "buyer.address.area_2",
            "type": "string",
            "description": _quoted(
                "area_2", "A city, town or village. Inside level 1."
            ),
        },
        {
            "name": "buyer.address.area_4",
            "type": "string",
            "description": _quoted("area_4", "The ward or district. Inside level 3."),
        },
        {"name": "buyer.address.zip", "type": "string"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the city and the state are the areas described as them
    assert got["buyer.address.area_2"].source == "address.city"
    assert got["buyer.address.area_1"].source == "address.state"
    # and neither the third street line nor the district is the city or state
    assert_no_source(got["buyer.address.line_3"])
    assert_no_source(got["buyer.address.area_4"])


def test_fields_placed_in_a_body_object_are_not_the_sending_email(samples):
    # given an invoice's note, date and recipient e-mail placed in the request
    # body's objects ("body header, `note`"), their quoted text naming the
    # notification e-mail or the sender who sets them
    fields = (
        {
            "name": "header.note",
            "type": "string",
            "description": "body header, `note` (string): 'A note to the "
            "recipient. Also shown in the notification email.' (quoted)",
        },
        {
            "name": "header.issue_date",
            "type": "date",
            "description": "body header, `issue_date` (string): 'The date of "
            "the invoice as set by the sender.' (quoted)",
        },
        {
            "name": "payer.0.contact.email_address",
            "type": "string",
            "description": "body payer (first item) → contact, `email_address` "
            "(string): 'The recipient email address. Without it no "
            "notification email is sent.' (quoted)",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each takes its own Stripe field, not the integration's e-mail setting
    assert got["header.note"].source == "description", got["header.note"]
    assert got["header.issue_date"].source == "created", got["header.issue_date"]
    assert got["payer.0.contact.email_address"].source == "customer_email"


def test_a_money_value_nested_under_shipping_is_a_carriage_charge(samples):
    # given an invoice's summary holding a money object for its shipping,
    # whose value sits under the money object (shipping.amount.value)
    fields = (
        {"name": "summary.shipping.amount.value", "type": "decimal"},
        {"name": "summary.freight.price.value", "type": "decimal"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither is the invoice's total: Stripe keeps no carriage apart
    assert_no_source(got["summary.shipping.amount.value"])
    assert_no_source(got["summary.freight.price.value"])


def test_a_currency_code_of_a_money_object_without_an_amount_has_no_source(samples):
    # given an invoice's money objects, each a currency code and a value: the
    # total's, which Stripe has, and a partial payment's least amount,
    # which it has not
    fields = (
        {"name": "total.currency_code", "type": "string"},
        {"name": "total.value", "type": "decimal"},
        {"name": "partial_payment.least.currency_code", "type": "string"},
        {
            "name": "partial_payment.least.value",
            "type": "decimal",
            "description": "The least amount the payer may pay in a partial payment.",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the total's currency is the invoice's; the least payment's has none
    assert got["total.currency_code"].source == "currency"
    assert_no_source(got["partial_payment.least.value"])
    assert_no_source(got["partial_payment.least.currency_code"])


def test_the_first_entry_of_a_documents_detail_list_is_its_first_line(samples):
    # given an invoice's detail lines (a list named "detail"), its first
    # entry's text, net amount and quantity
    fields = (
        {"name": "header.description", "type": "string"},
        {"name": "detail.0.description", "type": "string"},
        {"name": "detail.0.net", "type": "decimal"},
        {"name": "detail.0.qty", "type": "decimal"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then they are the first line's, not the document's
    assert got["detail.0.description"].source == "lines.data.0.description"
    assert got["detail.0.net"].source == "lines.data.0.amount"
    assert got["detail.0.qty"].source == "lines.data.0.quantity"


def test_an_address_overriding_the_one_on_file_has_no_source(samples):
    # given an invoice's addresses, each one text that replaces the address
    # on the customer's record, left blank to keep it
    fields = (
        {
            "name": "ShippingAddress",
            "type": "string",
            "description": "The ship-to address of this invoice. Leave blank to "
            "use the default from the customer.",
        },
        {
            "name": "billing_address",
            "type": "string",
            "description": "An address to override the default on file.",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither takes Stripe's street line
    assert_no_source(got["ShippingAddress"])
    assert_no_source(got["billing_address"])


def test_a_sides_numbered_lines_are_its_address_lines(samples):
    # given a customer's delivery address as numbered lines named only for
    # the side (Shipping1 to Shipping4) beside a state of its own
    fields = (
        {"name": "Shipping1", "type": "string"},
        {"name": "Shipping2", "type": "string"},
        {"name": "Shipping3", "type": "string"},
        {"name": "Shipping4", "type": "string"},
        {"name": "ShippingState", "type": "string"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then line 3 conventionally holds the city, and line 4 leaves the state
    # to the field named for it
    assert got["Shipping3"].source == "shipping.address.city"
    assert got["ShippingState"].source == "shipping.address.state"
    assert_no_source(got["Shipping4"])


def test_a_currency_whose_description_gives_three_characters_is_the_iso_code(samples):
    # given a customer's currency described inside its record's reference
    # entry ("Account record; type T, size 3"), with no length of its own
    fields = (
        {
            "name": "Currency",
            "type": "string",
            "description": "`Currency` (Account record; type T, size 3): "
            "'The currency of the account (blank if local)' (quoted)",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then it holds the ISO code itself, not a currency record's key
    assert got["Currency"].source == "currency"
    assert got["Currency"].transforms == [{"name": "upper"}]


def test_a_custom_amount_is_entered_by_hand(samples):
    # given an invoice's summary with a custom amount: a money object whose
    # group is described as the custom amount applied to the invoice
    fields = (
        {
            "name": "summary.custom.money.currency_code",
            "type": "string",
            "description": "'The ISO currency code.' (quoted); the custom "
            "object: 'A custom amount applied to the invoice.' (quoted)",
        },
        {
            "name": "summary.custom.money.value",
            "type": "decimal",
            "description": "'The value.' (quoted); the custom object: 'A "
            "custom amount applied to the invoice.' (quoted)",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither the value nor its currency has a source
    assert_no_source(got["summary.custom.money.value"])
    assert_no_source(got["summary.custom.money.currency_code"])


def test_a_business_name_beside_a_persons_split_name_has_no_source(samples):
    # given a delivery block on an address that splits the recipient's name
    # into first and last, beside the business's name
    fields = (
        {"name": "delivery.business_name", "type": "string"},
        {"name": "delivery.name.first_name", "type": "string"},
        {"name": "delivery.name.last_name", "type": "string"},
        {"name": "delivery.address.line1", "type": "string"},
    )
    got = suggest(samples["charge"], *fields, threshold=None)
    # then the business's name has no source: Stripe keeps the one name
    assert_no_source(got["delivery.business_name"])


def test_a_field_whose_quoted_text_opens_on_deprecated_is_retired(samples):
    # given a customer's name part whose quoted reference text opens on
    # "DEPRECATED." before saying what it held
    fields = (
        {
            "name": "contact.name.other_name",
            "type": "string",
            "description": "body contact → name, `other_name` (string): "
            "'DEPRECATED. Another name for the party, such as a nickname.' "
            "(quoted)",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then it has no source: the field replacing it takes the value
    assert_no_source(got["contact.name.other_name"])


def test_a_number_in_a_documents_phone_list_is_the_phone(samples):
    # given an invoice's recipient phones, a list whose description names
    # the invoice, and its first entry's national number
    fields = (
        {
            "name": "recipient.phones.0.local_number",
            "type": "string",
            "description": "'The local number, without the country code.' "
            "(quoted); the phones object: 'The invoice recipient's phone "
            "numbers.' (quoted)",
        },
        {"name": "invoice_number", "type": "string"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is the customer's phone, not the invoice's own number
    assert got["recipient.phones.0.local_number"].source == "customer_phone"
    assert got["invoice_number"].source == "number"


def test_a_date_on_an_invoices_first_item_is_the_items_own(samples):
    # given an invoice's first item with the date its service was given
    fields = (
        {"name": "issue_date", "type": "date"},
        {
            "name": "positions.0.service_date",
            "type": "date",
            "description": "The date the item was delivered or the service given.",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the invoice's date is its creation, and the item's has no source
    assert got["issue_date"].source == "created"
    assert_no_source(got["positions.0.service_date"])


def test_the_currency_code_of_a_tax_amount_is_the_documents_currency(samples):
    # given an invoice's tax total as a money object: a value and the
    # currency code it is in
    fields = (
        {"name": "sums.vat_sum.currency_code", "type": "string"},
        {"name": "sums.vat_sum.value", "type": "decimal"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the code is the invoice's currency, not a tax code setting
    assert got["sums.vat_sum.currency_code"].source == "currency"


def test_a_tables_internal_name_does_not_make_a_note_private(samples):
    # given an invoice's text whose description places it in a table by that
    # table's internal name
    fields = (
        {
            "name": "Remark",
            "type": "string",
            "description": "`Remark` (Sales record, internal name Sale; type T): "
            "'The description of the sale.' (quoted)",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is the invoice's description, not a private note
    assert got["Remark"].source == "description", got["Remark"]


def test_our_reference_described_as_the_documents_number_is_its_number(samples):
    # given an invoice's "our reference" described as the reference number
    # the record is known by (the invoice's number for an invoice)
    fields = (
        {
            "name": "OurRefNo",
            "type": "string",
            "description": "The reference number of the record (invoice # for "
            "sales invoices, receipt # for receipts).",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is the invoice's number, not the seller's contact setting
    assert got["OurRefNo"].source == "number", got["OurRefNo"]


def test_a_note_about_the_recipient_is_not_the_documents_text(samples):
    # given an invoice's recipient block with a free text described as being
    # about the recipient, and no note of the invoice's own
    fields = (
        {"name": "buyer.name", "type": "string"},
        {
            "name": "buyer.extra_info",
            "type": "string",
            "description": "Any further information about the buyer.",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the recipient's text is not the invoice's description
    assert_no_source(got["buyer.extra_info"])


def test_the_label_of_an_extra_amount_is_not_the_documents_text(samples):
    # given the label of an extra charge in an invoice's summary
    fields = (
        {
            "name": "summary.extra.label",
            "type": "string",
            "description": "The label to the extra amount of the invoice.",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is not the invoice's description: it names the amount
    assert_no_source(got["summary.extra.label"])


def test_an_invoice_named_on_a_refund_is_the_one_booked_for_its_charge(samples):
    # given a refund recorded against an invoice, named by its key
    fields = (
        {
            "name": "invoice_key",
            "type": "string",
            "description": "The ID of the invoice the refund is recorded on.",
        },
    )
    got = suggest(samples["refund"], *fields, threshold=None)
    # then it is the record made for the refunded charge, through the id map
    assert got["invoice_key"].source == "charge", got["invoice_key"]
    assert lookup(got["invoice_key"]) == "charge"


def test_a_key_quoted_as_the_customer_or_supplier_code_is_the_customer(samples):
    # given an invoice's party key, its reference entry quoting it as the
    # customer's or the supplier's code
    fields = (
        {
            "name": "NameKey",
            "type": "string",
            "description": "`NameKey` (Document record; type T, size 11): "
            "'Customer or Supplier Code' (quoted)",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then on a sales document it is the customer, through the id map
    assert got["NameKey"].source == "customer", got["NameKey"]
    assert lookup(got["NameKey"]) == "customer"


def test_a_field_described_as_the_other_partys_name_takes_it(samples):
    # given a payment's counterparty field named by its direction, described
    # as the other party's name
    fields = (
        {
            "name": "Payee",
            "type": "string",
            "description": "'The name of the other party.' (quoted)",
        },
    )
    got = suggest(samples["charge"], *fields, threshold=None)
    # then it is the name the payment was billed to
    assert got["Payee"].source == "billing_details.name", got["Payee"]
