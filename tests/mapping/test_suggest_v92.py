"""Suggester rules added on v94's former held-out part (Billbee, Vipps MobilePay).

The fields are made up in the shape the misses had, not copied from one
vendor. Each is written through v67's `described`, a name, a type and the
few words a model gives.
"""

import pytest

from mapping.schemas import STRING
from mapping.suggest import field_specs_from_dicts
from tests.mapping.suggesting import (
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


# Each rule's field with no source beside its near case, which takes one:
# (object, the field caught, the near field, the near field's source).
_CAUGHT_WHILE_NEAR = {
    # when goods were shipped, named by the past participle, is no creation
    # time; when they were paid for is the charge's creation
    "shipped_time": (
        "charge",
        ("goods_shipped_at", "datetime", "When the goods left"),
        ("goods_paid_at", "datetime", "When the goods were paid"),
        "created",
    ),
    # a cost described as the total gross value is what the buyer is billed,
    # the invoice's total; one described as what the goods cost the seller
    # stays the seller's own
    "gross_cost": (
        "invoice",
        ("order_cost", "decimal", "What the goods cost the seller"),
        ("order_cost", "decimal", "Total gross value of the order"),
        "total",
    ),
    # a number's postfix, as some references call a suffix, is a setting;
    # the number itself is the invoice's number
    "number_postfix": (
        "invoice",
        ("doc_number_postfix", "string", "Postfix of the number"),
        ("doc_number", "string", "Number of the document"),
        "number",
    ),
}


@pytest.mark.parametrize("rule", sorted(_CAUGHT_WHILE_NEAR))
def test_the_caught_field_has_no_source_while_its_near_case_has(samples, rule):
    # given the field a rule catches and its near case
    object_type, caught, near, source = _CAUGHT_WHILE_NEAR[rule]
    # when each is suggested on the Stripe object, then the caught field has
    # no source and the near one takes its own
    none_while_near(samples, object_type, described(*caught), described(*near), source)


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
