"""Suggester rules added on v46's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a key "in your
application", ...), not copied from one vendor.
"""

import pytest

from tests.mapping.suggesting import assert_no_source, lookup, suggest


def test_a_key_in_the_senders_application_is_the_stripe_id(samples):
    # given a record's key and its party's key, each described as the key
    # the API user keeps in their own application or system
    own = {
        "name": "app_key",
        "type": "string",
        "description": "Identifier of the client in your application; optional",
    }
    # when the record is the customer, or a document for one
    got = suggest(samples["customer"], own, threshold=None)
    # then the key is the record's own Stripe id
    assert got["app_key"].source == "id"
    fields = (
        {
            "name": "app_key",
            "type": "string",
            "description": "Identifier of the document in your system",
        },
        {
            "name": "party_app_key",
            "type": "string",
            "description": "Identifier of the client in your application",
        },
    )
    for kind in ("invoice", "credit_note"):
        got = suggest(samples[kind], *fields, threshold=None)
        assert got["app_key"].source == "id"
        # and the party's key is the customer's Stripe id, not mapped
        assert got["party_app_key"].source == "customer"
        assert got["party_app_key"].transforms == []


def test_a_payments_shipping_amount_has_no_stripe_source(samples):
    # given a payment's extra data holding the shipping charged with it
    fields = (
        {
            "name": "extra.shippingAmount",
            "type": "decimal",
            "description": "Payment extra data: the shipping amount applied",
        },
        {"name": "total", "type": "decimal", "description": "Amount paid"},
    )
    got = suggest(samples["charge"], *fields, threshold=None)
    # then a charge holds no shipping amount apart: nothing fills it
    assert_no_source(got["extra.shippingAmount"])
    assert got["total"].source == "amount"


def test_a_country_given_three_capitals_by_example_is_alpha3(samples):
    # given a country whose description's example is three capitals
    fields = (
        {
            "name": "addr_nation",
            "type": "string",
            "description": "Nation of the customer's address (example 'DEU')",
        },
        {
            "name": "ship_nation",
            "type": "string",
            "description": 'Shipping nation code, e.g. "FRA"',
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the ISO code goes in its alpha-3 form
    for target in fields:
        steps = got[target["name"]].transforms
        assert steps == [{"name": "country_code", "params": {"to": "alpha3"}}]


def test_a_bare_method_described_as_the_payment_method_is_the_payments_type(samples):
    # given a payment's field named only method, described as the payment
    # method type, with no allowed values
    method = {
        "name": "method",
        "type": "string",
        "description": "The payment method type of the payment (sent as 'card')",
    }
    got = suggest(samples["charge"], method, threshold=None)
    # then it is the charge's payment type, onto the ERP's codes
    assert got["method"].source == "payment_method_details.type"
    assert got["method"].transforms[0]["name"] == "value_map"


def test_a_payments_success_flag_is_whether_it_was_paid(samples):
    # given a payment's flag saying whether it went through
    fields = (
        {
            "name": "succeeded",
            "type": "flag",
            "description": "Whether the payment succeeded",
        },
        {
            "name": "mark_paid",
            "type": "flag",
            "description": "Mark the linked invoice as paid",
        },
    )
    got = suggest(samples["charge"], *fields, threshold=None)
    # then it is the charge's paid, as it is; an order to mark is a setting
    assert got["succeeded"].source == "paid"
    assert got["succeeded"].transforms == []
    assert_no_source(got["mark_paid"])


def test_the_document_a_credit_note_corrects_is_its_invoice(samples):
    # given a credit note's key of the document it corrects
    fields = (
        {
            "name": "fixes_id",
            "type": "int",
            "description": "ID of the document being corrected",
        },
        {"name": "doc_number", "type": "string", "description": "Document number"},
    )
    got = suggest(samples["credit_note"], *fields, threshold=None)
    # then it is the invoice credited, through the invoice map
    assert got["fixes_id"].source == "invoice"
    assert lookup(got["fixes_id"]) == "invoice"
    assert got["doc_number"].source == "number"


def test_a_weak_order_number_leaves_a_credit_note_its_own_number(samples):
    # given a credit note kept as an invoice: its invoice number, the key of
    # the invoice it corrects, and an order number nothing fills well
    fields = (
        {"name": "number", "type": "string", "description": "Invoice number; unique"},
        {
            "name": "fixes_id",
            "type": "int",
            "description": "ID of the document being corrected",
        },
        {"name": "order_number", "type": "string", "description": "Order number"},
    )
    got = suggest(samples["credit_note"], *fields, threshold=None)
    # then the key takes the invoice and the number is the note's own
    assert lookup(got["fixes_id"]) == "invoice"
    assert got["number"].source == "number"
    assert got["number"].transforms == []


def test_the_key_of_a_proforma_an_invoice_is_issued_from_has_no_source(samples):
    # given an invoice's key of the proforma (or invoice) it was issued from
    linked = {
        "name": "linked_id",
        "type": "int",
        "description": "ID of the proforma/invoice (invoices issued from proformas)",
    }
    for kind in ("invoice", "credit_note"):
        got = suggest(samples[kind], linked, threshold=None)
        # then the earlier document is the ERP's own: nothing fills it
        assert_no_source(got["linked_id"])


def test_a_default_taken_from_the_account_leaves_the_field_the_partys(samples):
    # given a customer's country that falls back to the account's when empty
    fields = (
        {
            "name": "land",
            "type": "string",
            "description": "Land as an ISO code; default: that of the account",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then it is still the customer's country, no ledger setting
    assert got["land"].source == "address.country"


# One field each that Stripe has no value for: a base URL (a link's fixed
# start the ERP adds the record's key to), a whole number described as a
# yes/no (not the amount its name shares a word with), a reference described
# as numeric (a Stripe id has letters).
_UNFILLED = {
    "base URL": (
        "invoice",
        {
            "name": "pay_link",
            "type": "string",
            "description": "Base URL of the document's payment page",
        },
    ),
    "whether": (
        "charge",
        {
            "name": "refunded",
            "type": "int",
            "description": "Whether the payment is refunded or not (0 when not)",
        },
    ),
    "numeric": (
        "customer",
        {
            "name": "pay_ref",
            "type": "string",
            "description": "The numeric payment reference of the contact",
        },
    ),
}


@pytest.mark.parametrize("kind", list(_UNFILLED))
def test_a_field_stripe_has_no_value_for_has_no_source(samples, kind):
    record, field = _UNFILLED[kind]
    got = suggest(samples[record], field, threshold=None)
    assert_no_source(got[field["name"]])


def test_a_company_beside_a_customers_first_and_last_name_has_no_source(samples):
    # given a customer record of a person's first and last names and a company
    fields = (
        {"name": "given", "type": "string", "description": "First name"},
        {"name": "family", "type": "string", "description": "Last name"},
        {"name": "company", "type": "string", "description": "Company of the client"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then Stripe's one name is the person's, split; the company stays empty
    assert got["given"].source == "name"
    assert_no_source(got["company"])
    # unless a party type makes the record a person's or a company's
    kind = {"name": "kind", "type": "string", "choices": ["PERSON", "ORGANISATION"]}
    got = suggest(samples["customer"], *fields, kind, threshold=None)
    assert got["company"].source == "name"
