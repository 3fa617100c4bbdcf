"""Suggester rules added on v32's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a compound name sharing
one word with a Stripe path while another word qualifies it, ...), not
copied from one vendor.
"""

from tests.mapping.suggesting import suggest


def test_a_qualifier_the_source_does_not_explain_leaves_the_field(samples):
    # given fields sharing one word with a Stripe path while another word
    # makes them something else: a country read from the IP, a charge beside
    # the goods, money after a refund, another party's key
    fields = (
        {"name": "ip_country_code", "description": "Country of the buyer's IP"},
        {"name": "gift_wrap_total", "type": "decimal"},
        {"name": "amount_refunded", "type": "decimal"},
        {"name": "seller.merchant_id", "description": "Id of the merchant"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then none has a source
    for field in fields:
        item = got[field["name"]]
        assert item.abstained and not item.source, item
    # while a charge names what it refunded, and a refund is what was refunded
    field = {"name": "refunded_amount", "type": "decimal"}
    charge = suggest(samples["charge"], field, threshold=None)["refunded_amount"]
    assert charge.source == "amount_refunded", charge
    refund = suggest(samples["refund"], field, threshold=None)["refunded_amount"]
    assert refund.source == "amount", refund


def test_a_total_ex_tax_is_the_subtotal_not_the_tax(samples):
    # given document totals written "ex" the tax, as British invoices do
    fields = (
        {"name": "order_value_ex_vat", "type": "decimal"},
        {"name": "TotalExGst", "type": "decimal"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each is the subtotal, before tax, and not the tax it names
    for field in fields:
        item = got[field["name"]]
        assert item.source == "subtotal", item


def test_a_number_described_as_a_count_of_items_is_no_amount(samples):
    # given a whole number named as a total and described as a count
    field = {
        "name": "lines_total",
        "type": "int",
        "description": "The number of products on the order",
    }
    got = suggest(samples["invoice"], field)["lines_total"]
    # then it is left: Stripe counts items per line only
    assert got.abstained and not got.source, got


def test_a_message_the_customer_entered_is_not_the_documents_note(samples):
    # given notes the buyer typed in when ordering, said with the buyer as
    # the subject or after the verb
    fields = (
        {
            "name": "shopper_comment",
            "description": "Comment that the shopper typed in at checkout",
        },
        {"name": "buyer_remarks", "description": "Remarks entered by the buyer"},
    )
    got = suggest(samples["invoice"], *fields)
    # then neither is the invoice's description
    for field in fields:
        item = got[field["name"]]
        assert item.abstained and not item.source, item
    # while the invoice's own note is
    got = suggest(samples["invoice"], {"name": "note"})["note"]
    assert got.source == "description", got


def test_where_a_record_came_from_is_a_channel_not_its_id(samples):
    # given fields naming the system or channel an order came in through
    fields = (
        {
            "name": "import_origin",
            "description": "The platform that created the order, e.g. POS or API",
        },
        {"name": "sales_channel", "description": "Channel the sale was placed in"},
    )
    got = suggest(samples["invoice"], *fields)
    # then neither is the invoice's own id
    for field in fields:
        item = got[field["name"]]
        assert item.abstained and not item.source, item
    # while one described as the document it came from is
    field = {"name": "origin", "description": "The document that generated it"}
    assert suggest(samples["invoice"], field)["origin"].source == "id"


def test_a_method_named_by_the_gateway_that_took_it_is_a_setting(samples):
    # given a payment's method whose examples name a gateway beside the means
    field = {
        "name": "tender_method",
        "description": "How it was paid, e.g. Cash, Credit Card, Sandbox Gateway",
    }
    got = suggest(samples["charge"], field)["tender_method"]
    # then it is the ERP's set-up, not Stripe's payment type mapped
    assert got.source != "payment_method_details.type", got
    assert not got.source or got.source.startswith("options."), got
    # while examples naming only ways to pay are the payment's type
    field = {"name": "tender_method", "description": "e.g. Cash, Credit Card, Visa"}
    got = suggest(samples["charge"], field)["tender_method"]
    assert got.source == "payment_method_details.type", got


def test_the_customer_a_contact_is_created_under_is_the_customer_itself(samples):
    # given a contact's key to its customer, said from the contact's side
    field = {
        "name": "buyer_id",
        "type": "int",
        "description": "Id of the buyer linked to this person (required)",
    }
    got = suggest(samples["customer"], field)["buyer_id"]
    # then it is the customer's own Stripe id through the id map
    assert got.source == "id", got
    assert got.transforms[0]["params"]["table"] == "customer", got


def test_the_order_a_refund_gives_back_is_the_charge_refunded(samples):
    # given a refund's key to the sales order it refunds
    field = {"name": "salesOrderId", "description": "Key of the sale"}
    got = suggest(samples["refund"], field)["salesOrderId"]
    # then it is the charge the refund gives back, through the id map
    assert got.source == "charge", got
    assert got.transforms[0]["params"]["table"] == "charge", got


def test_the_date_interest_runs_from_or_where_money_goes_is_left(samples):
    # given a payment's date interest runs from and the account it goes to
    fields = (
        {"name": "interestFromDate", "type": "date"},
        {"name": "destination_account_name"},
    )
    got = suggest(samples["charge"], *fields, threshold=None)
    # then neither is the payment's date or the payer's name
    for field in fields:
        item = got[field["name"]]
        assert item.abstained and not item.source, item
    # while the payment's own date is its created date
    got = suggest(samples["charge"], {"name": "paymentDate", "type": "date"})
    assert got["paymentDate"].source == "created", got["paymentDate"]


def test_a_qualifier_on_the_object_a_field_is_nested_in_counts_too(samples):
    # given a country nested under what it was read from
    field = {"name": "geoip.country_code", "description": "Two-letter code"}
    got = suggest(samples["invoice"], field, threshold=None)["geoip.country_code"]
    # then it is left, as geoip_country_code would be
    assert got.abstained and not got.source, got
    # while a destination's city is where goods are shipped
    field = {"name": "destination.city"}
    got = suggest(samples["customer"], field, threshold=None)["destination.city"]
    assert got.source == "shipping.address.city", got
