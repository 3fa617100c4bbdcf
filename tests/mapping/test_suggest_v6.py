"""Suggester rules added on v6's former held-out part: each a class of misses."""

from mapping.calibration import probability
from tests.mapping.suggesting import lookup, suggest


def test_a_line_repeats_its_headers_text(samples):
    got = suggest(
        samples["payout"],
        {"name": "description"},
        {"name": "lines.0.description"},
        {"name": "comment"},
    )
    assert got["description"].source == "description"
    assert got["lines.0.description"].source == "description"
    assert not got["comment"].source  # two header notes still share one text


def test_a_reference_named_only_external_keeps_the_stripe_id(samples):
    external = suggest(samples["invoice"], {"name": "ExternalReference"})
    assert external["ExternalReference"].source == "id"
    short = suggest(samples["invoice"], {"name": "ref_ext"})
    assert short["ref_ext"].source == "id"
    # A reference that names the invoice is still where its number goes.
    named = suggest(samples["invoice"], {"name": "ExternalInvoiceReference1"})
    assert named["ExternalInvoiceReference1"].source == "number"


def test_a_guid_after_a_party_is_the_customer(samples):
    got = suggest(samples["invoice"], {"name": "ContactGuid"}, {"name": "FileGuid"})
    assert got["ContactGuid"].source == "customer"
    assert lookup(got["ContactGuid"]) == "customer"
    assert got["FileGuid"].source != "customer"


def test_a_payments_lines_name_the_invoice_it_pays(samples):
    got = suggest(
        samples["charge"],
        {"name": "paymentLines.0.refNbr"},
        {"name": "paymentLines.0.documentType"},
        {"name": "lines.0.invoiceNo"},
    )
    assert got["paymentLines.0.refNbr"].source == "invoice"
    assert lookup(got["paymentLines.0.refNbr"]) == "invoice"
    assert got["paymentLines.0.documentType"].source != "invoice"
    assert lookup(got["lines.0.invoiceNo"]) == "invoice"


def test_a_description_whose_subject_is_the_invoice_names_it(samples):
    got = suggest(
        samples["credit_note"],
        {"name": "CreditNoteFor", "description": "The invoice the credit note is for"},
        {"name": "Comment"},
    )
    assert got["CreditNoteFor"].source == "invoice"
    assert lookup(got["CreditNoteFor"]) == "invoice"
    assert got["Comment"].source == "memo"


def test_a_payments_key_in_the_url_path_is_its_invoice(samples):
    got = suggest(
        samples["charge"],
        {"name": "saleId", "type": "int", "description": "The sale paid (path)"},
        {"name": "fee", "type": "int", "description": "Any fees"},
    )
    assert lookup(got["saleId"]) == "invoice"
    assert got["fee"].source != "invoice"


def test_a_date_of_the_original_document_is_not_this_ones(samples):
    got = suggest(
        samples["credit_note"],
        {"name": "documentDate", "type": "date"},
        {"name": "origInvoiceDate", "type": "date"},
        {"name": "OriginalDocumentDate", "type": "date"},
    )
    assert got["documentDate"].source == "created"
    assert not got["origInvoiceDate"].source
    assert not got["OriginalDocumentDate"].source


def test_a_whole_number_own_number_is_the_erps_sequence(samples):
    got = suggest(
        samples["invoice"],
        {"name": "invoiceNo", "type": "int", "description": "Invoice number"},
        {"name": "externalImportReference"},
    )
    assert got["invoiceNo"].source not in ("number", "id")
    # The number has its field: the reference keeps the Stripe id.
    assert got["externalImportReference"].source == "id"
    text = suggest(samples["invoice"], {"name": "invoiceNo", "description": "Number"})
    assert text["invoiceNo"].source == "number"


def test_a_qualified_name_yields_a_text_to_the_plain_one(samples):
    got = suggest(
        samples["customer"],
        {"name": "phoneNumberMobile"},
        {"name": "phoneNumber"},
    )
    assert got["phoneNumber"].source == "phone"
    assert not got["phoneNumberMobile"].source


def test_a_documents_printed_text_owns_its_description_before_a_note(samples):
    got = suggest(samples["invoice"], {"name": "note"}, {"name": "invoiceText"})
    assert got["invoiceText"].source == "description"
    assert not got["note"].source
    printed = suggest(
        samples["invoice"],
        {"name": "Description", "description": "Description of document type"},
        {"name": "Comment", "description": "Comment printed on the invoice"},
    )
    assert printed["Comment"].source == "description"
    assert not printed["Description"].source


