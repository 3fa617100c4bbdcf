"""Suggester rules added on v55's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a record that is itself
an address, filed under its customer, with the shipping of the orders sent
to it), not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, suggest


def test_an_address_record_with_its_own_shipping_is_the_delivery_address(samples):
    # given a record that is itself an address (its bare parts described as
    # the address's), with a person's name and phone and a shipping setting
    # of its own for the orders sent to it
    fields = (
        {
            "name": "street_1",
            "type": "string",
            "description": "The street line of the address.",
        },
        {
            "name": "town",
            "type": "string",
            "description": "The town of the address.",
        },
        {
            "name": "postcode",
            "type": "string",
            "description": "The postal code of the address.",
        },
        {
            "name": "first_name",
            "type": "string",
            "description": "The first name of the person at the address.",
        },
        {
            "name": "phone",
            "type": "string",
            "description": "The phone number of the address.",
        },
        {
            "name": "shipping_rate_override",
            "type": "array",
            "description": "Rates to charge for carriage to the address.",
        },
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then its parts, name and phone are the customer's shipping ones
    assert got["street_1"].source == "shipping.address.line1"
    assert got["town"].source == "shipping.address.city"
    assert got["postcode"].source == "shipping.address.postal_code"
    assert got["first_name"].source == "shipping.name"
    assert got["phone"].source == "shipping.phone"
    assert_no_source(got["shipping_rate_override"])


def test_an_address_record_without_shipping_stays_the_customers(samples):
    # given the same address parts with nothing about shipping beside them
    fields = (
        {
            "name": "street_1",
            "type": "string",
            "description": "The street line of the address.",
        },
        {
            "name": "town",
            "type": "string",
            "description": "The town of the address.",
        },
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then they are the customer's own address
    assert got["street_1"].source == "address.line1"
    assert got["town"].source == "address.city"


def test_a_code_from_a_code_list_is_not_the_customers_code(samples):
    # given a customer's number in the ERP beside codes its descriptions say
    # are taken from the ERP's code lists
    fields = (
        {
            "name": "PartnerKey",
            "type": "string",
            "description": "The customer number (ID) of the account; max length 10",
        },
        {
            "name": "BranchOfTradeCode",
            "type": "string",
            "description": "Branch of trade; the customer's branch (code list, "
            "max length 10)",
        },
        {
            "name": "Roles.0.PartyRoleCode",
            "type": "string",
            "description": "Role of the customer (code list, max length 6)",
        },
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the number is the customer's code in the ERP, and the codes have
    # no Stripe field
    assert got["PartnerKey"].source == "metadata.erp_customer_code"
    assert_no_source(got["BranchOfTradeCode"])
    assert_no_source(got["Roles.0.PartyRoleCode"])


def test_a_name_in_numbered_lines_is_the_first_lines(samples):
    # given a company's name given as a second and a first line (in that
    # order), the line's number spelled before the word line
    fields = (
        {
            "name": "FirmSecondLineName",
            "type": "string",
            "description": "firm second line name (max length 40)",
        },
        {
            "name": "FirmFirstLineName",
            "type": "string",
            "description": "firm first line name (max length 40)",
        },
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the first line is the name and the second, its overflow, has none
    assert got["FirmFirstLineName"].source == "name"
    assert_no_source(got["FirmSecondLineName"])


def test_a_phone_items_number_written_out_is_the_phone_not_a_note(samples):
    # given a contact's phone, fax and mobile items, each with its number
    # written out as a text
    fields = (
        {
            "name": "Contact.0.Telephone.FormattedNumberText",
            "type": "string",
            "description": "Phone (max length 40)",
        },
        {
            "name": "Contact.0.Fax.FormattedNumberText",
            "type": "string",
            "description": "Fax (max length 40)",
        },
        {
            "name": "Contact.0.MobilePhone.FormattedNumberText",
            "type": "string",
            "description": "Mobile (max length 40)",
        },
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the phone's number is the phone; the fax, which Stripe does not
    # keep, and the mobile, a second number, have none
    assert got["Contact.0.Telephone.FormattedNumberText"].source == "phone"
    assert_no_source(got["Contact.0.Fax.FormattedNumberText"])
    assert_no_source(got["Contact.0.MobilePhone.FormattedNumberText"])


def test_a_country_beside_its_code_is_its_name(samples):
    # given an address with a country beside a field named for its code
    fields = (
        {
            "name": "postal.land_code",
            "type": "string",
            "description": "Two-letter code of the country.",
        },
        {
            "name": "postal.land",
            "type": "string",
            "description": "The country, optional beside its code.",
        },
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the code takes the code, and the plain country the name
    assert got["postal.land_code"].source == "address.country"
    assert got["postal.land_code"].transforms == []
    assert got["postal.land"].source == "address.country"
    assert got["postal.land"].transforms == [
        {"name": "country_code", "params": {"to": "name"}}
    ]
