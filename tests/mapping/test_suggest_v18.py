"""Suggester rules added on v20's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a state code described
as leaving out a prefix, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import suggest


def test_a_code_described_as_leaving_out_a_prefix_is_no_prefix(samples):
    # given an address whose region code is described as without a prefix
    got = suggest(
        samples["customer"],
        {"name": "address.city", "type": "string"},
        {
            "name": "address.region_code",
            "type": "string",
            "description": "ISO 3166-2 code of the region, without the country prefix",
        },
    )
    # then it is the state, not a number's prefix
    assert got["address.region_code"].source == "address.state", got[
        "address.region_code"
    ]
    # A field described as a prefix still is one.
    prefix = suggest(
        samples["invoice"],
        {"name": "series", "description": "Invoice number prefix, e.g. INV-"},
    )
    assert prefix["series"].source == "", prefix["series"]


def test_a_date_a_document_was_voided_written_off_or_refunded_has_no_source(samples):
    # given an invoice and a credit note with their own date and later events'
    invoice = suggest(
        samples["invoice"],
        {"name": "issued_at", "type": "date", "description": "Invoice date"},
        {"name": "voidedOn", "type": "date"},
        {"name": "writeOffDate", "type": "date"},
    )
    credit_note = suggest(
        samples["credit_note"],
        {"name": "date", "type": "date"},
        {"name": "refunded_at", "type": "date"},
    )
    # then only the document's own date takes its creation
    assert invoice["issued_at"].source == "created", invoice["issued_at"]
    for got, name in (
        (invoice, "voidedOn"),
        (invoice, "writeOffDate"),
        (credit_note, "refunded_at"),
    ):
        assert got[name].confidence < 0.7, got[name]
    assert credit_note["date"].source == "created", credit_note["date"]
    # A refund's own refund date is its creation.
    refund = suggest(samples["refund"], {"name": "refunded_at", "type": "date"})
    assert refund["refunded_at"].source == "created", refund["refunded_at"]
    assert refund["refunded_at"].confidence >= 0.7, refund["refunded_at"]


def test_a_transaction_key_named_with_a_preposition_is_the_payments_id(samples):
    # given a payment whose gateway key joins its words with "at" or "in"
    got = suggest(
        samples["charge"],
        {"name": "amount", "type": "decimal"},
        {
            "name": "payment.ref_at_gateway",
            "type": "string",
            "description": "Reference of the transaction at the payment gateway",
        },
        {"name": "txn_id_in_psp", "type": "string"},
    )
    # then each is the payment's own Stripe id
    assert got["payment.ref_at_gateway"].source == "id", got["payment.ref_at_gateway"]
    assert got["txn_id_in_psp"].source == "id", got["txn_id_in_psp"]


def test_a_checks_number_or_the_payments_reference_is_its_stripe_id(samples):
    # given payments keyed by a check's number or, for others, a reference
    named = suggest(
        samples["charge"],
        {"name": "amount_received", "type": "decimal"},
        {
            "name": "cheque_document_no",
            "type": "string",
            "description": "Cheque or document number of the receipt",
        },
    )
    described = suggest(
        samples["charge"],
        {
            "name": "source",
            "type": "string",
            "description": "Source: the receipt's source document or reference, "
            "e.g. a cheque number",
        },
    )
    # then each is the payment's own Stripe id
    assert named["cheque_document_no"].source == "id", named["cheque_document_no"]
    assert described["source"].source == "id", described["source"]
    # A check's number alone, or the account it is drawn on, is none of it.
    alone = suggest(
        samples["charge"],
        {"name": "chequeNo", "type": "string", "description": "Cheque number"},
        {"name": "check_account_ref", "type": "string"},
    )
    assert alone["chequeNo"].source != "id", alone["chequeNo"]
    assert alone["check_account_ref"].source != "id", alone["check_account_ref"]


def test_a_reason_code_set_up_in_the_erp_takes_stripes_reason_mapped(samples):
    # given a credit note and a refund with a reason code and a free reason
    credit_note = suggest(
        samples["credit_note"],
        {"name": "number", "type": "string"},
        {
            "name": "credit_reason_code",
            "type": "string",
            "description": "Code of a credit reason set up in the ERP",
        },
    )
    refund = suggest(samples["refund"], {"name": "Reason", "type": "string"})
    # then the code takes Stripe's reason through a table to fill in
    got = credit_note["credit_reason_code"]
    assert got.source == "reason", got
    assert [step["name"] for step in got.transforms] == ["value_map"], got
    # and a reason kept as text copies it
    assert refund["Reason"].source == "reason", refund["Reason"]
    assert refund["Reason"].transforms == [], refund["Reason"]


def test_a_voice_number_is_the_phone(samples):
    # given a contact with a voice line beside a fax and an honorific
    got = suggest(
        samples["customer"],
        {"name": "contact_title", "type": "string"},
        {"name": "contact_voice", "type": "string"},
        {"name": "contact_fax", "type": "string"},
    )
    # then the voice line takes the phone
    assert got["contact_voice"].source == "phone", got["contact_voice"]
    assert got["contact_voice"].confidence >= 0.7, got["contact_voice"]


def test_a_tax_exemptions_certificate_or_category_has_no_source(samples):
    # given a customer with a tax exemption's certificate number and category
    got = suggest(
        samples["customer"],
        {"name": "name", "type": "string"},
        {
            "name": "exempt_cert",
            "type": "string",
            "description": "Sales tax exemption certificate number",
        },
        {
            "name": "usage_code",
            "type": "string",
            "description": "Exemption category code of the customer",
        },
        {"name": "vat_exempt_number", "type": "string"},
    )
    # then neither is the tax id nor the customer's code
    assert got["exempt_cert"].confidence < 0.7, got["exempt_cert"]
    assert got["usage_code"].confidence < 0.7, got["usage_code"]
    # A VAT number named for the exemption is still the tax id.
    vat = got["vat_exempt_number"]
    assert vat.source == "tax_ids.data.0.value", vat
