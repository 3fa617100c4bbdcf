"""Suggester rules added on v77's former held-out part (Reaction Commerce, Rapyd).

The fields are made up in the shape the misses had (a shop's customer kept
as an account, a payment request's keys and contacts), not copied from one
vendor. Each is written through v67's `described`, a name, a type and the
few words a model gives.
"""

from tests.mapping.test_suggest_v3 import assert_no_source, suggest
from tests.mapping.test_suggest_v67 import described, sourced


def test_a_field_of_this_account_on_a_customer_is_the_customer_s_own(samples):
    # given a shop's customer kept as an account, with a remark and a
    # preferred currency each described as of this account
    remark = described("remark", "string", "A remark kept on this account")
    money = described("payCurrency", "string", "The currency this account pays in")
    # when suggested on a customer, then neither is a setting of the books:
    # the remark is the customer's description, the currency its own
    got = suggest(samples["customer"], remark, money)
    assert got["remark"].source == "description", got
    assert got["payCurrency"].source == "currency", got
    # while an account described as the receivable account is still a setting
    ledger = described(
        "receivableAccount", "string", "The receivable account it posts to"
    )
    assert_no_source(sourced(samples, "customer", ledger))


def test_the_merchant_s_reference_of_a_payment_is_its_stripe_id(samples):
    # given a payment request's and a refund request's reference named for
    # the merchant, described as a key the client defines, with a limit
    reference = described(
        "merchant_ref_key", "string", "Key defined by the client. Up to 64 chars."
    )
    # when suggested on a charge and on a refund, which carry no number of
    # their own, then each is the object's Stripe id, above the cut: the
    # merchant is the sender, who keys the payment by its Stripe id
    for object_type in ("charge", "refund"):
        got = suggest(samples[object_type], reference, threshold=None)
        assert got["merchant_ref_key"].source == "id", got
    # while a merchant's bare id names the seller's account, not the payment
    merchant = described("merchant_key", "string", "Key of the merchant account")
    assert (
        suggest(samples["charge"], merchant, threshold=None)["merchant_key"].source
        != "id"
    )


def test_a_schema_name_ending_in_body_says_nothing_of_an_e_mail_s_body(samples):
    # given a payment request's e-mail for its receipt, described as where
    # the receipt is sent, and placed in the request schema the spec names
    # in snake case (a name ending in body)
    email = described(
        "emailForReceipt",
        "string",
        "E-mail address the payment's receipt is sent to; in api_v2_charges_body",
    )
    # when suggested on a charge, then it is the charge's receipt e-mail: the
    # schema's name is no e-mail's body, and the integration sends no e-mail
    got = suggest(samples["charge"], email, threshold=None)
    assert got["emailForReceipt"].source == "receipt_email", got


def test_a_prefix_of_this_customer_s_invoices_is_the_customer_s_own(samples):
    # given a customer's prefix, described as put before the numbers of all
    # the invoices made out to this customer
    prefix = described(
        "billPrefix",
        "string",
        "A custom text put before the number of every invoice for this customer",
    )
    # when suggested on a customer, then it is the customer's own invoice
    # prefix, which Stripe keeps on the customer, not a number series setting
    got = suggest(samples["customer"], prefix, threshold=None)
    assert got["billPrefix"].source == "invoice_prefix", got
    # while a bare prefix taken from the settings is still a setting
    bare = described("numberPrefix", "string", "Prefix. Default: value from settings")
    assert_no_source(sourced(samples, "customer", bare))


def test_words_alike_only_in_their_endings_are_different_words(samples):
    # given an invoice's key of the enrolment that bills it, named by one
    # word that ends as description does, and described as another
    # system's id
    enrolment = described(
        "inscription", "string", "ID of the inscription that generates charges."
    )
    # when suggested on an invoice, then it takes no source, the invoice's
    # description no more than another: the words start apart, so they are
    # not one word misspelt or shortened
    assert_no_source(sourced(samples, "invoice", enrolment, threshold=None))
