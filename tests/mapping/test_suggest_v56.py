"""Suggester rules added on v58's former held-out part, and clean-ups
of earlier rules: each a class of misses.

The fields are made up in the shape the misses had (German accounting column
headings with spaces and brackets, their words run together in compounds:
the turnover and its currency's code, the voucher's date, the booking's text;
an amount whose bracket says what it leaves out), not copied from one vendor.
"""

from mapping.suggest import config, field_specs_from_dicts, identity, names
from mapping.suggest.fields import _without_citations
from tests.mapping.suggesting import assert_no_source, suggest


def test_german_booking_words_are_read(samples):
    # given German booking-line headings, some words run together
    fields = (
        {"name": "Umsatz", "type": "decimal"},
        {"name": "WKZ Umsatz", "type": "string"},
        {"name": "Belegdatum", "type": "date"},
        {"name": "Buchungstext", "type": "string"},
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields, threshold=None)
    # then the turnover is the amount, WKZ its currency's code, the voucher's
    # date the charge's and the booking's text its description
    assert got["Umsatz"].source == "amount"
    assert got["WKZ Umsatz"].source == "currency"
    assert got["Belegdatum"].source == "created"
    assert got["Buchungstext"].source == "description"


def test_the_home_currency_amount_and_its_code_have_no_source(samples):
    # given a turnover in the company's own currency beside the document's,
    # its currency's code named before it, and the rate between the two
    fields = (
        {"name": "Umsatz", "type": "decimal"},
        {"name": "Basisumsatz", "type": "decimal"},
        {"name": "WKZ Basisumsatz", "type": "string"},
        {
            "name": "Kurs",
            "type": "decimal",
            "description": "Rate the Umsatz is converted at into the base currency",
        },
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields, threshold=None)
    # then only the turnover itself is the charge's amount
    assert got["Umsatz"].source == "amount"
    assert_no_source(got["Basisumsatz"])
    assert_no_source(got["WKZ Basisumsatz"])
    assert_no_source(got["Kurs"])


def test_an_amount_without_its_debit_or_credit_marker_is_the_amount(samples):
    # given amounts whose bracket says they carry no debit or credit marker
    fields = (
        {"name": "Umsatz (ohne Soll/Haben-Kz)", "type": "decimal"},
        {"name": "Amount (without debit/credit sign)", "type": "decimal"},
    )
    # when suggested on a charge and on an invoice
    charge = suggest(samples["charge"], fields[0], threshold=None)
    invoice = suggest(samples["invoice"], fields[1], threshold=None)
    # then each is the document's amount, the sides being no part of it
    assert charge["Umsatz (ohne Soll/Haben-Kz)"].source == "amount"
    assert invoice["Amount (without debit/credit sign)"].source == "total"


def test_german_compounds_of_a_partys_address_and_short_name_are_read(samples):
    # given a party's short designation and its address's addition, each one
    # German compound
    fields = (
        {"name": "Kurzbezeichnung", "type": "string"},
        {"name": "Straße", "type": "string"},
        {"name": "Adresszusatz", "type": "string"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the short designation is its name, the addition its second line
    assert got["Kurzbezeichnung"].source == "name"
    assert got["Straße"].source == "address.line1"
    assert got["Adresszusatz"].source == "address.line2"


def test_a_key_of_the_api_call_has_no_source(samples):
    # given keys of the request itself beside the record it carries
    fields = (
        {
            "name": "requestRef",
            "type": "string",
            "description": "Your reference for the request; echoed in the response.",
        },
        {
            "name": "client_key",
            "type": "string",
            "description": "The identifier of the calling application.",
        },
        {"name": "ref_id", "type": "string"},
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields, threshold=None)
    # then neither is the charge's, while a plain reference still is
    assert_no_source(got["requestRef"])
    assert_no_source(got["client_key"])
    assert got["ref_id"].source == "id"


def test_german_rates_and_weights_are_not_money(samples):
    # given numbers named as a rate run together with what it is of, and a
    # weight, in German
    fields = (
        {"name": "Steuersatz", "type": "decimal"},
        {"name": "EU-Zinssatz", "type": "decimal"},
        {"name": "Gewicht", "type": "decimal"},
    )
    # when suggested on a payout
    got = suggest(samples["payout"], *fields, threshold=None)
    # then none is the payout's amount
    assert_no_source(got["Steuersatz"])
    assert_no_source(got["EU-Zinssatz"])
    assert_no_source(got["Gewicht"])


def test_an_id_of_a_customers_account_is_no_ledger_account(samples):
    # given an account's id described as the customer's account, beside
    # ledger and bank accounts described as such
    fields = (
        {
            "name": "account_id",
            "type": "string",
            "description": "Generated customer account ID, in the path",
        },
        {
            "name": "ledger_account_id",
            "type": "string",
            "description": "Ledger account of the customer",
        },
        {
            "name": "bank_account_id",
            "type": "string",
            "description": "ID of the bank account the payment is deposited in",
        },
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the customer's account is a key of the customer, the others
    # settings
    assert got["account_id"].source in ("id", "metadata.erp_customer_code")
    assert_no_source(got["ledger_account_id"])
    assert_no_source(got["bank_account_id"])


def test_the_words_naming_a_kind_are_one_set(samples):
    # given the readers of a kind's reference and of a tax number's kind
    # when they read a name's kind word
    # then they read it from one vocabulary
    assert config._KIND_WORDS is identity._KIND_WORDS
    # and a tax number's category is still read as its kind
    got = suggest(
        samples["customer"],
        {"name": "tax_no_category", "type": "string"},
        threshold=None,
    )
    assert got["tax_no_category"].source.startswith("tax_ids")


def test_words_read_in_context_are_apart_from_words_cut_at(samples):
    # given runs of capitals cut at words the lexicon does not hold
    # when read
    # then each is cut, a context word among them read by its neighbour (a
    # mailing address is postal, no e-mail) and a plain one as itself
    assert names.tokens("PARTYMAILINGNAME") == ("party", "mailing", "name")
    assert names.tokens("DEFAULTTEXTBEFOREINVOICELINES")[:3] == (
        "default",
        "text",
        "before",
    )
    for word in names._CONTEXT_WORDS:
        read = names.concepts(f"{word} address")
        assert read != names.concepts(word) | names.concepts("address"), word


def test_a_nested_amount_in_the_home_currency_has_no_source(samples):
    # given a document's total in the company's own currency, named first in
    # its own part of a nested name, beside the total itself
    fields = (
        {"name": "totals.grand_total", "type": "decimal"},
        {"name": "totals.base_grand_total", "type": "decimal"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then only the document's own total is the invoice's
    assert got["totals.grand_total"].source == "total"
    assert_no_source(got["totals.base_grand_total"])


def test_a_cited_address_or_hash_is_not_read_as_words(samples):
    # given fields whose descriptions cite a web page and a commit, their
    # words naming other things
    fields = (
        {
            "name": "ref",
            "type": "string",
            "description": "Reference (https://api.example.com/docs/customer-email)",
        },
        {
            "name": "text",
            "type": "string",
            "description": "Free text, see https://docs.example.com/invoice/footer",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each is read by its own words: the document's reference and notes
    assert got["ref"].source == "number"
    assert got["text"].source == "description"
    # and a commit's hash is read as no word
    (cited,) = field_specs_from_dicts(
        [{"name": "note", "description": "Text (acme/sdk@f2ee905e0612:Note.cs)"}]
    )
    assert _without_citations(cited).description == "Text (acme/sdk@:Note.cs)"
