"""Suggester rules added on v102's former held-out part (Pesapal, Gambio).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v67's `described`; each rule has a near case
that must not fire.
"""

from tests.mapping.suggesting import (
    described,
    lookup,
    none_while_near,
    sourced,
    suggest,
)


def member(name, kind="string (optional)"):
    """An SDK model's optional member, with no description of its own."""
    return described(name, kind, "no description")


def test_a_zip_code_beside_a_postal_code_is_the_same_code(samples):
    # given a contact record that asks for its postal code twice, once as
    # the zip code and once as the postal code
    fields = [member(f"contact.{name}") for name in ("zip_code", "postal_code")]
    # when suggested on a Stripe customer
    items = suggest(samples["customer"], *fields)
    # then both are filled with the address's postal code, neither left
    # empty for the other
    assert items["contact.zip_code"].source == "address.postal_code"
    assert items["contact.postal_code"].source == "address.postal_code"


def test_a_zips_extension_beside_a_postal_code_stays_empty(samples):
    # given the same record's four extra digits of a zip code beside its
    # postal code (the near case: a part of a zip code, not the code)
    fields = [member(f"contact.{name}") for name in ("zip_four", "postal_code")]
    # when suggested on a Stripe customer
    items = suggest(samples["customer"], *fields)
    # then the postal code takes the address's, and the extension nothing
    assert items["contact.postal_code"].source == "address.postal_code"
    assert not items["contact.zip_four"].source


def test_a_flag_named_for_the_customer_is_no_customer_reference(samples):
    # given an order's yes-or-no flag named after the customer (whether the
    # customer was told), with no description
    told = member("customerInformed", "boolean")
    # when suggested on a Stripe charge
    item = sourced(samples, "charge", told)
    # then it is no reference to the customer: a flag holds no key
    assert item.source != "customer"
    assert not any(step["name"] == "lookup" for step in item.transforms)


def test_a_customer_key_beside_the_flag_stays_the_customer(samples):
    # given the same order's customer key as a whole number (the near case:
    # the customer named, typed as a key)
    key = member("customerKey", "integer (int64)")
    # when suggested on a Stripe charge, then it is the charge's customer
    # through the id map
    item = sourced(samples, "charge", key)
    assert item.source == "customer"
    assert lookup(item) == "customer"


def test_an_amount_typed_as_a_java_big_decimal_is_in_major_units(samples):
    # given a Java or Kotlin client's amount typed "BigDecimal" (the
    # language's exact decimal number)
    amount = member("payment.amount", "BigDecimal")
    # when suggested on a Stripe charge
    item = sourced(samples, "charge", amount)
    # then it is the charge's amount, its cents written as a decimal
    assert item.source == "amount"
    assert [step["name"] for step in item.transforms] == ["minor_to_decimal"]


def test_an_amount_typed_as_a_java_big_integer_stays_in_cents(samples):
    # given the same amount typed "BigInteger" (the near case: a whole
    # number, which holds the cents as they are)
    amount = member("payment.amount", "BigInteger")
    # when suggested on a Stripe charge, then it is copied as it is
    item = sourced(samples, "charge", amount)
    assert (item.source, item.transforms) == ("amount", [])


def test_a_url_named_for_a_cancellation_is_a_page_set_up(samples):
    # given a payment request's link the payer is sent to on cancelling,
    # named with the noun ("cancellation"), not the verb, and no description,
    # beside the same request's link named for the invoice (the near case)
    # when each is suggested alone on a Stripe invoice
    # then the cancellation's has no source, a page of the shop's set up
    # once, while the invoice's is the hosted invoice page
    none_while_near(
        samples,
        "invoice",
        member("request.cancellation_url", "string"),
        member("request.invoice_url", "string"),
        "hosted_invoice_url",
    )


def test_a_coded_name_said_to_have_no_description_keeps_its_name(samples):
    # given an SDK's member whose name no known word makes up, described
    # only as having no description, with where the member is declared
    coded = described(
        "session.bin_fltr",
        "String",
        "no description; member bin_fltr (String) of class Session at line 12",
    )
    # when suggested on a Stripe charge, with the calibrated cut
    item = sourced(samples, "charge", coded, threshold=None)
    # then "no description" is not read as its name: it is not the
    # charge's description
    assert item.source != "description"


