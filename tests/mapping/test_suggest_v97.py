"""Suggester rules added on v99's former held-out part (PayHere, Shoptet).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v67's `described`; each rule has a near case
that must not fire.
"""

from mapping.schemas import DATE, DECIMAL
from mapping.suggest import field_specs_from_dicts
from tests.mapping.suggesting import described, sourced


def test_a_value_type_named_for_a_date_or_a_price_is_that_type(samples):
    # given a refund's fields typed by a client library's value classes,
    # each named "Type" and what it holds, with a wrapper word after it
    # ("TypeDateNullable", "TypePriceNullable", "TypeCurrencyCode")
    fields = [
        described("bookedOn", "?TypeDateNullable", "no description"),
        described("sum", "TypePriceNullable", "no description"),
        described("currencyIso", "TypeCurrencyCode", "no description"),
    ]
    # when read, then the date is a date and the price a decimal
    booked, total, _ = field_specs_from_dicts(fields)
    assert (booked.type, total.type) == (DATE, DECIMAL)
    # and suggested on a Stripe refund, the date is the creation date, the
    # sum the amount out of minor units and the currency upper-cased
    steps = {
        field["name"]: (item.source, [step["name"] for step in item.transforms])
        for field in fields
        for item in [sourced(samples, "refund", field)]
    }
    assert steps == {
        "bookedOn": ("created", ["unix_to_date"]),
        "sum": ("amount", ["minor_to_decimal"]),
        "currencyIso": ("currency", ["upper"]),
    }


def test_a_value_type_of_something_else_is_its_own():
    # given value classes of other things: a ratio of prices, a payment
    # symbol and a date-time's request wrapper alone (the near cases)
    ratio, symbol, wrapper = field_specs_from_dicts(
        [
            described("priceRatio", "?TypePriceRatio"),
            described("varSymbol", "TypeVarSymbol"),
            described("sent", "TypeRequest"),
        ]
    )
    # then none is read as a decimal or a date
    assert {ratio.type, symbol.type, wrapper.type}.isdisjoint({DECIMAL, DATE})
