"""Suggester rules added on v8's and v9's former held-out parts: each a class
of misses.

The fields are made up in the shape the misses had (JSON Schema types,
amounts called values, ledger lines), not copied from one vendor.
"""

import json
from pathlib import Path

import pytest

from mapping.schemas import DECIMAL, FLAG, INT, LINES
from mapping.suggest import field_specs_from_dicts
from tests.mapping.test_suggest_v3 import suggest

DATA = Path(__file__).resolve().parents[2] / "bench/data/suggest_v9.json"


@pytest.fixture(scope="module")
def samples():
    return json.loads(DATA.read_text())["stripe_samples"]


def test_json_schema_type_names_read_as_the_engine_types():
    specs = field_specs_from_dicts(
        [
            {"name": "paid", "type": "number"},
            {"name": "count", "type": "integer"},
            {"name": "closed", "type": "boolean"},
            {"name": "lineItems", "type": "array"},
            {"name": "attachments", "type": "array"},
        ]
    )
    assert [s.type for s in specs] == [DECIMAL, INT, FLAG, LINES, "array"]


def test_an_amount_typed_number_is_converted_from_minor_units(samples):
    got = suggest(
        samples["charge"],
        {"name": "amount", "type": "number", "description": "Payment amount"},
    )
    assert got["amount"].source == "amount"
    assert [s["name"] for s in got["amount"].transforms] == ["minor_to_decimal"]


def test_only_a_list_named_for_lines_takes_the_lines(samples):
    got = suggest(
        samples["invoice"],
        {"name": "items", "type": "array", "description": "Line items"},
        {"name": "attachments", "type": "array", "description": "File ids"},
    )
    assert got["items"].source == "lines.data"
    assert got["attachments"].source != "lines.data"