def test_an_internal_note_never_owns_a_documents_description(samples):
    got = suggest(
        samples["invoice"],
        {"name": "Comments", "max_length": 1760, "description": "User comments"},
        {"name": "InternalNotes", "max_length": 240, "description": "Internal notes"},
    )
    assert got["Comments"].source == "description"
    assert not got["InternalNotes"].source


def test_an_organisation_number_is_the_tax_id_when_no_vat_field_is(samples):
    alone = suggest(
        samples["customer"],
        {"name": "name"},
        {"name": "organizationNumber", "description": "Brreg organization number"},
        threshold=None,
    )
    assert alone["organizationNumber"].source == "tax_ids.data.0.value"
    beside = suggest(
        samples["customer"],
        {"name": "VatNumber"},
        {"name": "CorporateIdentityNumber", "description": "Organisation number"},
        threshold=None,
    )
    assert beside["VatNumber"].source == "tax_ids.data.0.value"
    assert not beside["CorporateIdentityNumber"].source
    tenant = suggest(samples["customer"], {"name": "businessId"}, threshold=None)
    assert not tenant["businessId"].source


def test_the_buyers_references_on_a_document_abstain(samples):
    got = suggest(
        samples["invoice"],
        {"name": "customerNumber"},
        {"name": "customerRefNumber"},
        {"name": "orderReference", "description": "Reference if sending via EHF"},
        {"name": "kid", "description": "KID (Norwegian payment reference)"},
        {"name": "externalReference"},
    )
    assert lookup(got["customerNumber"]) == "customer"
    assert not got["customerRefNumber"].source
    assert not got["orderReference"].source
    assert not got["kid"].source
    assert got["externalReference"].source == "id"
    # A customer reference with no number word is still the customer.
    linked = suggest(samples["invoice"], {"name": "CustomerRef.value"})
    assert lookup(linked["CustomerRef.value"]) == "customer"
    # A payment's own reference is its Stripe id.
    paid = suggest(samples["charge"], {"name": "PaymentReference"})
    assert paid["PaymentReference"].source == "id"


def test_a_customers_key_described_as_your_own_is_the_integrations(samples):
    got = suggest(
        samples["customer"],
        {"name": "CustomId", "description": "Your own identifier for the contact"},
        threshold=None,
    )
    assert got["CustomId"].source == "id"
    number = suggest(
        samples["customer"],
        {
            "name": "memberNumber",
            "type": "int",
            "description": "A number to connect a contact to your own data",
        },
        threshold=None,
    )
    assert number["memberNumber"].source == "metadata.erp_customer_code"


def test_a_zero_padded_code_fills_a_whole_number_field(samples):
    got = suggest(
        samples["customer"],
        {"name": "number", "type": "int", "description": "Sequential number"},
        threshold=None,
    )
    assert got["number"].source == "metadata.erp_customer_code"


def test_a_field_described_as_an_account_is_a_setting(samples):
    got = suggest(
        samples["customer"],
        {
            "name": "clientRecord",
            "type": "int",
            "description": "Accounting account of the contact as a client",
        },
        threshold=None,
    )
    assert not got["clientRecord"].source
    paid = suggest(
        samples["charge"],
        {"name": "AccountDisplayValue", "description": "The customer account"},
        threshold=None,
    )
    assert paid["AccountDisplayValue"].source == "customer"


def test_a_number_from_the_erps_series_abstains_when_stripe_has_none(samples):
    described = "Reference number; can be used when manual numbering is enabled"
    got = suggest(
        samples["charge"],
        {"name": "referenceNumber", "description": described},
        {"name": "paymentRef", "description": "A secondary payment reference"},
    )
    assert not got["referenceNumber"].source
    assert got["paymentRef"].source == "id"
    invoice = suggest(
        samples["invoice"],
        {"name": "referenceNumber", "description": "Invoice number (number series)"},
    )
    assert invoice["referenceNumber"].source == "number"


def test_an_amount_paid_on_a_document_is_posted_from_its_charge(samples):
    got = suggest(
        samples["invoice"],
        {"name": "paidAmount", "type": "decimal", "description": "Prepayment"},
        {"name": "totalAmount", "type": "decimal"},
    )
    assert not got["paidAmount"].source
    assert got["totalAmount"].source == "total"
    charge = suggest(samples["charge"], {"name": "paidAmount", "type": "decimal"})
    assert charge["paidAmount"].source == "amount"


def test_a_score_is_read_to_the_calibration_edges_precision():
    table = {"edges": [-1.0, 0.394], "probabilities": [0.3, 0.8333]}
    # The same terms summed in another order can land just under the edge.
    assert probability(0.394 - 1e-12, table) == probability(0.394, table) == 0.8333
    assert probability(0.3939, table) == 0.3
