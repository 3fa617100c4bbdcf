"""Suggester rules added on v122's former held-out part (Judopay, Highrise).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    none_while_near,
    sourced,
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


def test_the_address_of_a_customers_card_is_the_customers_address(samples):
    # given the town and postal code of the address of a customer's card,
    # and the holder's name on the same card (the near case: a field of the
    # card kept on file, which a Stripe customer carries none of)
    town = described("walletCardAddress.town", "string", "The town of the holder")
    code = described("walletCardAddress.postCode", "string", "The postcode of it")
    holder = described("walletCard.holderName", "string", "The holder of the card")
    # when suggested on a Stripe customer, then the first two are the
    # customer's own address, which the holder bills to, and the name is
    # still left empty
    assert sourced(samples, "customer", town).source == "address.city"
    assert sourced(samples, "customer", code).source == "address.postal_code"
    assert_no_source(sourced(samples, "customer", holder))


def test_a_country_code_typed_as_a_number_is_mapped_from_the_iso_code(samples):
    # given a card address's country code typed as a number and described
    # by the ISO standard, and the same code typed as text (the near case:
    # the two letters as they are)
    about = "The country code (ISO 3166-1) of the holder's address"
    number = described("holderAddress.countryCode", "int?", about)
    text = described("holderAddress.countryCode", "string", about)
    # when suggested on a Stripe charge, then the first is the billing
    # country through a value map onto the standard's numbers, and the
    # second is still the billing country as it is
    found = sourced(samples, "charge", number)
    assert (found.source, [s["name"] for s in found.transforms]) == (
        "billing_details.address.country",
        ["value_map"],
    )
    near = sourced(samples, "charge", text)
    assert (near.source, near.transforms) == ("billing_details.address.country", [])


def test_the_location_of_a_listed_email_is_no_email(samples):
    # given where the first of a party's listed e-mails is used (its
    # location: work, home), and the value of the same entry (the near
    # case: the address itself)
    location = described("mail_boxes.0.location", "not given", "Work or Home")
    value = described("mail_boxes.0.value", "not given", "no description")
    # when suggested on a Stripe customer, then the first is left empty, a
    # label of the vendor's own, and the second is still the customer's
    # e-mail
    none_while_near(samples, "customer", location, value, "email")
