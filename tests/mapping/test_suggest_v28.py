"""Suggester rules added on v30's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a sold-to party nested
beside a bill-to one, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import suggest


def test_a_sold_to_party_beside_a_bill_to_one_is_the_shipping_side(samples):
    # given a record nesting a bill-to party and a sold-to one, no ship-to
    fields = (
        {"name": "bill_to.town", "description": "Invoice party: town"},
        {"name": "bill_to.street1", "description": "Invoice party: street"},
        {"name": "sold_to.town", "description": "Party sold to: town"},
        {"name": "sold_to.street1", "description": "Party sold to: street"},
        {"name": "sold_to.postcode", "description": "Party sold to: postcode"},
    )
    got = suggest(samples["customer"], *fields)
    # then the bill-to party is the customer's address, the sold-to its shipping
    assert got["bill_to.town"].source == "address.city"
    assert got["sold_to.town"].source == "shipping.address.city", got["sold_to.town"]
    street = got["sold_to.street1"]
    assert street.source == "shipping.address.line1", street
    postcode = got["sold_to.postcode"]
    assert postcode.source == "shipping.address.postal_code", postcode
    # and beside a ship-to party instead, the sold-to party is the one billed
    got = suggest(
        samples["customer"], {"name": "sold_to.town"}, {"name": "ship_to.town"}
    )
    assert got["sold_to.town"].source == "address.city", got["sold_to.town"]
    assert got["ship_to.town"].source == "shipping.address.city"


def test_a_contacts_nickname_is_not_its_name(samples):
    # given a nested contact's short name beside its given and family names
    fields = (
        {"name": "deliverTo.givenName"},
        {"name": "deliverTo.familyName"},
        {"name": "deliverTo.nickname", "description": "Nickname for this person"},
    )
    got = suggest(samples["customer"], *fields)
    # then the nickname is left: Stripe keeps no short name
    assert got["deliverTo.givenName"].source == "shipping.name"
    nickname = got["deliverTo.nickname"]
    assert nickname.abstained and not nickname.source, nickname


def test_a_country_given_as_a_name_or_abbreviation_takes_the_code(samples):
    # given a country that may be written out or abbreviated
    field = {
        "name": "payer.land",
        "description": "Payer: country, its full name or an abbreviation",
    }
    got = suggest(samples["customer"], field)["payer.land"]
    # then the ISO code is copied as it is, not turned into a name
    assert got.source == "address.country", got
    assert got.transforms == [], got


def test_a_region_of_the_tax_rules_is_not_the_addresss_state(samples):
    # given an address's state beside the region its tax rules name
    fields = (
        {"name": "invoiceTo.province"},
        {"name": "invoiceTo.taxProvince", "description": "Region set up in tax rules"},
    )
    got = suggest(samples["customer"], *fields)
    # then the state is the address's and the tax region is left
    assert got["invoiceTo.province"].source == "address.state"
    region = got["invoiceTo.taxProvince"]
    assert region.abstained and not region.source, region


def test_the_payment_gateways_own_key_and_settings_are_not_the_payments(samples):
    # given a payment's gateway key, a gateway-specific phone, and the id the
    # gateway gave the transaction
    fields = (
        {"name": "processorGatewayKey", "description": "Key of the gateway used"},
        {"name": "statementPhone", "description": "A processor-specific setting"},
        {
            "name": "gateway_id",
            "description": "Identifier of the transaction at the payment gateway",
        },
    )
    got = suggest(samples["charge"], *fields)
    # then the gateway's key and setting are left, the transaction is the charge
    for name in ("processorGatewayKey", "statementPhone"):
        assert got[name].abstained and not got[name].source, got[name]
    assert got["gateway_id"].source == "id", got["gateway_id"]


def test_a_second_reference_beside_the_main_one_is_not_the_stripe_id(samples):
    # given a refund's reference kept beside the main one
    field = {
        "name": "additional_ref_id",
        "description": "Reference of a further transaction of the refund",
    }
    got = suggest(samples["refund"], field)["additional_ref_id"]
    # then it is left: Stripe keeps one id per refund
    assert got.abstained and not got.source, got


def test_a_number_described_by_the_prefix_it_lacks_is_the_number(samples):
    # given a customer's number described by what it must not start with
    field = {
        "name": "clientNumber",
        "description": "Client number which may not start with the series prefix",
    }
    got = suggest(samples["customer"], field)["clientNumber"]
    # then it is the customer's number, not a prefix left to a setting
    assert got.source == "metadata.erp_customer_code", got


def test_a_tax_exemption_answered_yes_no_or_pending_is_tax_exempt_mapped(samples):
    # given a customer's tax exemption as yes, no, or a state on the way
    field = {
        "name": "salesTax.exemptionState",
        "description": "Whether the customer is exempt from sales tax",
        "choices": ["Y", "N", "UnderReview"],
    }
    got = suggest(samples["customer"], field)["salesTax.exemptionState"]
    # then Stripe's tax_exempt is mapped onto the yes and the no
    assert got.source == "tax_exempt", got
    table = got.transforms[0]["params"]["map"]
    assert table == {"none": "N", "exempt": "Y", "reverse": "Y"}, got


def test_a_method_asked_only_of_offline_money_is_left_for_stripes(samples):
    # given how a payment moved, asked only of one made outside the gateway
    field = {
        "name": "settledVia",
        "description": "Means used for an offline payment; empty otherwise",
        "choices": ["Cash", "Cheque", "Card", "BankTransfer"],
    }
    got = suggest(samples["charge"], field)["settledVia"]
    # then it is left: every Stripe payment moved electronically
    assert got.abstained and not got.source, got
