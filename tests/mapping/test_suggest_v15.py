"""Suggester rules added on v17's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a currency held as a
unit of measure, a party named by the side of the document it is on, a
subdivision below the state), not copied from one vendor.
"""

from tests.mapping.suggesting import lookup, suggest


def test_a_currency_held_as_a_unit_of_measure_is_its_iso_code(samples):
    # given a currency keyed as a unit of measure (ids of up to 20 characters)
    fields = (
        {"name": "amount", "type": "decimal"},
        {"name": "currencyUomId", "type": "string", "max_length": 20},
    )
    # when
    got = suggest(samples["charge"], *fields)
    # then the unit's code is the ISO code: no currency table
    assert got["currencyUomId"].source == "currency", got["currencyUomId"]
    assert got["currencyUomId"].transforms == [{"name": "upper"}]
    # A currency record's id is still looked up.
    other = suggest(
        samples["charge"], {"name": "currencyId", "type": "string", "max_length": 20}
    )
    assert other["currencyId"].transforms[0]["name"] == "lookup", other["currencyId"]


def test_a_party_named_by_direction_is_the_customer_or_the_users_company(samples):
    # given a document naming its parties by direction (from, to)
    def parties():
        return (
            {"name": "partyIdFrom", "type": "string", "max_length": 20},
            {"name": "partyIdTo", "type": "string", "max_length": 20},
        )

    # when
    invoice = suggest(samples["invoice"], *parties())
    payment = suggest(samples["charge"], *parties())
    refund = suggest(samples["refund"], *parties())
    # then an invoice and a refund go from the user's company, a payment to it
    assert invoice["partyIdFrom"].source == "", invoice["partyIdFrom"]
    assert lookup(invoice["partyIdTo"]) == "customer", invoice["partyIdTo"]
    assert payment["partyIdTo"].source == "", payment["partyIdTo"]
    assert lookup(payment["partyIdFrom"]) == "customer", payment["partyIdFrom"]
    assert refund["partyIdFrom"].source == "", refund["partyIdFrom"]


def test_a_county_beside_a_state_field_has_no_source(samples):
    # given an address with a state or province and a county below it
    got = suggest(
        samples["customer"],
        {"name": "city", "type": "string"},
        {"name": "stateProvinceCode", "type": "string", "max_length": 20},
        {"name": "countyCode", "type": "string", "max_length": 20},
    )
    # then the state field takes the state, the county none
    assert got["stateProvinceCode"].source == "address.state", got["stateProvinceCode"]
    assert got["countyCode"].source == "", got["countyCode"]
    # A county alone (a British address) is the address's region.
    alone = suggest(samples["customer"], {"name": "city"}, {"name": "county"})
    assert alone["county"].source == "address.state", alone["county"]


def test_a_phone_record_in_parts_takes_the_whole_phone_and_no_country(samples):
    # given a phone kept as a record of its own: calling codes and number
    fields = (
        {"name": "countryCode", "type": "string", "max_length": 10},
        {"name": "areaCode", "type": "string", "max_length": 10},
        {"name": "contactNumber", "type": "string", "max_length": 60},
    )
    # when
    got = suggest(samples["customer"], *fields, threshold=0.7)
    # then the country code is the calling code: no address country
    assert got["countryCode"].source == "", got["countryCode"]
    assert got["contactNumber"].source == "phone", got["contactNumber"]
    # Beside a street and city the country code is the address's.
    address = suggest(
        samples["customer"],
        {"name": "street"},
        {"name": "city"},
        {"name": "areaCode"},
        {"name": "countryCode", "type": "string", "max_length": 2},
    )
    assert address["countryCode"].source == "address.country", address["countryCode"]


def test_an_amount_or_currency_named_for_a_second_currency_has_no_source(samples):
    # given a payment with its amount and currency, and a second pair named
    # for the currency actually paid in or the company's own
    got = suggest(
        samples["charge"],
        {"name": "amount", "type": "decimal"},
        {"name": "currencyCode", "type": "string", "max_length": 3},
        {"name": "actualCurrencyAmount", "type": "decimal"},
        {"name": "actualCurrencyCode", "type": "string", "max_length": 3},
        {"name": "homeCurrencyAmount", "type": "decimal"},
    )
    # then the document's pair takes Stripe's, the second pair nothing
    assert got["amount"].source == "amount", got["amount"]
    assert got["currencyCode"].source == "currency", got["currencyCode"]
    for name in ("actualCurrencyAmount", "actualCurrencyCode", "homeCurrencyAmount"):
        assert got[name].source == "", got[name]


def test_a_payment_methods_type_takes_stripes_through_a_table(samples):
    # given a payment's method type held as an id, with no allowed values
    got = suggest(
        samples["charge"],
        {"name": "amount", "type": "decimal"},
        {"name": "paymentMethodTypeId", "type": "string", "max_length": 20},
    )
    # then Stripe's method type, through a table the admin fills
    item = got["paymentMethodTypeId"]
    assert item.source == "payment_method_details.type", item
    assert item.transforms[0]["name"] == "value_map", item
    # On an invoice the method is the one offered: not from the payment.
    invoice = suggest(
        samples["invoice"],
        {"name": "paymentMethodTypeId", "type": "string", "max_length": 20},
    )
    assert not invoice["paymentMethodTypeId"].source.startswith(
        "payment_method_details"
    ), invoice["paymentMethodTypeId"]
