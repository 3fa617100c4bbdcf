"""Suggester rules added on v116's former held-out part (Cielo, Agile CRM).

Every field below is invented after a miss's shape, with no vendor's own
names, and is set beside a close field its rule leaves alone.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def test_an_address_among_a_records_properties_is_its_own(samples):
    # given a street and a town kept as the address entry of a contact's
    # properties, a group of its attributes, and the same under the first of
    # a list of properties (the near case: the places a service is done at)
    own = (
        described("contact.properties.address.street", "string", "Street"),
        described("contact.properties.address.town", "string", "Town"),
    )
    served = (
        described("contact.properties.0.address.street", "string", "Street"),
        described("contact.properties.0.address.town", "string", "Town"),
    )
    # when suggested on a Stripe customer, then the first are the customer's
    # own address, no place goods or work go to, and the listed ones are
    # still the shipping address
    mine = suggest(samples["customer"], *own)
    assert mine["contact.properties.address.street"].source == "address.line1"
    assert mine["contact.properties.address.town"].source == "address.city"
    theirs = suggest(samples["customer"], *served)
    assert theirs["contact.properties.0.address.street"].source == (
        "shipping.address.line1"
    )
    assert theirs["contact.properties.0.address.town"].source == "shipping.address.city"


def test_a_key_named_after_the_field_or_a_cited_line_names_no_country_name(samples):
    # given a country whose description lists its group's keys, one of them
    # the country's name joined in one word, one whose description cites the
    # line of the example it is shown in, and a country another library
    # names as a code or described as the country's name (the near cases:
    # the words say it of the field itself)
    keyed = described(
        "place.land.country",
        "string",
        "Key country of the place's land, a text with the keys town, country "
        "and country_name",
    )
    cited = described(
        "place.land.country",
        "string",
        "Land of the place ('FR' in the example, line 12)",
    )
    renamed = described(
        "place.land.country",
        "string",
        "Land of the place; another library names it CountryIsoCode",
    )
    named = described("place.land.country", "string", "The country's name")
    # when suggested on a Stripe customer, then the first two are the
    # address's country as it is, the joined key another field's and the
    # line no name, and the near ones are still the code and the name
    assert sourced(samples, "customer", keyed).transforms == []
    assert sourced(samples, "customer", cited).transforms == []
    assert sourced(samples, "customer", renamed).transforms == []
    assert sourced(samples, "customer", named).transforms == [
        {"name": "country_code", "params": {"to": "name"}}
    ]


def test_a_subtype_of_an_email_is_its_kind(samples):
    # given the subtype of a contact's e-mail, one of a few kinds (work,
    # personal), and the e-mail's value beside it (the near case: the
    # address itself)
    kind = described("contact.mail.subtype", "string", "Sub type: work or personal")
    value = described("contact.mail.value", "string", "The e-mail")
    # when suggested on a Stripe customer, then the subtype is left to the
    # settings, a kind as a type is, and the value is still the e-mail
    assert_no_source(sourced(samples, "customer", kind))
    assert sourced(samples, "customer", value).source == "email"
