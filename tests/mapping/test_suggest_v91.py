"""Suggester rules added on v93's former held-out part (UltraCart, Barion).

The fields are made up in the shape the misses had, not copied from one
vendor. Each is written through v67's `described`, a name, a type and the
few words a model gives, with where the words were found when the shape
needs it.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced


def test_a_request_body_named_by_its_class_is_no_emails_body(samples):
    # given a customer's e-mail whose description places it in the body of
    # the request, named by the class the SDK sends ("body Shopper")
    field = described(
        "email",
        "string",
        '"E-mail of the shopper" (Shopper member email; ShopperApi.add_shopper,'
        " POST /shoppers, body Shopper) at line 12 of acme/sdk@1234abc:docs/S.md",
    )
    # when suggested on a Stripe customer
    # then it is the customer's e-mail, not the e-mail that sends a document
    assert sourced(samples, "customer", field).source == "email"


def test_an_emails_body_still_names_the_sending_email(samples):
    # given a field holding the body text of the e-mail that sends the
    # invoice (the near case: a body, but an e-mail's)
    field = described(
        "email_body", "string", "Body of the e-mail sent with the document"
    )
    # when suggested on a Stripe invoice, then it has no source
    assert_no_source(sourced(samples, "invoice", field))
