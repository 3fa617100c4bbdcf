"""Suggester rules added on v21's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a record the customer
belongs to, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import lookup, suggest


def test_a_record_the_customer_belongs_to_is_not_the_customer(samples):
    # given a customer with a key of the store it belongs to
    got = suggest(
        samples["customer"],
        {"name": "email", "type": "string"},
        {
            "name": "store_id",
            "type": "int",
            "description": "Store the customer belongs to",
        },
    )
    # then the key has no source
    assert got["store_id"].confidence < 0.7, got["store_id"]
    # An address's link to the customer it belongs to is still the customer.
    address = suggest(
        samples["customer"],
        {
            "name": "customer_ref",
            "type": "int",
            "description": "The customer the address belongs to",
        },
    )
    assert address["customer_ref"].source == "id", address["customer_ref"]
    assert lookup(address["customer_ref"]) == "customer"


def test_a_transaction_key_shortened_to_trans_is_the_payments_id(samples):
    # given a payment and a refund whose transaction key is glued and shortened
    for kind in ("charge", "refund"):
        got = suggest(
            samples[kind],
            {"name": "amount", "type": "decimal"},
            {
                "name": "transid",
                "type": "string",
                "description": "The unique transaction id",
            },
        )
        # then it is the object's own Stripe id
        assert got["transid"].source == "id", (kind, got["transid"])
        assert got["transid"].confidence >= 0.7, (kind, got["transid"])


def test_a_cards_holder_is_the_name_billed(samples):
    # given a payment with the card's brand and its holder
    got = suggest(
        samples["charge"],
        {"name": "card_brand", "type": "string"},
        {"name": "card_holder", "type": "string"},
    )
    # then the holder is the billing details' name
    assert got["card_holder"].source == "billing_details.name", got["card_holder"]
    assert got["card_holder"].confidence >= 0.7, got["card_holder"]


def test_a_cards_number_on_a_payment_is_its_last_four_digits(samples):
    # given a payment with the card's brand, number and expiry
    got = suggest(
        samples["charge"],
        {"name": "CardBrand", "type": "string"},
        {"name": "CreditCardNo", "type": "string"},
        {"name": "CardExpiry", "type": "string"},
    )
    # then the number is the last four digits Stripe gives
    assert got["CreditCardNo"].source == "payment_method_details.card.last4", got[
        "CreditCardNo"
    ]
    assert got["CreditCardNo"].confidence >= 0.7, got["CreditCardNo"]
    assert got["CardExpiry"].source != "payment_method_details.card.last4"


def test_a_refund_beside_an_amount_paid_out_leaves_the_amount_received_empty(samples):
    # given a bank transaction with one amount per way the money goes
    fields = (
        {"name": "amount_in", "type": "decimal", "description": "Amount received"},
        {"name": "amount_out", "type": "decimal", "description": "Amount paid out"},
    )
    refund = suggest(samples["refund"], *fields)
    charge = suggest(samples["charge"], *fields)
    # then a refund goes in the column paid out, a payment in the one received
    assert refund["amount_out"].source == "amount", refund["amount_out"]
    assert refund["amount_in"].source == "", refund["amount_in"]
    assert charge["amount_in"].source == "amount", charge["amount_in"]
    assert charge["amount_out"].source == "", charge["amount_out"]


def test_a_whole_number_key_described_as_the_client_is_the_customer(samples):
    # given a refund whose user key is described as the client it concerns
    got = suggest(
        samples["refund"],
        {"name": "amount", "type": "decimal"},
        {
            "name": "user_key",
            "type": "int",
            "description": "The client the refund applies to",
        },
        {
            "name": "clerk_key",
            "type": "int",
            "description": "The user who recorded the refund",
        },
    )
    # then it is the charge's customer, through the id map
    assert got["user_key"].source == "charge", got["user_key"]
    assert lookup(got["user_key"]) == "customer_of_charge"
    # A key described as someone else is not the customer.
    assert got["clerk_key"].confidence < 0.7, got["clerk_key"]


def test_an_amount_the_erp_converts_to_its_base_currency_is_the_documents(samples):
    # given an amount the ERP converts and one already in its base currency
    got = suggest(
        samples["payout"],
        {
            "name": "amount",
            "type": "decimal",
            "description": "Amount of the entry (converted to the base currency)",
        },
        {
            "name": "base_amount",
            "type": "decimal",
            "description": "Amount in the company's base currency",
        },
    )
    # then the amount converted by the ERP takes Stripe's amount
    assert got["amount"].source == "amount", got["amount"]
    assert got["amount"].confidence >= 0.7, got["amount"]
    # An amount given in the base currency is still not Stripe's.
    assert got["base_amount"].confidence < 0.7, got["base_amount"]
