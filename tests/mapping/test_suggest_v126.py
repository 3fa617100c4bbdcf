"""Suggester rules added on v128's former held-out part (PAY.JP, Corteza).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced


def test_a_records_values_by_field_name_name_no_amount(samples):
    # given a form's record sent as its values by field name, with a season's
    # year and a row's display position typed as plain numbers
    # (values.SeasonYear, values.DisplayPosition), and the record's sum sent
    # the same way (the near case: values.Amount names a sum itself)
    year = described("values.SeasonYear", "Number", "A whole number.")
    place = described("values.DisplayPosition", "Number", "Where the row shows.")
    total = described("values.Amount", "Number", "The sum paid.")
    # when suggested on a Stripe charge, then the year and the position take
    # no amount, and the sum still takes the charge's amount
    assert_no_source(sourced(samples, "charge", year, threshold=None))
    assert_no_source(sourced(samples, "charge", place, threshold=None))
    assert sourced(samples, "charge", total, threshold=None).source == "amount"


def test_a_country_picked_from_a_list_of_names_is_its_name(samples):
    # given a shop's home country picked from a form's list of country names
    # (typed Select), and the same field picked from a list of two-letter
    # codes (the near case: the code as it is)
    named = described(
        "shop.homeCountry",
        "Select",
        "Picked from a list of country names (Norway, Peru, …).",
    )
    coded = described(
        "shop.homeCountry", "Select", "Picked from a list of two-letter codes."
    )
    # when suggested on a Stripe customer, then both take the address's
    # country, and only the first is turned into the country's name
    to_name = [{"name": "country_code", "params": {"to": "name"}}]
    for field, steps in ((named, to_name), (coded, [])):
        item = sourced(samples, "customer", field)
        assert (item.source, item.transforms) == ("address.country", steps), item
