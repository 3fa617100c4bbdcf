"""Suggester rules added on v103's former held-out part (Easebuzz, JTL-Wawi).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v67's `described`; each rule has a near case
that must not fire.
"""

from tests.mapping.suggesting import (
    described,
    lookup,
    none_while_near,
    sourced,
    suggest,
)


def member(name, kind):
    """A PHP model's member, with no description of its own."""
    return described(name, kind, f"no description (member {name})")


def shown(samples, object_type, field):
    """What `field` alone is shown on a Stripe `object_type` (calibrated cut)."""
    return sourced(samples, object_type, field, threshold=None)


def assert_creation_time(item):
    """The object's creation time, its unix seconds as a date-time."""
    assert item.source == "created"
    assert [step["name"] for step in item.transforms] == ["unix_to_datetime"]


def assert_left_empty(item):
    assert item.abstained and not item.source


def test_a_date_typed_as_a_php_date_time_interface_is_a_date_time(samples):
    # given a PHP model's creation date typed with the language's date-time
    # interface, with no description
    made = member("creationTime", "DateTimeInterface")
    # when suggested on a Stripe charge with the calibrated cut, then it is
    # the charge's creation time, its unix seconds as a date-time
    assert_creation_time(shown(samples, "charge", made))


def test_an_immutable_php_date_time_is_a_date_time_too(samples):
    # given the same date typed as PHP's immutable date-time class, written
    # with its namespace's leading backslash
    made = member("creationTime", "\\DateTimeImmutable")
    # when suggested on a Stripe customer with the calibrated cut, then it
    # is the customer's creation time
    assert shown(samples, "customer", made).source == "created"


def test_a_php_date_interval_stays_no_date(samples):
    # given the same name typed as PHP's date interval (the near case: a
    # span of time, not a point in it)
    span = member("creationTime", "DateInterval")
    # when suggested on a Stripe charge with the calibrated cut, then it
    # is left empty
    assert_left_empty(shown(samples, "charge", span))


def test_a_key_described_as_the_customers_order_is_the_orders(samples):
    # given an order record's bare key described as the customer order's
    # (the buyer's order: a sales order, not the buyer)
    key = described("id", "string", "'Unique customer order key'")
    # when suggested on a Stripe invoice
    item = sourced(samples, "invoice", key)
    # then it is the invoice's own id, no reference to its customer
    assert item.source == "id"
    assert item.transforms == []


def test_a_key_described_as_the_customers_stays_the_customer(samples):
    # given the same bare key described as the customer's (the near case:
    # the buyer named alone)
    key = described("id", "string", "'Unique customer key'")
    # when suggested on a Stripe invoice, then it is the invoice's customer
    # through the id map
    item = sourced(samples, "invoice", key)
    assert item.source == "customer"
    assert lookup(item) == "customer"


def test_a_payments_product_information_is_what_it_is_for(samples):
    # given a payment form's one-word key labelled as the product's
    # information
    info = described("prodinfo", "not given", "'Product Information'")
    # when suggested on a Stripe charge and on a Stripe invoice
    on_charge = sourced(samples, "charge", info)
    on_invoice = sourced(samples, "invoice", info)
    # then it is what the payment is for: the charge's description, the
    # invoice's first line's
    assert on_charge.source == "description"
    assert on_invoice.source == "lines.data.0.description"


def test_a_products_name_on_an_invoice_is_its_first_lines(samples):
    # given a payment form's key named as the product's name
    name = described("product_name", "not given", "'Name'")
    # when suggested on a Stripe invoice, then it is the first line's
    # description
    assert sourced(samples, "invoice", name).source == "lines.data.0.description"


def test_a_products_code_and_category_stay_empty(samples):
    # given the same form's product code and product category (the near
    # case: the product named, but no word of what it is called or is)
    fields = [
        described("product_code", "not given", "'Product Code'"),
        described("product_category", "not given", "'Product Category'"),
    ]
    # when suggested on a Stripe charge, then neither takes the description
    items = suggest(samples["charge"], *fields)
    assert items["product_code"].source != "description"
    assert items["product_category"].source != "description"


def test_a_country_whose_placeholder_is_a_name_is_the_countrys_name(samples):
    # given a checkout form's country whose input shows a country's name as
    # its placeholder
    country = described("bill_country", "not given", "'Country', placeholder 'Norway'")
    # when suggested on a Stripe charge
    item = sourced(samples, "charge", country)
    # then the billing country's ISO code is written out as its name
    assert item.source == "billing_details.address.country"
    assert item.transforms == [{"name": "country_code", "params": {"to": "name"}}]


def test_a_country_whose_placeholder_is_a_code_stays_the_code(samples):
    # given the same country showing a two-letter code (the near case: a
    # code, as Stripe keeps it)
    country = described("bill_country", "not given", "'Country', placeholder 'NO'")
    # when suggested on a Stripe charge, then the code is copied as it is
    item = sourced(samples, "charge", country)
    assert item.source == "billing_details.address.country"
    assert item.transforms == []


def test_the_merchants_key_for_the_refund_it_sends_is_its_id(samples):
    # given a refund request's key the merchant gives the refund it sends,
    # named for the merchant and the refund
    key = described("seller_refund_id", "not given", "'Seller Refund Id'")
    # when suggested on a Stripe refund with the calibrated cut, then it is
    # the refund's own id
    assert shown(samples, "refund", key).source == "id"


def test_the_merchants_own_key_stays_empty_beside_it(samples):
    # given the same request's key of the merchant alone (the near case:
    # the merchant's account, no record of the refund's), while the
    # merchant's key for the refund takes the refund's id
    none_while_near(
        samples,
        "refund",
        described("seller_id", "not given", "'Seller Id'"),
        described("seller_refund_id", "not given", "'Seller Refund Id'"),
        "id",
    )


def test_a_date_time_marked_nullable_after_its_type_is_a_date_time(samples):
    # given a C# client's creation time typed as a date-time that may be
    # null, the mark after the type
    made = described("creationTime", "DateTime?", "no description")
    # when suggested on a Stripe charge with the calibrated cut, then it is
    # the charge's creation time, its unix seconds as a date-time
    assert_creation_time(shown(samples, "charge", made))


def test_a_nullable_string_after_its_type_stays_no_date(samples):
    # given the same name typed as a text that may be null (the near case:
    # no date type, the mark left as it was)
    made = described("creationTime", "string?", "no description")
    # when suggested on a Stripe charge with the calibrated cut, then it is
    # left empty
    assert_left_empty(shown(samples, "charge", made))
