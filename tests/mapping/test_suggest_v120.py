"""Suggester rules added on v122's former held-out part (Judopay, Highrise).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import (
    described,
    none_while_near,
)


def test_a_field_of_a_listed_messenger_is_no_stripe_value(samples):
    # given the address, the protocol and the key of a member's first listed
    # messenger account, none named for a network on its own, and the
    # address of the member's first listed e-mail (the near case: an entry
    # of a list Stripe fills)
    near = described("member.mail_boxes.0.address", "not given", "no description")
    for leaf, kind in (
        ("address", "not given"),
        ("protocol", "not given"),
        ("id", "integer"),
    ):
        caught = described(f"member.chat-messengers.0.{leaf}", kind, "no description")
        # when suggested on a Stripe customer, then each is left empty, the
        # member's account on a messenger, and the e-mail is still the
        # customer's
        none_while_near(samples, "customer", caught, near, "email")
