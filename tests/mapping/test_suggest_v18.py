"""Suggester rules added on v20's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a state code described
as leaving out a prefix, ...), not copied from one vendor.
"""

import json
from pathlib import Path

import pytest

from tests.mapping.test_suggest_v3 import suggest

DATA = Path(__file__).resolve().parents[2] / "bench/data/suggest_v20.json"


@pytest.fixture(scope="module")
def samples():
    return json.loads(DATA.read_text())["stripe_samples"]


def test_a_code_described_as_leaving_out_a_prefix_is_no_prefix(samples):
    # given an address whose region code is described as without a prefix
    got = suggest(
        samples["customer"],
        {"name": "address.city", "type": "string"},
        {
            "name": "address.region_code",
            "type": "string",
            "description": "ISO 3166-2 code of the region, without the country prefix",
        },
    )
    # then it is the state, not a number's prefix
    assert got["address.region_code"].source == "address.state", got[
        "address.region_code"
    ]
    # A field described as a prefix still is one.
    prefix = suggest(
        samples["invoice"],
        {"name": "series", "description": "Invoice number prefix, e.g. INV-"},
    )
    assert prefix["series"].source == "", prefix["series"]
