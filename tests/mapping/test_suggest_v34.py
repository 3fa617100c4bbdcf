"""Suggester rules added on v36's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (an object of custom
keys, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import suggest


def test_a_prepayment_is_read_as_the_tokenizer_splits_it(samples):
    # given a receipt's prepayment beside the amount paid
    fields = (
        {"name": "prepaymentAmt", "type": "decimal"},
        {"name": "paid", "type": "decimal", "description": "Amount paid"},
    )
    got = suggest(samples["charge"], *fields, threshold=None)
    # then the prepayment, a deposit asked for first, is not the charge's amount
    early = got["prepaymentAmt"]
    assert early.abstained and not early.source and early.transforms == [], early
    # and the amount paid keeps it
    assert got["paid"].source == "amount", got["paid"]
    assert got["paid"].transforms[0]["name"] == "minor_to_decimal", got["paid"]


def test_a_date_named_as_a_spans_start_or_end_has_no_source(samples):
    # given a row's start and end dates beside the document's own date
    fields = (
        {"name": "row.beginDate", "type": "date", "description": "When billing begins"},
        {"name": "row.end_date", "type": "date", "description": "The row's last day"},
        {"name": "docDate", "type": "date", "description": "Date of the invoice"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither bound is the invoice's creation date
    for name in ("row.beginDate", "row.end_date"):
        assert got[name].abstained and not got[name].source, got[name]
        assert got[name].transforms == [], got[name]
    # and the document's date keeps it
    assert got["docDate"].source == "created", got["docDate"]
    assert got["docDate"].transforms[0]["name"] == "unix_to_date", got["docDate"]


def test_the_parent_a_refund_or_credit_note_is_made_from_is_the_original(samples):
    # given a refund's key of its parent payment, hanging from it as a child
    field = {
        "name": "parentKey",
        "type": "int",
        "description": "Id of the parent payment",
    }
    refund = suggest(samples["refund"], field, threshold=None)["parentKey"]
    # then the parent is the charge refunded, through the charge map
    lookup = [{"name": "lookup", "params": {"table": "charge"}}]
    assert (refund.source, refund.transforms) == ("charge", lookup), refund
    # and a credit note's parent order, which it is made from, is its invoice
    field = {
        "name": "base_order_id",
        "type": "int",
        "description": "Id of the order the return is created from",
    }
    got = suggest(samples["credit_note"], field, threshold=None)["base_order_id"]
    lookup = [{"name": "lookup", "params": {"table": "invoice"}}]
    assert (got.source, got.transforms) == ("invoice", lookup), got


def test_a_tax_id_groups_country_and_type_are_the_tax_ids_own(samples):
    # given a customer's VAT id as an object: its value, country and kind
    fields = (
        {"name": "vatId.value", "description": "The VAT number"},
        {"name": "vatId.country", "description": "Issuing country (two letters)"},
        {"name": "vatId.type", "description": "Kind of number, e.g. eu_vat"},
        {"name": "address.country", "description": "Country of the address"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the country and the kind are the first tax id's, taken as they are
    for name, path in (
        ("vatId.country", "tax_ids.data.0.country"),
        ("vatId.type", "tax_ids.data.0.type"),
    ):
        assert (got[name].source, got[name].transforms) == (path, []), got[name]
    # and the address keeps the address's country
    assert got["address.country"].source == "address.country", got["address.country"]


def test_a_record_described_as_one_line_item_is_the_first_line(samples):
    # given an endpoint adding one line to a draft invoice, per invoice line
    fields = (
        {"name": "title", "description": "The title printed for the line item"},
        {"name": "price", "type": "decimal", "description": "Money of this row"},
        {"name": "units", "type": "decimal", "description": "Units on the line item"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then its title is the first line's description, taken as it is
    title = got["title"]
    assert (title.source, title.transforms) == ("lines.data.0.description", []), title
    # and its price the first line's amount, from minor units
    price = got["price"]
    assert price.source == "lines.data.0.amount", price
    assert price.transforms[0]["name"] == "minor_to_decimal", price


def test_the_key_of_the_document_a_line_is_added_to_is_the_invoice(samples):
    # given a line's key of the draft document it is added to
    fields = (
        {"name": "draftId", "description": "Id of the order to add this line to"},
        {"name": "sku_id", "description": "Id of the catalogue item sold"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the document is the one made for the invoice, through the invoice map
    lookup = [{"name": "lookup", "params": {"table": "invoice"}}]
    doc = got["draftId"]
    assert (doc.source, doc.transforms) == ("id", lookup), doc
    # and the item's key stays the ERP's own
    assert got["sku_id"].abstained and not got["sku_id"].source, got["sku_id"]


def test_a_field_listing_stripes_own_codes_is_that_field(samples):
    # given a credit's cause listed as Stripe's codes, beside a free memo
    fields = (
        {
            "name": "cause",
            "description": "Why it is given: duplicate, order_change or "
            "product_unsatisfactory",
        },
        {"name": "memo", "description": "A memo to attach to the credit"},
    )
    got = suggest(samples["credit_note"], *fields, threshold=None)
    # then the cause is Stripe's reason, taken as it is
    cause = got["cause"]
    assert (cause.source, cause.transforms) == ("reason", []), cause
    # and the memo keeps the memo
    assert got["memo"].source == "memo", got["memo"]


def test_a_customers_key_at_the_payment_processor_is_its_stripe_id(samples):
    # given a customer's key given by the processor that takes its payments
    fields = (
        {
            "name": "providerPaymentId",
            "description": "Id of this customer in the external payment provider",
        },
        {"name": "email", "description": "E-mail address"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then it is the customer's own Stripe id, taken as it is
    key = got["providerPaymentId"]
    assert (key.source, key.transforms) == ("id", []), key


def test_a_numbered_address_line_described_as_an_addition_is_line2(samples):
    # given numbered address lines, the third described as the addition
    fields = (
        {"name": "adr1", "description": "Address field 1 (street)"},
        {"name": "adr3", "description": "Address field 3 (holds the addition)"},
        {"name": "place", "description": "The town"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the third line is the street's complement, not the city it often is
    third = got["adr3"]
    assert (third.source, third.transforms) == ("address.line2", []), third
    # and the town keeps the city
    assert got["place"].source == "address.city", got["place"]


def test_a_care_of_name_line_has_no_source(samples):
    # given a customer's care-of name lines, by name and by description
    fields = (
        {"name": "careOfName", "description": "Who receives the mail"},
        {"name": "name_2", "description": "Second name line (c/o)"},
        {"name": "email", "description": "E-mail address"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then neither is the customer's name: it is whoever receives for it
    for name in ("careOfName", "name_2"):
        assert got[name].abstained and not got[name].source, got[name]
        assert got[name].transforms == [], got[name]


def test_numbered_name_fields_described_as_name_parts_split_the_name(samples):
    # given numbered name fields, each described as a part of a person's name
    fields = (
        {"name": "Name_1", "description": "Name field 1 (by default the surname)"},
        {"name": "Name_2", "description": "Name field 2 (the given name)"},
        {"name": "email", "description": "E-mail address"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then each takes that part of Stripe's one name
    for name, part in (("Name_1", "last"), ("Name_2", "first")):
        assert got[name].source == "name", got[name]
        steps = got[name].transforms
        assert steps == [{"name": "split_name", "params": {"part": part}}], steps


def test_a_field_left_free_for_any_use_has_no_source(samples):
    # given address lines, the last one left without a meaning for the users
    fields = (
        {"name": "street_1", "description": "Street"},
        {"name": "street_4", "description": "Line 4 is unassigned: free to use"},
        {"name": "memo_x", "description": "A text for any purpose"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then neither free field takes a source, whatever its number holds elsewhere
    for name in ("street_4", "memo_x"):
        assert got[name].abstained and not got[name].source, got[name]
        assert got[name].transforms == [], got[name]
    # and the street keeps the first line
    assert got["street_1"].source == "address.line1", got["street_1"]


def test_a_paid_documents_date_beside_a_payments_own_date_has_no_source(samples):
    # given a receipt's own date beside the date of the invoice it pays
    fields = (
        {"name": "entry.valueDate", "type": "date", "description": "Value date"},
        {"name": "entry.invoiceDate", "type": "date", "description": "Of the bill"},
    )
    got = suggest(samples["charge"], *fields, threshold=None)
    # then the invoice's date is not the payment's
    paid = got["entry.invoiceDate"]
    assert paid.abstained and not paid.source and paid.transforms == [], paid
    # and the receipt keeps its own date
    own = got["entry.valueDate"]
    assert own.source == "created", own
    assert own.transforms[0]["name"] == "unix_to_date", own
    # but an order standing for the payment, dated only by it, keeps the date
    field = {"name": "orderDate", "type": "date", "description": "Order date"}
    alone = suggest(samples["charge"], field, threshold=None)["orderDate"]
    assert alone.source == "created", alone


def test_an_orders_date_beside_the_documents_own_date_has_no_source(samples):
    # given an invoice's own date beside the date of the order it came from
    fields = (
        {"name": "docDate", "type": "date", "description": "Date of the bill"},
        {"name": "salesOrderDate", "type": "date", "description": "When ordered"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the order's date is not the invoice's
    ordered = got["salesOrderDate"]
    assert ordered.abstained and not ordered.source, ordered
    assert ordered.transforms == [], ordered
    # and the document keeps its own date
    own = got["docDate"]
    assert own.source == "created", own
    assert own.transforms[0]["name"] == "unix_to_date", own


def test_a_refunds_source_account_is_no_payment_it_came_from(samples):
    # given a refund's keys of the account the money leaves, and of its origin
    fields = (
        {"name": "from_id", "type": "int", "description": "Id of the source account"},
        {"name": "source_ref", "description": "Number of the origin bank account"},
        {"name": "created_from", "description": "The sale the refund is created from"},
    )
    got = suggest(samples["refund"], *fields, threshold=None)
    # then neither account is the charge refunded
    for name in ("from_id", "source_ref"):
        assert got[name].source != "charge", got[name]
        assert got[name].transforms == [], got[name]
    # and the sale it is made from still is, through the charge map
    lookup = [{"name": "lookup", "params": {"table": "charge"}}]
    made = got["created_from"]
    assert (made.source, made.transforms) == ("charge", lookup), made


def test_a_generic_key_whose_description_closes_on_the_party_is_the_customer(
    samples,
):
    # given generic keys described last as the party they point to
    fields = (
        {
            "name": "links.1.targetId",
            "type": "int",
            "description": "Second link: the ID of the linked record (the buyer)",
        },
        {
            "name": "ledger_key",
            "type": "int",
            "description": "Key of the ledger the sale is posted on",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the party's key is the customer's, through the customer map
    lookup = [{"name": "lookup", "params": {"table": "customer"}}]
    party = got["links.1.targetId"]
    assert (party.source, party.transforms) == ("customer", lookup), party
    # and a key described as another record's stays the ERP's own
    assert got["ledger_key"].abstained and not got["ledger_key"].source
