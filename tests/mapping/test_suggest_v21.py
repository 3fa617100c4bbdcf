"""Suggester rules added on v23's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (an e-mail's copies'
recipients, ...), not copied from one vendor.
"""

import json
from pathlib import Path

import pytest

from tests.mapping.test_suggest_v3 import suggest

DATA = Path(__file__).resolve().parents[2] / "bench/data/suggest_v23.json"


@pytest.fixture(scope="module")
def samples():
    return json.loads(DATA.read_text())["stripe_samples"]


def test_an_emails_copies_recipients_are_not_the_customers_email(samples):
    # given a customer with its own e-mail and the addresses copies go to
    fields = (
        {"name": "email", "description": "E-mail the invoices go to"},
        {"name": "bccEmail", "description": "Blind copy address"},
        {
            "name": "copy_to",
            "type": "array",
            "description": "E-mail addresses copied on every reminder sent",
        },
        {
            "name": "cc_emails",
            "description": "Additional email addresses receiving the account's mail",
        },
        {"name": "phone_cc", "description": "Calling code of the phone number"},
    )
    got = suggest(samples["customer"], *fields)
    # then only the main field takes the customer's e-mail
    assert got["email"].source == "email", got["email"]
    assert got["cc_emails"].source == "", got["cc_emails"]
    assert got["bccEmail"].source == "", got["bccEmail"]
    assert got["copy_to"].source == "", got["copy_to"]
    assert got["phone_cc"].source != "email", got["phone_cc"]
