"""Suggester rules added on v111's former held-out part (Trust Payments, Dynamics 365 Sales).

Each field is made up after the shape of a miss, named for no vendor, beside
a near case the rule leaves as it was.
"""  # noqa: E501

from tests.mapping.suggesting import described, sourced


def test_two_places_run_together_with_or_are_the_place(samples):
    # given a buyer's state or province run together in lower case with the
    # word "or" between them, and a run ending in "or" (the near case: no
    # second name after the "or", so nothing it joins)
    state = described("Home_stateorprovince", "String", "no description")
    ending = described("Home_stateor", "String", "no description")
    # when suggested on a Stripe customer, then the run is the customer's
    # state, the "or" a joining word; the run ending in it is not, as before
    assert sourced(samples, "customer", state).source == "address.state"
    assert sourced(samples, "customer", ending).source != "address.state"
