"""Suggester rules added on v16's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a column name with a
table prefix, a key described only by what it is the id of, an account
holder's address, a payment's method as an ERP record), not copied from one
vendor.
"""

from tests.mapping.suggesting import lookup, suggest


def test_a_table_prefixed_column_names_its_record_without_the_prefix(samples):
    # given column names with a one-letter table prefix (X_) and a glued
    # abbreviation (BPartner: business partner)
    fields = (
        {"name": "X_BPartner_ID", "type": "int"},
        {"name": "X_Invoice_ID", "type": "int"},
    )
    # when
    got = suggest(samples["charge"], *fields)
    # then
    assert got["X_BPartner_ID"].source == "customer", got["X_BPartner_ID"]
    assert lookup(got["X_BPartner_ID"]) == "customer"
    assert got["X_Invoice_ID"].source == "invoice", got["X_Invoice_ID"]
    assert lookup(got["X_Invoice_ID"]) == "invoice"


def test_a_key_described_as_the_id_of_a_party_or_invoice_is_a_reference(samples):
    got = suggest(
        samples["charge"],
        {"name": "payer_ref", "type": "int", "description": "Id of the party paying"},
        {
            "name": "context_id",
            "type": "int",
            "description": "Id of the sales.invoice the form settles (context)",
        },
        {"name": "amount", "type": "decimal"},
    )
    assert got["payer_ref"].source == "customer", got["payer_ref"]
    assert lookup(got["payer_ref"]) == "customer"
    assert got["context_id"].source == "invoice", got["context_id"]
    assert lookup(got["context_id"]) == "invoice"
    # The head of the phrase decides: a party's bank account is no party.
    other = suggest(
        samples["charge"],
        {
            "name": "bank_ref",
            "type": "int",
            "description": "Id of the party's bank account",
        },
    )
    assert lookup_or_none(other["bank_ref"]) != "customer", other["bank_ref"]


def test_ids_of_a_customers_groups_are_not_the_customer(samples):
    got = suggest(
        samples["customer"],
        {"name": "name"},
        {
            "name": "segments",
            "type": "array",
            "description": "Ids of the customer segments the customer belongs to",
        },
        {
            "name": "owner",
            "type": "int",
            "description": "Id of the customer the address belongs to",
        },
    )
    assert lookup_or_none(got["segments"]) is None, got["segments"]
    assert got["owner"].source == "id"
    assert lookup(got["owner"]) == "customer"


def lookup_or_none(item):
    steps = item.transforms
    if steps and steps[0]["name"] == "lookup":
        return steps[0]["params"]["table"]
    return None


def test_an_account_holders_address_is_the_payers_not_a_setting(samples):
    got = suggest(
        samples["charge"],
        {"name": "holder_town", "description": "Town of the bank account holder"},
        {"name": "holder_zip", "description": "Zip of the card or account holder"},
    )
    assert got["holder_town"].source == "billing_details.address.city"
    assert got["holder_zip"].source == "billing_details.address.postal_code"
    # An account with no holder is still one of the books.
    books = suggest(
        samples["charge"], {"name": "town", "description": "Town of the bank account"}
    )
    assert books["town"].source == "", books["town"]


def test_what_a_payment_leaves_over_or_short_has_no_source(samples):
    got = suggest(
        samples["charge"],
        {"name": "paid", "type": "decimal", "description": "Amount received"},
        {
            "name": "rest_amount",
            "type": "decimal",
            "description": "Over-payment or under-payment left on the receipt",
        },
        {"name": "unallocated", "type": "decimal"},
    )
    assert got["paid"].source == "amount"
    assert got["rest_amount"].source == "", got["rest_amount"]
    assert got["unallocated"].source == "", got["unallocated"]


def test_a_whole_number_key_to_a_record_of_the_erps_own_has_no_source(samples):
    got = suggest(
        samples["customer"],
        {"name": "X_Region_ID", "type": "int", "description": "Id of the sales region"},
        {"name": "X_Country_ID", "type": "int", "description": "Id of the country"},
    )
    assert got["X_Region_ID"].source == "", got["X_Region_ID"]
    assert got["X_Country_ID"].source == "address.country"
    invoice = suggest(
        samples["invoice"],
        {
            "name": "vat_number",
            "type": "int",
            "description": "Id of the seller's own tax number printed on it",
        },
    )
    assert invoice["vat_number"].source == "", invoice["vat_number"]


