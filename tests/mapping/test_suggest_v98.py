"""Suggester rules added on v100's former held-out part (Getnet, YouCan).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v67's `described`; each rule has a near case
that must not fire.
"""

from tests.mapping.suggesting import described, lookup, sourced, suggest


def documented(*names):
    """An API reference's optional strings, each described by its own words."""
    return [
        described(name, "string (Required: no)", f"The member's {name}")
        for name in names
    ]


def untyped(*names, said=""):
    """A request's keys with no type given, each described by the same words."""
    return [described(name, "not given", said) for name in names]


def test_a_country_above_an_address_with_its_code_is_the_name(samples):
    # given a member's country at the top of the record, and a first
    # address under it that gives the country's code
    fields = documented("country", "addresses.0.city", "addresses.0.country_code")
    # when suggested on a Stripe customer
    items = suggest(samples["customer"], *fields)
    # then the address keeps the code as it is and the country above it is
    # the country's name
    assert (items["addresses.0.country_code"].transforms) == []
    country = items["country"]
    assert country.source == "address.country"
    assert country.transforms == [{"name": "country_code", "params": {"to": "name"}}]


def test_a_country_beside_a_phones_code_stays_the_code(samples):
    # given a member's country beside a phone's country code (the near
    # case: a code that is no address's)
    fields = documented("country", "phones.0.country_code")
    # when suggested on a Stripe customer, then the country is the code as
    # it is
    country = suggest(samples["customer"], *fields)["country"]
    assert (country.source, country.transforms) == ("address.country", [])


def test_a_date_key_glossed_as_the_due_date_is_the_due_date(samples):
    # given a form's key with no type, named for a voucher's expiry date,
    # its description giving the vendor's term and, after a dash, the plain
    # one ("Voucher expiry date - Due date.")
    expiry = described(
        "voucher.expiry_date", "not given", "Voucher expiry date - Due date."
    )
    # when suggested on a Stripe invoice, with the calibrated cut
    item = sourced(samples, "invoice", expiry, threshold=None)
    # then it is shown as the invoice's due date, the Unix seconds written
    # as a date
    assert item.source == "due_date"
    assert [step["name"] for step in item.transforms] == ["unix_to_date"]


def test_a_date_key_glossed_as_something_else_is_no_due_date(samples):
    # given the same key glossed as the voucher's issue date (the near case)
    issued = described(
        "voucher.expiry_date", "not given", "Voucher expiry date - Issue date."
    )
    # when suggested on a Stripe invoice, then it is not the due date
    assert sourced(samples, "invoice", issued).source != "due_date"


def test_a_text_described_first_as_the_statement_descriptor_is_it(samples):
    # given a payment's key with no type, named for the gateway's own term
    # and described first as the statement descriptor, then glossed
    descriptor = described(
        "payment.card_label", "not given", "Statement descriptor - Order text."
    )
    # when suggested on a Stripe charge, with the calibrated cut
    item = sourced(samples, "charge", descriptor, threshold=None)
    # then it is shown as the charge's statement descriptor
    assert item.source == "statement_descriptor"


def test_a_text_naming_the_statement_descriptor_later_is_not_it(samples):
    # given a suffix described as added to the statement descriptor (the
    # near case: the descriptor is not what the field is)
    suffix = described(
        "payment.card_label",
        "not given",
        "A suffix added to the statement descriptor.",
    )
    # when suggested on a Stripe charge, then it is not the descriptor
    assert sourced(samples, "charge", suffix).source != "statement_descriptor"


def test_a_document_number_in_a_payers_group_is_the_payers_tax_id(samples):
    # given a slip's payer group with the number of the payer's document,
    # and the slip's own document number beside it (the near case: a
    # document number in no party's group)
    fields = untyped(
        "payer.document_number", "slip.document_number", said="no description"
    )
    # when suggested on a Stripe invoice
    items = suggest(samples["invoice"], *fields)
    # then the payer's is the customer's tax id and the slip's is the
    # invoice's number
    assert items["payer.document_number"].source == "customer_tax_ids.0.value"
    assert items["slip.document_number"].source == "number"


def test_a_sales_tax_is_the_tax_shown(samples):
    # given an order's sales tax, typed "not given", described by its name
    tax = described("order.sales_tax", "not given", "Sales tax of the order.")
    # when suggested on a Stripe invoice, with the calibrated cut
    item = sourced(samples, "invoice", tax, threshold=None)
    # then it is shown as the invoice's tax
    assert item.source == "tax"


def test_a_sales_order_number_is_still_an_orders(samples):
    # given a sales order's number (the near case: "sales" before no tax)
    number = described("sales_order_number", "string", "Number of the sales order.")
    # when suggested on a Stripe invoice, then it is not the tax
    assert sourced(samples, "invoice", number).source != "tax"


def test_a_payments_key_on_a_credit_note_is_its_invoices(samples):
    # given a cancellation's key of the payment it cancels, with no
    # description, and a key of the transaction beside it (the near case:
    # a transaction's key names no payment)
    fields = untyped("payment_key", "transaction_key")
    # when suggested on a Stripe credit note
    items = suggest(samples["credit_note"], *fields)
    # then the payment is the one made for the invoice credited, found
    # through the invoice map, and the transaction's key is no invoice
    assert items["payment_key"].source == "invoice"
    assert lookup(items["payment_key"]) == "invoice"
    assert items["transaction_key"].source != "invoice"
