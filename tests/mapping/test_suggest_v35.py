"""Suggester rules added on v37's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (an object of custom
keys, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import suggest


def test_the_record_a_call_acts_on_is_the_one_made_for_the_stripe_object(samples):
    # given a call that sets something on an order made earlier, by its key
    fields = (
        {
            "name": "targetOrderKey",
            "type": "string",
            "description": "Argument: the pending order to attach the buyer to",
        },
        {
            "name": "order_uid",
            "type": "string",
            "description": "Argument: the order whose delivery address is changed",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each is the order made for the Stripe invoice, through the invoice map
    lookup = [{"name": "lookup", "params": {"table": "invoice"}}]
    for name in ("targetOrderKey", "order_uid"):
        assert (got[name].source, got[name].transforms) == ("id", lookup), got[name]
    # and a customer's key, for an address added to it, is the customer's own
    field = {
        "name": "clientId",
        "type": "string",
        "description": "Required: the client the new contact is linked with",
    }
    got = suggest(samples["customer"], field, threshold=None)["clientId"]
    lookup = [{"name": "lookup", "params": {"table": "customer"}}]
    assert (got.source, got.transforms) == ("id", lookup), got


def test_a_list_of_charges_added_beside_the_goods_is_not_the_lines(samples):
    # given an invoice's goods lines and a list of extra charges beside them
    fields = (
        {"name": "rows", "type": "lines", "description": "The goods sold"},
        {
            "name": "extra_charges",
            "type": "lines",
            "description": "Other costs billed (text, amount, tax)",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the extra charges have no source: Stripe's lines are the goods
    extra = got["extra_charges"]
    assert extra.abstained and not extra.source and extra.transforms == [], extra
    # and the goods keep Stripe's lines
    assert (got["rows"].source, got["rows"].transforms) == ("lines.data", [])


def test_goods_put_back_in_stock_are_not_the_credited_lines(samples):
    # given a credit note's credited lines and the goods its return restocks
    fields = (
        {"name": "entries", "type": "lines", "description": "The lines credited"},
        {
            "name": "shelf_returns",
            "type": "lines",
            "description": "Items put back into stock (item, warehouse, quantity)",
        },
        {"name": "restockRows", "type": "lines"},
    )
    got = suggest(samples["credit_note"], *fields, threshold=None)
    # then the goods restocked have no source: Stripe keeps no stock
    for name in ("shelf_returns", "restockRows"):
        assert got[name].abstained and not got[name].source, got[name]
        assert got[name].transforms == [], got[name]
    # and the credited lines keep Stripe's lines
    assert (got["entries"].source, got["entries"].transforms) == ("lines.data", [])


def test_a_set_up_record_chosen_by_its_name_has_no_source(samples):
    # given an invoice's tax rule and shipping template, each given by its name
    fields = (
        {"name": "vatRule", "description": "The VAT rule name to apply (max 40)"},
        {"name": "doc.template", "description": "Layout template name for the PDF"},
        {"name": "taxAmount", "type": "decimal", "description": "Tax of the invoice"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither is a Stripe field: the seller chose them in the ERP
    for name in ("vatRule", "doc.template"):
        assert got[name].abstained and not got[name].source, got[name]
        assert got[name].transforms == [], got[name]
    # and the invoice's tax keeps Stripe's tax
    assert got["taxAmount"].source == "tax", got["taxAmount"]


def test_a_field_named_for_the_party_and_described_as_its_name_is_the_name(samples):
    # given an invoice's party field whose description gives the party's name
    fields = (
        {"name": "Client", "description": "Client name, as printed"},
        {"name": "header.clientKey", "description": "Key of the client invoiced"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is the customer's name, taken as it is
    name = got["Client"]
    assert (name.source, name.transforms) == ("customer_name", []), name
    # and the key beside it is the customer, through the customer map
    key = got["header.clientKey"]
    lookup = [{"name": "lookup", "params": {"table": "customer"}}]
    assert (key.source, key.transforms) == ("customer", lookup), key


def test_a_line_of_the_name_is_not_a_line_of_the_address(samples):
    # given a customer's first name line beside its street
    fields = (
        {"name": "name_1", "description": "Name line 1"},
        {"name": "street", "description": "Street and house number"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the name line is the customer's name, taken as it is
    name = got["name_1"]
    assert (name.source, name.transforms) == ("name", []), name
    # and the street keeps the address's first line
    street = got["street"]
    assert (street.source, street.transforms) == ("address.line1", []), street


def test_an_external_key_kept_in_the_api_is_the_stripe_id(samples):
    # given an order's external key, said to be settable only in the API
    fields = (
        {
            "name": "external_id",
            "description": "Free value, set only in API, to find the order later",
        },
        {
            "name": "external_crm_id",
            "description": "Id of the order in Salesforce",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the API is no other system: the key is the Stripe invoice's id
    key = got["external_id"]
    assert (key.source, key.transforms) == ("id", []), key
    # and a key in a system the description names is still not Stripe's
    other = got["external_crm_id"]
    assert other.abstained and not other.source and other.transforms == [], other


def test_the_invoice_number_a_credit_note_is_tied_to_is_the_credited_invoice(
    samples,
):
    # given a credit note's own number and the number of the invoice it is tied to
    fields = (
        {"name": "docNo", "description": "Number of the credit note"},
        {
            "name": "memoInvoiceNumber",
            "description": "Number of invoice tied to this credit memo (required)",
        },
    )
    got = suggest(samples["credit_note"], *fields, threshold=None)
    # then the invoice's number is the credited invoice, through the invoice map
    tied = got["memoInvoiceNumber"]
    lookup = [{"name": "lookup", "params": {"table": "invoice"}}]
    assert (tied.source, tied.transforms) == ("invoice", lookup), tied
    # and the credit note's own number keeps Stripe's number
    assert (got["docNo"].source, got["docNo"].transforms) == ("number", [])
