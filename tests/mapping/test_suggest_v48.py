"""Suggester rules added on v50's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (amounts typed as decimals
but counted in the minor unit), not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import suggest


def test_a_decimal_counted_in_the_minor_unit_takes_stripes_amount_as_is(samples):
    # given a payment's sum, typed as a decimal but counted in kopecks
    field = {
        "name": "total_sum",
        "type": "decimal",
        "description": "Sum of the payment in the document's currency, in kopecks",
    }
    # when suggested
    got = suggest(samples["charge"], field, threshold=None)
    # then it is the charge's amount, not turned into the main unit
    assert got["total_sum"].source == "amount"
    assert got["total_sum"].transforms == []


def test_a_date_written_with_its_time_of_day_is_a_datetime(samples):
    # given a payment's document date, typed as a date but its format with
    # hours, minutes and seconds
    field = {
        "name": "doc_moment",
        "type": "date",
        "description": "Date of the document, YYYY-MM-DD HH:MM:SS",
    }
    # when suggested
    got = suggest(samples["charge"], field, threshold=None)
    # then it is the charge's creation time, kept with its time of day
    assert got["doc_moment"].source == "created"
    assert got["doc_moment"].transforms[0]["name"] == "unix_to_datetime"
