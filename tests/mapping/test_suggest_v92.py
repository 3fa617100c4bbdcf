"""Suggester rules added on v94's former held-out part (Billbee, Vipps MobilePay).

The fields are made up in the shape the misses had, not copied from one
vendor. Each is written through v67's `described`, a name, a type and the
few words a model gives.
"""

from mapping.schemas import STRING
from mapping.suggest import field_specs_from_dicts
from tests.mapping.suggesting import (
    assert_no_source,
    described,
    lookup,
    none_while_near,
    sourced,
)


def test_values_listed_after_the_type_and_a_comma_are_its_choices(samples):
    # given a price's currency typed as a reference prints an enumeration
    # after the type and a comma ("string, enum USD, CAD, MXN")
    field = described("price.curr", "string, enum USD, CAD, MXN", "Price currency")
    # when suggested on a Stripe invoice
    item = sourced(samples, "invoice", field)
    # then it is a string whose choices are the listed codes, and so the
    # invoice's currency upper-cased
    (spec,) = field_specs_from_dicts([field])
    assert (spec.type, spec.choices) == (STRING, ("USD", "CAD", "MXN"))
    assert (item.source, item.transforms) == ("currency", [{"name": "upper"}])


def test_a_type_followed_by_other_words_lists_no_choices():
    # given a string whose type is followed by a comma and a length (the
    # near case: no enumeration named)
    (spec,) = field_specs_from_dicts(
        [described("price.curr", "string, max 3, USD", "Price currency")]
    )
    # then it keeps its written type and lists no choices
    assert spec.choices == ()


def test_a_time_a_thing_was_shipped_is_no_creation_time(samples):
    # given when the goods were shipped, named by the past participle
    # ("goods_shipped_at"), and when they were paid for (the near case: a
    # payment's time, the charge's creation)
    shipped = described("goods_shipped_at", "datetime", "When the goods left")
    paid = described("goods_paid_at", "datetime", "When the goods were paid")
    # when each is suggested on a Stripe charge, then the shipping time has
    # no source and the payment time is the charge's creation
    none_while_near(samples, "charge", shipped, paid, "created")


def test_a_cost_described_as_the_gross_value_is_the_total(samples):
    # given an order's cost described as its total gross value (what the
    # buyer is billed, tax included), and one described as what the goods
    # cost the seller (the near case: the seller's own cost)
    billed = described("order_cost", "decimal", "Total gross value of the order")
    own = described("order_cost", "decimal", "What the goods cost the seller")
    # when each is suggested on a Stripe invoice, then the gross value is
    # the invoice's total and the seller's cost has no source
    none_while_near(samples, "invoice", own, billed, "total")


def test_a_refunds_path_reference_given_when_creating_the_payment_is_the_charge(
    samples,
):
    # given the reference in a refund's URL, described as the one given when
    # creating the payment (POST /payments/{ref}/refund)
    field = described(
        "ref",
        "string",
        "The reference given when creating the payment. (path parameter ref,"
        " POST /payments/{ref}/refund)",
    )
    # when suggested on a Stripe refund
    item = sourced(samples, "refund", field)
    # then it is the refunded charge, through the id map
    assert item.source == "charge"
    assert lookup(item) == "charge"


def test_a_refunds_own_path_reference_is_not_the_charge(samples):
    # given the refund's own reference in its URL (the near case: no payment
    # created with it)
    field = described(
        "ref",
        "string",
        "The reference of this refund. (path parameter ref, POST /refunds/{ref})",
    )
    # when suggested on a Stripe refund, then it is not the charge
    assert sourced(samples, "refund", field).source != "charge"


def test_a_numbers_postfix_is_a_setting(samples):
    # given the postfix of a document's number, as some references call a
    # suffix ("doc_number_postfix")
    field = described("doc_number_postfix", "string", "Postfix of the number")
    # when suggested on a Stripe invoice, then it has no source, as a
    # number's prefix or suffix has none
    assert_no_source(sourced(samples, "invoice", field))
    # while the number itself (the near case) is the invoice's number
    near = described("doc_number", "string", "Number of the document")
    assert sourced(samples, "invoice", near).source == "number"
