"""Suggester rules added on v7's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (nested snake_case
objects, lists of contact details), not copied from one vendor.
"""

from tests.mapping.suggesting import lookup, suggest

CURRENCIES = ["CHF", "DKK", "EUR", "GBP", "NOK", "SEK", "USD"]


def test_a_field_allowing_currency_codes_takes_the_currency(samples):
    got = suggest(
        samples["charge"],
        {"name": "settlement.currency", "choices": CURRENCIES},
        {"name": "preferred_money", "choices": CURRENCIES},
    )
    for name in ("settlement.currency", "preferred_money"):
        assert got[name].source == "currency"
        assert [s["name"] for s in got[name].transforms] == ["upper"]
    # A list of codes that are not currencies is still mapped or a setting.
    kinds = suggest(samples["charge"], {"name": "kind", "choices": ["ABC", "DEF"]})
    assert kinds["kind"].source != "currency"


def test_a_later_entry_of_an_address_list_is_the_shipping_address(samples):
    got = suggest(
        samples["customer"],
        {"name": "addresses.0.address.city"},
        {"name": "addresses.1.address.city"},
        {"name": "addresses.1.address.recipient_addressee"},
    )
    assert got["addresses.0.address.city"].source == "address.city"
    assert got["addresses.1.address.city"].source == "shipping.address.city"
    assert got["addresses.1.address.recipient_addressee"].source == "shipping.name"


def test_a_plural_list_name_reads_as_its_singular(samples):
    got = suggest(
        samples["customer"],
        {"name": "telephones.0.number"},
        {"name": "emails.0.value"},
    )
    # A key word under a contact detail is the detail, not the ERP's code.
    assert got["telephones.0.number"].source == "phone"
    assert got["emails.0.value"].source == "email"


def test_a_period_bound_or_accrual_date_needs_a_stripe_date_named_so(samples):
    payout = suggest(
        samples["payout"],
        {"name": "periodStartDate", "type": "date"},
        {"name": "accrual_date", "type": "date"},
        {"name": "entryDate", "type": "date"},
    )
    assert not payout["periodStartDate"].source
    assert not payout["accrual_date"].source
    assert payout["entryDate"].source == "created"
    # An invoice has its period: the bound is its own.
    invoice = suggest(samples["invoice"], {"name": "periodEndDate", "type": "date"})
    assert invoice["periodEndDate"].source == "period_end"


def test_a_payouts_bank_statement_date_is_its_arrival(samples):
    got = suggest(
        samples["payout"],
        {"name": "header.date", "type": "date", "description": "Bank statement date"},
    )
    assert got["header.date"].source == "arrival_date"


def test_a_country_described_by_its_names_is_the_name_not_a_record(samples):
    described = "Country as an enumeration of upper-case English names (e.g. SPAIN)"
    got = suggest(
        samples["customer"],
        {"name": "address.country", "description": described},
        {"name": "shipTo.country", "description": "Country (enumeration record)"},
    )
    assert got["address.country"].source == "address.country"
    steps = got["address.country"].transforms
    assert steps == [{"name": "country_code", "params": {"to": "name"}}]
    assert got["shipTo.country"].transforms[0]["name"] == "lookup"


def test_a_bare_key_is_read_with_the_object_it_keys(samples):
    got = suggest(
        samples["invoice"],
        {"name": "recipient.customer.id"},
        {"name": "recipient.contact_person.name"},
    )
    assert got["recipient.customer.id"].source == "customer"
    assert lookup(got["recipient.customer.id"]) == "customer"


def test_a_field_described_as_the_customers_code_on_a_document(samples):
    for kind in ("invoice", "charge"):
        for name in ("header.debtor_ref", "lines.1.dim2"):
            got = suggest(samples[kind], {"name": name, "description": "Customer code"})
            assert lookup(got[name]) == "customer", (kind, name)
    # On the customer itself it is the customer's own code, not a lookup.
    own = suggest(samples["customer"], {"name": "dim2", "description": "Customer code"})
    assert not own["dim2"].transforms or own["dim2"].transforms[0]["name"] != "lookup"


def test_a_note_described_as_not_visible_is_private(samples):
    got = suggest(
        samples["invoice"],
        {"name": "remarks", "description": "Remarks. Visible on the invoice"},
        {"name": "notes", "description": "Notes. Not visible on the invoice"},
    )
    assert got["remarks"].source == "description"
    assert not got["notes"].source
    alone = suggest(
        samples["invoice"],
        {"name": "notes", "description": "Seller's notes, not shown to the buyer"},
    )
    assert not alone["notes"].source


def test_a_status_with_no_allowed_values_abstains(samples):
    got = suggest(
        samples["invoice"],
        {"name": "header.status", "description": "Invoice status (e.g. concept)"},
        {"name": "taxStatus", "type": "int"},
    )
    assert not got["header.status"].source
    assert not got["taxStatus"].source
    # With allowed values the status is mapped onto them.
    mapped = suggest(
        samples["invoice"], {"name": "status", "choices": ["DRAFT", "OPEN", "PAID"]}
    )
    assert mapped["status"].source == "status"


def test_an_address_blocks_name_line_repeats_the_partys_name(samples):
    got = suggest(
        samples["customer"],
        {"name": "name", "description": "Name of the partner"},
        {"name": "postalAddress.name", "description": "Name line of the address"},
    )
    assert got["name"].source == "name"
    assert got["postalAddress.name"].source == "name"
    # Two top-level names still share one text.
    flat = suggest(samples["customer"], {"name": "name"}, {"name": "companyName"})
    assert not flat["name"].source or not flat["companyName"].source


def test_a_person_to_the_attention_of_abstains(samples):
    got = suggest(
        samples["invoice"],
        {"name": "recipient.for_attention_of.name"},
        {"name": "attn"},
    )
    assert not got["recipient.for_attention_of.name"].source
    assert not got["attn"].source


def test_an_office_daybook_or_income_account_is_a_setting(samples):
    charge = suggest(
        samples["charge"],
        {"name": "header.office", "description": "Office (company) code"},
        {"name": "header.code", "description": "Daybook (transaction type) code"},
    )
    assert not charge["header.office"].source
    assert not charge["header.code"].source
    customer = suggest(
        samples["customer"],
        {
            "name": "customer.default_account_code",
            "type": "int",
            "description": "Default income account code",
        },
    )
    assert not customer["customer.default_account_code"].source


def test_an_identifier_described_as_a_business_id_is_the_tax_id(samples):
    described = "Identifier of the partner (business ID or personal number)"
    got = suggest(
        samples["customer"],
        {"name": "info.identifier", "description": described},
        {"name": "name"},
    )
    assert got["info.identifier"].source == "tax_ids.data.0.value"
    # Beside a VAT field it stays a detail of its own.
    beside = suggest(
        samples["customer"],
        {"name": "vat_number"},
        {"name": "info.identifier", "description": described},
    )
    assert beside["info.identifier"].source != "tax_ids.data.0.value"


def test_a_glued_lower_case_name_after_a_short_word_is_split(samples):
    got = suggest(
        samples["customer"],
        {"name": "creditmanagement.basecreditlimit", "type": "decimal"},
    )
    # base, credit, limit: a credit limit is a setting, not the balance.
    assert not got["creditmanagement.basecreditlimit"].source
