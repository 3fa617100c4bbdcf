"""Suggester rules added on v14's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a part of a phone
number, a person's birth date, a text placed before or after the lines, a
key in the system the record is imported from), not copied from one vendor.
"""

from mapping.calibration import abstention_threshold
from tests.mapping.suggesting import lookup, suggest


def test_a_part_of_a_phone_number_has_no_source(samples):
    # Alone, without a main phone field to take the phone before them.
    for field in (
        {"name": "contactPhoneDialCode", "description": "Dialling code"},
        {"name": "tel_country", "description": "Country calling code of the phone"},
    ):
        got = suggest(samples["customer"], {"name": "name"}, field)
        assert got[field["name"]].source == "", got[field["name"]]
    whole = suggest(samples["customer"], {"name": "contactPhone"})
    assert whole["contactPhone"].source == "phone"


def test_a_persons_birth_date_has_no_source(samples):
    got = suggest(
        samples["customer"],
        {"name": "signup_date", "type": "date", "description": "Date registered"},
        {"name": "DateOfBirth", "type": "date"},
        {"name": "dob", "type": "date", "description": "Date of birth"},
    )
    assert got["signup_date"].source == "created"
    assert got["DateOfBirth"].source == ""
    assert got["dob"].source == ""


def test_a_text_after_the_lines_is_the_footer(samples):
    got = suggest(
        samples["invoice"],
        {"name": "memo_a", "description": "Text shown before the item lines"},
        {"name": "memo_b", "description": "Text shown after the item lines"},
    )
    assert got["memo_a"].source == "description"
    assert got["memo_b"].source == "footer"


def test_a_key_in_the_system_a_record_is_imported_from_is_its_stripe_id(samples):
    got = suggest(
        samples["customer"],
        {"name": "name", "description": "Name"},
        {
            "name": "alt_key",
            "description": "Key of the customer in the system it was imported from",
        },
        threshold=abstention_threshold(),
    )
    assert got["alt_key"].source == "id"


def test_a_payments_transaction_key_is_its_stripe_id(samples):
    for name in ("gateway_txn_ref", "providerTransactionId"):
        got = suggest(
            samples["charge"],
            {"name": "invoice_id", "type": "int", "description": "Invoice paid"},
            {"name": name, "description": "Key of the payment at the gateway"},
            threshold=abstention_threshold(),
        )
        assert got[name].source == "id", got[name]
    kind = suggest(samples["charge"], {"name": "transaction_kind_id", "type": "int"})
    assert kind["transaction_kind_id"].source != "id"


def test_a_customer_named_in_the_url_is_the_record_through_the_id_map(samples):
    got = suggest(
        samples["customer"],
        {"name": "customerId", "description": "Id of the customer (path, required)"},
        {"name": "street", "description": "Street of the delivery address"},
    )
    assert got["customerId"].source == "id"
    assert lookup(got["customerId"]) == "customer"
    own = suggest(samples["customer"], {"name": "customerId"}, {"name": "name"})
    assert not own["customerId"].transforms


def test_a_customers_external_id_is_its_stripe_id_as_it_is(samples):
    for kind, name in (
        ("invoice", "customer_ext_ref"),
        ("charge", "clientExternalKey"),
    ):
        got = suggest(
            samples[kind],
            {"name": name, "description": "External key of the customer billed"},
            {"name": "document_no", "description": "Number"},
        )
        assert got[name].source == "customer", got[name]
        assert not got[name].transforms, got[name]
    plain = suggest(samples["invoice"], {"name": "customer_id"})
    assert lookup(plain["customer_id"]) == "customer"


def test_an_external_key_in_a_named_third_system_has_no_source(samples):
    got = suggest(
        samples["customer"],
        {"name": "external_crm_id", "description": "Id of the contact in Pipedrive"},
        {"name": "ext_ref", "description": "Key of the contact in an external system"},
        threshold=abstention_threshold(),
    )
    assert got["external_crm_id"].source == ""
    assert got["ext_ref"].source == "id"


def test_the_party_that_issues_the_documents_is_a_setting(samples):
    # Alone: beside a field for the customer's code it loses that code anyway.
    got = suggest(
        samples["customer"],
        {"name": "name", "description": "Name"},
        {
            "name": "unit_code",
            "description": "Code of the business unit that bills the customer",
        },
        threshold=abstention_threshold(),
    )
    assert got["name"].source == "name"
    assert got["unit_code"].source == ""


def test_an_amount_on_a_customer_is_the_erps_own(samples):
    for field in (
        {"name": "store_credit", "type": "decimal", "description": "Credit held"},
        {"name": "AmountOwed", "type": "decimal", "description": "Balance due"},
    ):
        got = suggest(samples["customer"], {"name": "name"}, field)
        assert got[field["name"]].source == "", got[field["name"]]
