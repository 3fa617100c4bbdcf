"""Suggester rules added on v6's former held-out part: each a class of misses."""

import json
from pathlib import Path

import pytest

from tests.mapping.test_suggest_v3 import suggest

DATA = Path(__file__).resolve().parents[2] / "bench/data/suggest_v6.json"


@pytest.fixture(scope="module")
def samples():
    return json.loads(DATA.read_text())["stripe_samples"]


def test_a_line_repeats_its_headers_text(samples):
    got = suggest(
        samples["payout"],
        {"name": "description"},
        {"name": "lines.0.description"},
        {"name": "comment"},
    )
    assert got["description"].source == "description"
    assert got["lines.0.description"].source == "description"
    assert not got["comment"].source  # two header notes still share one text


def test_a_reference_named_only_external_keeps_the_stripe_id(samples):
    external = suggest(samples["invoice"], {"name": "ExternalReference"})
    assert external["ExternalReference"].source == "id"
    short = suggest(samples["invoice"], {"name": "ref_ext"})
    assert short["ref_ext"].source == "id"
    # A reference that names the invoice is still where its number goes.
    named = suggest(samples["invoice"], {"name": "ExternalInvoiceReference1"})
    assert named["ExternalInvoiceReference1"].source == "number"
