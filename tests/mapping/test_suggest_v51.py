"""Suggester rules added on v53's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a table row of hundreds
of columns, most with no Stripe source, families of prefixed copies of one
column), not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, lookup, suggest

# Columns of a wide ERP row that no Stripe field fills, as padding.
_PADDING = tuple(
    {"name": f"UserChar{n}", "type": "string", "description": "User defined text"}
    for n in range(1, 41)
)
# More of them, for a row as wide as a full table's.
_MORE_PADDING = tuple(
    {"name": f"UserFlag{n}", "type": "boolean", "description": "User defined flag"}
    for n in range(1, 121)
)


def _suggest_in_a_wide_row(objects, *fields):
    """The suggestions for `fields` among padding, in a full table's row."""
    return suggest(objects, *fields, *_PADDING, *_MORE_PADDING, threshold=None)


def test_a_wide_row_that_speaks_of_itself_as_a_row_is_no_line(samples):
    # given an invoice header row of many columns, two of which describe the
    # stored row itself (its key, its revision) and a plain document amount
    fields = (
        {
            "name": "RowGuid",
            "type": "string",
            "description": "Unique identifier for this row, a GUID",
        },
        {
            "name": "RowRevision",
            "type": "int",
            "description": "Revision of this row, raised on each write",
        },
        {
            "name": "DocumentAmount",
            "type": "decimal",
            "description": "Amount of the document",
        },
        *_PADDING,
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the row is the document, not its first line
    assert not got["DocumentAmount"].source.startswith("lines.")


def test_a_wide_rows_other_dates_leave_the_document_date_to_its_own(samples):
    # given a full invoice table row: the invoice's own date among dates the
    # ERP keeps of its own (last change, closing, posting to the books)
    fields = (
        {"name": "ClosingDate", "type": "date", "description": "Date closed"},
        {"name": "InvoiceDate", "type": "date", "description": "Invoice date"},
        {"name": "LastChangeDate", "type": "date", "description": "Last changed"},
        {"name": "PostingDate", "type": "date", "description": "Date posted"},
        {"name": "RecordCreatedOn", "type": "date"},
    )
    # when suggested
    got = _suggest_in_a_wide_row(samples["invoice"], *fields)
    # then the invoice's date is the only one dated by its creation
    assert got["InvoiceDate"].source == "created"
    assert_no_source(got["ClosingDate"])
    assert_no_source(got["LastChangeDate"])
    assert_no_source(got["PostingDate"])
    assert_no_source(got["RecordCreatedOn"])


def test_an_amount_kept_in_several_currencies_is_the_documents_copy(samples):
    # given a receipt's amount kept as a family of columns: in the company's
    # base currency, in the document's (Doc-) and in two reporting
    # currencies (Rpt1-, Rpt2-)
    fields = (
        {"name": "ReceivedAmt", "type": "decimal", "description": "Amount received"},
        {
            "name": "DocReceivedAmt",
            "type": "decimal",
            "description": "Amount received in the customer's currency",
        },
        {"name": "Rpt1ReceivedAmt", "type": "decimal", "description": "Reporting 1"},
        {"name": "Rpt2ReceivedAmt", "type": "decimal", "description": "Reporting 2"},
    )
    # when suggested
    got = suggest(samples["charge"], *fields, threshold=None)
    # then only the document's copy is the charge's amount
    assert got["DocReceivedAmt"].source == "amount"
    assert_no_source(got["ReceivedAmt"])
    assert_no_source(got["Rpt1ReceivedAmt"])
    assert_no_source(got["Rpt2ReceivedAmt"])


def test_a_wide_rows_amounts_leave_the_payments_amount_to_one(samples):
    # given a full payment table row with several amounts in the document's
    # currency: the payment's own, what was applied to invoices, what was
    # held back
    fields = (
        {
            "name": "DocPaymentAmt",
            "type": "decimal",
            "description": "Payment amount in the customer's currency",
        },
        {
            "name": "DocSettledAmt",
            "type": "decimal",
            "description": "Amount settled against invoices",
        },
        {"name": "DocHeldAmt", "type": "decimal", "description": "Amount held back"},
    )
    # when suggested
    got = _suggest_in_a_wide_row(samples["charge"], *fields)
    # then the first, the payment's own, is the charge's amount; the others
    # are the ERP's
    assert got["DocPaymentAmt"].source == "amount"
    assert_no_source(got["DocSettledAmt"])
    assert_no_source(got["DocHeldAmt"])


def test_a_date_named_for_when_it_expired_is_not_the_creation(samples):
    # given a hosted invoice's lapse date, named in the past tense
    fields = (
        {"name": "expired_at", "type": "date", "description": "Expiration of the page"},
        {"name": "amount", "type": "int", "description": "Amount of the invoice"},
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it has no source: Stripe's invoice has no such date
    assert_no_source(got["expired_at"])


def test_a_refund_calls_url_key_described_as_a_payments_is_the_charge(samples):
    # given a refund call's bare key in its URL, described (in a paraphrase
    # with the vendor's name) as the key of the payment refunded
    fields = (
        {
            "name": "id",
            "type": "string",
            "description": "No description in the source (paraphrased): the Acme "
            "payment's id, the path parameter of POST /payments/{id}/refund",
        },
        {"name": "amount", "type": "int", "description": "Amount to refund"},
    )
    # when suggested
    got = suggest(samples["refund"], *fields, threshold=None)
    # then it is the charge refunded, through the id map
    assert got["id"].source == "charge"
    assert lookup(got["id"]) == "charge"


def test_a_wide_rows_keys_and_places_leave_each_source_to_one(samples):
    # given a full customer table row with its external id and its country
    # beside other systems' keys and the countries of other addresses
    # (bill-to, freight forwarder), each kept in prefixed columns
    fields = (
        {"name": "Country", "type": "string", "description": "Country"},
        {"name": "ExternalID", "type": "string", "description": "External ID"},
        {"name": "BillToCountry", "type": "string", "description": "Bill-to country"},
        {"name": "FwdCountry", "type": "string", "description": "Forwarder country"},
        {"name": "CrmExternalID", "type": "string", "description": "CRM's ID"},
        {"name": "ServiceRef1", "type": "string", "description": "Service reference"},
    )
    # when suggested
    got = _suggest_in_a_wide_row(samples["customer"], *fields)
    # then the plain columns keep the customer's id and country, the others
    # have none
    assert got["ExternalID"].source == "id"
    assert got["Country"].source == "address.country"
    assert_no_source(got["BillToCountry"])
    assert_no_source(got["FwdCountry"])
    assert_no_source(got["CrmExternalID"])
    assert_no_source(got["ServiceRef1"])


def test_a_text_described_as_the_ledgers_leaves_the_note_to_a_comment(samples):
    # given an invoice's comment beside a column named description that the
    # ERP describes as its general ledger posting's text
    fields = (
        {
            "name": "HeaderComment",
            "type": "string",
            "description": "Comments about the invoice as a whole",
        },
        {"name": "Description", "type": "string", "description": "GL description"},
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the comment is the invoice's description, the ledger's text none
    assert got["HeaderComment"].source == "description"
    assert_no_source(got["Description"])


def test_a_lines_description_owns_its_text_before_a_printed_comment(samples):
    # given a row that is one invoice line: its description, and a comment
    # on the line that is printed on the invoice
    fields = (
        {
            "name": "ItemDesc",
            "type": "string",
            "description": "Description of the line item",
        },
        {
            "name": "ItemComment",
            "type": "string",
            "description": "Comments about the invoice line item, printed on the "
            "invoice",
        },
        {"name": "ItemPrice", "type": "decimal", "description": "Price of the row"},
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the description is the first line's, the comment has none
    assert got["ItemDesc"].source == "lines.data.0.description"
    assert_no_source(got["ItemComment"])


def test_a_rows_company_key_is_not_the_lines_name(samples):
    # given a row that is one invoice line, keyed by the company (the ERP's
    # tenant) it belongs to, with its own description
    fields = (
        {"name": "Company", "type": "string", "description": "Company identifier"},
        {
            "name": "ItemDesc",
            "type": "string",
            "description": "Description of the line item",
        },
        {"name": "ItemPrice", "type": "decimal", "description": "Price of the row"},
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the description is the first line's, the company has none
    assert got["ItemDesc"].source == "lines.data.0.description"
    assert_no_source(got["Company"])


def test_a_wide_rows_party_role_keys_leave_the_customer_to_the_plain_one(
    samples,
):
    # given a full invoice table row keyed to its customer, and to the
    # customers it is sold and shipped to, each by the customer's number
    fields = (
        {"name": "CustomerNum", "type": "int", "description": "Customer number"},
        {"name": "SoldToCustomerNum", "type": "int", "description": "Sold-to"},
        {"name": "ShipToCustomerNum", "type": "int", "description": "Ship-to"},
    )
    # when suggested
    got = _suggest_in_a_wide_row(samples["invoice"], *fields)
    # then the plain customer number is the invoice's customer, the others
    # are the ERP's own roles
    assert got["CustomerNum"].source == "customer"
    assert lookup(got["CustomerNum"]) == "customer"
    assert_no_source(got["SoldToCustomerNum"])
    assert_no_source(got["ShipToCustomerNum"])


def test_an_e_invoices_timestamp_is_not_the_invoices_own_date(samples):
    # given a full invoice table row: the invoice's date and the time its
    # electronic copy was stamped, named by a short e- prefix
    fields = (
        {"name": "InvoiceDate", "type": "date", "description": "Invoice date"},
        {"name": "EInvoiceTimestamp", "type": "date", "description": "Stamped"},
    )
    # when suggested
    got = _suggest_in_a_wide_row(samples["invoice"], *fields)
    # then only the invoice's date is its creation
    assert got["InvoiceDate"].source == "created"
    assert_no_source(got["EInvoiceTimestamp"])


def test_a_plain_country_beside_the_country_records_key_is_its_name(samples):
    # given a customer's address country as text beside the key of the
    # ERP's country record
    fields = (
        {"name": "Country", "type": "string", "description": "Country of the address"},
        {"name": "CountryKey", "type": "int", "description": "The country record"},
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the key is the country through the country table, and the text
    # is the country's name
    assert lookup(got["CountryKey"]) == "country"
    steps = got["Country"].transforms
    assert got["Country"].source == "address.country"
    assert steps == [{"name": "country_code", "params": {"to": "name"}}]


def test_a_customers_tax_exemption_code_takes_stripes_status_mapped(samples):
    # given a customer's tax exemption as the ERP's own code, free text
    fields = (
        {
            "name": "TaxExemption",
            "type": "string",
            "description": "Why the customer is exempt from sales tax; blank when "
            "it is taxed",
        },
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then Stripe's tax status goes onto the ERP's codes through a value map
    assert got["TaxExemption"].source == "tax_exempt"
    assert got["TaxExemption"].transforms[0]["name"] == "value_map"


def test_a_credit_notes_reason_field_takes_stripes_reason_mapped(samples):
    # given a credit note's reason, a code of the ERP's own with no doc
    fields = ({"name": "CreditReason", "type": "string"},)
    # when suggested
    got = suggest(samples["credit_note"], *fields, threshold=None)
    # then Stripe's reason code goes onto the ERP's codes through a value map
    assert got["CreditReason"].source == "reason"
    assert got["CreditReason"].transforms[0]["name"] == "value_map"


def test_a_customer_id_cut_short_is_no_german_vat_id(samples):
    # given a payment's customer by a key cut short (Cust for customer),
    # whose letters run into those of the German VAT id's (USt-IdNr)
    fields = ({"name": "CustIdNo", "type": "string", "description": "The customer"},)
    # when suggested
    got = suggest(samples["charge"], *fields, threshold=None)
    # then it is the charge's customer through the id map, no tax id
    assert got["CustIdNo"].source == "customer"
    assert lookup(got["CustIdNo"]) == "customer"


def test_a_wide_rows_two_plain_keys_of_the_customer_both_keep_it(samples):
    # given a full payment table row keyed to its customer twice: by the
    # customer's code (cut short) and by its number, and once as sold to
    fields = (
        {"name": "CustIdNo", "type": "string", "description": "The customer"},
        {"name": "CustomerNum", "type": "int", "description": "Customer number"},
        {"name": "SoldToCustomerNum", "type": "int", "description": "Sold-to"},
    )
    # when suggested
    got = _suggest_in_a_wide_row(samples["charge"], *fields)
    # then both plain keys are the charge's customer, the role's key none
    assert lookup(got["CustIdNo"]) == "customer"
    assert lookup(got["CustomerNum"]) == "customer"
    assert_no_source(got["SoldToCustomerNum"])


def test_a_wide_rows_prefixed_country_keys_leave_the_country_to_the_plain_one(
    samples,
):
    # given a full customer table row keyed to the ERP's country record for
    # its address, and again for its bill-to and forwarder addresses
    fields = (
        {"name": "CountryNum", "type": "int", "description": "Country record key"},
        {"name": "BillCountryNum", "type": "int", "description": "Bill-to's"},
        {"name": "FwdCountryNum", "type": "int", "description": "Forwarder's"},
    )
    # when suggested
    got = _suggest_in_a_wide_row(samples["customer"], *fields)
    # then the plain key is the customer's country, the others have none
    assert lookup(got["CountryNum"]) == "country"
    assert_no_source(got["BillCountryNum"])
    assert_no_source(got["FwdCountryNum"])


def test_a_lines_key_to_its_header_is_the_document_itself(samples):
    # given one invoice line's key to the header record it belongs to
    fields = (
        {
            "name": "HeaderRef",
            "type": "int",
            "description": "Foreign key to the InvHeader.",
        },
        {"name": "LineText", "type": "string", "description": "Text of the line"},
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is the invoice itself, through the id map
    assert got["HeaderRef"].source == "id"
    assert lookup(got["HeaderRef"]) == "invoice"


def test_a_payments_card_type_with_no_codes_listed_is_the_cards_brand(samples):
    # given a payment's card type, a code of the ERP's own card type records,
    # with no allowed values listed
    fields = (
        {
            "name": "CreditCardKindType",
            "type": "string",
            "description": "A code the user assigns to a credit card type record",
        },
    )
    # when suggested
    got = suggest(samples["charge"], *fields, threshold=None)
    # then it is the card's brand, onto the ERP's codes through a value map
    assert got["CreditCardKindType"].source == "payment_method_details.card.brand"
    assert got["CreditCardKindType"].transforms[0]["name"] == "value_map"


def test_a_cross_reference_number_is_the_documents_number_elsewhere(samples):
    # given a credit note row kept as an invoice row: its legal number,
    # which the ERP makes, and a cross-reference invoice number for the
    # number the document has in another system
    fields = (
        {
            "name": "LegalDocNumber",
            "type": "string",
            "description": "'The Legal Number for the record. This number is "
            "created based on setup parameters.' (quoted, erp.py, line 10).",
        },
        {
            "name": "XRefDocInvoiceNo",
            "type": "string",
            "description": "'Cross reference invoice number used when converting "
            "data from another system.' (quoted, erp.py, line 12).",
        },
    )
    # when suggested
    for kind in ("invoice", "credit_note"):
        got = suggest(samples[kind], *fields, threshold=None)
        # then the cross reference is the document's own number in Stripe
        assert got["XRefDocInvoiceNo"].source == "number"
        assert_no_source(got["LegalDocNumber"])


def test_the_date_a_party_became_a_customer_is_its_creation(samples):
    # given a customer's date described as when it was established as a
    # customer (not when its company was founded)
    fields = (
        {
            "name": "AcquiredDate",
            "type": "date",
            "description": "The date when the party was established as a customer.",
        },
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then it is the Stripe customer's creation date
    assert got["AcquiredDate"].source == "created"


def test_the_invoice_a_credit_memo_relates_to_is_the_one_it_credits(samples):
    # given a credit memo's reference to the invoice it relates to, said
    # from the credit memo's side
    fields = (
        {
            "name": "OrigInvRef",
            "type": "int",
            "description": "It represents the invoice # that this credit memo "
            "relates to. It can be left blank.",
        },
    )
    # when suggested
    got = suggest(samples["credit_note"], *fields, threshold=None)
    # then it is the credit note's invoice, through the invoice map
    assert got["OrigInvRef"].source == "invoice"
    assert lookup(got["OrigInvRef"]) == "invoice"
