"""Suggester rules added on v26's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a document's amounts kept
again in the company's currency, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import lookup, suggest


def test_amounts_and_codes_in_a_second_currency_have_no_source(samples):
    # given an invoice keeping its totals once more in the company's currency,
    # beside its own total, currency and the shop's and group's currencies
    fields = (
        {"name": "grand_total", "type": "decimal", "description": "Grand total"},
        {"name": "home_grand_total", "type": "decimal", "description": "Total"},
        {"name": "base_net_total", "type": "decimal", "description": "Net total"},
        {"name": "functionalTaxAmount", "type": "decimal", "description": "Tax"},
        {"name": "currency_code", "description": "Currency of the document"},
        {"name": "store_currency", "description": "Currency of the shop"},
        {"name": "globalCurrency", "description": "Currency of the group"},
    )
    got = suggest(samples["invoice"], *fields)
    # then the document's own total and currency keep Stripe's, the others none
    assert got["grand_total"].source == "total", got["grand_total"]
    assert got["currency_code"].source == "currency", got["currency_code"]
    for name in (
        "home_grand_total",
        "base_net_total",
        "functionalTaxAmount",
        "store_currency",
        "globalCurrency",
    ):
        assert got[name].source == "", got[name]


def test_dates_described_as_a_service_periods_bounds_have_no_source(samples):
    # given an invoice's date and the bounds of its delivery period, named
    # only as dates and described by the period they bound
    fields = (
        {"name": "invoice_date", "type": "date", "description": "Invoice date"},
        {
            "name": "supply.begin_date",
            "type": "date",
            "description": "Delivery period: from",
        },
        {
            "name": "supply.until_date",
            "type": "date",
            "description": "Delivery period: until",
        },
    )
    got = suggest(samples["invoice"], *fields)
    # then the invoice's date is Stripe's creation, the bounds have none
    assert got["invoice_date"].source == "created", got["invoice_date"]
    assert got["supply.begin_date"].source == "", got["supply.begin_date"]
    assert got["supply.until_date"].source == "", got["supply.until_date"]


def test_a_phone_beside_a_mobile_takes_stripes_phone(samples):
    # given a customer's numbered phone and a cell phone, both looking alike
    fields = (
        {"name": "tel_1", "description": "Telephone"},
        {"name": "cell", "description": "Cell phone number"},
    )
    got = suggest(samples["customer"], *fields)
    # then the phone takes Stripe's one phone, the cell phone none
    assert got["tel_1"].source == "phone", got["tel_1"]
    assert got["cell"].source == "", got["cell"]


def test_a_middle_name_has_no_source(samples):
    # given a customer's first, middle and last names, the middle one written
    # as one word
    fields = (
        {"name": "contact.firstname", "description": "Given name"},
        {"name": "contact.middlename", "description": "Middle name"},
        {"name": "contact.lastname", "description": "Family name"},
    )
    got = suggest(samples["customer"], *fields)
    # then the first and last split Stripe's name, the middle one has none
    assert got["contact.firstname"].source == "name", got["contact.firstname"]
    assert got["contact.lastname"].source == "name", got["contact.lastname"]
    assert got["contact.middlename"].source == "", got["contact.middlename"]


def test_a_streets_list_entries_are_its_lines_in_order(samples):
    # given a customer's street given as a list of lines, counted from 0
    fields = (
        {"name": "billing.street.0", "description": "Street"},
        {"name": "billing.street.1", "description": "Street"},
        {"name": "billing.city", "description": "City"},
    )
    got = suggest(samples["customer"], *fields)
    # then the first entry is Stripe's first line, the second its second
    assert got["billing.street.0"].source == "address.line1", got["billing.street.0"]
    assert got["billing.street.1"].source == "address.line2", got["billing.street.1"]


def test_a_persons_gender_or_salutation_has_no_source(samples):
    # given a client's coded gender and salutation beside its name
    fields = (
        {"name": "client.name", "description": "Name of the client"},
        {"name": "client.sex", "type": "int", "description": "Sex"},
        {"name": "client.salutation", "description": "Salutation"},
    )
    got = suggest(samples["customer"], *fields)
    # then the name is Stripe's, the gender and salutation have none
    assert got["client.name"].source == "name", got["client.name"]
    assert got["client.sex"].source == "", got["client.sex"]
    assert got["client.salutation"].source == "", got["client.salutation"]


def test_a_state_described_by_a_documents_stages_is_no_place(samples):
    # given an invoice's coded state, its description listing the stages of
    # its life, beside the customer's address state
    fields = (
        {
            "name": "doc_state",
            "type": "int",
            "description": "State of the document: 0 draft, 1 sent, 2 paid, 9 void",
        },
        {"name": "customer_state", "description": "State of the customer's address"},
    )
    got = suggest(samples["invoice"], *fields)
    # then the document's state has no source, the address's is the address's
    assert got["doc_state"].source == "", got["doc_state"]
    assert got["customer_state"].source == "customer_address.state", got[
        "customer_state"
    ]


def test_a_documents_count_of_items_is_no_amount(samples):
    # given an invoice's total and the count of the items on it
    fields = (
        {"name": "total", "type": "decimal", "description": "Grand total"},
        {"name": "total_quantity", "type": "decimal", "description": "Items in all"},
        {"name": "itemCount", "type": "int", "description": "Number of items"},
    )
    got = suggest(samples["invoice"], *fields)
    # then the total is Stripe's total, the counts have no source
    assert got["total"].source == "total", got["total"]
    assert got["total_quantity"].source == "", got["total_quantity"]
    assert got["itemCount"].source == "", got["itemCount"]


def test_a_prefix_named_as_a_text_is_the_documents_text(samples):
    # given an invoice's text put before its items, named as a prefix text,
    # beside a number's prefix
    fields = (
        {"name": "intro_text_prefix", "description": "Text shown above the lines"},
        {"name": "number_prefix", "description": "Prefix of the invoice number"},
    )
    got = suggest(samples["invoice"], *fields)
    # then the text is the invoice's description, the number's prefix none
    assert got["intro_text_prefix"].source == "description", got["intro_text_prefix"]
    assert got["number_prefix"].source == "", got["number_prefix"]


def test_texts_placed_apart_are_told_by_place_not_by_plainer_name(samples):
    # given a credit note's text before its items and its text after them,
    # the one after named more plainly
    fields = (
        {"name": "note_head", "description": "Note printed above the positions"},
        {"name": "note", "description": "Note printed below the positions"},
    )
    got = suggest(samples["credit_note"], *fields)
    # then the text before the items takes the memo; a credit note has no
    # footer, so the text after them has no source
    assert got["note_head"].source == "memo", got["note_head"]
    assert got["note"].source == "", got["note"]


def test_a_credit_notes_whole_number_reference_key_is_the_invoice(samples):
    # given a credit note's whole-number key of the document it refers to,
    # beside its own text reference
    fields = (
        {"name": "reference.id", "type": "int", "description": "Referenced record"},
        {"name": "reference_no", "description": "Reference of the credit note"},
    )
    got = suggest(samples["credit_note"], *fields)
    # then the key is the invoice it credits, through the invoice map, and
    # the text reference is not
    assert got["reference.id"].source == "invoice", got["reference.id"]
    assert lookup(got["reference.id"]) == "invoice", got["reference.id"]
    assert got["reference_no"].source != "invoice", got["reference_no"]


def test_a_tax_id_given_with_the_shipping_address_has_no_source(samples):
    # given a customer's VAT number on its billing and on its delivery address
    fields = (
        {"name": "invoice_address.vat_no", "description": "VAT number"},
        {"name": "delivery_address.vat_no", "description": "VAT number"},
    )
    got = suggest(samples["customer"], *fields)
    # then the billing one is Stripe's tax id, the delivery one has none
    billing, delivery = got["invoice_address.vat_no"], got["delivery_address.vat_no"]
    assert billing.source == "tax_ids.data.0.value", billing
    assert delivery.source == "", delivery


def test_a_payment_field_whose_examples_are_ways_to_pay_is_its_method(samples):
    # given a payment's free-text kind, its examples naming ways to pay, and
    # a kind whose examples name none
    fields = (
        {"name": "kind", "description": "How it was paid, e.g. Mastercard, cash"},
        {"name": "category", "description": "Category, e.g. rent, fees"},
    )
    got = suggest(samples["charge"], *fields)
    # then the first is Stripe's payment method, mapped; the other is not
    assert got["kind"].source == "payment_method_details.type", got["kind"]
    assert got["kind"].transforms[0]["name"] == "value_map", got["kind"]
    assert got["category"].source != "payment_method_details.type", got["category"]


def test_a_notice_on_a_payment_is_its_description(samples):
    # given a payment's notice, named and described by that word alone
    field = {"name": "payment_notice", "description": "Notice"}
    got = suggest(samples["charge"], field)["payment_notice"]
    # then it is the payment's description
    assert got.source == "description", got
