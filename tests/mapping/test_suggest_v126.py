"""Suggester rules added on v128's former held-out part (PAY.JP, Corteza).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import described, sourced


def test_a_records_values_by_field_name_name_no_amount(samples):
    # given a form's record sent as its values by field name: a season's
    # year and a row's display position, both plain numbers, and the
    # record's sum sent the same way (the near case: its name is a sum's)
    year = described("values.SeasonYear", "Number", "A whole number.")
    place = described("values.DisplayPosition", "Number", "Where the row shows.")
    paid = described("values.PaidSum", "Number")
    # when suggested on a Stripe charge, then neither plain number takes the
    # charge's amount (both abstain), and the sum still takes it
    found = [sourced(samples, "charge", f, threshold=None) for f in (year, place, paid)]
    assert [item.source or "" for item in found] == ["", "", "amount"], found
    assert [item.abstained for item in found] == [True, True, False], found


def test_a_country_picked_from_a_list_of_names_is_its_name(samples):
    # given a shop's home country picked from a form's list (typed Select):
    # a list of country names, and a list of two-letter codes (the near
    # case: the code is sent as it is)
    lists = {
        "Picked from a list of country names (Norway, Peru, …).": "name",
        "Picked from a list of two-letter codes.": "",
    }
    # when suggested on a Stripe customer, then each takes the address's
    # country, and only the list of names has it turned into the name
    for words, form in lists.items():
        field = described("shop.homeCountry", "Select", words)
        item = sourced(samples, "customer", field)
        steps = [step["params"]["to"] for step in item.transforms]
        assert (item.source, steps) == ("address.country", [form] if form else []), item
