"""Suggester rules added on v19's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a service period's
bounds), not copied from one vendor.
"""

import json
from pathlib import Path

import pytest

from tests.mapping.test_suggest_v3 import suggest

DATA = Path(__file__).resolve().parents[2] / "bench/data/suggest_v19.json"


@pytest.fixture(scope="module")
def samples():
    return json.loads(DATA.read_text())["stripe_samples"]


def test_a_service_periods_bounds_have_no_source_even_named_period(samples):
    # given an invoice with a service period named so, beside its own date
    got = suggest(
        samples["invoice"],
        {"name": "documentDate", "type": "date"},
        {"name": "servicePeriodStart", "type": "date"},
        {
            "name": "periodEnd",
            "type": "date",
            "description": "Last day of the delivery period",
        },
    )
    # then neither bound takes Stripe's usage period, the date its creation
    assert got["servicePeriodStart"].source == "", got["servicePeriodStart"]
    assert got["periodEnd"].source == "", got["periodEnd"]
    assert got["documentDate"].source == "created", got["documentDate"]
    # A period named so and nothing more still ranks Stripe's period.
    plain = suggest(samples["invoice"], {"name": "periodEndDate", "type": "date"})
    assert plain["periodEndDate"].source == "period_end", plain["periodEndDate"]