def test_a_field_described_as_the_search_key_is_the_customers_erp_code(samples):
    # given a generic name (Value reads as an amount) beside a tax id
    got = suggest(
        samples["customer"],
        {"name": "Value", "description": "Search key of the account, unique"},
        {"name": "Tax_ID", "description": "Tax identification"},
        {"name": "Name"},
    )
    # then the key is the ERP's code, and the tax id keeps the tax id
    assert got["Value"].source == "metadata.erp_customer_code", got["Value"]
    assert got["Tax_ID"].source == "tax_ids.data.0.value", got["Tax_ID"]


def test_a_bracket_saying_again_what_a_code_is_makes_it_a_tax_id(samples):
    got = suggest(
        samples["customer"],
        {"name": "code", "description": "Code: the party's own key"},
        {
            "name": "registrations.0.code",
            "description": "Code of the registration (the VAT number; required)",
        },
    )
    assert got["registrations.0.code"].source == "tax_ids.data.0.value"
    assert got["code"].source == "metadata.erp_customer_code", got["code"]
    # A bracket that opens with no article (a list's name) restates nothing.
    other = suggest(
        samples["customer"],
        {"name": "shipping_rate", "description": "Shipping tax rate (vat_list)"},
    )
    assert other["shipping_rate"].source == "", other["shipping_rate"]


def test_the_users_number_in_the_other_partys_books_has_no_source(samples):
    got = suggest(
        samples["customer"],
        {
            "name": "RefNo",
            "description": "Your account number with the client, for their orders",
        },
        {"name": "Reference", "description": "Reference of the customer"},
    )
    assert got["RefNo"].source == "", got["RefNo"]
    assert got["Reference"].source != "", got["Reference"]


def test_a_payments_method_as_coded_choices_is_stripes_mapped(samples):
    codes = ["1", "2", "3"]
    for field, path in (
        ({"name": "Tender"}, "payment_method_details.type"),
        (
            {"name": "Kind", "description": "Means of payment"},
            "payment_method_details.type",
        ),
        ({"name": "Card_Type"}, "payment_method_details.card.brand"),
    ):
        got = suggest(samples["charge"], {**field, "choices": codes})
        item = got[field["name"]]
        assert item.source == path, item
        assert item.transforms[0]["name"] == "value_map"
    # A payment's type is its direction (received or paid), not its method.
    direction = suggest(
        samples["charge"], {"name": "PaymentType", "choices": ["R", "P"]}
    )
    assert direction["PaymentType"].source == "", direction["PaymentType"]
    # On an invoice the method is the one offered: a setting.
    invoice = suggest(
        samples["invoice"], {"name": "payment_method", "choices": ["1", "2"]}
    )
    assert invoice["payment_method"].source == "", invoice["payment_method"]


def test_choices_that_are_mostly_ways_to_pay_are_a_payments_method(samples):
    got = suggest(
        samples["charge"],
        {
            "name": "RCPTKIND",
            "type": "int",
            "choices": ["0", "1", "2"],
            "description": "Receipt kind 0=Cheque 1=Cash 2=Card",
        },
    )
    assert got["RCPTKIND"].source == "payment_method_details.type", got["RCPTKIND"]
    assert got["RCPTKIND"].transforms[0]["name"] == "value_map"
    # Two ways to pay among other bookings: how it is booked, not paid.
    booked = suggest(
        samples["charge"],
        {
            "name": "booking",
            "choices": ["cash_payment", "bank_transfer", "rounding", "write_off"]
            + ["settlement"],
        },
    )
    assert booked["booking"].source == "", booked["booking"]


def test_a_whole_number_named_for_a_record_and_its_id_is_that_records_key(samples):
    got = suggest(
        samples["customer"],
        {"name": "X_Region_ID", "type": "int"},
        {"name": "X_Country_ID", "type": "int"},
        {"name": "RegionName"},
    )
    assert got["X_Region_ID"].source == "", got["X_Region_ID"]
    assert got["X_Country_ID"].source == "address.country"
    assert got["RegionName"].source == "address.state"


def test_a_bare_value_takes_no_tax_id(samples):
    got = suggest(
        samples["customer"], {"name": "Value"}, {"name": "Tax_No"}, {"name": "Name"}
    )
    assert got["Value"].source != "tax_ids.data.0.value", got["Value"]
    assert got["Tax_No"].source == "tax_ids.data.0.value", got["Tax_No"]
