"""Suggester rules added on v5's former held-out part: each a class of misses."""

from mapping.suggest.names import tokens
from tests.mapping.suggesting import lookup, suggest


def steps(item):
    return [step["name"] for step in item.transforms]


def test_a_currency_described_in_lower_case_is_copied_as_is(samples):
    got = suggest(
        samples["invoice"],
        {"name": "currency", "max_length": 3, "description": "ISO code in lowercase"},
        {"name": "moneda", "max_length": 3, "description": "Currency (e.g. eur)"},
        {"name": "Currency", "max_length": 3, "description": "ISO 4217 code"},
    )
    assert got["currency"].source == "currency"
    assert steps(got["currency"]) == []
    assert steps(got["moneda"]) == []
    assert steps(got["Currency"]) == ["upper"]


def test_an_integer_described_as_a_unix_timestamp_is_a_date_copied_as_is(samples):
    got = suggest(
        samples["invoice"],
        {"name": "dueDate", "type": "int", "description": "Due date (Unix timestamp)"},
        {"name": "datef", "type": "int", "description": "Invoice date (timestamp)"},
        {"name": "count", "type": "int", "description": "Number of reminders"},
    )
    assert got["dueDate"].source == "due_date"
    assert steps(got["dueDate"]) == []
    assert got["datef"].source == "created"
    assert got["count"].source != "created"


def test_a_long_known_word_after_a_short_prefix_is_read(samples):
    assert tokens("multicurrency_code") == ("multi", "currency", "code")
    assert tokens("destination") == ("destination",)  # not desti + nation
    got = suggest(samples["customer"], {"name": "multicurrency_code", "max_length": 3})
    assert got["multicurrency_code"].source == "currency"


def test_a_currency_described_with_a_ledger_is_not_a_setting(samples):
    got = suggest(
        samples["payout"],
        {"name": "currency", "description": "Currency of the ledger entry"},
    )
    assert got["currency"].source == "currency"


def value_map(item):
    assert item.transforms and item.transforms[0]["name"] == "value_map", item
    return item.transforms[0]["params"]["map"]


def test_a_tax_status_maps_tax_exempt_by_its_polarity(samples):
    got = suggest(
        samples["customer"],
        {"name": "exemptVat", "type": "flag", "description": "Freed from paying VAT"},
        {"name": "tva_assuj", "choices": ["0", "1"], "description": "VAT: 1=yes, 0=no"},
        {"name": "subject_vat", "choices": ["Yes", "No"]},
        {"name": "tax_rule", "choices": ["TAX", "NO_TAX", "COUNTRY"]},
        {"name": "allowTaxFree", "type": "flag"},
    )
    assert got["exemptVat"].source == "tax_exempt"
    assert value_map(got["exemptVat"]) == {
        "none": False,
        "exempt": True,
        "reverse": True,
    }
    assert value_map(got["subject_vat"]) == {
        "none": "Yes",
        "exempt": "No",
        "reverse": "No",
    }
    assert not got["tva_assuj"].source  # neither exempt nor subject: not read
    assert value_map(got["tax_rule"]) == {"none": "TAX", "exempt": "NO_TAX"}
    assert not got["allowTaxFree"].source  # a permission is a setting


def test_a_subject_to_vat_flag_described_with_coded_answers(samples):
    got = suggest(
        samples["customer"],
        {
            "name": "tva_assuj",
            "type": "int",
            "choices": ["0", "1"],
            "description": "Subject to VAT: 1=yes, 0=no",
        },
    )
    assert value_map(got["tva_assuj"]) == {"none": "1", "exempt": "0", "reverse": "0"}


def test_a_card_brand_is_no_payment_method_and_other_takes_the_rest(samples):
    got = suggest(
        samples["charge"],
        {
            "name": "PaymentMethod",
            "choices": ["Cash", "Cheque", "Visa", "Bank Card", "Other"],
        },
    )
    assert got["PaymentMethod"].source == "payment_method_details.type"
    assert value_map(got["PaymentMethod"])["sepa_debit"] == "Other"


def test_a_catch_all_needs_half_the_values_named():
    from mapping.valuemaps import propose_value_map

    table, _ = propose_value_map(["Paris", "Berlin", "Bayside"], ["Home", "Other"])
    assert table == {}
    table, _ = propose_value_map(["open"], ["draft", "sent", "paid"])
    assert table == {"open": "sent"}


def test_an_amount_in_another_currency_is_not_stripes(samples):
    got = suggest(
        samples["invoice"],
        {"name": "amount", "type": "decimal", "description": "Invoice amount in euros"},
        {"name": "base_total", "type": "decimal", "description": "In company currency"},
        {
            "name": "currency_amount",
            "type": "decimal",
            "description": "Total in the currency of the invoice",
        },
    )
    assert not got["amount"].source
    assert not got["base_total"].source
    assert got["currency_amount"].source == "total"


