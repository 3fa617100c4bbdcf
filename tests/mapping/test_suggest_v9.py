"""Suggester rules added on v10's and v11's former held-out parts: each a class
of misses.

The fields are made up in the shape the misses had (a party's country, a
billing block, printed captions and notes), not copied from one vendor.
"""

import json
from pathlib import Path

import pytest

from tests.mapping.test_suggest_v3 import suggest

DATA = Path(__file__).resolve().parents[2] / "bench/data/suggest_v11.json"


@pytest.fixture(scope="module")
def samples():
    return json.loads(DATA.read_text())["stripe_samples"]


def test_a_partys_country_is_no_country_name(samples):
    got = suggest(samples["invoice"], {"name": "contactCountry"})
    assert got["contactCountry"].source == "customer_address.country"
    assert got["contactCountry"].transforms == []


def test_a_country_described_as_iso_alpha_2_is_copied(samples):
    got = suggest(
        samples["customer"],
        {"name": "CountryName", "description": "Country as ISO 3166-1 alpha-2"},
    )
    assert got["CountryName"].source == "address.country"
    assert got["CountryName"].transforms == []


def test_a_billing_block_repeats_the_customers_name_and_phone(samples):
    got = suggest(
        samples["customer"],
        {"name": "name", "description": "Display name"},
        {"name": "phone"},
        {"name": "bill_to.name", "description": "Name on the billing address"},
        {"name": "bill_to.phone"},
        {"name": "bill_to.city"},
    )
    assert got["name"].source == "name"
    assert got["bill_to.name"].source == "name"
    assert got["phone"].source == "phone"
    assert got["bill_to.phone"].source == "phone"


def test_a_caption_that_only_guesses_leaves_the_description_to_the_remarks(samples):
    got = suggest(
        samples["invoice"],
        {"name": "caption", "description": "Caption printed on the document"},
        {"name": "remarks", "description": "Remarks"},
    )
    assert got["remarks"].source == "description"
    assert got["caption"].source != "description"


def test_a_note_beside_a_field_named_description_takes_the_footer(samples):
    got = suggest(
        samples["invoice"],
        {"name": "description", "description": "Short summary of the document"},
        {"name": "comments", "description": "Further comments"},
    )
    assert got["description"].source == "description"
    assert got["comments"].source == "footer"
