"""Suggester rules added on v81's former held-out part (Virto Commerce, Payone).

The fields are made up in the shape the misses had (a payer's and a
delivery address's fields written flat, their words run together in lower
case), not copied from one vendor. Each is written through v67's
`described`, a name, a type and the few words a model gives.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def test_an_address_addition_is_the_second_street_line(samples):
    # given a payer's and a delivery address's additions, the words address
    # and addition run together in lower case as a flat request writes them
    payer = described(
        "buyer_addressaddition", "string", "The addition to the payer's address."
    )
    delivery = described(
        "delivery_addressaddition", "string", "The addition to the delivery address."
    )
    # when suggested on a charge, then each is the second line of its
    # address: what is added to the street (Adresszusatz), as Stripe's line2
    assert sourced(samples, "charge", payer).source == "billing_details.address.line2"
    assert sourced(samples, "charge", delivery).source == "shipping.address.line2"
    # while an addition to a house number, no address's, is not the line
    house = described(
        "buyer_housenumberaddition", "string", "The letters added to the house number."
    )
    got = suggest(samples["charge"], house)["buyer_housenumberaddition"]
    assert got.source != "billing_details.address.line2"


def test_the_text_on_the_customers_statement_is_the_statement_descriptor(samples):
    # given a payment request's free text, named only as a narrative,
    # described as the text on the customer's statement
    shown = described(
        "memo_narrative",
        "string",
        "A dynamic text for the payment (the text on the customer's statement).",
    )
    # when suggested on a charge, then it is Stripe's statement descriptor:
    # what the payer's statement shows, whatever the field is named
    assert sourced(samples, "charge", shown).source == "statement_descriptor"
    # while a note for the seller's own records is not it
    kept = described("memo_internal", "string", "A note for the seller's own records.")
    assert sourced(samples, "charge", kept).source != "statement_descriptor"


def test_a_documents_date_written_in_a_date_format_is_a_date(samples):
    # given a booking request's text field whose description writes out a
    # calendar date's format, the year, month and day run together
    day = described("voucher_date", "string", "The date of the voucher (YYYYMMDD).")
    # when suggested on an invoice with the user's calibrated cut, then it is
    # shown as the document's creation, written as a date: the format says
    # the text is a date, as a field typed one would be
    got = suggest(samples["invoice"], day, threshold=None)["voucher_date"]
    assert got.source == "created"
    assert [step["name"] for step in got.transforms] == ["unix_to_date"]
    # while a month written as text (year and month, no day) is no date
    month = described(
        "voucher_period", "string", "The month the voucher is booked in (YYYYMM)."
    )
    got = suggest(samples["invoice"], month, threshold=None)["voucher_period"]
    assert got.source != "created"
    # nor is the date's format, given as an attribute of it
    form = described(
        "voucher_date.@format", "string", "The date's format (YYYY-MM-DD)."
    )
    got = suggest(samples["invoice"], form, threshold=None)["voucher_date.@format"]
    assert got.source != "created"


def test_a_text_described_as_a_unix_timestamp_takes_stripes_seconds(samples):
    # given a booking request's text field whose description says it holds
    # a Unix timestamp, the two words run together
    due = described("sum_due_time", "string", "(Unixtimestamp) when the sum is due.")
    # when suggested on an invoice, then its date is Stripe's due date, taken
    # as it is: Stripe's timestamps are Unix seconds already
    got = sourced(samples, "invoice", due)
    assert got.source == "due_date"
    assert got.transforms == []
    # while a text with no such word is still written out as a date
    written = described("sum_due_time", "string", "When the sum is due.")
    got = sourced(samples, "invoice", written)
    assert got.transforms != []


def test_the_key_of_an_address_entry_has_no_source(samples):
    # given a customer's delivery address written inline with a key of its
    # own, the id an outside system gives that address
    keyed = described("deliveryAddress.outer_id", "string", "The address's outer id.")
    # when suggested on a customer, then it has no source: Stripe keys no
    # address, and the customer's own id is not the address's
    assert_no_source(sourced(samples, "customer", keyed))
    # while the key of a country under an address is no key of the entry
    country = described("deliveryAddress.country.id", "string", "The country's id.")
    assert not sourced(samples, "customer", country).abstained