def test_a_number_prefix_is_a_setting(samples):
    got = suggest(
        samples["invoice"],
        {"name": "number_pre", "description": "Invoice number prefix. Default: x"},
        {"name": "numberSuffix"},
        {"name": "number", "description": "Invoice number"},
    )
    assert not got["number_pre"].source
    assert not got["numberSuffix"].source
    assert got["number"].source == "number"


def test_a_tax_id_is_read_from_the_description_of_a_bare_name(samples):
    got = suggest(
        samples["customer"],
        {"name": "code", "description": "Tax identification number of the contact"},
        {
            "name": "tva_intra",
            "max_length": 20,
            "description": "Intra-community VAT number",
        },
        {"name": "ref", "description": "Customer code"},
    )
    assert got["code"].source == "tax_ids.data.0.value"
    assert got["tva_intra"].source == "tax_ids.data.0.value"
    assert got["ref"].source != "tax_ids.data.0.value"


def test_an_introduction_takes_the_description_and_a_note_the_footer(samples):
    invoice = suggest(
        samples["invoice"],
        {"name": "intro", "description": "Introductory text"},
        {"name": "note", "description": "Explanatory notes"},
    )
    assert invoice["intro"].source == "description"
    assert invoice["note"].source == "footer"
    credit_note = suggest(
        samples["credit_note"],
        {"name": "intro", "description": "Introductory text"},
        {"name": "note", "description": "Explanatory notes"},
    )
    assert credit_note["intro"].source == "memo"
    assert not credit_note["note"].source  # a credit note has no footer


def test_a_generic_or_qualified_record_id_is_read_from_its_description(samples):
    charge = suggest(
        samples["charge"], {"name": "documentId", "description": "The invoice paid"}
    )
    assert lookup(charge["documentId"]) == "invoice"
    credit_note = suggest(
        samples["credit_note"],
        {"name": "credited_invoice_id", "type": "int"},
    )
    assert lookup(credit_note["credited_invoice_id"]) == "invoice"
    invoice = suggest(
        samples["invoice"],
        {
            "name": "socid",
            "type": "int",
            "description": "Id of the third party invoiced",
        },
    )
    assert lookup(invoice["socid"]) == "customer"


def test_a_document_number_and_a_second_invoice_reference_are_the_own_number(samples):
    described = suggest(
        samples["credit_note"],
        {"name": "invoiceNum", "description": "Document number"},
    )
    assert described["invoiceNum"].source == "number"
    both = suggest(
        samples["credit_note"],
        {"name": "credited_invoice_id", "type": "int"},
        {"name": "invoice_number", "description": "Invoice number"},
    )
    assert lookup(both["credited_invoice_id"]) == "invoice"
    assert both["invoice_number"].source == "number"
    alone = suggest(
        samples["credit_note"], {"name": "invoice_number", "description": "Invoice"}
    )
    assert lookup(alone["invoice_number"]) == "invoice"


def test_dates_of_a_discount_or_mandate_abstain_and_a_deadline_is_due(samples):
    invoice = suggest(
        samples["invoice"],
        {"name": "discount_date", "type": "date", "description": "Cash discount date"},
        {"name": "deadline", "type": "date", "description": "Payment deadline"},
        {"name": "date", "type": "date"},
    )
    assert not invoice["discount_date"].source
    assert invoice["deadline"].source == "due_date"
    assert invoice["date"].source == "created"
    customer = suggest(
        samples["customer"], {"name": "sepa_mandate_date", "type": "date"}
    )
    assert not customer["sepa_mandate_date"].source


def test_a_payouts_transaction_date_is_its_arrival(samples):
    got = suggest(
        samples["payout"],
        {"name": "date", "type": "date", "description": "Date of the transaction"},
        {"name": "entry_date", "type": "date", "description": "Entry date"},
    )
    assert got["date"].source == "arrival_date"
    assert got["entry_date"].source == "created"


def test_a_partys_address_is_its_street(samples):
    got = suggest(
        samples["invoice"],
        {"name": "contactName"},
        {"name": "contactAddress"},
        {"name": "contactCity"},
    )
    assert got["contactAddress"].source == "customer_address.line1"
    assert got["contactCity"].source == "customer_address.city"


def test_a_mandates_field_abstains_unless_stripe_names_a_mandate(samples):
    customer = suggest(
        samples["customer"],
        {"name": "sepa_mandate", "description": "Mandate reference"},
    )
    assert not customer["sepa_mandate"].source
    charge = [
        {
            **samples["charge"][0],
            "payment_method_details": {
                "type": "sepa_debit",
                "sepa_debit": {"mandate": "mandate_1PgcXYZabc"},
            },
        }
    ]
    got = suggest(charge, {"name": "sepa_mandate", "description": "Mandate reference"})
    assert "Stripe has none" not in got["sepa_mandate"].reason


def test_an_amount_in_euros_alone_is_the_documents_amount(samples):
    got = suggest(
        samples["invoice"],
        {"name": "total", "type": "decimal", "description": "Total amount in euros"},
    )
    assert got["total"].source == "total"
