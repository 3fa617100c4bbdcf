"""Suggester rules added on v99's former held-out part (PayHere, Shoptet).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v67's `described`; each rule has a near case
that must not fire.
"""

from mapping.schemas import DATE, DECIMAL
from mapping.suggest import field_specs_from_dicts
from tests.mapping.suggesting import (
    assert_no_source,
    described,
    none_while_near,
    sourced,
    suggest,
)


def keys(*names):
    """A class's nullable strings, each with no description, as an SDK lists them."""
    return [described(name, "?string", "no description") for name in names]


def form_keys(*names):
    """A form's keys, with no type and no description, as a plugin posts them."""
    return [described(name, "not given", "no description (form key)") for name in names]


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


def test_a_key_whose_type_is_not_given_is_read_as_text(samples):
    # given a checkout form's keys that a plugin posts with no type given
    # ("not given"): a name in two parts, a currency and a sum, the item's
    # name numbered for the first item, and the way it is shipped
    fields = form_keys(
        "buyer_first_name", "buyer_last_name", "pay_currency", "product_name_1"
    )
    # when suggested on a Stripe charge
    items = suggest(samples["charge"], *fields)
    # then they are read as text: the name is split, the currency code
    # upper-cased
    steps = {
        target: (item.source, [step["name"] for step in item.transforms])
        for target, item in items.items()
    }
    assert steps["buyer_first_name"] == ("billing_details.name", ["split_name"])
    assert steps["buyer_last_name"] == ("billing_details.name", ["split_name"])
    assert steps["pay_currency"] == ("currency", ["upper"])
    # and the item's name takes no party's name
    assert not items["product_name_1"].source.endswith("name"), items


def test_a_shipping_method_has_no_source(samples):
    # given an order's shipping method, typed "not given" and named
    # "shipping" alone ("The shipping method chosen"), and the city shipped
    # to (the near case: a shipping field that is no method)
    method = described("shipping", "not given", "The shipping method chosen.")
    city = described("shipping_city", "not given", "The city shipped to.")
    # when suggested on a Stripe invoice, then the method has no source and
    # the city is the customer's shipping city
    none_while_near(samples, "invoice", method, city, "customer_shipping.address.city")


def test_a_name_that_names_no_item_is_a_partys(samples):
    # given a contact's name beside an item's (the near case: no item word)
    fields = form_keys("contact_name", "article_name")
    # when suggested on a Stripe charge, then the contact's name is the
    # billing name and the article's is no party's
    items = suggest(samples["charge"], *fields)
    assert items["contact_name"].source == "billing_details.name"
    assert not items["article_name"].source.endswith("name"), items


def test_a_street_with_its_number_beside_a_bare_street_takes_the_line(samples):
    # given a postal address that asks for its street bare and again with
    # the house number ("streetWithHouseNo")
    fields = keys("postal.street", "postal.streetWithHouseNo", "postal.city")
    # when suggested on a Stripe customer
    items = suggest(samples["customer"], *fields)
    # then the street with its number is Stripe's first line, which holds
    # both, and the bare street has no source
    assert items["postal.streetWithHouseNo"].source == "address.line1"
    assert_no_source(items["postal.street"])


def test_a_bare_street_beside_a_house_number_keeps_the_line(samples):
    # given the same address with the house number alone beside the street
    # (the near case: no street written with its number)
    fields = keys("postal.street", "postal.houseNumber")
    # when suggested on a Stripe customer, then the street is the first line
    items = suggest(samples["customer"], *fields)
    assert items["postal.street"].source == "address.line1"
    assert_no_source(items["postal.houseNumber"])


def test_an_invoices_paid_flag_is_its_status_mapped(samples):
    # given an order's flag named only for being paid ("isPaid", typed as
    # a nullable boolean, no description)
    field = described("isPaid", "?bool", "no description")
    # when suggested on a Stripe invoice, then it is the invoice's status
    # through a value map (paid, or not yet)
    item = sourced(samples, "invoice", field)
    assert (item.source, item.transforms[0]["name"]) == ("status", "value_map")


def test_a_flag_of_a_paid_part_is_no_status(samples):
    # given a flag of the part paid ("paidInFull"), and the same paid flag
    # on a credit note (the near cases: more than paid, or no invoice)
    near = described("paidInFull", "?bool", "no description")
    paid = described("isPaid", "?bool", "no description")
    # then neither is the status
    assert sourced(samples, "invoice", near).source != "status"
    assert sourced(samples, "credit_note", paid).source != "status"


def test_a_bare_address_beside_its_first_line_is_the_street(samples):
    # given a payer's address sent whole and by its numbered lines
    # ("address", "address1", "address2"), as a checkout form posts it
    fields = form_keys("payer.address", "payer.address1", "payer.address2")
    # when suggested on a Stripe customer
    items = suggest(samples["customer"], *fields)
    # then the whole address is the street's first line, as address1 is
    assert items["payer.address"].source == "address.line1"
    assert items["payer.address1"].source == "address.line1"


def test_a_bare_address_beside_a_street_stays_empty(samples):
    # given a bare address beside a street with no number (the near case:
    # no numbered first line beside it)
    fields = form_keys("payer.address", "payer.street")
    # when suggested on a Stripe customer, then the street keeps the line
    items = suggest(samples["customer"], *fields)
    assert items["payer.street"].source == "address.line1"
    assert_no_source(items["payer.address"])
