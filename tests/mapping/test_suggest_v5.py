"""Suggester rules added on v5's former held-out part: each a class of misses."""

import json
from pathlib import Path

import pytest

from mapping.suggest_names import tokens
from tests.mapping.test_suggest_v3 import suggest

DATA = Path(__file__).resolve().parents[2] / "bench/data/suggest_v5.json"


@pytest.fixture(scope="module")
def samples():
    return json.loads(DATA.read_text())["stripe_samples"]


def steps(item):
    return [step["name"] for step in item.transforms]


def test_a_currency_described_in_lower_case_is_copied_as_is(samples):
    got = suggest(
        samples["invoice"],
        {"name": "currency", "max_length": 3, "description": "ISO code in lowercase"},
        {"name": "moneda", "max_length": 3, "description": "Currency (e.g. eur)"},
        {"name": "Currency", "max_length": 3, "description": "ISO 4217 code"},
    )
    assert got["currency"].source == "currency"
    assert steps(got["currency"]) == []
    assert steps(got["moneda"]) == []
    assert steps(got["Currency"]) == ["upper"]


def test_an_integer_described_as_a_unix_timestamp_is_a_date_copied_as_is(samples):
    got = suggest(
        samples["invoice"],
        {"name": "dueDate", "type": "int", "description": "Due date (Unix timestamp)"},
        {"name": "datef", "type": "int", "description": "Invoice date (timestamp)"},
        {"name": "count", "type": "int", "description": "Number of reminders"},
    )
    assert got["dueDate"].source == "due_date"
    assert steps(got["dueDate"]) == []
    assert got["datef"].source == "created"
    assert got["count"].source != "created"


def test_a_long_known_word_after_a_short_prefix_is_read(samples):
    assert tokens("multicurrency_code") == ("multi", "currency", "code")
    assert tokens("destination") == ("destination",)  # not desti + nation
    got = suggest(samples["customer"], {"name": "multicurrency_code", "max_length": 3})
    assert got["multicurrency_code"].source == "currency"


def test_a_currency_described_with_a_ledger_is_not_a_setting(samples):
    got = suggest(
        samples["payout"],
        {"name": "currency", "description": "Currency of the ledger entry"},
    )
    assert got["currency"].source == "currency"
