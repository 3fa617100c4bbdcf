"""Suggester rules added on v53's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a table row of hundreds
of columns, most with no Stripe source, families of prefixed copies of one
column), not copied from one vendor.
"""

from tests.mapping.test_suggest_v3 import suggest

# Columns of a wide ERP row that no Stripe field fills, as padding.
_PADDING = tuple(
    {"name": f"UserChar{n}", "type": "string", "description": "User defined text"}
    for n in range(1, 41)
)


def test_a_wide_row_that_speaks_of_itself_as_a_row_is_no_line(samples):
    # given an invoice header row of many columns, two of which describe the
    # stored row itself (its key, its revision) and a plain document amount
    fields = (
        {
            "name": "RowGuid",
            "type": "string",
            "description": "Unique identifier for this row, a GUID",
        },
        {
            "name": "RowRevision",
            "type": "int",
            "description": "Revision of this row, raised on each write",
        },
        {
            "name": "DocumentAmount",
            "type": "decimal",
            "description": "Amount of the document",
        },
        *_PADDING,
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the row is the document, not its first line
    assert not got["DocumentAmount"].source.startswith("lines.")
