"""Suggester rules added on v34's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a payment's method kept
as a record of the ERP's, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import suggest


def test_a_payments_method_record_takes_the_charges_method_type(samples):
    # given a payment's method, given as the key or code of an ERP record
    fields = (
        {"name": "pay_method_ref", "description": "Id of the ledger's payment method"},
        {"name": "methodOfPayment", "description": "Code of the payment method used"},
    )
    for field in fields:
        got = suggest(samples["charge"], field, threshold=None)[field["name"]]
        # then it is the charge's payment method type, onto a table to fill
        assert got.source == "payment_method_details.type", got
        assert got.transforms[0]["name"] == "value_map", got


def test_a_payers_stored_payment_method_is_no_method_type(samples):
    # given the key of a payment method kept for the payer: a stored card
    field = {
        "name": "paymentMethodRef",
        "description": "Id of the customer's stored payment method (card or bank)",
    }
    got = suggest(samples["charge"], field, threshold=None)["paymentMethodRef"]
    # then it is not the charge's payment method type
    assert got.source != "payment_method_details.type", got


def test_a_country_given_an_example_name_is_written_as_a_name(samples):
    # given a country whose description gives a country's name as an example
    field = {"name": "postal.nation", "description": "The country (example 'Canada')"}
    got = suggest(samples["customer"], field, threshold=None)["postal.nation"]
    # then it is the address's country, turned into the country's name
    assert got.source == "address.country", got
    assert got.transforms == [{"name": "country_code", "params": {"to": "name"}}], got


def test_a_suburb_beside_a_town_is_no_city(samples):
    # given an address with a suburb and a town, the suburb listed first
    fields = (
        {"name": "locations.0.street"},
        {"name": "locations.0.suburb", "description": "The suburb"},
        {"name": "locations.0.town", "description": "The town"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the town is the city and the suburb has none
    assert got["locations.0.town"].source == "address.city", got["locations.0.town"]
    suburb = got["locations.0.suburb"]
    assert suburb.abstained and not suburb.source, suburb


def test_a_region_records_code_beside_the_regions_name_has_no_source(samples):
    # given an address with a region given by a record's code and by name
    fields = (
        {"name": "place.regionCode", "description": "Code of a region record"},
        {"name": "place.regionName", "description": "Region name as free text"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the name takes the state and the code has none
    assert got["place.regionName"].source == "address.state", got["place.regionName"]
    code = got["place.regionCode"]
    assert code.abstained and not code.source, code


def test_an_addresss_company_beside_a_persons_name_has_no_source(samples):
    # given an address block with a person's first and last name and a company
    fields = (
        {"name": "invoiceAddress.givenName", "description": "First name"},
        {"name": "invoiceAddress.familyName", "description": "Last name"},
        {"name": "invoiceAddress.company", "description": "Company"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the names split Stripe's one name and the company has none
    assert got["invoiceAddress.givenName"].source == "name"
    company = got["invoiceAddress.company"]
    assert company.abstained and not company.source, company


def test_the_key_of_the_books_written_into_is_a_setting(samples):
    # given a payment's key of the set of books the API writes it into
    field = {"name": "tenantId", "description": "The tenant's id (path parameter)"}
    got = suggest(samples["charge"], field, threshold=None)["tenantId"]
    # then it is no invoice nor any other Stripe field
    assert got.abstained and not got.source, got


def test_an_orders_token_is_the_order_made_for_the_invoice(samples):
    # given a shop's order addressed by its token, on an invoice and a charge
    field = {"name": "orderToken", "description": "The token of the order to update"}
    on_invoice = suggest(samples["invoice"], field, threshold=None)["orderToken"]
    on_charge = suggest(samples["charge"], field, threshold=None)["orderToken"]
    # then it is the invoice, or the charge's invoice, through the invoice map
    lookup = [{"name": "lookup", "params": {"table": "invoice"}}]
    assert (on_invoice.source, on_invoice.transforms) == ("id", lookup), on_invoice
    assert (on_charge.source, on_charge.transforms) == ("invoice", lookup), on_charge


def test_a_payments_own_key_on_a_charge_has_no_source(samples):
    # given a charge written as a payment the ERP keeps, keyed in the path
    field = {
        "name": "paymentKey",
        "description": "Key of the sale's payment (path parameter)",
    }
    got = suggest(samples["charge"], field, threshold=None)["paymentKey"]
    # then it is neither the charge's invoice nor any other Stripe field
    assert got.abstained and not got.source, got


def test_a_first_business_number_is_the_tax_id(samples):
    # given a customer's two business numbers and no VAT field
    fields = (
        {"name": "name"},
        {"name": "business_no_1", "description": "Business number 1 of the firm"},
        {"name": "business_no_2", "description": "Business number 2 of the firm"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the first is the tax id's value and the second has none
    first = got["business_no_1"]
    assert first.source == "tax_ids.data.0.value", first
    second = got["business_no_2"]
    assert second.abstained and not second.source, second


def test_an_electronic_address_is_the_email_not_a_street(samples):
    # given a list of typed electronic addresses, the first one's address
    fields = (
        {"name": "eAddresses.0.kind", "description": "Type of the e-address"},
        {"name": "eAddresses.0.address", "description": "The electronic address"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the address is the customer's e-mail, not the street's line
    address = got["eAddresses.0.address"]
    assert address.source == "email", address


def test_an_action_asked_of_the_gateway_is_not_the_charges_outcome(samples):
    # given a payment request's command to the gateway, among Stripe-like words
    field = {
        "name": "request.command",
        "description": "Command sent to the payment processor",
        "choices": ["authorize", "capture", "refund", "void"],
    }
    got = suggest(samples["charge"], field, threshold=None)["request.command"]
    # then it has no source: it is what to do, not what was done
    assert got.abstained and not got.source, got


def test_a_quantity_of_the_item_added_is_the_first_lines(samples):
    # given a cart item's count of the product it adds, and a total quantity
    fields = (
        {"name": "qty", "type": "int", "description": "Quantity of the product added"},
        {"name": "total_qty", "type": "int", "description": "Total quantity of items"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the item's count is the first line's quantity; the total has none
    assert got["qty"].source == "lines.data.0.quantity", got["qty"]
    assert got["total_qty"].abstained and not got["total_qty"].source


def test_a_key_in_a_payments_list_of_links_is_the_invoice_paid(samples):
    # given a receipt's list of the transactions it is linked to, and their keys
    field = {
        "name": "receiptLinks.0.txnKey",
        "description": "Transactions the receipt is allocated to: the key",
    }
    got = suggest(samples["charge"], field, threshold=None)["receiptLinks.0.txnKey"]
    # then the first key is the charge's invoice, through the invoice map
    assert got.source == "invoice", got
    assert got.transforms == [{"name": "lookup", "params": {"table": "invoice"}}]
