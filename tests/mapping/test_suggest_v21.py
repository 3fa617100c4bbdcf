"""Suggester rules added on v23's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (an e-mail's copies'
recipients, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import suggest


def test_an_emails_copies_recipients_are_not_the_customers_email(samples):
    # given a customer with its own e-mail and the addresses copies go to
    fields = (
        {"name": "email", "description": "E-mail the invoices go to"},
        {"name": "bccEmail", "description": "Blind copy address"},
        {
            "name": "copy_to",
            "type": "array",
            "description": "E-mail addresses copied on every reminder sent",
        },
        {
            "name": "cc_emails",
            "description": "Additional email addresses receiving the account's mail",
        },
        {"name": "phone_cc", "description": "Calling code of the phone number"},
    )
    got = suggest(samples["customer"], *fields)
    # then only the main field takes the customer's e-mail
    assert got["email"].source == "email", got["email"]
    assert got["cc_emails"].source == "", got["cc_emails"]
    assert got["bccEmail"].source == "", got["bccEmail"]
    assert got["copy_to"].source == "", got["copy_to"]
    assert got["phone_cc"].source != "email", got["phone_cc"]


def test_a_discounts_text_is_not_the_customers_description(samples):
    # given a customer with notes of its own and its standing discount's text
    fields = (
        {"name": "extra_info", "description": "Extra information on the customer"},
        {
            "name": "discount_description",
            "description": "Description of the customer's standing discount",
        },
    )
    got = suggest(samples["customer"], *fields)
    # then the discount's text has no source and the notes take the description
    assert got["discount_description"].source == "", got["discount_description"]
    assert got["extra_info"].source == "description", got["extra_info"]


def test_a_list_of_discounts_is_not_the_documents_lines(samples):
    # given an invoice with its goods lines and a list of discounts beside them
    fields = (
        {"name": "rows", "type": "lines", "description": "Goods sold"},
        {"name": "discounts", "type": "lines", "description": "Discounts applied"},
    )
    got = suggest(samples["invoice"], *fields)
    # then only the goods lines take Stripe's lines
    assert got["rows"].source == "lines.data", got["rows"]
    assert got["discounts"].source == "", got["discounts"]


def test_a_form_of_address_is_not_the_email_or_name_beside_it(samples):
    # given a customer's e-mail and name, each with a form of address beside it
    fields = (
        {"name": "email", "description": "E-mail the invoices go to"},
        {"name": "mail_greeting", "description": "Greeting opening the e-mail"},
        {"name": "name", "description": "Full name"},
        {"name": "name_salutation", "description": "How the person is addressed"},
    )
    got = suggest(samples["customer"], *fields)
    # then only the e-mail and the name take Stripe's
    assert got["email"].source == "email", got["email"]
    assert got["name"].source == "name", got["name"]
    assert got["mail_greeting"].source == "", got["mail_greeting"]
    assert got["name_salutation"].source == "", got["name_salutation"]


def test_a_text_about_the_tax_is_not_the_customers_tax_id(samples):
    # given an invoice with the customer's VAT number and a note on the VAT
    fields = (
        {"name": "customer_vat_number", "description": "Customer's VAT number"},
        {"name": "vat_notes", "description": "VAT notes printed on the invoice"},
        {"name": "vat_reverse_charge_text", "description": "Text on reverse charge"},
    )
    got = suggest(samples["invoice"], *fields)
    # then only the number takes the customer's tax id
    assert got["customer_vat_number"].source == "customer_tax_ids.0.value", got[
        "customer_vat_number"
    ]
    assert got["vat_notes"].source == "", got["vat_notes"]
    assert got["vat_reverse_charge_text"].source == "", got["vat_reverse_charge_text"]


def test_an_addresss_extra_information_is_its_second_line(samples):
    # given a customer's street, its address's extra information and notes
    fields = (
        {"name": "street", "description": "Street and number"},
        {"name": "address_additional_info", "description": "More on the address"},
        {"name": "notes", "description": "Notes on the customer"},
    )
    got = suggest(samples["customer"], *fields)
    # then the extra information is the address's second line
    assert got["street"].source == "address.line1", got["street"]
    assert got["address_additional_info"].source == "address.line2", got[
        "address_additional_info"
    ]
    assert got["notes"].source == "description", got["notes"]


def test_a_list_of_keys_of_the_erps_records_has_no_source(samples):
    # given an invoice with lists of keys of the ERP's labels and groups
    fields = (
        {"name": "tag_label_ids", "type": "array", "description": "Ids of labels"},
        {"name": "group_ids", "type": "array", "description": "Ids of groups"},
        {"name": "lines", "type": "lines", "description": "Invoice lines"},
    )
    got = suggest(samples["invoice"], *fields)
    # then neither list takes a Stripe field, and the lines still take the lines
    assert got["tag_label_ids"].source == "", got["tag_label_ids"]
    assert got["group_ids"].source == "", got["group_ids"]
    assert got["lines"].source == "lines.data", got["lines"]
