"""Suggester rules added on v61's former held-out part: each a class of
misses.

The fields are made up in the shape the misses had (a building's outer and
inner numbers given apart under an address group, as Latin American
addresses give them; a party's tax identity grouped as its fiscal entity,
singular or a list's first item, with its legal name and address parts
below it; a timestamp described as when a transaction or its entry was
entered; an order's payments as an indexed list of charges, each with its
amount; a date named for reconciling the books with the bank; a journal
leg's amount described as kept in the units of the account it posts to;
the person a shipment is handed to, named by that role under a shipping
group; the ledger account a journal leg posts to, described by the
customer's receivable account it is; a goods line with both a name and a
description; the text of the first tax or discount listed; a journal leg's
reconciliation state; a list's first row described as the first invoice
entry; the transaction a document's posting made; a reference described
as custom, on a payment listed under an order; an amount only an expense
voucher carries; a customer's key named id, described as its customer
number; the key of the owner a document belongs to, described as its
customer), not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, lookup, suggest


def test_a_building_s_outer_and_inner_numbers_have_no_source(samples):
    # given the outer and inner numbers of the building under an address
    fields = (
        {"name": "billing_entity.address.external_number", "type": "string"},
        {"name": "billing_entity.address.internal_number", "type": "string"},
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields, threshold=None)
    # then neither has a source: Stripe keeps the number in the street line,
    # and an outer number is no key of another system
    assert_no_source(got["billing_entity.address.external_number"])
    assert_no_source(got["billing_entity.address.internal_number"])


def test_a_fiscal_entity_is_the_party_not_a_setting(samples):
    # given a customer's fiscal entity: its legal name and its address
    fields = (
        {"name": "fiscal_entities.0.legal_name", "type": "string"},
        {"name": "fiscal_entities.0.address.city", "type": "string"},
        {"name": "fiscal_entities.0.address.postal_code", "type": "string"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields, threshold=None)
    # then they are the customer's name and address, not settings
    assert got["fiscal_entities.0.legal_name"].source == "name"
    assert got["fiscal_entities.0.address.city"].source == "address.city"
    assert got["fiscal_entities.0.address.postal_code"].source == "address.postal_code"


def test_when_a_transaction_was_entered_has_no_source(samples):
    # given the books' stamps of when a transaction, and an entry of it, was
    # keyed in
    fields = (
        {
            "name": "entered_at",
            "type": "datetime",
            "description": "when the transaction was entered, set by the ledger",
        },
        {
            "name": "lines.0.entered_on",
            "type": "datetime",
            "description": "first line: when the entry was entered",
        },
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields, threshold=None)
    # then neither is when Stripe made the charge
    assert_no_source(got["entered_at"])
    assert_no_source(got["lines.0.entered_on"])


def test_an_indexed_list_of_charges_holds_the_payments(samples):
    # given an order's payments as a list of charges, the first's amount
    fields = ({"name": "payment.charges.0.amount", "type": "int"},)
    # when suggested on a charge
    got = suggest(samples["charge"], *fields, threshold=None)
    # then it is the charge's amount, not the bank's charges (a setting)
    assert got["payment.charges.0.amount"].source == "amount"


def test_a_reconciliation_date_is_no_date_of_a_payout(samples):
    # given the date a ledger line was reconciled with the bank statement
    fields = ({"name": "bank_reconcile_at", "type": "datetime"},)
    # when suggested on a payout
    got = suggest(samples["payout"], *fields, threshold=None)
    # then it is the books', not when the payout arrived
    assert_no_source(got["bank_reconcile_at"])


def test_an_amount_in_the_account_s_units_is_the_amount(samples):
    # given a journal leg's amount, described as kept in the units of the
    # account it posts to
    fields = (
        {
            "name": "legs.0.units",
            "type": "decimal",
            "description": "leg 0 (the bank account, debited): the leg's amount "
            "in the account's own commodity",
        },
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields, threshold=None)
    # then it is the charge's amount, not the account (a setting)
    assert got["legs.0.units"].source == "amount"


def test_the_receiver_of_a_shipment_is_the_shipping_name(samples):
    # given the person a delivery is handed to, under a shipping group
    fields = (
        {
            "name": "shipping_info.receiver",
            "type": "string",
            "description": "Name of the person who gets the delivery",
        },
        {"name": "shipping_info.phone", "type": "string"},
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields, threshold=None)
    # then it is the shipping details' name
    assert got["shipping_info.receiver"].source == "shipping.name"
    # and on an invoice, the customer's shipping name
    got = suggest(samples["invoice"], *fields, threshold=None)
    assert got["shipping_info.receiver"].source == "customer_shipping.name"


def test_the_receiver_of_a_document_is_no_shipping_name(samples):
    # given the person who receives a document, on no shipping side
    fields = ({"name": "receiver", "type": "string"},)
    # when suggested on a customer
    got = suggest(samples["customer"], *fields, threshold=None)
    # then it has no source
    assert_no_source(got["receiver"])


def test_the_account_a_leg_posts_to_is_a_setting(samples):
    # given the ledger account a journal leg posts to, described by the
    # customer's receivable account it is
    fields = (
        {
            "name": "legs.1.account_uid",
            "type": "string",
            "description": "leg 1 (the customer's receivable account, credited): "
            "the account the leg posts to, by uid",
        },
    )
    # when suggested on a charge and on a refund
    for sample in ("charge", "refund"):
        got = suggest(samples[sample], *fields, threshold=None)
        # then it has no source: an account of the books, not the customer
        assert_no_source(got["legs.1.account_uid"])


def test_a_line_s_name_takes_its_description_before_its_description(samples):
    # given a goods line with both a name and a description
    fields = (
        {
            "name": "order_rows.0.description",
            "type": "string",
            "description": "Short text about it",
        },
        {
            "name": "order_rows.0.name",
            "type": "string",
            "description": "The name of it",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the name is Stripe's line description (the item's label), and the
    # description has no source
    assert got["order_rows.0.name"].source == "lines.data.0.description"
    assert_no_source(got["order_rows.0.description"])


def test_the_text_of_a_listed_tax_or_discount_has_no_source(samples):
    # given the first entry of a list of taxes, and of discounts, each named
    # by its own text
    fields = (
        {
            "name": "vat_items.0.description",
            "type": "string",
            "description": "text or name of the VAT",
        },
        {"name": "vat_items.0.amount", "type": "int"},
        {"name": "discount_items.0.title", "type": "string"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither text is the document's description nor a line's
    assert_no_source(got["vat_items.0.description"])
    assert_no_source(got["discount_items.0.title"])


def test_a_state_of_reconciling_is_no_place(samples):
    # given a journal leg's reconciliation state, on the customer's
    # receivable account
    fields = (
        {
            "name": "legs.1.reconciliation_state",
            "type": "string",
            "description": "leg 1 (the customer's receivable account, credited): "
            "the leg's reconciliation state, one letter (n not reconciled, "
            "y reconciled)",
        },
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields, threshold=None)
    # then it is the books' matching with the bank, not the billing state
    assert_no_source(got["legs.1.reconciliation_state"])


def test_a_field_described_as_the_first_invoice_entry_s_is_the_first_line_s(
    samples,
):
    # given the first row of a list of entries, described as the first
    # invoice entry
    fields = (
        {
            "name": "records.0.description",
            "type": "string",
            "description": "first invoice entry (row linked to the invoice): the "
            "entry's description",
        },
        {"name": "remarks", "type": "string", "description": "notes on the invoice"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is the first line's description, not the invoice's
    assert got["records.0.description"].source == "lines.data.0.description"


def test_a_posting_s_transaction_is_no_postal_code(samples):
    # given the key of the ledger transaction a document's posting made
    fields = (
        {
            "name": "post_trans",
            "type": "string",
            "description": "the transaction made when the bill was posted, by key",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it has no source: no postal code
    assert_no_source(got["post_trans"])


def test_a_custom_reference_is_the_object_s_stripe_id(samples):
    # given a reference the sender may set as it likes, on a payment listed
    # under an order
    fields = (
        {
            "name": "payments.0.ref_id",
            "type": "string",
            "description": "'Custom reference to attach to the payment' (quoted)",
        },
    )
    # when suggested on a charge and on an invoice
    for sample in ("charge", "invoice"):
        got = suggest(samples[sample], *fields, threshold=None)
        # then it is the object's own Stripe id, no reference to another
        assert got["payments.0.ref_id"].source == "id", got["payments.0.ref_id"]


def test_an_amount_of_an_expense_voucher_has_no_source(samples):
    # given an amount that only an employee's expense voucher carries, on a
    # record kept for both sales invoices and expense vouchers
    fields = (
        {
            "name": "card_amount",
            "type": "decimal",
            "description": "on an expense voucher, the amount charged to the "
            "employee's card",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it has no source: the buying side's, not the invoice's total
    assert_no_source(got["card_amount"])


def test_an_id_described_as_the_customer_number_takes_the_erp_code(samples):
    # given a customer's key named id, described as the customer number the
    # ledger gives from its counter when left empty
    fields = (
        {
            "name": "id",
            "type": "string",
            "description": "(paraphrased) the client number, the user's key for "
            "the client; the ledger takes the next one from its counter when "
            "left empty",
        },
        {"name": "name", "type": "string"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields, threshold=None)
    # then it is the customer's code in the ERP, not its Stripe id
    assert got["id"].source == "metadata.erp_customer_code"


def test_a_documents_owner_described_as_its_customer_is_the_customer(samples):
    # given the key of the party a document belongs to, described as the
    # customer for a customer's document, beside the kind of that party
    fields = (
        {
            "name": "owner_uid",
            "type": "string",
            "description": "the party the document belongs to (on a sales "
            "document the customer), by uid",
        },
        {
            "name": "owner_kind",
            "type": "int",
            "description": "the kind of party the document belongs to",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the key is the customer through the id map
    assert got["owner_uid"].source == "customer"
    assert lookup(got["owner_uid"]) == "customer"
    # and an owner that is a user of the ERP is no customer
    user = (
        {
            "name": "owner_id",
            "type": "int",
            "description": "The user ID of the order's owner",
        },
    )
    got = suggest(samples["invoice"], *user, threshold=None)
    assert_no_source(got["owner_id"])
