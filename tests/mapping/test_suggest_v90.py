"""Suggester rules added on v92's former held-out part (Elastic Path, Moneris).

The fields are made up in the shape the misses had, not copied from one
vendor. Each is written through v67's `described`, a name, a type and the
few words a model gives.
"""

from tests.mapping.suggesting import assert_no_source, described, lookup, suggest

# A payback record's field list as an SDK's code declares it, one line
# quoted by each of its fields' descriptions.
_PAYBACK_NAMES = ("order_ref", "amount", "txn_no", "buyer_id", "soft_descriptor")
_PAYBACK_LINE = (
    "\"'payback' => array("
    + ", ".join(f"'{name}'" for name in _PAYBACK_NAMES)
    + '),"'
    + " at line 80 of acme/sdk@:Client.php (member {name} of the payback field list)"
)


def test_a_quoted_line_of_code_listing_names_says_nothing_of_the_field(samples):
    # given a descriptor whose description only quotes the code line that
    # lists its record's fields (among them a transaction's number)
    field = described(
        "soft_descriptor", "string", _PAYBACK_LINE.format(name="soft_descriptor")
    )
    # when suggested on a Stripe credit note
    out = suggest(samples["credit_note"], field, threshold=None)
    # then the siblings' names it lists do not make it the note's number
    assert_no_source(out["soft_descriptor"])


def test_a_quoted_sentence_still_describes_the_field(samples):
    # given the same descriptor whose description quotes words of its own
    field = described(
        "soft_descriptor",
        "string",
        '"The credit note\'s number, printed on the statement." at line 80 of'
        " acme/sdk@:Client.php (member soft_descriptor of the payback record)",
    )
    # when suggested on a Stripe credit note
    out = suggest(samples["credit_note"], field, threshold=None)
    # then what it says is read: the note's number
    assert out["soft_descriptor"].source == "number"


def _paid(example):
    return described(
        "paid_total",
        "string",
        f'vendor example: "{example}" at line 9 of acme/sdk@:Examples/Pay.php',
    )


def test_text_shown_with_two_decimal_places_is_an_amount_in_main_units(samples):
    # given a text field whose example assigns it a sum with two decimals
    field = _paid("$paid_total = '12.50';")
    # when suggested on a Stripe charge
    item = suggest(samples["charge"], field)["paid_total"]
    # then the charge's amount in cents is written in its main units
    assert item.source == "amount"
    assert [step["name"] for step in item.transforms] == ["minor_to_decimal"]


def test_text_shown_as_a_whole_number_is_passed_as_it_is(samples):
    # given the same field whose example is a whole number, no decimal point
    field = _paid("$paid_total = '1250';")
    # when suggested on a Stripe charge
    item = suggest(samples["charge"], field)["paid_total"]
    # then the amount is taken with no conversion to main units
    assert item.source == "amount"
    assert item.transforms == []


def test_a_blocks_unknown_head_word_repeated_on_its_members_is_read_past(samples):
    # given a check block whose members repeat its head word, one the
    # suggester does not know (chk_info.chk_street_name)
    fields = [
        described(f"chk_info.chk_{part}", "string")
        for part in ("street_name", "street_number", "zipcode")
    ]
    # when suggested on a Stripe customer
    out = suggest(samples["customer"], *fields)
    # then each member is read by its own words: the street name is the
    # address's street line, the zip code its postal code
    assert out["chk_info.chk_street_name"].source == "address.line1"
    assert out["chk_info.chk_zipcode"].source == "address.postal_code"


def test_a_blocks_known_head_word_on_its_members_is_kept(samples):
    # given a tax block whose member repeats its head word, one the
    # suggester knows (tax_info.tax_number)
    field = described("tax_info.tax_number", "string")
    # when suggested on a Stripe customer
    item = suggest(samples["customer"], field)["tax_info.tax_number"]
    # then the word is kept: a tax number, the customer's tax id
    assert item.source == "tax_ids.data.0.value"


def test_a_member_of_the_request_body_is_no_e_mails_body(samples):
    # given an e-mail whose description places it as a member of the
    # request's body, after the words the reference quotes
    field = described(
        "contact_mail",
        "string",
        '"The member\'s e-mail address." (body member contact_mail, required;'
        " Create a Member, POST /v1/members) at line 12 of acme/docs@:members.md",
    )
    # when suggested on a Stripe customer
    item = suggest(samples["customer"], field)["contact_mail"]
    # then it is the customer's e-mail, not a part of an e-mail sent
    assert item.source == "email"


def test_an_e_mails_body_is_still_the_integrations_text(samples):
    # given a field described as the body of the e-mail sending a document
    field = described(
        "mail_text", "string", "The body of the e-mail sending the invoice."
    )
    # when suggested on a Stripe invoice, then no Stripe field fills it
    assert_no_source(suggest(samples["invoice"], field)["mail_text"])


def _txn(said):
    return described("txn_key", "string", f"The UUID of the transaction {said}.")


def test_a_transaction_described_as_the_one_refunded_is_the_charge(samples):
    # given a refund's transaction key described as the one to refund
    field = _txn("you want to refund")
    # when suggested on a Stripe refund
    item = suggest(samples["refund"], field)["txn_key"]
    # then it is the refunded charge, through the integration's id map
    assert item.source == "charge"
    assert lookup(item) == "charge"


def test_a_transaction_key_said_of_no_refund_is_the_refunds_own(samples):
    # given the same key described only as the transaction's
    field = _txn("made")
    # when suggested on a Stripe refund, then it is the refund's own id
    assert suggest(samples["refund"], field)["txn_key"].source == "id"


def _address_fields(said):
    return [
        described("name", "string", said),
        described("street", "string", "The street of this address."),
        described("town", "string", "The town of this address."),
    ]


def test_a_name_given_places_as_examples_is_the_addresss_label(samples):
    # given an address record's name whose examples are places it may be
    fields = _address_fields("The name this address is kept as, such as `home`.")
    # when suggested on a Stripe customer, then no person's name fills it
    assert_no_source(suggest(samples["customer"], *fields)["name"])


def test_a_name_for_the_address_with_no_such_examples_is_the_recipients(samples):
    # given the same name described with no places as examples
    fields = _address_fields("The name for the address.")
    # when suggested on a Stripe customer, then it is the customer's name
    assert suggest(samples["customer"], *fields)["name"].source == "name"


def _channel(said):
    return described("channel", "string (enum: web, manual, pos)", said)


def test_an_allowed_value_the_description_requires_is_the_constant(samples):
    # given a choice field whose description requires one of its values
    field = _channel("The channel taking the payment. You must use `manual`.")
    # when suggested on a Stripe charge
    item = suggest(samples["charge"], field)["channel"]
    # then no Stripe field fills it: it is that value, always
    assert not item.source
    assert item.transforms == [{"name": "constant", "params": {"value": "manual"}}]


def test_an_allowed_value_given_as_an_example_is_no_constant(samples):
    # given the same field naming that value only as an example
    field = _channel("The channel taking the payment, such as `manual`.")
    # when suggested on a Stripe charge, then it is not made that constant
    item = suggest(samples["charge"], field)["channel"]
    assert item.transforms != [{"name": "constant", "params": {"value": "manual"}}]
