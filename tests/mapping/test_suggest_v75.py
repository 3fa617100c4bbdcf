"""Suggester rules added on v77's former held-out part (Reaction Commerce, Rapyd).

The fields are made up in the shape the misses had (a shop's customer kept
as an account, a payment request's keys and contacts), not copied from one
vendor. Each is written through v67's `described`, a name, a type and the
few words a model gives.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def shown_as(samples, *rows):
    """Each (object type, name, words, source) row: that string field alone,
    so described, is shown that source past the calibrated cut ("" none)."""
    for object_type, name, text, source in rows:
        got = sourced(samples, object_type, described(name, "string", text), None)
        assert got.source == source, (object_type, got)


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
    # the merchant, described as a key the client defines, with a limit;
    # when suggested on a charge and on a refund, which carry no number of
    # their own, then each is the object's Stripe id, above the cut: the
    # merchant is the sender, who keys the payment by its Stripe id
    key = "Key defined by the client. Up to 64 chars."
    shown_as(
        samples,
        ("charge", "merchant_ref_key", key, "id"),
        ("refund", "merchant_ref_key", key, "id"),
    )
    # while a merchant's bare id names the seller's account, not the payment
    merchant = described("merchant_key", "string", "Key of the merchant account")
    assert sourced(samples, "charge", merchant, None).source != "id"


def test_a_schema_name_ending_in_body_says_nothing_of_an_e_mail_s_body(samples):
    # given a payment request's e-mail for its receipt, described as where
    # the receipt is sent, and placed in the request schema the spec names
    # in snake case (a name ending in body); when suggested on a charge,
    # then it is the charge's receipt e-mail: the schema's name is no
    # e-mail's body, and the integration sends no e-mail
    sent_to = "E-mail address the payment's receipt is sent to; in api_v2_charges_body"
    shown_as(samples, ("charge", "emailForReceipt", sent_to, "receipt_email"))


def test_a_prefix_of_this_customer_s_invoices_is_the_customer_s_own(samples):
    # given a customer's prefix, described as put before the numbers of all
    # the invoices made out to this customer; when suggested on a customer,
    # then it is the customer's own invoice prefix, which Stripe keeps on the
    # customer, not a number series setting; while a bare prefix taken from
    # the settings is still a setting
    own = "A custom text put before the number of every invoice for this customer"
    bare = "Prefix. Default: value from settings"
    shown_as(
        samples,
        ("customer", "billPrefix", own, "invoice_prefix"),
        ("customer", "numberPrefix", bare, ""),
    )


def test_words_alike_only_in_their_endings_are_different_words(samples):
    # given an invoice's key of the enrolment that bills it, named by one
    # word that ends as description does, and described as another system's
    # id; when suggested on an invoice, then it takes no source, the
    # invoice's description no more than another: the words start apart, so
    # they are not one word misspelt or shortened
    enrolment = "ID of the inscription that generates charges."
    shown_as(samples, ("invoice", "inscription", enrolment, ""))


def test_the_web_shop_a_customer_belongs_to_is_the_seller_s_own(samples):
    # given a customer's key of the web shop it belongs to, described as an
    # opaque id the server decodes; when suggested on a customer, then it is
    # not the customer's code in the ERP: the shop, as a store, is the
    # seller's own, one per integration
    shop = "The ID of the shop this account will join (opaque id, decoded)"
    shown_as(samples, ("customer", "shopKey", shop, ""))


def test_a_contact_or_care_of_person_at_the_party_s_address_is_the_party(samples):
    # given an address's name described as a contact person's, or instead a
    # care-of person's, at the address; when suggested on a customer and on
    # a charge, then it is the party's name: the contact at its own address
    # is offered first, a care-of addressee only in its stead
    contact = "The name of a contact person or a care-of person at this site"
    for kind, name, source in (
        ("customer", "sites.0.name", "name"),
        ("charge", "site.name", "billing_details.name"),
    ):
        shown_as(samples, (kind, name, contact, source))
