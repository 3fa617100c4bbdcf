"""Suggester rules added on v52's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a customer's address
with a region beside its state, a customer sent as the account it is), not
copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, lookup, suggest


def test_a_region_beside_a_state_is_not_the_state(samples):
    # given a customer's first address with its state given by a record's
    # code and a region beside it
    fields = (
        {
            "name": "Addresses.Address.0.Province.code",
            "type": "string",
            "description": "The province of the address, by its record's code",
        },
        {
            "name": "Addresses.Address.0.Region",
            "type": "string",
            "description": "The region of the address",
        },
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the province is the state, and the region, a wider one, has none
    assert got["Addresses.Address.0.Province.code"].source == "address.state"
    assert_no_source(got["Addresses.Address.0.Region"])


def test_a_customer_sent_as_an_account_keeps_its_address(samples):
    # given a customer's fields grouped under the account it is, its first
    # address and its debtor part below
    fields = (
        {
            "name": "Account.Addresses.Address.0.Town",
            "type": "string",
            "description": "Town of the address (first item of the list)",
        },
        {
            "name": "Account.Addresses.Address.0.Postcode",
            "type": "string",
            "description": "Postcode of the address (first item of the list)",
        },
        {
            "name": "Account.Debtor.Name",
            "type": "string",
            "description": "The element Name of Debtor",
        },
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then they are the customer's own, not settings of the integration
    assert got["Account.Addresses.Address.0.Town"].source == "address.city"
    assert got["Account.Addresses.Address.0.Postcode"].source == "address.postal_code"
    assert got["Account.Debtor.Name"].source == "name"


def test_a_total_of_weight_or_packages_is_no_amount(samples):
    # given an invoice's totals of its goods' weight and of the parcels they
    # went in, numbers with no documentation
    fields = (
        {"name": "Document.TotalGrossWeight", "type": "decimal"},
        {"name": "Document.TotalParcels", "type": "decimal"},
        {"name": "Document.TotalAmount", "type": "decimal"},
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither is the invoice's total, which the amount stays
    assert_no_source(got["Document.TotalGrossWeight"])
    assert_no_source(got["Document.TotalParcels"])
    assert got["Document.TotalAmount"].source == "total"


def test_a_phones_number_described_as_the_customers_is_no_key(samples):
    # given an invoice's buyer phone in parts, its number described as the
    # customer's phone number
    fields = (
        {
            "name": "payer.phone.dialling_code",
            "type": "string",
            "description": "The payer. The customer's phone number: the calling code",
        },
        {
            "name": "payer.phone.number",
            "type": "string",
            "description": "The payer. The customer's phone number: the number",
        },
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the number is the customer's phone, not the customer's key
    assert got["payer.phone.number"].source == "customer_phone"


def test_a_date_typed_as_a_day_stays_one_beside_a_timed_one(samples):
    # given a payment's entry date typed as a plain date beside a start time
    # described by a format with the time of day
    fields = (
        {
            "name": "Entry.Lines.0.BookedOn",
            "type": "date",
            "description": "The booking date of the line. XSD type xsd:date.",
        },
        {
            "name": "Entry.Lines.0.StartedAt",
            "type": "date",
            "description": "'Date - Time YYYY-MM-DD HH:MM:SS'. XSD type xsd:dateTime.",
        },
    )
    # when suggested
    got = suggest(samples["charge"], *fields, threshold=None)
    # then the booking date is written as a day, as its type says
    assert got["Entry.Lines.0.BookedOn"].source == "created"
    assert got["Entry.Lines.0.BookedOn"].transforms[0]["name"] == "unix_to_date"


def test_a_link_for_a_cancelled_payment_is_a_page_set_up(samples):
    # given an invoice's payment page with the link a buyer who cancels is
    # sent to
    field = {
        "name": "checkout.cancel_link_url",
        "type": "string",
        "description": "Where the buyer is taken if they cancel the payment",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is a page of the shop's, not the invoice's own page
    assert_no_source(got["checkout.cancel_link_url"])


def test_a_glued_start_or_end_time_is_a_spans_bound(samples):
    # given a payment entry line's start and end, each named in one glued
    # word, typed as dates, one described by its format
    fields = (
        {
            "name": "Entry.Lines.0.Begintime",
            "type": "date",
            "description": "'Date and time YYYY-MM-DD HH:MM' (the line's begin)",
        },
        {"name": "Entry.Lines.0.Enddate", "type": "date"},
    )
    # when suggested
    got = suggest(samples["charge"], *fields, threshold=None)
    # then neither is the payment's date
    assert_no_source(got["Entry.Lines.0.Begintime"])
    assert_no_source(got["Entry.Lines.0.Enddate"])


def test_a_refunds_key_described_as_the_payment_identifier_is_the_charge(samples):
    # given a refund's bare key in the request's path, described as the
    # payment identifier, with no possessive
    field = {"name": "id", "type": "string", "description": "The payment identifier"}
    # when suggested
    got = suggest(samples["refund"], field, threshold=None)
    # then it is the charge refunded, through the id map
    assert got["id"].source == "charge"
    assert lookup(got["id"]) == "charge"
