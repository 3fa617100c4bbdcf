"""Suggester rules added on v59's former held-out part: each a class of
misses.

The fields are made up in the shape the misses had (the columns of an old
ERP's tables in their abbreviated names, each described by a short phrase and
its declared column type with its width: a currency's short key, system
stamps of the row's creation and last update, numbered slots of a document's
tax, a fiscal period to post to), not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, suggest


def test_an_abbreviated_currency_key_of_a_code_width_is_its_iso_code(samples):
    # given a currency's key written short, its column four characters wide
    fields = (
        {
            "name": "CurrKey",
            "type": "string",
            "description": "Currency key of the document; column 12, Text[4]",
        },
        {
            "name": "CuryKey",
            "type": "string",
            "description": "Currency key of the document; column 12, Char(3)",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each holds the currency's ISO code, not a record's key
    for name in ("CurrKey", "CuryKey"):
        assert got[name].source == "currency", got[name]
        assert [step["name"] for step in got[name].transforms] == ["upper"]


def test_a_currencys_date_marker_and_rate_type_are_not_its_code(samples):
    # given fields of the currency written short: the date its rate holds
    # from, a one-character multiply or divide marker, the rate's type
    fields = (
        {
            "name": "CurrEffDate",
            "type": "date",
            "description": "Effective date of the exchange rate; Date",
        },
        {
            "name": "CuryMultDiv",
            "type": "string",
            "description": "Whether the rate multiplies or divides; Text[1]",
        },
        {
            "name": "CuryRtTp",
            "type": "string",
            "description": "Rate type for the currency's price levels; Text[6]",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then none takes the currency's code
    for name in ("CurrEffDate", "CuryMultDiv", "CuryRtTp"):
        assert got[name].source != "currency", got[name]
    assert_no_source(got["CuryRtTp"])


def test_the_erps_stamps_on_its_row_have_no_source(samples):
    # given a row's stamps of its writing and last change, set by the ERP
    fields = (
        {
            "name": "Crtd_Stamp",
            "type": "datetime",
            "description": "Date and time the record was created (set by the ERP)",
        },
        {
            "name": "LUpd_Stamp",
            "type": "datetime",
            "description": "Date and time the record was last updated",
        },
        {
            "name": "MadeOnUtc",
            "type": "datetime",
            "description": "Gets or sets the date and time of entity creation",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then none is the invoice's creation date
    for name in ("Crtd_Stamp", "LUpd_Stamp", "MadeOnUtc"):
        assert_no_source(got[name])


def test_later_numbered_slots_of_one_figure_have_no_source(samples):
    # given a tax total for each of three tax codes, numbered from zero
    fields = tuple(
        {
            "name": f"DocTaxTotal0{number}",
            "type": "decimal",
            "description": f"Tax total for tax code {number + 1}",
        }
        for number in range(3)
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the first slot takes the invoice's tax, the later ones nothing
    assert got["DocTaxTotal00"].source == "tax"
    assert_no_source(got["DocTaxTotal01"])
    assert_no_source(got["DocTaxTotal02"])


def test_a_field_reserved_for_future_use_has_no_source(samples):
    # given dated and text columns the ERP keeps back for a later version
    fields = (
        {
            "name": "Spare07",
            "type": "date",
            "description": "Reserved by the vendor for future use; Date",
        },
        {
            "name": "Spare01",
            "type": "string",
            "description": "reserved for future use",
        },
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields)
    # then neither is filled
    assert_no_source(got["Spare07"])
    assert_no_source(got["Spare01"])


def test_the_books_period_a_document_is_posted_in_has_no_source(samples):
    # given the period of the books written short, read as a postal word
    fields = (
        {
            "name": "PrdPost",
            "type": "string",
            "description": "Fiscal period to post to; Text[6]",
        },
        {
            "name": "PostPeriod",
            "type": "string",
            "description": "Specifies the period that the entry was posted to.",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then neither is a postal code, nor anything Stripe keeps
    assert_no_source(got["PrdPost"])
    assert_no_source(got["PostPeriod"])


def test_figures_the_books_work_out_about_a_document_have_no_source(samples):
    # given a document's commission, its exchange gain or loss, its cleared sum
    fields = (
        {
            "name": "DocCmmnAmt",
            "type": "decimal",
            "description": "Commission amount, document currency",
        },
        {
            "name": "FxGainLossAmt",
            "type": "decimal",
            "description": "Realized gain or loss from exchange rates",
        },
        {"name": "ClearedAmount", "type": "decimal"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then none is the invoice's total
    for name in ("DocCmmnAmt", "FxGainLossAmt", "ClearedAmount"):
        assert_no_source(got[name])


def test_dates_of_a_discount_a_statement_or_a_rate_are_not_the_documents(samples):
    # given dates named short for a discount's last day, a statement and the
    # day a currency's rate holds from
    fields = (
        {"name": "DiscDate", "type": "date"},
        {"name": "StmtDate", "type": "date", "description": "statement date"},
        {
            "name": "CurrRateDate",
            "type": "date",
            "description": "Effective date of the exchange rate",
        },
        {"name": "DocDate", "type": "date"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then only the document's own date is its creation
    assert got["DocDate"].source == "created"
    for name in ("DiscDate", "StmtDate", "CurrRateDate"):
        assert_no_source(got[name])


def test_keys_of_the_erps_tax_tables_are_not_the_partys_tax_number(samples):
    # given a customer's numbered tax codes and tax location beside its tax
    # registration number
    fields = (
        {
            "name": "TaxKey00",
            "type": "string",
            "description": "Default tax ID 1 (sales tax table); Text[10]",
        },
        {"name": "TaxKey01", "type": "string", "description": "Default tax ID 2"},
        {"name": "TaxLocId", "type": "string", "description": "Tax location ID"},
        {
            "name": "TaxRegNbr",
            "type": "string",
            "description": "Tax registration number",
        },
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields, threshold=None)
    # then only the registration number is the customer's tax number
    assert got["TaxRegNbr"].source == "tax_ids.data.0.value"
    for name in ("TaxKey00", "TaxKey01", "TaxLocId"):
        assert_no_source(got[name])


def test_an_amount_applied_to_an_invoice_has_no_source_on_a_refund(samples):
    # given an entry's amount described as applied to an invoice
    fields = (
        {
            "name": "applications.0.sum",
            "type": "decimal",
            "description": "The amount applied to that invoice",
        },
    )
    # when suggested on a refund
    got = suggest(samples["refund"], *fields)
    # then Stripe has none: a refund is applied to no invoice
    assert_no_source(got["applications.0.sum"])


def test_the_folders_of_a_cited_file_are_not_read(samples):
    # given a document's reference whose description cites a file kept in a
    # folder named for another record
    fields = (
        {
            "name": "RefNbr",
            "type": "string",
            "description": "Reference number of the document; Text[10] "
            "(acme/erp@0a1b2c3d4e:src/Migration/Customers/Doc.Table.al)",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is the invoice's number, not a key of the customer
    assert got["RefNbr"].source == "number"


def test_the_master_documents_number_has_no_source(samples):
    # given the number of the master document a run of installments shares
    fields = (
        {
            "name": "MasterDocNo",
            "type": "string",
            "description": "Master document number (installment documents)",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then it is not the invoice's own number
    assert_no_source(got["MasterDocNo"])


def test_the_original_documents_key_has_no_source_on_an_invoice_or_payment(
    samples,
):
    # given the number of the original document the record follows from
    field = {
        "name": "OrigDocNo",
        "type": "string",
        "description": "Original document number",
    }
    # when suggested on an invoice and on a charge
    invoice = suggest(samples["invoice"], field)
    charge = suggest(samples["charge"], field)
    # then neither has it: Stripe's invoice and charge follow from no document
    assert_no_source(invoice["OrigDocNo"])
    assert_no_source(charge["OrigDocNo"])


def test_a_counter_of_lines_is_no_amount(samples):
    # given a whole number counting the lines taxed with one tax code
    fields = (
        {
            "name": "TaxLineCntr",
            "type": "int",
            "description": "Counter of lines taxed with tax code 1",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then it is a count, not the invoice's tax
    assert_no_source(got["TaxLineCntr"])


def test_a_subtotal_on_a_payment_has_no_source(samples):
    # given an order's subtotals before and with tax, recorded for a payment
    fields = (
        {"name": "OrderSubtotalExclTax", "type": "decimal"},
        {"name": "order_sub_total", "type": "decimal"},
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields)
    # then neither is the charge's amount: a payment is not itemised
    assert_no_source(got["OrderSubtotalExclTax"])
    assert_no_source(got["order_sub_total"])


def test_a_subtotal_with_its_tax_has_no_source(samples):
    # given a document's subtotal with its tax beside the one without
    fields = (
        {"name": "OrderSubtotalInclTax", "type": "decimal"},
        {"name": "OrderSubtotalExclTax", "type": "decimal"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then only the one before tax is Stripe's subtotal
    assert got["OrderSubtotalExclTax"].source == "subtotal"
    assert_no_source(got["OrderSubtotalInclTax"])


def test_a_masked_card_number_takes_the_last_digits_before_the_full_one(samples):
    # given a card's number in full beside the same number shown masked
    fields = (
        {"name": "CardNumber", "type": "string", "description": "The card number"},
        {
            "name": "MaskedCreditCardNumber",
            "type": "string",
            "description": "The masked credit card number",
        },
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields, threshold=None)
    # then the masked one takes the last four digits Stripe gives
    assert got["MaskedCreditCardNumber"].source == "payment_method_details.card.last4"
    assert_no_source(got["CardNumber"])


def test_a_tax_category_written_short_is_a_setting(samples):
    # given a line's tax category, its word written short
    fields = ({"name": "TaxCat", "type": "string", "description": "tax category"},)
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then it is the ERP's tax setup, not the invoice's tax
    assert_no_source(got["TaxCat"])


def test_a_lines_money_with_or_without_its_tax(samples):
    # given the first line's price without its tax and with it
    fields = (
        {"name": "Items.0.PriceExclTax", "type": "decimal"},
        {"name": "Items.0.PriceInclTax", "type": "decimal"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the one without tax is the first line's amount, the gross none
    assert got["Items.0.PriceExclTax"].source == "lines.data.0.amount"
    assert_no_source(got["Items.0.PriceInclTax"])
