"""Suggester rules added on v13's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a CRM's second phone
or e-mail, a post-office box, a shipping charge beside the lines, a
company's profile figures, a date of the quote before the invoice), not
copied from one vendor.
"""

import pytest

from mapping.calibration import abstention_threshold
from tests.mapping.suggesting import lookup, suggest


def test_a_second_phone_or_email_has_no_source(samples):
    got = suggest(
        samples["customer"],
        {"name": "contact_email", "description": "E-mail"},
        {"name": "contact_email_3", "description": "Third e-mail"},
        {"name": "mainPhone", "description": "Phone"},
        {"name": "secondaryPhone", "description": "Second phone"},
    )
    assert got["contact_email"].source == "email"
    assert got["contact_email_3"].source == ""
    assert got["mainPhone"].source == "phone"
    assert got["secondaryPhone"].source == ""


def test_a_field_ending_on_fax_is_a_fax_even_beside_phone(samples):
    got = suggest(samples["customer"], {"name": "phoneFax", "description": "Fax line"})
    assert got["phoneFax"].source == ""
    either = suggest(
        samples["customer"], {"name": "phoneOrFaxNumber", "description": "Phone or fax"}
    )
    assert either["phoneOrFaxNumber"].source == "phone"


def test_a_post_office_box_has_no_source(samples):
    got = suggest(
        samples["customer"],
        {"name": "mailing_street", "description": "Street"},
        {"name": "mailing_po_box", "description": "P.O. box"},
        {"name": "PostboxNumber"},
        threshold=abstention_threshold(),
    )
    assert got["mailing_street"].source == "address.line1"
    assert got["mailing_po_box"].source == ""
    assert got["PostboxNumber"].source == ""


@pytest.mark.parametrize(
    "name", ["freight_amount", "shippingTaxAmount", "handling_total"]
)
def test_a_shipping_charge_on_a_document_has_no_source(samples, name):
    got = suggest(
        samples["invoice"],
        {"name": "grand_total", "type": "decimal", "description": "Total"},
        {"name": name, "type": "decimal"},
    )
    assert got["grand_total"].source == "total"
    assert got[name].source == ""


def test_a_companys_yearly_turnover_is_not_its_balance(samples):
    got = suggest(
        samples["customer"],
        {"name": "yearly_turnover", "type": "decimal", "description": "Turnover"},
        threshold=abstention_threshold(),
    )
    assert got["yearly_turnover"].source == ""


def test_the_date_of_an_earlier_quote_has_no_source(samples):
    got = suggest(
        samples["invoice"],
        {"name": "doc_date", "type": "date", "description": "Invoice date"},
        {"name": "estimateDate", "type": "date", "description": "Date of the estimate"},
        threshold=abstention_threshold(),
    )
    assert got["doc_date"].source == "created"
    assert got["estimateDate"].source == ""


def test_the_account_a_document_is_billed_to_is_the_customer(samples):
    got = suggest(
        samples["invoice"],
        {"name": "billed_acct_id", "description": "Key of the billed account"},
    )
    assert got["billed_acct_id"].source == "customer"
    assert lookup(got["billed_acct_id"]) == "customer"
    payment = suggest(
        samples["charge"],
        {"name": "accountId", "description": "Id of the account in the system"},
        {"name": "depositAccountId", "description": "Id of the bank account"},
    )
    assert payment["accountId"].source == "customer"
    assert payment["depositAccountId"].source != "customer"
    books = suggest(
        samples["charge"],
        {"name": "account_id", "description": "Id of the cash account it lands in"},
    )
    assert books["account_id"].source == ""
    parent = suggest(
        samples["customer"],
        {"name": "account_id", "description": "Id of the head-office account"},
    )
    assert parent["account_id"].source == ""


def test_a_phone_or_email_qualified_by_a_setting_word_is_still_one(samples):
    got = suggest(
        samples["customer"],
        {"name": "phone_branch", "description": "Branch phone"},
        {"name": "email_office"},
    )
    assert got["phone_branch"].source == "phone"
    assert got["email_office"].source == "email"


def test_a_customers_account_name_is_its_name(samples):
    got = suggest(
        samples["customer"],
        {"name": "AccountName", "description": "Name of the account"},
    )
    assert got["AccountName"].source == "name"


def test_beside_an_account_a_contact_is_a_person_there(samples):
    got = suggest(
        samples["invoice"],
        {"name": "acctId", "description": "Id of the account invoiced"},
        {"name": "contactId", "description": "Id of the contact"},
    )
    assert got["acctId"].source == "customer"
    assert got["contactId"].source == ""
    alone = suggest(
        samples["invoice"], {"name": "contactId", "description": "Id of the contact"}
    )
    assert alone["contactId"].source == "customer"


def test_an_amount_is_the_sum_its_description_adds_up(samples):
    got = suggest(
        samples["invoice"],
        {
            "name": "lines_total",
            "type": "decimal",
            "description": "Total of the lines at list price, before discounts",
        },
        {"name": "net_vat_amount", "type": "decimal", "description": "Net plus VAT"},
        {"name": "vat", "type": "decimal", "description": "VAT"},
    )
    assert got["lines_total"].source == "subtotal"
    assert got["net_vat_amount"].source == "total"
    assert got["vat"].source == "tax"
