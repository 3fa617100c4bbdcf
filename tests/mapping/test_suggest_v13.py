"""Suggester rules added on v15's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a second website, an
address line described by what it holds, a date of a period or of another
document, a parent record, the buyer's order reference, a partner key), not
copied from one vendor.
"""

import json
from pathlib import Path

import pytest

from tests.mapping.test_suggest_v3 import suggest

DATA = Path(__file__).resolve().parents[2] / "bench/data/suggest_v15.json"


@pytest.fixture(scope="module")
def samples():
    return json.loads(DATA.read_text())["stripe_samples"]


def test_a_link_takes_only_a_link(samples):
    # Alone, and with every raw best guess shown (threshold 0): beside a
    # street line 2 it loses the line to that field anyway.
    got = suggest(
        samples["customer"],
        {"name": "name"},
        {"name": "profile_url_2", "description": "Second profile link"},
    )
    assert got["profile_url_2"].source == "", got["profile_url_2"]
    invoice = suggest(samples["invoice"], {"name": "view_link"})
    assert invoice["view_link"].source == "hosted_invoice_url"
