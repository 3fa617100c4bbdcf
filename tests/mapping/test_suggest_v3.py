"""Suggester rules added for v3: each one a class of misses, not one vendor's field."""

from mapping.suggest.names import concepts
from tests.mapping.suggesting import lookup, suggest


def test_a_refund_note_takes_its_reason_when_there_is_no_description(samples):
    got = suggest(samples["refund"], {"name": "Memo"}, {"name": "Amount"})
    assert got["Memo"].source == "reason"
    charge = suggest(samples["charge"], {"name": "Memo"})
    assert charge["Memo"].source == "description"


def test_a_number_named_after_a_note_is_not_free_text(samples):
    got = suggest(samples["credit_note"], {"name": "CreditNoteNumber"})
    assert got["CreditNoteNumber"].source == "number"


def test_a_customers_own_key_takes_its_erp_code(samples):
    for name in ("entityId", "DisplayID", "AcctNum"):
        got = suggest(samples["customer"], {"name": name}, {"name": "Name"})
        assert got[name].source == "metadata.erp_customer_code", got[name]
        assert got["Name"].source == "name"


def test_a_payment_document_number_is_not_the_erp_order(samples):
    got = suggest(samples["charge"], {"name": "DocumentNumber"})
    assert got["DocumentNumber"].source == "id"


def test_list_applications_reference_the_invoice_paid_or_the_charge_refunded(
    samples,
):
    paid = suggest(
        samples["charge"],
        {"name": "Settlements.0.DocKey", "type": "int"},
        {"name": "Settlements.0.Amount", "type": "decimal"},
        {"name": "applyList.apply.doc"},
    )
    assert paid["Settlements.0.DocKey"].source == "invoice"
    assert lookup(paid["Settlements.0.DocKey"]) == "invoice"
    assert paid["applyList.apply.doc"].source == "invoice"
    assert paid["Settlements.0.Amount"].source == "amount"
    refunded = suggest(
        samples["refund"],
        {"name": "AppliedDocuments.0.Nbr"},
        {"name": "createdFrom", "description": "RecordRef: the original sale"},
    )
    for target in ("AppliedDocuments.0.Nbr", "createdFrom"):
        assert refunded[target].source == "charge"
        assert lookup(refunded[target]) == "charge"


def test_one_customer_reference_per_document(samples):
    got = suggest(samples["charge"], {"name": "customerNo"}, {"name": "contactId"})
    assert got["customerNo"].source == "customer"
    assert got["contactId"].source == ""


def test_amounts_including_tax_are_totals_and_due_dates_are_not_created(samples):
    got = suggest(
        samples["credit_note"],
        {"name": "paymentDueDate", "type": "date"},
        threshold=None,
    )
    assert got["paymentDueDate"].source == "", got["paymentDueDate"]
    invoice = suggest(
        samples["invoice"],
        {"name": "paymentDueDate", "type": "date"},
        {"name": "amountInclVat", "type": "decimal"},
        {"name": "amountExclVat", "type": "decimal"},
    )
    assert invoice["paymentDueDate"].source == "due_date"
    assert invoice["amountInclVat"].source == "total"
    assert invoice["amountExclVat"].source == "subtotal"


def test_street_fields_mail_addresses_and_country_codes(samples):
    got = suggest(
        samples["customer"],
        {"name": "billing.street"},
        {"name": "MailingAddress.Town"},
        {"name": "DisplayContact.CountryCode", "max_length": 2},
    )
    assert got["billing.street"].source == "address.line1"
    assert got["MailingAddress.Town"].source == "address.city"
    assert got["DisplayContact.CountryCode"].source == "address.country"
    assert got["DisplayContact.CountryCode"].transforms == []
    assert "email" not in concepts("MailAddress")
    assert "email" in concepts("EMailAddr")


def test_settings_abstain(samples):
    got = suggest(
        samples["invoice"],
        {"name": "TermName"},
        {"name": "default_price_list"},
        {"name": "naming_series"},
        {"name": "debit_to", "description": "Receivable account"},
    )
    for target in ("TermName", "default_price_list", "naming_series", "debit_to"):
        assert got[target].source == "", (target, got[target])
    # Stripe takes no cash: a cash amount abstains at the fitted threshold.
    cash = suggest(
        samples["charge"], {"name": "CashSum", "type": "decimal"}, threshold=None
    )
    assert cash["CashSum"].source == "", cash["CashSum"]
    card = suggest(
        samples["charge"], {"name": "CardSum", "type": "decimal"}, threshold=None
    )
    assert card["CardSum"].source == "amount", card["CardSum"]


def test_a_short_currency_id_is_the_iso_code(samples):
    got = suggest(
        samples["charge"],
        {"name": "CurrencyID", "max_length": 5},
        {"name": "currency_id"},
    )
    assert got["CurrencyID"].transforms == [{"name": "upper"}]
    assert lookup(got["currency_id"]) == "currency"
