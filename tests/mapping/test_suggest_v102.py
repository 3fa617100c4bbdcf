"""Suggester rules added on v104's former held-out part (WayForPay, Crystallize).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v67's `described`; each rule has a near case
that must not change.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    none_while_near,
    sourced,
)


def schema_member(name, kind):
    """A validator schema's member, with no description of its own."""
    return described(name, kind, f"no description (MadeUpInputSchema, {name})")


def transform_names(item):
    return [step["name"] for step in item.transforms]


def assert_total_in_major_units(samples, field):
    """`field` on a Stripe invoice is the invoice's total in major units."""
    item = sourced(samples, "invoice", field)
    assert item.source == "total"
    assert transform_names(item) == ["minor_to_decimal"]


def test_a_date_typed_as_a_named_validator_schema_is_a_date_time(samples):
    # given a creation date typed as a validator's named date-time schema,
    # marked optional after it
    made = schema_member("madeAt", "DateTimeSchema.nullish()")
    # when suggested on a Stripe charge
    item = sourced(samples, "charge", made)
    # then it is the charge's creation time, its unix seconds as a date-time
    assert item.source == "created"
    assert transform_names(item) == ["unix_to_datetime"]


def test_an_amount_typed_as_a_validator_number_is_a_decimal(samples):
    # given a sum typed as a validator's number with a bound and a null mark
    # chained after it
    grand = schema_member("sum.grossAmount", "z.number().min(0).nullish()")
    # when suggested on a Stripe invoice, then it is the invoice's total in
    # major units
    assert_total_in_major_units(samples, grand)


def test_an_amount_typed_as_a_plain_number_is_unchanged(samples):
    # given the same sum typed as a plain number (the near case: no
    # validator chain to read)
    grand = schema_member("sum.grossAmount", "number")
    # when suggested on a Stripe invoice, then it is the total in major
    # units, as before
    assert_total_in_major_units(samples, grand)


def test_the_key_of_a_listed_meta_entry_has_no_source(samples):
    # given the key of the first entry of a record's list of meta pairs
    named = schema_member("extras.0.meta.0.key", "string")
    # when suggested on a Stripe invoice, then it is left empty: the ERP's
    # own key, no Stripe id
    assert_no_source(sourced(samples, "invoice", named))


def test_the_value_of_a_listed_meta_entry_has_no_source_while_a_lines_does(
    samples,
):
    # given the value of the first meta pair, and the value of the first
    # line (the near case: a line's value is its amount)
    paired = schema_member("extras.0.meta.0.value", "string")
    line = schema_member("lines.0.value", "number")
    # when suggested on a Stripe invoice, then the pair's value has no
    # source and the line's is the first line's amount
    none_while_near(samples, "invoice", paired, line, "lines.data.0.amount")


def test_the_value_of_a_listed_property_pair_has_no_source(samples):
    # given the value of the first entry of a payment's list of custom
    # property pairs
    paired = schema_member("payments.0.extra.properties.0.value", "string")
    # when suggested on a Stripe charge, then it is left empty: the ERP's
    # own value, no amount of the charge
    assert_no_source(sourced(samples, "charge", paired))


def test_the_key_of_a_listed_reference_pair_has_no_source(samples):
    # given the key of a customer's first outside reference, a pair whose
    # key names the outside system
    named = schema_member("buyer.references.0.key", "string")
    # when suggested on a Stripe customer, then it is left empty: a
    # system's name, not the customer's id
    assert_no_source(sourced(samples, "customer", named))
