"""Suggester rules added on v8's and v9's former held-out parts: each a class
of misses.

The fields are made up in the shape the misses had (JSON Schema types,
amounts called values, ledger lines), not copied from one vendor.
"""

from mapping.schemas import DECIMAL, FLAG, INT, LINES
from mapping.suggest import field_specs_from_dicts
from tests.mapping.suggesting import suggest


def test_json_schema_type_names_read_as_the_engine_types():
    specs = field_specs_from_dicts(
        [
            {"name": "paid", "type": "number"},
            {"name": "count", "type": "integer"},
            {"name": "closed", "type": "boolean"},
            {"name": "lineItems", "type": "array"},
            {"name": "attachments", "type": "array"},
        ]
    )
    assert [s.type for s in specs] == [DECIMAL, INT, FLAG, LINES, "array"]


def test_an_amount_typed_number_is_converted_from_minor_units(samples):
    got = suggest(
        samples["charge"],
        {"name": "amount", "type": "number", "description": "Payment amount"},
    )
    assert got["amount"].source == "amount"
    assert [s["name"] for s in got["amount"].transforms] == ["minor_to_decimal"]


def test_only_a_list_named_for_lines_takes_the_lines(samples):
    got = suggest(
        samples["invoice"],
        {"name": "items", "type": "array", "description": "Line items"},
        {"name": "attachments", "type": "array", "description": "File ids"},
    )
    assert got["items"].source == "lines.data"
    assert got["attachments"].source != "lines.data"


def test_a_two_line_entry_debits_the_first_line_and_credits_the_second(samples):
    fields = [
        {"name": f"entries.{index}.{side}", "type": "decimal"}
        for index in (0, 1)
        for side in ("debit", "credit")
    ]
    got = suggest(samples["payout"], *fields)
    assert got["entries.0.debit"].source == "amount"
    assert got["entries.1.credit"].source == "amount"
    assert [s["name"] for s in got["entries.1.credit"].transforms] == [
        "minor_to_decimal"
    ]
    assert got["entries.0.credit"].source == ""
    assert got["entries.1.debit"].source == ""


def test_one_ledger_line_is_left_to_the_other_rules(samples):
    got = suggest(
        samples["payout"],
        {"name": "entries.0.debit", "type": "decimal"},
        {"name": "entries.0.credit", "type": "decimal"},
    )
    assert "balanced entry" not in got["entries.0.debit"].reason


def test_a_receipt_called_a_cheque_takes_the_payment_amount(samples):
    got = suggest(
        samples["charge"],
        {
            "name": "cheque_value",
            "type": "number",
            "description": "Value of the receipt in its currency",
        },
        {"name": "CashSum", "type": "decimal", "description": "Cash amount"},
    )
    assert got["cheque_value"].source == "amount"
    # An amount paid in cash is still not Stripe's.
    assert got["CashSum"].source != "amount" or got["CashSum"].confidence < 0.5


def test_a_net_amount_is_the_subtotal_and_a_tax_discount_not_the_tax(samples):
    got = suggest(
        samples["invoice"],
        {
            "name": "document_goods_value",
            "type": "number",
            "description": "Goods value of the document (net)",
        },
        {"name": "document_tax_discount_value", "type": "number"},
        {"name": "document_tax_value", "type": "number"},
    )
    assert got["document_goods_value"].source == "subtotal"
    assert got["document_tax_value"].source == "tax"
    # Its best guess is the tax, at a confidence the threshold turns away.
    assert got["document_tax_discount_value"].confidence < 0.5


def test_an_amount_excluding_tax_on_a_payment_is_its_amount(samples):
    for kind in ("charge", "payout"):
        got = suggest(
            samples[kind],
            {
                "name": "Lines.0.AmountExclVAT",
                "type": "decimal",
                "description": "Amount excluding VAT",
            },
        )
        assert got["Lines.0.AmountExclVAT"].source == "amount"
        assert got["Lines.0.AmountExclVAT"].confidence >= 0.7
    invoice = suggest(samples["invoice"], {"name": "AmountExclVAT", "type": "decimal"})
    assert invoice["AmountExclVAT"].source == "subtotal"


def test_a_customer_reference_is_the_erp_code_and_another_schemes_code_is_not(
    samples,
):
    got = suggest(
        samples["customer"],
        {"name": "reference", "description": "Customer account reference"},
        {"name": "registry_code", "description": "Registry code, max 9"},
    )
    assert got["reference"].source == "metadata.erp_customer_code"
    assert got["registry_code"].source != "metadata.erp_customer_code"
    external = suggest(
        samples["customer"],
        {
            "name": "reference",
            "description": "Customer reference in an external system",
        },
    )
    assert external["reference"].source == "id"


def test_a_telephone_country_code_is_not_the_country(samples):
    got = suggest(samples["customer"], {"name": "telephone_country_code"})
    # The country stays its best guess, at a confidence the threshold turns away.
    assert got["telephone_country_code"].confidence < 0.5


def test_a_whole_number_id_of_a_country_code_is_a_country_record(samples):
    got = suggest(
        samples["customer"],
        {
            "name": "country_code_id",
            "type": "integer",
            "description": "Id of the account's country code",
        },
        {"name": "country_code", "description": "ISO country code"},
    )
    assert got["country_code_id"].source == "address.country"
    assert got["country_code_id"].transforms[0]["name"] == "lookup"
    assert got["country_code"].transforms == []
