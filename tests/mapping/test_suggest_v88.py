"""Suggester rules added on v90's former held-out part (Lightspeed Retail X-Series, Revolut Merchant API).

The fields are made up in the shape the misses had, not copied from one
vendor. Each is written through v67's `described`, a name, a type and the
few words a model gives.
"""  # noqa: E501

import pytest

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest

_PARTS = (
    ("street", "street line"),
    ("town", "town"),
    ("zip", "zip code"),
    ("region", "region"),
    ("country", "country code"),
)


def _group(prefix, said):
    return [
        described(f"{prefix}_{part}", "string", f"{said} address, {words}.")
        for part, words in _PARTS
    ]


def test_a_second_address_group_beside_the_first_is_the_shipping_one(samples):
    # given a customer with two address groups named by their prefixes, no
    # side named on either (a home address, then a mailing one)
    fields = _group("home", "Home") + _group("mailing", "Mailing")
    # when suggested on a Stripe customer
    out = suggest(samples["customer"], *fields)
    # then the first group is the customer's address and the second the
    # other address Stripe keeps for it, the shipping one
    assert out["home_town"].source == "address.city"
    assert out["home_zip"].source == "address.postal_code"
    assert out["mailing_town"].source == "shipping.address.city"
    assert out["mailing_zip"].source == "shipping.address.postal_code"
    assert out["mailing_country"].source == "shipping.address.country"


def test_a_group_beside_a_named_side_stays_as_it_reads(samples):
    # given the same two groups beside a third one named for the billing side
    fields = (
        _group("home", "Home") + _group("mailing", "Mailing") + _group("bill", "Bill")
    )
    # when suggested, then no group is made the shipping one by its place:
    # the record names its sides itself
    out = suggest(samples["customer"], *fields)
    assert not out["mailing_town"].source.startswith("shipping.")


def test_two_parties_with_their_addresses_are_no_second_address(samples):
    # given a document's two parties, each with a name beside its address
    fields = (
        [
            described(f"{party}_name", "string", "Name of the party")
            for party in ("payee", "payor")
        ]
        + _group("payee", "Payee")
        + _group("payor", "Payor")
    )
    # when suggested on a customer, then the second party's address is no
    # shipping address: a group holding a name is a party's, not an address
    out = suggest(samples["customer"], *fields)
    assert not out["payor_town"].source.startswith("shipping.")


def test_a_type_with_its_default_is_the_type(samples):
    # given a customer's opt-out flag typed with the value it defaults to, as
    # a reference prints the default beside the type
    flag = described(
        "no_newsletter_mail", "boolean, default false", "Opted out of the mails"
    )
    # when suggested, then the flag is a flag: no e-mail address fills it
    item = sourced(samples, "customer", flag)
    assert item.source != "email"


def test_a_text_typed_with_its_default_stays_a_text(samples):
    # given the customer's e-mail typed as a string with a default
    mail = described("mail", "string, default ''", "The customer's e-mail address")
    # when suggested, then the default changes nothing: it is the e-mail
    assert sourced(samples, "customer", mail).source == "email"


@pytest.mark.parametrize(
    ("field", "object_type"),
    [
        (("lines.0.levies", "array of Levy", "The levies on the line"), "invoice"),
        (("lines.0.picture_links", "array of string", "Links to pictures"), "invoice"),
        (("order_rows", "list of Order-Row", "The rows of the order"), "charge"),
    ],
)
def test_a_list_typed_with_what_it_lists_takes_no_one_value(
    samples, field, object_type
):
    # given a field typed as a list of named things (levies, links, rows)
    # when suggested, then no one Stripe value (a tax, a link, a street
    # line) is the list: each entry is filled apart
    assert_no_source(sourced(samples, object_type, described(*field)))


def test_one_link_typed_as_a_string_is_still_a_link(samples):
    # given the invoice's page link typed as one string, not a list of them
    link = described("page_link", "string", "Link to the invoice's page")
    # when suggested, then it is Stripe's link to the hosted invoice
    assert sourced(samples, "invoice", link).source == "hosted_invoice_url"
