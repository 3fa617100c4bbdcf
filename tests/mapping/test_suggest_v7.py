"""Suggester rules added on v7's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (nested snake_case
objects, lists of contact details), not copied from one vendor.
"""

import json
from pathlib import Path

import pytest

from tests.mapping.test_suggest_v3 import suggest

DATA = Path(__file__).resolve().parents[2] / "bench/data/suggest_v7.json"

CURRENCIES = ["CHF", "DKK", "EUR", "GBP", "NOK", "SEK", "USD"]


@pytest.fixture(scope="module")
def samples():
    return json.loads(DATA.read_text())["stripe_samples"]


def test_a_field_allowing_currency_codes_takes_the_currency(samples):
    got = suggest(
        samples["charge"],
        {"name": "settlement.currency", "choices": CURRENCIES},
        {"name": "preferred_money", "choices": CURRENCIES},
    )
    for name in ("settlement.currency", "preferred_money"):
        assert got[name].source == "currency"
        assert [s["name"] for s in got[name].transforms] == ["upper"]
    # A list of codes that are not currencies is still mapped or a setting.
    kinds = suggest(samples["charge"], {"name": "kind", "choices": ["ABC", "DEF"]})
    assert kinds["kind"].source != "currency"


def test_a_later_entry_of_an_address_list_is_the_shipping_address(samples):
    got = suggest(
        samples["customer"],
        {"name": "addresses.0.address.city"},
        {"name": "addresses.1.address.city"},
        {"name": "addresses.1.address.recipient_addressee"},
    )
    assert got["addresses.0.address.city"].source == "address.city"
    assert got["addresses.1.address.city"].source == "shipping.address.city"
    assert got["addresses.1.address.recipient_addressee"].source == "shipping.name"


def test_a_plural_list_name_reads_as_its_singular(samples):
    got = suggest(
        samples["customer"],
        {"name": "telephones.0.number"},
        {"name": "emails.0.value"},
    )
    # A key word under a contact detail is the detail, not the ERP's code.
    assert got["telephones.0.number"].source == "phone"
    assert got["emails.0.value"].source == "email"