def test_a_coded_name_described_by_plain_words_is_read_by_them(samples):
    # given the same kind of coded name described as the order's
    # description (the near case: words that name the field)
    coded = described("session.txn_dscr", "string", "Order description")
    # when suggested on a Stripe charge, then it is read as its words say
    assert sourced(samples, "charge", coded).source == "description"


def test_the_currencies_a_payer_may_choose_are_a_setting(samples):
    # given a checkout request's list of the currencies it accepts, sent as
    # a string with no description, beside the request's currency (the near
    # case: the one currency paid in, allowed by no word)
    # when each is suggested alone on a Stripe charge
    # then the list has no source, what the shop allows being set up once,
    # while the currency is the charge's
    none_while_near(
        samples,
        "charge",
        member("checkout.accepted_currencies", "string"),
        member("checkout.currency", "string"),
        "currency",
    )


def test_the_name_of_a_partys_status_is_no_partys_name(samples):
    # given an order's buyer group holding the buyer's status, itself a
    # group with its own name (what the shop calls the status), and the
    # buyer group's own name (the near case: no status or kind between the
    # party and the name)
    # when each is suggested alone on a Stripe invoice
    # then the status's name has no source, being the status's label, while
    # the buyer's is the customer's name
    none_while_near(
        samples,
        "invoice",
        member("buyer.status.name", "string"),
        member("buyer.name", "string"),
        "customer_name",
    )


def test_an_amount_written_out_as_text_is_no_note(samples):
    # given an order's list of totals, each with the amount written out for
    # display (a string named amount and text), and the order's note
    # written as text (the near case: text after a word naming no amount)
    # when each is suggested alone on a Stripe invoice
    # then the amount's text has no source, the ERP formatting it, while the
    # note is the invoice's description
    none_while_near(
        samples,
        "invoice",
        member("sums.0.amount_text", "string"),
        member("note_text", "string"),
        "description",
    )


def test_the_date_a_record_was_added_is_its_creation(samples):
    # given an order's date named for when it was added, typed as a string
    # with no description
    added = member("order.date_added", "string")
    # when suggested on a Stripe invoice, with the calibrated cut
    item = sourced(samples, "invoice", added, threshold=None)
    # then it is shown as the invoice's creation time
    assert item.source == "created"


def test_the_date_an_address_was_added_is_not_the_documents(samples):
    # given the date the payer's shipping address was added to its account
    # (the near case: another thing's addition, not the record's own)
    added = member("payer.shipping_address_added", "datetime")
    # when suggested on a Stripe invoice, then it is not the invoice's
    # creation time
    assert sourced(samples, "invoice", added).source != "created"


def test_a_whole_number_price_on_the_first_item_is_its_amount(samples):
    # given an order's first item with its name, its quantity and its price
    # typed as a whole number, none described
    fields = [
        member("items.0.name", "string"),
        member("items.0.quantity", "integer (int64)"),
        member("items.0.price", "integer (int64)"),
    ]
    # when suggested on a Stripe invoice
    items = suggest(samples["invoice"], *fields)
    # then the price is the first line's amount, its cents copied as they
    # are
    price = items["items.0.price"]
    assert (price.source, price.transforms) == ("lines.data.0.amount", [])


def test_a_whole_number_price_type_on_the_first_item_is_no_amount(samples):
    # given the same item's kind of price as a whole number (the near case:
    # a code for how the price is given, not the price)
    kind = member("items.0.price_type", "integer (int64)")
    # when suggested on a Stripe invoice, then it is not the line's amount
    assert sourced(samples, "invoice", kind).source != "lines.data.0.amount"


def test_the_date_of_the_purchase_is_the_sales_creation(samples):
    # given a sale's purchase date, typed as a string, its reference giving
    # no description but where it is declared
    bought = described("sale.purchase_date", "string", "no description (Sale, l. 40)")
    # when suggested on a Stripe invoice, with the calibrated cut
    item = sourced(samples, "invoice", bought, threshold=None)
    # then it is shown as the invoice's creation time, as an order's
    # placing date is
    assert item.source == "created"


def test_the_date_of_a_purchase_order_is_not_the_sales(samples):
    # given the buyer's purchase order date (the near case: "purchase"
    # before an order, the buyer's own document)
    ordered = described(
        "sale.purchase_order_date", "string", "no description (Sale, l. 41)"
    )
    # when suggested on a Stripe invoice, then it is not the creation time
    assert sourced(samples, "invoice", ordered).source != "created"
