"""Suggester rules added on v66's former held-out part (BlueSeer, PayU Latam).

The fields are made up in the shape the misses had (SQL columns with a
table's prefix, described in a few words), not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, suggest


def test_a_home_currency_named_with_currency_cut_short_has_no_source(samples):
    # given a receipt's and its line's home currency, with "currency" cut
    # short in the names (curr, ccy)
    fields = (
        {"name": "rc_home_ccy", "type": "string", "description": "code"},
        {"name": "rcd_local_curr", "type": "string"},
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields)
    # then the company's own currency is the ERP's: no source
    assert_no_source(got["rc_home_ccy"])
    assert_no_source(got["rcd_local_curr"])


def test_a_date_described_as_today_s_is_the_day_the_erp_writes_it(samples):
    # given a receipt's and a journal row's dates described as today's, with
    # no default to fall back from
    fields = (
        {"name": "rc_fecha_alta", "type": "date", "description": "alta (today)"},
        {
            "name": "jr_keyed_on",
            "type": "date",
            "description": "the day keyed; always today's date",
        },
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields)
    # then the ERP stamps them as it writes: no source
    assert_no_source(got["rc_fecha_alta"])
    assert_no_source(got["jr_keyed_on"])


def test_a_date_that_only_defaults_to_today_is_still_the_document_s(samples):
    # given a receipt's date that falls back to today when not sent
    fields = ({"name": "fecha", "type": "date", "description": "date (default today)"},)
    # when suggested on a charge
    got = suggest(samples["charge"], *fields)
    # then it is still when Stripe made the charge
    assert got["fecha"].source == "created"


def test_an_amount_still_owed_on_a_document_has_no_source(samples):
    # given an invoice's open and outstanding amounts, which the ERP sets to
    # the total and lowers as payments are applied
    fields = (
        {"name": "fc_open_amt", "type": "decimal", "description": "numeric(12,2)"},
        {"name": "OutstandingTotal", "type": "decimal"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then what is still owed is the ERP's to keep: no source
    assert_no_source(got["fc_open_amt"])
    assert_no_source(got["OutstandingTotal"])


def test_a_shipping_word_on_a_column_that_is_no_address_part_keeps_the_side(
    samples,
):
    # given a customer table's prefixed address columns, and beside them a
    # column of the same prefix for the carrier the deliveries go by
    fields = (
        {"name": "cl_street", "type": "string", "description": "street"},
        {"name": "cl_city", "type": "string", "description": "city"},
        {"name": "cl_via", "type": "string", "description": "delivery carrier"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    # then the address is still the customer's own, not the shipping one
    assert got["cl_street"].source == "address.line1"
    assert got["cl_city"].source == "address.city"


def test_a_column_for_a_print_or_label_format_is_a_setting(samples):
    # given a customer's columns for the layout its labels and documents are
    # printed in
    fields = (
        {"name": "cl_etiqueta", "type": "string", "description": "parcel label format"},
        {"name": "cl_doc_form", "type": "string", "description": "print layout"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    # then they are the ERP's settings: no source
    assert_no_source(got["cl_etiqueta"])
    assert_no_source(got["cl_doc_form"])


def test_a_signature_or_checksum_the_integration_computes_has_no_source(samples):
    # given a request's signature and checksum, computed from the merchant's
    # key and the request's own values
    fields = (
        {
            "name": "requestSignature",
            "type": "string",
            "description": "HMAC of the invoice id and the amount",
        },
        {"name": "doc_checksum", "type": "string", "description": "of the number"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the integration computes them: no source
    assert_no_source(got["requestSignature"])
    assert_no_source(got["doc_checksum"])


def test_a_date_described_first_as_the_payment_deadline_is_the_due_date(samples):
    # given a collection's date described as the deadline to pay by, under a
    # name that says it expires
    fields = (
        {
            "name": "slipExpiry",
            "type": "datetime",
            "description": "payment deadline of a bank transfer slip",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is the invoice's due date, shown to the user
    assert got["slipExpiry"].source == "due_date"


def test_a_payout_s_effective_date_is_when_the_money_arrives(samples):
    # given a bank row's date described as the effective one
    fields = ({"name": "mv_fecha_ef", "type": "date", "description": "effective date"},)
    # when suggested on a payout
    got = suggest(samples["payout"], *fields)
    # then it is when the payout reaches the bank
    assert got["mv_fecha_ef"].source == "arrival_date"
