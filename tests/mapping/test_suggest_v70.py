"""Suggester rules added on v72's former held-out part (kivitendo, Mangopay).

The fields are made up in the shape the misses had (an ERP's CSV import
columns and a payment SDK's request classes, described with the code that
declares them), not copied from one vendor. Each is written through v67's
`described`, a name, a type and the few words a model gives.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    lookup,
    sourced,
    suggest,
)


def test_a_refund_s_currency_described_with_the_refunded_payment_is_the_currency(
    samples,
):
    # given a refund request's money, its currency described with the payment
    # the refund gives back
    currency = described(
        "RefundedMoney.CurrencyCode",
        "string",
        "the money to give back (the payment is refunded in full when absent): "
        "currency, an ISO 4217 code",
    )
    # when suggested on a refund, then it is the refund's currency, not the
    # refunded charge looked up
    item = sourced(samples, "refund", currency)
    assert item.source == "currency", item


def test_a_user_key_described_as_the_one_paying_is_the_customer(samples):
    # given a payment request's key of a user of the payment system,
    # described as the one who pays
    payer = described("OwnerUserId", "string", "the id of the platform user who pays")
    # when suggested on a charge or an invoice, then it is the customer, by
    # the id map
    for object_type in ("charge", "invoice"):
        item = sourced(samples, object_type, payer)
        assert item.source == "customer" and lookup(item) == "customer", item
    # and a refund's key of the user the refunded payment came from is the
    # refunded charge's customer
    origin = described(
        "OwnerUserId", "string", "the id of the user at the source of the payment"
    )
    assert lookup(sourced(samples, "refund", origin)) == "customer_of_charge"


def test_a_text_named_for_the_description_takes_it_before_a_note(samples):
    # given a document's note beside a text whose name carries the word
    # description, qualified only by the document itself: its short title
    note = described("notes", "string", "notes on the booking")
    title = described(
        "document_description", "string", "the document's short title in lists"
    )
    # when suggested together on an invoice or a balance entry, then the
    # text named for the description takes Stripe's, and the note does not
    for object_type in ("invoice", "balance_transaction"):
        got = suggest(samples[object_type], note, title)
        assert got[title["name"]].source == "description", got
        assert got[note["name"]].source != "description", got
    # and a description of something else on the document (a fee's) leaves
    # Stripe's text to the note
    fee = described("fee_description", "string", "the fee's description")
    got = suggest(samples["invoice"], note, fee)
    assert got[fee["name"]].source != "description", got


def test_custom_data_a_platform_keeps_on_its_record_has_no_source(samples):
    # given a request's field of custom data, a free text the platform keeps
    # on the record it makes
    custom = described(
        "Label", "string", "custom data, a free text the service keeps on the object"
    )
    # when suggested on any Stripe object, then it is the integrator's own,
    # not Stripe's description or reason
    for object_type in ("customer", "charge", "invoice", "refund", "payout"):
        assert_no_source(sourced(samples, object_type, custom))


def test_a_booking_row_s_tax_key_has_no_source(samples):
    # given a booking row's tax key, a whole number naming one of the books'
    # taxes
    key = described(
        "rows.0.vatkey", "int", "the row's tax key in the chart (e.g. 9 for 19 % VAT)"
    )
    # when suggested on an invoice or a balance entry, then it is a code of
    # the ERP's, never Stripe's tax amount
    for object_type in ("invoice", "balance_transaction"):
        assert_no_source(sourced(samples, object_type, key))


def test_a_department_of_the_party_has_no_source(samples):
    # given an address's extra name line, described as the department
    for department in (
        described("delivery.nameline_2", "string", "second name line (department)"),
        described("contact.unit", "string", "the department at the address"),
    ):
        # when suggested on a customer, then it is a unit of the party,
        # which Stripe keeps none of: no part of the name
        assert_no_source(sourced(samples, "customer", department))
    # and a department standing for a region is the address's state
    region = described("address.region", "string", "state or department")
    assert sourced(samples, "customer", region).source == "address.state"


def test_a_reference_to_appear_on_the_bank_statement_is_the_statement_descriptor(
    samples,
):
    # given a payout request's reference, described as the text to appear on
    # the receiver's bank statement
    reference = described(
        "TransferRef",
        "string",
        "a custom reference to appear on the owner's bank statement",
    )
    # when suggested on a payout, then it is what Stripe writes there: its
    # statement descriptor, not the payout's own id
    assert sourced(samples, "payout", reference).source == "statement_descriptor"


def test_a_direct_debit_mandate_s_reference_has_no_source(samples):
    # given a party's or a payment's key of its direct-debit mandate
    for mandate in (
        described("debit_auth_ref", "string", "SEPA mandate reference"),
        described("links.authority", "string", "ID of the mandate to collect with"),
    ):
        # when suggested on a customer or a charge, then it is the bank
        # mandate's, not the object's Stripe id
        for object_type in ("customer", "charge"):
            assert_no_source(sourced(samples, object_type, mandate))


def test_a_value_date_named_with_valuta_on_a_payout_is_its_arrival(samples):
    # given a bank booking's value date, named with the word valuta
    value_date = described("booking.valuta_date", "date", "value date of the booking")
    # when suggested on a payout, then it is the day the money arrives, not a
    # currency's date
    item = sourced(samples, "payout", value_date)
    assert item.source == "arrival_date", item


def test_the_bank_s_own_booking_text_has_no_source(samples):
    # given a bank statement line's booking text, written by the bank
    text = described("posting_text", "string", "the bank's booking text (e.g. CREDIT)")
    # when suggested on a payout, then it is the bank's word for the kind of
    # booking, not Stripe's description
    assert_no_source(sourced(samples, "payout", text))
