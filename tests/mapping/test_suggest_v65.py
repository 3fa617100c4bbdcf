"""Suggester rules added on v67's former held-out part (Open Source Point of
Sale, Culqi).

The fields are made up in the shape the misses had (an SDK's request
fields and SQL columns, described in a few words), not copied from one
vendor.
"""

from tests.mapping.suggesting import assert_no_source, suggest


def test_a_currency_allowing_two_iso_codes_is_the_object_s_currency(samples):
    # given a payment's currency that allows only the local code and the dollar
    fields = (
        {
            "name": "moneda_iso",
            "type": "string",
            "description": "ISO 4217 code",
            "choices": ["ARS", "USD"],
        },
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields)
    # then it is Stripe's currency, upper-cased
    assert got["moneda_iso"].source == "currency"
    assert got["moneda_iso"].transforms == [{"name": "upper"}]


def test_a_phone_number_kept_as_a_whole_number_is_the_payer_s_phone(samples):
    # given a payment request's phone number typed as an integer, its digits
    fields = ({"name": "payer_phone_no", "type": "int", "description": "digits only"},)
    # when suggested on a charge
    got = suggest(samples["charge"], *fields, threshold=None)
    # then it is the phone Stripe took with the payment
    assert got["payer_phone_no"].source == "billing_details.phone"


def test_a_sale_given_with_its_time_of_day_is_when_the_record_was_made(samples):
    # given a till's sale columns stamped with the time of day, one named a
    # time and one described as the date and time of the sale
    fields = (
        {"name": "tk_sold_time", "type": "datetime", "description": "of the sale"},
        {
            "name": "tk_sale_ts",
            "type": "datetime",
            "description": "date and time of the sale; timestamp",
        },
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields)
    # then both are the moment Stripe made the charge
    assert got["tk_sold_time"].source == "created"
    assert got["tk_sale_ts"].source == "created"


def test_the_number_of_the_quote_a_document_came_from_has_no_source(samples):
    # given a return's and an invoice's columns for the number of the quote
    # or estimate the sale came from
    fields = (
        {"name": "rt_quote_no", "type": "string", "description": "varchar(32)"},
        {"name": "EstimateNbr", "type": "int"},
    )
    # when suggested on a credit note and on an invoice
    on_credit_note = suggest(samples["credit_note"], *fields)
    on_invoice = suggest(samples["invoice"], *fields)
    # then neither is Stripe's document number: no source
    for got in (on_credit_note, on_invoice):
        assert_no_source(got["rt_quote_no"])
        assert_no_source(got["EstimateNbr"])


def test_a_line_s_cost_price_is_what_the_goods_cost_the_seller(samples):
    # given a receipt line's cost price beside its selling price, described
    # as at the time of sale
    fields = (
        {
            "name": "rl.0.unit_cost_price",
            "type": "decimal",
            "description": "the goods' cost price at the time of sale",
        },
        {"name": "rl.0.ItemCostPrice", "type": "decimal"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then neither is the price Stripe billed: no source
    assert_no_source(got["rl.0.unit_cost_price"])
    assert_no_source(got["rl.0.ItemCostPrice"])


def test_a_whole_number_named_a_line_is_no_street_line(samples):
    # given a basket row's position in its list, and a receipt's line number
    fields = (
        {"name": "basket.0.line", "type": "int", "description": "position"},
        {"name": "rc_line", "type": "int"},
    )
    # when suggested on an invoice, whose customer has a second address line
    got = suggest(samples["invoice"], *fields)
    # then neither takes a street line of the address
    for target in ("basket.0.line", "rc_line"):
        assert not got[target].source.endswith(("line1", "line2")), got[target]


def test_a_type_described_by_a_bracketed_list_of_ways_to_pay_is_the_method(
    samples,
):
    # given a till payment's type whose description lists, in brackets, the
    # names the shop gives its ways to pay
    fields = (
        {
            "name": "tp_kind",
            "type": "string",
            "description": "how it was paid (tenders: Cash, Bank Card, Cheque, Bon)",
        },
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields)
    # then it is the payment's method, mapped onto those names
    assert got["tp_kind"].source == "payment_method_details.type"
    assert got["tp_kind"].transforms[0]["name"] == "value_map"


def test_the_unit_price_of_a_payment_s_first_item_is_what_was_paid(samples):
    # given a till receipt's first item, priced per unit, written from a
    # payment that sells one item
    item = {"name": "basket.0.unit_sale_price", "type": "decimal"}
    # when suggested on a charge, as a user is shown it
    priced = suggest(samples["charge"], item, threshold=None)[item["name"]]
    # then the item's price is the amount Stripe charged, in major units
    assert (priced.source, priced.transforms[0]["name"]) == (
        "amount",
        "minor_to_decimal",
    )


def test_an_amount_in_an_invoice_s_own_list_of_payments_is_what_was_paid(
    samples,
):
    # given an invoice written with its list of the payments taken for it,
    # the first entry's amount
    fields = (
        {"name": "bill_payments.0.amt", "type": "decimal", "description": "paid"},
        {"name": "bill_total", "type": "decimal"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the entry is the amount Stripe says was paid on it
    assert got["bill_payments.0.amt"].source == "amount_paid"


def test_a_reference_in_an_invoice_s_own_list_of_payments_is_its_charge(samples):
    # given an invoice written with its list of the payments taken for it,
    # the first entry's reference, beside the document's own payment
    # reference for the bank
    fields = (
        {"name": "bill_payments.0.txn_ref", "type": "string"},
        {"name": "bill_no", "type": "string"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the entry's reference is the charge that paid the invoice
    assert got["bill_payments.0.txn_ref"].source == "charge"


def test_a_refund_s_reasons_allowed_in_spanish_map_from_stripe_s(samples):
    # given a refund's reason allowing only Spanish words for a duplicate, a
    # fraud and the buyer's request
    fields = (
        {
            "name": "motivo",
            "type": "string",
            "choices": ["fraudulento", "solicitud_comprador", "duplicado"],
        },
    )
    # when suggested on a refund
    got = suggest(samples["refund"], *fields)
    # then Stripe's reason is mapped onto them, each to its own
    steps = got["motivo"].transforms
    assert got["motivo"].source == "reason"
    assert steps[0]["params"]["map"] == {
        "duplicate": "duplicado",
        "fraudulent": "fraudulento",
        "requested_by_customer": "solicitud_comprador",
    }
