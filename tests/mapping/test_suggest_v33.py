"""Suggester rules added on v35's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (an object of custom
keys, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import suggest


def test_an_object_of_custom_keys_has_no_source(samples):
    # given an order's and its line's custom key-value objects
    fields = (
        {"name": "extra", "type": "object", "description": "The order's metadata"},
        {"name": "lines.0.meta", "type": "object", "description": "The line's data"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither takes Stripe's metadata, which holds the integration's keys
    for name in ("extra", "lines.0.meta"):
        assert got[name].abstained and not got[name].source, got[name]
        assert got[name].transforms == [], got[name]


def test_a_parcels_tracking_number_or_link_has_no_source(samples):
    # given a return's tracking number and link, given by the carrier
    fields = (
        {"name": "parcel_tracking_no", "description": "Tracking number of the parcel"},
        {"name": "parcel_tracking_url", "description": "Tracking link of the parcel"},
    )
    for sample in ("credit_note", "invoice"):
        got = suggest(samples[sample], *fields, threshold=None)
        # then neither is the document's number nor its page
        for name in ("parcel_tracking_no", "parcel_tracking_url"):
            assert got[name].abstained and not got[name].source, got[name]
            assert got[name].transforms == [], got[name]


def test_a_rows_unit_price_is_the_first_lines_amount(samples):
    # given an order row's price of one unit beside its quantity, and a total
    fields = (
        {"name": "row.qty", "type": "decimal", "description": "Quantity of the item"},
        {"name": "row.unitCost", "type": "decimal", "description": "Net, per item"},
        {"name": "row.net_price", "type": "decimal", "description": "Price per unit"},
        {"name": "totalAmount", "type": "decimal", "description": "The order's total"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each unit price is the first line's amount, from minor units
    for name in ("row.unitCost", "row.net_price"):
        assert got[name].source == "lines.data.0.amount", got[name]
        assert got[name].transforms[0]["name"] == "minor_to_decimal", got[name]
    # and the order's total stays the total
    assert got["totalAmount"].source == "total", got["totalAmount"]


def test_a_lines_decimal_quantity_is_no_amount_in_minor_units(samples):
    # given a decimal quantity in the first entry of an order's list of goods
    fields = (
        {"name": "goods.0.qty", "type": "decimal", "description": "Units ordered"},
        {"name": "goods.0.name", "description": "The goods' name"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)["goods.0.qty"]
    # then it is the first line's quantity, a count taken as it is
    assert got.source == "lines.data.0.quantity", got
    assert got.transforms == [], got


def test_a_bare_quantity_on_a_returns_row_is_the_first_lines(samples):
    # given a returned row's bare quantity, described as no total
    fields = (
        {"name": "qty", "type": "decimal", "description": "Qty (required, not 0)"},
        {"name": "stock_place_id", "type": "int", "description": "Restock place id"},
    )
    got = suggest(samples["credit_note"], *fields, threshold=None)["qty"]
    # then it is the first line's quantity, taken as it is
    assert got.source == "lines.data.0.quantity", got
    assert got.transforms == [], got


def test_a_name_of_the_sellers_set_up_has_no_source(samples):
    # given an order's shipping method's name and its web shop's name
    fields = (
        {"name": "delivery_methods.0.name", "description": "The method's name"},
        {"name": "webshop_store_name", "description": "Name of the online store"},
        {"name": "ship_to.name", "description": "Name of the recipient"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither is the buyer's name, which the recipient's name still takes
    for name in ("delivery_methods.0.name", "webshop_store_name"):
        assert got[name].abstained and not got[name].source, got[name]
        assert got[name].transforms == [], got[name]
    assert got["ship_to.name"].source == "customer_shipping.name", got["ship_to.name"]


def test_an_order_number_with_no_other_number_is_the_documents(samples):
    # given an order standing for the invoice, numbered by its order number
    fields = (
        {"name": "salesOrderNo", "description": "Number of the sales order"},
        {"name": "buyer_id", "type": "int", "description": "Id of the customer"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)["salesOrderNo"]
    # then the order number takes the invoice's number
    assert got.source == "number" and not got.abstained, got
    assert got.transforms == [], got
    # but beside the invoice's own number it is the order it came from
    fields = ({"name": "invoiceNo", "description": "Invoice number"}, fields[0])
    beside = suggest(samples["invoice"], *fields, threshold=None)["salesOrderNo"]
    assert beside.abstained and not beside.source, beside


def test_a_bare_key_described_as_the_payments(samples):
    # given a bare key in a path, described as the payment's
    field = {"name": "key", "description": "The payment's key (in the path)"}
    on_charge = suggest(samples["charge"], field, threshold=None)["key"]
    on_refund = suggest(samples["refund"], field, threshold=None)["key"]
    # then on a charge it is the ERP's payment record's key: no source
    assert on_charge.abstained and not on_charge.source, on_charge
    assert on_charge.transforms == [], on_charge
    # and on a refund it is the payment refunded: the charge, through its map
    lookup = [{"name": "lookup", "params": {"table": "charge"}}]
    assert (on_refund.source, on_refund.transforms) == ("charge", lookup), on_refund


def test_the_key_of_a_region_record_has_no_source(samples):
    # given an address's region and county keyed by the ERP's own records
    fields = (
        {"name": "address.city"},
        {"name": "address.regionId", "description": "Id of the region"},
        {"name": "address.county_key", "description": "Key of the county record"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then neither takes Stripe's state, a code or a name
    for name in ("address.regionId", "address.county_key"):
        assert got[name].abstained and not got[name].source, got[name]
        assert got[name].transforms == [], got[name]


def test_a_reason_records_key_takes_stripes_reason_mapped(samples):
    # given a return reason kept as a record of the ERP's, by its key
    field = {
        "name": "returnReasonId",
        "type": "int",
        "description": "Id of a return reason (a record with a name)",
    }
    for sample in ("credit_note", "refund"):
        got = suggest(samples[sample], field, threshold=None)["returnReasonId"]
        # then it is Stripe's reason, onto the ERP's reasons by a value map
        assert got.source == "reason", got
        assert got.transforms[0]["name"] == "value_map", got


def test_the_first_line_items_text_and_amount_are_the_first_lines(samples):
    # given the first entry of an order's goods, and fields named for item 1
    fields = (
        {"name": "memo", "description": "Notes on the order"},
        {"name": "positions.0.label", "description": "The position's title"},
        {"name": "article_text1", "description": "The first line item's text"},
        {"name": "article_price1", "type": "decimal", "description": "First item's"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the texts are the first line's description, not the document's
    for name in ("positions.0.label", "article_text1"):
        assert got[name].source == "lines.data.0.description", got[name]
        assert got[name].transforms == [], got[name]
    # and the item's amount is the first line's, from minor units
    price = got["article_price1"]
    assert price.source == "lines.data.0.amount", price
    assert price.transforms[0]["name"] == "minor_to_decimal", price


def test_a_prefix_groups_parts_take_the_side_one_of_them_names(samples):
    # given two address groups by a letter, the second described as delivery
    fields = (
        {"name": "a_street", "description": "Main address street"},
        {"name": "a_city"},
        {"name": "a_zip"},
        {"name": "d_street", "description": "Other (delivery) address street"},
        {"name": "d_city"},
        {"name": "d_zip"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the second group's undescribed parts are the shipping address's
    assert got["d_city"].source == "shipping.address.city", got["d_city"]
    assert got["d_zip"].source == "shipping.address.postal_code", got["d_zip"]
    # and the first group keeps the customer's own address
    assert got["a_city"].source == "address.city", got["a_city"]
    for name in ("d_city", "d_zip", "a_city"):
        assert got[name].transforms == [], got[name]


def test_a_customers_note_for_its_documents_has_no_source(samples):
    # given a customer's notes the ERP prints on what it makes out to it
    fields = (
        {"name": "name"},
        {"name": "billNote", "description": "Customer-facing note on each bill"},
        {"name": "dispatch.note", "description": "Printed on the packing slips"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then neither is the customer's description, the seller's own note
    for name in ("billNote", "dispatch.note"):
        assert got[name].abstained and not got[name].source, got[name]
        assert got[name].transforms == [], got[name]


def test_the_key_of_the_document_a_row_belongs_to_is_the_invoice(samples):
    # given a document row's key of the order it belongs to, and its goods' key
    fields = (
        {
            "name": "orderKey",
            "type": "int",
            "description": "Id of the order the line is on",
        },
        {"name": "article_id", "type": "int", "description": "Id of the article sold"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the order is the one made for the invoice, through the invoice map
    lookup = [{"name": "lookup", "params": {"table": "invoice"}}]
    order = got["orderKey"]
    assert (order.source, order.transforms) == ("id", lookup), order
    # and the goods' key stays the ERP's own
    assert got["article_id"].abstained and not got["article_id"].source


def test_the_key_of_the_order_a_credit_note_takes_back_is_its_invoice(samples):
    # given a return's key of the original order, and of the stock place
    fields = (
        {"name": "sale_order_id", "type": "int", "description": "The order returned"},
        {"name": "stock_place_id", "type": "int", "description": "Id of the place"},
    )
    got = suggest(samples["credit_note"], *fields, threshold=None)
    # then the order is the credit note's invoice, through the invoice map
    lookup = [{"name": "lookup", "params": {"table": "invoice"}}]
    order = got["sale_order_id"]
    assert (order.source, order.transforms) == ("invoice", lookup), order
    assert got["stock_place_id"].abstained and not got["stock_place_id"].source


def test_a_key_of_what_a_party_owns_is_not_the_partys_key(samples):
    # given a key of a payer's saved wallet, the payer named as its owner
    field = {"name": "walletId", "description": "Id of the buyer's saved wallet"}
    for sample in ("refund", "charge"):
        got = suggest(samples[sample], field, threshold=None)["walletId"]
        # then it is no key of the customer, nor of the charge's customer
        assert got.source not in ("customer", "charge"), got
        assert not any(step["name"] == "lookup" for step in got.transforms), got


def test_an_overpayment_beside_the_amount_paid_has_no_source(samples):
    # given a receipt's amount paid and the overpayment left over from it
    fields = (
        {"name": "paid", "type": "decimal", "description": "Amount paid"},
        {"name": "excess_amt", "type": "decimal", "description": "Overpayment amount"},
    )
    got = suggest(samples["charge"], *fields, threshold=None)
    # then the overpayment has no source and the amount paid keeps the amount
    excess = got["excess_amt"]
    assert excess.abstained and not excess.source and excess.transforms == []
    assert got["paid"].source == "amount", got["paid"]


def test_a_reverse_charge_flag_is_the_customers_tax_exempt_mapped(samples):
    # given a customer's flag that it accounts for the VAT itself
    field = {
        "name": "vat_reversed",
        "type": "flag",
        "description": "Reverse charge applies: the buyer accounts for the VAT",
    }
    got = suggest(samples["customer"], field, threshold=None)["vat_reversed"]
    # then it is Stripe's tax_exempt, true for a reverse-charge customer only
    assert got.source == "tax_exempt", got
    table = {"none": False, "exempt": False, "reverse": True}
    assert got.transforms == [{"name": "value_map", "params": {"map": table}}], got
