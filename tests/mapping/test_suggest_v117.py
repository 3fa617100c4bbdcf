"""Suggester rules added on v119's former held-out part (Trustly, Nimble).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    none_while_near,
    sourced,
    suggest,
)


def test_a_field_typed_default_is_plain_text(samples):
    # given a member's first name typed "default", as a field table types its
    # plain fields, and the same name typed as a drop-down (the near case: a
    # kind of field of the vendor's own)
    plain = described("member.given name", "default", "For a person")
    dropdown = described("member.given name", "dropdown", "For a person")
    # when suggested on a Stripe customer, then the first is the first name
    # split from the customer's name, as a text field's is, and the second
    # is not split
    first = sourced(samples, "customer", plain)
    assert (first.source, first.transforms) == (
        "name",
        [{"name": "split_name", "params": {"part": "first"}}],
    )
    assert sourced(samples, "customer", dropdown).transforms == []


def test_the_value_of_a_listed_detail_of_a_vendors_own_kind_is_no_amount(samples):
    # given the value of the first entry of a member's profile handles, typed
    # with a kind of field of the vendor's own, and the same value typed with
    # a kind named for a price (the near case: money)
    social = described("member.handles.0.value", "social", "Profile handle")
    priced = described("member.handles.0.value", "price", "Profile handle")
    # when suggested on a Stripe charge, then the first is left empty, no
    # amount, and the second is still the charge's amount
    none_while_near(samples, "charge", social, priced, "amount")


def test_the_modifier_of_a_listed_entry_is_no_value_of_it(samples):
    # given the modifier of the first entry of a member's e-mail addresses
    # (the word it is filed under, such as work or home), and the value of
    # the same entry (the near case: the address itself)
    modifier = described("member.mails.0.modifier", "string", "Modifier to use")
    value = described("member.mails.0.value", "string", "Value to store")
    # when suggested on a Stripe customer, then the first is left empty, and
    # the second is still the customer's e-mail
    none_while_near(samples, "customer", modifier, value, "email")


def test_a_listed_details_value_described_by_what_the_value_should_be(samples):
    # given the value of the first entry of a member's profiles, described
    # as what the value should be (a user name), and the same value
    # described as the value of a fee (the near case: money named)
    handle = described(
        "member.profiles.0.value", "string", "Value should be the member's handle"
    )
    fee = described("member.profiles.0.value", "string", "Value of the fee")
    # when suggested on a Stripe charge, then the first is left empty, the
    # word value naming the entry's value and no sum, and the second is
    # still the charge's amount
    none_while_near(samples, "charge", handle, fee, "amount")


def test_the_payee_of_a_payment_in_is_the_merchant(samples):
    # given a town described as within the details of the payee, the party
    # paid, and the same town described as within the details of the payer
    # (the near case: the party paying)
    payee = described("party.town", "string", "Town (within details of the payee)")
    payer = described("party.town", "string", "Town (within details of the payer)")
    # when suggested on a Stripe charge, then the first is left empty, the
    # merchant being paid, and the second is still the billed city
    none_while_near(samples, "charge", payee, payer, "billing_details.address.city")


def test_the_entire_address_in_one_text_beside_its_parts_is_left_empty(samples):
    # given a member's address described as the entire address, to be sent
    # only when its separate parts cannot be, beside the address's first
    # line, and the same address described as the member's street (the near
    # case: one line of it)
    entire = described(
        "member.Address",
        "string",
        "The entire address. Only used if the separate parts cannot be given.",
    )
    street = described("member.Address", "string", "The street of the member.")
    line = described("member.AddressLine1", "string", "Street address.")
    # when suggested on a Stripe customer, then the entire address is left
    # empty and the first line keeps the customer's first line; the street
    # is still the first line
    whole = suggest(samples["customer"], entire, line)
    assert_no_source(whole["member.Address"])
    assert whole["member.AddressLine1"].source == "address.line1"
    assert sourced(samples, "customer", street).source == "address.line1"


def test_a_persons_employment_is_none_of_stripes(samples):
    # given the company name of the first entry of a member's employment
    # (the company the member works at), and the member's company name (the
    # near case: the party's own name)
    employer = described("member.employment.0.company_name", "string", "Company name")
    own = described("member.company_name", "string", "Company name")
    # when suggested on a Stripe customer, then the first is left empty,
    # Stripe asking nobody's employer, and the second is still the
    # customer's name
    none_while_near(samples, "customer", employer, own, "name")


def test_an_amount_text_with_exactly_two_decimals_is_in_major_units(samples):
    # given a payment's amount typed as text and described as written with
    # exactly two decimals, and the same amount described with no format
    # (the near case: the words tell no unit)
    decimals = described(
        "pay.sum", "String", "The sum to pay with exactly two decimals."
    )
    bare = described("pay.sum", "String", "The sum to pay.")
    # when suggested on a Stripe charge, then the first is the charge's
    # amount in major units, and the second is still the amount as it is
    two = sourced(samples, "charge", decimals)
    assert (two.source, two.transforms[0]["name"]) == ("amount", "minor_to_decimal")
    assert sourced(samples, "charge", bare).transforms == []


def test_a_text_to_show_on_the_payers_bank_statement_is_the_descriptor(samples):
    # given a text described as the one to show on the end-user's bank
    # statement, and the same text described as the one to show on the
    # end-user's receipt (the near case: no statement)
    statement = described(
        "pay.label", "string", "The text to show on the end-user's bank statement."
    )
    receipt = described("pay.label", "string", "The text to show on the receipt.")
    # when suggested on a Stripe charge, then the first is the charge's
    # statement descriptor and the second is not; on a Stripe invoice, which
    # has none, the first is left empty
    assert sourced(samples, "charge", statement).source == "statement_descriptor"
    assert sourced(samples, "charge", receipt).source != "statement_descriptor"
    assert_no_source(sourced(samples, "invoice", statement))


def test_a_text_passed_in_a_date_and_time_pattern_is_a_date_time(samples):
    # given a task's due date typed as text and described as passed in a
    # pattern with the time of day, and the same date passed in a pattern of
    # the day alone (the near case: a date)
    timed = described(
        "task.due", "not given", "Due date, passed like YYYY-MM-DDTHOURS:MINUTES"
    )
    day = described("task.due", "not given", "Due date, passed like YYYY-MM-DD")
    # when suggested on a Stripe invoice, then the first is the due date as
    # a date and time, and the second is still no date and time
    assert sourced(samples, "invoice", timed).transforms[0]["name"] == (
        "unix_to_datetime"
    )
    steps = sourced(samples, "invoice", day).transforms
    assert "unix_to_datetime" not in [step["name"] for step in steps]


def test_a_link_to_a_picture_is_none_of_stripes(samples):
    # given a member's avatar link, pointing to the picture shown for the
    # member, and the member's page link (the near case: a page to open)
    avatar = described("member.avatar_url", "string", "Link to the member's avatar")
    page = described("member.page_url", "string", "Link to the member's page")
    # when suggested on a Stripe invoice, then the first is left empty,
    # Stripe keeping no picture, and the second is still the hosted invoice
    none_while_near(samples, "invoice", avatar, page, "hosted_invoice_url")
