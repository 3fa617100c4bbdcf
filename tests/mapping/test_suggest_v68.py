"""Suggester rules added on v70's former held-out part (Tine 2.0, PagSeguro).

The fields are made up in the shape the misses had (a groupware's sales
models and a payment SDK's form-encoded request keys, described with the
code that writes them), not copied from one vendor. Each is written through
v67's `described`, a name, a type and the few words a model gives.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def test_a_sender_described_as_the_payer_s_is_the_payer_s(samples):
    # given a payment request's sender keys whose descriptions open on whose
    # they are: the buyer's, the payer's
    for sender, source in (
        (described("sender_mail", "string", "the payer's e-mail"), "customer_email"),
        (
            described("senderFullName", "string", "the buyer's full name; trait Payer"),
            "customer_name",
        ),
    ):
        # when suggested on an invoice, then it is the customer's, not the
        # address an e-mail is sent from
        assert sourced(samples, "invoice", sender).source == source, sender


def test_a_numbered_key_described_with_the_post_request_it_is_sent_in(samples):
    # given an order's first article code, numbered as a form key is, whose
    # description names in brackets the request that sends it
    article = described(
        "articleCode1",
        "string",
        "the first article's code in the shop's list (Shop::send, POST /v3/orders)",
    )
    # when suggested on an invoice, then the request's POST names no postal
    # code: it is no part of the customer's address
    assert_no_source(sourced(samples, "invoice", article, threshold=None))


def test_an_e_mail_of_the_account_receiving_the_payment_has_no_source(samples):
    # given a payment request's e-mails described as the account's that the
    # money goes to
    for mail in (
        described("payeeMail", "string", "the e-mail of the shop receiving the money"),
        described(
            "merchant.email", "string", "e-mail of the account that receives payment"
        ),
    ):
        # when suggested on a charge, then it is the seller's own account,
        # set up once, not the e-mail the payer gave
        assert_no_source(sourced(samples, "charge", mail, threshold=None))


def test_a_quantity_named_with_its_item_s_index_is_the_first_line_s(samples):
    # given a form's first article count, keyed by the article's index as a
    # form-encoded request numbers its items
    count = described("articleQty1", "int", "the first article's quantity")
    # when suggested on an invoice, then it is the first line's quantity,
    # not a count Stripe keeps nowhere
    assert sourced(samples, "invoice", count).source == "lines.data.0.quantity"


def test_a_reference_described_as_the_merchant_s_own_is_the_document_s_number(
    samples,
):
    # given a payment request's reference described as the merchant's for
    # the payment, words that would otherwise name a remittance code
    ref = described(
        "payRef", "string", "the merchant's reference for the payment, echoed back"
    )
    # when suggested on an invoice, then it is the invoice's own number, the
    # key the merchant's system gives it, not the buyer's reference
    assert sourced(samples, "invoice", ref).source == "number"


def test_a_card_holder_s_name_beside_the_buyer_s_takes_it_too(samples):
    # given a card payment naming the buyer and, apart, the card's holder
    buyer = described("buyer_name", "string", "the buyer's full name")
    holder = described("cardHolderName", "string", "the name printed on the card")
    # when suggested on a charge together, then both take the name Stripe
    # keeps of the one paying, the holder not left empty beside the buyer
    got = suggest(samples["charge"], buyer, holder, threshold=None)
    assert got["buyer_name"].source == "billing_details.name"
    assert got["cardHolderName"].source == "billing_details.name"
