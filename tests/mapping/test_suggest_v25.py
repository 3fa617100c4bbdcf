"""Suggester rules added on v27's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (an address's lines named
by an ordinal, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import lookup, suggest


def test_address_lines_named_by_an_ordinal_take_stripes_numbered_lines(samples):
    # given a customer address whose lines are named first and second, not 1, 2
    fields = (
        {"name": "FirstLine", "description": "Address, first line"},
        {"name": "SecondLine", "description": "Address, second line"},
        {"name": "town", "description": "Town"},
    )
    got = suggest(samples["customer"], *fields)
    # then they take Stripe's line1 and line2, at a sure confidence
    assert got["FirstLine"].source == "address.line1", got["FirstLine"]
    assert got["FirstLine"].confidence >= 0.7, got["FirstLine"]
    assert got["SecondLine"].source == "address.line2", got["SecondLine"]
    assert got["SecondLine"].confidence >= 0.7, got["SecondLine"]


def test_a_street_named_with_its_house_number_takes_the_street_line(samples):
    # given a recipient's street named together with its house number, and
    # described so, beside the address's other parts
    fields = (
        {"name": "buyer.street_and_house_no", "description": "Street and house number"},
        {"name": "buyer.addressExtra", "description": "Further address details"},
        {"name": "buyer.zip", "description": "Postcode"},
    )
    got = suggest(samples["invoice"], *fields)
    # then it takes Stripe's street line, at a sure confidence
    street = got["buyer.street_and_house_no"]
    assert street.source == "customer_address.line1", street
    assert street.confidence >= 0.7, street


def test_a_reason_given_as_free_text_is_the_records_note(samples):
    # given a credit's reason described as free text, which Stripe's coded
    # reason (duplicate, fraudulent, ...) is not
    field = {
        "name": "credit_reason",
        "description": "Why the credit was granted, shown to staff (free text)",
    }
    got = suggest(samples["credit_note"], field)
    # then a credit note fills it from its memo, and a refund, which has no
    # note, from its reason
    assert got["credit_reason"].source == "memo", got["credit_reason"]
    refund = suggest(samples["refund"], field)
    assert refund["credit_reason"].source == "reason", refund["credit_reason"]


def test_the_transaction_a_credit_or_refund_is_for_is_what_it_credits(samples):
    # given a credit's and a refund's key of the transaction each is for
    credit = {
        "name": "txn_id",
        "description": "ID of the transaction this credit is for",
    }
    refund = {
        "name": "txn_id",
        "description": "ID of the transaction this refund is for",
    }
    got = suggest(samples["credit_note"], credit)["txn_id"]
    # then a credit note's is the invoice it credits, a refund's the charge it
    # gives back, each through the id map
    assert got.source == "invoice" and lookup(got) == "invoice", got
    got = suggest(samples["refund"], refund)["txn_id"]
    assert got.source == "charge" and lookup(got) == "charge", got


def test_an_open_invoice_is_an_issued_one(samples):
    # given an invoice's status whose allowed values say issued, not open
    field = {
        "name": "documentStatus",
        "description": "The stage the document is created in",
        "choices": ["Draft", "Issued", "Paid"],
    }
    got = suggest(samples["invoice"], field)["documentStatus"]
    # then Stripe's status fills it, an open (finalized) invoice as issued
    assert got.source == "status", got
    assert got.transforms[0]["params"]["map"]["open"] == "Issued", got


def test_a_recipients_key_from_the_senders_system_is_the_stripe_customer(samples):
    # given an invoice's key of the party it goes to, described as a value
    # the sender's own system gives
    field = {
        "name": "receiver.identifier",
        "description": "A unique value from your system naming who receives it",
    }
    got = suggest(samples["invoice"], field)["receiver.identifier"]
    # then it takes the Stripe customer id as it is, the integration's key
    assert got.source == "customer", got
    assert not got.transforms, got


def test_a_note_about_an_address_has_no_source(samples):
    # given a customer's address with a remark described as being about it,
    # beside a note about the customer itself
    fields = (
        {"name": "addr.remarks", "description": "Free remarks on the address"},
        {"name": "addr.town", "description": "Town of the address"},
    )
    got = suggest(samples["customer"], *fields)
    # then the address's remark takes nothing, Stripe keeping no text per
    # address, while the customer's own note keeps its description
    assert got["addr.remarks"].source == "", got["addr.remarks"]
    assert got["addr.town"].source == "address.city", got["addr.town"]
    own = {"name": "notes", "description": "Comments about the customer"}
    assert suggest(samples["customer"], own)["notes"].source == "description"


def test_choices_naming_the_records_own_kind_have_no_source(samples):
    # given a refund's field choosing among kinds of entry, the refund's own
    # kind one of them
    field = {
        "name": "entryKind",
        "description": "What the entry does to the account",
        "choices": ["Payment", "Credit", "Refund"],
    }
    got = suggest(samples["refund"], field)["entryKind"]
    # then the endpoint fixes it: no Stripe value (a card) is mapped onto it
    assert got.source == "", got
