"""Suggester rules added on v49's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a currency allowed from a
short list of a region's codes, a seller's own contact on a document), not
copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, lookup, suggest


def test_a_currency_from_a_regions_codes_is_the_documents(samples):
    # given an invoice's currency allowed from a short list of ISO codes
    # that lacks the euro and the pound
    field = {
        "name": "currency",
        "type": "string",
        "description": "Currency of the bill. Allowed values: KES, UGX, TZS, USD",
        "choices": ["KES", "UGX", "TZS", "USD"],
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is the invoice's currency, upper-cased, not a setting
    assert got["currency"].source == "currency"
    assert got["currency"].transforms == [{"name": "upper"}]


def test_a_line_amount_in_the_currencys_subunit_is_the_lines(samples):
    # given the amount of an invoice's first line item, a whole number
    # described as counted in the currency's subunit
    field = {
        "name": "items.0.amount",
        "type": "int",
        "description": "Items billed, the first: its amount, an integer in the "
        "currency's subunit",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is the first line's amount as it is, not the document's total
    assert got["items.0.amount"].source == "lines.data.0.amount"
    assert got["items.0.amount"].transforms == []


def test_a_date_described_as_a_date_time_holds_the_time(samples):
    # given a date field whose description gives its format as a date-time
    field = {
        "name": "due_on",
        "type": "date",
        "description": "ISO 8601 representation of when the bill falls due (date-time)",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then the due date is written with its time of day
    assert got["due_on"].source == "due_date"
    assert got["due_on"].transforms[0]["name"] == "unix_to_datetime"


def test_a_sellers_own_contact_is_no_customers(samples):
    # given the seller's e-mail, phone and country on an invoice, beside no
    # field of the buyer's
    fields = (
        {
            "name": "sellerEmail",
            "type": "string",
            "description": "E-mail of the seller",
        },
        {
            "name": "seller_phone_number",
            "type": "string",
            "description": "The seller's telephone",
        },
        {
            "name": "seller_country_code",
            "type": "string",
            "description": "The seller's country (ISO 3166)",
        },
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=0.0)
    # then none is the customer's: the seller is the integration's own company
    assert_no_source(got["sellerEmail"])
    assert_no_source(got["seller_phone_number"])
    assert_no_source(got["seller_country_code"])


def test_the_first_taxs_amount_is_the_documents_tax(samples):
    # given the amount of the first entry of an invoice's list of taxes, a
    # whole number in the minor unit
    field = {
        "name": "taxes.0.amount",
        "type": "int",
        "description": "Taxes applied, the first: amount of the tax, in cents",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is the invoice's tax as it is, not its total
    assert got["taxes.0.amount"].source == "tax"
    assert got["taxes.0.amount"].transforms == []


def test_a_bare_key_in_the_url_is_the_record_made_for_the_object(samples):
    # given an update's key in its URL, of a record the description names by
    # no word of Stripe's
    field = {
        "name": "id",
        "type": "int",
        "description": "The unique identifier of a previously created billing "
        "request (path parameter, required)",
    }
    # when suggested on an invoice
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is the record made earlier for the invoice, through the id map
    assert got["id"].source == "id"
    assert lookup(got["id"]) == "invoice"


def test_a_refunds_previously_completed_payment_is_its_charge(samples):
    # given a refund's field naming the payment it gives back by no key word,
    # described as one completed before
    field = {
        "name": "sale",
        "type": "string",
        "description": "Reference of an earlier completed payment (required)",
    }
    # when suggested
    got = suggest(samples["refund"], field, threshold=None)
    # then it is the charge refunded, through the id map, not the refund's id
    assert got["sale"].source == "charge"
    assert lookup(got["sale"]) == "charge"


def test_a_refund_reason_the_customer_gives_is_not_stripes(samples):
    # given a refund's two notes, the reason the buyer gives and the reason
    # the merchant gives
    buyers = {"name": "buyer_text", "type": "string", "description": "Buyer reason"}
    merchants = {
        "name": "merchant_text",
        "type": "string",
        "description": "Merchant reason",
    }
    # when suggested
    got = suggest(samples["refund"], buyers, merchants, threshold=None)
    # then the buyer's is none of Stripe's, whose reason is the merchant's
    assert not got["buyer_text"].source
    assert got["merchant_text"].source == "reason"


def test_a_goods_lines_gross_money_is_none_of_stripes(samples):
    # given the gross unit price and gross total of an invoice's first line
    fields = (
        {
            "name": "rows.0.unit_price_gross",
            "type": "decimal",
            "description": "Rows: gross price of one unit",
        },
        {
            "name": "rows.0.line_total_gross",
            "type": "decimal",
            "description": "Rows: total gross value of the row",
        },
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=0.0)
    # then neither is the line's amount or the document's total: Stripe's
    # line amounts leave the tax out
    assert_no_source(got["rows.0.unit_price_gross"])
    assert_no_source(got["rows.0.line_total_gross"])


def test_a_tax_numbers_kind_with_allowed_values_is_the_tax_ids_type(samples):
    # given the kind of a customer's tax number, named so, allowed from the
    # ERP's own codes and described as an identification number's kind
    field = {
        "name": "tax_nr_kind",
        "type": "string",
        "description": "Kind of identification number: eu (EU VAT number), "
        "national (tax number), none",
        "choices": ["eu", "national", "none"],
    }
    # when suggested
    got = suggest(samples["customer"], field, threshold=None)
    # then it is the tax id's type, onto the ERP's codes
    assert got["tax_nr_kind"].source == "tax_ids.data.0.type"
    assert got["tax_nr_kind"].transforms[0]["name"] == "value_map"


def test_a_goods_lines_own_detail_is_no_field_of_the_document(samples):
    # given details of an invoice's first goods line that Stripe's line does
    # not keep: its product code, its tax rate as text, a note on it
    fields = (
        {
            "name": "rows.0.code",
            "type": "string",
            "description": "Rows: product code",
        },
        {
            "name": "rows.0.tax",
            "type": "string",
            "description": "Rows: tax, a rate or 'exempt'",
        },
        {
            "name": "rows.0.extra_info",
            "type": "string",
            "description": "Rows: additional information on the row",
        },
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=0.0)
    # then none is the document's postal code, tax or description
    assert_no_source(got["rows.0.code"])
    assert_no_source(got["rows.0.tax"])
    assert_no_source(got["rows.0.extra_info"])


def test_a_date_the_tax_is_booked_on_is_the_erps(samples):
    # given the dates an invoice's VAT and income tax are booked on
    fields = (
        {
            "name": "vat_booking_date",
            "type": "date",
            "description": "Date the VAT is booked on (when set up so)",
        },
        {
            "name": "income_tax_accounting_date",
            "type": "date",
            "description": "Date the income tax is booked on",
        },
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=0.0)
    # then neither is when Stripe made the invoice: the ERP's tax rules set it
    assert_no_source(got["vat_booking_date"])
    assert_no_source(got["income_tax_accounting_date"])


def test_a_currency_to_exchange_into_is_a_second_currency(samples):
    # given the currency an invoice's totals are converted into
    field = {
        "name": "exchange_currency_code",
        "type": "string",
        "description": "Currency the total and tax are converted into, e.g. EUR",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=0.0)
    # then it is not the invoice's own currency: no Stripe field holds it
    assert_no_source(got["exchange_currency_code"])


def test_a_date_described_as_the_payment_due_date_is_the_due_date(samples):
    # given an invoice's date named by no due word, described as the payment
    # due date
    field = {
        "name": "payable_by",
        "type": "date",
        "description": "Payment due date, used when the terms say so",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is the invoice's due date
    assert got["payable_by"].source == "due_date"
    assert got["payable_by"].transforms[0]["name"] == "unix_to_date"


def test_a_flag_of_whether_the_payment_itself_is_paid_is_stripes_paid(samples):
    # given a payment's flag described as whether the payment itself is paid
    field = {
        "name": "settled",
        "type": "flag",
        "description": "Whether the payment was paid",
    }
    # when suggested
    got = suggest(samples["charge"], field, threshold=None)
    # then it is the charge's paid flag, not a setting
    assert got["settled"].source == "paid"


def test_money_described_as_the_payments_amount_is_its_amount(samples):
    # given a payment's money named a cost, described as the payment's
    # amount
    field = {
        "name": "cost",
        "type": "decimal",
        "description": "Amount of the payment (for example 100.05)",
    }
    # when suggested
    got = suggest(samples["charge"], field, threshold=None)
    # then it is the charge's amount, in the main unit
    assert got["cost"].source == "amount"
    assert got["cost"].transforms[0]["name"] == "minor_to_decimal"


def test_a_name_described_as_the_payments_title_is_its_description(samples):
    # given a payment's name described as the payment's own title
    field = {
        "name": "payment_name",
        "type": "string",
        "description": "Name (title) of the payment, e.g. 'Payment 001'",
    }
    # when suggested
    got = suggest(samples["charge"], field, threshold=None)
    # then it is the charge's description, not the payer's name
    assert got["payment_name"].source == "description"


def test_a_kind_with_no_allowed_values_is_the_erps_choice(samples):
    # given a payment's kind, given by example only
    field = {
        "name": "entry_kind",
        "type": "string",
        "description": "Kind of entry (example 'web')",
    }
    # when suggested
    got = suggest(samples["charge"], field, threshold=0.0)
    # then it is no Stripe type of the charge: a choice of the ERP's
    assert not got["entry_kind"].source


def test_a_date_of_sale_is_the_supplys_not_the_documents(samples):
    # given an invoice's date of sale, beside its date of issue
    field = {
        "name": "date_sold",
        "type": "date",
        "description": "Date of sale (a day, or a month as 2024-05)",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=0.0)
    # then it is not when Stripe made the invoice: the goods' supply date
    assert_no_source(got["date_sold"])


def test_the_documents_external_identifier_is_stripes_id(samples):
    # given an invoice's order number described as the invoice's external
    # identifier, beside its own number
    fields = (
        {"name": "number", "type": "string", "description": "Invoice number"},
        {
            "name": "ordno",
            "type": "string",
            "description": "Order number (e.g. from an external shop); the "
            "invoice's external identifier",
        },
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is the Stripe invoice's id, the key it is known by outside
    assert got["ordno"].source == "id"
    assert got["number"].source == "number"


def test_a_number_described_as_a_tax_rate_is_no_amount(samples):
    # given a goods line's number named a tax, described as a tax rate
    field = {
        "name": "rows.0.flat_tax",
        "type": "decimal",
        "description": "Rows: flat-rate income tax rate",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=0.0)
    # then it is not the invoice's tax: a rate the ERP applies
    assert_no_source(got["rows.0.flat_tax"])
