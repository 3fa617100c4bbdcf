"""Suggester rules added on v84's former held-out part (Moqui Mantle, Worldline Direct).

The fields are made up in the shape the misses had (an address nested as
its own object under its record, described by an SDK's few words), not
copied from one vendor. Each is written through v67's `described`, a
name, a type and the few words a model gives.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def _street_part(leaf, description):
    """A part of a delivery address given as its own object."""
    return described(f"delivery.address.{leaf}", "string", description)


def test_a_second_line_or_extra_information_takes_the_second_line(samples):
    # given a nested delivery address's field described as its street's
    # second line or, said another way, the address's extra information
    either = _street_part(
        "extraInfo", "Second line of street or extra address information"
    )
    # when suggested on a customer, then it takes the shipping address's
    # second line: the extra words name that line, not one after it
    got = suggest(samples["customer"], either)
    assert got["delivery.address.extraInfo"].source == "shipping.address.line2"
    # while an extra line numbered 2, the line after the second, which
    # Stripe does not have, takes no street line
    after = _street_part("extraLine2", "Extra address line 2")
    got = suggest(samples["customer"], after)
    assert not got["delivery.address.extraLine2"].source.endswith(("line1", "line2"))


def _each_takes(samples, object_type, *expected):
    """Each (field, source): the field alone on `object_type` takes the source.

    An empty source is no source: the field abstains.
    """
    for field, source in expected:
        item = sourced(samples, object_type, field)
        if source:
            assert item.source == source, item
        else:
            assert_no_source(item)


def test_the_address_a_mandate_is_given_for_is_the_customers(samples):
    # given a debtor's address nested under the direct-debit mandate it is
    # given for, and near it a text of the mandate itself
    mandated = described(
        "debtor.mandateAddress.town", "string", "Town. Required for a mandate."
    )
    note = described("debtor.mandateNote", "string", "A note on the mandate.")
    # when suggested on a customer, then the address takes the customer's:
    # the one who signs the mandate gives their own postal address
    # while the mandate's own text, a field of the agreement, has no source
    _each_takes(samples, "customer", (mandated, "address.city"), (note, ""))


def test_an_authorisation_code_is_no_code_of_the_erp(samples):
    # given a charge's code an issuer gave for the card's authorisation,
    # described with the account it is for, and near it the ERP's own
    # internal code of the sale
    approval = described(
        "cardAuthCode", "string", "Code the card account's issuer gave"
    )
    internal = described("salesCode", "string", "Internal code of the sale")
    # when suggested on a charge, then the authorisation code has no source:
    # the issuer's approval of a payment is no key the ERP keeps in metadata
    # while the ERP's internal code still takes the ERP's value
    _each_takes(samples, "charge", (approval, ""), (internal, "metadata.erp_order"))


def test_the_unit_of_measure_of_an_amount_is_its_currency(samples):
    # given a refund's field naming the unit of measure of its amount, and
    # near it the unit of measure of a quantity
    money = described("totalUomId", "string", "Id of a unit of measure")
    counted = described("quantityUomId", "string", "Id of a unit of measure")
    # when suggested on a refund, then the amount's unit takes the currency:
    # what an amount is measured in is the currency it is given in
    assert sourced(samples, "refund", money).source == "currency"
    # while a quantity's unit is no currency
    assert sourced(samples, "refund", counted).source != "currency"


def test_a_reference_of_a_group_of_operations_has_no_source(samples):
    # given a charge's reference named for the group of operations it joins,
    # and near it the reference of the operation itself
    grouped = described(
        "links.operationGroupReference",
        "string",
        "An identifier for a group of operations.",
    )
    own = described(
        "links.operationReference", "string", "An identifier for this operation."
    )
    # when suggested on a charge, then the group's reference has no source:
    # it names the group the operations share, not the charge's own id
    # while the operation's own reference still takes the charge's id
    _each_takes(samples, "charge", (grouped, ""), (own, "id"))


def test_a_request_sent_to_a_relative_path_names_no_postal_part(samples):
    # given a numbered address line whose description cites the request it
    # is sent in, by an HTTP method and a path with no leading slash, and
    # near it a line described in brackets as the postal code
    cited = described("addr1", "string", "Field addr1 (save, POST contacts/{id})")
    coded = described("addr3", "string", "Contact field addr3 (postal code)")
    # when suggested on a customer, then the cited line takes the street
    # line: the request's POST is no postal word
    # while the line described as the postal code still takes it
    _each_takes(
        samples, "customer", (cited, "address.line1"), (coded, "address.postal_code")
    )


def test_the_key_of_a_session_has_no_source(samples):
    # given a charge's key of a widget session opened before it, and near
    # it the widget's reference of the payment itself
    session = described(
        "widgetSessionId",
        "string",
        "A unique identifier that references a previously created widget session.",
    )
    own = described("widgetReference", "string", "A unique identifier of this payment.")
    # when suggested on a charge, then the session's key has no source: a
    # session the gateway opened is no Stripe object the charge is
    # while the payment's own reference still takes the charge's id
    _each_takes(samples, "charge", (session, ""), (own, "id"))
