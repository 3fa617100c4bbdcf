"""Suggester rules added on v41's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a key the caller gives in
a fixed format, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, lookup, suggest


def test_a_field_that_must_hold_a_guid_takes_no_stripe_id(samples):
    # given an invoice with a tag the caller supplies that must be a GUID,
    # beside the key of its customer, also a GUID
    fields = (
        {
            "name": "ExternalRecordGuid",
            "type": "string",
            "description": "A GUID the caller supplies to find the record again; "
            "it must be a valid GUID",
        },
        {
            "name": "CustomerKey",
            "type": "string",
            "description": "Guid of the customer the invoice is for",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the tag has no source: a Stripe id ("in_…") is no GUID
    tag = got["ExternalRecordGuid"]
    assert_no_source(tag)
    # and the customer's key is still the customer through the id map
    assert got["CustomerKey"].source == "customer"
    assert lookup(got["CustomerKey"]) == "customer"


def test_a_note_printed_with_an_address_is_no_description(samples):
    # given a customer with a note in each of its address groups, described as
    # printed with the address, beside notes on the customer
    fields = (
        {
            "name": "InvoiceAddr.Remark",
            "type": "string",
            "description": "Note printed with the address",
        },
        {
            "name": "DeliveryAddr.Remark",
            "type": "string",
            "description": "Note printed with the address",
        },
        {"name": "notes", "type": "string", "description": "Notes on the customer"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the address notes have no source: Stripe keeps no text per address
    for name in ("InvoiceAddr.Remark", "DeliveryAddr.Remark"):
        item = got[name]
        assert_no_source(item)
    # and the notes stay the customer's description
    assert (got["notes"].source, got["notes"].transforms) == ("description", [])


def test_a_field_marked_deprecated_is_left_to_the_one_replacing_it(samples):
    # given a customer's address with a country name marked deprecated in
    # favour of the country's code beside it
    fields = (
        {
            "name": "mainAddress.countryName",
            "type": "string",
            "description": "(String; deprecated: 'Use `countryIso` instead.') "
            "The name of the country.",
        },
        {
            "name": "mainAddress.countryIso",
            "type": "string",
            "description": "The two-letter code of the country.",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the deprecated field has no source: the API reads the other one
    old = got["mainAddress.countryName"]
    assert_no_source(old)
    # and the code takes the address's country
    assert got["mainAddress.countryIso"].source == "address.country"


def test_keys_nested_below_a_documents_reference_are_other_records(samples):
    # given a payment settling a document, whose group holds the document's
    # key and, in groups of their own, a credit to use and a discount account
    fields = (
        {
            "name": "settles.0.DocID",
            "type": "string",
            "description": "The DocID of the transaction (invoice or debit) this "
            "part of the payment settles",
        },
        {
            "name": "settles.0.UseCredit.0.CreditDocID",
            "type": "string",
            "description": "The DocID of a credit (credit memo or unused payment) "
            "to use",
        },
        {
            "name": "settles.0.DiscountAccount.Key",
            "type": "string",
            "description": "Key of the account the discount is posted to",
        },
    )
    got = suggest(samples["charge"], *fields, threshold=None)
    # then the group's own key is the invoice through the id map
    assert got["settles.0.DocID"].source == "invoice"
    assert lookup(got["settles.0.DocID"]) == "invoice"
    # and the keys below it, of a credit and of an account, have no source
    for name in ("settles.0.UseCredit.0.CreditDocID", "settles.0.DiscountAccount.Key"):
        item = got[name]
        assert_no_source(item)


def test_the_key_and_name_in_a_customers_reference_group_are_the_customer(samples):
    # given an invoice referring to its customer by a reference group that
    # takes either the customer's list key or its full name
    fields = (
        {
            "name": "ClientRef.ListKey",
            "type": "string",
            "description": "ListKey of the client. ClientRef: 'refers to one of "
            "the clients on the list.'",
        },
        {
            "name": "ClientRef.FullName",
            "type": "string",
            "description": "FullName of the client; a reference is made by "
            "ListKey or by FullName",
        },
        {"name": "MessageRef.ListKey", "type": "string"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then both are the customer through the id map
    for name in ("ClientRef.ListKey", "ClientRef.FullName"):
        assert got[name].source == "customer", got[name]
        assert lookup(got[name]) == "customer"
    # and a reference group of another record is not the customer
    assert got["MessageRef.ListKey"].source != "customer"


def test_a_key_in_another_records_reference_group_is_not_the_objects_id(samples):
    # given a credit note referring to a message record by a reference group,
    # by its list key or its full name
    fields = (
        {
            "name": "PrintMsgRef.ListKey",
            "type": "string",
            "description": "ListKey of the message printed on the document",
        },
        {
            "name": "PrintMsgRef.FullName",
            "type": "string",
            "description": "FullName of the printed message; a reference is made by "
            "ListKey or by FullName",
        },
    )
    got = suggest(samples["credit_note"], *fields, threshold=None)
    # then neither copies a value of the credit note: they find the ERP's record
    for name in ("PrintMsgRef.ListKey", "PrintMsgRef.FullName"):
        item = got[name]
        assert_no_source(item)


def test_a_list_of_further_addresses_beside_the_address_is_left_empty(samples):
    # given a customer with its delivery address and, beside it, a list of
    # named delivery addresses it may keep
    fields = [
        {"name": f"{group}.{leaf}", "type": "string", "description": text}
        for group in ("DeliveryAddress", "DeliveryAddresses.0")
        for leaf, text in (
            ("Street1", "First address line"),
            ("Town", "City"),
            ("Zip", "Postal code"),
        )
    ]
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the delivery address takes Stripe's shipping address
    assert got["DeliveryAddress.Street1"].source == "shipping.address.line1"
    assert got["DeliveryAddress.Town"].source == "shipping.address.city"
    # and the list's first item, a further address, has no source
    for leaf in ("Street1", "Town", "Zip"):
        item = got[f"DeliveryAddresses.0.{leaf}"]
        assert_no_source(item)


def test_the_account_money_is_paid_from_is_a_ledger_setting(samples):
    # given a refund naming, by a reference group, the account it is paid from
    fields = (
        {
            "name": "PaidFromAcctRef.Key",
            "type": "string",
            "description": "Key of the account the refund is paid from",
        },
        {
            "name": "PaidFromAcctRef.FullName",
            "type": "string",
            "description": "FullName of the account the refund is paid from",
        },
    )
    got = suggest(samples["refund"], *fields, threshold=None)
    # then neither is the refunded charge: the account is the ERP's ledger's
    for name in ("PaidFromAcctRef.Key", "PaidFromAcctRef.FullName"):
        item = got[name]
        assert_no_source(item)


def test_a_key_of_another_records_reference_group_stays_empty_when_cut(samples):
    # given a customer referring to a tax item by a reference group whose key
    # has a maximum length, so that a copy of a Stripe text would be cut
    fields = (
        {
            "name": "ItemTaxRef.ListId",
            "type": "string",
            "max_length": 36,
            "description": "ListId of the sales-tax item applied to the customer",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then it is still no copy of the customer's tax id: it keys the ERP's item
    item = got["ItemTaxRef.ListId"]
    assert_no_source(item)


def test_lines_that_add_a_group_item_are_not_the_documents_lines(samples):
    # given an invoice with its item lines and, in a choice with them, lines
    # that add a group item the ERP expands into its member items
    fields = (
        {"name": "ItemLines", "type": "lines", "description": "The item lines"},
        {
            "name": "BundleLines",
            "type": "lines",
            "description": "Invoice lines that add a group item: the ERP expands "
            "the group into its member items",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the group lines have no source: a Stripe line is one price's
    bundle = got["BundleLines"]
    assert_no_source(bundle)
    # and the item lines stay the invoice's lines
    assert got["ItemLines"].source == "lines.data"
