"""Suggester rules added on v75's former held-out part (Thelia, Buckaroo).

The fields are made up in the shape the misses had (a shop's customer, its
addresses and its orders, each pointing at the shop's own records), not
copied from one vendor. Each is written through v67's `described`, a name,
a type and the few words a model gives.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def assert_none_sourced(samples, object_types, fields):
    """Each field alone, on each of the Stripe object types, takes no source."""
    for object_type in object_types:
        for field in fields:
            assert_no_source(sourced(samples, object_type, field))


def test_a_person_s_title_has_no_source(samples):
    # given a buyer's and an addressee's title, described as the honorific
    # they are addressed by or as the person's title, kept as a record's key
    titles = (
        described(
            "contactTitle",
            "string",
            "the contact's title (Mr, Ms, ...): reference to a ContactTitle record, "
            "stored as title_id",
        ),
        described(
            "recipient.personTitle",
            "string",
            "the recipient's title: reference to a PersonTitle record, kept as "
            "person_title_id",
        ),
    )
    # when suggested on a customer, an invoice or a charge, then none is the
    # object's id, number or name: Stripe asks no one how they wish to be
    # addressed
    assert_none_sourced(samples, ("customer", "invoice", "charge"), titles)


def test_a_document_s_title_still_takes_its_text(samples):
    # given an invoice's own title, the words printed at its head
    title = described("title", "string", "the invoice's title, printed at its head")
    name = described("contact.name", "string", "the contact's name")
    # when suggested beside a name on an invoice, then the name still takes
    # the customer's name: only a person's title is left to the ERP
    got = suggest(samples["invoice"], title, name)
    assert got[name["name"]].source == "customer_name", got


def test_a_state_referencing_the_erp_s_record_of_it_has_no_source(samples):
    # given an address's province and a bare region, each described as a
    # reference to the ERP's own record of it, kept as that record's key
    regions = (
        described(
            "shipTo.province",
            "string",
            "reference to a Province record of the shop, kept as province_key",
        ),
        described(
            "region", "string", "reference to a Shop Region record, stored as region_id"
        ),
    )
    # when suggested on a customer, an invoice or a charge, then none is
    # Stripe's state: the integration keeps no table of states to find the
    # ERP's record by
    assert_none_sourced(samples, ("customer", "invoice", "charge"), regions)
    # while an address's state described as its code is still Stripe's state
    state = described("billTo.state", "string", "the state's code (e.g. CA)")
    assert sourced(samples, "customer", state).source == "address.state"


def test_a_field_of_a_tax_listed_within_the_first_line_has_no_source(samples):
    # given a document's first goods line with its own list of taxes, each
    # tax with its label, text and amounts on one unit
    taxes = [
        described(name, kind, text)
        for name, kind, text in (
            ("items.0.taxes.0.label", "string", "label of the tax"),
            ("items.0.itemTaxes.0.text", "string", "text of the tax"),
            ("rows.0.rowTaxes.0.value", "decimal", "tax amount on one unit"),
            ("rows.0.rowTaxes.0.reducedValue", "decimal", "tax, reduced price"),
        )
    ]
    # when suggested on an invoice, then none is the line's description nor
    # its amount: the line's taxes are no fields of the line, and Stripe
    # lists none apart
    assert_none_sourced(samples, ("invoice",), taxes)
    # while the first goods line's own amount is still the first line's
    amount = described("rows.0.value", "decimal", "amount of the row")
    assert sourced(samples, "invoice", amount).source == "lines.data.0.amount"


def test_a_reference_to_follow_a_delivery_by_has_no_source(samples):
    # given an order's references to follow its parcel by, described as
    # what the carrier's tracker or the courier follows it with
    refs = (
        described("dispatchRef", "string", "dispatch ref, on the courier's tracker"),
        described("sendingCode", "string", "code to trace the parcel with the carrier"),
    )
    # when suggested on an invoice or a charge, then neither is the
    # document's number nor its id: the carrier numbers the parcel
    assert_none_sourced(samples, ("invoice", "charge"), refs)


def test_an_earlier_transaction_s_reference_has_no_source(samples):
    # given a request's reference to an earlier transaction, named as the
    # original one or described as a previous one
    refs = (
        described("origTxnRef", "string", "reference of the one it follows"),
        described("transactionKey", "string", "the key of a previous transaction"),
    )
    # when suggested on a customer, an invoice, a charge or a credit note,
    # then none is the object's own id or number: the record synced is the
    # first of its transactions the integration sends
    assert_none_sourced(samples, ("customer", "invoice", "charge", "credit_note"), refs)
    # while on a refund the original transaction is still the charge refunded
    original = described("origTxnRef", "string", "the original transaction's key")
    assert sourced(samples, "refund", original).source == "charge"


def test_the_name_of_the_party_s_person_is_its_name(samples):
    # given a request's person group, described as the customer's or the
    # buyer's person, with its whole name
    said = {
        "Person.Name": "the customer person: full name",
        "person.name": "the buyer person: the whole name",
    }
    # when suggested on a customer, then each is the customer's name, not a
    # setting's name: the person is the party the record is of
    for name, text in said.items():
        field = described(name, "string", text)
        assert sourced(samples, "customer", field).source == "name"


def test_the_name_of_a_person_set_up_in_the_erp_is_still_a_setting(samples):
    # given a person group described as the seller's or as a contact at the
    # party, not as the party
    people = (
        described("Person.Name", "string", "the sales person handling it"),
        described("Person.Name", "string", "the contact person at the client"),
    )
    # when suggested on an invoice, then neither is the party's name
    assert_none_sourced(samples, ("invoice",), people)


def test_a_field_described_as_the_first_product_line_s_is_the_line_s(samples):
    # given a list numbered from one, its first entry described as the
    # document's first product line, with the product's name
    text = described(
        "GoodsRow.1.ArticleName", "string", "the first product line: the product name"
    )
    # when suggested on an invoice, then it is the first line's description,
    # not the customer's name the leaf shares a word with
    assert sourced(samples, "invoice", text).source == "lines.data.0.description"
