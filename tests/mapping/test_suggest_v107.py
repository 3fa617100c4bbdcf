"""Suggester rules added on v109's former held-out part (HyperPay, BlueSnap).

Each field is made up after the shape of a miss, named for no vendor, beside
a near case the rule leaves as it was.
"""

from tests.mapping.suggesting import described, none_while_near
from tests.mapping.test_suggest_v106 import taken


def test_a_type_of_xml_schema_is_the_type_it_names(samples):
    # given an order's payer's first and last names and its currency, typed
    # with XML Schema's text type under its namespace prefix, the way an XSD
    # types an element, and the payer's whole name so typed (the near case:
    # a name no part is split from)
    first = described("payer-info.first-name", "xs:string", "no description")
    last = described("payer-info.last-name", "xsd:string", "no description")
    currency = described("order-price.currency", "xs:string", "no description")
    whole = described("payer-info.name", "xs:string", "no description")
    # when suggested on a Stripe charge, then the first and last names are
    # split from the billing name and the currency is the charge's in
    # capitals, as text is; the whole name is the billing name, copied as
    # it is, as before
    assert taken(samples, "charge", first) == ("billing_details.name", ["split_name"])
    assert taken(samples, "charge", last) == ("billing_details.name", ["split_name"])
    assert taken(samples, "charge", currency) == ("currency", ["upper"])
    assert taken(samples, "charge", whole) == ("billing_details.name", [])


def test_a_form_sum_of_no_type_or_description_is_in_major_units(samples):
    # given the sum a payment form posts, its key of no given type and with
    # no description but where it is set, and the same key described in
    # words of its own (the near case: a description to read it by)
    bare = described("order.amount", "not given", "no description (set in pay())")
    worded = described("order.amount", "not given", "The sum block's name.")
    # when suggested on a Stripe refund, then the bare sum is the refund's
    # amount read into major units, as a form writes its sums; the described
    # one is the amount copied as it is, as before
    assert taken(samples, "refund", bare) == ("amount", ["minor_to_decimal"])
    assert taken(samples, "refund", worded) == ("amount", [])


def test_a_field_in_a_group_of_user_defined_fields_is_the_systems_own(samples):
    # given the name of the first of a payer's user-defined fields (udfs),
    # kept in a group of them, and the payer's own name (the near case: no
    # field a user added)
    added = described("payer.udfs.udf.0.udf-name", "string", "no description")
    own = described("payer.contact.name", "string", "no description")
    # when suggested on a Stripe customer, then the user-defined field's name
    # is left empty, set up by the system's user, and the payer's name is the
    # customer's name, as before
    none_while_near(samples, "customer", added, own, "name")


def test_the_sellers_key_for_a_shopper_is_the_customers_own_id(samples):
    # given the key a seller gives the shopper it sends, and the key it gives
    # an order (the near case: a record of the seller's, no shopper)
    shopper = described("shopper-data.seller-shopper-id", "string", "no description")
    order = described("shopper-data.seller-order-id", "string", "no description")
    # when suggested on a Stripe customer, then the shopper's key is the
    # customer's own Stripe id, as a merchant's customer id is, and the
    # order's is left empty, the seller's own, as before
    none_while_near(samples, "customer", order, shopper, "id")
