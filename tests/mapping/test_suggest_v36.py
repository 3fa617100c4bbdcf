"""Suggester rules added on v38's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (an object of custom
keys, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import suggest


def test_a_code_of_two_letter_pieces_is_read_through_its_quoted_label(samples):
    # given a customer's fields named by short letter codes, each described by
    # a quoted label and the record it sits on
    fields = (
        {
            "name": "PsCd",
            "type": "string",
            "description": "'Postal code' (main address of the customer)",
        },
        {
            "name": "Ct",
            "type": "string",
            "description": "'City' (main address of the customer)",
        },
        {
            "name": "MlAd",
            "type": "string",
            "description": "'E-mail address' (customer)",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then each gets the Stripe field its label names, as a spelled-out name would
    assert (got["PsCd"].source, got["PsCd"].transforms) == ("address.postal_code", [])
    assert (got["Ct"].source, got["Ct"].transforms) == ("address.city", [])
    assert (got["MlAd"].source, got["MlAd"].transforms) == ("email", [])


def test_a_payouts_expiry_date_is_not_when_its_money_arrives(samples):
    # given a payout's journal line with a date it expires on beside its value date
    fields = (
        {"name": "value_date", "type": "date", "description": "Value date"},
        {"name": "expiry_date", "type": "date", "description": "Expiry date"},
    )
    got = suggest(samples["payout"], *fields, threshold=None)
    # then the expiry date has no source: a payout lapses on no date of Stripe's
    expiry = got["expiry_date"]
    assert expiry.abstained and not expiry.source and expiry.transforms == [], expiry
    # and the value date stays the day the money arrives
    unix = [{"name": "unix_to_date", "params": {"timezone": "$options.timezone"}}]
    assert (got["value_date"].source, got["value_date"].transforms) == (
        "arrival_date",
        unix,
    )


def test_coded_amounts_of_numbered_entry_lines_keep_their_line(samples):
    # given a two-line journal entry whose amounts are coded names, read through
    # their labels, a debit and a credit on each line
    fields = [
        {"name": f"rows.{index}.{code}", "type": "decimal", "description": label}
        for index in (0, 1)
        for code, label in (("AmDb", "'Debit amount'"), ("AmCr", "'Credit amount'"))
    ]
    got = suggest(samples["payout"], *fields, threshold=None)
    # then the entry balances: line 1's debit and line 2's credit carry the amount
    for name in ("rows.0.AmDb", "rows.1.AmCr"):
        assert (got[name].source, got[name].transforms) == (
            "amount",
            [{"name": "minor_to_decimal", "params": {"currency": "$currency"}}],
        ), got[name]
    # and the other side of each line stays empty
    for name in ("rows.0.AmCr", "rows.1.AmDb"):
        assert got[name].abstained and not got[name].source, got[name]
        assert got[name].transforms == [], got[name]


def test_plain_amounts_beside_amounts_in_the_entrys_currency_are_the_books(samples):
    # given a two-line journal entry with a debit and a credit on each line,
    # each both as a plain amount and as an amount in the entry's currency
    fields = [
        {"name": f"lines.{index}.{side}{kind}", "type": "decimal"}
        for index in (0, 1)
        for side in ("debit", "credit")
        for kind in ("_amount", "_currency_amount")
    ]
    got = suggest(samples["charge"], *fields, threshold=None)
    # then the amounts in the entry's currency balance the entry
    minor = [{"name": "minor_to_decimal", "params": {"currency": "$currency"}}]
    for name in ("lines.0.debit_currency_amount", "lines.1.credit_currency_amount"):
        assert (got[name].source, got[name].transforms) == ("amount", minor), got[name]
    # and the plain amounts, in the books' own currency, have no source
    for index in (0, 1):
        for side in ("debit", "credit"):
            item = got[f"lines.{index}.{side}_amount"]
            assert item.abstained and not item.source and item.transforms == [], item


def test_a_label_naming_one_of_the_customers_addresses_is_no_description(samples):
    # given a customer's address with a label that names it, beside notes on
    # the customer
    fields = (
        {
            "name": "label",
            "type": "string",
            "description": "Short text naming the address (home, office)",
        },
        {"name": "notes", "type": "string", "description": "Notes on the customer"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the label has no source: Stripe keeps no text per address
    label = got["label"]
    assert label.abstained and not label.source and label.transforms == [], label
    # and the notes stay the customer's description
    assert (got["notes"].source, got["notes"].transforms) == ("description", [])
