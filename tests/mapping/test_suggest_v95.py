"""Suggester rules added on v97's former held-out part (SAP Commerce Cloud, Openpay).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v67's `described`; each rule has a near case
that must not fire.
"""

from mapping.schemas import DECIMAL, INT
from mapping.suggest import field_specs_from_dicts
from tests.mapping.suggesting import described, sourced


def test_a_numeric_type_is_a_decimal(samples):
    # given a charge's sum typed "numeric", with a note in parentheses
    # ("numeric (mandatory)"), as a reference may print a number
    field = described("sum", "numeric (mandatory)", "Sum to be charged, two decimals")
    # when suggested on a Stripe charge
    item = sourced(samples, "charge", field)
    # then it is a decimal: the charge's amount, out of minor units
    (spec,) = field_specs_from_dicts([field])
    assert spec.type == DECIMAL
    assert (item.source, item.transforms[0]["name"]) == ("amount", "minor_to_decimal")


def test_a_numeric_string_stays_what_it_was():
    # given a count typed "integer" and a code typed "alphanumeric" (the
    # near cases: a whole number, and text that only holds digits too)
    count, code = field_specs_from_dicts(
        [described("tries", "integer"), described("ref", "alphanumeric")]
    )
    # then the count is an int and the code no decimal
    assert count.type == INT
    assert code.type != DECIMAL
