"""Suggester rules added on v18's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a second currency
named foreign, address lines numbered in words, a description beside a
printed note, a customer's dates), not copied from one vendor.
"""

from tests.mapping.suggesting import suggest


def test_an_amount_or_currency_named_foreign_has_no_source(samples):
    # given a payment line with its amount and currency, and a second pair
    # named for a foreign currency
    got = suggest(
        samples["charge"],
        {"name": "lines.0.amount", "type": "decimal"},
        {"name": "lines.0.currency_code", "type": "string", "max_length": 3},
        {"name": "lines.0.foreign_amount", "type": "decimal"},
        {"name": "lines.0.foreign_currency_code", "type": "string", "max_length": 3},
        {"name": "lines.0.foreign_currency_id", "type": "int"},
    )
    # then the line's own pair takes Stripe's, the foreign pair nothing
    assert got["lines.0.amount"].source == "amount", got["lines.0.amount"]
    assert got["lines.0.currency_code"].source == "currency"
    for name in ("foreign_amount", "foreign_currency_code", "foreign_currency_id"):
        assert got[f"lines.0.{name}"].source == "", got[f"lines.0.{name}"]


def test_address_lines_numbered_in_words_take_stripes_lines(samples):
    # given an address whose lines are numbered in words, not digits
    got = suggest(
        samples["customer"],
        {"name": "line_one", "type": "string"},
        {"name": "line_two", "type": "string"},
        {"name": "city", "type": "string"},
        {"name": "zip", "type": "string"},
    )
    # then each line takes Stripe's line of the same number
    assert got["line_one"].source == "address.line1", got["line_one"]
    assert got["line_two"].source == "address.line2", got["line_two"]


def test_the_documents_own_description_keeps_it_before_a_printed_note(samples):
    # given an invoice with its own description and a note printed on it
    got = suggest(
        samples["invoice"],
        {"name": "description", "description": "Description of the invoice"},
        {"name": "remarks", "description": "Remarks printed on the invoice"},
    )
    # then the description takes Stripe's, the printed note the footer
    assert got["description"].source == "description", got["description"]
    assert got["remarks"].source == "footer", got["remarks"]
    # A description of something else (its type) leaves the text to the note.
    other = suggest(
        samples["invoice"],
        {"name": "description", "description": "Description of the document type"},
        {"name": "remarks", "description": "Remarks printed on the invoice"},
    )
    assert other["remarks"].source == "description", other["remarks"]


def test_a_customers_date_other_than_its_creation_has_no_source(samples):
    # given a customer account with the days it may be invoiced from and to
    got = suggest(
        samples["customer"],
        {"name": "name", "type": "string"},
        {"name": "validFrom", "type": "date", "description": "First invoice date"},
        {"name": "validTo", "type": "date", "description": "Last invoice date"},
        {"name": "createdOn", "type": "date"},
    )
    # then neither bound takes Stripe's one date, the creation date does
    assert got["validFrom"].source == "", got["validFrom"]
    assert got["validTo"].source == "", got["validTo"]
    assert got["createdOn"].source == "created", got["createdOn"]
