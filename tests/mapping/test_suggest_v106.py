"""Suggester rules added on v108's former held-out part (CloudPayments, Jobber).

Each field is made up after the shape of a miss, named for no vendor, beside
a near case the rule leaves as it was.
"""

from tests.mapping.suggesting import described, sourced
from tests.mapping.test_suggest_v103 import transform_names


def test_a_type_marked_never_null_is_the_type_it_marks(samples):
    # given a payment's sum typed as a number that is never null, the way a
    # GraphQL schema writes it, and its payer's e-mail typed as never-null
    # text (the near case: a text type under the same mark)
    paid = described("settled_sum", "Float!", "The sum settled")
    email = described("payer_email", "String!", "The payer's e-mail")
    # when suggested on a Stripe charge
    paid_item = sourced(samples, "charge", paid)
    email_item = sourced(samples, "charge", email)
    # then the sum is the charge's amount read into major units, as a number
    # is; the e-mail is the billing e-mail, copied as it is, as before
    assert (paid_item.source, transform_names(paid_item)) == (
        "amount",
        ["minor_to_decimal"],
    )
    assert (email_item.source, transform_names(email_item)) == (
        "billing_details.email",
        [],
    )
