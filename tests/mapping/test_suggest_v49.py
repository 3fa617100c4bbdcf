"""Suggester rules added on v51's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a posted document's lines
keeping each amount in a second and a third currency beside the document's),
not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, suggest


def test_an_amount_in_a_dual_or_parent_currency_is_no_stripe_field(samples):
    # given a line's value in the dual and in the parent currency, and the
    # parent currency's code, beside its value in the document's currency
    fields = (
        {
            "name": "rows.0.amount_doc",
            "type": "decimal",
            "description": "Amount of the row in the document currency.",
        },
        {
            "name": "rows.0.amount_dual",
            "type": "decimal",
            "description": "Amount of the row in the dual currency.",
        },
        {
            "name": "rows.0.amount_parent",
            "type": "decimal",
            "description": "Amount of the row in the parent currency.",
        },
        {
            "name": "rows.0.parent_currency",
            "type": "string",
            "description": "Code of the parent currency of the row, if any.",
        },
    )
    # when suggested
    got = suggest(samples["charge"], *fields, threshold=None)
    # then only the document currency's amount is Stripe's
    assert got["rows.0.amount_doc"].source == "amount"
    assert_no_source(got["rows.0.amount_dual"])
    assert_no_source(got["rows.0.amount_parent"])
    assert_no_source(got["rows.0.parent_currency"])


def test_a_link_that_receives_notifications_is_set_up_once(samples):
    # given a link the payment system posts its notices to, named for them
    # or described as a webhook's
    notices = {
        "name": "notice_url",
        "type": "string",
        "description": "URL the payment notifications are sent to.",
    }
    hook = {
        "name": "status_url",
        "type": "string",
        "description": "URL that receives webhook calls on each status change.",
    }
    # when suggested
    got = suggest(samples["invoice"], notices, hook, threshold=None)
    # then neither is the invoice's hosted page
    assert_no_source(got["notice_url"])
    assert_no_source(got["status_url"])


def test_a_payment_lines_value_date_is_the_banks(samples):
    # given a posted payment's and a posted refund's value date on their
    # first row, the document dated by its header
    field = {
        "name": "rows.0.value_date",
        "type": "date",
        "description": "Value date of the row.",
    }
    # when suggested
    on_charge = suggest(samples["charge"], field, threshold=None)
    on_refund = suggest(samples["refund"], field, threshold=None)
    # then neither is when Stripe made the record: the bank credits the row
    assert_no_source(on_charge["rows.0.value_date"])
    assert_no_source(on_refund["rows.0.value_date"])


def test_the_date_a_document_was_last_printed_is_the_erps(samples):
    # given the date an invoice was last put on paper, named for the print
    field = {
        "name": "head.last_print_date",
        "type": "date",
        "description": "The date the invoice was last printed.",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is not when Stripe made the invoice
    assert_no_source(got["head.last_print_date"])


def test_a_buyers_own_creation_date_on_a_document_is_no_stripe_field(samples):
    # given the buyer's signing-up and creation dates inside an invoice's
    # buyer, pre-filled for a checkout
    fields = (
        {
            "name": "buyer.signup_date",
            "type": "date",
            "description": "Buyer details: date the buyer signed up.",
        },
        {
            "name": "buyer.date_added",
            "type": "date",
            "description": "Buyer details: date the buyer was added.",
        },
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither is when Stripe made the invoice
    assert_no_source(got["buyer.signup_date"])
    assert_no_source(got["buyer.date_added"])


def test_a_bare_name_described_as_the_first_name_is_its_first_part(samples):
    # given an invoice's inline buyer whose name is described as the first
    # name, beside its surname
    fields = (
        {
            "name": "buyer.name",
            "type": "string",
            "description": "Buyer to pre-fill: the buyer's first name.",
        },
        {
            "name": "buyer.surname",
            "type": "string",
            "description": "Buyer to pre-fill: the buyer's last name.",
        },
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each is its part of the customer's name
    assert got["buyer.name"].source == "customer_name"
    assert got["buyer.name"].transforms[0]["params"]["part"] == "first"
    assert got["buyer.surname"].transforms[0]["params"]["part"] == "last"


def test_an_identity_document_is_the_customers_tax_id(samples):
    # given a group for the holder's identity document, its number and the
    # code of its kind, beside a phone kept in parts
    fields = (
        {"name": "tel.area_code", "type": "string", "description": "Area code."},
        {"name": "tel.number", "type": "string", "description": "Phone number."},
        {
            "name": "holder_identification.number",
            "type": "string",
            "description": "Identity document of the holder: its number.",
        },
        {
            "name": "holder_identification.type",
            "type": "string",
            "description": "Identity document of the holder: its kind (e.g. NIF).",
        },
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then they are the first tax id's value and its type, mapped, and the
    # phone's number stays the phone
    assert got["tel.number"].source == "phone"
    assert got["holder_identification.number"].source == "tax_ids.data.0.value"
    kind = got["holder_identification.type"]
    assert kind.source == "tax_ids.data.0.type"
    assert kind.transforms[0]["name"] == "value_map"


def test_a_reference_the_integrator_defines_is_the_stripe_id(samples):
    # given a document's external reference left to whoever integrates with
    # the API, to match it with their own systems
    field = {
        "name": "external_reference",
        "type": "string",
        "description": "Integrator-defined reference to match with internal systems.",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is the record's own Stripe id, which the integration sends
    assert got["external_reference"].source == "id"


def test_a_list_of_comments_is_no_one_text(samples):
    # given a record's and its first row's lists of comments
    fields = (
        {
            "name": "Record.Remarks",
            "type": "array",
            "description": "Holds the record's remark list.",
        },
        {
            "name": "Record.Rows.0.Notes",
            "type": "array",
            "description": "Holds the note list of the row.",
        },
    )
    # when suggested
    on_customer = suggest(samples["customer"], fields[0], threshold=None)
    on_invoice = suggest(samples["invoice"], *fields, threshold=None)
    # then no Stripe text fills a list of them
    assert_no_source(on_customer["Record.Remarks"])
    assert_no_source(on_invoice["Record.Remarks"])
    assert_no_source(on_invoice["Record.Rows.0.Notes"])


def test_the_date_a_document_was_keyed_into_the_system_is_the_erps(samples):
    # given the date a posted payment was entered into the user's system
    field = {
        "name": "head.keyed_date",
        "type": "date",
        "description": "The date the receipt was entered into the user's system.",
    }
    # when suggested
    got = suggest(samples["charge"], field, threshold=None)
    # then it is the ERP's own date of entry, not when Stripe made the charge
    assert_no_source(got["head.keyed_date"])


def test_a_password_is_never_stripes(samples):
    # given a customer's password for a supplier's ordering site, named for it,
    # its type an external reference's
    field = {
        "name": "Party.ShopPassword",
        "type": "string",
        "description": (
            "'The password for the user name given in ShopUser.' (quoted, x.xsd)."
            " XSD type com:typeExtRefB; at most 32 characters."
        ),
    }
    # when suggested
    got = suggest(samples["customer"], field, threshold=None)
    # then no Stripe field fills it, the customer's id least of all
    assert_no_source(got["Party.ShopPassword"])


def test_a_link_to_an_attached_image_is_not_the_documents_page(samples):
    # given a document's link to a scanned image attached to it
    field = {
        "name": "Head.ScanFile",
        "type": "string",
        "description": "The URL of an attached image file.",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is not the invoice's hosted page nor its PDF
    assert_no_source(got["Head.ScanFile"])


def test_a_value_the_erp_selects_from_its_database_is_its_own(samples):
    # given an amount the ERP fills by a selector it runs on its database
    field = {
        "name": "PickedAmount",
        "type": "decimal",
        "description": "Holds an amount selected from the database by a selector.",
    }
    # when suggested
    got = suggest(samples["charge"], field, threshold=None)
    # then Stripe's amount does not fill it
    assert_no_source(got["PickedAmount"])


def test_a_tax_turnover_is_not_the_tax(samples):
    # given a tax row's turnover: the lines' values the tax is charged on
    field = {
        "name": "rows.0.vat_turnover",
        "type": "decimal",
        "description": "The turnover of a tax row: the sum of the values taxed.",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is neither the tax nor any amount Stripe keeps
    assert_no_source(got["rows.0.vat_turnover"])


def test_an_invoice_lines_due_date_is_the_invoices(samples):
    # given the due date of an invoice's first posted line
    field = {
        "name": "Entries.Line.0.DueDate",
        "type": "date",
        "description": "The due date for the entry line.",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then Stripe's one due date, of the whole invoice, fills it
    assert got["Entries.Line.0.DueDate"].source == "due_date"


def test_a_goods_lines_bare_id_is_the_lines_own(samples):
    # given the identifier of an invoice's first entry of its goods
    field = {
        "name": "positions.0.id",
        "type": "string",
        "description": "Positions of the invoice, the first: unique identifier.",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is the first line's Stripe id, not the invoice's
    assert got["positions.0.id"].source == "lines.data.0.id"
