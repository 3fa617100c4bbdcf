"""Suggester rules added on v12's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a flat billing block,
amounts and dates of the bookkeeping, a party's details behind a table
prefix, a document's note kept under another name), not copied from one
vendor.
"""

import pytest

from mapping.calibration import abstention_threshold
from tests.mapping.suggesting import suggest


def test_a_flat_billing_block_repeats_the_customers_phone(samples):
    got = suggest(
        samples["customer"],
        {"name": "office_phone", "description": "Office phone"},
        {"name": "billing_contact_phone", "description": "Billing contact phone"},
    )
    assert got["office_phone"].source == "phone"
    assert got["billing_contact_phone"].source == "phone"


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("charge", {"name": "write_off_amount", "type": "decimal"}),
        (
            "invoice",
            {
                "name": "manual_adjustment",
                "type": "decimal",
                "description": "Adjustment",
            },
        ),
        ("customer", {"name": "openingBalanceAmount", "type": "decimal"}),
    ],
)
def test_an_amount_the_bookkeeping_makes_up_has_no_source(samples, kind, field):
    got = suggest(samples[kind], field)
    assert got[field["name"]].source == ""


def test_the_date_a_payment_cleared_the_bank_has_no_source(samples):
    got = suggest(
        samples["charge"],
        {"name": "payment_date", "type": "date"},
        {"name": "bank_cleared_on", "type": "date", "description": "Cleared on"},
    )
    assert got["payment_date"].source == "created"
    assert got["bank_cleared_on"].source == ""


def test_a_partys_web_address_and_fax_have_no_source(samples):
    got = suggest(
        samples["customer"],
        {"name": "party_web", "description": "Web address"},
        {"name": "party_telefax"},
    )
    assert got["party_web"].source == ""
    assert got["party_telefax"].source == ""


def test_a_detail_behind_a_customer_prefix_is_not_its_erp_code(samples):
    threshold = abstention_threshold()
    got = suggest(
        samples["customer"],
        {"name": "client_edi_profile", "description": "EDI profile"},
        threshold=threshold,
    )
    assert got["client_edi_profile"].source == ""
    code = suggest(samples["customer"], {"name": "client_code"}, threshold=threshold)
    assert code["client_code"].source == "metadata.erp_customer_code"


def test_terms_described_as_the_documents_note_take_its_description(samples):
    threshold = abstention_threshold()
    got = suggest(
        samples["invoice"],
        {"name": "sale_terms", "description": "Remarks: any free text for the buyer"},
        threshold=threshold,
    )
    assert got["sale_terms"].source == "description"
    plain = suggest(
        samples["invoice"],
        {"name": "sale_terms", "description": "Standard terms of sale"},
        threshold=threshold,
    )
    assert plain["sale_terms"].source == ""


def test_a_message_printed_on_the_document_is_its_note(samples):
    got = suggest(
        samples["invoice"],
        {"name": "customerMessage", "description": "Shown at the top of the bill"},
        threshold=abstention_threshold(),
    )
    assert got["customerMessage"].source == "description"


def test_a_whole_number_described_as_a_switch_is_a_setting(samples):
    got = suggest(
        samples["invoice"],
        {"name": "IsSettled", "type": "int", "description": "1 if settled, else 0"},
        {"name": "Total", "type": "decimal"},
    )
    assert got["IsSettled"].source == ""
    assert got["Total"].source == "total"


def test_a_ledger_account_under_an_invoice_path_is_no_invoice_reference(samples):
    got = suggest(
        samples["charge"],
        {
            "name": "invoice.settlements.0.account_id",
            "type": "int",
            "description": "Ledger account the settlement posts to",
        },
    )
    assert got["invoice.settlements.0.account_id"].source == ""


def test_a_nominal_code_is_a_ledger_setting(samples):
    got = suggest(
        samples["customer"],
        {"name": "sales_nominal_ref", "description": "Sales nominal code"},
    )
    assert got["sales_nominal_ref"].source == ""


def test_a_whole_number_named_as_a_switch_is_a_setting(samples):
    got = suggest(samples["invoice"], {"name": "HideTotals", "type": "int"})
    assert got["HideTotals"].source == ""


def test_a_bare_name_on_a_document_is_its_own_title(samples):
    got = suggest(
        samples["invoice"],
        {"name": "name", "description": "Label for the bookkeeper"},
        {"name": "bill_to.name"},
    )
    assert got["name"].source == ""
    assert got["bill_to.name"].source == "customer_name"
    party = suggest(
        samples["invoice"], {"name": "name", "description": "Recipient's name"}
    )
    assert party["name"].source == "customer_name"


def test_a_payout_entrys_title_is_its_description(samples):
    got = suggest(
        samples["payout"],
        {"name": "title", "description": "Booking title (required)"},
        {"name": "staff_remarks", "description": "Remarks by the bookkeeper"},
        threshold=abstention_threshold(),
    )
    assert got["title"].source == "description"
    invoice = suggest(
        samples["invoice"],
        {"name": "title", "description": "Heading of the document"},
        threshold=abstention_threshold(),
    )
    assert invoice["title"].source == ""
