"""Suggester rules added on v76's former held-out part (OroCommerce, Airwallex).

The fields are made up in the shape the misses had (a shop's addresses and
the records they point at, a payment request's texts), not copied from one
vendor. Each is written through v67's `described`, a name, a type and the
few words a model gives.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def unsourced_on(samples, object_types, *rows):
    """Each (name, type, words) row, alone on each object type, takes no source."""
    for name, kind, text in rows:
        field = described(name, kind, text)
        for object_type in object_types:
            assert_no_source(sourced(samples, object_type, field))


def test_a_state_related_to_the_erp_s_regions_records_has_no_source(samples):
    # given an address's state and a bare province, each described as a
    # relationship to the shop's records of regions, keyed by a joined code;
    # when suggested on a customer, an invoice or a charge, then none is
    # Stripe's state: the integration keeps no table of regions to find
    # the record by
    unsourced_on(
        samples,
        ("customer", "invoice", "charge"),
        (
            "deliverTo.state",
            "string",
            "State: the address's state; a relationship to a states record whose "
            "key joins country and state code ('DE-BY')",
        ),
        (
            "province",
            "string",
            "Province: a relationship to a provinces record, required in some lands",
        ),
    )
    # while a state described as the address's state alone is still Stripe's
    state = described("billTo.state", "string", "State: the address's state")
    assert sourced(samples, "customer", state).source == "address.state"


def test_a_descriptor_is_no_description(samples):
    # given a payment request's descriptor, what its payer's bank statement
    # shows
    descriptor = described(
        "payment.descriptor", "string", "the descriptor the payer's statement shows"
    )
    # when suggested on an invoice, which carries no statement text, then it
    # is not the invoice's description, even as a best guess, though the
    # words are spelled alike
    assert sourced(samples, "invoice", descriptor).source != "description"
    # while on a charge it is still the charge's statement descriptor
    got = suggest(samples["charge"], descriptor)
    assert got["payment.descriptor"].source == "statement_descriptor", got


def test_a_label_naming_an_address_has_no_source(samples):
    # given an address record's label, described as the name for an address
    # entry or as an address label with an example; when suggested on a
    # customer or a charge, then neither is the object's description: Stripe
    # names none of its addresses
    unsourced_on(
        samples,
        ("customer", "charge"),
        ("label", "string", "Label: the name for an address entry"),
        ("label", "string", "Label: site address label (e.g. Head Office)"),
    )


def test_a_saved_address_an_address_is_copied_from_has_no_source(samples):
    # given a document address's link to the saved address it was taken
    # from, described as used as the document's address, its data copied;
    # when suggested on an invoice or a charge, then neither is a street
    # line: it names a record of the ERP's address book, which Stripe lacks
    unsourced_on(
        samples,
        ("invoice", "charge"),
        (
            "billTo.partyAddress",
            "string",
            "Party address: the party address which was used as the bill-to "
            "address; if given, its data is copied",
        ),
        (
            "address",
            "string",
            "the address-book address that is used as delivery address; its data "
            "are copied and the other fields left empty",
        ),
    )
    # while a bare address described as the street is still the first line
    street = described("address", "string", "the street and house number")
    assert sourced(samples, "charge", street).source == "billing_details.address.line1"


def test_a_rating_of_the_customer_has_no_source(samples):
    # given a customer's rating, described as the seller's own rating of the
    # customer, kept as a record of ratings; when suggested on a customer,
    # then neither is a code of the customer nor its name: Stripe rates no
    # customer
    unsourced_on(
        samples,
        ("customer",),
        (
            "customer_rating",
            "string",
            "Internal rating: the customer's internal rating (A to E); relationship "
            "to customerRatings",
        ),
        ("ClientRating", "string", "the rating given to the client"),
    )


def test_an_address_s_types_have_no_source(samples):
    # given an address record's types, described as the address types
    # (billing, shipping) the address serves, or as the kind of address;
    # when suggested on a customer, then none is the type of a tax id: the
    # use of an address in the ERP's address book is the ERP's
    unsourced_on(
        samples,
        ("customer",),
        (
            "usedAs.types",
            "array",
            "Types: the address types (billing, shipping) the address serves, each "
            "with its default flag",
        ),
        ("addressKind.type", "string", "the address type: billing or shipping"),
    )


def test_the_product_code_of_a_charge_s_goods_line_has_no_source(samples):
    # given a payment request's first goods entry, its product code and its
    # SKU; when suggested on a charge, then neither is the invoice paid nor
    # a code kept in the metadata: a charge sells no product of its own
    unsourced_on(
        samples,
        ("charge",),
        ("cart.items.0.code", "string", "the first item's code (its product id)"),
        ("cart.items.0.sku", "string", "the first item's SKU"),
    )
    # while the entry's name still takes the charge's description
    name = described("cart.items.0.name", "string", "the first item's name")
    assert sourced(samples, "charge", name).source == "description"
