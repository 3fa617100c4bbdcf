"""Suggester rules added on v118's former held-out part (Fat Zebra, Pipeliner CRM).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    lookup,
    sourced,
)


def _placed(name, title, record):
    """A text field by its title, placed in the request that makes `record`."""
    return described(
        name, "string", f'title "{title}" (Make {record} request body, acme/api.json)'
    )


def test_the_request_a_field_is_cited_in_does_not_make_it_a_setting(samples):
    # given a town described by its title and placed, in brackets, in the
    # body of the request that creates an account, and the same town
    # described as the town of a ledger account (the near case: a setting)
    placed = _placed("town", "Town", "Account")
    ledger = described("town", "string", "Town of the ledger account")
    # when suggested on a Stripe customer, then the first is the customer's
    # city, the account the request makes being the customer, and the
    # second is still left to the integration's settings
    assert sourced(samples, "customer", placed).source == "address.city"
    assert_no_source(sourced(samples, "customer", ledger))


def test_a_buyers_record_id_in_the_merchants_system_is_the_stripe_id(samples):
    # given a buyer's key described as the buyer's record id in the
    # merchant's system, and the same key described as the buyer's record id
    # alone (the near case: the buyer's record in the receiving system)
    merchants = described(
        "risk.buyer.key", "string", "The buyers record ID in the merchants system"
    )
    bare = described("risk.buyer.key", "string", "The buyers record ID")
    # when suggested on a Stripe charge, then the first is the charge's
    # customer as Stripe writes it, the merchant being the one who sends it,
    # and the second is still looked up through the customer id map
    copied = sourced(samples, "charge", merchants)
    assert (copied.source, copied.transforms) == ("customer", [])
    assert lookup(sourced(samples, "charge", bare)) == "customer"


def test_a_note_sent_to_make_a_party_is_not_the_documents_description(samples):
    # given remarks placed, in brackets, in the body of the request that
    # makes a contact, and the same remarks placed in the request that makes
    # a deal (the near case: a record the payment may stand for)
    party = _placed("remarks", "Remarks", "Contact")
    deal = _placed("remarks", "Remarks", "Deal")
    # when suggested on a Stripe charge, then the first is left empty, the
    # charge's description being the payment's and not the contact's, and
    # the second is still the charge's description
    assert_no_source(sourced(samples, "charge", party))
    assert sourced(samples, "charge", deal).source == "description"


def test_a_listed_recipient_is_none_of_stripes_but_the_primary_one(samples):
    # given the town of the first item of an order's list of recipients, and
    # the town of the first of its primary recipients (the near case: the
    # party billed)
    listed = described("check.recipients.0.town", "string", "The recipients town")
    primary = described(
        "check.primary_recipients.0.town", "string", "The recipients town"
    )
    # when suggested on a Stripe invoice, then the first is left empty,
    # Stripe's document going to one party only, and the second is still the
    # customer's city
    assert_no_source(sourced(samples, "invoice", listed))
    assert sourced(samples, "invoice", primary).source == "customer_address.city"
