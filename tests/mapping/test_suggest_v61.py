"""Suggester rules added on v63's former held-out part: each a class of
misses.

The fields are made up in the shape the misses had (the rates of a
country's taxes, each named by the tax's acronym under a taxes group and
described as its rate; a province that is the neighbourhood of a town, as
Brazil's bairro is; a contact's handles on social networks, each named by
the network; an address's complement beside its street and number; a second
address group described as the shipping one, beside a postal address; a
country described by a named example before a possessive in capitals; a
party's CPF or CNPJ number; a company's municipal and state registrations;
a record's version named as its last update's id, kept for concurrency
checks; a contact's e-mail address beside a shipping address group), not
copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, suggest


def test_a_tax_named_by_its_acronym_and_described_as_a_rate_is_a_rate(samples):
    # given the rates of two taxes, each named by its acronym under a taxes
    # group and described as its rate, beside the document's tax amount
    fields = (
        {"name": "taxes.icms", "type": "decimal", "description": "'ICMS rate'"},
        {"name": "levies.ipi", "type": "decimal", "description": "IPI rate"},
        {"name": "taxAmount", "type": "decimal", "description": "Tax amount"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the rates are the ERP's to apply: no source; the amount is the tax
    assert_no_source(got["taxes.icms"])
    assert_no_source(got["levies.ipi"])
    assert got["taxAmount"].source == "tax"


def test_a_province_described_as_a_neighbourhood_has_no_source(samples):
    # given a field named as a province but described as the neighbourhood
    # (a barrio) of the town, beside the address's city and state
    fields = (
        {"name": "address.city", "type": "string"},
        {"name": "address.region", "type": "string", "description": "State"},
        {
            "name": "address.province",
            "type": "string",
            "description": "'District of the address'; the barrio (neighbourhood)",
        },
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    # then the neighbourhood, a part of the town, has no source in Stripe
    assert_no_source(got["address.province"])


def test_a_party_s_social_network_handle_has_no_source(samples):
    # given a contact's handles on social networks, named by the network and
    # an id or profile, beside its e-mail
    fields = (
        {"name": "FacebookId", "type": "string", "description": "Facebook id"},
        {"name": "XingProfile", "type": "string", "description": "Xing profile"},
        {"name": "InstagramHandle", "type": "string"},
        {"name": "LinkedInPage", "type": "string"},
        {"name": "Email", "type": "string"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    # then the handles are the party's on networks Stripe knows nothing of
    for target in ("FacebookId", "XingProfile", "InstagramHandle", "LinkedInPage"):
        assert_no_source(got[target])
    assert got["Email"].source == "email"


def test_an_address_complement_is_its_second_line(samples):
    # given a street, the building's number and the address's complement, as
    # Brazilian addresses give them (complemento: apartment, block)
    fields = (
        {"name": "street", "type": "string", "description": "Street"},
        {"name": "houseNumber", "type": "string", "description": "Number"},
        {"name": "streetComplement", "type": "string", "description": "Complement"},
        {"name": "zip", "type": "string"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the complement is the address's second line
    assert got["streetComplement"].source == "address.line2", got["streetComplement"]
    assert got["street"].source == "address.line1"


def test_a_second_address_described_as_the_shipping_one_is_shipping(samples):
    # given a mailing address group and a second one described as where goods
    # may go, each with its street, town and code
    fields = (
        {"name": "MailAddress.Line", "type": "string", "description": "Street"},
        {"name": "MailAddress.Town", "type": "string", "description": "Town"},
        {"name": "MailAddress.Zip", "type": "string", "description": "Zip code"},
        {
            "name": "AltAddress.Line",
            "type": "string",
            "description": "Alternative address, such as the delivery address: street",
        },
        {
            "name": "AltAddress.Town",
            "type": "string",
            "description": "Alternative address, such as the delivery address: town",
        },
        {
            "name": "AltAddress.Zip",
            "type": "string",
            "description": "Alternative address, such as the delivery address: zip",
        },
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the first is the customer's address, the second its shipping one
    assert got["MailAddress.Town"].source == "address.city"
    assert got["AltAddress.Line"].source == "shipping.address.line1"
    assert got["AltAddress.Town"].source == "shipping.address.city"
    assert got["AltAddress.Zip"].source == "shipping.address.postal_code"


def test_a_country_named_by_example_before_a_possessive_is_a_name(samples):
    # given a country described by a named example, then a word in three
    # capitals owning something ("the ERP's samples")
    country = {
        "name": "MailAddress.Country",
        "type": "string",
        "description": "Mail address: the country (e.g. Canada, in the ERP's samples)",
    }
    # when suggested on a customer
    got = suggest(samples["customer"], country, threshold=None)
    # then the country is given by its name: the capitals are no alpha-3 code
    assert got["MailAddress.Country"].source == "address.country"
    assert got["MailAddress.Country"].transforms == [
        {"name": "country_code", "params": {"to": "name"}}
    ]


def test_a_brazilian_taxpayer_number_is_the_party_s_tax_id(samples):
    # given a buyer's CPF (a person's) or CNPJ (a company's) number, Brazil's
    # taxpayer registry numbers, beside its name
    fields = (
        {"name": "buyer.name", "type": "string"},
        {"name": "buyer.cnpjCpf", "type": "string", "description": "CNPJ or CPF"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields, threshold=None)
    # then it is the customer's first tax id
    assert got["buyer.cnpjCpf"].source == "tax_ids.data.0.value", got["buyer.cnpjCpf"]


def test_a_municipal_or_state_registration_is_no_tax_id(samples):
    # given a customer's CNPJ or CPF, and its entries in a city's and a state's
    # register, described as its municipal and state registrations
    fields = (
        {"name": "cnpjCpf", "type": "string", "description": "CNPJ or CPF"},
        {
            "name": "municipalRegistry",
            "type": "string",
            "description": "The customer's municipal registration",
        },
        {
            "name": "stateRegistry",
            "type": "string",
            "description": "The customer's state registration",
        },
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    # then only the CNPJ or CPF is the tax id: the registers are local ones
    assert got["cnpjCpf"].source == "tax_ids.data.0.value", got["cnpjCpf"]
    assert_no_source(got["municipalRegistry"])
    assert_no_source(got["stateRegistry"])


def test_a_key_for_concurrency_checks_has_no_source(samples):
    # given a record's version stamp, named as a last update's id and
    # described as what the API checks concurrent updates with
    stamp = {
        "name": "LastChangeId",
        "type": "string",
        "description": "Token for concurrency checks on update",
    }
    # when suggested on a payment
    got = suggest(samples["charge"], stamp)
    # then it is the ERP's own version of its record: no source
    assert_no_source(got["LastChangeId"])


def test_a_flat_e_mail_beside_a_shipping_address_group_is_the_party_s(samples):
    # given a contact's e-mail address beside its mailing address group and a
    # second group described as the shipping address
    fields = (
        {"name": "MailAddress.Line", "type": "string", "description": "Street"},
        {"name": "MailAddress.Town", "type": "string", "description": "Town"},
        {
            "name": "AltAddress.Line",
            "type": "string",
            "description": "Shipping address: street",
        },
        {
            "name": "AltAddress.Town",
            "type": "string",
            "description": "Shipping address: town",
        },
        {
            "name": "ContactEmailAddress",
            "type": "string",
            "description": "The contact's e-mail",
        },
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the e-mail is the customer's own, not the shipping side's
    assert got["ContactEmailAddress"].source == "email", got["ContactEmailAddress"]
