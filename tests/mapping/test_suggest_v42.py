"""Suggester rules added on v44's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (XML tags whose words run
together in capitals, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, lookup, suggest


def test_capitalised_tags_are_read_as_the_words_they_run_together(samples):
    # given an invoice whose fields are XML tags in run-together capitals,
    # naming the party billed and the party the goods are consigned to
    fields = (
        {"name": "PARTYCOUNTRY", "type": "string"},
        {"name": "CONSIGNEECITYNAME", "type": "string"},
        {"name": "CONSIGNEEZIPCODE", "type": "string"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each is read as its words: the billed party's country, the
    # ship-to party's city and postal code
    assert got["PARTYCOUNTRY"].source == "customer_address.country"
    assert got["CONSIGNEECITYNAME"].source == "customer_shipping.address.city"
    assert got["CONSIGNEEZIPCODE"].source == "customer_shipping.address.postal_code"


def test_the_ledger_a_description_places_a_field_in_makes_no_setting(samples):
    # given a customer's country whose description first places it in a
    # list of the ledger record, then says what it is
    field = {
        "name": "LEDSENDDETAILS.LIST.0.COUNTRY",
        "type": "string",
        "description": "`COUNTRY` (first LEDSENDDETAILS.LIST of the LEDGER (class "
        "SendDetail), the ledger's postal details; connector property `Country`): "
        "the country of the postal address, a country name.",
    }
    got = suggest(samples["customer"], field, threshold=None)
    # then the ledger it sits in does not make it a ledger setting
    assert got["LEDSENDDETAILS.LIST.0.COUNTRY"].source == "address.country"


def test_a_place_described_as_given_in_the_ledger_is_the_partys(samples):
    # given a customer's postal code and region whose quoted reference text
    # says they are given in the ledger record
    fields = (
        {
            "name": "LEDLETTERDETAILS.LIST.0.POSTCODE",
            "type": "string",
            "description": "`POSTCODE` (first LEDLETTERDETAILS.LIST): 'The Postcode "
            "entered in the address section of the ledger.' (quoted)",
        },
        {
            "name": "LEDLETTERDETAILS.LIST.0.PROVINCE",
            "type": "string",
            "description": "`PROVINCE` (first LEDLETTERDETAILS.LIST): 'The Province "
            "name entered in the ledger.' (quoted)",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then they are the party's postal code and state, not ledger settings
    assert got["LEDLETTERDETAILS.LIST.0.POSTCODE"].source == "address.postal_code"
    assert got["LEDLETTERDETAILS.LIST.0.PROVINCE"].source == "address.state"


def test_a_list_marker_before_a_position_is_the_list_of_what_it_follows(samples):
    # given a customer's street given as an XML list of lines, each entry
    # named by the element, the list's marker and its position
    fields = (
        {"name": "MAIL.STREET.LIST.0", "type": "string"},
        {"name": "MAIL.STREET.LIST.1", "type": "string"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the entries are the street's first and second lines
    assert got["MAIL.STREET.LIST.0"].source == "address.line1"
    assert got["MAIL.STREET.LIST.1"].source == "address.line2"


def test_a_street_lists_third_entry_holds_the_city(samples):
    # given a customer's address given as a list of three lines, counted
    # from 0
    fields = (
        {"name": "ADDR.LIST.0", "type": "string"},
        {"name": "ADDR.LIST.1", "type": "string"},
        {"name": "ADDR.LIST.2", "type": "string"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the third entry is the third line, which holds the city by
    # convention, as Address3 does
    assert got["ADDR.LIST.1"].source == "address.line2"
    assert got["ADDR.LIST.2"].source == "address.city"


def test_a_partys_tax_identification_number_is_its_tax_id(samples):
    # given an invoice naming the buyer's tax identification number by its
    # initials, in run-together capitals
    got = suggest(samples["invoice"], {"name": "BUYERTIN", "type": "string"})
    # then it is the customer's tax id
    assert got["BUYERTIN"].source == "customer_tax_ids.0.value"


def test_a_refunds_linked_payment_described_by_its_id_is_the_charge(samples):
    # given a refund whose links object names the payment it returns money
    # for, described as that payment's id
    field = {
        "name": "links.payment",
        "type": "string",
        "description": "body → `links` → `payment` (string): 'ID of the payment "
        "this refund returns money for.' (quoted)",
    }
    got = suggest(samples["refund"], field, threshold=None)
    # then it is the refunded charge, through the ERP's payment keys
    assert got["links.payment"].source == "charge"
    assert lookup(got["links.payment"]) == "charge"


def test_a_country_of_residence_is_the_partys_address_country(samples):
    # given an invoice's country of the buyer, named in run-together
    # capitals for where the buyer resides
    field = {"name": "RESIDENCECOUNTRY", "type": "string"}
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is the country of the customer's address
    assert got["RESIDENCECOUNTRY"].source == "customer_address.country"


def test_a_cryptic_name_is_read_as_its_description_past_the_fields_place(samples):
    # given an invoice's cryptic tags whose descriptions first place them in
    # the document, then say what they are
    fields = (
        {
            "name": "SHPTOPRTYNM",
            "type": "string",
            "description": "`SHPTOPRTYNM` (DOCUMENT element of the import, "
            "delivery details; connector property `ShipToName`): the name to "
            "ship to (paraphrased).",
        },
        {
            "name": "MLCPY",
            "type": "string",
            "description": "`MLCPY` (DOCUMENT element of the import; connector "
            "property `MailCopy`): e-mail address to copy (paraphrased).",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each is read as what its description says: the ship-to name, and
    # an address to copy, which Stripe does not know
    assert got["SHPTOPRTYNM"].source == "customer_shipping.name"
    assert_no_source(got["MLCPY"])
